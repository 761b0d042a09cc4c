from __future__ import annotations

import datetime
from collections.abc import Callable

from django.test import Client

from retorno.core.models import Country, User
from retorno.core.tests.factories import AgencyFactory, UserFactory, person_data
from retorno.registry import services


def _register(officer: User, sex: str, age: int, n: int) -> None:
    today = datetime.date.today()
    for i in range(n):
        birth = today.replace(year=today.year - age) - datetime.timedelta(days=30 + i)
        services.person_create(actor=officer, **person_data(given_names=f"Xiomara {i}", sex=sex, birth_date=birth))


def test_coordinator_sees_counts_with_small_cells_hidden_and_no_names(
    reception_officer: User, coordinator: User, login: Callable[[User], Client]
) -> None:
    _register(reception_officer, "M", 30, 12)
    _register(reception_officer, "F", 30, 2)
    page = login(coordinator).get("/statistics/").content.decode()
    assert "<td>12</td>" in page  # men 30–44
    assert "&lt;5" in page  # two women: hidden
    assert "≈10" in page  # the grand total (14) is rounded, so the hidden cell cannot be subtracted out
    assert "<td>14</td>" not in page
    assert "Xiomara" not in page and "Hernández" not in page


def test_statistics_stay_within_the_country_and_need_the_permission(
    reception_officer: User, caseworker: User, login: Callable[[User], Client]
) -> None:
    _register(reception_officer, "M", 30, 6)
    honduras = AgencyFactory(acronym="OIM-HN", country=Country.objects.get(code="HN"))
    hn_coordinator = UserFactory(email="coord@oim-hn.test", agency=honduras, role="me_coordinator")
    assert "<td>6</td>" not in login(hn_coordinator).get("/statistics/").content.decode()
    assert login(caseworker).get("/statistics/").status_code == 404
