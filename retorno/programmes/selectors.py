"""Reads of projects, frameworks and the national plan: counts and amounts only, never a name.

Computed indicators come from the declared queries (``indicators.QUERIES``); figures that leave
the system are shown with small cells suppressed, as every other aggregate (``SMALL_CELL``).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from retorno.core.models import User
from retorno.core.permissions import SMALL_CELL
from retorno.programmes import indicators as queries
from retorno.programmes.gcm import OBJECTIVES
from retorno.programmes.models import (
    GcmObjective,
    Indicator,
    IndicatorReport,
    NationalPlan,
    NewsItem,
    Organisation,
    Outcome,
    Output,
    PlanAction,
    Project,
    ProjectPartner,
)


def projects(*, status: str = "", country: str = "", objective: int | None = None, q: str = "") -> QuerySet[Project]:
    found = Project.objects.prefetch_related("benefiting_states", "texts", "objectives")
    if status:
        found = found.filter(status=status)
    if country:
        found = found.filter(benefiting_states__code=country.upper())
    if objective:
        found = found.filter(objectives__number=objective)
    if q:
        found = found.filter(code__icontains=q) | found.filter(title__icontains=q) | found.filter(texts__title__icontains=q)
    return found.distinct()


def project_get(code: str) -> Project | None:
    return (
        Project.objects.prefetch_related(
            "benefiting_states",
            "texts",
            "objectives",
            Prefetch("partners", queryset=ProjectPartner.objects.select_related("organisation")),
        )
        .filter(code=code.upper())
        .first()
    )


@dataclass
class Figure:
    """A measured value, with its parts by sex and age. Counted from the records, it is shown as every
    aggregate is (``retorno.reports.selectors``): parts below SMALL_CELL hidden, a total below it hidden
    (``suppressed``), and a total beside a hidden part rounded to 5 (``approximate``) so that no part can
    be recovered by subtraction."""

    value: Decimal | None
    by_sex: dict[str, int | None] = field(default_factory=dict)
    by_age: dict[str, int | None] = field(default_factory=dict)
    as_of: datetime.date | None = None
    source: str = ""
    suppressed: bool = False
    approximate: bool = False


def _hide(parts: dict[str, int]) -> dict[str, int | None]:
    return {k: (None if 0 < v < SMALL_CELL else v) for k, v in parts.items()}


def _counted(total: Decimal, by_sex: dict[str, int], by_age: dict[str, int], **rest: object) -> Figure:
    """A figure counted from the records, ready to be shown (see ``Figure``)."""
    sexes, ages = _hide(by_sex), _hide(by_age)
    if 0 < total < SMALL_CELL:
        return Figure(value=None, by_sex=sexes, by_age=ages, suppressed=True, **rest)  # type: ignore[arg-type]
    if None in sexes.values() or None in ages.values():
        return Figure(value=Decimal(round(total / 5) * 5), by_sex=sexes, by_age=ages, approximate=True, **rest)  # type: ignore[arg-type]
    return Figure(value=total, by_sex=sexes, by_age=ages, **rest)  # type: ignore[arg-type]


def measure(indicator: Indicator, *, countries: tuple[int, ...] | None = None) -> Figure:
    """The indicator's current value: the declared query run now, or the latest value reported."""
    if indicator.method == Indicator.Method.COMPUTED:
        if countries is None:
            countries = tuple(indicator.project.benefiting_states.values_list("pk", flat=True))
        end = queries.scope_end(indicator.period_end)
        if end < indicator.period_start:
            return Figure(value=Decimal(0), as_of=end)
        scope = queries.Scope(start=indicator.period_start, end=end, countries=countries, project_id=indicator.project_id)
        result = queries.run(indicator.query, scope)
        label = queries.QUERIES[indicator.query].label
        return _counted(
            result.total,
            result.by_sex if indicator.by_sex else {},
            result.by_age if indicator.by_age else {},
            as_of=end,
            source=str(label),
        )
    reports = list(indicator.reports.all())
    total = next((r for r in reports if not r.sex and not r.age_group), None)
    if total is None:
        return Figure(value=None)
    same_day = [r for r in reports if r.period_end == total.period_end]
    return Figure(
        value=total.value,
        by_sex={r.sex: int(r.value) for r in same_day if r.sex and not r.age_group} if indicator.by_sex else {},
        by_age={r.age_group: int(r.value) for r in same_day if r.age_group and not r.sex} if indicator.by_age else {},
        as_of=total.period_end,
        source=total.source,
    )


@dataclass
class IndicatorRow:
    indicator: Indicator
    figure: Figure

    @property
    def progress(self) -> int | None:
        """Percent of the way from the baseline to the target (0–100)."""
        value, ind = self.figure.value, self.indicator
        if value is None or ind.target == ind.baseline:
            return None
        share = (value - ind.baseline) * 100 / (ind.target - ind.baseline)
        return int(max(Decimal(0), min(Decimal(100), share)))


@dataclass
class OutputRow:
    output: Output
    indicators: list[IndicatorRow]


@dataclass
class OutcomeRow:
    outcome: Outcome
    indicators: list[IndicatorRow]
    outputs: list[OutputRow]


