"""Writes of child protection: the case opened at hand-over, where the child lives, the
best-interests assessment and determination, family tracing (requests, potential matches,
actions, verification), reunification or alternative care and the visits after it."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from retorno.cases import services as cases
from retorno.cases.models import Case, months_after
from retorno.core.audit import audit_log
from retorno.core.models import AdminArea, User
from retorno.core.services import public_id_next, require
from retorno.protection import tracing
from retorno.protection.models import (
    BestInterestsAssessment,
    BestInterestsDetermination,
    CareArrangement,
    ConsentMethod,
    FollowUpVisit,
    PanelMember,
    Placement,
    ProtectionCase,
    SoughtPerson,
    TracingAction,
    TracingMatch,
    TracingRequest,
    Verification,
)
from retorno.reception.models import ChildHandover
from retorno.reception.services import phone_problem
from retorno.registry.models import Language, Person, age_on

PROTECTION_CASE = "protection_case"
TRACING_REQUEST = "tracing_request"
VISIT_EARLY_DAYS = 14  # a visit may be a fortnight early, not more
PANEL_MINIMUM = 3

# The elements of CRC General Comment No. 14 (paras. 52-79) a best-interests assessment weighs,
# besides the child's views, which are recorded in their own words.
ELEMENTS = (
    ("identity", gettext_lazy("The child's identity (sex, origin, religion, culture, language)")),
    ("family", gettext_lazy("Family environment and relations: who cares for the child, contact with the family")),
    ("safety", gettext_lazy("Care, protection and safety: risks at home and in the community")),
    ("vulnerability", gettext_lazy("Situation of vulnerability (disability, violence, trafficking, pregnancy, indigenous)")),
    ("health", gettext_lazy("Health")),
    ("education", gettext_lazy("Education")),
)


def _work(actor: User, case: ProtectionCase, action: str = "protection.work") -> None:
    require(actor, action)
    if case.agency_id != actor.agency_id:
        raise PermissionDenied


def _audit(actor: User, case: ProtectionCase, action: str, fields: Iterable[str], reason: str = "") -> None:
    audit_log(
        actor=actor,
        action=action,
        object_type=PROTECTION_CASE,
        object_id=case.public_id,
        fields=fields,
        records=[case.child.public_id],
        reason=reason,
    )


def _day_check(day: datetime.date | None, field: str, not_before: datetime.date | None = None) -> dict[str, str]:
    if day is None:
        return {field: _("Give the date.")}
    if day > timezone.localdate():
        return {field: _("The date cannot be in the future.")}
    if not_before is not None and day < not_before:
        return {field: _("The date cannot be before the child was received.")}
    return {}


def on_child_handed_over(sender: type, handover: ChildHandover, **kwargs: Any) -> None:
    """Reception handed a child over: the receiving institution's case exists from that moment."""
    protection_case_open_at_handover(handover=handover)


@transaction.atomic
def protection_case_open_at_handover(*, handover: ChildHandover) -> ProtectionCase:
    """The child's case at the child-protection institution, received at the hand-over's time.
    Opened by the system (the desk officer belongs to another institution); audited as such."""
    existing = ProtectionCase.objects.filter(handover=handover).first()
    if existing is not None:
        return existing
    child = handover.entry.person
    if child is None:
        raise ValidationError(_("The child must be in the registry before the hand-over."))
    still_open = ProtectionCase.objects.filter(child=child, agency=handover.agency, closed_at__isnull=True).first()
    if still_open is not None:  # returned again while followed: the same case goes on
        _audit(handover.recorded_by, still_open, "update", ["received_again"], reason="hand-over")
        return still_open
    case = ProtectionCase.objects.create(
        public_id=public_id_next(kind=PROTECTION_CASE, country_code=handover.agency.country.code, prefix="P"),
        agency=handover.agency,
        child=child,
        handover=handover,
        received_at=handover.handed_over_at,
    )
    _audit(handover.recorded_by, case, "create", [], reason="hand-over")
    matches_for_child(case)
    return case


