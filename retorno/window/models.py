"""The "Window" information office: what people asked about (consultations), counted for the
office's dashboard. A consultation may be anonymous; it names a registry person only when the
person wants to be followed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.core.models import Agency, Site
from retorno.referrals.models import Service


class Channel(models.TextChoices):
    WALK_IN = "walk_in", _("in person")
    PHONE = "phone", _("phone")
    MESSAGING = "messaging", _("messaging")
    OUTREACH = "outreach", _("outreach")


class Profile(models.TextChoices):
    POTENTIAL = "potential", _("thinking of migrating")
    RETURNEE = "returnee", _("returned migrant")
    FAMILY = "family", _("family member")
    OTHER = "other", _("other")


class Topic(models.TextChoices):
    RIGHTS = "rights", _("rights")
    SERVICES = "services", _("services")
    AVR = "avr", _("assisted voluntary return")
    DOCUMENTS = "documents", _("documentation")
    RISKS = "risks", _("risks of irregular migration")
    EMPLOYMENT = "employment", _("employment")
    OTHER = "other", _("other")


class AgeGroup(models.TextChoices):
    UNKNOWN = "", _("not said")
    CHILD = "0-17", _("under 18")
    YOUNG = "18-29", _("18 to 29")
    ADULT = "30-59", _("30 to 59")
    OLDER = "60+", _("60 or more")


class Material(models.TextChoices):
    RIGHTS_LEAFLET = "rights_leaflet", _("rights leaflet")
    DIRECTORY = "directory", _("list of services")
    SAFE_MIGRATION = "safe_migration", _("safe migration guide")
    OTHER = "other", _("other")


class Consultation(models.Model):
    class Sex(models.TextChoices):
        UNKNOWN = "", _("not said")
        FEMALE = "F", _("woman or girl")
        MALE = "M", _("man or boy")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("institution"))
    office = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="consultations", verbose_name=_("office"))
    held_on = models.DateField(_("date"), default=timezone.localdate)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.WALK_IN)
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("person in the registry")
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    age_group = models.CharField(_("age group"), max_length=5, choices=AgeGroup.choices, blank=True)
    profile = models.CharField(_("who asks"), max_length=10, choices=Profile.choices)
    topics = models.JSONField(_("topics"), default=list)
    topic_other = models.CharField(_("other topic"), max_length=200, blank=True)
    materials = models.JSONField(_("materials given"), default=list, blank=True)
    services = models.ManyToManyField(Service, blank=True, related_name="+", verbose_name=_("services the person was told about"))
    note = models.CharField(_("note (no names)"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-recorded_at"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        indexes = [models.Index(fields=["office", "held_on"]), models.Index(fields=["agency", "held_on"])]

    @property
    def topic_labels(self) -> list[str]:
        return [str(Topic(t).label) for t in self.topics if t in Topic.values]


class Audience(models.TextChoices):
    GOVERNMENT = "government", _("government staff")
    CIVIL_SOCIETY = "civil_society", _("civil society")
    SCHOOLS = "schools", _("schools")
    COMMUNITY = "community", _("community")


class Training(models.Model):
    """A training session the office gives: to whom, on what, who came, and — when a test was
    given before and after — how much was learnt. Attendance is counted by sex, or taken from the
    named participants when there are any."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("institution"))
    office = models.ForeignKey(Site, on_delete=models.PROTECT, null=True, blank=True, related_name="trainings", verbose_name=_("office"))
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    municipality = models.ForeignKey(
        "core.AdminArea", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("municipality")
    )
    audience = models.CharField(_("audience"), max_length=14, choices=Audience.choices)
    topics = models.JSONField(_("topics"), default=list)
    title = models.CharField(_("title"), max_length=200)
    materials = models.CharField(_("materials"), max_length=300, blank=True)
    women = models.PositiveIntegerField(_("women and girls"), default=0)
    men = models.PositiveIntegerField(_("men and boys"), default=0)
    pre_average = models.DecimalField(_("average score before (0–100)"), max_digits=5, decimal_places=1, null=True, blank=True)
    post_average = models.DecimalField(_("average score after (0–100)"), max_digits=5, decimal_places=1, null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")

    def __str__(self) -> str:
        return self.title

    @property
    def topic_labels(self) -> list[str]:
        return [str(Topic(t).label) for t in self.topics if t in Topic.values]


class Participant(models.Model):
    """Someone who attended a training by name (staff, teachers: not returnees' records)."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(_("name"), max_length=150)
    sex = models.CharField(_("sex"), max_length=1, choices=[("F", _("woman or girl")), ("M", _("man or boy"))])
    organisation = models.CharField(_("organisation"), max_length=150, blank=True)
    pre_score = models.DecimalField(_("score before (0–100)"), max_digits=5, decimal_places=1, null=True, blank=True)
    post_score = models.DecimalField(_("score after (0–100)"), max_digits=5, decimal_places=1, null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
