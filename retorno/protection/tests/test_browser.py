"""A child's journey in a real browser, in Spanish: handed over at the desk, heard in the
best-interests assessment, found by a relative's tracing request, verified, reunified and
visited a month later."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from retorno.core.models import AdminArea, Agency, Country, User
from retorno.protection.models import FollowUpVisit, ProtectionCase, TracingMatch
from retorno.reception import services as reception
from retorno.reception.models import Arrival
from retorno.reception.tests.factories import arrival_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = timezone.localdate()


def _as(page: Any, live_server: Any, login: Any, user: User) -> None:
    page.context.clear_cookies()
    client = login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])


def test_a_child_from_the_hand_over_to_the_first_visit_after_reunification(
    live_server: Any,
    page: Any,
    login: Any,
    reception_officer: User,
    child_protection_officer: User,
    protection_supervisor: User,
    caseworker: User,
    conna: Agency,
) -> None:
    arrival = arrival_make(reception_officer, returned_from=Country.objects.get(code="MX"), mode=Arrival.Mode.LAND, reference="BUS-0412")
    entry = reception.walk_in_add(
        actor=reception_officer,
        arrival=arrival,
        given_names="Kevin Alexander",
        first_surname="Ramos",
        second_surname="Guevara",
        sex="M",
        birth_date=TODAY.replace(year=TODAY.year - 14, day=1),
    )
    reception.screening_save(
        actor=reception_officer, entry=entry, vulnerabilities=["unaccompanied_child"], consent_assistance=True, consent_method="authority"
    )

    # At the desk: the child goes to CONNA, whose case exists from that moment.
    _as(page, live_server, login, reception_officer)
    page.goto(f"{live_server.url}/reception/{arrival.public_id}/people/{entry.pk}/")
    page.get_by_label("Funcionario/a que recibe").fill("María de los Ángeles Guzmán")
    page.get_by_role("button", name="Registrar la entrega").click()
    expect(page.locator("#handover-done")).to_contain_text("Entregado a CONNA")

    # Child protection hears the child and records consent to tracing.
    _as(page, live_server, login, child_protection_officer)
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation").get_by_role("link", name="Protección de la niñez").click()
    page.locator("#protection-table").get_by_role("link").first.click()
    expect(page.locator("h1")).to_have_text("Kevin Alexander Ramos Guevara")
    case_url = page.url
    page.get_by_role("link", name="Registrar una evaluación del interés superior").click()
    page.get_by_role("button", name="Guardar").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()  # nothing written: refused, said why
    page.get_by_label("La opinión de la niña o el niño, en sus propias palabras").fill("Quiero volver con mi mamá a Usulután")
    for textarea in page.locator("textarea[name^=element_]").all():
        textarea.fill("Sin hallazgos de riesgo; entrevista con el niño")
    page.get_by_label("importante").check()
    page.get_by_label("Por qué ese peso (edad y madurez)").fill("14 años, se expresa con claridad")
    page.get_by_label("Recomendación").fill("Reunificación con la madre, tras verificar el parentesco")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("Evaluación del interés superior enviada a la supervisión para su aprobación.")).to_be_visible()
    expect(page.locator(".child-views")).to_contain_text("Quiero volver con mi mamá a Usulután")
    page.get_by_label("La niña o el niño consiente (o su tutor, o la autoridad, por él o ella)").check()
    page.get_by_label("Cómo se dio el consentimiento").select_option("verbal")
    page.get_by_role("button", name="Registrar el consentimiento o el motivo").click()
    expect(page.locator("#tracing-basis")).to_contain_text("Consentimiento a la búsqueda registrado")

    # The supervisor approves the assessment.
    _as(page, live_server, login, protection_supervisor)
    page.goto(case_url)
    page.locator("#assessment-decision").get_by_label("Aprobar").check()
    page.locator("#assessment-decision").get_by_role("button", name="Registrar la decisión").click()
    expect(page.locator("#assessments")).to_contain_text("Aprobada")

    # A caseworker of another institution registers the mother's request.
    _as(page, live_server, login, caseworker)
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation").get_by_role("link", name="Búsqueda de familias").click()
    page.get_by_role("link", name="Nueva solicitud de búsqueda").click()
    page.get_by_label("Nombre de quien busca").fill("Marta Alicia Guevara de Ramos")
    page.get_by_label("Parentesco con las personas buscadas").select_option("mother")
    page.get_by_label("Teléfono de quien busca").fill("7012-3456")
    page.get_by_label("Persona 1: nombres").fill("Kevin")
    page.get_by_label("Persona 1: primer apellido").fill("Ramos")
    page.get_by_label("Persona 1: segundo apellido").fill("Guevara")
    page.get_by_label("Persona 1: edad, si no se sabe la fecha").fill("14")
    page.get_by_role("button", name="Registrar la solicitud").click()
    expect(page.get_by_text("Solicitud de búsqueda registrada; protección de la niñez revisa toda posible coincidencia.")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Kevin Alexander Ramos Guevara")  # the child is not shown to them

    # Child protection compares both records and confirms.
    _as(page, live_server, login, child_protection_officer)
    page.goto(case_url)
    page.locator("#potential-matches a").first.click()
    expect(page.locator("#side-by-side")).to_contain_text("Kevin Alexander")
    page.get_by_label("Esta niña o niño es la persona buscada").check()
    page.get_by_role("button", name="Registrar la decisión").click()
    expect(page.locator("#match-status")).to_contain_text("Confirmada")

    # Verified with the mother and the child heard, then reunified.
    page.goto(case_url)
    page.get_by_role("link", name="Verificar el parentesco").click()
    page.get_by_label("Nombre del familiar").fill("Marta Alicia Guevara de Ramos")
    page.get_by_label("Parentesco con la niña o el niño").select_option("mother")
    page.get_by_label("documentos").check()
    page.get_by_label("reconocimiento mutuo").check()
    page.get_by_label("Lo que dijo la niña o el niño sobre volver con esta familia").fill("Me alegra ver a mi mamá")
    page.get_by_label("El parentesco está confirmado").check()
    page.get_by_role("button", name="Guardar").click()
    expect(page.locator("#verifications")).to_contain_text("parentesco confirmado")
    page.get_by_role("link", name="Registrar el resultado").click()
    page.get_by_label("reunificación con la familia").check()
    page.get_by_label("Con quién").fill("Marta Alicia Guevara de Ramos")
    page.get_by_label("Parentesco", exact=True).select_option("mother")
    usulutan = AdminArea.objects.get(level=AdminArea.Level.MUNICIPALITY, name="Usulután", country__code="SV")
    page.get_by_label("Municipio").select_option(str(usulutan.pk))
    page.get_by_label("Dirección").fill("Barrio El Centro, casa 12")
    page.get_by_role("button", name="Guardar").click()
    expect(page.locator("#placement")).to_contain_text("Reunificación con la familia")
    expect(page.locator("#care-clock")).to_contain_text("hasta la modalidad actual")
    expect(page.locator("body")).not_to_contain_text("Barrio El Centro")  # the location is shown only on request

    # A month later, the first visit.
    case = ProtectionCase.objects.get()
    FollowUpVisit.objects.filter(case=case, month=1).update(due_on=TODAY)
    page.goto(case_url)
    page.locator("#visits").get_by_role("link", name="Registrar la visita").first.click()
    page.get_by_label("está bien").check()
    page.get_by_label("Va a la escuela").select_option("true")
    page.get_by_label("Notas").fill("Inscrito en el Centro Escolar de Usulután")
    page.get_by_role("button", name="Guardar").click()
    expect(page.locator("#visits")).to_contain_text("visitado el")

    assert TracingMatch.objects.get().status == "confirmed"
    visit = case.visits.get(month=1)
    assert visit.wellbeing == "well" and visit.in_school is True and visit.recorded_by == child_protection_officer
