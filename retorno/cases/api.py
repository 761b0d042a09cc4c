"""API for case work: the same services and scoped selectors as the pages, so notes and sessions
carry the same confidentiality here as on the page and in the printable summary."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from retorno.cases import selectors, services
from retorno.cases.instruments import InstrumentError
from retorno.cases.models import (
    Assessment,
    AssistanceItem,
    AssistanceType,
    Case,
    CaseMember,
    ClosureReason,
    Evidence,
    InstrumentVersion,
    Note,
    PsychosocialSession,
    Task,
    Transfer,
)
from retorno.core.api import lookup, request_user
from retorno.core.models import AdminArea, Agency, User
from retorno.programmes.models import Project
from retorno.reception.models import ArrivalPerson
from retorno.registry.selectors import person_scope

router = Router(tags=["cases"])


# --- schemas --------------------------------------------------------------------------


class CaseOut(Schema):
    public_id: str
    person: str = Field(..., alias="person.public_id")
    name: str = Field(..., alias="person.full_name")
    agency: str = Field(..., alias="agency.acronym")
    stage: str
    risk: str
    returned_on: datetime.date
    municipality: str | None = Field(None, alias="municipality.pcode")
    caseworker: str | None = Field(None, alias="caseworker.email")
    plan_due_on: datetime.date
    plan_delay_reason: str
    next_due_on: datetime.date | None
    overdue: bool = Field(..., alias="is_overdue")
    opened_at: datetime.datetime
    closure_reason: str
    closed_at: datetime.datetime | None


class CasePageOut(Schema):
    total: int
    offset: int
    items: list[CaseOut]


class CaseIn(Schema):
    person: str = Field(..., max_length=24, description="Retorno id of a person of your institution")
    returned_on: datetime.date
    municipality: str | None = Field(None, max_length=20, description="Municipality code (P-code)")
    caseworker: str | None = Field(None, max_length=254, description="E-mail of a caseworker of your institution")
    risk: Case.Risk = Case.Risk.MEDIUM
    consent_assistance: bool
    consent_method: str = Field("", max_length=10, description="verbal, signed, guardian or authority")


class MemberIn(Schema):
    person: str = Field(..., max_length=24)
    relationship: CaseMember.Relationship


class MemberOut(Schema):
    person: str = Field(..., alias="person.public_id")
    name: str = Field(..., alias="person.full_name")
    relationship: str


class AssignIn(Schema):
    caseworker: str | None = Field(None, max_length=254)
    supervisor: str | None = Field(None, max_length=254)


class RiskIn(Schema):
    risk: Case.Risk


class AssessmentIn(Schema):
    instrument_version: int = Field(..., description="Id of the instrument version answered (GET /cases/instruments)")
    answers: dict[str, Any] = Field(..., description="Question code → option code, list of option codes, number or text")
    done_on: datetime.date
    occasion: Assessment.Occasion = Assessment.Occasion.BASELINE
    month: int | None = Field(None, description="3, 6 or 12 for a follow-up")


class AssessmentOut(Schema):
    id: int
    instrument: str = Field(..., alias="version.instrument.code")
    version: str = Field(..., alias="version.version")
    provisional: bool = Field(..., alias="version.provisional")
    occasion: str
    month: int | None
    done_on: datetime.date
    answers: dict[str, Any]
    scores: dict[str, float]
    overall: float | None


class PlanIn(Schema):
    goals: str = Field(..., min_length=1, max_length=5000)
    agreed_with_returnee: bool
    agreed_on: datetime.date | None = None
    delay_reason: str = Field("", max_length=300)


class PlanOut(Schema):
    goals: str
    agreed_with_returnee: bool
    agreed_on: datetime.date | None
    submitted_at: datetime.datetime | None
    approved_at: datetime.datetime | None
    approved_by: str | None = Field(None, alias="approved_by.email")


class DecisionIn(Schema):
    approve: bool
    comment: str = Field("", max_length=300)


class AssistanceIn(Schema):
    kind: AssistanceType
    description: str = Field("", max_length=300)
    provider_agency: str | None = Field(None, max_length=30, description="Acronym of an institution of your country")
    provider_name: str = Field("", max_length=200)
    estimated_cost: Decimal = Field(Decimal(0), ge=0, max_digits=14, decimal_places=2)
    currency: str = Field("USD", min_length=3, max_length=3)
    exchange_rate: Decimal | None = Field(None, gt=0, max_digits=14, decimal_places=6)
    project: str | None = Field(None, max_length=20, description="Project ID, e.g. RT.1066")
    due_on: datetime.date


class EvidenceOut(Schema):
    id: int
    kind: str
    content_type: str
    size: int
    uploaded_at: datetime.datetime


class AssistanceOut(Schema):
    id: int
    kind: str
    dimension: str
    description: str
    provider: str
    status: str
    currency: str
    exchange_rate: Decimal
    estimated_cost: Decimal
    actual_cost: Decimal | None
    estimated_usd: Decimal
    actual_usd: Decimal | None
    project: str | None = Field(None, alias="project.code")
    due_on: datetime.date
    delivered_on: datetime.date | None
    cancel_reason: str
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_evidence(obj: AssistanceItem) -> list[Evidence]:
        return list(obj.evidence.all())


class NoteIn(Schema):
    text: str = Field(..., min_length=1, max_length=10000)
    confidentiality: Note.Confidentiality = Note.Confidentiality.GENERAL


class NoteOut(Schema):
    id: int
    confidentiality: str
    text: str
    written_by: str = Field(..., alias="written_by.full_name")
    written_at: datetime.datetime


class SessionIn(Schema):
    kind: PsychosocialSession.Kind
    held_on: datetime.date
    minutes: int = Field(60, ge=5, le=480)
    participants: int = Field(1, ge=1, le=200)
    notes: str = Field("", max_length=10000)


class SessionOut(Schema):
    id: int
    kind: str
    held_on: datetime.date
    minutes: int
    participants: int
    notes: str


class TaskOut(Schema):
    id: int
    kind: str
    case: str = Field(..., alias="case.public_id")
    due_on: datetime.date
    month: int | None
    assigned_to: str | None = Field(None, alias="assigned_to.email")
    overdue: bool = Field(..., alias="is_overdue")


class EventOut(Schema):
    kind: str
    at: datetime.datetime
    actor: str = Field(..., alias="actor.full_name")
    detail: str


class TransferIn(Schema):
    to_agency: int = Field(..., description="Id of the receiving institution")
    reason: str = Field(..., min_length=1, max_length=300)
    consent_given: bool
    consent_method: str = Field("", max_length=10)


class TransferOut(Schema):
    id: int
    case: str = Field(..., alias="case.public_id")
    from_agency: str = Field(..., alias="from_agency.acronym")
    to_agency: str = Field(..., alias="to_agency.acronym")
    reason: str
    status: str
    requested_at: datetime.datetime
    decline_reason: str


class TransferDecisionIn(Schema):
    accept: bool
    reason: str = Field("", max_length=300)


class ClosureIn(Schema):
    reason: ClosureReason
    note: str = Field("", max_length=500)


class ReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=300)


class CaseDetailOut(CaseOut):
    members: list[MemberOut]
    plan: PlanOut | None
    assistance: list[AssistanceOut]
    assessments: list[AssessmentOut]
    notes: list[NoteOut]
    sessions: list[SessionOut]
    tasks: list[TaskOut]
    transfers: list[TransferOut]
    events: list[EventOut]


class InstrumentOut(Schema):
    id: int
    code: str = Field(..., alias="instrument.code")
    kind: str = Field(..., alias="instrument.kind")
    version: str
    title: str
    source: str
    provisional: bool
    is_current: bool
    definition: dict[str, Any]


class SpendingOut(Schema):
    project: str = Field(..., alias="project.code")
    budget_usd: Decimal | None = Field(None, alias="project.budget_usd")
    committed_usd: Decimal
    spent_usd: Decimal
    items: int
    cases: int


# --- helpers ----------------------------------------------------------------------------


def _case(request: HttpRequest, public_id: str, audit: bool = False) -> tuple[User, Case]:
    user = request_user(request)
    return user, selectors.case_get(user=user, public_id=public_id, audit=audit)


def _colleague(user: User, email: str | None, field: str) -> User | None:
    if not email:
        return None
    return lookup(User.objects.all(), field, email=email.strip().lower(), agency_id=user.agency_id, is_active=True)


def _person(user: User, public_id: str, field: str = "person") -> Any:
    return lookup(person_scope(user=user), field, public_id=public_id.strip().upper())


class _Detail:
    """The case seen through the selectors: its notes, sessions and the rest come from the
    case view (confidentiality applied), never from the model's related managers."""

    def __init__(self, case: Case, view: selectors.CaseView) -> None:
        self._case, self.members, self.plan, self.assistance = case, view.members, view.plan, view.assistance
        self.assessments, self.notes, self.sessions, self.tasks = view.assessments, view.notes, view.sessions, view.tasks
        self.transfers, self.events = view.transfers, view.events

    def __getattr__(self, name: str) -> Any:
        return getattr(self._case, name)


