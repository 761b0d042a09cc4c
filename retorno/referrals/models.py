"""The services directory: what each institution offers, to whom and where. Referrals and the
protocol build on it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from retorno.core.models import AdminArea, Agency, Country
from retorno.reception.models import Screening, Vulnerability
from retorno.registry.models import Language


class Category(models.TextChoices):
    HEALTH = "health", _("health")
    PSYCHOSOCIAL = "psychosocial", _("psychosocial support")
    EDUCATION = "education", _("education")
    LIVELIHOODS = "livelihoods", _("livelihoods and employment")
    LEGAL = "legal", _("legal aid and documentation")
    SHELTER = "shelter", _("shelter")
    CHILD_PROTECTION = "child_protection", _("child protection")
    GBV = "gbv", _("gender-based violence")
    OTHER = "other", _("other")


class Service(models.Model):
    """A service an institution offers: its category, who may use it, where, and how to reach it.
    The description is written in Spanish and may be given in English and French too."""

    class Sex(models.TextChoices):
        ANY = "", _("anyone")
        FEMALE = "F", _("women and girls")
        MALE = "M", _("men and boys")

    class Public(models.TextChoices):
        ANYONE = "anyone", _("anyone")
        RETURNEES = "returnees", _("returned migrants only")
        NOT_RETURNEES = "not_returnees", _("people who have not migrated (prevention)")

    provider = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="services", verbose_name=_("provider"))
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    description = models.JSONField(_("description"), default=dict, help_text=_("In Spanish; English and French if available."))
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    sex = models.CharField(_("for"), max_length=1, choices=Sex.choices, blank=True)
    public = models.CharField(_("who may use it"), max_length=14, choices=Public.choices, default=Public.ANYONE)
    nationality = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("nationality (empty: any)")
    )
    nationwide = models.BooleanField(_("serves the whole country"), default=False)
    areas = models.ManyToManyField(AdminArea, blank=True, related_name="services", verbose_name=_("departments and municipalities served"))
    address = models.CharField(_("address"), max_length=250, blank=True)
    municipality = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("municipality of the office")
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    languages = models.ManyToManyField(Language, blank=True, related_name="+", verbose_name=_("languages spoken"))
    free_of_charge = models.BooleanField(_("free of charge"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        indexes = [models.Index(fields=["category", "is_active"])]

    def __str__(self) -> str:
        return self.name


class Urgency(models.TextChoices):
    """How fast the receiving institution must answer; a rule may set its own number of hours."""

    IMMEDIATE = "immediate", _("immediate")
    URGENT = "urgent", _("urgent")
    PRIORITY = "priority", _("priority")
    ROUTINE = "routine", _("routine")


# Hours the receiving institution has to accept or decline, by urgency.
ANSWER_HOURS = {Urgency.IMMEDIATE: 2, Urgency.URGENT: 24, Urgency.PRIORITY: 72, Urgency.ROUTINE: 14 * 24}


class Share(models.TextChoices):
    """What a referral may share beyond the minimum (name, sex, age, municipality, the reason for
    the referral and who sends it); each needs the person's consent or a child-protection override."""

    PHONE = "phone", _("phone number")
    IDENTITY = "identity", _("date of birth and identity document")
    VULNERABILITIES = "vulnerabilities", _("vulnerabilities found at reception")
    HEALTH = "health", _("health needs")


