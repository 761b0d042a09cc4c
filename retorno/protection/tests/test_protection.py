"""Every child handed over at reception has a protection case at the child-protection institution
from that moment; where the child lives, and how long in temporary care; nobody else sees it."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from retorno.core.models import Agency, AuditEvent, User
from retorno.protection import selectors, services
from retorno.protection.models import ProtectionCase
from retorno.reception.models import ChildHandover

TODAY = timezone.localdate()


def test_the_hand_over_opens_the_childs_case_at_the_child_protection_institution(handover: ChildHandover, conna: Agency) -> None:
    case = ProtectionCase.objects.get()
    assert case.agency == conna and case.child == handover.entry.person and case.handover == handover
    assert case.received_at == handover.handed_over_at
    assert case.public_id.startswith(f"SV-{TODAY.year}-P-")
    assert AuditEvent.objects.filter(object_type="protection_case", object_id=case.public_id, action="create").exists()


def test_time_in_temporary_care_runs_until_the_child_lives_with_family(handover: ChildHandover, child_protection_officer: User) -> None:
    case = ProtectionCase.objects.get()
    services.care_arrangement_record(
        actor=child_protection_officer, case=case, kind="shelter", place="Hogar Santa Marta", started_at=handover.handed_over_at
    )
    view = selectors.protection_cases(user=child_protection_officer)[0]
    assert view.hours_in_temporary_care == 80 and view.over_target
    with pytest.raises(ValidationError) as error:
        services.care_arrangement_record(actor=child_protection_officer, case=case, kind="relative", place=" ")
    assert "place" in error.value.message_dict
    with pytest.raises(ValidationError, match="posterior a la entrega"):
        services.care_arrangement_record(
            actor=child_protection_officer,
            case=case,
            kind="relative",
            place="Abuela",
            started_at=handover.handed_over_at - datetime.timedelta(hours=1),
        )
    reunited = handover.handed_over_at + datetime.timedelta(hours=50)
    services.care_arrangement_record(
        actor=child_protection_officer, case=case, kind="relative", place="Abuela materna, Usulután", started_at=reunited
    )
    view = selectors.protection_case_get(user=child_protection_officer, public_id=case.public_id)
    assert view.hours_in_temporary_care == 50 and not view.over_target
    assert [a.ended_at for a in view.care] == [reunited, None]


def test_only_child_protection_officers_of_the_institution_see_the_child(
    handover: ChildHandover,
    child_protection_officer: User,
    caseworker: User,
    reception_officer: User,
    supervisor: User,
    login: Callable[[User], Client],
) -> None:
    case = ProtectionCase.objects.get()
    url = f"/protection/{case.public_id}/"
    officer = login(child_protection_officer)
    page = officer.get("/protection/").content.decode()
    assert "Kevin Alexander Ramos Guevara" in page and "80 horas" in page
    home = officer.get("/").content.decode()
    assert "1 niña o niño en cuidado temporal más de 72 horas" in home and "Kevin" not in home
    assert "Protección de la niñez hoy" not in login(caseworker).get("/").content.decode()
    assert officer.get(url).status_code == 200
    for user in (caseworker, reception_officer, supervisor):
        client = login(user)
        assert client.get("/protection/").status_code == 404
        assert client.get(url).status_code == 404
        assert client.post(url + "care/", {"kind": "relative", "place": "Tía"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.care_arrangement_record(actor=caseworker, case=case, kind="relative", place="Tía")
    # A shelter recorded through the page, with the error for a missing place in Spanish first.
    refused = officer.post(url + "care/", {"kind": "shelter", "place": ""})
    assert refused.status_code == 400 and "Escriba el nombre del albergue" in refused.content.decode()
    assert officer.post(url + "care/", {"kind": "shelter", "place": "Hogar Santa Marta"}).status_code == 302
    assert case.care.get().place == "Hogar Santa Marta"


def test_a_child_identified_later_gets_a_case_opened_by_child_protection(
    child_protection_officer: User, caseworker: User, login: Callable[[User], Client]
) -> None:
    from retorno.registry import services as registry

    child = registry.person_create(
        actor=child_protection_officer,
        given_names="Yessenia Marisol",
        first_surname="Ayala",
        second_surname="Mejía",
        sex="F",
        birth_date=TODAY.replace(year=TODAY.year - 13, day=1),
    )
    adult = registry.person_create(
        actor=child_protection_officer, given_names="Rosa Amelia", first_surname="Mejía", sex="F", birth_date=datetime.date(1980, 3, 2)
    )
    officer = login(child_protection_officer)
    refused = officer.post("/protection/", {"child": adult.public_id})
    assert refused.status_code == 400 and "menor de 18" in refused.content.decode()
    assert officer.post("/protection/", {"child": "SV-2026-999999"}).status_code == 400
    # A child registered by another institution is referred with their id: the authority opens the case.
    dgme_child = registry.person_create(
        actor=caseworker, given_names="Brayan Josué", first_surname="Ortiz", sex="M", birth_date=TODAY.replace(year=TODAY.year - 12, day=1)
    )
    assert officer.post("/protection/", {"child": dgme_child.public_id}).status_code == 302
    opened = officer.post("/protection/", {"child": child.public_id.lower()})
    assert opened.status_code == 302
    case = ProtectionCase.objects.get(child=child)
    assert case.handover is None and case.agency == child_protection_officer.agency
    again = officer.post("/api/v1/protection/cases", {"child": child.public_id}, content_type="application/json")
    assert again.status_code == 422 and case.public_id in again.json()["errors"][0]["message"]
    assert (
        login(caseworker).post("/api/v1/protection/cases", {"child": child.public_id}, content_type="application/json").status_code == 404
    )
