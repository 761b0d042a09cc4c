"""Test helpers other apps' tests use to bring someone through reception."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from retorno.core.models import Country, Site, User
from retorno.reception import services
from retorno.reception.models import Arrival


def arrival_make(officer: User, **overrides: Any) -> Arrival:
    """An arrival at the officer's reception centre (created if the agency has none), through the
    service: by default today's flight from the United States."""
    site = Site.objects.filter(agency=officer.agency, kind=Site.Kind.RECEPTION_CENTRE).first() or Site.objects.create(
        agency=officer.agency, name="Centro de Atención Integral al Migrante", kind=Site.Kind.RECEPTION_CENTRE
    )
    data: dict[str, Any] = {
        "site": site,
        "returned_from": Country.objects.get(code="US"),
        "mode": Arrival.Mode.AIR,
        "scheduled_at": timezone.now(),
        "reference": "GST-2611",
    }
    data.update(overrides)
    return services.arrival_create(actor=officer, **data)
