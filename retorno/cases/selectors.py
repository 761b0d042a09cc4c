"""Every read of case work: scoped to the user's agency, audited, with the confidentiality of notes
and psychosocial sessions applied here — so the page, the printable summary, exports and the API
all show the same thing. A case outside the user's scope is "not found"."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum, Window
from django.db.models.functions import Lower
from django.http import Http404
from django.utils import timezone
from django.utils.translation import ngettext

from retorno.cases.models import (
    Assessment,
    AssistanceItem,
    Case,
    CaseEvent,
    CaseMember,
    Evidence,
    Instrument,
    InstrumentVersion,
    Note,
    Plan,
    PsychosocialSession,
    Task,
    Transfer,
)
from retorno.core.audit import audit_log
from retorno.core.models import User
from retorno.core.text import fold, localized
from retorno.programmes.models import Project
from retorno.reception.models import ArrivalPerson

CASE = "case"
PAGE_SIZE = 50
OPEN_STAGES = [s for s in Case.Stage.values if s != Case.Stage.CLOSED]


def _reads_cases(user: User) -> bool:
    return user.is_authenticated and user.can("case.view") and user.agency_id is not None


def _agency(user: User) -> int:
    return user.agency_id or 0  # 0 matches nothing; callers checked _reads_cases


def case_scope(*, user: User) -> QuerySet[Case]:
    if not _reads_cases(user):
        return Case.objects.none()
    return Case.objects.filter(agency_id=_agency(user))


def case_get(*, user: User, public_id: str, audit: bool = True) -> Case:
    """The case, or Http404; a successful read writes one audit event."""
    case = (
        case_scope(user=user)
        .select_related(
            "person__nationality",
            "agency__country",
            "caseworker",
            "supervisor",
            "municipality__parent",
            "arrival_entry__arrival",
            "arrival_entry__screening",
        )
        .filter(public_id=public_id.upper())
        .first()
    )
    if case is None:
        raise Http404
    if audit:
        audit_log(actor=user, action="view", object_type=CASE, object_id=case.public_id, records=[case.person.public_id])
    return case


def note_levels(user: User) -> list[str]:
    """The confidentiality levels a user reads: supervisors read supervisor notes, psychosocial
    specialists psychosocial ones; nobody else reads either."""
    levels = [Note.Confidentiality.GENERAL.value]
    if user.can("case.approve"):
        levels.append(Note.Confidentiality.SUPERVISOR.value)
    if user.can("case.psychosocial"):
        levels.append(Note.Confidentiality.PSYCHOSOCIAL.value)
    return levels


def notes_visible(*, user: User, case: Case) -> QuerySet[Note]:
    return case.notes.filter(confidentiality__in=note_levels(user)).select_related("written_by")


def sessions_visible(*, user: User, case: Case) -> QuerySet[PsychosocialSession]:
    if not user.can("case.psychosocial"):
        return PsychosocialSession.objects.none()
    return case.sessions.select_related("held_by")


# --- the list --------------------------------------------------------------------------


@dataclass
class CaseFilters:
    stage: str = ""
    risk: str = ""
    overdue: bool = False
    mine: bool = False
    department: int | None = None
    query: str = ""
    open_only: bool = False


@dataclass
class CasePage:
    cases: list[Case]
    total: int
    offset: int
    limit: int

    @property
    def first(self) -> int:
        return self.offset + 1 if self.cases else 0

    @property
    def last(self) -> int:
        return self.offset + len(self.cases)

    @property
    def next_offset(self) -> int | None:
        return self.last if self.last < self.total else None

    @property
    def previous_offset(self) -> int | None:
        return max(0, self.offset - self.limit) if self.offset > 0 else None


def case_list(*, user: User, filters: CaseFilters, limit: int = PAGE_SIZE, offset: int = 0) -> CasePage:
    """The user's agency's cases, filtered, newest first; the page shown is audited (ids only)."""
    qs = case_scope(user=user)
    order = ["-opened_at", "-pk"]
    if filters.stage in Case.Stage.values:
        qs = qs.filter(stage=filters.stage)
    elif filters.open_only and not filters.overdue and not filters.query.strip():
        # (An overdue case is open: closing ends its tasks. A name or id is looked for at every stage.)
        qs = qs.filter(stage__in=OPEN_STAGES)
    if filters.risk in Case.Risk.values:
        qs = qs.filter(risk=filters.risk)
    if filters.overdue:
        qs = qs.filter(next_due_on__lt=timezone.localdate())
        order = ["next_due_on", "pk"]  # the most late first
    if filters.mine:
        qs = qs.filter(caseworker=user)
    if filters.department:
        qs = qs.filter(department_id=filters.department)
    query = filters.query.strip()[:100]
    by_name = False
    if query:
        exact = query.upper().replace(" ", "")
        if any(c.isdigit() for c in exact):  # an id, whole or its end (C-000009): the case's or the person's
            qs = qs.filter(Q(public_id__endswith=exact) | Q(person__public_id=exact))
        else:
            for word in fold(query).split():
                qs = qs.filter(search_name__contains=word)
            by_name = True
    if by_name:
        ids, total, offset = _by_name(qs, offset, limit)
        found = Case.objects.select_related("person", "caseworker", "municipality", "department").in_bulk(ids)
        cases = [found[pk] for pk in ids]
    else:
        total = qs.count()
        if offset >= total:  # a page past the end (an old link): the last page
            offset = max(0, (total - 1) // limit * limit)
        cases = list(qs.select_related("person", "caseworker", "municipality", "department").order_by(*order)[offset : offset + limit])
    if cases:
        audit_log(actor=user, action="search", object_type=CASE, object_id="", records=[c.person.public_id for c in cases])
    return CasePage(cases=cases, total=total, offset=offset, limit=limit)


def _by_name(qs: QuerySet[Case], offset: int, limit: int) -> tuple[list[int], int, int]:
    """A page of a name search, alphabetical, and how many matched — in one pass over the matches
    (a window count). Sorting by an expression makes the database sort the matches it found
    (through the trigram index on PostgreSQL) rather than walk the whole name index in order
    hoping to meet 50 of a rare name."""
    rows = list(
        qs.annotate(matched=Window(Count("pk")), sort_name=Lower("search_name"))
        .order_by("sort_name", "pk")
        .values_list("pk", "matched")[offset : offset + limit]
    )
    if rows:
        return [pk for pk, _ in rows], rows[0][1], offset
    total = qs.count()
    if offset and total:  # a page past the end (an old link): the last page
        return _by_name(qs, max(0, (total - 1) // limit * limit), limit)
    return [], total, 0


# --- opening cases ---


def arrivals_waiting_for_case(*, user: User) -> list[ArrivalPerson]:
    """People screened at the agency's reception desk who need a case and have none yet. A child
    handed over to child protection is that institution's case; someone who travelled with a
    parent or guardian joins that adult's household case."""
    if not user.can("case.work"):
        return []
    has_case = Case.objects.filter(Q(arrival_entry=OuterRef("pk")) | Q(person=OuterRef("person"), closed_at__isnull=True))
    entries = (
        ArrivalPerson.objects.filter(arrival__agency_id=user.agency_id or 0, screening__case_needed=True, person__isnull=False)
        .filter(handover__isnull=True, travelling_with__isnull=True)
        .filter(~Exists(has_case))
        .select_related("arrival", "person")
        .order_by("-arrival__scheduled_at")[:100]
    )
    latest: dict[int | None, ArrivalPerson] = {}
    for entry in entries:  # someone screened on several arrivals: their latest return
        latest.setdefault(entry.person_id, entry)
    return list(latest.values())[:20]


