"""Every write of case work: one function per thing a caseworker, supervisor or psychosocial
specialist does; each checks permission, works in one transaction, keeps the derived stage and
the due dates right (`_refresh`) and writes the audit entry."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from retorno.cases import instruments
from retorno.cases.models import (
    CLOSURES_WITH_FINAL_SURVEY,
    Assessment,
    AssistanceItem,
    AssistanceType,
    Case,
    CaseEvent,
    CaseMember,
    ClosureReason,
    Evidence,
    Instrument,
    InstrumentVersion,
    Note,
    Plan,
    PsychosocialSession,
    Task,
    Transfer,
    months_after,
)
from retorno.cases.signals import assessment_recorded
from retorno.core.audit import audit_log
from retorno.core.models import AdminArea, Agency, User
from retorno.core.permissions import Role
from retorno.core.services import public_id_next, require
from retorno.programmes.models import Project
from retorno.reception.models import ArrivalPerson
from retorno.registry.models import Person

CASE = "case"
INSTRUMENTS_DIR = Path(__file__).resolve().parent / "instruments"
ASSESSMENT_DAYS = 14  # the needs assessment is due two weeks after the case opens
PLAN_MONTHS = 1  # the plan is due one month after return (Handbook)
FOLLOW_UP_MONTHS = (3, 6, 12)
APPROVAL_DAYS = 3  # a supervisor decides on a plan, a closure or a transfer within three days
EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
# Accepted evidence, recognised by its first bytes (the name and the browser's type can lie).
EVIDENCE_SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}
CONSENT_METHODS = ("verbal", "signed", "guardian", "authority")
# The assessment a plan rests on: needs or vulnerability (skills and the RSS baseline complete it).
ASSESSMENT_KINDS = (Instrument.Kind.NEEDS, Instrument.Kind.VULNERABILITY)
FOLLOW_UP_EARLY_DAYS = 14  # a follow-up may be a fortnight early, not more
LATEST_DELIVERY_YEARS = 2
CENT = Decimal("0.01")


# --- instruments ----------------------------------------------------------------------


@transaction.atomic
def instrument_load(*, actor: User | None, text: str | bytes, make_current: bool = True) -> InstrumentVersion:
    """Load a definition (YAML). A version already loaded with the same content is returned as
    it is; the same version number with different content is refused: answers point at versions,
    so a version never changes once loaded. `actor=None` is the system loading the shipped files."""
    if actor is not None:
        require(actor, "instrument.load")
    definition = instruments.definition_parse(text)
    digest = instruments.checksum(definition)
    instrument, _created = Instrument.objects.get_or_create(code=definition["instrument"], defaults={"kind": definition["kind"]})
    if instrument.kind != definition["kind"]:
        raise ValidationError(
            _("The instrument “%(code)s” is a %(kind)s instrument: a new version cannot change its kind.")
            % {"code": instrument.code, "kind": instrument.get_kind_display()}
        )
    existing = instrument.versions.filter(version=definition["version"]).first()
    if existing is not None:
        if existing.checksum != digest:
            raise ValidationError(
                _("Version %(version)s of “%(code)s” is already loaded with other content: give the new table a new version number.")
                % {"version": definition["version"], "code": instrument.code}
            )
        return existing
    if make_current:
        instrument.versions.filter(is_current=True).update(is_current=False)
    version = InstrumentVersion.objects.create(
        instrument=instrument,
        version=definition["version"],
        titles=definition["title"],
        source=definition["source"][:400],
        provisional=definition["provisional"],
        definition=definition,
        checksum=digest,
        is_current=make_current or not instrument.versions.filter(is_current=True).exists(),
        loaded_by=actor,
    )
    if actor is not None:
        audit_log(actor=actor, action="create", object_type="instrument", object_id=f"{instrument.code}:{version.version}")
    return version


def instruments_seed() -> list[InstrumentVersion]:
    """Load the definitions shipped in retorno/cases/instruments (idempotent)."""
    return [instrument_load(actor=None, text=path.read_text(encoding="utf-8")) for path in sorted(INSTRUMENTS_DIR.glob("*.yaml"))]


# --- helpers --------------------------------------------------------------------------


def _audit(actor: User, case: Case, action: str, fields: Iterable[str]) -> None:
    audit_log(actor=actor, action=action, object_type=CASE, object_id=case.public_id, fields=fields, records=[case.person.public_id])


def _event(case: Case, actor: User, kind: str, detail: str = "") -> None:
    CaseEvent.objects.create(case=case, kind=kind, actor=actor, detail=detail[:300], at=timezone.now())


def _own(actor: User, case: Case) -> None:
    """Writes are for the agency that holds the case (the selectors already 404 the others)."""
    if case.agency_id != actor.agency_id:
        raise PermissionDenied


def _open(case: Case) -> None:
    if case.closed_at is not None:
        raise ValidationError(_("This case is closed: reopen it first."))


def _task(case: Case, kind: str, due_on: datetime.date, *, to: User | None = None, **extra: Any) -> Task:
    return Task.objects.create(case=case, kind=kind, agency_id=case.agency_id, assigned_to=to, due_on=due_on, **extra)


def _tasks_done(case: Case, *kinds: str, **where: Any) -> None:
    case.tasks.filter(kind__in=kinds, done_at__isnull=True, **where).update(done_at=timezone.now())


def stage_of(case: Case) -> str:
    """The stage follows from what has been recorded: assessed? plan approved? assistance all
    delivered or cancelled? closed?"""
    if case.closed_at is not None:
        return Case.Stage.CLOSED
    if not case.assessments.filter(occasion=Assessment.Occasion.BASELINE, version__instrument__kind__in=ASSESSMENT_KINDS).exists():
        return Case.Stage.ASSESSMENT
    plan = Plan.objects.filter(case=case).first()
    if plan is None or plan.approved_at is None:
        return Case.Stage.PLAN
    statuses = set(case.assistance.values_list("status", flat=True))
    if statuses & {AssistanceItem.Status.PLANNED, AssistanceItem.Status.APPROVED} or AssistanceItem.Status.DELIVERED not in statuses:
        return Case.Stage.ASSISTANCE
    return Case.Stage.FOLLOW_UP


def _refresh(case: Case) -> None:
    """Recompute what the list reads without joins: the stage and the next due date."""
    case.stage = stage_of(case)
    next_task = case.tasks.filter(done_at__isnull=True).order_by("due_on").values_list("due_on", flat=True).first()
    case.next_due_on = next_task
    case.save(update_fields=["stage", "next_due_on"])


def _consent_method(value: str, given: bool, field: str = "consent_method") -> None:
    if given and value not in CONSENT_METHODS:
        raise ValidationError({field: _("Say how the consent was given.")})


def _caseworker_check(actor: User, user: User | None, field: str = "caseworker", action: str = "case.work") -> None:
    if user is not None and (user.agency_id != actor.agency_id or not user.can(action)):
        raise ValidationError({field: _("Choose an active colleague of your institution with this role.")})


# --- cases ------------------------------------------------------------------------------


@transaction.atomic
def case_open(
    *,
    actor: User,
    person: Person,
    returned_on: datetime.date,
    municipality: AdminArea | None = None,
    caseworker: User | None = None,
    risk: str = Case.Risk.MEDIUM,
    consent_assistance: bool = False,
    consent_method: str = "",
    members: Sequence[tuple[Person, str]] = (),
    arrival_entry: ArrivalPerson | None = None,
    plan_from: datetime.date | None = None,
) -> Case:
    """Open a case for a returnee (and their household). One open case per person and agency.
    The plan is due a month after the return, or after `plan_from` (a child's reintegration
    plan follows the best-interests process and the durable solution)."""
    require(actor, "case.work")
    assert actor.agency is not None
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if returned_on > today:
        errors["returned_on"] = _("The date of return cannot be in the future.")
    if not consent_assistance:
        errors["consent_assistance"] = _("A case needs the returnee's consent to assistance: record it, and how it was given.")
    if municipality is not None and (
        municipality.level != AdminArea.Level.MUNICIPALITY or municipality.country_id != actor.agency.country_id
    ):
        errors["municipality"] = _("Choose a municipality of this country.")
    if risk not in Case.Risk.values:
        errors["risk"] = _("Choose a risk level.")
    if errors:
        raise ValidationError(errors)
    _consent_method(consent_method, consent_assistance)
    _caseworker_check(actor, caseworker)
    if Case.objects.filter(person=person, agency=actor.agency, closed_at__isnull=True).exists():
        raise ValidationError(_("%(name)s already has an open case at your institution.") % {"name": person.full_name})
    case = Case.objects.create(
        public_id=public_id_next(kind=CASE, country_code=actor.agency.country.code, prefix="C"),
        agency=actor.agency,
        person=person,
        search_name=person.search_name,
        arrival_entry=arrival_entry,
        returned_on=returned_on,
        municipality=municipality,
        department_id=municipality.parent_id if municipality else None,
        caseworker=caseworker,
        risk=risk,
        consent_assistance=consent_assistance,
        consent_method=consent_method,
        plan_due_on=months_after(max(plan_from or returned_on, returned_on), PLAN_MONTHS),
        opened_by=actor,
        opened_at=timezone.now(),
    )
    for member, relationship in members:
        _member_add(case, member, relationship)
    _task(case, Task.Kind.ASSESSMENT, today + datetime.timedelta(days=ASSESSMENT_DAYS), to=caseworker)
    _task(case, Task.Kind.PLAN, case.plan_due_on, to=caseworker)
    _event(case, actor, CaseEvent.Kind.OPENED)
    _refresh(case)
    _audit(actor, case, "create", ["person", "returned_on", "municipality", "caseworker", "risk", "consent_assistance"])
    return case


RELATIONSHIP_FROM_ARRIVAL = {"mother": "parent", "father": "parent", "parent": "parent", "guardian": "other_relative"}


@transaction.atomic
def case_open_from_arrival(*, actor: User, entry: ArrivalPerson) -> Case:
    """Open the case of someone screened at the desk: date of return, destination, consent and the
    family group they travelled with come from the arrival."""
    screening = getattr(entry, "screening", None)
    if entry.arrival.agency_id != actor.agency_id or entry.person is None:
        raise PermissionDenied
    if screening is None:
        raise ValidationError(_("This person has not been screened at the desk yet."))
    members = []
    for other in entry.arrival.people.filter(Q(travelling_with=entry) | Q(pk=entry.travelling_with_id or 0)).select_related("person"):
        if other.person is not None:
            relation = (
                "child" if other.travelling_with_id == entry.pk else RELATIONSHIP_FROM_ARRIVAL.get(other.relationship, "other_relative")
            )
            members.append((other.person, relation))
    risky = bool(screening.vulnerabilities)
    return case_open(
        actor=actor,
        person=entry.person,
        returned_on=entry.arrival.day,
        municipality=screening.destination,
        caseworker=actor if actor.role == Role.CASEWORKER else None,
        risk=Case.Risk.HIGH if risky else Case.Risk.MEDIUM,
        consent_assistance=screening.consent_assistance,
        consent_method=screening.consent_method,
        members=members,
        arrival_entry=entry,
    )


def _member_add(case: Case, person: Person, relationship: str) -> CaseMember:
    if relationship not in CaseMember.Relationship.values:
        raise ValidationError({"relationship": _("Choose the relationship to the returnee.")})
    if person.pk == case.person_id or case.members.filter(person=person).exists():
        raise ValidationError({"person": _("This person is already in the case.")})
    return CaseMember.objects.create(case=case, person=person, relationship=relationship)


@transaction.atomic
def case_member_add(*, actor: User, case: Case, person: Person, relationship: str) -> CaseMember:
    require(actor, "case.work")
    _own(actor, case)
    _open(case)
    member = _member_add(case, person, relationship)
    _audit(actor, case, "update", ["members"])
    return member


@transaction.atomic
def case_assign(*, actor: User, case: Case, caseworker: User | None, supervisor: User | None = None) -> Case:
    """Give the case (and its open tasks) to another caseworker; a supervisor decides."""
    require(actor, "case.approve")
    _own(actor, case)
    _caseworker_check(actor, caseworker)
    _caseworker_check(actor, supervisor, "supervisor", "case.approve")
    previous = case.caseworker_id
    case.caseworker, case.supervisor = caseworker, supervisor or case.supervisor
    case.save(update_fields=["caseworker", "supervisor"])
    case.tasks.filter(done_at__isnull=True).filter(Q(assigned_to_id=previous) if previous else Q(assigned_to__isnull=True)).exclude(
        kind__in=(Task.Kind.PLAN_APPROVAL, Task.Kind.ASSISTANCE_APPROVAL, Task.Kind.CLOSURE_APPROVAL, Task.Kind.TRANSFER_DECISION)
    ).update(assigned_to=caseworker)
    _event(case, actor, CaseEvent.Kind.ASSIGNED, caseworker.full_name if caseworker else "")
    _audit(actor, case, "update", ["caseworker", "supervisor"])
    return case


@transaction.atomic
def case_risk_set(*, actor: User, case: Case, risk: str) -> Case:
    require(actor, "case.work")
    _own(actor, case)
    if risk not in Case.Risk.values:
        raise ValidationError({"risk": _("Choose a risk level.")})
    case.risk = risk
    case.save(update_fields=["risk"])
    _event(case, actor, CaseEvent.Kind.RISK, str(Case.Risk(risk).label))
    _audit(actor, case, "update", ["risk"])
    return case


# --- assessments and follow-ups -----------------------------------------------------------


@transaction.atomic
def assessment_record(
    *,
    actor: User,
    case: Case,
    version: InstrumentVersion,
    answers: dict[str, Any],
    done_on: datetime.date,
    occasion: str = Assessment.Occasion.BASELINE,
    month: int | None = None,
) -> Assessment:
    """Store answers with the version they used and the scores that version gives. A follow-up
    (RSS at 3, 6 or 12 months) completes its task; the final survey precedes a closure."""
    require(actor, "case.work")
    _own(actor, case)
    if occasion != Assessment.Occasion.FINAL:
        _open(case)
    kind = version.instrument.kind
    if occasion in (Assessment.Occasion.FOLLOW_UP, Assessment.Occasion.FINAL) and kind != Instrument.Kind.SUSTAINABILITY:
        raise ValidationError(_("Follow-ups and the final survey use the reintegration sustainability survey."))
    if occasion == Assessment.Occasion.FOLLOW_UP and month not in FOLLOW_UP_MONTHS:
        raise ValidationError({"month": _("Say which follow-up this is: 3, 6 or 12 months after return.")})
    if done_on > timezone.localdate() or done_on < case.returned_on:
        raise ValidationError({"done_on": _("The date must be between the return and today.")})
    if occasion == Assessment.Occasion.FOLLOW_UP and month is not None:
        due = months_after(case.returned_on, month)
        if done_on < due - datetime.timedelta(days=FOLLOW_UP_EARLY_DAYS):
            raise ValidationError(
                {
                    "month": _(
                        "The %(month)s-month follow-up is due on %(day)s: record it from two weeks before, or choose another follow-up."
                    )
                    % {"month": month, "day": date_format(due, "SHORT_DATE_FORMAT")}
                }
            )
    clean, problems = instruments.answers_check(version.definition, answers)
    if problems:
        raise ValidationError(problems)
    scores, overall = instruments.score(version.definition, clean)
    assessment = Assessment.objects.create(
        case=case,
        version=version,
        occasion=occasion,
        month=month if occasion == Assessment.Occasion.FOLLOW_UP else None,
        answers=clean,
        scores=scores,
        overall=overall,
        done_on=done_on,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    if occasion == Assessment.Occasion.BASELINE and kind in ASSESSMENT_KINDS:
        _tasks_done(case, Task.Kind.ASSESSMENT)
    elif occasion == Assessment.Occasion.FOLLOW_UP:
        _tasks_done(case, Task.Kind.FOLLOW_UP, month=month)
    _refresh(case)
    _audit(actor, case, "create", [f"assessment:{version.instrument.code}"])
    transaction.on_commit(lambda: assessment_recorded.send(sender=Assessment, assessment=assessment))
    return assessment


def assessment_rescore(assessment: Assessment) -> tuple[dict[str, float], float | None]:
    """The scores of stored answers, recomputed from the version they were given with."""
    return instruments.score(assessment.version.definition, assessment.answers)


# --- plan and assistance -------------------------------------------------------------------


@transaction.atomic
def plan_save(
    *,
    actor: User,
    case: Case,
    goals: str,
    agreed_with_returnee: bool,
    agreed_on: datetime.date | None = None,
    delay_reason: str = "",
) -> Plan:
    """Write the plan's goals. Changing an approved plan sends it back for approval."""
    require(actor, "case.work")
    _own(actor, case)
    _open(case)
    if not goals.strip():
        raise ValidationError({"goals": _("Write the goals agreed with the returnee.")})
    if agreed_with_returnee and agreed_on is None:
        raise ValidationError({"agreed_on": _("Say when the plan was agreed.")})
    if agreed_on is not None and (agreed_on > timezone.localdate() or agreed_on < case.returned_on):
        raise ValidationError({"agreed_on": _("The date must be between the return and today.")})
    plan, created = Plan.objects.get_or_create(case=case, defaults={"goals": goals.strip()})
    changed = not created and plan.goals != goals.strip()
    plan.goals, plan.agreed_with_returnee, plan.agreed_on = goals.strip(), agreed_with_returnee, agreed_on
    if changed and plan.approved_at is not None:
        plan.approved_at, plan.approved_by, plan.submitted_at = None, None, None
    plan.save()
    if delay_reason.strip() != case.plan_delay_reason:
        case.plan_delay_reason = delay_reason.strip()[:300]
        case.save(update_fields=["plan_delay_reason"])
    _refresh(case)
    _audit(actor, case, "create" if created else "update", ["plan"])
    return plan


