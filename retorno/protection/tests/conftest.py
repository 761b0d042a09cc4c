from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from retorno.core.models import Agency, Country, User
from retorno.reception import services as reception
from retorno.reception.models import Arrival, ChildHandover
from retorno.reception.tests.factories import arrival_make

TODAY = timezone.localdate()


def hand_over(officer: User, hours_ago: int = 80, **person: Any) -> ChildHandover:
    """A child who came back alone by bus, screened and handed over to child protection."""
    arrival = arrival_make(
        officer,
        returned_from=Country.objects.get(code="MX"),
        mode=Arrival.Mode.LAND,
        reference=f"BUS-{person['given_names'][:3].upper()}",
        scheduled_at=timezone.now() - datetime.timedelta(hours=hours_ago + 2),
    )
    child = reception.walk_in_add(actor=officer, arrival=arrival, **person)
    if child.person is None:  # a look-alike in the registry: the officer sees it is someone else
        child = reception.entry_identity(actor=officer, entry=child, same=False)
    reception.screening_save(
        actor=officer, entry=child, vulnerabilities=["unaccompanied_child"], consent_assistance=True, consent_method="authority"
    )
    return reception.handover_record(
        actor=officer,
        entry=child,
        receiving_officer="María de los Ángeles Guzmán",
        handed_over_at=timezone.now() - datetime.timedelta(hours=hours_ago),
    )


@pytest.fixture
def handover(reception_officer: User, dgme: Agency, conna: Agency) -> ChildHandover:
    return hand_over(
        reception_officer,
        given_names="Kevin Alexander",
        first_surname="Ramos",
        second_surname="Guevara",
        sex="M",
        birth_date=TODAY.replace(year=TODAY.year - 14),
    )