# --- routes without a case id (before /{public_id}) ---------------------------------------


@router.get("", response=CasePageOut, summary="Cases of your institution, filtered (newest first)")
def case_list(
    request: HttpRequest,
    stage: Case.Stage | None = None,
    risk: Case.Risk | None = None,
    overdue: bool = False,
    mine: bool = False,
    department: str | None = None,
    q: str = "",
    offset: int = 0,
    limit: int = 50,
) -> dict[str, Any]:
    user = request_user(request)
    department_id = None
    if department:
        department_id = lookup(AdminArea.objects.filter(level=AdminArea.Level.DEPARTMENT), "department", code=department).pk
    filters = selectors.CaseFilters(
        stage=stage or "", open_only=stage is None, risk=risk or "", overdue=overdue, mine=mine, department=department_id, query=q[:100]
    )
    page = selectors.case_list(user=user, filters=filters, offset=max(offset, 0), limit=min(max(limit, 1), 200))
    return {"total": page.total, "offset": page.offset, "items": page.cases}


@router.post("", response={201: CaseOut}, summary="Open a case for a person of your institution")
def case_open(request: HttpRequest, payload: CaseIn) -> Status[Case]:
    user = request_user(request)
    municipality = lookup(AdminArea.objects.all(), "municipality", pcode=payload.municipality) if payload.municipality else None
    case = services.case_open(
        actor=user,
        person=_person(user, payload.person),
        returned_on=payload.returned_on,
        municipality=municipality,
        caseworker=_colleague(user, payload.caseworker, "caseworker"),
        risk=payload.risk,
        consent_assistance=payload.consent_assistance,
        consent_method=payload.consent_method,
    )
    return Status(201, case)