@transaction.atomic
def plan_submit(*, actor: User, case: Case) -> Plan:
    """Send the plan to the supervisor. A late plan (more than a month after return) says why."""
    require(actor, "case.work")
    _own(actor, case)
    _open(case)
    plan = Plan.objects.filter(case=case).first()
    problems = []
    if not case.assessments.filter(occasion=Assessment.Occasion.BASELINE, version__instrument__kind__in=ASSESSMENT_KINDS).exists():
        problems.append(_("Record the needs or vulnerability assessment before the plan."))
    if plan is None or not plan.agreed_with_returnee:
        problems.append(_("The plan must be agreed with the returnee."))
    if not case.assistance.exclude(status=AssistanceItem.Status.CANCELLED).exists():
        problems.append(_("Add at least one assistance item to the plan."))
    if timezone.localdate() > case.plan_due_on and not case.plan_delay_reason:
        problems.append(_("The plan is later than one month after return: write why."))
    if problems:
        raise ValidationError(problems)
    assert plan is not None
    if plan.approved_at is not None:
        raise ValidationError(_("The plan is already approved."))
    plan.submitted_at = timezone.now()
    plan.save(update_fields=["submitted_at"])
    _tasks_done(case, Task.Kind.PLAN)
    if not case.tasks.filter(kind=Task.Kind.PLAN_APPROVAL, done_at__isnull=True).exists():
        _task(case, Task.Kind.PLAN_APPROVAL, timezone.localdate() + datetime.timedelta(days=APPROVAL_DAYS), to=case.supervisor)
    _event(case, actor, CaseEvent.Kind.PLAN_SUBMITTED)
    _refresh(case)
    _audit(actor, case, "update", ["plan"])
    return plan


