"""Record linkage: normalisation properties, known hard pairs, access and the CSV interface."""

from __future__ import annotations

import csv
import datetime
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from retorno.core.models import AdminArea, AuditEvent, Country, User
from retorno.core.tests.factories import person_data
from retorno.core.text import fold
from retorno.registry import services
from retorno.registry.linkage.csvio import COLUMNS
from retorno.registry.linkage.normalize import equivalences, normalize_given, normalize_surname
from retorno.registry.linkage.phonetic import phonetic
from retorno.registry.linkage.records import Record, prepare
from retorno.registry.matching import (
    active_scorer,
    candidates_for,
    person_record,
    registry_prepared,
    registry_rows,
)
from retorno.registry.models import Person

names = st.text(alphabet="abcdefghijklmnñopqrstuvwxyzáéíóúüÁÉÍÓÚÑ .-'", max_size=40)


@given(names)
def test_normalising_twice_changes_nothing(text: str) -> None:
    assert normalize_given(normalize_given(text)) == normalize_given(text)
    assert normalize_surname(normalize_surname(text)) == normalize_surname(text)


@given(names)
def test_normalising_ignores_accents_and_case(text: str) -> None:
    assert normalize_given(text.upper()) == normalize_given(fold(text))
    assert normalize_surname(text.upper()) == normalize_surname(fold(text))


def test_every_canonical_name_is_its_own_canonical_form() -> None:
    table = equivalences()
    for canonical in {word for words in table.values() for word in words}:
        assert canonical not in table or table[canonical] == (canonical,), canonical


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Ma. de los Ángeles", "maria angeles"),
        ("MARIA DE LOS ANGELES", "maria angeles"),
        ("Fco. Javier", "francisco javier"),
        ("Chepe", "jose"),
        ("José-Luis", "jose luis"),
    ],
)
def test_given_names_fold_abbreviations_nicknames_and_particles(typed: str, expected: str) -> None:
    assert normalize_given(typed) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Hernández", "Hernandes"),
        ("Hernández", "Ernandez"),
        ("González", "Gonsalez"),
        ("Quintanilla", "Kintaniya"),
        ("Vásquez", "Bazquez"),
        ("Chávez", "Chaves"),
    ],
)
def test_spellings_that_sound_alike_share_a_phonetic_key(a: str, b: str) -> None:
    assert phonetic(a) == phonetic(b)


def _decision(a: Record, b: Record) -> str:
    scorer = active_scorer()
    return scorer.score(prepare(a), prepare(b)).decision(scorer.params.thresholds)


D = datetime.date

HARD_SAME = [
    (
        Record("a", "María de los Ángeles", "Guzmán", "Flores", "F", D(2009, 2, 10)),
        Record("b", "Ma. Angeles", "GUZMAN", "", "F", D(2009, 10, 2)),
    ),
    (
        Record("a", "José Luis", "Hernández", "Ayala", "M", D(1990, 5, 17), document_number="04567890-1"),
        Record("b", "Jose Luis", "Ayala", "Hernandez", "M", D(1990, 5, 17)),
    ),
    (
        Record("a", "José", "Quintanilla", "Bonilla", "M", D(1985, 3, 1), document_number="01234567-8"),
        Record("b", "Chepe", "Kintanilla", "Bonilla", "M", D(1985, 3, 1), document_number="012345678"),
    ),
    (
        Record("a", "Wilmer Antonio", "Ayala", "Quintanilla", "M", D(2008, 5, 1), municipality="La Unión"),
        Record("b", "Wilmer", "Ayala", "Quintanilla", "M", D(2007, 5, 1), municipality="La Unión"),
    ),
]


@pytest.mark.parametrize(("a", "b"), HARD_SAME)
def test_known_hard_pairs_are_the_same_person(db: None, a: Record, b: Record) -> None:
    assert _decision(a, b) == "same"


def test_same_common_name_same_year_same_department_is_not_merged_automatically(db: None) -> None:
    a = Record("a", "José", "Hernández", "López", "M", D(1990, 3, 14), department="San Miguel")
    b = Record("b", "José", "Hernández", "Martínez", "M", D(1990, 11, 2), department="San Miguel")
    assert _decision(a, b) != "same"
    c = Record("c", "José", "Hernández", "", "M", D(1990, 8, 21), department="San Miguel")
    assert _decision(a, c) != "same"


def test_siblings_are_different_people(db: None) -> None:
    a = Record("a", "Kevin Alexander", "Rivas", "Portillo", "M", D(2010, 1, 5), address="Colonia El Carmen 12")
    b = Record("b", "Brenda Yamileth", "Rivas", "Portillo", "F", D(2012, 7, 9), address="Colonia El Carmen 12")
    assert _decision(a, b) == "different"