@router.post("/from-arrival/{entry_id}", response={201: CaseOut}, summary="Open the case of someone screened at your reception desk")
def case_open_from_arrival(request: HttpRequest, entry_id: int) -> Status[Case]:
    user = request_user(request)
    entry = lookup(
        ArrivalPerson.objects.select_related("arrival", "person", "screening"), "entry", pk=entry_id, arrival__agency_id=user.agency_id
    )
    return Status(201, services.case_open_from_arrival(actor=user, entry=entry))


@router.get("/tasks", response=list[TaskOut], summary="Your open tasks (supervisors: also the approvals nobody holds by name)")
def tasks(request: HttpRequest, overdue: bool = False) -> list[Task]:
    user = request_user(request)
    found = selectors.tasks_overdue(user=user) if overdue else selectors.tasks_mine(user=user)
    return list(found[:500])


@router.get("/transfers", response=list[TransferOut], summary="Cases other institutions ask yours to take")
def transfers_incoming(request: HttpRequest) -> list[Transfer]:
    return list(selectors.transfers_incoming(user=request_user(request)))


@router.post("/transfers/{transfer_id}/decision", response=TransferOut, summary="Accept or decline a transfer (receiving supervisor)")
def transfer_decide(request: HttpRequest, transfer_id: int, payload: TransferDecisionIn) -> Transfer:
    user = request_user(request)
    transfer = selectors.transfer_get(user=user, transfer_id=transfer_id)
    return services.transfer_decide(actor=user, transfer=transfer, accept=payload.accept, reason=payload.reason)


@router.get("/instruments", response=list[InstrumentOut], summary="Instrument versions in use, with their definitions")
def instruments(request: HttpRequest, all_versions: bool = False) -> list[InstrumentVersion]:
    versions = InstrumentVersion.objects.select_related("instrument") if all_versions else selectors.instruments_current()
    return list(versions)


@router.post("/instruments", response={201: InstrumentOut}, summary="Load an instrument version from a YAML definition (administrators)")
def instrument_load(request: HttpRequest, file: File[UploadedFile]) -> Status[InstrumentVersion]:
    user = request_user(request)
    if (file.size or 0) > 512 * 1024:
        raise ValidationError({"file": _("The file is larger than 512 KB: an instrument definition is a short text file.")})
    try:
        version = services.instrument_load(actor=user, text=file.read())
    except InstrumentError as error:
        raise ValidationError({"file": error.problems}) from None
    return Status(201, version)