@transaction.atomic
def plan_decide(*, actor: User, case: Case, approve: bool, comment: str = "") -> Plan:
    """The supervisor approves the plan (its planned items become approved, delivery and
    follow-up tasks are set) or returns it with a comment."""
    require(actor, "case.approve")
    _own(actor, case)
    _open(case)
    plan = Plan.objects.filter(case=case, submitted_at__isnull=False, approved_at__isnull=True).first()
    if plan is None:
        raise ValidationError(_("There is no plan waiting for approval."))
    _tasks_done(case, Task.Kind.PLAN_APPROVAL)
    if not approve:
        if not comment.strip():
            raise ValidationError({"comment": _("Say what must change in the plan.")})
        plan.submitted_at = None
        plan.save(update_fields=["submitted_at"])
        _task(case, Task.Kind.PLAN, max(case.plan_due_on, timezone.localdate()), to=case.caseworker)
        _event(case, actor, CaseEvent.Kind.PLAN_RETURNED, comment.strip())
    else:
        plan.approved_at, plan.approved_by = timezone.now(), actor
        plan.save(update_fields=["approved_at", "approved_by"])
        for item in case.assistance.filter(status=AssistanceItem.Status.PLANNED):
            _item_approve(item)
        for month in FOLLOW_UP_MONTHS:
            if not case.tasks.filter(kind=Task.Kind.FOLLOW_UP, month=month).exists():
                _task(case, Task.Kind.FOLLOW_UP, months_after(case.returned_on, month), to=case.caseworker, month=month)
        _event(case, actor, CaseEvent.Kind.PLAN_APPROVED, comment.strip())
    _refresh(case)
    _audit(actor, case, "update", ["plan.approved"])
    return plan


