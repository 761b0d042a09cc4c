"""Aggregates that leave the system without revealing anyone.

Cells below SMALL_CELL are suppressed (shown as "<5"). So that a hidden cell cannot
be recovered by subtracting the visible ones from a total, a row total with any
hidden cell is rounded to the nearest 5, and the grand total to the nearest 10
when anything is hidden; rounded figures are shown with "≈". Never returns a name
or an id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.core.models import AuditEvent, User
from retorno.core.permissions import SMALL_CELL
from retorno.registry.models import Person, born_between

AGE_GROUPS: list[tuple[str, int | None, int | None]] = [
    ("0–5", 0, 5),
    ("6–11", 6, 11),
    ("12–17", 12, 17),
    ("18–29", 18, 29),
    ("30–44", 30, 44),
    ("45–59", 45, 59),
    ("60+", 60, None),
]


def statistics_scope(*, user: User) -> QuerySet[Person]:
    """Aggregates cover the user's whole country (every agency), never another country."""
    if not user.can("stats.view") or user.agency_id is None:
        return Person.objects.none()
    return Person.objects.filter(agency__country_id=user.agency.country_id)  # type: ignore[union-attr]


@dataclass
class Cell:
    value: int
    suppressed: bool
    round_to: int = 1

    def __str__(self) -> str:
        if self.suppressed:
            return f"<{SMALL_CELL}"
        if self.round_to > 1:
            return f"≈{round(self.value / self.round_to) * self.round_to}"
        return str(self.value)


def _cell(value: int) -> Cell:
    return Cell(value, 0 < value < SMALL_CELL)


def people_by_sex_and_age(*, user: User) -> dict[str, object]:
    """A sex × age-group table with small cells suppressed."""
    today = timezone.localdate()
    aggregates: dict[str, Count] = {}
    for index, (_label, low, high) in enumerate(AGE_GROUPS):
        aggregates[f"a{index}"] = Count("id", filter=born_between(today, low, high))
    aggregates["unknown"] = Count("id", filter=Q(birth_date__isnull=True))
    aggregates["total"] = Count("id")
    rows: list[dict[str, Any]] = []
    for sex, label in Person.Sex.choices:
        counts = statistics_scope(user=user).filter(sex=sex).aggregate(**aggregates)
        if not counts["total"]:
            continue
        cells = [_cell(counts[f"a{i}"]) for i in range(len(AGE_GROUPS))] + [_cell(counts["unknown"])]
        hidden = any(c.suppressed for c in cells)
        total = Cell(counts["total"], suppressed=False, round_to=5 if hidden else 1)
        rows.append({"label": label, "cells": cells, "total": total})
    grand = statistics_scope(user=user).count()
    anything_hidden = any(row["total"].round_to > 1 for row in rows)
    return {
        "columns": [label for label, _low, _high in AGE_GROUPS] + [str(_("unknown age"))],
        "rows": rows,
        "total": Cell(grand, suppressed=0 < grand < SMALL_CELL, round_to=10 if anything_hidden else 1),
        "small_cell": SMALL_CELL,
    }


def home_counts(*, user: User) -> dict[str, int]:
    """Counts for the home page: no names, nothing to audit."""
    counts: dict[str, int] = {}
    if user.can("person.view") and user.agency_id:
        people = Person.objects.filter(agency_id=user.agency_id)
        month_start = timezone.localdate().replace(day=1)
        counts["people"] = people.count()
        counts["people_this_month"] = people.filter(created_at__date__gte=month_start).count()
    if user.can("audit.browse"):
        counts["audit_today"] = AuditEvent.objects.filter(at__date=timezone.localdate()).count()
        counts["users"] = User.objects.filter(is_active=True).count()
    return counts


def team_activity(*, user: User) -> list[dict[str, object]]:
    """For supervisors: how many records each team member read or changed today."""
    if user.role != "supervisor":
        return []
    today = timezone.localdate()
    team = list(User.objects.filter(supervisor=user, is_active=True).order_by("full_name"))
    per_user = dict(
        AuditEvent.objects.filter(user__in=team, at__date=today).values_list("user_id").annotate(n=Count("id")).values_list("user_id", "n")
    )
    return [{"name": m.full_name, "role": m.get_role_display(), "events_today": per_user.get(m.pk, 0)} for m in team]
