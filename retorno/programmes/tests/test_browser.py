"""A coordinator in a real browser, in Spanish: imports the five seed pages, reads the report and the
news, opens the project (its French page merged under the project ID) and the national plan."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from retorno.core.models import User
from retorno.programmes.models import NewsItem, Project
from retorno.programmes.services import SEEDS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_imports_the_seed_pages_and_reads_a_project(
    live_server: Any, page: Any, login: Any, places: None, coordinator: User
) -> None:
    client = login(coordinator)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page.goto(f"{live_server.url}/programmes/")
    page.get_by_role("link", name="Importar páginas de la OIM").click()
    page.get_by_label("Páginas", exact=True).set_input_files([str(p) for p in sorted(SEEDS.glob("*.txt"))])
    page.get_by_label("Solo leerlas: no guardar nada").check()
    page.get_by_role("button", name="Leer las páginas").click()
    expect(page.get_by_text("Solo lectura: no se guardó nada.")).to_be_visible()
    expect(page.locator("#report tbody tr")).to_have_count(5)
    assert not Project.objects.exists()

    expect(page.locator("#report")).to_contain_text("año de finalización, estado, tipo de proyecto")  # what was read, in words
    page.get_by_label("Páginas", exact=True).set_input_files([str(p) for p in sorted(SEEDS.glob("*.txt"))])
    page.get_by_label("Solo leerlas: no guardar nada").uncheck()
    page.get_by_role("button", name="Leer las páginas").click()
    expect(page.get_by_text("Guardado: 3 proyectos y 2 noticias.")).to_be_visible()
    assert Project.objects.count() == 3 and NewsItem.objects.count() == 2

    page.get_by_role("link", name="Proyectos").first.click()
    page.get_by_role("link", name="Noticias de la OIM").click()
    window = page.locator("article.news-item").filter(has_text="Window")
    expect(window).to_contain_text("556 enfants")
    expect(window).to_contain_text("Ministère des affaires étrangères")
    page.get_by_label("País", exact=True).fill("Colombia")  # a country by its name or its code
    page.get_by_role("button", name="Filtrar").click()
    expect(page.get_by_text("Aún no hay noticias")).to_be_visible()

    page.get_by_role("link", name="Proyectos").first.click()
    page.get_by_role("link", name="RT.1066").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Renforcement des capacités gouvernementales")
    expect(page.locator("#facts")).to_contain_text("HN10P0002")
    expect(page.locator("#description")).to_contain_text("13 000 personnes en 2012")
    expect(page.locator("#spending")).to_contain_text("Aún no hay asistencia registrada con cargo a este proyecto.")

    # The coordinator defines the project's results framework on its page: an outcome, then an indicator of it.
    page.get_by_text("Definir el marco de resultados").click()
    page.locator("#add-outcome").get_by_label("número").fill("1")
    page.locator("#add-outcome").get_by_label("Efecto").fill("Niñas y niños retornados reintegrados")
    page.get_by_role("button", name="Agregar el efecto").click()
    expect(page.get_by_text("Efecto 1 agregado.")).to_be_visible()
    expect(page.get_by_role("heading", name="Efecto 1: Niñas y niños retornados reintegrados")).to_be_visible()
    expect(page.locator("#add-indicator")).to_be_visible()  # the panel stays open for the next part, its confirmation in it
    form = page.locator("#add-indicator")
    form.get_by_label(re.compile(r"^Mide", re.I)).select_option(label="Efecto 1: Niñas y niños retornados reintegrados")
    form.get_by_label(re.compile(r"^número", re.I)).fill("1.a")
    form.get_by_label(re.compile(r"^indicador", re.I)).fill("Funcionarios capacitados")
    form.get_by_label(re.compile(r"^unidad", re.I)).fill("personas")
    form.get_by_label(re.compile(r"^meta", re.I)).fill("40")
    form.get_by_label(re.compile(r"^período desde", re.I)).fill("2026-01-01")
    form.get_by_label(re.compile(r"^período hasta", re.I)).fill("2025-12-31")
    page.get_by_role("button", name="Agregar el indicador").click()
    expect(page.get_by_text("El período debe terminar después de empezar.")).to_be_visible()  # refused, the form kept
    expect(form.get_by_label(re.compile(r"^unidad", re.I))).to_have_value("personas")
    form.get_by_label(re.compile(r"^período hasta", re.I)).fill("2026-12-31")
    page.get_by_role("button", name="Agregar el indicador").click()
    expect(page.get_by_text("Indicador 1.a agregado.")).to_be_visible()
    expect(page.locator("#framework table.indicators")).to_contain_text("Funcionarios capacitados")

    page.get_by_role("link", name="Plan nacional").click()
    expect(page.get_by_text("Aún no se ha registrado ningún plan nacional")).to_be_visible()