def _usd(amount: Decimal | None, currency: str, rate: Decimal) -> Decimal | None:
    if amount is None:
        return None
    return (amount if currency == "USD" else amount / rate).quantize(CENT, rounding=ROUND_HALF_UP)


def _item_check(item: AssistanceItem) -> None:
    errors: dict[str, str] = {}
    if not item.provider_agency_id and not item.provider_name.strip():
        errors["provider_name"] = _("Say who provides it: an institution or a service.")
    if len(item.currency) != 3 or not item.currency.isalpha():
        errors["currency"] = _("Write the currency as its three-letter code (USD, HNL, GTQ, COP).")
    item.currency = item.currency.upper()
    if item.currency == "USD":
        item.exchange_rate = Decimal(1)
    elif not item.exchange_rate or item.exchange_rate <= 0:
        errors["exchange_rate"] = _("Give the exchange rate: units of %(currency)s per US dollar.") % {"currency": item.currency}
    if item.estimated_cost is None or item.estimated_cost < 0:
        errors["estimated_cost"] = _("The estimated cost cannot be negative.")
    project = item.project
    if project is not None:
        # A completed project still names the funding of what it paid for (the seeds' RT.1066 is
        # such a case); one in preparation has no money yet, and a project pays in its own states.
        country = item.case.agency.country
        if project.status == Project.Status.PIPELINE:
            errors["project"] = _("The project %(code)s is still in preparation: it cannot fund assistance yet.") % {"code": project.code}
        elif project.benefiting_states.exists() and not project.benefiting_states.filter(pk=country.pk).exists():
            errors["project"] = _("The project %(code)s does not fund assistance in %(country)s.") % {
                "code": project.code,
                "country": country.name,
            }
    if item.due_on is None:
        errors["due_on"] = _("Give the planned delivery date.")
    elif not item.case.returned_on <= item.due_on <= months_after(item.case.returned_on, 12 * LATEST_DELIVERY_YEARS):
        errors["due_on"] = _("The planned delivery must be after the return and within two years of it.")
    if errors:
        raise ValidationError(errors)
    item.estimated_usd = _usd(item.estimated_cost, item.currency, item.exchange_rate) or Decimal(0)


