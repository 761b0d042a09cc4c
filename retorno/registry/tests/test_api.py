from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.test import Client

from config.api import api
from retorno.core.models import AuditEvent, User
from retorno.core.services import api_token_create
from retorno.registry.models import Person

OPENAPI = Path(settings.BASE_DIR) / "docs" / "openapi.json"


def test_openapi_document_matches_the_committed_snapshot() -> None:
    """An API change must be deliberate: regenerate with `make openapi` and commit docs/openapi.json."""
    current = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), sort_keys=True))
    assert current == json.loads(OPENAPI.read_text()), "The API changed: run `make openapi` and review the diff"


def test_openapi_and_docs_are_served(client: Client, db: None) -> None:
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "Retorno API"
    assert client.get("/api/v1/docs").status_code == 200


def test_token_auth_creates_and_reads_a_person(reception_officer: User) -> None:
    _token, clear = api_token_create(user=reception_officer, name="manifest script")
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {clear}"})  # a program: no cookie, no CSRF
    response = client.post(
        "/api/v1/people",
        {
            "given_names": "Wilmer Antonio",
            "first_surname": "Ayala",
            "second_surname": "Quintanilla",
            "sex": "M",
            "birth_date": "2008-05-01",
            "birth_date_precision": "year",
            "nationality": "SV",
            "languages": ["spa", "ppl"],
            "municipality_of_origin": "SV1408",
            "documents": [{"kind": "birth_certificate", "number": "778899", "issuing_country": "SV"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["public_id"].startswith("SV-") and sorted(body["languages"]) == ["ppl", "spa"]
    assert body["municipality_of_origin"] == "SV1408" and body["documents"][0]["number"] == "778899"
    assert AuditEvent.objects.filter(action="create", object_id=body["public_id"], user=reception_officer).exists()
    assert client.get(f"/api/v1/people/{body['public_id']}").status_code == 200


def test_bad_token_and_no_auth_get_the_error_format(client: Client, db: None) -> None:
    response = Client(headers={"Authorization": "Bearer rt_nonsense"}).get("/api/v1/people")
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "errors"} and response.json()["code"] == "unauthenticated"
    assert client.get("/api/v1/me").status_code == 401


def test_browser_session_posts_need_the_csrf_token(reception_officer: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(reception_officer)
    response = client.post("/api/v1/people", {"given_names": "Ana", "first_surname": "Ayala", "sex": "F"}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed" and "recargue la página" in response.json()["message"]


def test_validation_errors_name_the_fields_in_spanish(reception_officer: User, login: Callable[[User], Client]) -> None:
    client = login(reception_officer)
    response = client.post("/api/v1/people", {"given_names": "", "first_surname": "Ayala", "sex": "Z"}, content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and body["message"] == "Algunos valores no son válidos."
    assert {e["field"] for e in body["errors"]} >= {"given_names", "sex"}
    future = client.post(
        "/api/v1/people",
        {"given_names": "Ana", "first_surname": "Ayala", "sex": "F", "birth_date": "2999-01-01"},
        content_type="application/json",
    )
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "birth_date"
    assert not Person.objects.exists()


def test_patch_corrects_and_outsider_cannot(reception_officer: User, outsider: User, login: Callable[[User], Client]) -> None:
    client = login(reception_officer)
    created = client.post(
        "/api/v1/people", {"given_names": "Ana", "first_surname": "Ayala", "sex": "F"}, content_type="application/json"
    ).json()
    url = f"/api/v1/people/{created['public_id']}"
    patched = client.patch(url, {"second_surname": "Rivas", "reason": "DUI presented"}, content_type="application/json")
    assert patched.status_code == 200 and patched.json()["second_surname"] == "Rivas"
    event = AuditEvent.objects.get(action="update", object_id=created["public_id"])
    assert event.fields == ["second_surname"] and event.reason == "DUI presented"
    assert login(outsider).patch(url, {"second_surname": "X"}, content_type="application/json").status_code == 404


def test_me_lists_what_the_role_allows(caseworker: User, login: Callable[[User], Client]) -> None:
    me = login(caseworker).get("/api/v1/me").json()
    assert me["agency"] == "DGME" and "person.view" in me["permissions"] and "config.manage" not in me["permissions"]