@transaction.atomic
def protection_case_open(*, actor: User, child: Person, received_at: datetime.datetime | None = None) -> ProtectionCase:
    """A child identified later (referred by a school, a hospital, the police, a community), not
    handed over at a reception desk: the child-protection officer opens the case."""
    require(actor, "protection.work")
    assert actor.agency is not None
    when = received_at or timezone.now()
    if not child.is_child:
        raise ValidationError({"child": _("A protection case is for a person under 18 (check the date of birth).")})
    if when > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"received_at": _("The date cannot be in the future.")})
    existing = ProtectionCase.objects.filter(child=child, agency=actor.agency, closed_at__isnull=True).first()
    if existing is not None:
        raise ValidationError({"child": _("This child already has an open case: %(id)s.") % {"id": existing.public_id}})
    case = ProtectionCase.objects.create(
        public_id=public_id_next(kind=PROTECTION_CASE, country_code=actor.agency.country.code, prefix="P"),
        agency=actor.agency,
        child=child,
        received_at=when,
    )
    _audit(actor, case, "create", [], reason="identified later")
    return case


@transaction.atomic
def care_arrangement_record(
    *, actor: User, case: ProtectionCase, kind: str, place: str, started_at: datetime.datetime | None = None
) -> CareArrangement:
    """The child now lives here: the current arrangement ends when the new one starts."""
    _work(actor, case)
    errors: dict[str, str] = {}
    when = started_at or timezone.now()
    if kind not in CareArrangement.Kind.values:
        errors["kind"] = _("Choose where the child lives.")
    if not place.strip():
        errors["place"] = _("Write the name of the shelter, or of the relative or family caring for the child.")
    current = case.care.filter(ended_at__isnull=True).first()
    if when > timezone.now() + datetime.timedelta(minutes=5):
        errors["started_at"] = _("The date cannot be in the future.")
    elif when < case.received_at or (current is not None and when < current.started_at):
        errors["started_at"] = _("The date must be after the hand-over and after the current arrangement began.")
    if errors:
        raise ValidationError(errors)
    if current is not None:
        current.ended_at = when
        current.save(update_fields=["ended_at"])
    arrangement = CareArrangement.objects.create(case=case, kind=kind, place=place.strip()[:200], started_at=when, recorded_by=actor)
    _audit(actor, case, "update", ["care"])
    return arrangement


# --- consent to tracing --------------------------------------------------------------------


@transaction.atomic
def tracing_basis_record(
    *, actor: User, case: ProtectionCase, consent: bool, method: str = "", override_reason: str = ""
) -> ProtectionCase:
    """The child (or whoever consents for them) agrees to be traced, or a child-protection officer
    records why tracing is in the child's best interests without it. Only then is the child
    compared with the persons families are looking for."""
    _work(actor, case)
    override_reason = override_reason.strip()
    if consent and method not in ConsentMethod.values:
        raise ValidationError({"method": _("Say how consent was given.")})
    if not consent and len(override_reason) < 20:
        raise ValidationError(
            {"override_reason": _("Without consent, write why tracing is in the child's best interests (at least 20 characters).")}
        )
    case.tracing_consent = consent
    case.tracing_consent_method = method if consent else ""
    case.tracing_override_reason = "" if consent else override_reason
    case.tracing_basis_by, case.tracing_basis_at = actor, timezone.now()
    case.save(
        update_fields=["tracing_consent", "tracing_consent_method", "tracing_override_reason", "tracing_basis_by", "tracing_basis_at"]
    )
    _audit(actor, case, "update", ["tracing_consent"])
    matches_for_child(case)
    return case


# --- best interests --------------------------------------------------------------------------