# --- the case page --------------------------------------------------------------------


@dataclass
class TimelineEntry:
    at: datetime.datetime
    kind: str  # arrival | screening | event | assessment | assistance | delivery | note | session
    obj: Any
    label: str = ""
    day_only: bool = False  # a date without a time (a delivery, a session): shown as a date


def _day_entry(day: datetime.date, kind: str, obj: Any) -> TimelineEntry:
    """Something that happened on a day: placed after that day's timed entries (never in the future)."""
    end = timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))
    return TimelineEntry(min(end, timezone.now()), kind, obj, day_only=True)


def timeline(
    *,
    case: Case,
    assessments: list[Assessment],
    items: list[AssistanceItem],
    notes: list[Note],
    sessions: list[PsychosocialSession],
    events: list[CaseEvent],
) -> list[TimelineEntry]:
    """One chronological story of the case, newest first, from the records the user may read."""
    entries: list[TimelineEntry] = []
    entry = case.arrival_entry
    if entry is not None:
        entries.append(TimelineEntry(entry.arrival.arrived_at or entry.arrival.scheduled_at, "arrival", entry.arrival))
        screening = getattr(entry, "screening", None)
        if screening is not None:
            entries.append(TimelineEntry(screening.screened_at, "screening", screening))
    entries += [TimelineEntry(e.at, "event", e, str(e.get_kind_display())) for e in events]
    entries += [TimelineEntry(a.recorded_at, "assessment", a) for a in assessments]
    for item in items:
        entries.append(TimelineEntry(item.created_at, "assistance", item))
        if item.delivered_on:
            entries.append(_day_entry(item.delivered_on, "delivery", item))
    entries += [TimelineEntry(n.written_at, "note", n) for n in notes]
    entries += [_day_entry(s.held_on, "session", s) for s in sessions]
    return sorted(entries, key=lambda e: e.at, reverse=True)


