"""Writes of projects, results frameworks and the national plan; the page importer.

Coordinators define results frameworks on the project page (and through the API); administrators
also at /manage/, whose indicator form runs the same ``indicator_check``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from retorno.core.audit import audit_log
from retorno.core.models import Agency, Country, User
from retorno.core.services import require
from retorno.programmes import indicators as queries
from retorno.programmes.gcm import OBJECTIVES
from retorno.programmes.models import (
    GcmObjective,
    Indicator,
    IndicatorReport,
    NationalPlan,
    NewsItem,
    Outcome,
    Output,
    PlanAction,
    Project,
    ProjectText,
)
from retorno.programmes.pages import Page, read_page

SEEDS = Path(__file__).parent / "seeds"

# The Spanish texts of the three seed projects (their pages are in French): loaded by the demo.
SEED_PROJECTS: list[dict[str, object]] = [
    {
        "code": "RT.1066",
        "prima_id": "HN10P0002",
        "title": "Fortalecimiento de las capacidades de los gobiernos en la asistencia posterior a la llegada y la reintegración "
        "de niñas, niños y adolescentes no acompañados retornados a El Salvador y Honduras",
        "status": Project.Status.COMPLETED,
        "kind": Project.Kind.RETURN_ASSISTANCE,
        "budget_usd": Decimal("280000.00"),
        "coverage": Project.Coverage.REGIONAL,
        "region": "Latin America and the Caribbean",
        "states": ["SV", "HN"],
        "end_year": 2024,
    },
    {
        "code": "RT.1130",
        "prima_id": "",
        "title": "Medidas integrales para atender la migración en las zonas fronterizas del departamento de La Guajira (Colombia)",
        "status": Project.Status.COMPLETED,
        "kind": Project.Kind.RETURN_ASSISTANCE,
        "budget_usd": Decimal("50000.00"),
        "coverage": Project.Coverage.NATIONAL,
        "region": "Latin America and the Caribbean",
        "states": ["CO"],
        "end_year": 2024,
    },
    {
        "code": "PN.0008",
        "prima_id": "SV10P0560",
        "title": "Fortalecimiento del Mecanismo Nacional de Coordinación de la Movilidad Humana para la buena gobernanza "
        "de la migración en El Salvador",
        "status": Project.Status.ACTIVE,
        "kind": "",
        "budget_usd": Decimal("300000.00"),
        "coverage": Project.Coverage.NATIONAL,
        "region": "Latin America and the Caribbean",
        "states": ["SV"],
        "start_year": 2024,
        "end_year": 2026,
        "year": 2024,
    },
]


def _check_years(start: object, end: object) -> None:
    this_year = datetime.date.today().year
    for name, year in (("start_year", start), ("end_year", end)):
        if year is not None and not 1990 <= int(str(year)) <= this_year + 20:
            raise ValidationError({name: _("Write a year between 1990 and %(last)s.") % {"last": this_year + 20}})
    if start is not None and end is not None and int(str(end)) < int(str(start)):
        raise ValidationError({"end_year": _("The project cannot end before it starts.")})


@transaction.atomic
def project_save(*, code: str, states: Iterable[str] = (), **fields: object) -> Project:
    """Create or update a project by its IOM project ID."""
    code = code.strip().upper()
    if not code:
        raise ValidationError({"code": _("Write the project ID, e.g. RT.1066.")})
    existing = Project.objects.filter(code=code).first()
    start = fields.get("start_year", existing.start_year if existing else None)
    end = fields.get("end_year", existing.end_year if existing else None)
    _check_years(start, end)
    project, _created = Project.objects.update_or_create(code=code, defaults=fields)
    codes = list(states)
    if codes:
        project.benefiting_states.set(Country.objects.filter(code__in=codes))
    return project


def objectives_load() -> None:
    """The Global Compact's 23 objectives (a migration loads them; a flushed test database needs them again)."""
    GcmObjective.objects.bulk_create([GcmObjective(number=n) for n in OBJECTIVES], ignore_conflicts=True)


