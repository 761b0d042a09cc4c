"""Projects, their results frameworks, the page importer, IATI, and the national plan.

Projects are public information about who funds the work (any logged-in user reads them); results,
spending and the plan are counts and amounts for coordinators (``programme.view``).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from retorno.core.api import request_user
from retorno.core.models import Agency
from retorno.programmes import iati as iati_export
from retorno.programmes import selectors, services
from retorno.programmes.forms import MAX_PAGE_BYTES, MAX_PAGES
from retorno.programmes.gcm import OBJECTIVES
from retorno.programmes.indicators import QUERIES
from retorno.programmes.models import GcmObjective, Indicator, IndicatorReport, NationalPlan, NewsItem, Outcome, Output, PlanAction, Project

router = Router(tags=["projects"])
plans_router = Router(tags=["national plan"])


def _can(request: HttpRequest, action: str) -> None:
    if not request_user(request).can(action):
        raise PermissionDenied


class TextOut(Schema):
    language: str
    title: str
    description: str


class PartnerOut(Schema):
    name: str = Field(..., alias="organisation.name")
    acronym: str = Field(..., alias="organisation.acronym")
    role: str


class ProjectOut(Schema):
    code: str
    prima_id: str
    title: str
    status: str
    status_written: str
    kind: str
    kind_written: str
    budget_usd: Decimal | None
    coverage: str
    region: str
    benefiting_states: list[str]
    start_year: int | None
    end_year: int | None
    year: int | None
    objectives: list[int]
    texts: list[TextOut]
    partners: list[PartnerOut]

    @staticmethod
    def resolve_benefiting_states(obj: Project) -> list[str]:
        return sorted(c.code for c in obj.benefiting_states.all())

    @staticmethod
    def resolve_objectives(obj: Project) -> list[int]:
        return [o.number for o in obj.objectives.all()]

    @staticmethod
    def resolve_texts(obj: Project) -> list[object]:
        return list(obj.texts.all())

    @staticmethod
    def resolve_partners(obj: Project) -> list[object]:
        return list(obj.partners.select_related("organisation"))


class PageReportOut(Schema):
    source: str
    kind: str | None
    language: str
    record: str
    outcome: str
    read: list[str]
    unread: list[str]
    problems: list[str]


class ImportOut(Schema):
    saved: bool
    dry_run: bool
    projects: list[str]
    news: list[str]
    pages: list[PageReportOut]


class FigureOut(Schema):
    value: Decimal | None = Field(..., description="None when nothing was measured, or when fewer than 5 were counted (suppressed)")
    suppressed: bool = Field(False, description="Counted from the records and fewer than 5: not shown")
    approximate: bool = Field(False, description="Rounded to 5 because one of its parts is hidden")
    as_of: datetime.date | None
    by_sex: dict[str, int | None]
    by_age: dict[str, int | None]
    source: str


class IndicatorOut(Schema):
    id: int
    code: str
    name: str
    unit: str
    baseline: Decimal
    target: Decimal
    period_start: datetime.date
    period_end: datetime.date
    method: str
    query: str
    by_sex: bool
    by_age: bool
    means_of_verification: str
    outcome: str | None
    output: str | None
    current: FigureOut
    progress: int | None


def _indicator_out(row: selectors.IndicatorRow) -> IndicatorOut:
    i, figure = row.indicator, row.figure
    return IndicatorOut(
        id=i.pk,
        code=i.code,
        name=i.name,
        unit=i.unit,
        baseline=i.baseline,
        target=i.target,
        period_start=i.period_start,
        period_end=i.period_end,
        method=i.method,
        query=i.query,
        by_sex=i.by_sex,
        by_age=i.by_age,
        means_of_verification=i.means_of_verification,
        outcome=i.outcome.code if i.outcome_id and i.outcome else None,
        output=i.output.code if i.output_id and i.output else None,
        current=FigureOut(
            value=figure.value,
            suppressed=figure.suppressed,
            approximate=figure.approximate,
            as_of=figure.as_of,
            by_sex=figure.by_sex,
            by_age=figure.by_age,
            source=figure.source,
        ),
        progress=row.progress,
    )


class OutputOut(Schema):
    code: str
    statement: str
    objectives: list[int]
    activities: list[str]


class OutcomeOut(Schema):
    code: str
    statement: str
    outputs: list[OutputOut]


class FundedOut(Schema):
    label: str
    items: int
    people: int
    committed_usd: Decimal
    spent_usd: Decimal


class ResultsOut(Schema):
    code: str
    budget_usd: Decimal | None
    committed_usd: Decimal
    spent_usd: Decimal
    funded: list[FundedOut]
    outcomes: list[OutcomeOut]
    indicators: list[IndicatorOut]


class ReportIn(Schema):
    period_end: datetime.date
    value: Decimal
    source: str
    sex: str = ""
    age_group: str = ""


class ReportOut(Schema):
    id: int
    indicator: int = Field(..., alias="indicator_id")
    period_end: datetime.date
    value: Decimal
    sex: str
    age_group: str
    source: str


class ObjectiveOut(Schema):
    number: int
    title: str


class QueryOut(Schema):
    key: str
    label: str
    unit: str


class NewsOut(Schema):
    title: str
    language: str
    dateline_country: str | None = Field(None, alias="dateline_country.code")
    date: datetime.date | None = Field(None, alias="published_on")
    organizations: list[str]
    contacts: list[dict[str, str | None]]
    figures: list[dict[str, int | str]]


@router.get("", response=list[ProjectOut], summary="Projects, newest first")
def project_list(
    request: HttpRequest, active_in: int | None = None, status: str = "", country: str = "", objective: int | None = None
) -> list[Project]:
    projects = selectors.projects(status=status, country=country, objective=objective)
    if active_in is not None:  # a year: the projects running in it
        projects = projects.exclude(start_year__gt=active_in).exclude(end_year__lt=active_in)
    return list(projects.prefetch_related("partners__organisation"))


@router.post("/import", response=ImportOut, summary="Import IOM project and news pages (coordinators); all or nothing unless keep_valid")
def pages_import(
    request: HttpRequest, files: File[list[UploadedFile]], dry_run: Form[bool] = False, keep_valid: Form[bool] = False
) -> ImportOut:
    user = request_user(request)
    if len(files) > MAX_PAGES:
        raise ValidationError({"files": _("At most %(n)s pages at a time.") % {"n": MAX_PAGES}})
    for file in files:
        if (file.size or 0) > MAX_PAGE_BYTES:
            raise ValidationError({"files": _("%(name)s is larger than 2 MB.") % {"name": file.name}})
    pages = [(file.name or "", file.read().decode("utf-8", errors="replace")) for file in files]
    report = services.pages_import(pages=pages, actor=user, dry_run=dry_run, keep_valid=keep_valid)
    return ImportOut(
        saved=report.saved,
        dry_run=report.dry_run,
        projects=report.projects,
        news=report.news,
        pages=[PageReportOut(**vars(p)) for p in report.pages],
    )


@router.get("/iati", summary="Projects as an IATI 2.03 activities file, checked against the schema and code lists", response={200: None})
def iati(request: HttpRequest, code: str = "") -> HttpResponse:
    _can(request, "programme.view")
    document, problems = iati_export.export(code.split(",") if code else [])
    if problems:
        raise ValidationError({"iati": problems})
    return HttpResponse(document, content_type="application/xml; charset=utf-8")


@router.get("/objectives", response=list[ObjectiveOut], summary="The Global Compact for Migration's 23 objectives")
def objectives(request: HttpRequest) -> list[ObjectiveOut]:
    return [ObjectiveOut(number=n, title=str(t)) for n, t in OBJECTIVES.items()]


@router.get("/queries", response=list[QueryOut], summary="The declared queries an indicator may be computed by")
def indicator_queries(request: HttpRequest) -> list[QueryOut]:
    return [QueryOut(key=q.key, label=str(q.label), unit=str(q.unit)) for q in QUERIES.values()]


@router.get("/news", response=list[NewsOut], summary="News items read from IOM pages")
def news(request: HttpRequest, country: str = "", q: str = "") -> list[NewsItem]:
    return [story.item for story in selectors.news(country=country[:2], q=q.strip()[:100])]


@router.post("/indicators/{indicator_id}/reports", response={201: ReportOut}, summary="Report a value of an indicator measured by hand")
def indicator_report(request: HttpRequest, indicator_id: int, payload: ReportIn) -> Status[IndicatorReport]:
    user = request_user(request)
    indicator = Indicator.objects.filter(pk=indicator_id).first()
    if indicator is None or not user.can("programme.view"):
        raise Http404
    return Status(201, services.indicator_report(actor=user, indicator=indicator, **payload.dict()))


class OutcomeIn(Schema):
    code: str
    statement: str


class OutputIn(Schema):
    outcome: str = Field(..., description="The number of the outcome it belongs to, e.g. 1")
    code: str
    statement: str
    objectives: list[int] = Field(default_factory=list, description="Global Compact objectives, 1–23")


class IndicatorIn(Schema):
    outcome: str | None = Field(None, description="The number of the outcome it measures (or give output)")
    output: str | None = Field(None, description="The number of the output it measures, e.g. 1.1 (with outcome when two share it)")
    code: str
    name: str
    unit: str
    baseline: Decimal = Decimal(0)
    baseline_year: int | None = Field(None, ge=1990, le=2100)
    target: Decimal
    by_sex: bool = False
    by_age: bool = False
    means_of_verification: str = ""
    period_start: datetime.date
    period_end: datetime.date
    method: str = Field("manual", description="manual | computed")
    query: str = Field("", description="For computed indicators: one of GET /projects/queries")


class IndicatorReplaceIn(IndicatorIn):
    """The whole indicator: a field left out is not reset to a default."""

    baseline: Decimal
    baseline_year: int | None = Field(..., ge=1990, le=2100)
    by_sex: bool
    by_age: bool
    means_of_verification: str
    method: str = Field(..., description="manual | computed")
    query: str = Field(..., description="For computed indicators: one of GET /projects/queries; empty for manual ones")


def _project_or_404(code: str) -> Project:
    project = selectors.project_get(code)
    if project is None:
        raise Http404
    return project


def _indicator_fields(project: Project, payload: IndicatorIn) -> dict[str, object]:
    """The payload as the service's fields: outcome and output numbers become the project's own."""
    fields = payload.dict()
    outcome, output = fields.pop("outcome"), fields.pop("output")
    fields["outcome"] = project.outcomes.filter(code=outcome).first() if outcome else None
    if outcome and fields["outcome"] is None:
        raise ValidationError({"outcome": _("This project has no outcome %(code)s.") % {"code": outcome}})
    outputs = list(Output.objects.filter(outcome__project=project, code=output).select_related("outcome")) if output else []
    if output and not outputs:
        raise ValidationError({"output": _("This project has no output %(code)s.") % {"code": output}})
    if len(outputs) > 1:
        outputs = [o for o in outputs if fields["outcome"] is not None and o.outcome_id == fields["outcome"].pk]
        if len(outputs) != 1:
            raise ValidationError({"output": _("Several outcomes have an output %(code)s: give the outcome too.") % {"code": output}})
    fields["output"] = outputs[0] if outputs else None
    return fields


def _indicator_now(indicator: Indicator) -> IndicatorOut:
    states = tuple(indicator.project.benefiting_states.values_list("pk", flat=True))
    return _indicator_out(selectors.IndicatorRow(indicator, selectors.measure(indicator, countries=states)))


@router.post("/{code}/outcomes", response={201: OutcomeOut}, summary="Add an outcome to a project's results framework (coordinators)")
def outcome_add(request: HttpRequest, code: str, payload: OutcomeIn) -> Status[OutcomeOut]:
    _can(request, "programme.manage")
    outcome = services.outcome_add(actor=request_user(request), project=_project_or_404(code), **payload.dict())
    return Status(201, OutcomeOut(code=outcome.code, statement=outcome.statement, outputs=[]))


@router.post("/{code}/outputs", response={201: OutputOut}, summary="Add an output under one of the project's outcomes (coordinators)")
def output_add(request: HttpRequest, code: str, payload: OutputIn) -> Status[OutputOut]:
    _can(request, "programme.manage")
    project = _project_or_404(code)
    outcome = project.outcomes.filter(code=payload.outcome).first()
    if outcome is None:
        raise ValidationError({"outcome": _("This project has no outcome %(code)s.") % {"code": payload.outcome}})
    unknown = sorted(set(payload.objectives) - set(OBJECTIVES))
    if unknown:
        raise ValidationError({"objectives": _("The Global Compact has no objective %(numbers)s.") % {"numbers": unknown}})
    output = services.output_add(
        actor=request_user(request),
        outcome=outcome,
        code=payload.code,
        statement=payload.statement,
        objectives=GcmObjective.objects.filter(number__in=payload.objectives),
    )
    return Status(201, OutputOut(code=output.code, statement=output.statement, objectives=sorted(payload.objectives), activities=[]))


@router.post("/{code}/indicators", response={201: IndicatorOut}, summary="Define an indicator of the project (coordinators)")
def indicator_add(request: HttpRequest, code: str, payload: IndicatorIn) -> Status[IndicatorOut]:
    _can(request, "programme.manage")
    project = _project_or_404(code)
    indicator = services.indicator_save(actor=request_user(request), project=project, fields=_indicator_fields(project, payload))
    return Status(201, _indicator_now(indicator))


@router.put("/indicators/{indicator_id}", response=IndicatorOut, summary="Change an indicator: target, period, query … (coordinators)")
def indicator_change(request: HttpRequest, indicator_id: int, payload: IndicatorReplaceIn) -> IndicatorOut:
    _can(request, "programme.manage")
    user = request_user(request)
    indicator = Indicator.objects.select_related("project").filter(pk=indicator_id).first()
    if indicator is None or not user.can("programme.view"):
        raise Http404
    fields = _indicator_fields(indicator.project, payload)
    return _indicator_now(services.indicator_save(actor=user, project=indicator.project, indicator=indicator, fields=fields))


def _remove(request: HttpRequest, thing: services.Removable | None) -> Status[None]:
    _can(request, "programme.manage")
    if thing is None:
        raise Http404
    services.framework_remove(actor=request_user(request), thing=thing)
    return Status(204, None)


@router.delete("/{code}/outcomes/{outcome}", response={204: None}, summary="Remove an outcome nothing hangs from yet (coordinators)")
def outcome_remove(request: HttpRequest, code: str, outcome: str) -> Status[None]:
    return _remove(request, Outcome.objects.filter(project__code__iexact=code, code=outcome).first())


@router.delete("/{code}/outputs/{output}", response={204: None}, summary="Remove an output nothing hangs from yet (coordinators)")
def output_remove(request: HttpRequest, code: str, output: str) -> Status[None]:
    return _remove(request, Output.objects.filter(outcome__project__code__iexact=code, code=output).first())


@router.delete("/indicators/{indicator_id}", response={204: None}, summary="Remove an indicator with no value reported (coordinators)")
def indicator_remove(request: HttpRequest, indicator_id: int) -> Status[None]:
    return _remove(request, Indicator.objects.filter(pk=indicator_id).first())


@router.delete("/reports/{report_id}", response={204: None}, summary="Remove a value reported by mistake (coordinators)")
def report_remove(request: HttpRequest, report_id: int) -> Status[None]:
    return _remove(request, IndicatorReport.objects.filter(pk=report_id).first())


@router.get("/{code}", response=ProjectOut, summary="One project by its IOM project ID (e.g. RT.1066)")
def project_detail(request: HttpRequest, code: str) -> Project:
    project = selectors.project_get(code)
    if project is None:
        raise Http404
    return project


@router.get(
    "/{code}/results", response=ResultsOut, summary="Budget against spending, the results framework and every indicator measured now"
)
def project_results(request: HttpRequest, code: str) -> ResultsOut:
    _can(request, "programme.view")
    project = selectors.project_get(code)
    if project is None:
        raise Http404
    view = selectors.project_view(project)
    rows = [r for o in view.outcomes for r in o.indicators + [r for out in o.outputs for r in out.indicators]] + view.loose
    return ResultsOut(
        code=project.code,
        budget_usd=project.budget_usd,
        committed_usd=view.committed_usd,
        spent_usd=view.spent_usd,
        funded=[FundedOut(**vars(line)) for line in view.funded],
        outcomes=[
            OutcomeOut(
                code=o.outcome.code,
                statement=o.outcome.statement,
                outputs=[
                    OutputOut(
                        code=out.output.code,
                        statement=out.output.statement,
                        objectives=[g.number for g in out.output.objectives.all()],
                        activities=[f"{a.code} {a.description}" for a in out.output.activities.all()],
                    )
                    for out in o.outputs
                ],
            )
            for o in view.outcomes
        ],
        indicators=[_indicator_out(r) for r in rows],
    )


class ActionOut(Schema):
    id: int
    code: str
    description: str
    objectives: list[int]
    responsible: list[str]
    responsible_other: str
    starts_on: datetime.date
    ends_on: datetime.date
    status: str
    late: bool

    @staticmethod
    def resolve_objectives(obj: PlanAction) -> list[int]:
        return [o.number for o in obj.objectives.all()]

    @staticmethod
    def resolve_responsible(obj: PlanAction) -> list[str]:
        return [a.acronym for a in obj.responsible.all()]


class ObjectiveProgressOut(Schema):
    number: int
    title: str
    percent_done: int
    late: int
    by_status: dict[str, int]
    actions: list[ActionOut]
    indicators: list[IndicatorOut]
    projects: list[str]


class PlanOut(Schema):
    id: int
    title: str
    country: str
    start_year: int
    end_year: int
    coordinated_by: str
    project: str | None
    percent_done: int
    totals: dict[str, int]
    objectives: list[ObjectiveProgressOut]


class ActionIn(Schema):
    status: str


@plans_router.get("", response=list[PlanOut], summary="National implementation plans of the Global Compact, with their progress")
def plan_list(request: HttpRequest) -> list[PlanOut]:
    return [_plan_out(plan) for plan in selectors.plans(user=request_user(request))]


@plans_router.get("/{plan_id}", response=PlanOut, summary="One plan's progress by objective, its indicators measured now")
def plan_detail(request: HttpRequest, plan_id: int) -> PlanOut:
    plan = selectors.plans(user=request_user(request)).filter(pk=plan_id).first()
    if plan is None:
        raise Http404
    return _plan_out(plan)


class ActionCreateIn(Schema):
    code: str
    description: str
    objectives: list[int] = Field(..., description="Global Compact objectives, 1–23")
    responsible: list[str] = Field(default_factory=list, description="Acronyms of the plan country's institutions in Retorno")
    responsible_other: str = Field("", description="Institutions that do not use Retorno")
    starts_on: datetime.date
    ends_on: datetime.date
    indicators: list[int] = Field(default_factory=list, description="Ids of the indicators that measure it")


@plans_router.post("/{plan_id}/actions", response={201: ActionOut}, summary="Add an action to a plan (coordinators)")
def action_add(request: HttpRequest, plan_id: int, payload: ActionCreateIn) -> Status[PlanAction]:
    _can(request, "programme.manage")
    user = request_user(request)
    plan = selectors.plans(user=user).filter(pk=plan_id).first()
    if plan is None:
        raise Http404
    agencies = list(Agency.objects.filter(country=plan.country_id, acronym__in=payload.responsible, is_active=True))
    objectives = list(GcmObjective.objects.filter(number__in=payload.objectives))
    indicators = list(Indicator.objects.filter(pk__in=payload.indicators))
    errors = {}
    if unknown := sorted(set(payload.responsible) - {a.acronym for a in agencies}):
        errors["responsible"] = _("No institution of the plan's country is called %(names)s.") % {"names": ", ".join(unknown)}
    if unknown_numbers := sorted(set(payload.objectives) - {o.number for o in objectives}):
        errors["objectives"] = _("The Global Compact has no objective %(numbers)s.") % {"numbers": unknown_numbers}
    if unknown_ids := sorted(set(payload.indicators) - {i.pk for i in indicators}):
        errors["indicators"] = _("No indicator has the id %(ids)s.") % {"ids": unknown_ids}
    if errors:
        raise ValidationError(errors)
    fields = payload.dict(exclude={"objectives", "responsible", "indicators"})
    action = services.action_add(actor=user, plan=plan, objectives=objectives, responsible=agencies, indicators=indicators, **fields)
    return Status(201, action)


@plans_router.delete("/actions/{action_id}", response={204: None}, summary="Remove an action not yet started (coordinators)")
def action_remove(request: HttpRequest, action_id: int) -> Status[None]:
    return _remove(request, PlanAction.objects.filter(pk=action_id, plan__in=selectors.plans(user=request_user(request))).first())


@plans_router.post("/actions/{action_id}", response=ActionOut, summary="Change an action's status (coordinators)")
def action_update(request: HttpRequest, action_id: int, payload: ActionIn) -> PlanAction:
    user = request_user(request)
    action = PlanAction.objects.filter(pk=action_id, plan__in=selectors.plans(user=user)).first()
    if action is None:
        raise Http404
    return services.action_update(actor=user, action=action, status=payload.status)


def _plan_out(plan: NationalPlan) -> PlanOut:
    progress = selectors.plan_progress(plan)
    return PlanOut(
        id=plan.pk,
        title=plan.title,
        country=plan.country.code,
        start_year=plan.start_year,
        end_year=plan.end_year,
        coordinated_by=plan.coordinated_by,
        project=plan.project.code if plan.project else None,
        percent_done=progress.percent_done,
        totals=progress.totals,
        objectives=[
            ObjectiveProgressOut(
                number=row.number,
                title=row.title,
                percent_done=row.percent_done,
                late=row.late,
                by_status=row.by_status,
                actions=[ActionOut.from_orm(a) for a in row.actions],
                indicators=[_indicator_out(r) for r in row.indicators],
                projects=[p.code for p in row.projects],
            )
            for row in progress.objectives
        ],
    )