@router.get("/funding", response=list[SpendingOut], summary="Budget, approved and delivered assistance per project (no names)")
def funding(request: HttpRequest) -> list[selectors.ProjectSpending]:
    user = request_user(request)
    if not (user.can("stats.view") or user.can("case.approve")):
        raise PermissionDenied
    return selectors.spending_by_project()


# --- one case ------------------------------------------------------------------------------


@router.get("/{public_id}", response=CaseDetailOut, summary="A case with everything your role may read")
def case_detail(request: HttpRequest, public_id: str) -> _Detail:
    user, case = _case(request, public_id, audit=True)
    return _Detail(case, selectors.case_view(user=user, case=case))


@router.post("/{public_id}/members", response={201: MemberOut}, summary="Add a household member")
def member_add(request: HttpRequest, public_id: str, payload: MemberIn) -> Status[CaseMember]:
    user, case = _case(request, public_id)
    return Status(
        201, services.case_member_add(actor=user, case=case, person=_person(user, payload.person), relationship=payload.relationship)
    )


@router.post("/{public_id}/assign", response=CaseOut, summary="Assign the caseworker and supervisor (supervisors)")
def assign(request: HttpRequest, public_id: str, payload: AssignIn) -> Case:
    user, case = _case(request, public_id)
    return services.case_assign(
        actor=user,
        case=case,
        caseworker=_colleague(user, payload.caseworker, "caseworker"),
        supervisor=_colleague(user, payload.supervisor, "supervisor"),
    )


@router.post("/{public_id}/risk", response=CaseOut, summary="Change the risk level")
def risk_set(request: HttpRequest, public_id: str, payload: RiskIn) -> Case:
    user, case = _case(request, public_id)
    return services.case_risk_set(actor=user, case=case, risk=payload.risk)


@router.post("/{public_id}/assessments", response={201: AssessmentOut}, summary="Record answers to an instrument; scored with its version")
def assessment_record(request: HttpRequest, public_id: str, payload: AssessmentIn) -> Status[Assessment]:
    user, case = _case(request, public_id)
    version = lookup(InstrumentVersion.objects.select_related("instrument"), "instrument_version", pk=payload.instrument_version)
    found = services.assessment_record(
        actor=user,
        case=case,
        version=version,
        answers=payload.answers,
        done_on=payload.done_on,
        occasion=payload.occasion,
        month=payload.month,
    )
    return Status(201, found)


@router.put("/{public_id}/plan", response=PlanOut, summary="Write the plan's goals")
def plan_save(request: HttpRequest, public_id: str, payload: PlanIn) -> Any:
    user, case = _case(request, public_id)
    return services.plan_save(actor=user, case=case, **payload.dict())


@router.post("/{public_id}/plan/submit", response=PlanOut, summary="Send the plan for approval")
def plan_submit(request: HttpRequest, public_id: str) -> Any:
    user, case = _case(request, public_id)
    return services.plan_submit(actor=user, case=case)


@router.post("/{public_id}/plan/decision", response=PlanOut, summary="Approve the plan or return it (supervisors)")
def plan_decide(request: HttpRequest, public_id: str, payload: DecisionIn) -> Any:
    user, case = _case(request, public_id)
    return services.plan_decide(actor=user, case=case, approve=payload.approve, comment=payload.comment)


@router.post("/{public_id}/assistance", response={201: AssistanceOut}, summary="Add assistance to the plan")
def assistance_add(request: HttpRequest, public_id: str, payload: AssistanceIn) -> Status[AssistanceItem]:
    user, case = _case(request, public_id)
    country = user.agency.country_id if user.agency else 0
    provider = (
        lookup(Agency.objects.all(), "provider_agency", acronym=payload.provider_agency, country_id=country)
        if payload.provider_agency
        else None
    )
    project = lookup(Project.objects.all(), "project", code=payload.project) if payload.project else None
    data = payload.dict(exclude={"provider_agency", "project"})
    return Status(201, services.assistance_add(actor=user, case=case, provider_agency=provider, project=project, **data))


def _item(user: User, case: Case, item_id: int) -> AssistanceItem:
    return selectors.item_get(user=user, case=case, item_id=item_id)


@router.post(
    "/{public_id}/assistance/{item_id}/approve", response=AssistanceOut, summary="Approve assistance added after the plan (supervisors)"
)
def assistance_approve(request: HttpRequest, public_id: str, item_id: int) -> AssistanceItem:
    user, case = _case(request, public_id)
    return services.assistance_approve(actor=user, item=_item(user, case, item_id))


