"""Child protection: the case of every unaccompanied child, owned by the country's child-protection
institution, and where the child lives over time (care arrangements)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.core.models import AdminArea, Agency
from retorno.reception.models import ChildHandover, Screening
from retorno.registry.models import Language, Person

ConsentMethod = Screening.ConsentMethod


class ProtectionCase(models.Model):
    """An unaccompanied or separated child followed by the child-protection institution."""

    class ClosureReason(models.TextChoices):
        FOLLOWED_UP = "followed_up", _("reunified or in alternative care, visits completed")
        ADULT = "adult", _("turned 18")
        TRANSFERRED = "transferred", _("transferred to another country's authority")
        DIED = "died", _("died")
        OTHER = "other", _("other")

    public_id = models.CharField(_("protection case id"), max_length=24, unique=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="protection_cases", verbose_name=_("institution"))
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="protection_cases", verbose_name=_("child"))
    handover = models.OneToOneField(
        ChildHandover, on_delete=models.PROTECT, null=True, blank=True, related_name="protection_case", verbose_name=_("hand-over")
    )
    received_at = models.DateTimeField(_("received at"))
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closure_reason = models.CharField(_("reason for closing"), max_length=12, choices=ClosureReason.choices, blank=True)
    closure_note = models.CharField(_("closing note"), max_length=300, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Family tracing compares a child with sought persons only with consent, or a recorded
    # best-interests override by a child-protection officer.
    tracing_consent = models.BooleanField(_("consents to family tracing"), default=False)
    tracing_consent_method = models.CharField(_("how consent was given"), max_length=10, choices=ConsentMethod.choices, blank=True)
    tracing_override_reason = models.TextField(_("best-interests reason to trace without consent"), blank=True)
    tracing_basis_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    tracing_basis_at = models.DateTimeField(null=True, blank=True)
    reintegration_case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="protection_case", verbose_name=_("reintegration case")
    )

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("protection case")
        verbose_name_plural = _("protection cases")
        indexes = [models.Index(fields=["agency", "received_at"])]

    def __str__(self) -> str:
        return self.public_id

    @property
    def may_be_traced(self) -> bool:
        return self.closed_at is None and (self.tracing_consent or bool(self.tracing_override_reason))


class CareArrangement(models.Model):
    """Where and with whom the child lives from a date (the current one has no end)."""

    class Kind(models.TextChoices):
        SHELTER = "shelter", _("shelter (temporary care)")
        RELATIVE = "relative", _("with a relative")
        FOSTER = "foster", _("foster family")
        OTHER = "other", _("other")

    case = models.ForeignKey(ProtectionCase, on_delete=models.CASCADE, related_name="care")
    kind = models.CharField(_("care arrangement"), max_length=10, choices=Kind.choices)
    place = models.CharField(_("name of the place or the carer"), max_length=200)
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["started_at", "pk"]
        verbose_name = _("care arrangement")
        verbose_name_plural = _("care arrangements")

    @property
    def is_temporary(self) -> bool:
        return self.kind == self.Kind.SHELTER


def temporary_care(case: ProtectionCase, arrangements: list[CareArrangement], now: datetime.datetime | None = None) -> datetime.timedelta:
    """How long the child has been in temporary care since reception: from the hand-over until the
    first arrangement that is not a shelter (still counting while there is none)."""
    now = now or timezone.now()
    family = next((a.started_at for a in arrangements if not a.is_temporary), None)
    return max(datetime.timedelta(0), (family or now) - case.received_at)


class BestInterestsAssessment(models.Model):
    """The elements of CRC General Comment No. 14, the child's views in their own words, the weight
    given to them by age and maturity, a recommendation; a supervisor approves it."""

    class Weight(models.TextChoices):
        DECISIVE = "decisive", _("decisive: the child is mature enough to weigh the options")
        SIGNIFICANT = "significant", _("significant")
        LIMITED = "limited", _("limited: young age or maturity, views still heard")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("waiting for approval")
        APPROVED = "approved", _("approved")
        RETURNED = "returned", _("returned for changes")

    case = models.ForeignKey(ProtectionCase, on_delete=models.CASCADE, related_name="assessments")
    elements = models.JSONField(_("findings by element"), default=dict)
    child_views = models.TextField(_("the child's views, in their own words"))
    interview_language = models.ForeignKey(
        Language, on_delete=models.PROTECT, related_name="+", verbose_name=_("language of the interview")
    )
    interpreter = models.BooleanField(_("an interpreter was present"), default=False)
    weight = models.CharField(_("weight given to the child's views"), max_length=12, choices=Weight.choices)
    weight_reason = models.TextField(_("why this weight (age and maturity)"))
    recommendation = models.TextField(_("recommendation"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(_("supervisor's comment"), blank=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("best-interests assessment")
        verbose_name_plural = _("best-interests assessments")


class BestInterestsDetermination(models.Model):
    """A formal decision that needs one (a durable solution, a separation against the parents'
    will), by a panel whose every member's view is recorded, with reasons and a review date."""

    class Subject(models.TextChoices):
        DURABLE_SOLUTION = "durable_solution", _("durable solution for an unaccompanied child")
        SEPARATION = "separation", _("separation from the parents against their will")

    case = models.ForeignKey(ProtectionCase, on_delete=models.CASCADE, related_name="determinations")
    subject = models.CharField(_("decision about"), max_length=20, choices=Subject.choices)
    decision = models.TextField(_("decision"))
    reasons = models.TextField(_("reasons"))
    review_on = models.DateField(_("review on"))
    decided_on = models.DateField(_("decided on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decided_on", "pk"]
        verbose_name = _("best-interests determination")
        verbose_name_plural = _("best-interests determinations")


class PanelMember(models.Model):
    determination = models.ForeignKey(BestInterestsDetermination, on_delete=models.CASCADE, related_name="panel")
    name = models.CharField(_("name"), max_length=150)
    function = models.CharField(_("function and institution"), max_length=150)
    view = models.TextField(_("view"))

    class Meta:
        ordering = ["pk"]


class TracingRequest(models.Model):
    """Someone looking for a family member: the inquirer and the persons sought."""

    class Relationship(models.TextChoices):
        MOTHER = "mother", _("mother")
        FATHER = "father", _("father")
        GRANDPARENT = "grandparent", _("grandmother or grandfather")
        SIBLING = "sibling", _("sister or brother")
        UNCLE_AUNT = "uncle_aunt", _("aunt or uncle")
        OTHER_RELATIVE = "other_relative", _("other relative")
        OTHER = "other", _("other (not a relative)")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        FOUND = "found", _("closed: found")
        CLOSED = "closed", _("closed")

    public_id = models.CharField(_("tracing request id"), max_length=24, unique=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="tracing_requests", verbose_name=_("registered by"))
    inquirer_name = models.CharField(_("inquirer's name"), max_length=200)
    inquirer_relationship = models.CharField(_("relationship to the persons sought"), max_length=16, choices=Relationship.choices)
    inquirer_phone = models.CharField(_("inquirer's phone"), max_length=40, blank=True)
    inquirer_address = models.CharField(_("where the inquirer lives"), max_length=250, blank=True)
    inquirer_municipality = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("inquirer's municipality")
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("tracing request")
        verbose_name_plural = _("tracing requests")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.public_id


class SoughtPerson(models.Model):
    request = models.ForeignKey(TracingRequest, on_delete=models.CASCADE, related_name="sought")
    given_names = models.CharField(_("given names"), max_length=120)
    first_surname = models.CharField(_("first surname"), max_length=80)
    second_surname = models.CharField(_("second surname"), max_length=80, blank=True)
    known_as = models.CharField(_("nickname"), max_length=120, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Person.Sex.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    age = models.PositiveSmallIntegerField(_("age (if the date is not known)"), null=True, blank=True)
    separation_place = models.CharField(_("place of separation"), max_length=200, blank=True)
    separated_on = models.DateField(_("date of separation"), null=True, blank=True)
    found = models.ForeignKey(ProtectionCase, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return " ".join(p for p in (self.given_names, self.first_surname, self.second_surname) if p)


class TracingMatch(models.Model):
    """A child who may be the person sought, as the matching engine ranked them, and what a
    child-protection officer decided after comparing both side by side."""

    class Status(models.TextChoices):
        PENDING = "pending", _("to review")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("not the person sought")

    sought = models.ForeignKey(SoughtPerson, on_delete=models.CASCADE, related_name="matches")
    case = models.ForeignKey(ProtectionCase, on_delete=models.CASCADE, related_name="matches")
    probability = models.FloatField()
    fields = models.JSONField(default=list)  # the per-field explanation when found
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    found_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-probability", "pk"]
        constraints = [models.UniqueConstraint(fields=["sought", "case"], name="tracing_match_once")]


class TracingAction(models.Model):
    class Kind(models.TextChoices):
        PHONE = "phone", _("phone call")
        HOME_VISIT = "home_visit", _("home visit")
        COMMUNITY = "community", _("community inquiry")
        CONSULAR = "consular", _("consular network")
        RADIO = "radio", _("radio message")
        OTHER = "other", _("other")

    case = models.ForeignKey(ProtectionCase, on_delete=models.CASCADE, related_name="tracing_actions")
    done_on = models.DateField(_("date"))
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    outcome = models.TextField(_("outcome"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["done_on", "pk"]


class Verification(models.Model):
    """How the relationship between the child and the family found was checked."""

    class Method(models.TextChoices):
        DOCUMENTS = "documents", _("documents")
        MUTUAL_RECOGNITION = "recognition", _("mutual recognition")
        CHILD_ACCOUNT = "child_account", _("the child's own account")

    case = models.ForeignKey(ProtectionCase, on_delete=models.CASCADE, related_name="verifications")
    relative_name = models.CharField(_("relative's name"), max_length=200)
    relationship = models.CharField(_("relationship"), max_length=16, choices=TracingRequest.Relationship.choices)
    methods = models.JSONField(_("verified through"), default=list)
    child_views = models.TextField(_("what the child said about going back to this family"))
    confirmed = models.BooleanField(_("the relationship is confirmed"))
    done_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["done_on", "pk"]


class Placement(models.Model):
    """The durable outcome: reunified with the family, or an alternative care decision."""

    class Kind(models.TextChoices):
        REUNIFIED = "reunified", _("reunified with the family")
        ALTERNATIVE = "alternative", _("alternative care")

    case = models.OneToOneField(ProtectionCase, on_delete=models.CASCADE, related_name="placement")
    kind = models.CharField(_("outcome"), max_length=12, choices=Kind.choices)
    on = models.DateField(_("date"))
    with_whom = models.CharField(_("with whom"), max_length=200)
    relationship = models.CharField(_("relationship"), max_length=16, choices=TracingRequest.Relationship.choices, blank=True)
    municipality = models.ForeignKey(AdminArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality"))
    address = models.CharField(_("address"), max_length=250)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)


class FollowUpVisit(models.Model):
    """A visit 1, 3 and 6 months after reunification or placement."""

    class Wellbeing(models.TextChoices):
        WELL = "well", _("doing well")
        CONCERNS = "concerns", _("some concerns")
        AT_RISK = "at_risk", _("at risk: protection action needed")

    MONTHS = (1, 3, 6)

    case = models.ForeignKey(ProtectionCase, on_delete=models.CASCADE, related_name="visits")
    month = models.PositiveSmallIntegerField(_("follow-up"))
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("visited on"), null=True, blank=True)
    wellbeing = models.CharField(_("how the child is"), max_length=10, choices=Wellbeing.choices, blank=True)
    in_school = models.BooleanField(_("goes to school"), null=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "month"], name="protection_visit_once")]
