"""Reintegration cases: who is followed, by whom, what was assessed, planned, delivered and said.

Written only through `cases.services` (which keep the derived stage, the due dates and the
audit trail right); read through `cases.selectors`, which keep users to their agency's cases and
apply the confidentiality of notes and psychosocial sessions.
"""

from __future__ import annotations

import calendar
import datetime
import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from retorno.core.models import AdminArea, Agency
from retorno.core.text import localized
from retorno.programmes.models import Project
from retorno.reception.models import ArrivalPerson
from retorno.registry.models import Person


class Dimension(models.TextChoices):
    """The Handbook's three dimensions of reintegration."""

    ECONOMIC = "economic", _("economic")
    SOCIAL = "social", _("social")
    PSYCHOSOCIAL = "psychosocial", _("psychosocial")


class AssistanceType(models.TextChoices):
    """The Reintegration Handbook's assistance types (REFERENCE.md); `DIMENSION_OF` files each one."""

    CASH = "cash", _("cash-based assistance")
    IN_KIND = "in_kind", _("in-kind assistance")
    JOB_PLACEMENT = "job_placement", _("job placement")
    BUSINESS_SUPPORT = "business_support", _("business development support")
    BUSINESS_GRANT = "business_grant", _("business start-up grant (income-generating project)")
    VOCATIONAL_TRAINING = "vocational_training", _("vocational training")
    SCHOLARSHIP_SCHOOL = "scholarship_school", _("scholarship (primary/secondary)")
    SCHOLARSHIP_TERTIARY = "scholarship_tertiary", _("scholarship (tertiary)")
    RECORDS = "records", _("consolidating employment and education records")
    FINANCIAL_TRAINING = "financial_training", _("financial management training")
    MICRO_SAVING = "micro_saving", _("micro-saving")
    SELF_HELP_GROUP = "self_help_group", _("self-help group")
    SAVINGS_CREDIT = "savings_credit", _("savings and credit association")
    PRODUCTIVE_ASSETS = "productive_assets", _("monetizing productive assets")
    HOUSING = "housing", _("housing support")
    HEALTH_CARE = "health_care", _("health care")
    DOCUMENTATION = "documentation", _("documentation and legal aid")
    SCHOOL_ENROLMENT = "school_enrolment", _("school enrolment")
    COUNSELLING = "counselling", _("counselling")
    PSYCHOSOCIAL_INDIVIDUAL = "psychosocial_individual", _("psychosocial sessions (individual)")
    PSYCHOSOCIAL_FAMILY = "psychosocial_family", _("psychosocial sessions (family)")
    PSYCHOSOCIAL_GROUP = "psychosocial_group", _("psychosocial sessions (group)")
    CLINICAL_REFERRAL = "clinical_referral", _("clinical referral")


_SOCIAL = {"housing", "health_care", "documentation", "school_enrolment"}
_PSYCHOSOCIAL = {"counselling", "psychosocial_individual", "psychosocial_family", "psychosocial_group", "clinical_referral"}
DIMENSION_OF: dict[str, str] = {
    t: (Dimension.SOCIAL if t in _SOCIAL else Dimension.PSYCHOSOCIAL if t in _PSYCHOSOCIAL else Dimension.ECONOMIC)
    for t in AssistanceType.values
}


class ClosureReason(models.TextChoices):
    """The Handbook's reasons for closing a case; the abrupt exits follow the planned ones."""

    SUPPORT_ENDED = "support_ended", _("support period ended")
    NO_LONGER_ELIGIBLE = "no_longer_eligible", _("no longer meets the criteria")
    CHOSE_TO_STOP = "chose_to_stop", _("the returnee chose to stop")
    LEFT_AREA = "left_area", _("left the area")
    DIED = "died", _("died")
    LOST_INTEREST = "lost_interest", _("abrupt exit: lost interest")
    ACCESS_BARRIERS = "access_barriers", _("abrupt exit: barriers to access")
    NOT_SUITABLE = "not_suitable", _("abrupt exit: assistance no longer suitable")
    AGGRESSION = "aggression", _("abrupt exit: aggression towards staff")
    STIGMA = "stigma", _("abrupt exit: stigma")
    REMIGRATION = "remigration", _("abrupt exit: migrated again")
    COSTS = "costs", _("abrupt exit: costs outweigh the benefits")
    FUNDING_LOSS = "funding_loss", _("abrupt exit: loss of funding")
    SECURITY = "security", _("abrupt exit: security conditions")


