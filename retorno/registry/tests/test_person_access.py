"""Scope and audit: the rules a data-protection officer would check by hand."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

import pytest
from django.test import Client

from retorno.core.models import AuditEvent, Country, User
from retorno.core.tests.factories import person_data
from retorno.registry import services
from retorno.registry.models import Person


@pytest.fixture
def maria(reception_officer: User) -> Person:
    return services.person_create(actor=reception_officer, **person_data())


def test_public_id_is_country_year_and_sequence(maria: Person, reception_officer: User) -> None:
    year = datetime.date.today().year
    assert re.fullmatch(rf"SV-{year}-\d{{6}}", maria.public_id)
    second = services.person_create(actor=reception_officer, **person_data(given_names="Juan Carlos"))
    assert int(second.public_id[-6:]) == int(maria.public_id[-6:]) + 1


def test_outsider_gets_404_on_page_and_api_and_never_finds_the_person(
    maria: Person, outsider: User, login: Callable[[User], Client]
) -> None:
    client = login(outsider)
    assert client.get(f"/people/{maria.public_id}/").status_code == 404
    assert client.get(f"/people/{maria.public_id}/edit/").status_code == 404
    api = client.get(f"/api/v1/people/{maria.public_id}")
    assert api.status_code == 404 and api.json()["code"] == "not_found"
    for query in ("Hernandez", "maría josé", maria.public_id):
        assert f"/people/{maria.public_id}/" not in client.get("/people/", {"q": query}).content.decode()
        assert client.get("/api/v1/people", {"q": query}).json() == []
    assert not AuditEvent.objects.filter(object_id=maria.public_id, user=outsider).exists()


def test_coordinator_sees_no_records(maria: Person, coordinator: User, login: Callable[[User], Client]) -> None:
    client = login(coordinator)
    assert client.get(f"/people/{maria.public_id}/").status_code == 404
    assert client.get("/people/").status_code == 404
    assert client.get("/api/v1/people").json() == []


def test_viewing_a_person_adds_exactly_one_audit_event(maria: Person, caseworker: User, login: Callable[[User], Client]) -> None:
    client = login(caseworker)
    before = AuditEvent.objects.count()
    response = client.get(f"/people/{maria.public_id}/")
    assert response.status_code == 200 and "María José Hernández Núñez" in response.content.decode()
    new = list(AuditEvent.objects.order_by("id")[before:])
    assert len(new) == 1
    event = new[0]
    assert (event.user, event.action, event.object_type, event.object_id) == (caseworker, "view", "person", maria.public_id)
    assert event.ip == "127.0.0.1"


def test_api_read_is_audited_too(maria: Person, caseworker: User, login: Callable[[User], Client]) -> None:
    response = login(caseworker).get(f"/api/v1/people/{maria.public_id}")
    assert response.status_code == 200 and response.json()["first_surname"] == "Hernández"
    assert AuditEvent.objects.filter(action="view", object_id=maria.public_id, user=caseworker).count() == 1


def test_search_ignores_accents_case_and_word_order(maria: Person, caseworker: User, login: Callable[[User], Client]) -> None:
    client = login(caseworker)
    for query in ("hernandez", "NUÑEZ maria", "Maria Jose Hernandez Nunez", maria.public_id.lower()):
        assert maria.public_id in client.get("/people/", {"q": query}).content.decode(), query
    assert maria.public_id not in client.get("/people/", {"q": "Hernández López"}).content.decode()


def test_search_finds_document_numbers_whatever_the_separators(
    reception_officer: User, caseworker: User, login: Callable[[User], Client]
) -> None:
    sv = Country.objects.get(code="SV")
    person = services.person_create(
        actor=reception_officer,
        **person_data(),
        documents=[{"kind": "national_id", "number": "04567890-1", "issuing_country": sv}],
    )
    assert person.public_id in login(caseworker).get("/people/", {"q": "045678901"}).content.decode()


def test_search_results_are_audited_without_the_words_searched(maria: Person, caseworker: User, login: Callable[[User], Client]) -> None:
    login(caseworker).get("/people/", {"q": "Hernández"})
    event = AuditEvent.objects.get(action="search", user=caseworker)
    assert event.records == f",{maria.public_id}," and "Hern" not in event.reason + event.records


def test_people_list_pages_through_every_result(reception_officer: User, caseworker: User, login: Callable[[User], Client]) -> None:
    for i in range(53):
        services.person_create(actor=reception_officer, **person_data(given_names=f"Ana {i:02d}", first_surname="Pérez"))
    client = login(caseworker)
    first = client.get("/people/", {"q": "perez"}).content.decode()
    assert "Personas 1–50 de 53" in first and first.count("/people/SV-") == 50
    second = client.get("/people/", {"q": "perez", "offset": 50}).content.decode()
    assert "Personas 51–53 de 53" in second and second.count("/people/SV-") == 3
    api = client.get("/api/v1/people", {"q": "perez", "limit": 20, "offset": 40})
    assert len(api.json()) == 13 and api["X-Total-Count"] == "53"


def test_htmx_search_returns_only_the_rows(maria: Person, caseworker: User, login: Callable[[User], Client]) -> None:
    response = login(caseworker).get("/people/", {"q": "hernandez"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body and maria.public_id in body


def test_register_a_person_through_the_page(reception_officer: User, login: Callable[[User], Client]) -> None:
    client = login(reception_officer)
    sv = Country.objects.get(code="SV")
    response = client.post(
        "/people/new/",
        {
            "given_names": " Ma. de los Ángeles ",
            "first_surname": "Guzmán",
            "second_surname": "",
            "sex": "F",
            "birth_date": "2009-02-10",
            "birth_date_precision": "day",
            "nationality": sv.pk,
            "doc-kind": "birth_certificate",
            "doc-number": "123456",
            "doc-issuing_country": sv.pk,
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(first_surname="Guzmán")
    assert person.given_names == "Ma. de los Ángeles" and person.documents.count() == 1
    event = AuditEvent.objects.get(action="create", object_id=person.public_id)
    assert "given_names" in event.fields and "documents" in event.fields
    assert "Guzmán" not in str(event.fields) + event.reason  # names of fields, never values


def test_bad_input_gets_a_translated_error_and_saves_nothing(reception_officer: User, login: Callable[[User], Client]) -> None:
    client = login(reception_officer)
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    response = client.post(
        "/people/new/",
        {"given_names": "Pedro", "first_surname": "Ramírez", "sex": "M", "birth_date": future, "birth_date_precision": "day"},
    )
    assert response.status_code == 200
    assert "está en el futuro" in response.content.decode()
    assert not Person.objects.exists()


def test_correction_audits_changed_field_names_only(maria: Person, caseworker: User, login: Callable[[User], Client]) -> None:
    client = login(caseworker)
    data = {
        "given_names": maria.given_names,
        "first_surname": maria.first_surname,
        "second_surname": "Núñez de Arco",
        "known_as": "",
        "sex": "F",
        "birth_date": "1994-03-12",
        "birth_date_precision": "day",
    }
    assert client.post(f"/people/{maria.public_id}/edit/", data).status_code == 302
    event = AuditEvent.objects.get(action="update", object_id=maria.public_id)
    assert event.fields == ["second_surname"]
    maria.refresh_from_db()
    assert maria.second_surname == "Núñez de Arco" and "nunez de arco" in maria.search_name


def test_psychosocial_specialist_reads_but_cannot_correct(maria: Person, psychosocial: User, login: Callable[[User], Client]) -> None:
    client = login(psychosocial)
    assert client.get(f"/people/{maria.public_id}/").status_code == 200
    assert client.get(f"/people/{maria.public_id}/edit/").status_code == 403


def test_access_log_shows_who_read_the_record_to_supervisors_only(
    maria: Person, caseworker: User, supervisor: User, login: Callable[[User], Client]
) -> None:
    login(caseworker).get(f"/people/{maria.public_id}/")
    login(caseworker).get("/people/", {"q": "hernandez"})
    page = login(supervisor).get(f"/people/{maria.public_id}/").content.decode()
    assert "Quién accedió a este registro" in page and caseworker.email in page
    assert "1 registro listado" in page  # the search that showed her name counts as an access
    assert "Quién accedió a este registro" not in login(caseworker).get(f"/people/{maria.public_id}/").content.decode()


@pytest.mark.parametrize(
    ("country", "number", "valid"),
    [
        ("SV", "04567890-1", True),
        ("SV", "abc", False),
        ("SV", "4567890", False),
        ("HN", "0801-1990-12345", True),
        ("GT", "1234 56789 0101", True),
        ("GT", "12345", False),
        ("CO", "1023456789", True),
    ],
)
def test_national_id_numbers_follow_the_country_format(reception_officer: User, country: str, number: str, valid: bool) -> None:
    from django.core.exceptions import ValidationError

    issuing = Country.objects.get(code=country)
    document = {"kind": "national_id", "number": number, "issuing_country": issuing}
    if valid:
        assert services.person_create(actor=reception_officer, **person_data(), documents=[document]).documents.count() == 1
    else:
        with pytest.raises(ValidationError, match="se escribe como"):
            services.person_create(actor=reception_officer, **person_data(), documents=[document])
        assert not Person.objects.exists()


def test_several_people_registered_at_once_get_ids_documents_and_one_audit_event(reception_officer: User) -> None:
    from django.core.exceptions import ValidationError

    sv = Country.objects.get(code="SV")
    people = services.person_create_many(
        actor=reception_officer,
        people=[
            person_data(documents=[{"kind": "national_id", "number": "01234567-8", "issuing_country": sv}]),
            person_data(given_names="Wilber Antonio", first_surname="Ayala", sex="M"),
        ],
        reason="SV-2026-L-000001",
    )
    assert [p.public_id for p in people] == [p.public_id for p in Person.objects.order_by("pk")]
    assert people[0].documents.get().number_normalized == "012345678"
    event = AuditEvent.objects.get(action="create", object_type="person", object_id="")
    assert event.records == f",{people[0].public_id},{people[1].public_id},"
    with pytest.raises(ValidationError):
        services.person_create_many(
            actor=reception_officer, people=[person_data(documents=[{"kind": "national_id", "number": "123", "issuing_country": sv}])]
        )
    assert Person.objects.count() == 2