@transaction.atomic
def assessment_record(
    *,
    actor: User,
    case: ProtectionCase,
    elements: dict[str, str],
    child_views: str,
    interview_language: Language | None,
    interpreter: bool,
    weight: str,
    weight_reason: str,
    recommendation: str,
) -> BestInterestsAssessment:
    """A best-interests assessment, sent to the supervisor for approval."""
    _work(actor, case)
    errors: dict[str, str] = {}
    clean = {code: (elements.get(code) or "").strip() for code, _label in ELEMENTS}
    for code, value in clean.items():
        if not value:
            errors[f"element_{code}"] = _("Write what was found (or that nothing was found, and how it was checked).")
    if not child_views.strip():
        errors["child_views"] = _("Write what the child said, in their own words.")
    if interview_language is None:
        errors["interview_language"] = _("Say in which language the child was heard.")
    if weight not in BestInterestsAssessment.Weight.values:
        errors["weight"] = _("Say what weight the child's views were given.")
    if not weight_reason.strip():
        errors["weight_reason"] = _("Explain the weight by the child's age and maturity.")
    if not recommendation.strip():
        errors["recommendation"] = _("Write the recommendation.")
    if case.assessments.filter(status=BestInterestsAssessment.Status.SUBMITTED).exists():
        errors["__all__"] = _("An assessment is already waiting for the supervisor's approval.")
    if errors:
        raise ValidationError(errors)
    assert interview_language is not None
    assessment = BestInterestsAssessment.objects.create(
        case=case,
        elements=clean,
        child_views=child_views.strip(),
        interview_language=interview_language,
        interpreter=interpreter,
        weight=weight,
        weight_reason=weight_reason.strip(),
        recommendation=recommendation.strip(),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    _audit(actor, case, "create", ["best_interests_assessment"])
    return assessment


@transaction.atomic
def assessment_decide(*, actor: User, assessment: BestInterestsAssessment, approve: bool, comment: str = "") -> BestInterestsAssessment:
    _work(actor, assessment.case, "protection.approve")
    if assessment.status != BestInterestsAssessment.Status.SUBMITTED:
        raise ValidationError(_("This assessment has already been decided."))
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("Say what must change.")})
    if assessment.recorded_by_id == actor.pk:
        raise ValidationError(_("The assessment must be approved by someone other than its author."))
    assessment.status = BestInterestsAssessment.Status.APPROVED if approve else BestInterestsAssessment.Status.RETURNED
    assessment.decided_by, assessment.decided_at, assessment.decision_comment = actor, timezone.now(), comment.strip()
    assessment.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    _audit(actor, assessment.case, "update", ["best_interests_assessment"])
    return assessment


