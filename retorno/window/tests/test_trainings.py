"""Trainings given by the Window office: audience, topics, attendance by sex or by name, and what
was learnt when a test was given before and after."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from retorno.core.models import User
from retorno.window import selectors, services
from retorno.window.models import Training

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _school_session(officer: User, **data: object) -> Training:
    values = {
        "title": "Riesgos de la migración irregular",
        "held_on": TODAY - datetime.timedelta(days=3),
        "place": "Instituto Nacional de La Unión",
        "audience": "schools",
        "topics": ["risks", "rights"],
        "women": 14,
        "men": 11,
        **data,
    }
    return services.training_save(actor=officer, data=values)


def test_a_training_hears_every_problem_at_once(information_officer: User) -> None:
    with pytest.raises(ValidationError) as refused:
        services.training_save(
            actor=information_officer,
            data={
                "title": " ",
                "held_on": TODAY + datetime.timedelta(days=1),
                "place": "",
                "audience": "x",
                "topics": [],
                "pre_average": Decimal(120),
            },
        )
    assert set(refused.value.error_dict) == {"title", "held_on", "place", "audience", "topics", "pre_average"}


def test_named_participants_set_the_attendance_and_the_averages(information_officer: User, caseworker: User) -> None:
    training = _school_session(information_officer, pre_average=Decimal(40), post_average=Decimal(70))
    assert (training.women, training.men) == (14, 11)
    services.participant_add(
        actor=information_officer, training=training, name="Lic. Ana Ruiz", sex="F", pre_score=Decimal(50), post_score=Decimal(90)
    )
    services.participant_add(
        actor=information_officer, training=training, name="Prof. Luis Gómez", sex="M", pre_score=Decimal(30), post_score=Decimal(80)
    )
    training.refresh_from_db()
    # Two of the 25 named: the counts stay, the averages are theirs.
    assert (training.women, training.men) == (14, 11) and (training.pre_average, training.post_average) == (Decimal(40), Decimal(85))
    with pytest.raises(ValidationError) as refused:
        services.participant_add(actor=information_officer, training=training, name="", sex="X", post_score=Decimal(101))
    assert set(refused.value.error_dict) == {"name", "sex", "post_score"}
    with pytest.raises(PermissionDenied):
        services.participant_add(actor=caseworker, training=training, name="Otra", sex="F")  # not their office's


def test_the_dashboard_sums_trainings_by_audience_and_weighs_the_scores(information_officer: User, coordinator: User) -> None:
    _school_session(information_officer, pre_average=Decimal(40), post_average=Decimal(80))  # 25 people
    _school_session(information_officer, audience="government", women=3, men=2, pre_average=Decimal(70), post_average=Decimal(70))
    _school_session(information_officer, audience="community", women=10, men=0)  # not tested
    summary = selectors.training_summary(user=coordinator)
    assert (summary.sessions, summary.women, summary.men, summary.tested) == (3, 27, 13, 2)
    assert {a: (s, p) for a, s, p in summary.by_audience}["escuelas"] == (1, 25)
    assert summary.pre_average == Decimal("45.0") and summary.post_average == Decimal("78.3")  # weighted by attendance


def test_trainings_pages_and_api(information_officer: User, caseworker: User, login: Callable[[User], Client]) -> None:
    client = login(information_officer)
    refused = client.post("/window/trainings/new/", {"title": "Charla"})
    assert refused.status_code == 400 and "Marque al menos un tema" in refused.content.decode()
    made = client.post(
        "/window/trainings/new/",
        {
            "title": "Derechos de la persona retornada",
            "held_on": TODAY.isoformat(),
            "place": "Alcaldía de La Unión",
            "audience": "government",
            "topics": ["rights", "services"],
            "women": 6,
            "men": 4,
        },
    )
    training = Training.objects.get()
    assert made.status_code == 302 and made["Location"] == f"/window/trainings/{training.pk}/"
    added = client.post(
        made["Location"], {"name": "Marta Flores", "sex": "F", "organisation": "Alcaldía", "pre_score": "55", "post_score": "85"}
    )
    assert added.status_code == 302
    page = client.get(made["Location"]).content.decode()
    assert "Marta Flores" in page and "55,0 → 85,0" in page  # Spanish decimals
    assert "Derechos de la persona retornada" in client.get("/window/trainings/").content.decode()
    assert "1 sesión" in client.get("/window/dashboard/").content.decode()
    assert login(caseworker).get(made["Location"]).status_code == 404
    api = client.post(
        "/api/v1/window/trainings",
        {
            "title": "Migración segura",
            "held_on": TODAY.isoformat(),
            "place": "Escuela de Conchagua",
            "audience": "schools",
            "topics": ["risks"],
            "women": 20,
            "men": 18,
        },
        content_type="application/json",
    )
    assert api.status_code == 201 and api.json()["women"] == 20
    listed = client.get("/api/v1/window/trainings").json()
    assert {t["title"] for t in listed} == {"Migración segura", "Derechos de la persona retornada"}