# Closures where a final sustainability survey can be taken (the returnee is still reachable).
CLOSURES_WITH_FINAL_SURVEY = frozenset({ClosureReason.SUPPORT_ENDED, ClosureReason.NO_LONGER_ELIGIBLE})


class Instrument(models.Model):
    """A questionnaire kind (vulnerability, needs, skills, sustainability); its content lives in versions."""

    class Kind(models.TextChoices):
        VULNERABILITY = "vulnerability", _("vulnerability")
        NEEDS = "needs", _("needs")
        SKILLS = "skills", _("skills")
        SUSTAINABILITY = "sustainability", _("reintegration sustainability survey")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")

    def __str__(self) -> str:
        current = self.versions.filter(is_current=True).first()
        return current.title if current else self.code


class InstrumentVersion(models.Model):
    """One loaded definition (questions, options, scores, weights), immutable once loaded:
    answers point at the version they used and are always scored with it."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="versions")
    version = models.CharField(_("version"), max_length=40)
    titles = models.JSONField(_("title"), default=dict)
    source = models.CharField(_("source"), max_length=400)
    provisional = models.BooleanField(
        _("provisional weights"), default=False, help_text=_("The weights are not yet the official table: scores are indicative.")
    )
    definition = models.JSONField(_("definition"))
    checksum = models.CharField(max_length=64, editable=False)
    is_current = models.BooleanField(_("current version"), default=False)
    loaded_at = models.DateTimeField(_("loaded at"), default=timezone.now)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["instrument", "-loaded_at"]
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "version"], name="instrument_version_unique"),
            models.UniqueConstraint(fields=["instrument"], condition=models.Q(is_current=True), name="one_current_version_per_instrument"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"

    @property
    def title(self) -> str:
        return localized(self.titles)


class Case(models.Model):
    """A returnee (or a household) followed by a caseworker from assessment to closure."""

    class Stage(models.TextChoices):
        ASSESSMENT = "assessment", _("assessment")
        PLAN = "plan", _("plan")
        ASSISTANCE = "assistance", _("assistance")
        FOLLOW_UP = "follow_up", _("follow-up")
        CLOSED = "closed", pgettext_lazy("case stage", "closed")

    class Risk(models.TextChoices):
        LOW = "low", _("low")
        MEDIUM = "medium", _("medium")
        HIGH = "high", _("high")

    public_id = models.CharField(_("case id"), max_length=24, unique=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="cases", verbose_name=_("agency"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases", verbose_name=_("returnee"))
    # The returnee's folded name (registry's search_name), kept on the case so the list searches
    # names without a join; a receiver keeps it in step when the registry corrects a name.
    search_name = models.CharField(max_length=400, editable=False, blank=True)
    arrival_entry = models.ForeignKey(
        ArrivalPerson, on_delete=models.PROTECT, null=True, blank=True, related_name="cases", verbose_name=_("arrival")
    )
    returned_on = models.DateField(_("date of return"))
    municipality = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("municipality of residence")
    )
    # The municipality's department, kept on the case so the list filters by it without a join.
    department = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("department"), editable=False
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="cases", verbose_name=_("caseworker")
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("supervisor")
    )
    risk = models.CharField(_("risk level"), max_length=8, choices=Risk.choices, default=Risk.MEDIUM)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.ASSESSMENT, editable=False)
    consent_assistance = models.BooleanField(_("consents to assistance"), default=False)
    consent_method = models.CharField(_("how consent was given"), max_length=10, blank=True)
    plan_due_on = models.DateField(_("plan due"))
    plan_delay_reason = models.CharField(_("why the plan is late"), max_length=300, blank=True)
    # The earliest open task's due date: the list's "overdue" filter reads it without a join.
    next_due_on = models.DateField(_("next due"), null=True, blank=True, editable=False)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closure_reason = models.CharField(_("reason for closing"), max_length=20, choices=ClosureReason.choices, blank=True)
    closure_note = models.CharField(_("closing note"), max_length=500, blank=True)
    closure_requested_at = models.DateTimeField(_("closure requested at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        # One per filter of the case list, so counting a filter reads an index, not the table.
        indexes = [
            models.Index(fields=["agency", "opened_at"]),
            models.Index(fields=["agency", "stage", "opened_at"]),
            models.Index(fields=["agency", "next_due_on"]),
            models.Index(fields=["agency", "caseworker", "next_due_on"]),
            models.Index(fields=["agency", "department", "risk", "stage"]),
            models.Index(fields=["agency", "risk", "stage"]),
            models.Index(fields=["agency", "search_name"]),
        ]

    def __str__(self) -> str:
        return self.public_id

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def closure_pending(self) -> bool:
        return self.closure_requested_at is not None and self.closed_at is None

    @property
    def plan_is_late(self) -> bool:
        plan = getattr(self, "plan", None)
        done = timezone.localdate(plan.approved_at) if plan is not None and plan.approved_at else None
        return (done or timezone.localdate()) > self.plan_due_on

    @property
    def is_overdue(self) -> bool:
        return self.next_due_on is not None and self.next_due_on < timezone.localdate()


class CaseMember(models.Model):
    """Another member of the household followed in the same case."""

    class Relationship(models.TextChoices):
        SPOUSE = "spouse", _("spouse or partner")
        CHILD = "child", _("son or daughter")
        PARENT = "parent", _("mother or father")
        SIBLING = "sibling", _("brother or sister")
        GRANDPARENT = "grandparent", _("grandparent")
        OTHER_RELATIVE = "other_relative", _("other relative")
        OTHER = "other", _("other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    relationship = models.CharField(_("relationship to the returnee"), max_length=16, choices=Relationship.choices)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at"]
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="case_member_once")]


class CaseEvent(models.Model):
    """What happened to the case itself (opened, assigned, approved, transferred, closed, reopened):
    the workflow entries of the timeline. Never carries personal data: the kind and the actor."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("case opened")
        ASSIGNED = "assigned", _("caseworker assigned")
        RISK = "risk", _("risk level changed")
        PLAN_SUBMITTED = "plan_submitted", _("plan sent for approval")
        PLAN_APPROVED = "plan_approved", _("plan approved")
        PLAN_RETURNED = "plan_returned", _("plan returned for changes")
        TRANSFER_REQUESTED = "transfer_requested", _("transfer to another institution requested")
        TRANSFER_ACCEPTED = "transfer_accepted", _("transfer accepted")
        TRANSFER_DECLINED = "transfer_declined", _("transfer declined")
        CLOSURE_REQUESTED = "closure_requested", _("closure requested")
        CLOSURE_RETURNED = "closure_returned", _("closure not approved")
        CLOSED = "closed", _("case closed")
        REOPENED = "reopened", _("case reopened")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"])]