@transaction.atomic
def determination_record(
    *,
    actor: User,
    case: ProtectionCase,
    subject: str,
    decision: str,
    reasons: str,
    decided_on: datetime.date | None,
    review_on: datetime.date | None,
    panel: Sequence[tuple[str, str, str]],
) -> BestInterestsDetermination:
    """A panel's best-interests determination: every member named with their view, the decision
    with written reasons, and when it is reviewed. It rests on an approved assessment."""
    _work(actor, case)
    errors: dict[str, str] = {}
    members = [(n.strip(), f.strip(), v.strip()) for n, f, v in panel if n.strip() or v.strip()]
    if subject not in BestInterestsDetermination.Subject.values:
        errors["subject"] = _("Say what the decision is about.")
    if not decision.strip():
        errors["decision"] = _("Write the decision.")
    if not reasons.strip():
        errors["reasons"] = _("Write the reasons for the decision.")
    errors.update(_day_check(decided_on, "decided_on", timezone.localdate(case.received_at)))
    if review_on is None:
        errors["review_on"] = _("Give the date when the decision will be reviewed.")
    elif decided_on is not None and review_on <= decided_on:
        errors["review_on"] = _("The review date must come after the decision.")
    if len(members) < PANEL_MINIMUM or any(not (n and f and v) for n, f, v in members):
        errors["panel"] = _("A panel has at least %(n)s members, each with their name, function and view.") % {"n": PANEL_MINIMUM}
    if not case.assessments.filter(status=BestInterestsAssessment.Status.APPROVED).exists():
        errors["__all__"] = _("A determination rests on an approved best-interests assessment.")
    if errors:
        raise ValidationError(errors)
    assert decided_on is not None and review_on is not None
    determination = BestInterestsDetermination.objects.create(
        case=case,
        subject=subject,
        decision=decision.strip(),
        reasons=reasons.strip(),
        decided_on=decided_on,
        review_on=review_on,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    PanelMember.objects.bulk_create(PanelMember(determination=determination, name=n, function=f, view=v) for n, f, v in members)
    _audit(actor, case, "create", ["best_interests_determination"])
    return determination


# --- family tracing ------------------------------------------------------------------------


def _sought_check(index: int, sought: dict[str, Any]) -> dict[str, str]:
    errors = {}
    if not (sought.get("given_names") or "").strip() and not (sought.get("known_as") or "").strip():
        errors[f"sought-{index}-given_names"] = _("Write the given names or the nickname.")
    if not (sought.get("first_surname") or "").strip():
        errors[f"sought-{index}-first_surname"] = _("Write at least one surname.")
    birth, age = sought.get("birth_date"), sought.get("age")
    if birth is not None and birth > timezone.localdate():
        errors[f"sought-{index}-birth_date"] = _("The date cannot be in the future.")
    if age is not None and not 0 <= age <= MAX_SOUGHT_AGE:
        errors[f"sought-{index}-age"] = _("Family tracing looks for children and young people: an age from 0 to %(n)s.") % {
            "n": MAX_SOUGHT_AGE
        }
    elif age is not None and birth is not None and abs(age_on(birth, timezone.localdate()) - age) > 1:
        errors[f"sought-{index}-age"] = _("The age does not fit the date of birth: give one or the other.")
    separated = sought.get("separated_on")
    if separated is not None and separated > timezone.localdate():
        errors[f"sought-{index}-separated_on"] = _("The date cannot be in the future.")
    return errors


MAX_SOUGHT_AGE = 25

SOUGHT_FIELDS = (
    "given_names",
    "first_surname",
    "second_surname",
    "known_as",
    "sex",
    "birth_date",
    "age",
    "separation_place",
    "separated_on",
)


@transaction.atomic
def tracing_request_create(
    *,
    actor: User,
    inquirer_name: str,
    inquirer_relationship: str,
    inquirer_phone: str = "",
    inquirer_address: str = "",
    inquirer_municipality: AdminArea | None = None,
    sought: Sequence[dict[str, Any]],
) -> TracingRequest:
    """A family looking for a child (or several): registered by any institution's authorised
    roles; the persons sought are compared at once with the children who may be traced."""
    require(actor, "tracing.request")
    assert actor.agency is not None
    errors: dict[str, str] = {}
    if not inquirer_name.strip():
        errors["inquirer_name"] = _("Write the inquirer's name.")
    if inquirer_relationship not in TracingRequest.Relationship.values:
        errors["inquirer_relationship"] = _("Say how the inquirer is related to the persons sought.")
    if not inquirer_phone.strip() and not inquirer_address.strip():
        errors["inquirer_phone"] = _("Give a phone number or an address to reach the inquirer.")
    elif problem := phone_problem(inquirer_phone, actor.agency.country.code):
        errors["inquirer_phone"] = problem
    if inquirer_municipality is not None and inquirer_municipality.country_id != actor.agency.country_id:
        errors["inquirer_municipality"] = _("Choose a municipality of this country.")
    people = [p for p in sought if any(str(p.get(k) or "").strip() for k in ("given_names", "first_surname", "known_as"))]
    if not people:
        errors["__all__"] = _("Describe at least one person sought.")
    for index, person in enumerate(people):
        errors.update(_sought_check(index, person))
    if errors:
        raise ValidationError(errors)
    request = TracingRequest.objects.create(
        public_id=public_id_next(kind=TRACING_REQUEST, country_code=actor.agency.country.code, prefix="T"),
        agency=actor.agency,
        inquirer_name=inquirer_name.strip(),
        inquirer_relationship=inquirer_relationship,
        inquirer_phone=inquirer_phone.strip(),
        inquirer_address=inquirer_address.strip(),
        inquirer_municipality=inquirer_municipality,
        created_by=actor,
        created_at=timezone.now(),
    )
    for person in people:
        values = {k: person.get(k) for k in SOUGHT_FIELDS}
        for key in ("given_names", "first_surname", "second_surname", "known_as", "sex", "separation_place"):
            values[key] = (values[key] or "").strip()
        sought_person = SoughtPerson.objects.create(request=request, **values)
        matches_for_sought(sought_person)
    audit_log(actor=actor, action="create", object_type=TRACING_REQUEST, object_id=request.public_id)
    return request


def _match_save(sought: SoughtPerson, case: ProtectionCase, probability: float, fields: list[dict[str, Any]]) -> TracingMatch:
    """Record a potential match once; a decided one is never reopened by a new search."""
    match, created = TracingMatch.objects.get_or_create(sought=sought, case=case, defaults={"probability": probability, "fields": fields})
    if not created and match.status == TracingMatch.Status.PENDING:
        match.probability, match.fields = probability, fields
        match.save(update_fields=["probability", "fields"])
    return match


def matches_for_sought(sought: SoughtPerson) -> list[TracingMatch]:
    """Compare one sought person with every child who may be traced, in the whole country."""
    country = sought.request.agency.country_id
    found = tracing.children_like(sought, country_id=country)
    return [_match_save(sought, case, p, fields) for case, p, fields in found]


def matches_for_child(case: ProtectionCase) -> list[TracingMatch]:
    """A child who may now be traced (a new case, consent recorded): compare them with the persons
    open tracing requests of the country look for."""
    if not case.may_be_traced:
        return []
    found = tracing.sought_like(case)
    return [_match_save(sought, case, p, fields) for sought, p, fields in found]


@transaction.atomic
def match_decide(*, actor: User, match: TracingMatch, confirm: bool, reason: str = "") -> TracingMatch:
    """After comparing side by side: this child is (or is not) the person sought."""
    case = match.case
    _work(actor, case)
    if match.status != TracingMatch.Status.PENDING:
        raise ValidationError(_("This potential match has already been decided."))
    if not confirm and not reason.strip():
        raise ValidationError({"reason": _("Say why this is not the person sought.")})
    match.status = TracingMatch.Status.CONFIRMED if confirm else TracingMatch.Status.REJECTED
    match.decided_by, match.decided_at, match.reason = actor, timezone.now(), reason.strip()[:300]
    match.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    sought = match.sought
    if confirm:
        sought.found = case
        sought.save(update_fields=["found"])
        request = sought.request
        if not request.sought.filter(found__isnull=True).exists():
            request.status, request.closed_at = TracingRequest.Status.FOUND, timezone.now()
            request.save(update_fields=["status", "closed_at"])
    _audit(actor, case, "update", ["tracing_match"], reason=sought.request.public_id)
    return match


@transaction.atomic
def tracing_action_record(*, actor: User, case: ProtectionCase, done_on: datetime.date | None, kind: str, outcome: str) -> TracingAction:
    _work(actor, case)
    errors = _day_check(done_on, "done_on", timezone.localdate(case.received_at))
    if kind not in TracingAction.Kind.values:
        errors["kind"] = _("Choose the type of action.")
    if not outcome.strip():
        errors["outcome"] = _("Write the outcome, even when nobody was found.")
    if errors:
        raise ValidationError(errors)
    assert done_on is not None
    action = TracingAction.objects.create(case=case, done_on=done_on, kind=kind, outcome=outcome.strip(), recorded_by=actor)
    _audit(actor, case, "create", ["tracing_action"])
    return action


@transaction.atomic
def verification_record(
    *,
    actor: User,
    case: ProtectionCase,
    relative_name: str,
    relationship: str,
    methods: Sequence[str],
    child_views: str,
    confirmed: bool,
    done_on: datetime.date | None,
) -> Verification:
    """How the relationship was checked, with what the child said about going back."""
    _work(actor, case)
    errors = _day_check(done_on, "done_on", timezone.localdate(case.received_at))
    if not relative_name.strip():
        errors["relative_name"] = _("Write the relative's name.")
    if relationship not in TracingRequest.Relationship.values:
        errors["relationship"] = _("Say how they are related to the child.")
    if not methods or any(m not in Verification.Method.values for m in methods):
        errors["methods"] = _("Say how the relationship was verified.")
    if not child_views.strip():
        errors["child_views"] = _("The child must be heard: write what they said.")
    if errors:
        raise ValidationError(errors)
    assert done_on is not None
    verification = Verification.objects.create(
        case=case,
        relative_name=relative_name.strip(),
        relationship=relationship,
        methods=list(dict.fromkeys(methods)),
        child_views=child_views.strip(),
        confirmed=confirmed,
        done_on=done_on,
        recorded_by=actor,
    )
    _audit(actor, case, "create", ["verification"])
    return verification


@transaction.atomic
def placement_record(
    *,
    actor: User,
    case: ProtectionCase,
    kind: str,
    on: datetime.date | None,
    with_whom: str,
    relationship: str,
    municipality: AdminArea | None,
    address: str,
) -> Placement:
    """Reunification with a verified relative, or alternative care decided by a best-interests
    determination. The child leaves temporary care; visits are due 1, 3 and 6 months later."""
    _work(actor, case)
    errors = _day_check(on, "on", timezone.localdate(case.received_at))
    if hasattr(case, "placement"):
        errors["__all__"] = _("The outcome is already recorded.")
    if kind == Placement.Kind.REUNIFIED:
        if not case.verifications.filter(confirmed=True).exists():
            errors["kind"] = _("Verify the relationship (and hear the child) before reunification.")
        if relationship not in TracingRequest.Relationship.values:
            errors["relationship"] = _("Say how they are related to the child.")
    elif kind == Placement.Kind.ALTERNATIVE:
        if not case.determinations.filter(subject=BestInterestsDetermination.Subject.DURABLE_SOLUTION).exists():
            errors["kind"] = _("Alternative care needs a best-interests determination of the durable solution.")
    else:
        errors["kind"] = _("Choose the outcome.")
    if not with_whom.strip():
        errors["with_whom"] = _("Write with whom the child lives.")
    if municipality is None or municipality.level != AdminArea.Level.MUNICIPALITY or municipality.country_id != case.agency.country_id:
        errors["municipality"] = _("Choose a municipality of this country.")
    if not address.strip():
        errors["address"] = _("Write the address: the visits go there.")
    if errors:
        raise ValidationError(errors)
    assert on is not None and municipality is not None
    placement = Placement.objects.create(
        case=case,
        kind=kind,
        on=on,
        with_whom=with_whom.strip(),
        relationship=relationship if kind == Placement.Kind.REUNIFIED else "",
        municipality=municipality,
        address=address.strip(),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    # The child left temporary care that day: now if today, else midday (never before reception).
    moment = timezone.now() if on == timezone.localdate() else timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))
    moment = max(case.received_at, moment)
    current = case.care.filter(ended_at__isnull=True).first()
    if current is not None:
        current.ended_at = max(moment, current.started_at)
        current.save(update_fields=["ended_at"])
    care_kind = CareArrangement.Kind.RELATIVE if kind == Placement.Kind.REUNIFIED else CareArrangement.Kind.FOSTER
    CareArrangement.objects.create(case=case, kind=care_kind, place=placement.with_whom[:200], started_at=moment, recorded_by=actor)
    FollowUpVisit.objects.bulk_create(FollowUpVisit(case=case, month=m, due_on=months_after(on, m)) for m in FollowUpVisit.MONTHS)
    _audit(actor, case, "create", ["placement", "care"])
    return placement


