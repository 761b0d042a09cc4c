"""Shared set-up of the case tests: the shipped instruments, the seed projects, a returnee and
an arrival they were screened on."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from retorno.cases import services
from retorno.cases.models import AssistanceType, Case, InstrumentVersion
from retorno.core.models import AdminArea, Agency, User
from retorno.core.tests.factories import person_data
from retorno.programmes.models import Project
from retorno.programmes.services import seed_projects_load
from retorno.reception import services as reception
from retorno.reception.models import ArrivalPerson
from retorno.reception.tests.factories import arrival_make
from retorno.registry.models import Person
from retorno.registry.services import person_create


@pytest.fixture(autouse=True)
def evidence_files(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def instruments(db: Any) -> dict[str, InstrumentVersion]:
    return {v.instrument.code: v for v in services.instruments_seed()}


@pytest.fixture
def rt1066(places: None) -> Project:
    seed_projects_load()
    return Project.objects.get(code="RT.1066")


@pytest.fixture
def la_union() -> AdminArea:
    return AdminArea.objects.filter(level=AdminArea.Level.MUNICIPALITY, country__code="SV", name__icontains="La Unión").first()


@pytest.fixture
def returnee(caseworker: User) -> Person:
    return person_create(actor=caseworker, **person_data())


@pytest.fixture
def screened(reception_officer: User, dgme: Agency, la_union: AdminArea) -> ArrivalPerson:
    """A man returned on yesterday's flight, screened at the desk, who needs a case."""
    arrival = arrival_make(reception_officer, scheduled_at=timezone.now() - datetime.timedelta(days=1), expected_count=1)
    entry = reception.walk_in_add(
        actor=reception_officer,
        arrival=arrival,
        given_names="Carlos Ernesto",
        first_surname="Rivas",
        second_surname="Alvarenga",
        sex="M",
        birth_date=datetime.date(1990, 4, 2),
    )
    reception.screening_save(
        actor=reception_officer,
        entry=entry,
        destination=la_union,
        consent_assistance=True,
        consent_method="verbal",
        case_needed=True,
    )
    entry.refresh_from_db()
    return entry


def answers_all(version: InstrumentVersion, pick: int = 0) -> dict[str, Any]:
    """An answer to every required question: the option at position `pick` (or the last)."""
    answers: dict[str, Any] = {}
    for q in version.definition["questions"]:
        if q["type"] == "select_one":
            options = [o for o in q["options"] if o["score"] is not None]
            answers[q["code"]] = options[min(pick, len(options) - 1)]["code"]
    return answers


def open_case(actor: User, person: Person, **extra: Any) -> Case:
    """A case opened by `actor` (its caseworker unless `caseworker=` says otherwise)."""
    data: dict[str, Any] = {
        "returned_on": timezone.localdate() - datetime.timedelta(days=3),
        "consent_assistance": True,
        "consent_method": "verbal",
        "caseworker": actor,
    }
    data.update(extra)
    return services.case_open(actor=actor, person=person, **data)


def planned_case(
    caseworker: User, supervisor: User, person: Person, versions: dict[str, InstrumentVersion], project: Project, *, days_ago: int = 3
) -> Case:
    """A case assessed, with an income-generating project funded by `project`, approved; the
    return `days_ago` (a plan after more than a month says why)."""
    case = open_case(caseworker, person, returned_on=timezone.localdate() - datetime.timedelta(days=days_ago))
    services.assessment_record(
        actor=caseworker, case=case, version=versions["needs"], answers=answers_all(versions["needs"], 2), done_on=timezone.localdate()
    )
    services.plan_save(
        actor=caseworker,
        case=case,
        goals="Abrir una pupusería en La Unión",
        agreed_with_returnee=True,
        agreed_on=timezone.localdate(),
        delay_reason="Hospitalizado tras el retorno" if days_ago > 28 else "",
    )
    services.assistance_add(
        actor=caseworker,
        case=case,
        kind=AssistanceType.BUSINESS_GRANT,
        due_on=timezone.localdate() + datetime.timedelta(days=20),
        provider_name="Alcaldía de La Unión",
        estimated_cost=Decimal("800.00"),
        project=project,
    )
    services.plan_submit(actor=caseworker, case=case)
    services.plan_decide(actor=supervisor, case=case, approve=True)
    case.refresh_from_db()
    return case
