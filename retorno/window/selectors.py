"""Reads of the information office: the day's consultations and the dashboard (counts only)."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from retorno.core.models import Site, User
from retorno.window.models import AgeGroup, Audience, Channel, Consultation, Profile, Topic, Training

M = TypeVar("M", Consultation, Training)


def consultations_recent(*, user: User, office: Site | None, limit: int = 10) -> QuerySet[Consultation]:
    """The office's latest consultations (no names are shown with them)."""
    if not user.can("window.record") or office is None or office.agency_id != user.agency_id:
        return Consultation.objects.none()
    return Consultation.objects.filter(office=office).select_related("person").order_by("-held_on", "-recorded_at")[:limit]


@dataclass
class Dashboard:
    total: int = 0
    anonymous: int = 0
    by_topic: list[tuple[str, int]] = field(default_factory=list)
    by_month: list[tuple[datetime.date, int]] = field(default_factory=list)
    by_sex: list[tuple[str, int]] = field(default_factory=list)
    by_age: list[tuple[str, int]] = field(default_factory=list)
    by_channel: list[tuple[str, int]] = field(default_factory=list)
    by_profile: list[tuple[str, int]] = field(default_factory=list)
    offices: list[Site] = field(default_factory=list)
    office: Site | None = None

    @property
    def top(self) -> dict[str, int]:
        """Each chart's largest count, so that its bars are drawn against it."""
        series: dict[str, list[tuple[Any, int]]] = {
            "by_topic": self.by_topic,
            "by_month": self.by_month,
            "by_sex": self.by_sex,
            "by_age": self.by_age,
            "by_channel": self.by_channel,
            "by_profile": self.by_profile,
        }
        return {name: max([n for _label, n in rows] + [1]) for name, rows in series.items()}


def _visible(user: User, model: type[M]) -> QuerySet[M]:
    """Administrators and M&E coordinators see every office of the country; an office's staff their institution's."""
    if not user.can("window.dashboard") or user.agency is None:
        return model.objects.none()  # type: ignore[attr-defined, no-any-return]
    if user.can("stats.view") and not user.can("window.record"):
        return model.objects.filter(agency__country_id=user.agency.country_id)  # type: ignore[attr-defined, no-any-return]
    return model.objects.filter(agency_id=user.agency.pk)  # type: ignore[attr-defined, no-any-return]


def dashboard_scope(*, user: User) -> QuerySet[Consultation]:
    return _visible(user, Consultation)


def _months_start(months: int) -> datetime.date:
    """The first day of the month `months - 1` months before this one (12: the last twelve months)."""
    today = timezone.localdate()
    back = today.year * 12 + today.month - 1 - (months - 1)
    return datetime.date(back // 12, back % 12 + 1, 1)


def dashboard(*, user: User, office_id: int | None = None, months: int = 12) -> Dashboard:
    """Consultations of the last `months` months by topic, month, sex, age group, channel and
    profile; of one office when `office_id` is one of the offices the user sees."""
    today = timezone.localdate()
    start = _months_start(months)
    scope = dashboard_scope(user=user)
    board = Dashboard(offices=list(Site.objects.filter(pk__in=scope.values("office_id")).order_by("name")))
    board.office = next((o for o in board.offices if o.pk == office_id), None)
    qs = scope.filter(held_on__gte=start)
    if board.office is not None:
        qs = qs.filter(office=board.office)
    rows = list(qs.values_list("held_on", "topics", "sex", "age_group", "channel", "profile", "person_id"))
    board.total = len(rows)
    board.anonymous = sum(1 for *_rest, person in rows if person is None)
    topics = Counter(t for _d, ts, *_rest in rows for t in ts)
    board.by_topic = [(str(label), topics[value]) for value, label in Topic.choices]
    month_counts = Counter(day.replace(day=1) for day, *_rest in rows)
    month, board.by_month = start, []
    while month <= today:
        board.by_month.append((month, month_counts[month]))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    sexes = Counter(row[2] for row in rows)
    board.by_sex = [(str(label), sexes[value]) for value, label in Consultation.Sex.choices]
    ages = Counter(row[3] for row in rows)
    board.by_age = [(str(label), ages[value]) for value, label in AgeGroup.choices]
    channels = Counter(row[4] for row in rows)
    board.by_channel = [(str(label), channels[value]) for value, label in Channel.choices]
    profiles = Counter(row[5] for row in rows)
    board.by_profile = [(str(label), profiles[value]) for value, label in Profile.choices]
    return board


# --- Trainings ------------------------------------------------------------------------------------


def trainings_of(*, user: User) -> QuerySet[Training]:
    if not user.can("window.record") or user.agency_id is None:
        return Training.objects.none()
    return Training.objects.filter(agency_id=user.agency_id).select_related("office", "municipality")


def training_get(*, user: User, pk: int) -> Training:
    training = trainings_of(user=user).filter(pk=pk).first()
    if training is None:
        raise Http404
    return training


@dataclass
class TrainingSummary:
    sessions: int = 0
    women: int = 0
    men: int = 0
    by_audience: list[tuple[str, int, int]] = field(default_factory=list)  # (audience, sessions, people)
    tested: int = 0
    pre_average: Decimal | None = None
    post_average: Decimal | None = None

    @property
    def people(self) -> int:
        return self.women + self.men

    @property
    def gain(self) -> Decimal | None:
        return None if self.pre_average is None or self.post_average is None else self.post_average - self.pre_average


def training_summary(*, user: User, months: int = 12) -> TrainingSummary:
    """Trainings of the last `months` months of what the dashboard's user may see; the averages
    weigh each session tested before and after by its attendance."""
    rows = list(_visible(user, Training).filter(held_on__gte=_months_start(months)))
    summary = TrainingSummary(sessions=len(rows), women=sum(t.women for t in rows), men=sum(t.men for t in rows))
    summary.by_audience = [
        (str(label), sum(1 for t in rows if t.audience == value), sum(t.women + t.men for t in rows if t.audience == value))
        for value, label in Audience.choices
    ]
    tested = [(t.pre_average, t.post_average, t.women + t.men) for t in rows if t.women + t.men > 0]
    scored = [(pre, post, n) for pre, post, n in tested if pre is not None and post is not None]
    if scored:
        weight = sum(n for _pre, _post, n in scored)
        summary.tested = len(scored)
        summary.pre_average = round(sum((pre * n for pre, _post, n in scored), Decimal(0)) / weight, 1)
        summary.post_average = round(sum((post * n for _pre, post, n in scored), Decimal(0)) / weight, 1)
    return summary
