"""Reads of child protection: child-protection roles of the owning institution only; anyone else
gets "not found". Every read of a child's case is audited."""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from retorno.core.audit import audit_log
from retorno.core.models import User
from retorno.protection.models import (
    BestInterestsAssessment,
    CareArrangement,
    FollowUpVisit,
    Placement,
    ProtectionCase,
    SoughtPerson,
    TracingMatch,
    TracingRequest,
    temporary_care,
)
from retorno.protection.services import PROTECTION_CASE, TRACING_REQUEST
from retorno.registry.models import Person


def protection_scope(*, user: User) -> QuerySet[ProtectionCase]:
    if not (user.is_authenticated and user.can("protection.view") and user.agency_id):
        return ProtectionCase.objects.none()
    return ProtectionCase.objects.filter(agency_id=user.agency_id)


def protection_cases(*, user: User, open_only: bool = True) -> list[ProtectionView]:
    """The institution's children, the longest in temporary care first."""
    qs = protection_scope(user=user).select_related("child", "handover__entry__arrival")
    if open_only:
        qs = qs.filter(closed_at__isnull=True)
    qs = qs.annotate(pending=Count("matches", filter=Q(matches__status=TracingMatch.Status.PENDING)))
    views = [ProtectionView(case=c, care=list(c.care.all()), pending_matches=c.pending) for c in qs.prefetch_related("care")[:200]]
    if views:
        audit_log(actor=user, action="search", object_type=PROTECTION_CASE, object_id="", records=[v.case.child.public_id for v in views])
    return sorted(views, key=lambda v: v.in_temporary_care, reverse=True)


TEMPORARY_CARE_TARGET = datetime.timedelta(hours=72)  # Guatemala's shelters aim at 72 hours