class Transfer(models.Model):
    """A case handed to another institution: it stays with the sender until the receiver accepts."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for the receiving institution")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    from_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("from"))
    to_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="transfers_in", verbose_name=_("to"))
    reason = models.CharField(_("reason"), max_length=300)
    consent_given = models.BooleanField(_("the returnee consents to the transfer"), default=False)
    consent_method = models.CharField(_("how consent was given"), max_length=10, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(_("why it was declined"), max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [models.UniqueConstraint(fields=["case"], condition=models.Q(status="pending"), name="one_pending_transfer_per_case")]


class Task(models.Model):
    """Something due on a case by a date. Created and completed by the services as work is
    recorded, so "my tasks" and the overdue list are always what the records say."""

    class Kind(models.TextChoices):
        ASSESSMENT = "assessment", _("needs assessment")
        PLAN = "plan", _("reintegration plan")
        PLAN_APPROVAL = "plan_approval", _("approve the plan")
        DELIVERY = "delivery", _("deliver assistance")
        ASSISTANCE_APPROVAL = "assistance_approval", _("approve assistance added to the plan")
        FOLLOW_UP = "follow_up", _("follow-up visit")
        CLOSURE_APPROVAL = "closure_approval", _("approve the closure")
        TRANSFER_DECISION = "transfer_decision", _("accept or decline a transfer")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(_("task"), max_length=20, choices=Kind.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    # A named person; empty means the agency's supervisors (approvals, transfers in).
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks")
    due_on = models.DateField(_("due"))
    month = models.PositiveSmallIntegerField(_("month after return"), null=True, blank=True)
    assistance = models.ForeignKey("AssistanceItem", on_delete=models.CASCADE, null=True, blank=True, related_name="tasks")
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["assigned_to", "done_at", "due_on"]),
            models.Index(fields=["agency", "done_at", "due_on"]),
            models.Index(fields=["case", "done_at"]),
        ]

    def __str__(self) -> str:
        label = str(self.get_kind_display())
        return _("%(task)s, %(n)s months after return") % {"task": label, "n": self.month} if self.month else label

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_on < timezone.localdate()


class Assessment(models.Model):
    """Answers to one instrument, with the version they used and the scores it gave."""

    class Occasion(models.TextChoices):
        BASELINE = "baseline", _("assessment")
        FOLLOW_UP = "follow_up", _("follow-up")
        FINAL = "final", _("at closure")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("instrument"))
    occasion = models.CharField(_("occasion"), max_length=10, choices=Occasion.choices, default=Occasion.BASELINE)
    month = models.PositiveSmallIntegerField(_("month after return"), null=True, blank=True)
    answers = models.JSONField(_("answers"), default=dict)
    scores = models.JSONField(_("scores by dimension"), default=dict)
    overall = models.FloatField(_("overall score"), null=True, blank=True)
    done_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["done_on", "pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [models.Index(fields=["case", "done_on"])]


class Plan(models.Model):
    """The reintegration plan agreed with the returnee; its items are the case's assistance."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="plan")
    goals = models.TextField(_("goals agreed with the returnee"))
    agreed_with_returnee = models.BooleanField(_("agreed with the returnee"), default=False)
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("sent for approval"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reintegration plan")
        verbose_name_plural = _("reintegration plans")


class AssistanceItem(models.Model):
    """One piece of assistance in the plan: what, by whom, how much, paid by which project."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        APPROVED = "approved", _("approved")
        DELIVERED = "delivered", _("delivered")
        CANCELLED = "cancelled", _("cancelled")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assistance")
    kind = models.CharField(_("type of assistance"), max_length=24, choices=AssistanceType.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    provider_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("provider (institution)")
    )
    provider_name = models.CharField(_("provider (service or business)"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    exchange_rate = models.DecimalField(
        _("exchange rate"), max_digits=14, decimal_places=6, default=Decimal(1), help_text=_("Units of the currency per US dollar")
    )
    estimated_cost = models.DecimalField(_("estimated cost"), max_digits=14, decimal_places=2, default=Decimal(0))
    actual_cost = models.DecimalField(_("actual cost"), max_digits=14, decimal_places=2, null=True, blank=True)
    # The same amounts in US dollars, kept so spending per project adds up without conversions.
    estimated_usd = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0), editable=False)
    actual_usd = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True, editable=False)
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, null=True, blank=True, related_name="assistance", verbose_name=_("funded by")
    )
    due_on = models.DateField(_("planned delivery"))
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    cancel_reason = models.CharField(_("why it was cancelled"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("assistance item")
        verbose_name_plural = _("assistance items")
        indexes = [models.Index(fields=["project", "status"]), models.Index(fields=["case", "status"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(estimated_cost__gte=0), name="assistance_estimate_not_negative"),
            models.CheckConstraint(condition=models.Q(exchange_rate__gt=0), name="assistance_rate_positive"),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    @property
    def dimension(self) -> str:
        return DIMENSION_OF[self.kind]

    @property
    def provider(self) -> str:
        return self.provider_agency.acronym if self.provider_agency else self.provider_name

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PLANNED, self.Status.APPROVED)


def evidence_path(instance: Evidence, filename: str) -> str:
    # Never the uploaded name (it may carry a person's name): the case and a random token.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evidence/{instance.item.case.public_id}/{secrets.token_hex(12)}.{ext}"


class Evidence(models.Model):
    """A receipt or photo proving that assistance was delivered. Served only through the case's
    access check, never from a public URL."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("receipt")
        PHOTO = "photo", _("photo")
        OTHER = "other", _("other document")

    item = models.ForeignKey(AssistanceItem, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.RECEIPT)
    file = models.FileField(_("file"), upload_to=evidence_path)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")


class Note(models.Model):
    """A case note. Who may read it is its confidentiality, applied by the selectors."""

    class Confidentiality(models.TextChoices):
        GENERAL = "general", _("everyone working on the case")
        SUPERVISOR = "supervisor", _("supervisors only")
        PSYCHOSOCIAL = "psychosocial", _("psychosocial specialists only")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    confidentiality = models.CharField(
        _("who may read it"), max_length=12, choices=Confidentiality.choices, default=Confidentiality.GENERAL
    )
    text = models.TextField(_("note"))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["written_at", "pk"]
        indexes = [models.Index(fields=["case", "confidentiality"])]


class PsychosocialSession(models.Model):
    """A psychosocial session: readable by psychosocial specialists alone."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("individual")
        FAMILY = "family", _("family")
        GROUP = "group", _("group")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("session"), max_length=10, choices=Kind.choices)
    held_on = models.DateField(_("date"))
    minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    participants = models.PositiveSmallIntegerField(_("participants"), default=1)
    notes = models.TextField(_("session notes"), blank=True)
    held_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["held_on", "pk"]


def months_after(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the last day of the month when it has no such day)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))
