from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from retorno.core.models import Agency, Country, User
from retorno.core.tests.factories import person_data
from retorno.reception import services as reception
from retorno.reception.models import Arrival, ArrivalPerson
from retorno.reception.tests.factories import arrival_make
from retorno.referrals import services
from retorno.referrals.models import RuleVersion, Service
from retorno.registry.models import Person
from retorno.registry.services import person_create

TODAY = timezone.localdate()


@pytest.fixture
def immediate_care(conna: Agency, administrator: User) -> Service:
    """CONNA's reception of unaccompanied children, across the country."""
    return services.service_save(
        actor=administrator,
        provider=conna,
        data={
            "name": "Atención inmediata a la niñez no acompañada",
            "category": "child_protection",
            "max_age": 17,
            "phone": "131",
            "nationwide": True,
        },
        description={"es": "Recibe a toda niña, niño o adolescente retornado sin sus padres."},
    )


@pytest.fixture
def psychosocial_care(oim_sv: Agency, administrator: User) -> Service:
    return services.service_save(
        actor=administrator,
        provider=oim_sv,
        data={"name": "Atención psicosocial", "category": "psychosocial", "phone": "2604-5501", "nationwide": True},
        description={"es": "Primeros auxilios psicológicos y acompañamiento."},
    )


@pytest.fixture
def returned_adult(caseworker: User) -> Person:
    return person_create(actor=caseworker, **person_data())


@pytest.fixture
def uac_rule(immediate_care: Service, administrator: User) -> RuleVersion:
    """The hand-over of unaccompanied children, as a rule of the protocol (switched on)."""
    version = services.rule_version_save(
        actor=administrator,
        country=immediate_care.provider.country,
        name="Niñez no acompañada a CONNA",
        data={
            "vulnerabilities": ["unaccompanied_child"],
            "max_age": 17,
            "service": immediate_care,
            "urgency": "immediate",
            "hours": 2,
            "share": ["phone", "vulnerabilities"],
            "reason": "Niña, niño o adolescente no acompañado: recepción y protección inmediata.",
        },
    )
    return services.rule_switch(actor=administrator, version=version, on=True)


def child_at_desk(officer: User, **person: Any) -> ArrivalPerson:
    """A child who came back alone by bus, at the desk, not screened yet."""
    arrival = arrival_make(officer, returned_from=Country.objects.get(code="MX"), mode=Arrival.Mode.LAND, reference="BUS-0412")
    defaults = {"given_names": "Kevin Alexander", "first_surname": "Ramos", "second_surname": "Guevara", "sex": "M"}
    defaults.update(person)
    defaults.setdefault("birth_date", TODAY.replace(year=TODAY.year - 14, day=1))
    return reception.walk_in_add(actor=officer, arrival=arrival, **defaults)


def screen_alone(officer: User, entry: ArrivalPerson, consent: bool = True) -> None:
    reception.screening_save(
        actor=officer,
        entry=entry,
        vulnerabilities=["unaccompanied_child"],
        phone="7123-4567",
        consent_assistance=True,
        consent_referral=consent,
        consent_method="authority",
    )
