"""The hour after a flight lands, in a real browser: plan the arrival, upload a manifest with errors
and read them in Spanish, import the corrected file, register a child travelling alone and hand
them over, give assistance, close the arrival."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from retorno.core.models import Agency, Site, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = timezone.localdate().year
HEADER = "Nombres;Primer apellido;Segundo apellido;F. Nac.;Sexo;DUI;Nacionalidad;Menor no acompañado\n"
CORRECT = (
    HEADER + f"José Ángel;Peña;Núñez;03/02/{YEAR - 15};M;;Salvadoreña;Sí\n"
    "Wilber Antonio;Ayala;Quintanilla;14/08/1991;M;01234567-8;Salvadoreña;No\n"
    "Sandra Elizabeth;Mejía;Rivas;30/10/1988;F;;Salvadoreña;No\n"
    "Óscar René;Guzmán;;01/01/1979;M;;Salvadoreña;No\n"
)
WITH_ERRORS = CORRECT.replace("30/10/1988", "31/02/1988").replace("Óscar René;Guzmán", "Óscar René;")


def test_the_hour_after_a_flight_lands(live_server: Any, page: Any, reception_officer: User, conna: Agency, login: Any) -> None:
    Site.objects.create(agency=reception_officer.agency, name="Centro de Atención Integral al Migrante", kind=Site.Kind.RECEPTION_CENTRE)
    client = login(reception_officer)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Llegadas", exact=True).click()
    page.get_by_role("link", name="Programar una llegada").click()
    page.get_by_label("Retornado desde").select_option(label="Estados Unidos")
    page.get_by_label("Vía").select_option("air")
    page.get_by_label("Número de vuelo o de autobús").fill("GST-2611")
    page.get_by_label("Personas esperadas").fill("5")
    page.get_by_role("button", name="Guardar e importar el manifiesto").click()

    # A manifest with two bad rows: each error in Spanish, with its row; nothing imported.
    page.get_by_label("Manifiesto (CSV o Excel .xlsx)").set_input_files(
        {"name": "manifiesto.csv", "mimeType": "text/csv", "buffer": WITH_ERRORS.encode("cp1252")}
    )
    page.get_by_role("button", name="Revisar el archivo").click()
    errors = page.locator("#row-errors")
    expect(errors).to_contain_text("Fila 4: la fecha de nacimiento 31/02/1988 no existe")
    expect(errors).to_contain_text("Fila 5: falta el apellido")
    page.get_by_role("button", name="Importar todo").click()
    expect(page.get_by_text("Nada se importó: 2 filas tienen errores.")).to_be_visible()

    # The corrected file imports whole.
    page.get_by_role("link", name="Subir un archivo corregido").click()
    page.get_by_label("Manifiesto (CSV o Excel .xlsx)").set_input_files(
        {"name": "manifiesto-corregido.csv", "mimeType": "text/csv", "buffer": CORRECT.encode("cp1252")}
    )
    page.get_by_role("button", name="Revisar el archivo").click()
    expect(page.get_by_text("Todas las filas son válidas.")).to_be_visible()
    page.get_by_role("button", name="Importar 4 personas").click()
    expect(page.get_by_text("Nuevas en el registro: 4")).to_be_visible()
    page.get_by_role("link", name="Ir al mostrador").click()

    # At the desk: part of the name, no accents, any order; Enter opens the only match.
    search = page.get_by_label("Nombre (cualquier parte, en cualquier orden)")
    search.fill("an")  # four people: the arrow keys walk the list
    expect(page.locator("#desk-rows tr")).to_have_count(4)
    search.press("ArrowDown")
    expect(page.locator("#desk-rows a").first).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.locator("#desk-rows a").nth(1)).to_be_focused()
    search.fill("pena jose")
    expect(page.locator("#desk-rows tr")).to_have_count(1)
    search.press("Enter")
    expect(page.get_by_role("heading", name="José Ángel Peña Núñez")).to_be_visible()
    expect(page.get_by_text("El manifiesto indica que esta persona es menor no acompañado.")).to_be_visible()
    expect(page.get_by_label("Niña, niño o adolescente no acompañado")).to_be_checked()  # suggested from the manifest and the age
    page.get_by_label("Teléfono").fill("7123-4567")
    page.get_by_label("Cómo dio el consentimiento").select_option("authority")
    page.get_by_role("button", name="Guardar el tamizaje").click()
    expect(page.get_by_text("Tamizaje de José Ángel Peña Núñez guardado.")).to_be_visible()

    # The child goes to CONNA at once.
    page.get_by_label("Funcionario/a que recibe").fill("Lcda. Marta Guevara")
    page.get_by_role("button", name="Registrar la entrega").click()
    expect(page.locator("#handover-done")).to_contain_text("Entregado a CONNA")
    page.locator("#id_aid-kind").select_option("food")
    page.get_by_role("button", name="Registrar asistencia").click()
    expect(page.locator("#assistance-given")).to_contain_text("Alimentación")

    # The summary counts the child, then the arrival closes; the others did not come.
    page.get_by_role("link", name="Mostrador de la llegada").click()
    page.get_by_role("link", name="Resumen").click()
    expect(page.locator("#count-unaccompanied")).to_have_text("1")
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Cerrar la llegada").click()
    expect(page.get_by_text("Llegada cerrada; 3 personas de la lista no llegaron.")).to_be_visible()
    assert asked == ["¿Cerrar la llegada? 3 personas aún esperadas quedarán como no llegadas."]
