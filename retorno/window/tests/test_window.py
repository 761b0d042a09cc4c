"""The Window office: consultations logged fast, by keyboard alone, anonymous or for a person of the
registry, and counted on the office's dashboard without names."""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from retorno.core.models import Agency, AuditEvent, Site, User
from retorno.core.tests.factories import person_data
from retorno.referrals import services as referrals
from retorno.referrals.models import Referral
from retorno.registry.services import person_create
from retorno.window import selectors, services
from retorno.window.models import Consultation

TODAY = timezone.localdate()


@pytest.fixture
def office(oim_sv: Agency) -> Site:
    return Site.objects.create(agency=oim_sv, name="Ventanilla La Unión", kind=Site.Kind.INFORMATION_OFFICE)


@pytest.mark.django_db
def test_a_consultation_needs_who_asks_and_a_topic_and_hears_every_problem_at_once(information_officer: User, office: Site) -> None:
    with pytest.raises(ValidationError) as refused:
        services.consultation_record(
            actor=information_officer, office=office, profile="", topics=["other"], held_on=TODAY + datetime.timedelta(days=1)
        )
    assert set(refused.value.error_dict) == {"profile", "topic_other", "held_on"}
    with pytest.raises(ValidationError) as no_topic:
        services.consultation_record(actor=information_officer, office=office, profile="returnee", topics=[])
    assert set(no_topic.value.error_dict) == {"topics"}
    made = services.consultation_record(
        actor=information_officer, office=office, profile="returnee", topics=["documents", "employment"], sex="F", age_group="18-29"
    )
    assert made.person is None and made.held_on == TODAY and made.channel == "walk_in"


@pytest.mark.django_db
def test_a_consultation_names_a_person_only_of_the_institutions_records(
    information_officer: User, office: Site, caseworker: User, login: Callable[[User], Client]
) -> None:
    theirs = person_create(actor=caseworker, **person_data())  # a DGME record
    ours = person_create(actor=information_officer, **person_data())
    client = login(information_officer)
    data = {"channel": "phone", "profile": "returnee", "topics": ["rights"], "held_on": TODAY.isoformat()}
    refused = client.post("/window/", {**data, "person": theirs.public_id})
    assert refused.status_code == 400 and "Ningún registro de su institución tiene este ID" in refused.content.decode()
    assert client.post("/window/", {**data, "person": ours.public_id}).status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.person == ours and consultation.channel == "phone"
    assert any("consultation" in e.fields for e in AuditEvent.objects.filter(object_type="person", object_id=ours.public_id))


@pytest.mark.django_db
def test_the_dashboard_counts_by_topic_month_sex_and_age_without_names(
    information_officer: User, office: Site, coordinator: User, caseworker: User, login: Callable[[User], Client]
) -> None:
    services.consultation_record(
        actor=information_officer, office=office, profile="potential", topics=["risks", "rights"], sex="M", age_group="18-29"
    )
    services.consultation_record(actor=information_officer, office=office, profile="family", topics=["rights"], sex="F", age_group="30-59")
    earlier = services.consultation_record(actor=information_officer, office=office, profile="returnee", topics=["employment"], sex="F")
    Consultation.objects.filter(pk=earlier.pk).update(held_on=TODAY.replace(day=1) - datetime.timedelta(days=40))
    board = selectors.dashboard(user=coordinator)
    assert board.total == 3 and board.anonymous == 3
    assert dict(board.by_topic)["derechos"] == 2 and dict(board.by_topic)["riesgos de la migración irregular"] == 1
    assert dict(board.by_sex) == {"no lo dijo": 0, "mujer o niña": 2, "hombre o niño": 1}
    assert dict(board.by_age)["18 a 29"] == 1 and dict(board.by_age)["no lo dijo"] == 1
    assert board.by_month[-1] == (TODAY.replace(day=1), 2) and len(board.by_month) == 12
    page = login(coordinator).get("/window/dashboard/").content.decode()
    assert 'id="by-topic"' in page and "3 consultas" in page
    assert login(caseworker).get("/window/dashboard/").status_code == 404
    assert login(caseworker).get("/window/").status_code == 404
    api = login(information_officer).get("/api/v1/window/dashboard").json()
    assert api["total"] == 3 and {"label": "derechos", "count": 2} in api["by_topic"]