def seed_projects_load() -> int:
    """The three seed projects: their French pages imported, with their Spanish titles."""
    pages_import(pages=[(path.name, path.read_text(encoding="utf-8")) for path in sorted(SEEDS.glob("*.txt"))], actor=None)
    for spec in SEED_PROJECTS:
        data = dict(spec)
        code, states = str(data.pop("code")), data.pop("states")
        project = project_save(code=code, states=states, **data)  # type: ignore[arg-type]
        ProjectText.objects.update_or_create(project=project, language="es", defaults={"title": project.title})
    return len(SEED_PROJECTS)


# --- the page importer ---------------------------------------------------------------------------


# The fields of a page, in words, for the import report.
FIELD_NAMES = {
    "title": gettext_lazy("title"),
    "start_year": gettext_lazy("start year"),
    "end_year": gettext_lazy("end year"),
    "status": gettext_lazy("status"),
    "project_type": gettext_lazy("project type"),
    "budget_usd": gettext_lazy("budget (USD)"),
    "coverage": gettext_lazy("coverage"),
    "year": gettext_lazy("year"),
    "region": gettext_lazy("region"),
    "prima_id": gettext_lazy("Prima ID"),
    "project_id": gettext_lazy("project ID"),
    "member_states": gettext_lazy("benefiting states"),
    "dateline_country": gettext_lazy("country of the dateline"),
    "date": gettext_lazy("date"),
    "organizations": gettext_lazy("organisations"),
    "contacts": gettext_lazy("contacts"),
    "figures": gettext_lazy("figures"),
}


def field_words(note: str) -> str:
    """ "member_states: 'atlantide'" as the reader says it: "benefiting states: 'atlantide'"."""
    name, _sep, rest = note.partition(":")
    return f"{FIELD_NAMES[name]}:{rest}" if name in FIELD_NAMES and _sep else str(FIELD_NAMES.get(note, note))


@dataclass
class PageResult:
    """What the importer did with one page, for the report."""

    source: str
    kind: str | None
    language: str
    record: str  # the project ID or the news title
    outcome: str  # "created", "updated", "merged", "refused"
    read: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def read_words(self) -> str:
        return ", ".join(field_words(name) for name in self.read)

    @property
    def unread_words(self) -> list[str]:
        return [field_words(note) for note in self.unread]


@dataclass
class ImportReport:
    pages: list[PageResult]
    saved: bool
    dry_run: bool

    @property
    def refused(self) -> list[PageResult]:
        return [p for p in self.pages if p.outcome == "refused"]

    @property
    def projects(self) -> list[str]:
        return sorted({p.record for p in self.pages if p.kind == "project" and p.outcome != "refused"})

    @property
    def news(self) -> list[str]:
        return [p.record for p in self.pages if p.kind == "news" and p.outcome != "refused"]


def _problems(page: Page) -> list[str]:
    if page.kind is None:
        return [_("This is neither an IOM project page nor a news story: no project facts and no dateline were found.")]
    problems = []
    if not page.title:
        problems.append(_("No title was found."))
    if page.kind == "project" and not page.project_id:
        problems.append(_("No project ID was found: the page cannot be matched with the project in other languages."))
    if page.kind == "project" and page.start_year and page.end_year and page.end_year < page.start_year:
        problems.append(_("The project ends before it starts."))
    return problems


FACTS = ("start_year", "end_year", "status", "project_type", "budget_usd", "coverage", "year", "region", "prima_id")


def _merged_facts(pages: Sequence[Page]) -> tuple[dict[str, object], list[str]]:
    """One set of facts from the same project's pages in several languages; disagreements are reported."""
    facts: dict[str, object] = {}
    notes: list[str] = []
    for page in pages:
        for name in FACTS:
            value = getattr(page, name)
            if value in (None, ""):
                continue
            if name in facts and facts[name] != value:
                notes.append(
                    _("%(field)s differs between the pages (%(kept)s kept, %(other)s in %(source)s).")
                    % {"field": name, "kept": facts[name], "other": value, "source": page.source}
                )
                continue
            facts[name] = value
        if page.member_states and "member_states" not in facts:
            facts["member_states"] = page.member_states
    return facts, notes


