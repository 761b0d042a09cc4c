"""Reads of the information office: the day's consultations and the dashboard (counts only)."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from retorno.core.models import Site, User
from retorno.window.models import AgeGroup, Channel, Consultation, Profile, Topic


def consultations_recent(*, user: User, office: Site | None, limit: int = 10) -> QuerySet[Consultation]:
    """The office's latest consultations (no names are shown with them)."""
    if not user.can("window.record") or office is None or office.agency_id != user.agency_id:
        return Consultation.objects.none()
    return Consultation.objects.filter(office=office).order_by("-recorded_at")[:limit]


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

    @property
    def largest(self) -> int:
        return max([n for _label, n in self.by_topic + self.by_month] + [1])


def dashboard_scope(*, user: User) -> QuerySet[Consultation]:
    """Administrators and M&E coordinators see every office of the country; an office's staff their institution's."""
    if not user.can("window.dashboard") or user.agency_id is None:
        return Consultation.objects.none()
    if user.can("stats.view") and not user.can("window.record"):
        return Consultation.objects.filter(agency__country_id=user.agency.country_id)  # type: ignore[union-attr]
    return Consultation.objects.filter(agency_id=user.agency_id)


def dashboard(*, user: User, office: Site | None = None, months: int = 12) -> Dashboard:
    """Consultations of the last `months` months by topic, month, sex, age group, channel and profile."""
    today = timezone.localdate()
    back = today.year * 12 + today.month - 1 - (months - 1)
    start = datetime.date(back // 12, back % 12 + 1, 1)
    scope = dashboard_scope(user=user)
    board = Dashboard(offices=list(Site.objects.filter(pk__in=scope.values("office_id")).order_by("name")))
    qs = scope.filter(held_on__gte=start)
    if office is not None:
        qs = qs.filter(office=office)
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
