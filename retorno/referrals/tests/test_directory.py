"""The public services directory: found by municipality and need without logging in, small and
script-free pages; each provider keeps its own services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from retorno.core.models import AdminArea, Agency, User
from retorno.core.permissions import Role
from retorno.core.tests.factories import UserFactory
from retorno.referrals import services
from retorno.referrals.models import Service


def _area(name: str, level: int) -> AdminArea:
    return AdminArea.objects.get(country__code="SV", name=name, level=level)


@pytest.fixture
def listed(oim_sv: Agency, dgme: Agency, administrator: User) -> dict[str, Service]:
    def add(provider: Agency, name: str, category: str, served: list[AdminArea], **data: Any) -> Service:
        return services.service_save(
            actor=administrator,
            provider=provider,
            data={"name": name, "category": category, "phone": "2604-5501", **data},
            description={"es": f"Descripción de {name}", "en": f"About {name}"},
            areas=served,
        )

    department = _area("La Unión", AdminArea.Level.DEPARTMENT)
    return {
        "psychosocial": add(oim_sv, "Atención psicosocial — La Unión", "psychosocial", [department], public="returnees"),
        "school": add(oim_sv, "Regreso a la escuela", "education", [department], min_age=6, max_age=17),
        "capital": add(oim_sv, "Psicología — San Salvador", "psychosocial", [_area("San Salvador", AdminArea.Level.DEPARTMENT)]),
        "documents": add(dgme, "Pasaporte y DUI", "legal", [], nationwide=True),
    }


@pytest.mark.django_db
def test_anyone_finds_services_by_municipality_and_need_on_small_pages_without_scripts(listed: dict[str, Service]) -> None:
    client = Client()
    la_union = _area("La Unión", AdminArea.Level.MUNICIPALITY)
    found = client.get("/services/sv/", {"municipality": la_union.pk, "category": "psychosocial"})
    page = found.content.decode()
    assert found.status_code == 200 and "Atención psicosocial — La Unión" in page and "San Salvador" not in page.split('id="results"')[1]
    assert "<script" not in page and len(found.content) < 40_000
    everything = client.get("/services/sv/", {"municipality": la_union.pk}).content.decode()
    assert "Pasaporte y DUI" in everything and "Regreso a la escuela" in everything  # nationwide, and the department's
    adult = client.get("/services/sv/", {"municipality": la_union.pk, "age": 30, "returnee": "no"}).content.decode()
    assert "Regreso a la escuela" not in adult and "Atención psicosocial — La Unión" not in adult  # too old; for returnees only
    detail = client.get(f"/services/sv/{listed['psychosocial'].pk}/")
    assert detail.status_code == 200 and "Descripción de Atención psicosocial" in detail.content.decode()
    english = Client(headers={"accept-language": "en"})
    english.post("/i18n/setlang/", {"language": "en"})
    assert "About Atención psicosocial" in english.get(f"/services/sv/{listed['psychosocial'].pk}/").content.decode()
    assert "Your rights when you return" in english.get("/rights/").content.decode()
    Service.objects.filter(pk=listed["psychosocial"].pk).update(is_active=False)
    assert client.get(f"/services/sv/{listed['psychosocial'].pk}/").status_code == 404
    assert client.get("/services/sv/", {"age": "abc"}).status_code == 400


@pytest.mark.django_db
def test_each_provider_keeps_its_own_services_and_hears_every_problem_at_once(
    listed: dict[str, Service], dgme: Agency, oim_sv: Agency, caseworker: User, login: Callable[[User], Client]
) -> None:
    officer = UserFactory(email="ventanilla@oim.test", agency=oim_sv, role=Role.INFORMATION_OFFICER)
    client = login(officer)
    assert "Atención psicosocial — La Unión" in client.get("/services/manage/").content.decode()
    assert client.get(f"/services/manage/{listed['documents'].pk}/").status_code == 404  # the DGME's
    refused = client.post("/services/manage/new/", {"name": "", "category": "", "public": "anyone", "min_age": 18, "max_age": 10})
    page = refused.content.decode()
    assert refused.status_code == 400
    for message in (
        "Escriba el nombre del servicio.",
        "Elija una categoría.",
        "Describa el servicio en español",
        "La edad máxima",
        "Indique dónde",
    ):
        assert message in page
    la_union = _area("La Unión", AdminArea.Level.MUNICIPALITY)
    saved = client.post(
        "/services/manage/new/",
        {
            "name": "Ventanilla",
            "category": "legal",
            "public": "anyone",
            "description_es": "Información",
            "areas": [la_union.pk],
            "phone": "2604",
        },
    )
    assert saved.status_code == 302 and Service.objects.get(name="Ventanilla").provider == oim_sv
    assert login(caseworker).get("/services/manage/").status_code == 404


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_public_directory_in_spanish_without_login_finds_a_psychosocial_service_in_la_union(
    live_server: Any, page: Any, listed: dict[str, Service]
) -> None:
    page.goto(f"{live_server.url}/services/")
    page.get_by_label("Municipio").select_option(label="La Unión (La Unión)")
    page.get_by_label("Qué se necesita").select_option("psychosocial")
    page.get_by_role("button", name="Buscar").click()
    expect(page.locator("#results")).to_contain_text("Atención psicosocial — La Unión")
    page.get_by_role("link", name="Atención psicosocial — La Unión").click()
    expect(page.locator("#service-facts")).to_contain_text("2604-5501")


@pytest.mark.django_db
def test_the_directory_api_is_public_for_reading_and_kept_by_providers(
    listed: dict[str, Service], oim_sv: Agency, caseworker: User, login: Callable[[User], Client]
) -> None:
    la_union = _area("La Unión", AdminArea.Level.MUNICIPALITY)
    found = Client().get("/api/v1/services/sv", {"municipality": la_union.pcode, "category": "psychosocial"})
    assert found.status_code == 200 and [s["name"] for s in found.json()] == ["Atención psicosocial — La Unión"]
    assert Client().get(f"/api/v1/services/sv/{listed['school'].pk}").json()["max_age"] == 17
    officer = UserFactory(email="ventanilla@oim.test", agency=oim_sv, role=Role.INFORMATION_OFFICER)
    body = {"name": "Ventanilla", "category": "legal", "description": {"es": "Información"}, "nationwide": True, "phone": "2604-5500"}
    created = login(officer).post("/api/v1/services", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["provider"] == "OIM-SV"
    assert login(caseworker).post("/api/v1/services", body, content_type="application/json").status_code == 403
    other = login(officer).put(f"/api/v1/services/sv/{listed['documents'].pk}", body, content_type="application/json")
    assert other.status_code == 404
    mine = login(officer).put(
        f"/api/v1/services/sv/{listed['school'].pk}", {**body, "name": "Regreso a clases"}, content_type="application/json"
    )
    assert mine.status_code == 200 and mine.json()["name"] == "Regreso a clases"
    assert Client().put(f"/api/v1/services/sv/{listed['school'].pk}", body, content_type="application/json").status_code == 401