def test_candidates_show_details_in_scope_and_only_the_institution_outside(
    reception_officer: User, caseworker: User, outsider: User
) -> None:
    sv = Country.objects.get(code="SV")
    person = services.person_create(
        actor=reception_officer,
        **person_data(given_names="María de los Ángeles", first_surname="Guzmán", second_surname="Flores", birth_date=D(2009, 2, 10)),
        documents=[{"kind": "birth_certificate", "number": "778899", "issuing_country": sv}],
    )
    query = Record("q", "Ma. Angeles", "Guzman", "", "F", D(2009, 10, 2))
    mine = candidates_for(user=caseworker, record=query)
    assert [c.person for c in mine] == [person] and mine[0].decision == "same"
    assert {f.field: f.verdict for f in mine[0].fields}["birth_date"] == "similar"
    assert AuditEvent.objects.filter(user=caseworker, action="search", records__contains=f",{person.public_id},").exists()
    theirs = candidates_for(user=outsider, record=query)
    assert len(theirs) == 1 and theirs[0].person is None and theirs[0].agency == "DGME" and theirs[0].fields == ()
    assert not AuditEvent.objects.filter(user=outsider).exists()


def test_blocking_keys_follow_corrections(reception_officer: User, caseworker: User) -> None:
    person = services.person_create(actor=reception_officer, **person_data(first_surname="Hernández"))
    assert person.bk_first == phonetic("Hernández") and person.birth_year == 1994
    services.person_update(actor=reception_officer, person=person, first_surname="Quintanilla", birth_date=D(1995, 3, 12))
    person.refresh_from_db()
    assert person.bk_first == phonetic("Quintanilla") and person.birth_year == 1995
    found = candidates_for(user=caseworker, record=Record("q", "Maria Jose", "Kintanilla", "Nunez", "F", D(1995, 3, 12)))
    assert found and found[0].person == person


@pytest.mark.parametrize(
    "names",
    [
        {"given_names": "Ma. de los Ángeles", "first_surname": "De León", "second_surname": "Pérez y Martínez"},
        {"given_names": "CHEPE", "first_surname": "", "second_surname": "Hernández"},  # one surname, typed in the second box
        {"given_names": "José Francisco", "first_surname": "Quintanilla", "second_surname": ""},
    ],
)
def test_stored_normalised_names_give_the_same_comparison_record(reception_officer: User, names: dict[str, str]) -> None:
    """candidates_for and the duplicate search read the names normalised at registration instead
    of normalising every fetched row: the result must be the record normalising would give."""
    if not names["first_surname"]:
        names = {**names, "first_surname": names["second_surname"], "second_surname": ""}
    sv = Country.objects.get(code="SV")
    document = {"kind": "national_id", "number": "04567890-1", "issuing_country": sv}
    municipality = AdminArea.objects.filter(level=AdminArea.Level.MUNICIPALITY, country=sv).first()
    person = services.person_create(
        actor=reception_officer, **person_data(**names), documents=[document], municipality_of_origin=municipality
    )
    (stored,) = registry_prepared(list(registry_rows(Person.objects.filter(pk=person.pk))))
    assert stored == prepare(person_record(person))


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def test_match_csv_links_two_files_with_the_active_model(db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(
        tmp_path / "a.csv",
        [
            {
                "id": "A1",
                "given_names": "María de los Ángeles",
                "first_surname": "Guzmán",
                "second_surname": "Flores",
                "sex": "F",
                "birth_date": "2009-02-10",
            },
            {
                "id": "A2",
                "given_names": "Pedro",
                "first_surname": "Ramírez",
                "second_surname": "Soto",
                "sex": "M",
                "birth_date": "1980-01-01",
            },
        ],
    )
    _write(
        tmp_path / "b.csv",
        [
            {"id": "B1", "given_names": "Ma. Angeles", "first_surname": "GUZMAN", "sex": "F", "birth_date": "10/02/2009"},
            {
                "id": "B2",
                "given_names": "Brenda",
                "first_surname": "Guzmán",
                "second_surname": "Flores",
                "sex": "F",
                "birth_date": "2012-07-09",
            },
        ],
    )
    call_command(
        "match_csv", "--left", tmp_path / "a.csv", "--right", tmp_path / "b.csv", "--out", tmp_path / "pairs.csv", "--model", "active"
    )
    with open(tmp_path / "pairs.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [(r["left_id"], r["right_id"]) for r in rows] == [("A1", "B1")] and float(rows[0]["score"]) >= 0.95
    assert json.loads(capsys.readouterr().out)["pairs_written"] == 1


def test_match_csv_refuses_a_bad_file_with_the_line(db: None, tmp_path: Path) -> None:
    from django.core.management.base import CommandError

    _write(tmp_path / "a.csv", [{"id": "A1", "given_names": "Ana", "birth_date": "31/02/2009"}])
    with pytest.raises(CommandError, match="line 2"):
        call_command("match_csv", "--left", tmp_path / "a.csv", "--out", tmp_path / "pairs.csv")


def test_batch_comparisons_equal_the_pair_by_pair_ones() -> None:
    """The vectorised comparisons (batch, match_csv) and the scalar ones (candidates_for) agree."""
    import sys

    import numpy as np

    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))
    from generate_registry import generate

    from retorno.registry.linkage.batch import candidate_pairs
    from retorno.registry.linkage.model import random_pairs, vector
    from retorno.registry.linkage.vectorized import comparison_matrix

    rows = generate(3000, seed=7)
    prepared = [
        prepare(
            Record(
                r["id"],
                r["given_names"],
                r["first_surname"],
                r["second_surname"],
                r["sex"],
                D.fromisoformat(r["birth_date"]) if r["birth_date"] else None,
                document_number=r["document_number"],
                municipality=r["municipality"],
                department=r["department"],
                address=r["address"],
            )
        )
        for r in rows
    ]
    blocked, _rules = candidate_pairs(prepared)
    pairs = np.concatenate([blocked, random_pairs(len(prepared), samples=5000)])
    matrix = comparison_matrix(prepared, prepared, pairs)
    mismatches = [(i, j) for (i, j), row in zip(pairs.tolist(), matrix.tolist(), strict=True) if vector(prepared[i], prepared[j]) != row]
    assert len(pairs) > 5000 and mismatches == []


