"""The protection API: the same rules as the pages, 404 for anyone outside child protection."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from retorno.core.models import AdminArea, AuditEvent, User
from retorno.protection.models import ProtectionCase, TracingMatch
from retorno.reception.models import ChildHandover

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_a_caseworker_without_a_child_protection_role_gets_404_from_the_protection_api(
    handover: ChildHandover, caseworker: User, login: Callable[[User], Client]
) -> None:
    case = ProtectionCase.objects.get()
    client = login(caseworker)
    for url in (
        "/api/v1/protection/cases",
        f"/api/v1/protection/cases/{case.public_id}",
        f"/api/v1/protection/cases/{case.public_id}/location",
    ):
        assert client.get(url).status_code == 404
    refused = client.post(
        f"/api/v1/protection/cases/{case.public_id}/tracing-consent", {"consent": True, "method": "verbal"}, content_type=JSON
    )
    assert refused.status_code == 404
    assert client.get("/api/v1/protection/dashboard").status_code == 404


def test_tracing_through_the_api_from_the_request_to_the_confirmed_match(
    handover: ChildHandover, caseworker: User, child_protection_officer: User, login: Callable[[User], Client]
) -> None:
    case = ProtectionCase.objects.get()
    officer = login(child_protection_officer)
    consent = officer.post(f"/api/v1/protection/cases/{case.public_id}/tracing-consent", {"consent": True}, content_type=JSON)
    assert consent.status_code == 422 and consent.json()["errors"][0]["field"] == "method"
    assert officer.post(
        f"/api/v1/protection/cases/{case.public_id}/tracing-consent", {"consent": True, "method": "authority"}, content_type=JSON
    ).json()["tracing_consent"]
    usulutan = AdminArea.objects.get(level=AdminArea.Level.MUNICIPALITY, name="Usulután", country__code="SV")
    created = login(caseworker).post(
        "/api/v1/tracing",
        {
            "inquirer_name": "Marta Alicia Guevara de Ramos",
            "inquirer_relationship": "mother",
            "inquirer_phone": "7012-3456",
            "inquirer_municipality": usulutan.pcode,
            "sought": [{"given_names": "Kevin", "first_surname": "Ramos", "second_surname": "Guevara", "sex": "M", "age": 14}],
        },
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    public_id = created.json()["public_id"]
    detail = officer.get(f"/api/v1/protection/cases/{case.public_id}").json()
    assert "place" not in str(detail["care"]) and detail["matches"][0]["request"] == public_id
    match_id = detail["matches"][0]["id"]
    explained = officer.get(f"/api/v1/protection/matches/{match_id}").json()
    assert {f["field"] for f in explained["fields"]} >= {"given_names", "first_surname"}
    decided = officer.post(f"/api/v1/protection/matches/{match_id}/decision", {"confirm": True}, content_type=JSON)
    assert decided.json()["status"] == "confirmed" and TracingMatch.objects.get().status == "confirmed"
    mine = login(caseworker).get(f"/api/v1/tracing/{public_id}").json()
    assert mine["status"] == "found" and mine["sought"][0]["found"] is True and "case" not in mine["sought"][0]
    location = officer.get(f"/api/v1/protection/cases/{case.public_id}/location")
    assert location.status_code == 200
    assert any("location" in e.fields for e in AuditEvent.objects.filter(object_id=case.public_id, user=child_protection_officer))