@dataclass
class ProtectionView:
    case: ProtectionCase
    care: list[CareArrangement]
    location_shown: bool = False
    pending_matches: int = 0

    @property
    def in_temporary_care(self) -> datetime.timedelta:
        return temporary_care(self.case, self.care)

    @property
    def hours_in_temporary_care(self) -> int:
        return int(self.in_temporary_care.total_seconds() // 3600)

    @property
    def over_target(self) -> bool:
        return self.in_temporary_care > TEMPORARY_CARE_TARGET

    @property
    def in_temporary_care_now(self) -> bool:
        """Not yet with family or a foster family (no arrangement recorded counts as temporary)."""
        return self.current is None or self.current.is_temporary

    @property
    def current(self) -> CareArrangement | None:
        return next((a for a in reversed(self.care) if a.ended_at is None), None)


def protection_case_get(*, user: User, public_id: str, location: bool = False) -> ProtectionView:
    """The child's case. Where the child lives is sensitive: it is only read (and audited as a
    read of the location) when `location` is asked for."""
    case = (
        protection_scope(user=user)
        .select_related("child", "agency", "handover__entry__arrival__returned_from", "reintegration_case", "tracing_basis_by")
        .filter(public_id=public_id.upper())
        .first()
    )
    if case is None:
        raise Http404
    fields = ["location"] if location else []
    audit_log(
        actor=user, action="view", object_type=PROTECTION_CASE, object_id=case.public_id, records=[case.child.public_id], fields=fields
    )
    return ProtectionView(case=case, care=list(case.care.select_related("recorded_by")), location_shown=location)


def case_detail(view: ProtectionView) -> dict[str, object]:
    """Everything recorded on the child's case, for the page and the API (already audited)."""
    case = view.case
    return {
        "assessments": list(case.assessments.select_related("interview_language", "recorded_by", "decided_by")),
        "determinations": list(case.determinations.prefetch_related("panel")),
        "matches": list(case.matches.select_related("sought__request", "decided_by")),
        "actions": list(case.tracing_actions.select_related("recorded_by")),
        "verifications": list(case.verifications.select_related("recorded_by")),
        "placement": Placement.objects.filter(case=case).select_related("municipality__parent").first(),
        "visits": list(case.visits.all()),
    }


def child_for_protection(*, user: User, public_id: str) -> Person | None:
    """A person of the country's registry, by their exact Retorno id, for the child-protection
    authority to open a case: children are referred to it from every institution (the id comes
    with the referral). Only who asks with the exact id learns the record exists."""
    if not user.can("protection.work"):
        return None
    return (
        Person.objects.filter(public_id=public_id.strip().upper(), merged_into__isnull=True, agency__country_id=user.agency.country_id)  # type: ignore[union-attr]
        .select_related("agency")
        .first()
    )


def match_get(*, user: User, pk: int) -> TracingMatch:
    """A potential match, for its side-by-side comparison: the child's side is the protection
    case's, so only its institution's child-protection roles reach it."""
    match = (
        TracingMatch.objects.filter(pk=pk, case__in=protection_scope(user=user))
        .select_related("case__child__municipality_of_origin__parent", "sought__request__inquirer_municipality__parent", "decided_by")
        .first()
    )
    if match is None:
        raise Http404
    audit_log(
        actor=user,
        action="view",
        object_type=PROTECTION_CASE,
        object_id=match.case.public_id,
        records=[match.case.child.public_id],
        fields=["tracing_match"],
    )
    return match


def may_trace(user: User) -> bool:
    """Who reaches tracing requests: those who register them, and child protection."""
    return user.is_authenticated and (user.can("tracing.request") or user.can("protection.view"))


def tracing_scope(*, user: User) -> QuerySet[TracingRequest]:
    """The child-protection authority sees every request of its country; any other institution
    the requests it registered."""
    if not (user.agency_id and may_trace(user)):
        return TracingRequest.objects.none()
    if user.can("protection.view"):
        return TracingRequest.objects.filter(agency__country_id=user.agency.country_id)  # type: ignore[union-attr]
    return TracingRequest.objects.filter(agency_id=user.agency_id)


def tracing_requests(*, user: User, status: str = TracingRequest.Status.OPEN) -> list[TracingRequest]:
    qs = tracing_scope(user=user).select_related("agency").prefetch_related("sought")
    if status:
        qs = qs.filter(status=status)
    if user.can("protection.view"):  # whether a child may match is child protection's to know
        qs = qs.annotate(pending=Count("sought__matches", filter=Q(sought__matches__status=TracingMatch.Status.PENDING)))
    requests: list[TracingRequest] = list(qs[:200])
    if requests:
        audit_log(actor=user, action="search", object_type=TRACING_REQUEST, object_id="", records=[r.public_id for r in requests])
    return requests


def tracing_request_get(*, user: User, public_id: str) -> tuple[TracingRequest, list[SoughtPerson]]:
    request = (
        tracing_scope(user=user)
        .select_related("agency", "created_by", "inquirer_municipality__parent")
        .filter(public_id=public_id.upper())
        .first()
    )
    if request is None:
        raise Http404
    sought = list(request.sought.select_related("found"))
    audit_log(actor=user, action="view", object_type=TRACING_REQUEST, object_id=request.public_id)
    return request, sought


def matches_visible(*, user: User, sought: list[SoughtPerson]) -> dict[int, list[TracingMatch]]:
    """Potential matches per sought person, for the child-protection roles who review them."""
    out: dict[int, list[TracingMatch]] = {s.pk: [] for s in sought}
    matches = TracingMatch.objects.filter(sought__in=sought, case__in=protection_scope(user=user)).select_related("case__child")
    for match in matches:
        out[match.sought_id].append(match)
    return out


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


@dataclass
class Dashboard:
    since: datetime.date
    received: int = 0
    unaccompanied: int = 0
    in_temporary_care: int = 0
    over_target: int = 0
    median_hours_in_temporary_care: float | None = None
    median_hours_to_assessment: float | None = None
    without_assessment: int = 0
    open_tracing_requests: int = 0
    matches_to_review: int = 0
    median_days_to_reunification: float | None = None
    reunified: int = 0
    alternative_care: int = 0
    visits_overdue: int = 0
    visits_due_soon: int = 0
    late_children: list[ProtectionView] = field(default_factory=list)


def dashboard(*, user: User, since: datetime.date) -> Dashboard:
    """The child-protection supervisor's figures: counts and medians, no names (the late children
    are linked by case id only)."""
    if not user.can("protection.approve"):
        raise Http404
    today = timezone.localdate()
    cases = protection_scope(user=user)
    received = cases.filter(received_at__date__gte=since)
    board = Dashboard(since=since, received=received.count())
    screened = received.values_list("handover__entry__screening__vulnerabilities", flat=True)
    board.unaccompanied = sum(1 for found in screened if found and "unaccompanied_child" in found)
    open_views = [ProtectionView(case=c, care=list(c.care.all())) for c in cases.filter(closed_at__isnull=True).prefetch_related("care")]
    temporary = [v for v in open_views if v.in_temporary_care_now]
    board.in_temporary_care = len(temporary)
    board.late_children = sorted((v for v in temporary if v.over_target), key=lambda v: v.in_temporary_care, reverse=True)
    board.over_target = len(board.late_children)
    received_views = [ProtectionView(case=c, care=list(c.care.all())) for c in received.prefetch_related("care")]
    board.median_hours_in_temporary_care = _median([v.in_temporary_care.total_seconds() / 3600 for v in received_views])
    first = received.annotate(first=Min("assessments__recorded_at")).values_list("received_at", "first")
    board.median_hours_to_assessment = _median([(f - r).total_seconds() / 3600 for r, f in first if f])
    board.without_assessment = sum(1 for _r, f in first if f is None)
    board.open_tracing_requests = tracing_scope(user=user).filter(status=TracingRequest.Status.OPEN).count()
    board.matches_to_review = TracingMatch.objects.filter(case__in=cases, status=TracingMatch.Status.PENDING).count()
    placements = Placement.objects.filter(case__in=received).values_list("kind", "on", "case__received_at")
    board.reunified = sum(1 for k, _o, _r in placements if k == Placement.Kind.REUNIFIED)
    board.alternative_care = sum(1 for k, _o, _r in placements if k == Placement.Kind.ALTERNATIVE)
    reunified_after: list[float] = [
        (on - timezone.localdate(received)).days for kind, on, received in placements if kind == Placement.Kind.REUNIFIED
    ]
    board.median_days_to_reunification = _median(reunified_after)
    visits = FollowUpVisit.objects.filter(case__in=cases, done_on__isnull=True)
    board.visits_overdue = visits.filter(due_on__lt=today).count()
    board.visits_due_soon = visits.filter(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=14)).count()
    return board


