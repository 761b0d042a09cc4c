"""Referrals in a real browser, in Spanish: the protocol refers an unaccompanied child screened at
the desk to CONNA, which accepts and completes the referral; a caseworker refers an adult by hand,
and the receiving institution cannot decline without saying why."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from retorno.cases import services as cases
from retorno.core.models import User
from retorno.referrals.models import Referral, RuleVersion, Service
from retorno.referrals.tests.conftest import child_at_desk
from retorno.registry.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page: Any, live_server: Any, login: Any, user: User) -> None:
    page.context.clear_cookies()
    client = login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])


def test_screening_an_unaccompanied_child_refers_them_by_rule_and_conna_accepts_and_completes(
    live_server: Any, page: Any, login: Any, reception_officer: User, child_protection_officer: User, uac_rule: RuleVersion
) -> None:
    entry = child_at_desk(reception_officer)
    _as(page, live_server, login, reception_officer)
    page.goto(f"{live_server.url}/reception/{entry.arrival.public_id}/people/{entry.pk}/")
    expect(page.get_by_label("Niña, niño o adolescente no acompañado")).to_be_checked()
    page.get_by_label("Teléfono").fill("7123-4567")
    page.get_by_label("consiente ser referida a otras instituciones").check()
    page.get_by_label("Cómo dio el consentimiento").select_option("authority")
    page.get_by_role("button", name="Guardar el tamizaje").click()
    expect(page.get_by_text("Tamizaje de Kevin Alexander Ramos Guevara guardado.")).to_be_visible()
    panel = page.locator("#referrals")
    expect(panel).to_contain_text("Atención inmediata a la niñez no acompañada")
    expect(panel).to_contain_text("por el protocolo")
    referral = Referral.objects.get(arrival_entry=entry)

    # CONNA is told, answers within the two hours of the rule and records what it did.
    _as(page, live_server, login, child_protection_officer)
    page.goto(f"{live_server.url}/")
    page.locator("#notifications-link").click()
    page.get_by_role("link", name=f"Derivación {referral.public_id} a Atención inmediata a la niñez no acompañada").click()
    expect(page.locator("#shared")).to_contain_text("Kevin Alexander Ramos Guevara")
    expect(page.locator("#shared")).to_contain_text("7123-4567")  # the rule shares the phone, with consent
    page.get_by_role("button", name="Aceptar").click()
    expect(page.get_by_text("Derivación aceptada")).to_be_visible()
    page.get_by_role("button", name="Completar la derivación").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()  # an outcome is required
    page.get_by_label("Qué hizo el servicio por la persona (resultado)").fill(
        "Recibido en el albergue; evaluación del interés superior abierta."
    )
    page.get_by_role("button", name="Completar la derivación").click()
    expect(page.locator("#referral-status")).to_contain_text("completada")
    referral.refresh_from_db()
    assert referral.status == Referral.Status.COMPLETED and referral.answered_by == child_protection_officer


def test_a_caseworker_refers_by_hand_and_a_decline_needs_a_reason(
    live_server: Any,
    page: Any,
    login: Any,
    caseworker: User,
    information_officer: User,
    returned_adult: Person,
    psychosocial_care: Service,
) -> None:
    case = cases.case_open(
        actor=caseworker,
        person=returned_adult,
        returned_on=timezone.localdate() - datetime.timedelta(days=10),
        consent_assistance=True,
        consent_method="signed",
    )
    _as(page, live_server, login, caseworker)
    page.goto(f"{live_server.url}/cases/{case.public_id}/")
    page.get_by_role("link", name="Derivar a un servicio").click()
    page.get_by_role("combobox", name="Servicio").select_option(label="Atención psicosocial — OIM-SV (apoyo psicosocial)")
    page.get_by_label("Urgencia").select_option("priority")
    page.get_by_label("Por qué se deriva a la persona y qué necesita").fill("No duerme desde la deportación; pide ayuda.")
    page.get_by_role("button", name="Enviar la derivación").click()
    expect(page.locator(".invalid-feedback").first).to_contain_text("Registre el consentimiento")  # nothing lost, said why
    expect(page.get_by_label("Por qué se deriva a la persona y qué necesita")).to_have_value("No duerme desde la deportación; pide ayuda.")
    page.get_by_label("La persona (o su madre, padre, tutor o la autoridad de protección de la niñez) acepta").check()
    page.get_by_label("Cómo se dio el consentimiento").select_option("signed")
    page.get_by_role("button", name="Enviar la derivación").click()
    expect(page.get_by_text("Derivación enviada")).to_be_visible()
    referral = Referral.objects.get(case=case)

    _as(page, live_server, login, information_officer)
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation").get_by_role("link", name="Derivaciones").click()
    page.locator("#referrals-table").get_by_role("link", name=referral.public_id).click()
    page.get_by_role("button", name="Rechazar").click()
    expect(page.locator(".invalid-feedback").first).to_contain_text("Diga por qué rechaza la derivación")
    expect(page.locator("#referral-status")).to_contain_text("enviada")
    page.get_by_label("Por qué rechaza la derivación").fill("Sin cupo este mes; la Unidad de Salud de La Unión tiene psicóloga.")
    page.get_by_role("button", name="Rechazar").click()
    expect(page.locator("#referral-status")).to_contain_text("rechazada")

    _as(page, live_server, login, caseworker)
    page.goto(f"{live_server.url}/cases/{case.public_id}/")
    page.locator("#referrals").get_by_role("link", name=referral.public_id).click()
    expect(page.locator("#decline-reason")).to_contain_text("Sin cupo este mes")
