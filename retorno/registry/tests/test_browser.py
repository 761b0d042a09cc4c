"""The first journey in a real browser: log in, Spanish by default, switch to English, open a person."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from retorno.core.models import User
from retorno.core.tests.factories import person_data
from retorno.registry import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_in_in_spanish_switch_to_english_and_open_a_person(
    live_server: Any, page: Any, caseworker: User, reception_officer: User
) -> None:
    person = services.person_create(actor=reception_officer, **person_data(given_names="María de los Ángeles", first_surname="Guzmán"))

    # The browser asks for English (en-US), yet the interface starts in Spanish.
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Iniciar sesión en Retorno")).to_be_visible()
    page.get_by_label("Correo electrónico").fill(caseworker.email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page.get_by_role("heading", name=f"Hola, {caseworker.full_name}")).to_be_visible()
    expect(page.get_by_role("link", name="Personas")).to_be_visible()

    # The switcher submits on change; the choice sticks across pages.
    page.get_by_label("Idioma").select_option("en")
    expect(page.get_by_role("heading", name=f"Hello, {caseworker.full_name}")).to_be_visible()
    page.get_by_role("link", name="People", exact=True).click()
    expect(page.get_by_role("heading", name="People")).to_be_visible()

    # Live search without accents finds the person; open the record.
    page.get_by_label("Search by name, Retorno id or document number").fill("angeles guzman")
    link = page.get_by_role("link", name="Guzmán")
    expect(link).to_be_visible()
    link.click()
    expect(page.get_by_role("heading", name=person.full_name)).to_be_visible()
    expect(page.get_by_text(person.public_id)).to_be_visible()
    expect(page.get_by_role("heading", name="Identity", exact=True)).to_be_visible()


def test_supervisor_searches_for_duplicates_merges_a_pair_and_undoes_it(
    live_server: Any, page: Any, supervisor: User, reception_officer: User, login: Any
) -> None:
    first = services.person_create(actor=reception_officer, **person_data())
    again = services.person_create(actor=reception_officer, **person_data(given_names="Maria Jose", second_surname=""))
    client = login(supervisor)  # past two-factor; the login pages have their own tests
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Duplicados").click()
    expect(page.get_by_text("Todavía no se han buscado duplicados en el registro.")).to_be_visible()
    page.get_by_role("button", name="Buscar duplicados ahora").click()
    expect(page.get_by_text("1 grupo por revisar")).to_be_visible()
    expect(page.get_by_role("cell", name="Finalizada")).to_be_visible()
    page.get_by_role("link", name=f"Comparar {first.public_id} y {again.public_id}").click()

    expect(page.get_by_role("heading", name="¿Son estos registros la misma persona?")).to_be_visible()
    page.get_by_label("Maria Jose").check()  # keep the first record, with the name as typed the second time
    page.get_by_role("button", name="Fusionar: misma persona").click()

    expect(page.get_by_role("heading", name="Maria Jose Hernández Núñez")).to_be_visible()
    expect(page.get_by_text(f"{again.public_id} se fusionó con {first.public_id}")).to_be_visible()
    page.get_by_role("button", name="Deshacer esta fusión").click()
    expect(page.get_by_text(f"Se deshizo la fusión: {again.public_id} vuelve a ser un registro aparte.")).to_be_visible()
    expect(page.get_by_role("heading", name="María José Hernández Núñez")).to_be_visible()