def assessments_waiting(*, user: User) -> list[BestInterestsAssessment]:
    if not user.can("protection.approve"):
        return []
    return list(
        BestInterestsAssessment.objects.filter(
            case__in=protection_scope(user=user), status=BestInterestsAssessment.Status.SUBMITTED
        ).select_related("case")
    )


@dataclass
class ToDo:
    over_target: int
    matches_to_review: int
    visits_due: int
    assessments_to_approve: int


def protection_todo(*, user: User) -> ToDo | None:
    """What waits for child protection today, for the home page (counts only: no read of a child)."""
    if not user.can("protection.view"):
        return None
    cases = protection_scope(user=user).filter(closed_at__isnull=True)
    soon = timezone.localdate() + datetime.timedelta(days=14)
    open_views = [ProtectionView(case=c, care=list(c.care.all())) for c in cases.prefetch_related("care")]
    return ToDo(
        over_target=sum(1 for v in open_views if v.in_temporary_care_now and v.over_target),
        matches_to_review=TracingMatch.objects.filter(case__in=cases, status=TracingMatch.Status.PENDING).count(),
        visits_due=FollowUpVisit.objects.filter(case__in=cases, done_on__isnull=True, due_on__lte=soon).count(),
        assessments_to_approve=BestInterestsAssessment.objects.filter(
            case__in=cases, status=BestInterestsAssessment.Status.SUBMITTED
        ).count()
        if user.can("protection.approve")
        else 0,
    )