@transaction.atomic
def visit_record(
    *, actor: User, visit: FollowUpVisit, done_on: datetime.date | None, wellbeing: str, in_school: bool | None, notes: str
) -> FollowUpVisit:
    case = visit.case
    _work(actor, case)
    errors = _day_check(done_on, "done_on")
    if done_on is not None and done_on < visit.due_on - datetime.timedelta(days=VISIT_EARLY_DAYS):
        errors["done_on"] = _("This visit is planned for %(day)s: record it from two weeks before.") % {
            "day": date_format(visit.due_on, "SHORT_DATE_FORMAT")
        }
    if visit.done_on is not None:
        errors["__all__"] = _("This visit is already recorded.")
    if wellbeing not in FollowUpVisit.Wellbeing.values:
        errors["wellbeing"] = _("Say how the child is.")
    if errors:
        raise ValidationError(errors)
    visit.done_on, visit.wellbeing, visit.in_school, visit.notes, visit.recorded_by = done_on, wellbeing, in_school, notes.strip(), actor
    visit.save(update_fields=["done_on", "wellbeing", "in_school", "notes", "recorded_by"])
    _audit(actor, case, "update", ["follow_up_visit"])
    return visit


@transaction.atomic
def protection_case_close(*, actor: User, case: ProtectionCase, reason: str, note: str = "") -> ProtectionCase:
    """Close the child's case: after the visits that follow reunification or placement, or when
    the child turns 18 or is transferred. A closed case leaves family tracing."""
    _work(actor, case)
    errors: dict[str, str] = {}
    if case.closed_at is not None:
        errors["__all__"] = _("This case is already closed.")
    if reason not in ProtectionCase.ClosureReason.values:
        errors["reason"] = _("Choose the reason for closing.")
    elif reason == ProtectionCase.ClosureReason.FOLLOWED_UP and (
        not hasattr(case, "placement") or case.visits.filter(done_on__isnull=True).exists()
    ):
        errors["reason"] = _("The outcome and every follow-up visit must be recorded first.")
    elif reason == ProtectionCase.ClosureReason.ADULT and case.child.is_child:
        errors["reason"] = _("The child is not 18 yet.")
    if reason in (ProtectionCase.ClosureReason.OTHER, ProtectionCase.ClosureReason.TRANSFERRED) and not note.strip():
        errors["note"] = _("Explain in the closing note.")
    if errors:
        raise ValidationError(errors)
    case.closed_at, case.closed_by, case.closure_reason, case.closure_note = timezone.now(), actor, reason, note.strip()[:300]
    case.save(update_fields=["closed_at", "closed_by", "closure_reason", "closure_note"])
    TracingMatch.objects.filter(case=case, status=TracingMatch.Status.PENDING).delete()
    _audit(actor, case, "update", ["closed_at", "closure_reason"])
    return case


# --- support and reintegration through the cases work ---------------------------------------


@transaction.atomic
def reintegration_case_open(*, actor: User, case: ProtectionCase) -> Case:
    """The child's reintegration case (plan, school enrolment, scholarship, vocational training,
    psychosocial sessions) at the child-protection institution, consent given by the authority."""
    _work(actor, case)
    if case.reintegration_case_id:
        return case.reintegration_case  # type: ignore[return-value]
    placement = getattr(case, "placement", None)
    reintegration = cases.case_open(
        actor=actor,
        person=case.child,
        returned_on=timezone.localdate(case.received_at),
        municipality=placement.municipality if placement else case.child.municipality_of_origin,
        caseworker=actor if actor.can("case.work") else None,
        risk=Case.Risk.HIGH,
        consent_assistance=True,
        consent_method=ConsentMethod.AUTHORITY,
        plan_from=placement.on if placement else timezone.localdate(),
    )
    case.reintegration_case = reintegration
    case.save(update_fields=["reintegration_case"])
    _audit(actor, case, "update", ["reintegration_case"])
    return reintegration