@router.post(
    "/{public_id}/assistance/{item_id}/deliver", response=AssistanceOut, summary="Record a delivery, with a receipt or photo (multipart)"
)
def assistance_deliver(
    request: HttpRequest,
    public_id: str,
    item_id: int,
    delivered_on: Form[datetime.date],
    actual_cost: Form[Decimal],
    evidence_kind: Form[Evidence.Kind] = Evidence.Kind.RECEIPT,
    evidence: File[UploadedFile] | None = None,
) -> AssistanceItem:
    user, case = _case(request, public_id)
    uploads = [(evidence, str(evidence_kind))] if evidence is not None else []
    return services.assistance_deliver(
        actor=user, item=_item(user, case, item_id), delivered_on=delivered_on, actual_cost=actual_cost, evidence=uploads
    )


@router.post("/{public_id}/assistance/{item_id}/cancel", response=AssistanceOut, summary="Cancel planned or approved assistance")
def assistance_cancel(request: HttpRequest, public_id: str, item_id: int, payload: ReasonIn) -> AssistanceItem:
    user, case = _case(request, public_id)
    return services.assistance_cancel(actor=user, item=_item(user, case, item_id), reason=payload.reason)


@router.get("/{public_id}/evidence/{evidence_id}", summary="The file of a receipt or photo (as uploaded, checked type)")
def evidence_file(request: HttpRequest, public_id: str, evidence_id: int) -> FileResponse:
    user, case = _case(request, public_id)
    found = selectors.evidence_get(user=user, case=case, evidence_id=evidence_id)
    response = FileResponse(found.file.open("rb"), content_type=found.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@router.get("/{public_id}/notes", response=list[NoteOut], summary="The notes your role may read")
def notes(request: HttpRequest, public_id: str) -> list[Note]:
    user, case = _case(request, public_id, audit=True)
    return list(selectors.notes_visible(user=user, case=case))


@router.post("/{public_id}/notes", response={201: NoteOut}, summary="Write a note (general, supervisor-only or psychosocial-only)")
def note_add(request: HttpRequest, public_id: str, payload: NoteIn) -> Status[Note]:
    user, case = _case(request, public_id)
    return Status(201, services.note_add(actor=user, case=case, text=payload.text, confidentiality=payload.confidentiality))


@router.get(
    "/{public_id}/sessions",
    response=list[SessionOut],
    summary="Psychosocial sessions (psychosocial specialists only; others get an empty list)",
)
def sessions(request: HttpRequest, public_id: str) -> list[PsychosocialSession]:
    user, case = _case(request, public_id, audit=True)
    return list(selectors.sessions_visible(user=user, case=case))


@router.post("/{public_id}/sessions", response={201: SessionOut}, summary="Record a psychosocial session (psychosocial specialists)")
def session_record(request: HttpRequest, public_id: str, payload: SessionIn) -> Status[PsychosocialSession]:
    user, case = _case(request, public_id)
    return Status(201, services.session_record(actor=user, case=case, **payload.dict()))


@router.post("/{public_id}/transfer", response={201: TransferOut}, summary="Ask another institution to take the case (with consent)")
def transfer_request(request: HttpRequest, public_id: str, payload: TransferIn) -> Status[Transfer]:
    user, case = _case(request, public_id)
    to_agency = lookup(Agency.objects.all(), "to_agency", pk=payload.to_agency)
    found = services.transfer_request(
        actor=user,
        case=case,
        to_agency=to_agency,
        reason=payload.reason,
        consent_given=payload.consent_given,
        consent_method=payload.consent_method,
    )
    return Status(201, found)


@router.post("/{public_id}/closure", response=CaseOut, summary="Ask to close the case")
def closure_request(request: HttpRequest, public_id: str, payload: ClosureIn) -> Case:
    user, case = _case(request, public_id)
    return services.closure_request(actor=user, case=case, reason=payload.reason, note=payload.note)


@router.post("/{public_id}/closure/decision", response=CaseOut, summary="Approve or return a closure (supervisors)")
def closure_decide(request: HttpRequest, public_id: str, payload: DecisionIn) -> Case:
    user, case = _case(request, public_id)
    return services.closure_decide(actor=user, case=case, approve=payload.approve, comment=payload.comment)


@router.post("/{public_id}/reopen", response=CaseOut, summary="Reopen a closed case")
def reopen(request: HttpRequest, public_id: str, payload: ReasonIn) -> Case:
    user, case = _case(request, public_id)
    return services.case_reopen(actor=user, case=case, reason=payload.reason)