def _item_approve(item: AssistanceItem) -> None:
    item.status = AssistanceItem.Status.APPROVED
    item.save(update_fields=["status"])
    _task(item.case, Task.Kind.DELIVERY, item.due_on, to=item.case.caseworker, assistance=item)


@transaction.atomic
def assistance_add(
    *,
    actor: User,
    case: Case,
    kind: str,
    due_on: datetime.date | None,
    description: str = "",
    provider_agency: Agency | None = None,
    provider_name: str = "",
    estimated_cost: Decimal = Decimal(0),
    currency: str = "USD",
    exchange_rate: Decimal | None = None,
    project: Project | None = None,
) -> AssistanceItem:
    """Add an item to the plan. Items added after the plan was approved wait for their own approval."""
    require(actor, "case.work")
    _own(actor, case)
    _open(case)
    if kind not in AssistanceType.values:
        raise ValidationError({"kind": _("Choose a type of assistance.")})
    if due_on is None:
        raise ValidationError({"due_on": _("Give the planned delivery date.")})
    currency = (currency or "USD").strip().upper()
    item = AssistanceItem(
        case=case,
        kind=kind,
        description=description.strip()[:300],
        provider_agency=provider_agency,
        provider_name=provider_name.strip()[:200],
        estimated_cost=estimated_cost,
        currency=currency,
        exchange_rate=exchange_rate if exchange_rate is not None else Decimal(0),
        project=project,
        due_on=due_on,
        created_by=actor,
        created_at=timezone.now(),
    )
    _item_check(item)
    item.save()
    if Plan.objects.filter(case=case, approved_at__isnull=False).exists():
        _task(
            case,
            Task.Kind.ASSISTANCE_APPROVAL,
            timezone.localdate() + datetime.timedelta(days=APPROVAL_DAYS),
            to=case.supervisor,
            assistance=item,
        )
    _refresh(case)
    _audit(actor, case, "create", [f"assistance:{kind}"])
    return item


