"""Personas shared by every app's tests (STYLE.md): named users per institution and role.

DGME (El Salvador's migration directorate) is agency A; OIM-SV is agency B, the
"outsider" for DGME's records; CONNA is the child-protection authority.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from retorno.core.models import Agency, Country, User
from retorno.core.permissions import Role
from retorno.core.tests.factories import AgencyFactory, UserFactory

PASSWORD = "contraseña-de-prueba-2026"  # noqa: S105


@pytest.fixture(autouse=True, scope="session")
def tasks_run_at_once() -> None:
    """Background jobs run inside the request in tests (Huey's immediate mode, in memory)."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True


@pytest.fixture
def places(db: Any) -> None:
    """Countries, departments, municipalities, points of entry, languages (idempotent)."""
    from retorno.core.services import places_load_all
    from retorno.registry.services import reference_lists_load

    if not Country.objects.filter(code="SV", admin_areas__isnull=False).exists():
        places_load_all()
        reference_lists_load()


@pytest.fixture
def dgme(places: None) -> Agency:
    return AgencyFactory(acronym="DGME", name="Dirección General de Migración y Extranjería", country=Country.objects.get(code="SV"))


@pytest.fixture
def oim_sv(places: None) -> Agency:
    return AgencyFactory(acronym="OIM-SV", name="OIM El Salvador", kind=Agency.Kind.IOM, country=Country.objects.get(code="SV"))


@pytest.fixture
def conna(places: None) -> Agency:
    return AgencyFactory(
        acronym="CONNA",
        name="Consejo Nacional de la Niñez y de la Adolescencia",
        country=Country.objects.get(code="SV"),
        is_child_protection_authority=True,
    )


def _persona(email: str, name: str, agency: Agency, role: Role) -> User:
    return UserFactory(email=email, full_name=name, agency=agency, role=role, password=PASSWORD)


@pytest.fixture
def reception_officer(dgme: Agency) -> User:
    return _persona("karla@dgme.test", "Karla Beatriz Mejía Rivas", dgme, Role.RECEPTION_OFFICER)


@pytest.fixture
def caseworker(dgme: Agency) -> User:
    return _persona("jose@dgme.test", "José Luis Hernández Ayala", dgme, Role.CASEWORKER)


@pytest.fixture
def supervisor(dgme: Agency) -> User:
    return _persona("ana@dgme.test", "Ana Gabriela Portillo Cañas", dgme, Role.SUPERVISOR)


@pytest.fixture
def psychosocial(dgme: Agency) -> User:
    return _persona("rosa@dgme.test", "Rosa Elena Martínez Orellana", dgme, Role.PSYCHOSOCIAL_SPECIALIST)


@pytest.fixture
def outsider(oim_sv: Agency) -> User:
    """A caseworker at another agency: must never see DGME's people."""
    return _persona("sofia@oim.test", "Sofía Marisol Chávez Molina", oim_sv, Role.CASEWORKER)


@pytest.fixture
def coordinator(oim_sv: Agency) -> User:
    return _persona("lucia@oim.test", "Lucía Fernanda Alvarado Menjívar", oim_sv, Role.ME_COORDINATOR)


@pytest.fixture
def administrator(oim_sv: Agency) -> User:
    return _persona("ernesto@oim.test", "Ernesto Rafael Quintanilla Bonilla", oim_sv, Role.ADMINISTRATOR)


@pytest.fixture
def child_protection_officer(conna: Agency) -> User:
    return _persona("angeles@conna.test", "María de los Ángeles Guzmán Flores", conna, Role.CHILD_PROTECTION_OFFICER)


@pytest.fixture
def information_officer(oim_sv: Agency) -> User:
    return _persona("carlos@oim.test", "Carlos Antonio Reyes Pérez", oim_sv, Role.INFORMATION_OFFICER)


@pytest.fixture
def protection_supervisor(conna: Agency) -> User:
    return _persona("lorena@conna.test", "Lorena Isabel Chávez Molina", conna, Role.SUPERVISOR)


@pytest.fixture
def login() -> Callable[[User], Client]:
    """A test client logged in as the user, past two-factor where the role needs it."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        if user.role in (Role.ADMINISTRATOR, Role.SUPERVISOR):
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
            session = client.session
            session["otp_device_id"] = device.persistent_id
            session.save()
        return client

    return make


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def chromium() -> Any:
    """Debian's Chromium driven by Playwright (playwright install cannot download browsers here)."""
    import os

    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the live server's DB work is in another.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any) -> Any:
    context = chromium.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