def _project_fields(facts: dict[str, object]) -> dict[str, object]:
    fields: dict[str, object] = {}
    for name in ("start_year", "end_year", "year", "budget_usd", "prima_id"):
        if name in facts:
            fields[name] = facts[name]
    if "region" in facts:
        fields["region"] = str(facts["region"])[:80]
    status = facts.get("status")
    if status in Project.Status.values:
        fields.update(status=status, status_written="")
    elif status:
        fields["status_written"] = str(status)[:60]
    kind = facts.get("project_type")
    if kind in Project.Kind.values:
        fields.update(kind=kind, kind_written="")
    elif kind:
        fields.update(kind=Project.Kind.OTHER, kind_written=str(kind)[:200])
    if facts.get("coverage") in Project.Coverage.values:
        fields["coverage"] = facts["coverage"]
    return fields


def pages_import(*, pages: Sequence[tuple[str, str]], actor: User | None, dry_run: bool = False, keep_valid: bool = False) -> ImportReport:
    """Read IOM pages and save their projects (one per project ID, whatever the languages) and news.

    All or nothing: when a page cannot be read nothing is saved, unless ``keep_valid``.
    """
    if actor is not None:
        require(actor, "programme.manage")
    read = [read_page(text, source) for source, text in pages]
    results = [
        PageResult(
            source=p.source,
            kind=p.kind,
            language=p.language,
            record=(p.project_id or p.title or "") if p.kind == "project" else (p.title or ""),
            outcome="refused" if _problems(p) else "",
            read=list(p.read),
            unread=list(p.unread),
            problems=_problems(p),
        )
        for p in read
    ]
    refused = any(r.outcome == "refused" for r in results)
    save = not dry_run and (keep_valid or not refused)
    by_project: dict[str, list[tuple[Page, PageResult]]] = {}
    for page, result in zip(read, results, strict=True):
        if result.outcome != "refused" and page.kind == "project" and page.project_id:
            by_project.setdefault(page.project_id, []).append((page, result))
    with transaction.atomic():
        for code, group in by_project.items():
            existing = Project.objects.filter(code=code).first()
            facts, notes = _merged_facts([page for page, _result in group])
            if existing is None and "budget_usd" not in facts:
                notes.append(_("No budget was found; the project is saved without one."))
            for index, (_page, result) in enumerate(group):
                result.outcome = "updated" if existing else ("created" if index == 0 else "merged")
                result.problems += notes if index == 0 else []
            if save:
                _save_project(code, [page for page, _result in group], facts)
        for page, result in zip(read, results, strict=True):
            if result.outcome == "refused" or page.kind != "news":
                continue
            exists = NewsItem.objects.filter(title=page.title, language=page.language).exists()
            result.outcome = "updated" if exists else "created"
            if save:
                _save_news(page)
        if save and actor is not None:
            audit_log(
                actor=actor,
                action="import",
                object_type="project_pages",
                object_id=str(len(read)),
                records=[r.record for r in results if r.kind == "project" and r.outcome != "refused"],
            )
    return ImportReport(pages=results, saved=save, dry_run=dry_run)


def _save_project(code: str, pages: Sequence[Page], facts: dict[str, object]) -> Project:
    fields = _project_fields(facts)
    existing = Project.objects.filter(code=code).first()
    spanish = next((p for p in pages if p.language == "es"), None)
    if existing is None or spanish is not None:
        fields["title"] = (spanish or pages[0]).title[:300]  # type: ignore[index]
    project = project_save(code=code, states=facts.get("member_states", ()), **fields)  # type: ignore[arg-type]
    for page in pages:
        ProjectText.objects.update_or_create(
            project=project,
            language=page.language,
            defaults={"title": (page.title or "")[:300], "description": page.description, "source": page.source[:300]},
        )
    return project


