"""Indicators computed from the records by declared queries, and what projects pay for.

The apps that hold the records (reception, cases, protection, window) declare their queries in
their own ``indicators`` module, imported when the app is ready, so this app never imports them:
it keeps the list, offers it to administrators when they define an indicator, and runs the chosen
query for the indicator's period over the project's benefiting countries. A query returns counts
only — never a name or an id — split by sex and age group where it counts people.

Spending works the same way: an app that records what a project pays for registers a function
that sums it (``FUNDED``), and the project page lists every line.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise

from retorno.registry.models import Person, born_between

# Age at the end of the period; "unknown" when the birth date is not recorded.
AGE_GROUPS: list[tuple[str, int, int | None]] = [("0–11", 0, 11), ("12–17", 12, 17), ("18–59", 18, 59), ("60+", 60, None)]


@dataclass(frozen=True)
class Scope:
    start: datetime.date
    end: datetime.date
    countries: tuple[int, ...] = ()  # country ids; empty means every country
    project_id: int | None = None

    def in_countries(self, path: str) -> Q:
        """Rows whose ``path`` (e.g. "agency__country") is one of the scope's countries."""
        return Q(**{f"{path}__in": self.countries}) if self.countries else Q()


@dataclass
class Measure:
    total: Decimal
    by_sex: dict[str, int] = field(default_factory=dict)
    by_age: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Query:
    key: str
    label: Promise
    unit: Promise
    compute: Callable[[Scope], Measure]


QUERIES: dict[str, Query] = {}


def declare(key: str, *, label: Promise, unit: Promise) -> Callable[[Callable[[Scope], Measure]], Callable[[Scope], Measure]]:
    def register(compute: Callable[[Scope], Measure]) -> Callable[[Scope], Measure]:
        if key in QUERIES and QUERIES[key].compute is not compute:
            raise ValueError(f"indicator query {key!r} declared twice")
        QUERIES[key] = Query(key, label, unit, compute)
        return compute

    return register


def query_choices() -> list[tuple[str, str]]:
    return sorted(((q.key, str(q.label)) for q in QUERIES.values()), key=lambda pair: pair[1])


def count_people(people: QuerySet[Person], at: datetime.date) -> Measure:
    """Distinct people, by sex and by age group at ``at``: one aggregate query."""
    aggregates: dict[str, Count] = {"total": Count("pk", distinct=True)}
    for sex in (Person.Sex.FEMALE, Person.Sex.MALE):
        aggregates[f"sex_{sex}"] = Count("pk", distinct=True, filter=Q(sex=sex))
    for index, (_label, low, high) in enumerate(AGE_GROUPS):
        aggregates[f"age_{index}"] = Count("pk", distinct=True, filter=born_between(at, low, high))
    counts = people.aggregate(**aggregates)
    return Measure(
        total=Decimal(counts["total"]),
        by_sex={sex: counts[f"sex_{sex}"] for sex in (Person.Sex.FEMALE, Person.Sex.MALE)},
        by_age={label: counts[f"age_{i}"] for i, (label, _low, _high) in enumerate(AGE_GROUPS)},
    )


def run(key: str, scope: Scope) -> Measure:
    query = QUERIES.get(key)
    if query is None:
        raise KeyError(key)
    return query.compute(scope)


def scope_end(end: datetime.date) -> datetime.date:
    """A period still running is measured up to today."""
    return min(end, timezone.localdate())


@dataclass
class FundedLine:
    """One line of what a project paid for: counts and amounts in US dollars, never a name."""

    label: str
    items: int
    people: int
    committed_usd: Decimal
    spent_usd: Decimal


FUNDED: list[Callable[[int], list[FundedLine]]] = []


def funded_by(project_id: int) -> list[FundedLine]:
    return [line for provider in FUNDED for line in provider(project_id)]
