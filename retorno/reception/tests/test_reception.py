"""A flight arrives: manifest import, linking, the desk, screening, hand-over, assistance, closing."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from retorno.core.models import Agency, AuditEvent, Country, Site, User
from retorno.core.tests.factories import person_data
from retorno.reception import selectors, services
from retorno.reception.models import Arrival, ArrivalPerson, AssistanceGiven, ManifestImport
from retorno.reception.signals import screening_recorded
from retorno.registry.models import Person
from retorno.registry.services import person_create

HEADER = "Nombres;Primer apellido;Segundo apellido;Fecha de nacimiento;Sexo;No. documento;Nacionalidad;Menor no acompañado\n"
TODAY = timezone.localdate()
GOOD = (
    HEADER + f"José Ángel;Peña;Núñez;03/02/{TODAY.year - 15};M;;SV;Sí\n"
    "María José;Hernández;Núñez;12/03/1994;F;01234567-8;SV;no\n"
    "Rosa;Cañas;Portillo;15/06/1950;F;;SV;\n"
    f"Luis;Ramírez;;01/01/{TODAY.year - 2};M;;SV;no\n"
)


@pytest.fixture
def site(dgme: Agency) -> Site:
    return Site.objects.create(agency=dgme, name="Centro de Atención Integral al Migrante", kind=Site.Kind.RECEPTION_CENTRE)


@pytest.fixture
def arrival(reception_officer: User, site: Site) -> Arrival:
    return services.arrival_create(
        actor=reception_officer,
        site=site,
        returned_from=Country.objects.get(code="US"),
        mode=Arrival.Mode.AIR,
        scheduled_at=timezone.now(),
        carrier="ICE Air",
        reference="GST-1234",
        expected_count=4,
    )


def _import(actor: User, arrival: Arrival, content: str, valid_only: bool = False, encoding: str = "utf-8") -> ManifestImport:
    imp = services.manifest_check(actor=actor, arrival=arrival, filename="manifiesto.csv", content=content.encode(encoding))
    return services.manifest_import_start(actor=actor, imp=imp, valid_only=valid_only)


def test_a_file_with_two_bad_rows_is_refused_whole_and_saves_nothing(reception_officer: User, arrival: Arrival) -> None:
    bad = GOOD + "Ana;López;;31/02/2009;F;;SV;no\n" + "Pedro;;;01/01/1990;M;;SV;no\n"
    people_before = Person.objects.count()
    imp = services.manifest_check(actor=reception_officer, arrival=arrival, filename="m.csv", content=bad.encode())
    assert (imp.rows_total, imp.rows_bad) == (6, 2)
    assert services.rows_report(imp.errors) == ["Fila 6: la fecha de nacimiento 31/02/2009 no existe", "Fila 7: falta el apellido"]
    with pytest.raises(ValidationError, match="Nada se importó"):
        services.manifest_import_start(actor=reception_officer, imp=imp)
    assert arrival.people.count() == 0 and Person.objects.count() == people_before
    # The user chooses to keep the valid rows: four are saved, the report stays.
    imp = services.manifest_import_start(actor=reception_officer, imp=imp, valid_only=True)
    assert imp.status == ManifestImport.Status.DONE and imp.created == 4
    assert arrival.people.count() == 4 and len(imp.errors) == 2


def test_reimporting_the_same_manifest_creates_nothing_twice(reception_officer: User, arrival: Arrival) -> None:
    first = _import(reception_officer, arrival, GOOD)
    assert (first.created, first.linked, first.skipped) == (4, 0, 0)
    people = Person.objects.count()
    # The same people again, saved by Excel in Windows-1252 with trailing spaces and a blank line.
    again = _import(reception_officer, arrival, GOOD.replace("Núñez;", "Núñez ;") + "\n", encoding="cp1252")
    assert (again.created, again.linked, again.skipped) == (0, 0, 4)
    assert arrival.people.count() == 4 and Person.objects.count() == people


def test_rows_are_linked_to_known_people_and_repeat_returnees_flagged(reception_officer: User, arrival: Arrival, site: Site) -> None:
    known = person_create(
        actor=reception_officer,
        documents=[{"kind": "national_id", "number": "01234567-8", "issuing_country": Country.objects.get(code="SV")}],
        **person_data(),
    )
    earlier = services.arrival_create(
        actor=reception_officer,
        site=site,
        returned_from=Country.objects.get(code="MX"),
        mode=Arrival.Mode.LAND,
        scheduled_at=timezone.now() - datetime.timedelta(days=90),
    )
    ArrivalPerson.objects.create(
        arrival=earlier, row_key="x", given_names="María José", first_surname="Hernández", person=known, presence="present"
    )
    imp = _import(reception_officer, arrival, GOOD)
    assert (imp.linked, imp.created) == (1, 3)
    entry = arrival.people.get(person=known)
    assert entry.match == ArrivalPerson.Match.LINKED
    assert entry.is_repeat and entry.previous_returns == [timezone.localdate(earlier.scheduled_at).isoformat()]
    assert AuditEvent.objects.filter(
        action="create", object_type="arrival", object_id=arrival.public_id, records__contains=known.public_id
    ).exists()


def test_a_possible_match_waits_for_the_desk(reception_officer: User, arrival: Arrival) -> None:
    known = person_create(actor=reception_officer, **person_data())
    # Same given names, surname and birth date; another second surname: the matcher is unsure.
    imp = _import(reception_officer, arrival, HEADER + "Maria Jose;Hernandez;López;12/03/1994;F;;SV;no\n")
    assert imp.possible == 1
    entry = arrival.people.get()
    assert (entry.person, entry.candidate) == (None, known)
    services.entry_identity(actor=reception_officer, entry=entry, same=True)
    assert entry.person == known and entry.match == ArrivalPerson.Match.LINKED and entry.identity_confirmed


def test_desk_search_ignores_accents_case_and_word_order(reception_officer: User, arrival: Arrival) -> None:
    _import(reception_officer, arrival, GOOD)
    found = selectors.arrival_people(user=reception_officer, arrival=arrival, query="nunez PENA")
    assert [e.full_name for e in found] == ["José Ángel Peña Núñez"]
    assert [e.full_name for e in selectors.arrival_people(user=reception_officer, arrival=arrival, query="jose")] == [
        "María José Hernández Núñez",
        "José Ángel Peña Núñez",
    ]
    assert len(selectors.arrival_people(user=reception_officer, arrival=arrival, status="children")) == 2


def test_screening_rules_medical_attention_and_the_child_alone(
    reception_officer: User, arrival: Arrival, conna: Agency, django_capture_on_commit_callbacks: Any
) -> None:
    _import(reception_officer, arrival, GOOD)
    toddler, mother = arrival.people.get(given_names="Luis"), arrival.people.get(given_names="María José")
    with pytest.raises(ValidationError) as refused:
        services.screening_save(actor=reception_officer, entry=toddler, vulnerabilities=[])
    # Alone, the toddler is an unaccompanied child; and a child under 4 sees a doctor.
    assert set(refused.value.error_dict) == {"medical_skip_reason", "vulnerabilities"}
    with pytest.raises(ValidationError, match="presente"):
        services.family_link(actor=reception_officer, entry=toddler, adult=mother, relationship="madre")  # she must be here
    services.entry_presence(actor=reception_officer, entry=mother, presence="present")
    services.family_link(actor=reception_officer, entry=toddler, adult=mother, relationship="madre")
    services.screening_save(actor=reception_officer, entry=toddler, medical_given=True)
    assert toddler.assistance.filter(kind=AssistanceGiven.Kind.MEDICAL).exists()

    child = arrival.people.get(given_names="José Ángel")
    assert "unaccompanied_child" in services.suggested_vulnerabilities(child)
    heard: list[Any] = []
    screening_recorded.connect(lambda sender, entry, **kw: heard.append(entry.pk), weak=False, dispatch_uid="test")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.screening_save(
                actor=reception_officer,
                entry=child,
                vulnerabilities=["unaccompanied_child"],
                phone="7123-4567",
                consent_assistance=True,
                consent_method="authority",
            )
    finally:
        screening_recorded.disconnect(dispatch_uid="test")
    assert heard == [child.pk]
    with pytest.raises(ValidationError, match="entregar|Entregue"):
        services.arrival_close(actor=reception_officer, arrival=arrival)
    handover = services.handover_record(actor=reception_officer, entry=child, receiving_officer="Lcda. Marta Guevara")
    assert handover.agency == conna
    missing = services.arrival_close(actor=reception_officer, arrival=arrival)
    arrival.refresh_from_db()
    assert arrival.status == Arrival.Status.CLOSED and missing == 1  # Rosa; the mother came with her child


def test_bad_phone_and_consent_without_method_are_refused(reception_officer: User, arrival: Arrival) -> None:
    _import(reception_officer, arrival, GOOD)
    adult = arrival.people.get(given_names="María José")
    with pytest.raises(ValidationError) as refused:
        services.screening_save(actor=reception_officer, entry=adult, phone="12", consent_referral=True)
    assert set(refused.value.error_dict) == {"phone", "consent_method"}


def test_a_child_with_a_parent_is_a_family_group_not_unaccompanied(reception_officer: User, arrival: Arrival) -> None:
    _import(reception_officer, arrival, GOOD)
    child, mother = arrival.people.get(given_names="José Ángel"), arrival.people.get(given_names="María José")
    services.entry_presence(actor=reception_officer, entry=mother, presence="present")
    services.family_link(actor=reception_officer, entry=child, adult=mother, relationship="madre")
    child.refresh_from_db()
    assert "unaccompanied_child" not in services.suggested_vulnerabilities(child)
    with pytest.raises(ValidationError):
        services.screening_save(actor=reception_officer, entry=child, vulnerabilities=["unaccompanied_child"])
    services.screening_save(actor=reception_officer, entry=child)
    with pytest.raises(ValidationError, match="sí llegó"):  # the mother cannot vanish: her child came with her
        services.entry_presence(actor=reception_officer, entry=mother, presence="not_arrived")


def test_another_institution_cannot_see_the_arrival(outsider: User, arrival: Arrival, login: Callable[[User], Client]) -> None:
    response = login(outsider).get(f"/reception/{arrival.public_id}/")
    assert response.status_code == 404


def test_the_desk_page_finds_and_opens_a_person(reception_officer: User, arrival: Arrival, login: Callable[[User], Client]) -> None:
    _import(reception_officer, arrival, GOOD)
    client = login(reception_officer)
    rows = client.get(f"/reception/{arrival.public_id}/?q=pena", headers={"HX-Request": "true"})
    assert "Peña" in rows.content.decode() and "Cañas" not in rows.content.decode()
    opened = client.get(f"/reception/{arrival.public_id}/?q=rosa+canas")
    entry = arrival.people.get(given_names="Rosa")
    assert opened.status_code == 302 and opened["Location"] == f"/reception/{arrival.public_id}/people/{entry.pk}/"
    page = client.get(opened["Location"])
    assert "Rosa Cañas Portillo" in page.content.decode() and "obligatoria" in page.content.decode()
    assert AuditEvent.objects.filter(action="view", object_id=entry.person.public_id).exists()  # type: ignore[union-attr]


def test_the_command_refuses_a_bad_file_and_imports_the_valid_rows_when_asked(
    reception_officer: User, arrival: Arrival, tmp_path: Any
) -> None:
    from django.core.management import CommandError, call_command

    path = tmp_path / "manifiesto.csv"
    path.write_bytes((GOOD + "Ana;López;;31/02/2009;F;;SV;no\n").encode("cp1252"))
    with pytest.raises(CommandError, match="Nada se importó"):
        call_command("import_manifest", str(path), arrival=arrival.public_id)
    assert arrival.people.count() == 0
    call_command("import_manifest", str(path), arrival=arrival.public_id, valid_only=True)
    assert arrival.people.count() == 4


def test_closing_waits_for_every_child_who_arrived_to_be_screened(reception_officer: User, arrival: Arrival) -> None:
    _import(reception_officer, arrival, GOOD)
    child = arrival.people.get(given_names="José Ángel")  # listed as travelling alone, not screened yet
    services.entry_presence(actor=reception_officer, entry=child, presence="present")
    with pytest.raises(ValidationError, match="tamizaje de cada niña"):
        services.arrival_close(actor=reception_officer, arrival=arrival)
    summary = selectors.arrival_summary(user=reception_officer, arrival=arrival, names=False)
    assert (summary.unaccompanied, summary.unaccompanied_to_confirm) == (0, 1)


def test_desk_search_forgives_spelling_and_finds_rows_and_documents(reception_officer: User, arrival: Arrival) -> None:
    _import(reception_officer, arrival, GOOD)

    def names(query: str) -> list[str]:
        return [e.given_names for e in selectors.arrival_people(user=reception_officer, arrival=arrival, query=query)]

    assert names("hernandes maria") == ["María José"]  # no exact match: the misspelt surname is close enough
    assert names("rosa kañas") == ["Rosa"]
    assert names("3") == ["María José"]  # manifest row
    assert names("01234567") == ["María José"]  # document number
    assert names("zzzz") == []


def test_save_and_next_returns_to_the_desk_unless_a_child_waits_for_hand_over(
    reception_officer: User, arrival: Arrival, conna: Agency, login: Callable[[User], Client]
) -> None:
    _import(reception_officer, arrival, GOOD)
    client = login(reception_officer)
    adult, child = arrival.people.get(given_names="María José"), arrival.people.get(given_names="José Ángel")
    desk = f"/reception/{arrival.public_id}/"
    saved = client.post(
        f"{desk}people/{adult.pk}/", {"action": "screening", "consent_method": "verbal", "consent_assistance": "on", "next": "desk"}
    )
    assert saved.status_code == 302 and saved["Location"] == desk
    kept = client.post(f"{desk}people/{child.pk}/", {"action": "screening", "vulnerabilities": "unaccompanied_child", "next": "desk"})
    assert kept["Location"] == f"{desk}people/{child.pk}/"


def test_a_large_manifest_goes_to_the_task_worker_and_reports_progress(reception_officer: User, arrival: Arrival) -> None:
    from faker import Faker

    fake = Faker("es_MX")
    fake.seed_instance(4)
    rows = "".join(
        f"{fake.first_name()};{fake.last_name()};{fake.last_name()};{fake.date_of_birth(minimum_age=18):%d/%m/%Y};F;;SV;no\n"
        for _ in range(services.INLINE_ROWS + 5)
    )
    imp = services.manifest_check(actor=reception_officer, arrival=arrival, filename="grande.csv", content=(HEADER + rows).encode())
    from unittest import mock

    from retorno.reception import tasks

    with mock.patch.object(tasks, "manifest_import_task", wraps=tasks.manifest_import_task) as task:
        imp = services.manifest_import_start(actor=reception_officer, imp=imp)  # Huey runs it at once in tests
    task.assert_called_once_with(imp.pk)
    imp.refresh_from_db()
    assert imp.status == ManifestImport.Status.DONE and imp.content is None
    assert imp.created + imp.linked + imp.possible == arrival.people.count() == services.INLINE_ROWS + 5
    assert imp.done == services.INLINE_ROWS + 5 and imp.percent == 100


def test_an_estimated_age_at_the_desk_makes_a_child(reception_officer: User, arrival: Arrival) -> None:
    _import(reception_officer, arrival, HEADER + "Brayan;Orellana;;;M;;SV;\n")
    entry = arrival.people.get()
    assert entry.age_at_arrival is None
    services.screening_save(actor=reception_officer, entry=entry, estimated_age=14, vulnerabilities=["unaccompanied_child"])
    entry.refresh_from_db()
    assert entry.age_at_arrival == 14 and entry.birth_date_precision == "estimated"
    assert entry.person is not None and entry.person.birth_date == entry.birth_date


def test_the_home_page_of_a_reception_officer_shows_todays_arrivals(
    reception_officer: User, caseworker: User, arrival: Arrival, login: Callable[[User], Client]
) -> None:
    assert arrival.public_id in login(reception_officer).get("/").content.decode()
    assert arrival.public_id not in login(caseworker).get("/").content.decode()


def test_a_delayed_flight_is_corrected(reception_officer: User, outsider: User, arrival: Arrival, login: Callable[[User], Client]) -> None:
    page = f"/reception/{arrival.public_id}/edit/"
    later = timezone.localtime(arrival.scheduled_at + datetime.timedelta(hours=3))
    data = {
        "site": arrival.site_id,
        "returned_from": arrival.returned_from_id,
        "mode": "air",
        "scheduled_at": later.strftime("%Y-%m-%dT%H:%M"),
        "carrier": "ICE Air",
        "reference": "GST-1234",
        "expected_count": 131,
    }
    assert login(outsider).post(page, data).status_code == 404
    assert login(reception_officer).post(page, data).status_code == 302
    arrival.refresh_from_db()
    assert (arrival.expected_count, timezone.localtime(arrival.scheduled_at).hour) == (131, later.hour)


def test_a_record_another_institution_granted_to_one_officer_is_not_linked_for_everyone(
    reception_officer: User, outsider: User, arrival: Arrival
) -> None:
    from retorno.registry.models import AccessRequest

    theirs = person_create(actor=outsider, **person_data())  # OIM's record
    AccessRequest.objects.create(
        person=theirs, requested_by=reception_officer, reason="x", status="granted", expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    _import(reception_officer, arrival, GOOD)
    entry = arrival.people.get(given_names="María José")
    assert entry.person != theirs and entry.candidate is None and entry.match == ArrivalPerson.Match.NEW
    assert entry.known_elsewhere == outsider.agency.acronym  # type: ignore[union-attr]


def test_the_same_person_twice_in_a_file_is_on_the_arrival_once(reception_officer: User, arrival: Arrival) -> None:
    known = person_create(actor=reception_officer, **person_data())
    imp = _import(
        reception_officer,
        arrival,
        HEADER + "María José;Hernández;Núñez;12/03/1994;F;;SV;no\nMaria Jose;Hernandez;Nunez;12/03/1994;F;01234567-8;SV;no\n",
    )
    assert (imp.linked, imp.skipped) == (1, 1) and list(arrival.people.values_list("person", flat=True)) == [known.pk]


def test_a_failed_import_saves_nothing_and_can_be_tried_again(reception_officer: User, arrival: Arrival) -> None:
    from unittest import mock

    imp = services.manifest_check(actor=reception_officer, arrival=arrival, filename="m.csv", content=GOOD.encode())
    real = services.person_create_many

    def flaky(**kwargs: Any) -> list[Person]:
        raise RuntimeError("database went away")

    with mock.patch.object(services, "person_create_many", flaky):
        imp = services.manifest_import_start(actor=reception_officer, imp=imp)
    assert real is services.person_create_many
    assert imp.status == ManifestImport.Status.FAILED and arrival.people.count() == 0
    imp = services.manifest_import_retry(actor=reception_officer, imp=imp)
    assert imp.status == ManifestImport.Status.DONE and arrival.people.count() == 4


def test_a_closed_arrival_takes_no_import_and_no_hand_over(reception_officer: User, arrival: Arrival) -> None:
    imp = services.manifest_check(actor=reception_officer, arrival=arrival, filename="m.csv", content=GOOD.encode())
    services.arrival_close(actor=reception_officer, arrival=arrival)
    with pytest.raises(ValidationError, match="cerrada"):
        services.manifest_import_start(actor=reception_officer, imp=imp)
    assert arrival.people.count() == 0


def test_a_remembered_layout_keeps_two_columns_with_the_same_header_apart(reception_officer: User, arrival: Arrival) -> None:
    content = "Nombre;Apellido;Apellido;Sexo\nAna;López;Pérez;F\n".encode()
    first = services.manifest_check(actor=reception_officer, arrival=arrival, filename="a.csv", content=content)
    services.manifest_mapping_confirm(actor=reception_officer, imp=first, mapping=first.mapping)
    again = services.manifest_check(actor=reception_officer, arrival=arrival, filename="b.csv", content=content)
    assert again.mapping == ["given_names", "first_surname", "second_surname", "sex"] and again.rows_bad == 0


def test_a_new_person_listed_twice_with_variations_is_registered_once(reception_officer: User, arrival: Arrival) -> None:
    imp = _import(
        reception_officer,
        arrival,
        HEADER + "Wilber Antonio;Ayala;Quintanilla;14/08/1991;M;;SV;no\nWilber;Ayala;Quintanilla;14/08/1991;M;;SV;no\n",
    )
    assert (imp.created, imp.skipped) == (1, 1) and Person.objects.filter(first_surname="Ayala").count() == 1


def test_files_of_manifests_never_imported_are_dropped_after_a_week(reception_officer: User, arrival: Arrival) -> None:
    old = services.manifest_check(actor=reception_officer, arrival=arrival, filename="viejo.csv", content=GOOD.encode())
    ManifestImport.objects.filter(pk=old.pk).update(uploaded_at=timezone.now() - datetime.timedelta(days=8))
    recent = services.manifest_check(actor=reception_officer, arrival=arrival, filename="nuevo.csv", content=GOOD.encode())
    assert services.manifest_files_forget() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.content is None and recent.content is not None and old.rows_total == 4  # the report stays


def test_a_wrong_link_to_a_namesake_is_undone_at_the_desk(reception_officer: User, arrival: Arrival) -> None:
    namesake = person_create(actor=reception_officer, **person_data())
    _import(reception_officer, arrival, HEADER + "María José;Hernández;Núñez;12/03/1994;F;;SV;no\n")
    entry = arrival.people.get()
    assert entry.person == namesake
    services.entry_identity(actor=reception_officer, entry=entry, same=False)
    assert entry.person != namesake and entry.match == ArrivalPerson.Match.NEW and entry.identity_confirmed


def test_the_transport_list_groups_people_by_destination(
    reception_officer: User, arrival: Arrival, login: Callable[[User], Client]
) -> None:
    from retorno.core.models import AdminArea

    _import(reception_officer, arrival, GOOD)
    adult = arrival.people.get(given_names="María José")
    town = AdminArea.objects.filter(country__code="SV", level=2, parent__isnull=False).first()
    assert town is not None and town.parent is not None
    services.screening_save(
        actor=reception_officer, entry=adult, destination=town, phone="7123-4567", consent_assistance=True, consent_method="verbal"
    )
    services.assistance_give(actor=reception_officer, entry=adult, kind="transport")
    page = login(reception_officer).get(f"/reception/{arrival.public_id}/summary/").content.decode()
    listed = page[page.index('id="transport-list"') :]
    assert f"{town.parent.name} — {town.name} (1)" in listed and "María José Hernández Núñez" in listed and "7123-4567" in listed
