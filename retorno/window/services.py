"""Writes of the information office: a consultation logged in a few keystrokes."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from retorno.core.audit import audit_log
from retorno.core.models import Site, User
from retorno.core.services import require
from retorno.referrals.models import Service
from retorno.registry.models import Person
from retorno.window.models import AgeGroup, Channel, Consultation, Material, Profile, Topic

OFFICE_KINDS = (Site.Kind.INFORMATION_OFFICE, Site.Kind.ASSISTANCE_CENTRE)
LATE_DAYS = 31  # a consultation is logged the same day, or caught up within a month


def offices_of(user: User) -> list[Site]:
    if user.agency_id is None:
        return []
    return list(Site.objects.filter(agency_id=user.agency_id, kind__in=OFFICE_KINDS, is_active=True).order_by("name"))


@transaction.atomic
def consultation_record(
    *,
    actor: User,
    office: Site | None,
    profile: str,
    topics: Sequence[str],
    channel: str = Channel.WALK_IN,
    held_on: datetime.date | None = None,
    sex: str = "",
    age_group: str = "",
    topic_other: str = "",
    materials: Sequence[str] = (),
    services: Sequence[Service] = (),
    person: Person | None = None,
    note: str = "",
) -> Consultation:
    """Log one consultation; every problem is reported at once."""
    require(actor, "window.record")
    if office is not None and office.agency_id != actor.agency_id:
        raise PermissionDenied
    if person is not None and person.agency_id != actor.agency_id:
        raise PermissionDenied  # (the page finds people through the registry's scope)
    today = timezone.localdate()
    held_on = held_on or today
    topics = [t for t in dict.fromkeys(topics) if t in Topic.values]
    errors: dict[str, str] = {}
    if office is None or office.kind not in OFFICE_KINDS:
        errors["office"] = _("Choose the information office where the consultation took place.")
    if channel not in Channel.values:
        errors["channel"] = _("Choose how the person reached the office.")
    if profile not in Profile.values:
        errors["profile"] = _("Say who asks: someone thinking of migrating, a returnee, a family member or another person.")
    if not topics:
        errors["topics"] = _("Tick at least one topic.")
    if Topic.OTHER in topics and not topic_other.strip():
        errors["topic_other"] = _("Say which other topic.")
    if sex not in Consultation.Sex.values:
        errors["sex"] = _("Choose from the list.")
    if age_group not in AgeGroup.values:
        errors["age_group"] = _("Choose from the list.")
    if held_on > today or held_on < today - datetime.timedelta(days=LATE_DAYS):
        errors["held_on"] = _("The date must be between a month ago and today.")
    if any(service.provider.country_id != actor.agency.country_id for service in services if actor.agency):
        errors["services"] = _("Choose services of this country.")
    if errors or office is None:
        raise ValidationError(errors)
    consultation = Consultation.objects.create(
        agency=office.agency,
        office=office,
        held_on=held_on,
        channel=channel,
        person=person,
        sex=sex,
        age_group=age_group,
        profile=profile,
        topics=topics,
        topic_other=topic_other.strip()[:200] if Topic.OTHER in topics else "",
        materials=[m for m in dict.fromkeys(materials) if m in Material.values],
        note=" ".join(note.split())[:300],
        recorded_by=actor,
    )
    consultation.services.set(list(services))
    if person is not None:
        audit_log(actor=actor, action="update", object_type="person", object_id=person.public_id, fields=["consultation"])
    return consultation