@dataclass
class ScorePoint:
    label: str
    done_on: datetime.date
    overall: float | None
    scores: dict[str, float]


@dataclass
class ScoreTrend:
    instrument: str
    dimensions: list[tuple[str, str]]  # (code, label) in the definition's order
    points: list[ScorePoint] = field(default_factory=list)
    provisional: bool = False
    meaning: str = ""  # what 1 means, from the definition


def score_trends(assessments: list[Assessment]) -> list[ScoreTrend]:
    """Scores over time per instrument (the RSS from baseline through the follow-ups to the
    final survey). Each point keeps its own version's scores; dimensions come from the newest."""
    trends: dict[str, ScoreTrend] = {}
    for a in assessments:
        definition = a.version.definition
        trend = trends.setdefault(a.version.instrument.code, ScoreTrend(instrument=a.version.title, dimensions=[]))
        trend.dimensions = [(d["code"], localized(d["label"])) for d in definition["dimensions"]]
        trend.provisional = trend.provisional or a.version.provisional
        trend.meaning = localized(definition.get("score_meaning"))
        label = str(a.get_occasion_display())
        if a.month:
            label += " · " + ngettext("%(n)s month", "%(n)s months", a.month) % {"n": a.month}
        trend.points.append(ScorePoint(label=label, done_on=a.done_on, overall=a.overall, scores=a.scores))
    return list(trends.values())


@dataclass
class CaseView:
    """Everything the case page (and the printable summary) shows, read in a fixed number of queries."""

    case: Case
    members: list[CaseMember]
    plan: Plan | None
    assistance: list[AssistanceItem]
    assessments: list[Assessment]
    notes: list[Note]
    sessions: list[PsychosocialSession]
    tasks: list[Task]
    transfers: list[Transfer]
    events: list[CaseEvent]
    timeline: list[TimelineEntry]
    trends: list[ScoreTrend]
    plan_returned: CaseEvent | None = None  # the supervisor's last "return for changes", while it stands


def case_view(*, user: User, case: Case, shared: bool = False) -> CaseView:
    """`shared`: what another institution reads before accepting a transfer — general notes only."""
    members = list(case.members.select_related("person"))
    plan = getattr(case, "plan", None)  # read with the case (case_get)
    items = list(case.assistance.select_related("provider_agency", "project").prefetch_related("evidence"))
    assessments = list(case.assessments.select_related("version__instrument", "recorded_by"))
    notes = list(notes_visible(user=user, case=case))
    sessions = list(sessions_visible(user=user, case=case))
    if shared:
        notes, sessions = [n for n in notes if n.confidentiality == Note.Confidentiality.GENERAL], []
    tasks = list(case.tasks.filter(done_at__isnull=True).select_related("assigned_to", "assistance"))
    transfers = list(case.transfers.select_related("to_agency", "from_agency", "requested_by"))
    events = list(case.events.select_related("actor"))
    story = timeline(case=case, assessments=assessments, items=items, notes=notes, sessions=sessions, events=events)
    sustainability = [a for a in assessments if a.version.instrument.kind == Instrument.Kind.SUSTAINABILITY]
    return CaseView(
        case=case,
        members=members,
        plan=plan,
        assistance=items,
        assessments=assessments,
        notes=notes,
        sessions=sessions,
        tasks=tasks,
        transfers=transfers,
        events=events,
        timeline=story,
        trends=score_trends(sustainability),
        plan_returned=_plan_returned(events),
    )


def _plan_returned(events: list[CaseEvent]) -> CaseEvent | None:
    plan_events = [
        e for e in events if e.kind in (CaseEvent.Kind.PLAN_SUBMITTED, CaseEvent.Kind.PLAN_APPROVED, CaseEvent.Kind.PLAN_RETURNED)
    ]
    return plan_events[-1] if plan_events and plan_events[-1].kind == CaseEvent.Kind.PLAN_RETURNED else None


