"""An adult's reintegration in a real browser, in Spanish: the case opened from the arrival, the
needs assessment, a plan with an income-generating project funded by RT.1066, the supervisor's
approval, the delivery with its receipt, the 3-month follow-up survey, and the closure."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from retorno.cases.models import AssistanceItem, Case, InstrumentVersion
from retorno.core.models import User
from retorno.programmes.models import Project
from retorno.reception.models import Arrival, ArrivalPerson

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECEIPT = b"%PDF-1.4\n% recibo\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _as(page: Any, live_server: Any, login: Any, user: User) -> None:
    page.context.clear_cookies()
    client = login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])


def _answer_every_question(page: Any, pick: str = "first") -> None:
    """Choose an option in every group of the instrument (the first, or the last scored one)."""
    groups = page.locator("form fieldset fieldset")
    # count() does not wait: the link that led here may still be navigating to the instrument's form.
    expect(groups.first).to_be_visible()
    for index in range(groups.count()):
        radios = groups.nth(index).locator("input[type=radio]")
        if radios.count():
            (radios.first if pick == "first" else radios.nth(radios.count() - 2)).check()


@pytest.fixture
def returned_in_summer(screened: ArrivalPerson) -> ArrivalPerson:
    """The flight landed 95 days ago: the 3-month follow-up is due, and the plan is late."""
    moment = timezone.now() - datetime.timedelta(days=95)
    Arrival.objects.filter(pk=screened.arrival_id).update(scheduled_at=moment, arrived_at=moment)
    screened.refresh_from_db()
    return screened


def test_an_adults_reintegration_from_arrival_to_closure(
    live_server: Any,
    page: Any,
    login: Any,
    caseworker: User,
    supervisor: User,
    returned_in_summer: ArrivalPerson,
    instruments: dict[str, InstrumentVersion],
    rt1066: Project,
) -> None:
    today = timezone.localdate().isoformat()
    _as(page, live_server, login, caseworker)
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation").get_by_role("link", name="Casos", exact=True).click()
    waiting = page.locator("section", has_text="Carlos Ernesto Rivas Alvarenga")
    waiting.get_by_role("button", name="Abrir caso").click()
    expect(page.locator("h1")).to_have_text("Carlos Ernesto Rivas Alvarenga")
    expect(page.locator("#case-stage")).to_have_text("Evaluación")
    case_url = page.url

    # The needs assessment, scored from the loaded definition.
    page.get_by_role("link", name="Necesidades de reintegración").click()
    page.get_by_role("button", name="Guardar y calcular puntaje").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()  # nothing answered: refused, said why
    _answer_every_question(page, "last")
    page.get_by_role("button", name="Guardar y calcular puntaje").click()
    expect(page.get_by_text("Respuestas guardadas y puntuadas.")).to_be_visible()
    expect(page.locator("#case-stage")).to_have_text("Plan")

    # The plan: goals agreed, an income-generating project funded by RT.1066.
    page.get_by_role("link", name="Escribir el plan").click()
    page.get_by_label("Metas acordadas con la persona retornada").fill("Abrir una pupusería en La Unión con su hermana")
    page.get_by_label("Acordado con la persona retornada").check()
    page.get_by_label("Acordado el").fill(today)
    page.get_by_label("Por qué el plan llega tarde").fill("Estuvo hospitalizado después del retorno")
    page.get_by_role("button", name="Guardar").click()
    expect(page.locator("#plan-late")).to_contain_text("Estuvo hospitalizado después del retorno")
    page.get_by_role("link", name="Agregar asistencia").click()
    page.get_by_label("Tipo de asistencia").select_option("business_grant")
    page.get_by_label("Descripción").fill("Plancha, refrigeradora e insumos")
    page.get_by_label("Proveedor (servicio o negocio)").fill("Alcaldía de La Unión")
    page.get_by_label("Costo estimado").fill("850")
    page.get_by_label("Financiado por").select_option(label=page.locator("#id_project option", has_text="RT.1066").inner_text())
    page.get_by_label("Entrega prevista").fill(today)
    page.get_by_role("button", name="Guardar").click()
    expect(page.locator("#assistance-table")).to_contain_text("RT.1066")
    page.get_by_role("button", name="Enviar para aprobación").click()
    expect(page.locator("#plan-status")).to_contain_text("En espera de la aprobación")

    # The supervisor approves.
    _as(page, live_server, login, supervisor)
    page.goto(case_url)
    page.locator("#plan-decision").get_by_label("Aprobar").check()
    page.locator("#plan-decision").get_by_role("button", name="Registrar la decisión").click()
    expect(page.locator("#case-stage")).to_have_text("Asistencia")

    # The caseworker records the delivery with the receipt.
    _as(page, live_server, login, caseworker)
    page.goto(case_url)
    page.get_by_role("link", name="Registrar la entrega").click()
    page.get_by_label("Costo real").fill("832.50")
    page.get_by_role("button", name="Registrar la entrega").click()
    expect(page.get_by_text("Se gastó dinero: adjunte el recibo o una foto de la entrega.")).to_be_visible()
    page.get_by_label("Recibo o foto").set_input_files({"name": "recibo.pdf", "mimeType": "application/pdf", "buffer": RECEIPT})
    page.get_by_role("button", name="Registrar la entrega").click()
    expect(page.locator("#case-stage")).to_have_text("Seguimiento")
    expect(page.locator("#assistance-table")).to_contain_text("Recibo")

    # The 3-month follow-up with the sustainability survey; its scores show in the trend.
    page.get_by_role("link", name="Encuesta de seguimiento").click()
    page.get_by_label("Seguimiento").select_option("3")
    _answer_every_question(page, "last")
    page.get_by_role("button", name="Guardar y calcular puntaje").click()
    expect(page.locator(".score-trend")).to_contain_text("seguimiento · 3 meses")

    # Closing: the final survey, then the request, then the supervisor's approval.
    page.get_by_role("link", name="Cerrar el caso").first.click()
    page.get_by_label("Motivo del cierre").select_option("support_ended")
    page.get_by_role("button", name="Enviar el cierre para aprobación").click()
    expect(page.get_by_text("Registre la encuesta de sostenibilidad final antes de cerrar.")).to_be_visible()
    page.goto(case_url)
    page.get_by_role("link", name="Encuesta final").click()
    _answer_every_question(page, "last")
    page.get_by_role("button", name="Guardar y calcular puntaje").click()
    page.get_by_role("link", name="Cerrar el caso").first.click()
    page.get_by_label("Motivo del cierre").select_option("support_ended")
    page.get_by_label("Nota de cierre").fill("El negocio funciona y cubre los gastos del hogar")
    page.get_by_role("button", name="Enviar el cierre para aprobación").click()
    expect(page.locator("#closure-pending")).to_be_visible()
    _as(page, live_server, login, supervisor)
    page.goto(case_url)
    page.locator("#closure-pending").get_by_label("Aprobar").check()
    page.get_by_role("button", name="Registrar la decisión sobre el cierre").click()
    expect(page.locator("#case-stage")).to_have_text("Cerrado")

    case = Case.objects.get()
    item = case.assistance.get()
    assert item.status == AssistanceItem.Status.DELIVERED and item.project == rt1066 and item.evidence.count() == 1
    assert case.closure_reason == "support_ended" and case.closed_by == supervisor
    assert list(case.assessments.values_list("occasion", "month")) == [("baseline", None), ("follow_up", 3), ("final", None)]
