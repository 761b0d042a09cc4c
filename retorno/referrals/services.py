"""Writes of the services directory: each provider keeps its own services; administrators all."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from retorno.core.audit import audit_log
from retorno.core.models import AdminArea, Agency, User
from retorno.core.services import require
from retorno.referrals.models import Category, Service
from retorno.registry.models import Language

SERVICE = "service"
FIELDS = (
    "name",
    "category",
    "min_age",
    "max_age",
    "sex",
    "public",
    "nationality",
    "nationwide",
    "address",
    "municipality",
    "phone",
    "email",
    "website",
    "hours",
    "free_of_charge",
    "is_active",
)


def _may_keep(actor: User, provider: Agency) -> None:
    if actor.can("config.manage"):
        return
    require(actor, "directory.manage")
    if provider.pk != actor.agency_id:
        raise PermissionDenied


@transaction.atomic
def service_save(
    *,
    actor: User,
    provider: Agency,
    data: dict[str, Any],
    description: dict[str, str],
    areas: Iterable[AdminArea] = (),
    languages: Iterable[Language] = (),
    service: Service | None = None,
) -> Service:
    """Create or update a service of `provider`, checked as a whole: every problem at once."""
    _may_keep(actor, provider)
    if service is not None and service.provider_id != provider.pk:
        raise PermissionDenied
    areas = list(areas)
    errors: dict[str, str] = {}
    if not (data.get("name") or "").strip():
        errors["name"] = _("Write the service's name.")
    if data.get("category") not in Category.values:
        errors["category"] = _("Choose a category.")
    if not (description.get("es") or "").strip():
        errors["description_es"] = _("Describe the service in Spanish (English and French are optional).")
    low, high = data.get("min_age"), data.get("max_age")
    if low is not None and high is not None and low > high:
        errors["max_age"] = _("The maximum age is below the minimum age.")
    if not data.get("nationwide") and not areas:
        errors["areas"] = _("Say where the service is offered: departments or municipalities, or the whole country.")
    if any(area.country_id != provider.country_id for area in areas):
        errors["areas"] = _("Choose places of the provider's country.")
    if not any((data.get(k) or "").strip() for k in ("phone", "email", "address")):
        errors["phone"] = _("Give at least one way to reach the service: phone, e-mail or address.")
    if errors:
        raise ValidationError(errors)
    service = service or Service(provider=provider)
    for name in FIELDS:
        if name in data:
            value = data[name]
            setattr(service, name, value.strip() if isinstance(value, str) else value)
    service.description = {k: v.strip() for k, v in description.items() if v and v.strip()}
    service.updated_at, service.updated_by = timezone.now(), actor
    service.save()
    service.areas.set(areas)
    service.languages.set(list(languages))
    audit_log(actor=actor, action="update", object_type=SERVICE, object_id=str(service.pk), fields=[n for n in FIELDS if n in data])
    return service