def item_get(*, user: User, case: Case, item_id: int) -> AssistanceItem:
    item = case.assistance.select_related("case", "project", "provider_agency").filter(pk=item_id).first()
    if item is None:
        raise Http404
    return item


def evidence_get(*, user: User, case: Case, evidence_id: int) -> Evidence:
    found = Evidence.objects.filter(pk=evidence_id, item__case=case).select_related("item").first()
    if found is None:
        raise Http404
    audit_log(actor=user, action="view", object_type=CASE, object_id=case.public_id, fields=["evidence"], records=[case.person.public_id])
    return found


# --- tasks, transfers ---------------------------------------------------------------------


def tasks_mine(*, user: User) -> QuerySet[Task]:
    """Open tasks for the user: their own, and for supervisors the approvals nobody holds by name."""
    if not _reads_cases(user):
        return Task.objects.none()
    mine = Q(assigned_to=user)
    if user.can("case.approve"):
        mine |= Q(assigned_to__isnull=True)
    return (
        Task.objects.filter(mine, done_at__isnull=True, agency_id=_agency(user))
        .select_related("case__person", "assistance")
        .order_by("due_on", "pk")
    )


def tasks_overdue(*, user: User) -> QuerySet[Task]:
    """Every late task of the agency, for supervisors, oldest first."""
    if not (_reads_cases(user) and user.can("case.approve")):
        return Task.objects.none()
    return (
        Task.objects.filter(agency_id=_agency(user), done_at__isnull=True, due_on__lt=timezone.localdate())
        .select_related("case__person", "assigned_to", "assistance")
        .order_by("due_on", "pk")
    )


def transfers_incoming(*, user: User) -> QuerySet[Transfer]:
    if not (_reads_cases(user) and user.can("case.approve")):
        return Transfer.objects.none()
    return Transfer.objects.filter(to_agency_id=_agency(user), status=Transfer.Status.PENDING).select_related(
        "case__person", "from_agency", "requested_by"
    )


def transfer_get(*, user: User, transfer_id: int) -> Transfer:
    """A transfer the user's agency receives (pending), with its case: the receiving supervisor
    reads the case before accepting it."""
    transfer = transfers_incoming(user=user).filter(pk=transfer_id).first()
    if transfer is None:
        raise Http404
    audit_log(actor=user, action="view", object_type=CASE, object_id=transfer.case.public_id, records=[transfer.case.person.public_id])
    return transfer


# --- instruments and funding ----------------------------------------------------------------


def instruments_current() -> QuerySet[InstrumentVersion]:
    return InstrumentVersion.objects.filter(is_current=True).select_related("instrument").order_by("instrument__kind")


def instrument_version_get(pk: int) -> InstrumentVersion:
    version = InstrumentVersion.objects.select_related("instrument").filter(pk=pk).first()
    if version is None:
        raise Http404
    return version


@dataclass
class ProjectSpending:
    project: Project
    committed_usd: Decimal
    spent_usd: Decimal
    items: int
    cases: int

    @property
    def percent_spent(self) -> int:
        return int(self.spent_usd * 100 / self.project.budget_usd) if self.project.budget_usd else 0


def spending_by_project() -> list[ProjectSpending]:
    """Budget against assistance approved (committed, estimated) and delivered (spent, actual),
    per project, over every institution: amounts and counts, never names."""
    rows = (
        AssistanceItem.objects.exclude(project__isnull=True)
        .values("project_id")
        .annotate(
            committed=Sum("estimated_usd", filter=Q(status=AssistanceItem.Status.APPROVED)),
            spent=Sum("actual_usd", filter=Q(status=AssistanceItem.Status.DELIVERED)),
            items=Count("pk", filter=~Q(status=AssistanceItem.Status.CANCELLED)),
            cases=Count("case", distinct=True, filter=~Q(status=AssistanceItem.Status.CANCELLED)),
        )
    )
    by_project = {row["project_id"]: row for row in rows}
    result = []
    for project in Project.objects.all():
        row = by_project.get(project.pk, {})
        result.append(
            ProjectSpending(
                project=project,
                committed_usd=row.get("committed") or Decimal(0),
                spent_usd=row.get("spent") or Decimal(0),
                items=row.get("items") or 0,
                cases=row.get("cases") or 0,
            )
        )
    return result