@transaction.atomic
def assistance_approve(*, actor: User, item: AssistanceItem) -> AssistanceItem:
    """Approve an item added to an already approved plan."""
    require(actor, "case.approve")
    _own(actor, item.case)
    _open(item.case)
    if item.status != AssistanceItem.Status.PLANNED:
        raise ValidationError(_("Only planned assistance can be approved."))
    _item_approve(item)
    _tasks_done(item.case, Task.Kind.ASSISTANCE_APPROVAL, assistance=item)
    _refresh(item.case)
    _audit(actor, item.case, "update", [f"assistance:{item.kind}.status"])
    return item


def evidence_check(upload: UploadedFile) -> str:
    """The content type of an acceptable receipt or photo, or a ValidationError saying why not."""
    if upload.size is None or upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError({"evidence": _("The file is larger than 5 MB: send a smaller photo or scan.")})
    if upload.size == 0:
        raise ValidationError({"evidence": _("The file is empty.")})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    for signature, content_type in EVIDENCE_SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    raise ValidationError({"evidence": _("Send a PDF, JPEG, PNG or WebP file.")})


def _evidence_add(actor: User, item: AssistanceItem, upload: UploadedFile, kind: str) -> Evidence:
    content_type = evidence_check(upload)
    if kind not in Evidence.Kind.values:
        raise ValidationError({"evidence_kind": _("Say whether it is a receipt, a photo or another document.")})
    return Evidence.objects.create(
        item=item, kind=kind, file=upload, content_type=content_type, size=upload.size or 0, uploaded_by=actor, uploaded_at=timezone.now()
    )


@transaction.atomic
def assistance_deliver(
    *,
    actor: User,
    item: AssistanceItem,
    delivered_on: datetime.date,
    actual_cost: Decimal | None,
    evidence: Sequence[tuple[UploadedFile, str]] = (),
) -> AssistanceItem:
    """Record the delivery of approved assistance: the date, what it really cost and, when money
    was spent, a receipt or photo."""
    require(actor, "case.work")
    case = item.case
    _own(actor, case)
    _open(case)
    if item.status != AssistanceItem.Status.APPROVED:
        raise ValidationError(_("Only approved assistance can be delivered."))
    errors: dict[str, str] = {}
    if delivered_on > timezone.localdate() or delivered_on < case.returned_on:
        errors["delivered_on"] = _("The date must be between the return and today.")
    if actual_cost is None or actual_cost < 0:
        errors["actual_cost"] = _("Write what it really cost (0 if nothing was paid).")
    elif actual_cost > 0 and not evidence and not item.evidence.exists():
        errors["evidence"] = _("Money was spent: attach the receipt or a photo of the delivery.")
    if errors:
        raise ValidationError(errors)
    for upload, kind in evidence:
        _evidence_add(actor, item, upload, kind)
    item.status, item.delivered_on, item.actual_cost = AssistanceItem.Status.DELIVERED, delivered_on, actual_cost
    item.actual_usd = _usd(actual_cost, item.currency, item.exchange_rate)
    item.save(update_fields=["status", "delivered_on", "actual_cost", "actual_usd"])
    _tasks_done(case, Task.Kind.DELIVERY, assistance=item)
    _refresh(case)
    _audit(actor, case, "update", [f"assistance:{item.kind}.delivered"])
    return item


@transaction.atomic
def evidence_add(*, actor: User, item: AssistanceItem, upload: UploadedFile, kind: str = Evidence.Kind.RECEIPT) -> Evidence:
    require(actor, "case.work")
    _own(actor, item.case)
    found = _evidence_add(actor, item, upload, kind)
    _audit(actor, item.case, "create", [f"assistance:{item.kind}.evidence"])
    return found


@transaction.atomic
def assistance_cancel(*, actor: User, item: AssistanceItem, reason: str) -> AssistanceItem:
    require(actor, "case.work")
    _own(actor, item.case)
    _open(item.case)
    if not item.is_open:
        raise ValidationError(_("Only planned or approved assistance can be cancelled."))
    if not reason.strip():
        raise ValidationError({"cancel_reason": _("Say why the assistance is cancelled.")})
    item.status, item.cancel_reason = AssistanceItem.Status.CANCELLED, reason.strip()[:300]
    item.save(update_fields=["status", "cancel_reason"])
    _tasks_done(item.case, Task.Kind.DELIVERY, Task.Kind.ASSISTANCE_APPROVAL, assistance=item)
    _refresh(item.case)
    _audit(actor, item.case, "update", [f"assistance:{item.kind}.cancelled"])
    return item


