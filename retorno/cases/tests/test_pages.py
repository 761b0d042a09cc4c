"""Case pages and API: what each role sees, confidentiality on every path, and a fixed number
of queries on the list and the case page."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from retorno.cases import services
from retorno.cases.models import Case, InstrumentVersion
from retorno.cases.tests.conftest import answers_all, open_case, planned_case
from retorno.cases.tests.test_services import receipt
from retorno.core.models import User
from retorno.core.tests.factories import person_data
from retorno.programmes.models import Project
from retorno.reception.models import ArrivalPerson
from retorno.registry.models import Person
from retorno.registry.services import person_create

TODAY = timezone.localdate()
SECRET = "Relata amenazas de la pandilla del barrio"


@pytest.fixture
def busy_case(
    caseworker: User, supervisor: User, psychosocial: User, returnee: Person, instruments: dict[str, InstrumentVersion], rt1066: Project
) -> Case:
    case = planned_case(caseworker, supervisor, returnee, instruments, rt1066)
    services.note_add(actor=caseworker, case=case, text="Visita al hogar: la familia lo apoya")
    services.note_add(actor=supervisor, case=case, text="Revisar en comité", confidentiality="supervisor")
    services.note_add(actor=psychosocial, case=case, text=SECRET, confidentiality="psychosocial")
    services.session_record(actor=psychosocial, case=case, kind="individual", held_on=TODAY, notes="Sesión de contención: " + SECRET)
    return case


def test_a_psychosocial_note_is_invisible_to_the_caseworker_on_the_page_the_api_and_the_summary(
    busy_case: Case, caseworker: User, psychosocial: User, login: Callable[[User], Client]
) -> None:
    client = login(caseworker)
    urls = [f"/cases/{busy_case.public_id}/", f"/cases/{busy_case.public_id}/summary/"]
    for url in urls:
        page = client.get(url).content.decode()
        assert "Visita al hogar" in page and SECRET not in page and "Revisar en comité" not in page
    api = client.get(f"/api/v1/cases/{busy_case.public_id}").json()
    assert [n["text"] for n in api["notes"]] == ["Visita al hogar: la familia lo apoya"] and api["sessions"] == []
    assert SECRET not in json.dumps(api, ensure_ascii=False)
    assert [n["confidentiality"] for n in client.get(f"/api/v1/cases/{busy_case.public_id}/notes").json()] == ["general"]
    assert client.get(f"/api/v1/cases/{busy_case.public_id}/sessions").json() == []
    # Writing one is refused too.
    refused = client.post(
        f"/api/v1/cases/{busy_case.public_id}/notes", {"text": "x", "confidentiality": "psychosocial"}, content_type="application/json"
    )
    assert refused.status_code == 403
    # The psychosocial specialist reads it everywhere.
    specialist = login(psychosocial)
    assert SECRET in specialist.get(urls[0]).content.decode() and SECRET in specialist.get(urls[1]).content.decode()
    assert len(specialist.get(f"/api/v1/cases/{busy_case.public_id}").json()["sessions"]) == 1


def test_outsiders_get_404_on_every_case_path(
    busy_case: Case, outsider: User, reception_officer: User, login: Callable[[User], Client]
) -> None:
    for user in (outsider, reception_officer):
        client = login(user)
        for url in (f"/cases/{busy_case.public_id}/", f"/cases/{busy_case.public_id}/summary/", f"/api/v1/cases/{busy_case.public_id}"):
            assert client.get(url).status_code == 404, (user.email, url)
        assert client.post(f"/cases/{busy_case.public_id}/notes/", {"text": "x", "confidentiality": "general"}).status_code == 404
    assert login(outsider).get("/api/v1/cases").json()["total"] == 0


def test_the_case_list_filters_by_stage_risk_department_and_me(caseworker: User, supervisor: User, login: Callable[[User], Client]) -> None:
    first = open_case(caseworker, person_create(actor=caseworker, **person_data()), risk="high")
    other = person_create(actor=caseworker, **person_data(given_names="Juan Carlos", first_surname="Mejía"))
    second = open_case(supervisor, other, caseworker=None)
    client = login(caseworker)
    assert client.get("/cases/?risk=high").context["result"].cases == [first]
    assert client.get("/cases/?mine=on").context["result"].cases == [first]
    assert client.get("/cases/?q=mejia").context["result"].cases == [second]
    assert client.get("/cases/?stage=plan").context["result"].total == 0
    assert client.get("/cases/?stage=assessment").context["result"].total == 2
    api = client.get("/api/v1/cases?risk=high").json()
    assert [c["public_id"] for c in api["items"]] == [first.public_id]


def _queries(client: Client, url: str) -> int:
    client.get(url)  # the session's first request reads more (login bookkeeping); count the next
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_and_the_case_page_read_a_fixed_number_of_queries(
    busy_case: Case,
    caseworker: User,
    supervisor: User,
    instruments: dict[str, InstrumentVersion],
    rt1066: Project,
    login: Callable[[User], Client],
) -> None:
    client = login(supervisor)
    page_before = _queries(client, f"/cases/{busy_case.public_id}/")
    list_before = _queries(client, "/cases/")
    api_before = _queries(client, f"/api/v1/cases/{busy_case.public_id}")
    # More of everything: assistance with evidence, assessments, notes, members, more cases.
    for n in range(4):
        item = services.assistance_add(
            actor=caseworker, case=busy_case, kind="in_kind", due_on=TODAY, provider_name=f"Tienda {n}", project=rt1066
        )
        services.assistance_approve(actor=supervisor, item=item)
        services.assistance_deliver(
            actor=caseworker, item=item, delivered_on=TODAY, actual_cost=Decimal(10), evidence=[(receipt(), "receipt")]
        )
        services.assessment_record(
            actor=caseworker, case=busy_case, version=instruments["rss"], answers=answers_all(instruments["rss"]), done_on=TODAY
        )
        services.note_add(actor=caseworker, case=busy_case, text=f"Nota {n}")
        member = person_create(actor=caseworker, **person_data(given_names=f"Hijo {n}", birth_date=datetime.date(2015, 1, n + 1)))
        services.case_member_add(actor=caseworker, case=busy_case, person=member, relationship="child")
        open_case(caseworker, person_create(actor=caseworker, **person_data(given_names=f"Otra {n}", first_surname="Pérez")))
    assert _queries(client, f"/cases/{busy_case.public_id}/") == page_before
    assert _queries(client, "/cases/") == list_before
    assert _queries(client, f"/api/v1/cases/{busy_case.public_id}") == api_before


def test_open_from_the_desk_then_assess_plan_and_approve_through_the_pages(
    screened: ArrivalPerson,
    caseworker: User,
    supervisor: User,
    instruments: dict[str, InstrumentVersion],
    rt1066: Project,
    login: Callable[[User], Client],
) -> None:
    client = login(caseworker)
    listing = client.get("/cases/").content.decode()
    assert "Carlos Ernesto Rivas Alvarenga" in listing
    response = client.post(f"/cases/from-arrival/{screened.pk}/")
    case = Case.objects.get()
    assert response.url == f"/cases/{case.public_id}/"
    needs = instruments["needs"]
    # An unanswered question is refused with the reason next to it; nothing is stored.
    refused = client.post(f"/cases/{case.public_id}/assess/{needs.pk}/", {"done_on": TODAY.isoformat()})
    assert refused.status_code == 400 and not case.assessments.exists()
    answers = answers_all(needs, 2) | {"done_on": TODAY.isoformat()}
    assert client.post(f"/cases/{case.public_id}/assess/{needs.pk}/", answers).status_code == 302
    assert case.assessments.get().scores == {"economic": 1.0, "social": 1.0, "psychosocial": 1.0}
    client.post(
        f"/cases/{case.public_id}/plan/", {"goals": "Taller de costura", "agreed_with_returnee": "on", "agreed_on": TODAY.isoformat()}
    )
    client.post(
        f"/cases/{case.public_id}/assistance/new/",
        {
            "kind": "business_grant",
            "provider_name": "Alcaldía",
            "estimated_cost": "650",
            "currency": "USD",
            "project": rt1066.pk,
            "due_on": TODAY.isoformat(),
        },
    )
    client.post(f"/cases/{case.public_id}/plan/submit/")
    assert login(supervisor).post(f"/cases/{case.public_id}/plan/decide/", {"approve": "yes"}).status_code == 302
    case.refresh_from_db()
    assert case.stage == Case.Stage.ASSISTANCE and case.plan.approved_by == supervisor
    # The caseworker cannot approve: the page answers 404, nothing changes.
    assert client.post(f"/cases/{case.public_id}/plan/decide/", {"approve": "yes"}).status_code == 404


def test_evidence_is_served_only_to_those_who_see_the_case(
    busy_case: Case, caseworker: User, outsider: User, login: Callable[[User], Client]
) -> None:
    item = busy_case.assistance.get()
    services.assistance_deliver(
        actor=caseworker, item=item, delivered_on=TODAY, actual_cost=Decimal(800), evidence=[(receipt(), "receipt")]
    )
    evidence = item.evidence.get()
    url = f"/cases/{busy_case.public_id}/evidence/{evidence.pk}/"
    response = login(caseworker).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Cache-Control"] == "private, no-store"
    assert login(outsider).get(url).status_code == 404
    api_url = f"/api/v1/cases/{busy_case.public_id}/evidence/{evidence.pk}"
    assert b"".join(login(caseworker).get(api_url).streaming_content).startswith(b"%PDF")
    assert login(outsider).get(api_url).status_code == 404