@dataclass
class ProjectView:
    project: Project
    funded: list[queries.FundedLine]
    outcomes: list[OutcomeRow]
    loose: list[IndicatorRow]  # indicators of the project outside any outcome or output

    @property
    def committed_usd(self) -> Decimal:
        return sum((line.committed_usd for line in self.funded), Decimal(0))

    @property
    def spent_usd(self) -> Decimal:
        return sum((line.spent_usd for line in self.funded), Decimal(0))

    @property
    def percent_spent(self) -> int | None:
        budget = self.project.budget_usd
        return int(self.spent_usd * 100 / budget) if budget else None

    @property
    def remaining_usd(self) -> Decimal | None:
        budget = self.project.budget_usd
        return budget - self.spent_usd - self.committed_usd if budget is not None else None


def project_view(project: Project) -> ProjectView:
    states = tuple(c.pk for c in project.benefiting_states.all())
    indicators = list(
        project.indicators.select_related("project").prefetch_related(
            Prefetch("reports", queryset=IndicatorReport.objects.order_by("-period_end", "-reported_at"))
        )
    )
    rows = {i.pk: IndicatorRow(i, measure(i, countries=states)) for i in indicators}
    outcomes = []
    placed: set[int] = set()
    for outcome in project.outcomes.prefetch_related("outputs__objectives", "outputs__activities__objectives"):
        outputs = []
        for output in outcome.outputs.all():
            mine = [rows[i.pk] for i in indicators if i.output_id == output.pk]
            placed.update(r.indicator.pk for r in mine)
            outputs.append(OutputRow(output, mine))
        own = [rows[i.pk] for i in indicators if i.outcome_id == outcome.pk and i.output_id is None]
        placed.update(r.indicator.pk for r in own)
        outcomes.append(OutcomeRow(outcome, own, outputs))
    loose = [row for pk, row in rows.items() if pk not in placed]
    return ProjectView(project=project, funded=queries.funded_by(project.pk), outcomes=outcomes, loose=loose)


# --- the national plan -----------------------------------------------------------------------------


@dataclass
class ObjectiveProgress:
    number: int
    title: str
    actions: list[PlanAction]
    by_status: dict[str, int]
    late: int
    indicators: list[IndicatorRow]
    projects: list[Project]

    @property
    def percent_done(self) -> int:
        live = [a for a in self.actions if a.status != PlanAction.Status.CANCELLED]
        return int(sum(a.status == PlanAction.Status.DONE for a in live) * 100 / len(live)) if live else 0


@dataclass
class PlanProgress:
    plan: NationalPlan
    objectives: list[ObjectiveProgress]
    totals: dict[str, int]
    late: list[PlanAction]

    @property
    def percent_done(self) -> int:
        live = self.totals.get("total", 0) - self.totals.get(PlanAction.Status.CANCELLED, 0)
        return int(self.totals.get(PlanAction.Status.DONE, 0) * 100 / live) if live else 0


def plans(*, user: User) -> QuerySet[NationalPlan]:
    if not user.can("programme.view"):
        return NationalPlan.objects.none()
    return NationalPlan.objects.select_related("country", "project")


def plan_progress(plan: NationalPlan) -> PlanProgress:
    """Actions by Global Compact objective: how many are done, in progress, late; their indicators measured now."""
    actions = list(
        plan.actions.prefetch_related("objectives", "responsible", "indicators__project", "indicators__reports").order_by("code")
    )
    countries = (plan.country_id,)
    measured: dict[int, IndicatorRow] = {}
    for action in actions:
        for indicator in action.indicators.all():
            if indicator.pk not in measured:
                measured[indicator.pk] = IndicatorRow(indicator, measure(indicator, countries=countries))
    tagged = {
        number: list(Project.objects.filter(objectives__number=number).distinct())
        for number in GcmObjective.objects.filter(plan_actions__plan=plan).values_list("number", flat=True).distinct()
    }
    rows = []
    for number, title in OBJECTIVES.items():
        mine = [a for a in actions if any(o.number == number for o in a.objectives.all())]
        if not mine:
            continue
        indicator_ids = {i.pk for a in mine for i in a.indicators.all()}
        rows.append(
            ObjectiveProgress(
                number=number,
                title=str(title),
                actions=mine,
                by_status=dict(Counter(a.status for a in mine)),
                late=sum(a.late for a in mine),
                indicators=[measured[pk] for pk in indicator_ids],
                projects=tagged.get(number, []),
            )
        )
    totals = dict(Counter(a.status for a in actions))
    totals["total"] = len(actions)
    return PlanProgress(plan=plan, objectives=rows, totals=totals, late=[a for a in actions if a.late])


@dataclass
class NamedOrganisation:
    """An organisation a news story names, with the projects it is a partner of (when Retorno knows it)."""

    name: str
    projects: list[str] = field(default_factory=list)


@dataclass
class NewsView:
    item: NewsItem
    organisations: list[NamedOrganisation]


def news(*, country: str = "", q: str = "") -> list[NewsView]:
    """Stories read from IOM pages, newest first; each organisation they name is linked to the projects
    it is a donor or partner of, matched by its name or acronym."""
    found = NewsItem.objects.select_related("dateline_country")
    if country:
        found = found.filter(dateline_country__code=country.upper())
    if q:
        found = found.filter(title__icontains=q)
    items = list(found[:200])
    known: dict[str, list[str]] = {}
    for org in Organisation.objects.prefetch_related("projects__project"):
        codes = sorted({partner.project.code for partner in org.projects.all()})
        for key in (org.name, org.acronym):
            if key:
                known.setdefault(key.casefold(), codes)
    return [
        NewsView(item=item, organisations=[NamedOrganisation(name, known.get(name.casefold(), [])) for name in item.organizations])
        for item in items
    ]