# --- notes and psychosocial sessions -------------------------------------------------------


def note_may_write(user: User, confidentiality: str) -> bool:
    if confidentiality == Note.Confidentiality.PSYCHOSOCIAL:
        return user.can("case.psychosocial")
    if confidentiality == Note.Confidentiality.SUPERVISOR:
        return user.can("case.approve")
    return user.can("case.work") or user.can("case.psychosocial")


@transaction.atomic
def note_add(*, actor: User, case: Case, text: str, confidentiality: str = Note.Confidentiality.GENERAL) -> Note:
    require(actor, "case.view")
    _own(actor, case)
    if confidentiality not in Note.Confidentiality.values or not note_may_write(actor, confidentiality):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": _("The note is empty.")})
    note = Note.objects.create(case=case, confidentiality=confidentiality, text=text.strip(), written_by=actor, written_at=timezone.now())
    _audit(actor, case, "create", [f"note:{confidentiality}"])
    return note


@transaction.atomic
def session_record(
    *, actor: User, case: Case, kind: str, held_on: datetime.date, minutes: int = 60, participants: int = 1, notes: str = ""
) -> PsychosocialSession:
    """A psychosocial session (individual, family or group): only psychosocial specialists record and read them."""
    require(actor, "case.psychosocial")
    _own(actor, case)
    errors: dict[str, str] = {}
    if kind not in PsychosocialSession.Kind.values:
        errors["kind"] = _("Choose individual, family or group.")
    if held_on > timezone.localdate():
        errors["held_on"] = _("The session cannot be in the future.")
    if not 5 <= minutes <= 480:
        errors["minutes"] = _("A session lasts between 5 and 480 minutes.")
    if not 1 <= participants <= 200:
        errors["participants"] = _("Between 1 and 200 participants.")
    if errors:
        raise ValidationError(errors)
    session = PsychosocialSession.objects.create(
        case=case, kind=kind, held_on=held_on, minutes=minutes, participants=participants, notes=notes.strip(), held_by=actor
    )
    _audit(actor, case, "create", ["psychosocial_session"])
    return session


# --- transfers -------------------------------------------------------------------------------


@transaction.atomic
def transfer_request(*, actor: User, case: Case, to_agency: Agency, reason: str, consent_given: bool, consent_method: str) -> Transfer:
    """Ask another institution to take the case; it stays here until they accept."""
    require(actor, "case.work")
    _own(actor, case)
    _open(case)
    errors: dict[str, str] = {}
    if to_agency.pk == case.agency_id or not to_agency.is_active or to_agency.country_id != case.agency.country_id:
        errors["to_agency"] = _("Choose another active institution of this country.")
    if not reason.strip():
        errors["reason"] = _("Say why the case is transferred.")
    if not consent_given:
        errors["consent_given"] = _("A case moves to another institution only with the returnee's consent.")
    if errors:
        raise ValidationError(errors)
    _consent_method(consent_method, consent_given)
    if case.transfers.filter(status=Transfer.Status.PENDING).exists():
        raise ValidationError(_("A transfer of this case is already waiting for an answer."))
    transfer = Transfer.objects.create(
        case=case,
        from_agency_id=case.agency_id,
        to_agency=to_agency,
        reason=reason.strip()[:300],
        consent_given=True,
        consent_method=consent_method,
        requested_by=actor,
        requested_at=timezone.now(),
    )
    Task.objects.create(
        case=case,
        kind=Task.Kind.TRANSFER_DECISION,
        agency=to_agency,
        due_on=timezone.localdate() + datetime.timedelta(days=APPROVAL_DAYS),
    )
    _event(case, actor, CaseEvent.Kind.TRANSFER_REQUESTED, to_agency.acronym)
    _audit(actor, case, "update", ["transfer"])
    return transfer


@transaction.atomic
def transfer_decide(*, actor: User, transfer: Transfer, accept: bool, reason: str = "") -> Transfer:
    """The receiving institution's supervisor accepts (the case, its open tasks and its history
    move to them, without a caseworker yet) or declines with a reason (it stays where it was)."""
    require(actor, "case.approve")
    if transfer.to_agency_id != actor.agency_id or transfer.status != Transfer.Status.PENDING:
        raise PermissionDenied
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("Say why the transfer is declined.")})
    case = transfer.case
    transfer.status = Transfer.Status.ACCEPTED if accept else Transfer.Status.DECLINED
    transfer.decided_by, transfer.decided_at, transfer.decline_reason = actor, timezone.now(), "" if accept else reason.strip()[:300]
    transfer.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
    _tasks_done(case, Task.Kind.TRANSFER_DECISION)
    if accept:
        case.agency_id, case.caseworker, case.supervisor = actor.agency_id, None, None
        case.save(update_fields=["agency", "caseworker", "supervisor"])
        case.tasks.filter(done_at__isnull=True).update(agency_id=actor.agency_id, assigned_to=None)
        _event(case, actor, CaseEvent.Kind.TRANSFER_ACCEPTED, actor.agency.acronym if actor.agency else "")
    else:
        _event(case, actor, CaseEvent.Kind.TRANSFER_DECLINED, reason.strip())
    _refresh(case)
    _audit(actor, case, "update", ["transfer", "agency"] if accept else ["transfer"])
    return transfer