@pytest.mark.django_db
def test_the_api_logs_a_consultation(information_officer: User, office: Site, login: Callable[[User], Client]) -> None:
    client = login(information_officer)
    made = client.post(
        "/api/v1/window/consultations",
        {"profile": "potential", "topics": ["risks", "avr"], "channel": "outreach", "age_group": "0-17"},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["anonymous"] is True and made.json()["office"] == "Ventanilla La Unión"
    bad = client.post("/api/v1/window/consultations", {"profile": "potential", "topics": []}, content_type="application/json")
    assert bad.status_code == 422 and "topics" in str(bad.json())


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_consultation_is_logged_by_keyboard_alone_in_under_30_seconds(
    live_server: Any, page: Any, login: Any, information_officer: User, office: Site
) -> None:
    client = login(information_officer)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page.goto(f"{live_server.url}/window/")
    expect(page.get_by_role("radio", name="en persona")).to_be_focused()  # the form starts where the officer types
    started, keys = time.monotonic(), 0

    def press(*names: str) -> None:
        nonlocal keys
        for name in names:
            page.keyboard.press(name)
            keys += 1

    press("ArrowDown")  # by phone
    press("Tab", "ArrowDown")  # who asks: a returned migrant (the group's first choice, then the next)
    press("Tab", "ArrowDown", "ArrowDown")  # sex: a man (from "not said", past "woman or girl")
    press("Tab", "ArrowDown", "ArrowDown", "ArrowDown")  # age: 30 to 59 (from "not said")
    press("Tab", "Space", "Tab", "Tab", "Tab", "Space")  # topics: rights, documentation
    while page.evaluate("document.activeElement.name") != "note" and keys < 40:
        press("Tab")
    page.keyboard.type("Pide requisitos del DUI")
    press("Enter")
    expect(page.get_by_text("Consulta guardada")).to_be_visible()
    elapsed = time.monotonic() - started
    consultation = Consultation.objects.get()
    assert (consultation.channel, consultation.profile, consultation.sex, consultation.age_group) == ("phone", "returnee", "M", "30-59")
    assert consultation.topics == ["rights", "documents"] and consultation.note == "Pide requisitos del DUI"
    assert elapsed < 30 and keys <= 25
    expect(page.get_by_role("radio", name="en persona")).to_be_focused()  # ready for the next person
    expect(page.locator("#recent")).to_contain_text("derechos, documentación")


@pytest.mark.django_db
def test_a_person_met_at_the_window_is_referred_from_the_consultation(
    information_officer: User, office: Site, administrator: User, caseworker: User, login: Callable[[User], Client]
) -> None:
    service = referrals.service_save(
        actor=administrator,
        provider=caseworker.agency,  # type: ignore[arg-type]
        data={"name": "Emisión de DUI", "category": "legal", "phone": "2213-7700", "nationwide": True},
        description={"es": "Documentos de identidad."},
    )
    someone = person_create(actor=information_officer, **person_data())
    client = login(information_officer)
    client.post("/window/", {"channel": "walk_in", "profile": "returnee", "topics": ["documents"], "person": someone.public_id})
    page = client.get("/window/").content.decode()
    assert f"/referrals/new/?person={someone.public_id}" in page
    sent = client.post(
        "/referrals/new/",
        {
            "person": someone.public_id,
            "service": service.pk,
            "urgency": "routine",
            "reason": "Perdió su DUI en el viaje",
            "consent_given": "on",
            "consent_method": "verbal",
        },
    )
    referral = Referral.objects.get()
    assert sent.status_code == 302 and referral.source == Referral.Source.CONSULTATION and referral.to_agency == caseworker.agency
    assert login(caseworker).get("/referrals/new/", {"person": someone.public_id}).status_code == 404  # not the desk's way in
