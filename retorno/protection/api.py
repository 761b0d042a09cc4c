"""API of child protection and family tracing: the same services and scoped selectors as the pages.
Child-protection routes answer 404 to anyone but the child-protection roles of the authority;
the child's location has a route of its own, audited as a read of the location."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from retorno.core.api import lookup, request_user
from retorno.core.models import AdminArea, User
from retorno.protection import selectors, services
from retorno.protection.models import (
    BestInterestsAssessment,
    BestInterestsDetermination,
    CareArrangement,
    ConsentMethod,
    FollowUpVisit,
    Placement,
    ProtectionCase,
    TracingAction,
    TracingMatch,
    TracingRequest,
    Verification,
)
from retorno.registry.models import Language

router = Router(tags=["protection"])
tracing_router = Router(tags=["tracing"])


# --- schemas --------------------------------------------------------------------------


class CareOut(Schema):
    kind: str
    started_at: datetime.datetime
    ended_at: datetime.datetime | None


class CaseOut(Schema):
    public_id: str
    child: str = Field(..., description="The child's Retorno id")
    name: str
    received_at: datetime.datetime
    closed_at: datetime.datetime | None
    tracing_consent: bool
    traced_in_best_interests: bool
    hours_in_temporary_care: int
    over_target: bool
    care: list[CareOut]
    reintegration_case: str | None = None


class CaseIn(Schema):
    child: str = Field(..., max_length=24, description="Retorno id of a child in your institution's records")
    received_at: datetime.datetime | None = None


class AssessmentIn(Schema):
    elements: dict[str, str] = Field(..., description="Finding per element: " + ", ".join(code for code, _l in services.ELEMENTS))
    child_views: str = Field(..., max_length=10000, description="The child's views, in their own words")
    interview_language: str = Field(..., max_length=3, description="ISO 639-3 code")
    interpreter: bool = False
    weight: BestInterestsAssessment.Weight
    weight_reason: str = Field(..., max_length=5000)
    recommendation: str = Field(..., max_length=5000)


class AssessmentOut(Schema):
    id: int
    status: str
    elements: dict[str, str]
    child_views: str
    interview_language: str = Field(..., alias="interview_language.code")
    interpreter: bool
    weight: str
    weight_reason: str
    recommendation: str
    recorded_at: datetime.datetime
    decided_at: datetime.datetime | None
    decision_comment: str


class DecisionIn(Schema):
    approve: bool
    comment: str = Field("", max_length=2000)


class PanelMemberIO(Schema):
    name: str = Field(..., max_length=150)
    function: str = Field(..., max_length=150)
    view: str = Field(..., max_length=5000)


class DeterminationIn(Schema):
    subject: BestInterestsDetermination.Subject
    decision: str = Field(..., max_length=5000)
    reasons: str = Field(..., max_length=10000)
    decided_on: datetime.date
    review_on: datetime.date
    panel: list[PanelMemberIO]


class DeterminationOut(Schema):
    id: int
    subject: str
    decision: str
    reasons: str
    decided_on: datetime.date
    review_on: datetime.date
    panel: list[PanelMemberIO]

    @staticmethod
    def resolve_panel(obj: BestInterestsDetermination) -> list[Any]:
        return list(obj.panel.all())


class TracingBasisIn(Schema):
    consent: bool
    method: ConsentMethod | None = None
    override_reason: str = Field("", max_length=5000)


class CareIn(Schema):
    kind: CareArrangement.Kind
    place: str = Field(..., max_length=200)
    started_at: datetime.datetime | None = None


class ActionIn(Schema):
    done_on: datetime.date
    kind: TracingAction.Kind
    outcome: str = Field(..., max_length=5000)


class ActionOut(ActionIn):
    id: int


class VerificationIn(Schema):
    relative_name: str = Field(..., max_length=200)
    relationship: TracingRequest.Relationship
    methods: list[Verification.Method]
    child_views: str = Field(..., max_length=5000)
    confirmed: bool
    done_on: datetime.date


class VerificationOut(VerificationIn):
    id: int


class PlacementIn(Schema):
    kind: Placement.Kind
    on: datetime.date
    with_whom: str = Field(..., max_length=200)
    relationship: str = Field("", max_length=16)
    municipality: str = Field(..., max_length=20, description="Municipality code (P-code)")
    address: str = Field(..., max_length=250)


class PlacementOut(Schema):
    kind: str
    on: datetime.date
    with_whom: str
    relationship: str


class VisitIn(Schema):
    done_on: datetime.date
    wellbeing: FollowUpVisit.Wellbeing
    in_school: bool | None = None
    notes: str = Field("", max_length=5000)


class VisitOut(Schema):
    month: int
    due_on: datetime.date
    done_on: datetime.date | None
    wellbeing: str
    in_school: bool | None
    notes: str


class CloseIn(Schema):
    reason: ProtectionCase.ClosureReason
    note: str = Field("", max_length=300)


class MatchOut(Schema):
    id: int
    request: str = Field(..., alias="sought.request.public_id")
    sought: str
    case: str = Field(..., alias="case.public_id")
    child: str = Field(..., alias="case.child.public_id")
    probability: float
    fields: list[dict[str, Any]]
    status: str
    decided_at: datetime.datetime | None
    reason: str

    @staticmethod
    def resolve_sought(obj: TracingMatch) -> str:
        return str(obj.sought)


class MatchDecisionIn(Schema):
    confirm: bool
    reason: str = Field("", max_length=300)


class CaseDetailOut(CaseOut):
    assessments: list[AssessmentOut]
    determinations: list[DeterminationOut]
    matches: list[MatchOut]
    actions: list[ActionOut]
    verifications: list[VerificationOut]
    placement: PlacementOut | None
    visits: list[VisitOut]


class LocationOut(Schema):
    kind: str | None
    place: str | None
    since: datetime.datetime | None
    municipality: str | None
    address: str | None


class SoughtIO(Schema):
    given_names: str = Field("", max_length=120)
    first_surname: str = Field("", max_length=80)
    second_surname: str = Field("", max_length=80)
    known_as: str = Field("", max_length=120)
    sex: str = Field("", max_length=1, description="F, M or empty")
    birth_date: datetime.date | None = None
    age: int | None = Field(None, ge=0, le=25)
    separation_place: str = Field("", max_length=200)
    separated_on: datetime.date | None = None


class SoughtOut(SoughtIO):
    found: bool

    @staticmethod
    def resolve_found(obj: Any) -> bool:
        return obj.found_id is not None


class TracingIn(Schema):
    inquirer_name: str = Field(..., max_length=200)
    inquirer_relationship: TracingRequest.Relationship
    inquirer_phone: str = Field("", max_length=40)
    inquirer_address: str = Field("", max_length=250)
    inquirer_municipality: str | None = Field(None, max_length=20, description="Municipality code (P-code)")
    sought: list[SoughtIO] = Field(..., min_length=1, max_length=10)


class TracingOut(Schema):
    public_id: str
    agency: str = Field(..., alias="agency.acronym")
    inquirer_name: str
    inquirer_relationship: str
    inquirer_phone: str
    status: str
    created_at: datetime.datetime
    sought: list[SoughtOut]

    @staticmethod
    def resolve_sought(obj: TracingRequest) -> list[Any]:
        return list(obj.sought.all())


class DashboardOut(Schema):
    since: datetime.date
    received: int
    unaccompanied: int
    in_temporary_care: int
    over_target: int
    median_hours_in_temporary_care: float | None
    median_hours_to_assessment: float | None
    without_assessment: int
    open_tracing_requests: int
    matches_to_review: int
    median_days_to_reunification: float | None
    reunified: int
    alternative_care: int
    visits_overdue: int
    visits_due_soon: int


# --- helpers -----------------------------------------------------------------------------


def _user(request: HttpRequest, action: str = "protection.view") -> User:
    user = request_user(request)
    if not user.can(action):
        raise Http404
    return user


def _case_out(view: selectors.ProtectionView) -> dict[str, Any]:
    case = view.case
    return {
        "public_id": case.public_id,
        "child": case.child.public_id,
        "name": case.child.full_name,
        "received_at": case.received_at,
        "closed_at": case.closed_at,
        "tracing_consent": case.tracing_consent,
        "traced_in_best_interests": bool(case.tracing_override_reason),
        "hours_in_temporary_care": view.hours_in_temporary_care,
        "over_target": view.over_target,
        "care": view.care,
        "reintegration_case": case.reintegration_case.public_id if case.reintegration_case else None,
    }


def _detail(user: User, public_id: str) -> dict[str, Any]:
    view = selectors.protection_case_get(user=user, public_id=public_id)
    return {**_case_out(view), **selectors.case_detail(view)}


def _work_case(request: HttpRequest, public_id: str, action: str = "protection.work") -> tuple[User, ProtectionCase]:
    user = _user(request, action)
    case = selectors.protection_scope(user=user).select_related("child", "agency").filter(public_id=public_id.upper()).first()
    if case is None:
        raise Http404
    return user, case


# --- child protection ----------------------------------------------------------------------


@router.get("/cases", response=list[CaseOut], summary="Open protection cases of your institution (longest in temporary care first)")
def case_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = _user(request)
    return [_case_out(view) for view in selectors.protection_cases(user=user)]


@router.post("/cases", response={201: CaseOut}, summary="Open the case of a child identified later (not handed over at a desk)")
def case_open(request: HttpRequest, payload: CaseIn) -> Status[dict[str, Any]]:
    user = _user(request, "protection.work")
    child = selectors.child_for_protection(user=user, public_id=payload.child)
    if child is None:
        raise ValidationError({"child": _("No person with this Retorno id in the country's registry.")})
    case = services.protection_case_open(actor=user, child=child, received_at=payload.received_at)
    return Status(201, _case_out(selectors.protection_case_get(user=user, public_id=case.public_id)))


@router.get("/cases/{public_id}", response=CaseDetailOut, summary="A child's protection case (without where the child lives)")
def case_get(request: HttpRequest, public_id: str) -> dict[str, Any]:
    return _detail(_user(request), public_id)


@router.get("/cases/{public_id}/location", response=LocationOut, summary="Where the child lives now (sensitive: audited as such)")
def case_location(request: HttpRequest, public_id: str) -> dict[str, Any]:
    user = _user(request)
    view = selectors.protection_case_get(user=user, public_id=public_id, location=True)
    current = view.current
    placement = Placement.objects.filter(case=view.case).select_related("municipality").first()
    return {
        "kind": current.kind if current else None,
        "place": current.place if current else None,
        "since": current.started_at if current else None,
        "municipality": placement.municipality.pcode if placement else None,
        "address": placement.address if placement else None,
    }


@router.post("/cases/{public_id}/care", response={201: CareOut}, summary="The child now lives here")
def care_add(request: HttpRequest, public_id: str, payload: CareIn) -> Status[CareArrangement]:
    user, case = _work_case(request, public_id)
    return Status(201, services.care_arrangement_record(actor=user, case=case, **payload.dict()))


@router.post("/cases/{public_id}/tracing-consent", response=CaseOut, summary="Consent to tracing, or a best-interests override")
def tracing_basis(request: HttpRequest, public_id: str, payload: TracingBasisIn) -> dict[str, Any]:
    user, case = _work_case(request, public_id)
    services.tracing_basis_record(
        actor=user, case=case, consent=payload.consent, method=payload.method or "", override_reason=payload.override_reason
    )
    return _case_out(selectors.protection_case_get(user=user, public_id=public_id))


@router.post("/cases/{public_id}/assessments", response={201: AssessmentOut}, summary="Record a best-interests assessment")
def assessment_add(request: HttpRequest, public_id: str, payload: AssessmentIn) -> Status[BestInterestsAssessment]:
    user, case = _work_case(request, public_id)
    data = payload.dict()
    language = lookup(Language.objects.all(), "interview_language", code=data.pop("interview_language"))
    return Status(201, services.assessment_record(actor=user, case=case, interview_language=language, **data))


@router.post("/cases/{public_id}/assessments/{pk}/decision", response=AssessmentOut, summary="Approve or return an assessment (supervisor)")
def assessment_decide(request: HttpRequest, public_id: str, pk: int, payload: DecisionIn) -> BestInterestsAssessment:
    user, case = _work_case(request, public_id, "protection.approve")
    assessment = get_object_or_404(BestInterestsAssessment, pk=pk, case=case)
    return services.assessment_decide(actor=user, assessment=assessment, approve=payload.approve, comment=payload.comment)


@router.post("/cases/{public_id}/determinations", response={201: DeterminationOut}, summary="Record a best-interests determination")
def determination_add(request: HttpRequest, public_id: str, payload: DeterminationIn) -> Status[BestInterestsDetermination]:
    user, case = _work_case(request, public_id)
    data = payload.dict()
    panel = [(m["name"], m["function"], m["view"]) for m in data.pop("panel")]
    return Status(201, services.determination_record(actor=user, case=case, panel=panel, **data))


@router.post("/cases/{public_id}/tracing-actions", response={201: ActionOut}, summary="Record a tracing action")
def action_add(request: HttpRequest, public_id: str, payload: ActionIn) -> Status[TracingAction]:
    user, case = _work_case(request, public_id)
    return Status(201, services.tracing_action_record(actor=user, case=case, **payload.dict()))


@router.post("/cases/{public_id}/verifications", response={201: VerificationOut}, summary="Record how the relationship was verified")
def verification_add(request: HttpRequest, public_id: str, payload: VerificationIn) -> Status[Verification]:
    user, case = _work_case(request, public_id)
    return Status(201, services.verification_record(actor=user, case=case, **payload.dict()))


@router.post("/cases/{public_id}/outcome", response={201: PlacementOut}, summary="Reunification or alternative care")
def placement_add(request: HttpRequest, public_id: str, payload: PlacementIn) -> Status[Placement]:
    user, case = _work_case(request, public_id)
    data = payload.dict()
    municipality = lookup(AdminArea.objects.all(), "municipality", pcode=data.pop("municipality"))
    return Status(201, services.placement_record(actor=user, case=case, municipality=municipality, **data))


@router.post("/cases/{public_id}/visits/{month}", response=VisitOut, summary="Record the follow-up visit 1, 3 or 6 months after")
def visit_add(request: HttpRequest, public_id: str, month: int, payload: VisitIn) -> FollowUpVisit:
    user, case = _work_case(request, public_id)
    visit = get_object_or_404(FollowUpVisit, case=case, month=month)
    return services.visit_record(actor=user, visit=visit, **payload.dict())


@router.post("/cases/{public_id}/reintegration-case", response={201: dict[str, str]}, summary="Open the child's reintegration case")
def reintegration_open(request: HttpRequest, public_id: str) -> Status[dict[str, str]]:
    user, case = _work_case(request, public_id)
    return Status(201, {"case": services.reintegration_case_open(actor=user, case=case).public_id})


@router.post("/cases/{public_id}/close", response=CaseOut, summary="Close the child's case")
def case_close(request: HttpRequest, public_id: str, payload: CloseIn) -> dict[str, Any]:
    user, case = _work_case(request, public_id)
    services.protection_case_close(actor=user, case=case, reason=payload.reason, note=payload.note)
    return _case_out(selectors.protection_case_get(user=user, public_id=public_id))


@router.get("/matches/{pk}", response=MatchOut, summary="A potential match with its per-field explanation")
def match_get(request: HttpRequest, pk: int) -> TracingMatch:
    return selectors.match_get(user=_user(request), pk=pk)


@router.post("/matches/{pk}/decision", response=MatchOut, summary="Confirm or reject a potential match")
def match_decide(request: HttpRequest, pk: int, payload: MatchDecisionIn) -> TracingMatch:
    user = _user(request, "protection.work")
    match = selectors.match_get(user=user, pk=pk)
    return services.match_decide(actor=user, match=match, confirm=payload.confirm, reason=payload.reason)


@router.get("/dashboard", response=DashboardOut, summary="Child-protection figures (supervisors; no names)")
def dashboard(request: HttpRequest, days: int = 90) -> selectors.Dashboard:
    user = _user(request, "protection.approve")
    return selectors.dashboard(user=user, since=timezone.localdate() - datetime.timedelta(days=max(1, min(days, 3660))))


# --- tracing requests ------------------------------------------------------------------------


def _tracing_user(request: HttpRequest) -> User:
    user = request_user(request)
    if not selectors.may_trace(user):
        raise Http404
    return user


@tracing_router.get("", response=list[TracingOut], summary="Tracing requests (yours; the child-protection authority sees the country's)")
def tracing_list(request: HttpRequest, status: str = "open") -> list[TracingRequest]:
    return selectors.tracing_requests(user=_tracing_user(request), status="" if status == "all" else status)


@tracing_router.post("", response={201: TracingOut}, summary="Register a family's tracing request (compared with children at once)")
def tracing_create(request: HttpRequest, payload: TracingIn) -> Status[TracingRequest]:
    user = _tracing_user(request)
    data = payload.dict()
    code = data.pop("inquirer_municipality")
    municipality = lookup(AdminArea.objects.all(), "inquirer_municipality", pcode=code) if code else None
    return Status(201, services.tracing_request_create(actor=user, inquirer_municipality=municipality, **data))


@tracing_router.get("/{public_id}", response=TracingOut, summary="A tracing request and whether each person was found")
def tracing_get(request: HttpRequest, public_id: str) -> TracingRequest:
    tracing_request, _sought = selectors.tracing_request_get(user=_tracing_user(request), public_id=public_id)
    return tracing_request