# --- closure ---------------------------------------------------------------------------------


@transaction.atomic
def closure_request(*, actor: User, case: Case, reason: str, note: str = "") -> Case:
    """Ask the supervisor to close the case. A planned closure needs the final sustainability
    survey and no assistance still pending; an abrupt exit cancels what is pending on approval."""
    require(actor, "case.work")
    _own(actor, case)
    _open(case)
    if case.closure_pending:
        raise ValidationError(_("The closure is already waiting for approval."))
    if reason not in ClosureReason.values:
        raise ValidationError({"reason": _("Choose the reason for closing.")})
    if reason in CLOSURES_WITH_FINAL_SURVEY:
        problems = []
        if not case.assessments.filter(occasion=Assessment.Occasion.FINAL).exists():
            problems.append(_("Record the final sustainability survey before closing."))
        if case.assistance.filter(status__in=(AssistanceItem.Status.PLANNED, AssistanceItem.Status.APPROVED)).exists():
            problems.append(_("Some assistance is still pending: deliver or cancel it first."))
        if problems:
            raise ValidationError(problems)
    case.closure_reason, case.closure_note, case.closure_requested_at = reason, note.strip()[:500], timezone.now()
    case.save(update_fields=["closure_reason", "closure_note", "closure_requested_at"])
    _task(case, Task.Kind.CLOSURE_APPROVAL, timezone.localdate() + datetime.timedelta(days=APPROVAL_DAYS), to=case.supervisor)
    _event(case, actor, CaseEvent.Kind.CLOSURE_REQUESTED)
    _refresh(case)
    _audit(actor, case, "update", ["closure_reason", "closure_note"])
    return case


@transaction.atomic
def closure_decide(*, actor: User, case: Case, approve: bool, comment: str = "") -> Case:
    require(actor, "case.approve")
    _own(actor, case)
    if not case.closure_pending:
        raise ValidationError(_("There is no closure waiting for approval."))
    if approve:
        for item in case.assistance.filter(status__in=(AssistanceItem.Status.PLANNED, AssistanceItem.Status.APPROVED)):
            item.status, item.cancel_reason = AssistanceItem.Status.CANCELLED, str(_("case closed"))
            item.save(update_fields=["status", "cancel_reason"])
        case.closed_at, case.closed_by = timezone.now(), actor
        case.save(update_fields=["closed_at", "closed_by"])
        case.tasks.filter(done_at__isnull=True).update(done_at=timezone.now())
        _event(case, actor, CaseEvent.Kind.CLOSED, comment.strip())
    else:
        if not comment.strip():
            raise ValidationError({"comment": _("Say why the case cannot be closed yet.")})
        case.closure_requested_at = None
        case.save(update_fields=["closure_requested_at"])
        _tasks_done(case, Task.Kind.CLOSURE_APPROVAL)
        _event(case, actor, CaseEvent.Kind.CLOSURE_RETURNED, comment.strip())
    _refresh(case)
    _audit(actor, case, "update", ["closed_at"])
    return case


@transaction.atomic
def case_reopen(*, actor: User, case: Case, reason: str) -> Case:
    """Reopen a closed case (the returnee needs support again); the stage follows the records."""
    require(actor, "case.work")
    _own(actor, case)
    if case.closed_at is None:
        raise ValidationError(_("The case is open."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the case is reopened.")})
    case.closed_at, case.closed_by, case.closure_requested_at = None, None, None
    case.closure_reason, case.closure_note = "", ""
    case.save(update_fields=["closed_at", "closed_by", "closure_requested_at", "closure_reason", "closure_note"])
    # The follow-ups still ahead come back; when none is, the next visit is due in a month.
    today = timezone.localdate()
    recorded = set(case.assessments.filter(occasion=Assessment.Occasion.FOLLOW_UP).values_list("month", flat=True))
    ahead = [m for m in FOLLOW_UP_MONTHS if m not in recorded and months_after(case.returned_on, m) > today]
    for month in ahead:
        _task(case, Task.Kind.FOLLOW_UP, months_after(case.returned_on, month), to=case.caseworker, month=month)
    if not ahead:
        _task(case, Task.Kind.FOLLOW_UP, months_after(today, 1), to=case.caseworker)
    _event(case, actor, CaseEvent.Kind.REOPENED, reason.strip())
    _refresh(case)
    _audit(actor, case, "update", ["closed_at"])
    return case
