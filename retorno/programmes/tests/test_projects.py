"""Projects of the seeds: loaded once, read through the API, checked on save."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from retorno.core.models import User
from retorno.programmes.models import Project
from retorno.programmes.services import project_save, seed_projects_load


def test_the_seed_projects_load_once_with_their_states(places: None) -> None:
    assert seed_projects_load() == 3
    seed_projects_load()
    assert Project.objects.count() == 3
    rt1066 = Project.objects.get(code="RT.1066")
    assert (rt1066.prima_id, rt1066.budget_usd, rt1066.coverage) == ("HN10P0002", Decimal("280000.00"), "regional")
    assert sorted(rt1066.benefiting_states.values_list("code", flat=True)) == ["HN", "SV"]


def test_a_project_cannot_end_before_it_starts(places: None) -> None:
    with pytest.raises(ValidationError) as refused:
        project_save(code="rt.2000", title="Prueba", budget_usd=Decimal(1000), start_year=2025, end_year=2023)
    assert "end_year" in refused.value.error_dict and not Project.objects.exists()


def test_projects_through_the_api(caseworker: User, login: Callable[[User], Client]) -> None:
    seed_projects_load()
    client = login(caseworker)
    running_2025 = client.get("/api/v1/projects", {"active_in": 2025}).json()
    assert [p["code"] for p in running_2025] == ["PN.0008"]
    assert client.get("/api/v1/projects/rt.1130").json()["benefiting_states"] == ["CO"]
    assert client.get("/api/v1/projects/XX.0000").status_code == 404