def test_registration_form_shows_possible_matches(reception_officer: User, outsider: User, login: Callable[[User], Client]) -> None:
    person = services.person_create(
        actor=reception_officer,
        **person_data(given_names="María de los Ángeles", first_surname="Guzmán", second_surname="Flores", birth_date=D(2009, 2, 10)),
    )
    query = {"given_names": "Ma. Angeles", "first_surname": "Guzman", "sex": "F", "birth_date": "2009-10-02"}
    page = login(reception_officer).get("/people/new/possible-matches/", query).content.decode()
    assert person.public_id in page and "Muy probablemente la misma persona" in page
    # A caseworker of another institution sees only that a match exists there.
    page = login(outsider).get("/people/new/possible-matches/", query).content.decode()
    assert person.public_id not in page and "DGME" in page and "Guzm" not in page
    assert "Escriba un nombre" in login(reception_officer).get("/people/new/possible-matches/", {"given_names": "Ana"}).content.decode()


def test_train_matcher_stores_an_active_version_used_by_candidates(reception_officer: User) -> None:
    from retorno.registry.models import MatchModel

    for n in range(210):
        services.person_create(
            actor=reception_officer,
            **person_data(
                given_names=f"Persona{n:03d}",
                first_surname=["Ayala", "Rivas", "Mejía"][n % 3],
                birth_date=D(1980 + n % 30, 1 + n % 12, 1 + n % 28),
            ),
        )
    call_command("train_matcher", "--activate", "--same", "0.9")
    model = MatchModel.objects.get(is_active=True)
    assert model.same_threshold == 0.9 and model.parameters["training"]["records"] == 210
    assert active_scorer().params.version == model.version


def test_access_request_granted_lets_only_the_requester_read_the_record(
    reception_officer: User,
    supervisor: User,
    outsider: User,
    coordinator: User,
    login: Callable[[User], Client],
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    person = services.person_create(
        actor=reception_officer,
        **person_data(given_names="María de los Ángeles", first_surname="Guzmán", second_surname="Flores", birth_date=D(2009, 2, 10)),
    )
    found = candidates_for(user=outsider, record=Record("q", "Ma. Angeles", "Guzman", "", "F", D(2009, 10, 2)))
    token = found[0].access_token
    assert token and person.public_id not in token
    client = login(outsider)
    short = client.post("/people/access-requests/new/", {"token": token, "reason": "niña"})
    assert short.status_code == 422 and "al menos 10" in short.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post("/people/access-requests/new/", {"token": token, "reason": "Caso de reintegración abierto en la OIM"})
    assert sent.status_code == 200 and "DGME" in sent.content.decode()
    assert client.get(f"/people/{person.public_id}/").status_code == 404  # not before a supervisor decides
    assert AuditEvent.objects.filter(action="access_request", object_id=person.public_id, user=outsider).exists()
    (mail,) = mailoutbox  # the registering institution's supervisor is told, without the person's name or id
    assert mail.to == [supervisor.email] and outsider.full_name in mail.body and "/people/access-requests/" in mail.body
    assert "Guzmán" not in mail.body + mail.subject and person.public_id not in mail.body + mail.subject
    boss = login(supervisor)
    page = boss.get("/people/access-requests/").content.decode()
    assert "Caso de reintegración" in page and outsider.full_name in page
    from retorno.registry.models import AccessRequest

    pending = AccessRequest.objects.get()
    assert boss.post("/people/access-requests/", {"request": pending.pk, "decision": "grant"}).status_code == 302
    assert client.get(f"/people/{person.public_id}/").status_code == 200
    assert client.get(f"/people/{person.public_id}/edit/").status_code == 403  # read, not change
    assert login(coordinator).get(f"/people/{person.public_id}/").status_code == 404  # only the requester
    assert "Solicitudes de acceso" not in client.get("/").content.decode()  # caseworkers do not decide


def test_a_forged_access_token_is_refused(outsider: User, login: Callable[[User], Client]) -> None:
    response = login(outsider).post("/people/access-requests/new/", {"token": "1:forged", "reason": "Necesito ver este expediente"})
    assert response.status_code == 422 and "ya no es válida" in response.content.decode()