def _save_news(page: Page) -> NewsItem:
    country = Country.objects.filter(code=page.dateline_country).first() if page.dateline_country else None
    item, _created = NewsItem.objects.update_or_create(
        title=(page.title or "")[:300],
        language=page.language,
        defaults={
            "dateline_country": country,
            "published_on": page.date,
            "organizations": page.organizations,
            "contacts": [vars(c) for c in page.contacts],
            "figures": [vars(f) for f in page.figures],
            "body": page.description,
            "source": page.source[:300],
            "imported_at": timezone.now(),
        },
    )
    return item


# --- indicators and the national plan ------------------------------------------------------------


@transaction.atomic
def indicator_report(
    *, actor: User, indicator: Indicator, period_end: datetime.date, value: Decimal, source: str, sex: str = "", age_group: str = ""
) -> IndicatorReport:
    """A value reported by hand for an indicator measured by hand."""
    require(actor, "programme.manage")
    if indicator.method != Indicator.Method.MANUAL:
        raise ValidationError({"value": _("This indicator is computed from the records: it cannot be reported by hand.")})
    if value < 0:
        raise ValidationError({"value": _("A value cannot be negative.")})
    if not indicator.period_start <= period_end <= indicator.period_end:
        raise ValidationError(
            {"period_end": _("The date must fall within the indicator's period (%(start)s – %(end)s).")
             % {"start": indicator.period_start.strftime("%d/%m/%Y"), "end": indicator.period_end.strftime("%d/%m/%Y")}}
        )  # fmt: skip
    if period_end > timezone.localdate():
        raise ValidationError({"period_end": _("A value cannot be reported for a date in the future.")})
    if not source.strip():
        raise ValidationError({"source": _("Say where the figure comes from.")})
    if sex and sex not in IndicatorReport.Sex.values:
        raise ValidationError({"sex": _("Choose women and girls or men and boys.")})
    if age_group and age_group not in [label for label, _low, _high in queries.AGE_GROUPS]:
        raise ValidationError({"age_group": _("Choose one of the age groups.")})
    return IndicatorReport.objects.create(
        indicator=indicator, period_end=period_end, value=value, source=source.strip(), sex=sex, age_group=age_group, reported_by=actor
    )


# --- results frameworks, defined by coordinators on the project page (and by administrators at /manage/) ---


def _add_reasons(errors: dict[str, str], error: ValidationError) -> None:
    """The first reason for each field ``error`` names, after the ones already given."""
    errors.update({name: messages[0] for name, messages in error.message_dict.items() if name not in errors})