class ProtocolRule(models.Model):
    """A rule of the inter-institutional protocol: its name and country. What it says lives in
    its versions; referrals name the version that made them."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("country"))
    name = models.CharField(_("name"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("protocol rule")
        verbose_name_plural = _("protocol rules")

    def __str__(self) -> str:
        return self.name

    @property
    def active_version(self) -> RuleVersion | None:
        return next((v for v in self.versions.all() if v.is_active), None)


class RuleVersion(models.Model):
    """When a screening shows any of `vulnerabilities` (and the age and medical conditions hold) —
    or an assessment with `instrument` scores between `score_from` and `score_to` (in `dimension`,
    or overall) — refer to `service` with `urgency`, to be answered within `hours`. A version never
    changes once written: a change is a new version; one version of a rule at most is on."""

    class Trigger(models.TextChoices):
        SCREENING = "screening", _("a screening at reception")
        ASSESSMENT = "assessment", _("an assessment of a reintegration case")

    rule = models.ForeignKey(ProtocolRule, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    trigger = models.CharField(_("when"), max_length=12, choices=Trigger.choices, default=Trigger.SCREENING)
    vulnerabilities = models.JSONField(_("shows any of"), default=list)
    min_age = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("up to age"), null=True, blank=True)
    medical_required = models.BooleanField(_("only when medical attention is mandatory"), default=False)
    instrument = models.CharField(_("instrument"), max_length=40, blank=True)
    dimension = models.CharField(_("dimension (empty: the overall score)"), max_length=40, blank=True)
    score_from = models.FloatField(_("score from"), null=True, blank=True)
    score_to = models.FloatField(_("score up to"), null=True, blank=True)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+", verbose_name=_("refer to"))
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    hours = models.PositiveSmallIntegerField(_("to be answered within (hours)"))
    share = models.JSONField(_("also shares, with consent"), default=list, blank=True)
    reason = models.CharField(_("reason given to the receiving institution"), max_length=300)
    is_active = models.BooleanField(_("on"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    switched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["rule", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "number"], name="rule_version_unique"),
            models.UniqueConstraint(fields=["rule"], condition=models.Q(is_active=True), name="rule_one_active_version"),
        ]

    def __str__(self) -> str:
        return f"{self.rule.name} v{self.number}"

    @property
    def vulnerability_labels(self) -> list[str]:
        return [str(Vulnerability(v).label) for v in self.vulnerabilities if v in Vulnerability.values]


class Referral(models.Model):
    """A person referred by one institution to a service of another, with their consent (or a
    child-protection officer's recorded override). The receiving institution sees only what the
    referral shares (referrals.selectors.referral_view)."""

    class Status(models.TextChoices):
        HELD = "held", _("waiting for consent")
        SENT = "sent", pgettext_lazy("referral", "sent")
        ACCEPTED = "accepted", pgettext_lazy("referral", "accepted")
        DECLINED = "declined", pgettext_lazy("referral", "declined")
        COMPLETED = "completed", pgettext_lazy("referral", "completed")
        WITHDRAWN = "withdrawn", pgettext_lazy("referral", "withdrawn")

    class Source(models.TextChoices):
        SCREENING = "screening", _("reception screening")
        CASE = "case", _("reintegration case")
        PROTECTION = "protection", _("child-protection case")
        CONSULTATION = "consultation", _("information office consultation")

    public_id = models.CharField(_("referral id"), max_length=24, unique=True)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("person"))
    source = models.CharField(_("from"), max_length=12, choices=Source.choices)
    arrival_entry = models.ForeignKey("reception.ArrivalPerson", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    protection_case = models.ForeignKey("protection.ProtectionCase", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    rule_version = models.ForeignKey(
        RuleVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals", verbose_name=_("protocol rule")
    )
    from_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="referrals_sent", verbose_name=_("referred by"))
    to_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="referrals_received", verbose_name=_("referred to"))
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("service"))
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    reason = models.TextField(_("reason for the referral"))
    share = models.JSONField(_("also shared"), default=list, blank=True)
    municipality = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("municipality")
    )
    phone = models.CharField(_("phone"), max_length=24, blank=True)
    consent_given = models.BooleanField(_("consent to this referral"), default=False)
    consent_method = models.CharField(_("how consent was given"), max_length=10, blank=True)
    override_reason = models.TextField(_("why the child is referred without consent"), blank=True)
    override_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decline_reason = models.TextField(_("why it was declined"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["to_agency", "status", "due_at"]),
            models.Index(fields=["from_agency", "status", "created_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_version", "arrival_entry"], condition=models.Q(rule_version__isnull=False), name="referral_once_per_rule"
            )
        ]

    def __str__(self) -> str:
        return self.public_id

    @property
    def is_overdue(self) -> bool:
        """Sent and not answered in time."""
        return self.status == self.Status.SENT and self.due_at is not None and self.due_at < timezone.now()

    @property
    def answered_late(self) -> bool:
        return self.answered_at is not None and self.due_at is not None and self.answered_at > self.due_at

    @property
    def consent_method_label(self) -> str:
        methods = dict(Screening.ConsentMethod.choices)
        return str(methods.get(self.consent_method, self.consent_method))

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.HELD, self.Status.SENT, self.Status.ACCEPTED)