def _checked(instance: Outcome | Output | PlanAction | Indicator, errors: dict[str, str]) -> None:
    """Raise every reason at once: the service's own, then the model's (lengths, choices), then text that
    PostgreSQL cannot store (a NUL character, from a pasted document)."""
    try:
        instance.full_clean(exclude=list(errors), validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        _add_reasons(errors, error)
    for model_field in instance._meta.fields:
        value = getattr(instance, model_field.attname)
        if isinstance(value, str) and "\x00" in value and model_field.name not in errors:
            errors[model_field.name] = _("The text holds a character that cannot be stored; type it again rather than pasting it.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def outcome_add(*, actor: User, project: Project, code: str, statement: str) -> Outcome:
    require(actor, "programme.manage")
    outcome = Outcome(project=project, code=code.strip(), statement=statement.strip())
    errors: dict[str, str] = {}
    if not outcome.code:
        errors["code"] = _("Give the outcome its number, e.g. 1.")
    elif project.outcomes.filter(code=outcome.code).exists():
        errors["code"] = _("This project already has an outcome %(code)s.") % {"code": outcome.code}
    if not outcome.statement:
        errors["statement"] = _("Say what the outcome is.")
    _checked(outcome, errors)
    outcome.save()
    return outcome


@transaction.atomic
def output_add(*, actor: User, outcome: Outcome, code: str, statement: str, objectives: Iterable[GcmObjective] = ()) -> Output:
    require(actor, "programme.manage")
    output = Output(outcome=outcome, code=code.strip(), statement=statement.strip())
    errors: dict[str, str] = {}
    if not output.code:
        errors["code"] = _("Give the output its number, e.g. 1.1.")
    elif Output.objects.filter(outcome__project_id=outcome.project_id, code=output.code).exists():
        errors["code"] = _("This project already has an output %(code)s.") % {"code": output.code}
    if not output.statement:
        errors["statement"] = _("Say what the output is.")
    _checked(output, errors)
    output.save()
    output.objectives.set(objectives)
    return output


INDICATOR_FIELDS = (
    "outcome", "output", "code", "name", "unit", "baseline", "baseline_year", "target", "by_sex", "by_age",
    "means_of_verification", "period_start", "period_end", "method", "query",
)  # fmt: skip


@transaction.atomic
def indicator_save(*, actor: User, project: Project, fields: Mapping[str, object], indicator: Indicator | None = None) -> Indicator:
    """Define an indicator of the project, or change one (a target revised, a period extended). An
    indicator reported by hand keeps no query; one that measures an output belongs to its outcome too."""
    require(actor, "programme.manage")
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise ValueError(f"not indicator fields: {sorted(unknown)}")
    indicator = indicator or Indicator(project=project)
    if indicator.project_id != project.pk:
        raise ValidationError(_("The indicator belongs to another project."))
    for name, value in fields.items():
        setattr(indicator, name, value.strip() if isinstance(value, str) else value)
    if indicator.method == Indicator.Method.MANUAL:
        indicator.query = ""
    errors: dict[str, str] = {}
    if indicator.output is not None:
        if indicator.outcome is not None and indicator.outcome != indicator.output.outcome:
            errors["output"] = _("Output %(output)s does not belong to outcome %(outcome)s.") % {
                "output": indicator.output.code,
                "outcome": indicator.outcome.code,
            }
        indicator.outcome = indicator.output.outcome
    if not indicator.code:
        errors["code"] = _("Give the indicator its number, e.g. 1.1.a.")
    elif Indicator.objects.filter(project=project, code=indicator.code).exclude(pk=indicator.pk).exists():
        errors["code"] = _("This project already has an indicator %(code)s.") % {"code": indicator.code}
    if not indicator.name:
        errors["name"] = _("Say what the indicator measures.")
    if not indicator.unit:
        errors["unit"] = _("Say what it counts, e.g. people, officials, %.")
    if indicator.target is None or indicator.target < 0:
        errors["target"] = _("The target must be zero or more.")
    if indicator.baseline is not None and indicator.baseline < 0:
        errors["baseline"] = _("The baseline must be zero or more.")
    if indicator.period_start and indicator.period_end and indicator.period_end < indicator.period_start:
        errors["period_end"] = _("The period must end after it starts.")
    elif indicator.pk and indicator.period_start and indicator.period_end:
        outside = indicator.reports.exclude(period_end__range=(indicator.period_start, indicator.period_end)).count()
        if outside:
            errors["period_end"] = ngettext(
                "%(n)s value was reported for a date outside this period: change the period or correct the value first.",
                "%(n)s values were reported for dates outside this period: change the period or correct the values first.",
                outside,
            ) % {"n": outside}
    if indicator.outcome is None and indicator.output is None:
        errors["outcome"] = _("Choose the outcome or output the indicator measures.")
    try:
        indicator_check(indicator)
    except ValidationError as error:
        _add_reasons(errors, error)
    _checked(indicator, errors)
    indicator.save()
    return indicator


Removable = Outcome | Output | Indicator | IndicatorReport | PlanAction


@transaction.atomic
def framework_remove(*, actor: User, thing: Removable) -> None:
    """Take back a mistake: an outcome, output or indicator nothing hangs from yet, a value reported by
    mistake, an action of the plan not started (one under way is cancelled instead, so its history stays)."""
    require(actor, "programme.manage")
    reason = ""
    if isinstance(thing, Outcome) and (thing.outputs.exists() or thing.indicators.exists()):
        reason = _("Remove its outputs and indicators first.")
    elif isinstance(thing, Output) and (thing.indicators.exists() or thing.activities.exists()):
        reason = _("Remove its indicators and activities first.")
    elif isinstance(thing, Indicator) and thing.reports.exists():
        reason = _("Values were reported for it: remove them first, or keep the indicator.")
    elif isinstance(thing, Indicator) and thing.plan_actions.exists():
        reason = _("Actions of the national plan are measured by it.")
    elif isinstance(thing, PlanAction) and thing.status != PlanAction.Status.PLANNED:
        reason = _("The action has started: mark it cancelled instead, so that its history stays.")
    if reason:
        raise ValidationError(reason)
    thing.delete()


def indicator_check(indicator: Indicator) -> None:
    """The rules /manage/ and the API apply before an indicator is saved."""
    if indicator.method == Indicator.Method.COMPUTED and indicator.query not in queries.QUERIES:
        raise ValidationError({"query": _("Choose one of the declared queries.")})
    if indicator.method == Indicator.Method.MANUAL and indicator.query:
        raise ValidationError({"query": _("An indicator reported by hand has no query.")})
    if indicator.outcome is not None and indicator.outcome.project_id != indicator.project_id:
        raise ValidationError({"outcome": _("The outcome belongs to another project.")})
    if indicator.output is not None and indicator.output.outcome.project_id != indicator.project_id:
        raise ValidationError({"output": _("The output belongs to another project.")})


@transaction.atomic
def action_add(
    *,
    actor: User,
    plan: NationalPlan,
    code: str,
    description: str,
    objectives: Iterable[GcmObjective],
    starts_on: datetime.date,
    ends_on: datetime.date,
    responsible: Iterable[Agency] = (),
    responsible_other: str = "",
    indicators: Iterable[Indicator] = (),
) -> PlanAction:
    """An action of the national plan: what, which objectives it serves, who answers for it, when."""
    require(actor, "programme.manage")
    code, description, responsible_other = code.strip(), description.strip(), responsible_other.strip()
    objectives, responsible, indicators = list(objectives), list(responsible), list(indicators)
    errors: dict[str, str] = {}
    if not code:
        errors["code"] = _("Give the action its number, e.g. 1.1.3.")
    elif plan.actions.filter(code=code).exists():
        errors["code"] = _("The plan already has an action %(code)s.") % {"code": code}
    if not description:
        errors["description"] = _("Say what the action is.")
    if not objectives:
        errors["objectives"] = _("Choose the Global Compact objectives the action serves.")
    if not responsible and not responsible_other:
        errors["responsible"] = _("Say which institutions are responsible for it.")
    if ends_on < starts_on:
        errors["ends_on"] = _("The action must end after it starts.")
    elif not (plan.start_year <= starts_on.year and ends_on.year <= plan.end_year):
        errors["ends_on"] = _("The action must fall within the plan's years (%(start)s–%(end)s).") % {
            "start": plan.start_year,
            "end": plan.end_year,
        }
    action = PlanAction(
        plan=plan, code=code, description=description, responsible_other=responsible_other, starts_on=starts_on, ends_on=ends_on
    )
    _checked(action, errors)
    action.save()
    action.objectives.set(objectives)
    action.responsible.set(responsible)
    action.indicators.set(indicators)
    return action


@transaction.atomic
def action_update(*, actor: User, action: PlanAction, status: str) -> PlanAction:
    require(actor, "programme.manage")
    if status not in PlanAction.Status.values:
        raise ValidationError({"status": _("Choose one of the statuses.")})
    action.status = status
    action.save(update_fields=["status", "updated_at"])
    return action
