"""Projects that fund the work, their results frameworks, the Global Compact's objectives and the
national implementation plan.

A project carries every field of IOM's project pages (seeds 000, 003, 004), one text per language,
its donors and partners. Reintegration assistance names the project that pays for it (the cases
app), so the project page sets budget against spending. Indicators are reported by hand or
computed from the operational data by a declared query (``retorno.programmes.indicators``); the
apps that hold the data register those queries, so this app never reads their tables itself.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from retorno.core.models import Agency, Country


class GcmObjective(models.Model):
    """One of the Global Compact for Migration's 23 objectives (UN A/RES/73/195); loaded by a migration."""

    number = models.PositiveSmallIntegerField(_("number"), primary_key=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("Global Compact objective")
        verbose_name_plural = _("Global Compact objectives")

    def __str__(self) -> str:
        from retorno.programmes.gcm import OBJECTIVES

        return f"{self.number}. {OBJECTIVES.get(self.number, '')}"


# IOM Development Fund regions as the pages name them in English, shown in the reader's language.
REGION_LABELS = {
    "Latin America and the Caribbean": _("Latin America and the Caribbean"),
    "Central America, North America and the Caribbean": _("Central America, North America and the Caribbean"),
    "South America": _("South America"),
    "Africa": _("Africa"),
    "West and Central Africa": _("West and Central Africa"),
    "East and Horn of Africa": _("East and Horn of Africa"),
    "Southern Africa": _("Southern Africa"),
    "Middle East and North Africa": _("Middle East and North Africa"),
    "Asia and the Pacific": _("Asia and the Pacific"),
    "Europe": _("Europe"),
    "South-Eastern Europe, Eastern Europe and Central Asia": _("South-Eastern Europe, Eastern Europe and Central Asia"),
}


class Project(models.Model):
    class Status(models.TextChoices):
        PIPELINE = "pipeline", _("in preparation")
        ACTIVE = "active", _("active")
        COMPLETED = "completed", _("completed")

    class Kind(models.TextChoices):
        RETURN_ASSISTANCE = "return_assistance", _("return assistance to migrants and governments")
        MIGRATION_GOVERNANCE = "migration_governance", _("migration governance and policy")
        PROTECTION = "protection", _("protection and assistance to vulnerable migrants")
        LABOUR_MOBILITY = "labour_mobility", _("labour mobility and human development")
        BORDER_MANAGEMENT = "border_management", _("immigration and border management")
        OTHER = "other", _("other")

    class Coverage(models.TextChoices):
        NATIONAL = "national", _("national")
        REGIONAL = "regional", _("regional")
        GLOBAL = "global", _("global")

    code = models.CharField(_("project ID"), max_length=20, unique=True, help_text=_("As IOM writes it, e.g. RT.1066"))
    prima_id = models.CharField(_("Prima ID"), max_length=20, blank=True, help_text=_("e.g. HN10P0002"))
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    status_written = models.CharField(
        _("status as written"), max_length=60, blank=True, help_text=_("The page's own word when it is none of the known statuses")
    )
    kind = models.CharField(_("type"), max_length=24, choices=Kind.choices, blank=True)
    kind_written = models.CharField(
        _("type as written"), max_length=200, blank=True, help_text=_("The page's own words when the type is none of the known ones")
    )
    budget_usd = models.DecimalField(_("budget (USD)"), max_digits=14, decimal_places=2, null=True, blank=True)
    coverage = models.CharField(_("coverage"), max_length=10, choices=Coverage.choices, default=Coverage.NATIONAL)
    region = models.CharField(_("region"), max_length=80, blank=True, help_text=_("IOM region, e.g. Latin America and the Caribbean"))
    benefiting_states = models.ManyToManyField(Country, blank=True, related_name="projects", verbose_name=_("benefiting states"))
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, help_text=_("The year the page gives the project"))
    managed_by = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="projects", verbose_name=_("managed by")
    )
    summary = models.TextField(_("summary"), blank=True)
    objectives = models.ManyToManyField(GcmObjective, blank=True, related_name="projects", verbose_name=_("Global Compact objectives"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = [models.F("start_year").desc(nulls_last=True), "code"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__isnull=True)
                | models.Q(start_year__isnull=True)
                | models.Q(end_year__gte=models.F("start_year")),
                name="project_ends_after_it_starts",
            ),
            models.CheckConstraint(condition=models.Q(budget_usd__gte=0), name="project_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    def text(self, language: str | None = None) -> ProjectText | None:
        """The title and description in the reader's language, else Spanish, English, French."""
        texts = {t.language: t for t in self.texts.all()}
        for lang in ((language or get_language() or "es")[:2], "es", "en", "fr"):
            if lang in texts:
                return texts[lang]
        return None

    @property
    def status_label(self) -> str:
        return self.status_written or str(self.get_status_display())

    @property
    def region_label(self) -> str:
        return str(REGION_LABELS.get(self.region, self.region))

    @property
    def kind_label(self) -> str:
        return self.kind_written or (str(self.get_kind_display()) if self.kind else "")


class ProjectText(models.Model):
    """A project's title and description in one language, as its page in that language gives them."""

    class Language(models.TextChoices):
        ES = "es", "Español"
        EN = "en", "English"
        FR = "fr", "Français"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True, help_text=_("The page it was read from"))

    class Meta:
        ordering = ["language"]
        constraints = [models.UniqueConstraint(fields=["project", "language"], name="one_project_text_per_language")]

    def __str__(self) -> str:
        return self.title


class Organisation(models.Model):
    """A donor, partner or other organisation named by projects and news (not necessarily an institution with users)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=20, blank=True)
    agency = models.ForeignKey(
        Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("institution in Retorno")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym and self.acronym != self.name else self.name


class ProjectPartner(models.Model):
    class Role(models.TextChoices):  # IATI OrganisationRole codes in the comments
        DONOR = "donor", _("donor")  # 1 Funding
        ACCOUNTABLE = "accountable", _("accountable")  # 2 Accountable
        IMPLEMENTING = "implementing", _("implementing partner")  # 4 Implementing

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="projects", verbose_name=_("organisation"))
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)

    class Meta:
        ordering = ["role", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["project", "organisation", "role"], name="partner_once_per_role")]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.get_role_display()}"


class NewsItem(models.Model):
    """An IOM news story read by the importer: what it says happened, with its figures and contacts."""

    title = models.CharField(_("title"), max_length=300)
    language = models.CharField(_("language"), max_length=2, choices=ProjectText.Language.choices)
    dateline_country = models.ForeignKey(Country, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    published_on = models.DateField(_("date"), null=True, blank=True)
    organizations = models.JSONField(_("organisations"), default=list)
    contacts = models.JSONField(_("contacts"), default=list)
    figures = models.JSONField(_("figures"), default=list)
    body = models.TextField(_("text"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = [models.F("published_on").desc(nulls_last=True), "title"]
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        constraints = [models.UniqueConstraint(fields=["title", "language"], name="news_once_per_language")]

    def __str__(self) -> str:
        return self.title


# --- results frameworks ------------------------------------------------------------------------


class Outcome(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="outcomes")
    code = models.CharField(_("number"), max_length=10, help_text=_("e.g. 1"))
    statement = models.TextField(_("outcome"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="outcome_code_once")]

    def __str__(self) -> str:
        label = pgettext_lazy("results framework", "Outcome")
        return f"{label} {self.code}"


class Output(models.Model):
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="outputs")
    code = models.CharField(_("number"), max_length=10, help_text=_("e.g. 1.1"))
    statement = models.TextField(_("output"))
    objectives = models.ManyToManyField(GcmObjective, blank=True, related_name="outputs", verbose_name=_("Global Compact objectives"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("output")
        verbose_name_plural = _("outputs")
        constraints = [models.UniqueConstraint(fields=["outcome", "code"], name="output_code_once")]

    def __str__(self) -> str:
        label = pgettext_lazy("results framework", "Output")
        return f"{label} {self.code}"


class Activity(models.Model):
    output = models.ForeignKey(Output, on_delete=models.CASCADE, related_name="activities")
    code = models.CharField(_("number"), max_length=12, help_text=_("e.g. 1.1.1"))
    description = models.TextField(_("activity"))
    objectives = models.ManyToManyField(GcmObjective, blank=True, related_name="activities", verbose_name=_("Global Compact objectives"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return f"{self.code} {self.description[:60]}"


class Indicator(models.Model):
    """What is measured, against which baseline and target; by hand or by a declared query."""

    class Method(models.TextChoices):
        MANUAL = "manual", _("reported by hand")
        COMPUTED = "computed", _("computed from the records")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="indicators")
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, null=True, blank=True, related_name="indicators")
    output = models.ForeignKey(Output, on_delete=models.CASCADE, null=True, blank=True, related_name="indicators")
    code = models.CharField(_("number"), max_length=12, help_text=_("e.g. 1.1.a"))
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=60, help_text=_("e.g. people, officials, %"))
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, default=0)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    by_sex = models.BooleanField(_("disaggregated by sex"), default=False)
    by_age = models.BooleanField(_("disaggregated by age group"), default=False)
    means_of_verification = models.TextField(_("means of verification"), blank=True)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    method = models.CharField(_("how it is measured"), max_length=8, choices=Method.choices, default=Method.MANUAL)
    query = models.CharField(_("query"), max_length=60, blank=True, help_text=_("For computed indicators: one of the declared queries"))

    class Meta:
        ordering = ["project", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="indicator_code_once"),
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")), name="indicator_period_order"),
            models.CheckConstraint(
                condition=models.Q(method="manual", query="") | (models.Q(method="computed") & ~models.Q(query="")),
                name="indicator_query_iff_computed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class IndicatorReport(models.Model):
    """A value reported by hand for a period, in total or for one sex / age group."""

    class Sex(models.TextChoices):
        FEMALE = "F", _("women and girls")
        MALE = "M", _("men and boys")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="reports")
    period_end = models.DateField(_("as of"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    age_group = models.CharField(_("age group"), max_length=10, blank=True)
    source = models.CharField(_("source"), max_length=300, help_text=_("Where the figure comes from"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period_end", "-reported_at"]
        verbose_name = _("indicator report")
        verbose_name_plural = _("indicator reports")


# --- the national implementation plan of the Global Compact -------------------------------------------


class NationalPlan(models.Model):
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("country"))
    title = models.CharField(_("title"), max_length=300)
    start_year = models.PositiveSmallIntegerField(_("from"))
    end_year = models.PositiveSmallIntegerField(_("to"))
    coordinated_by = models.CharField(_("coordinated by"), max_length=300, help_text=_("The national coordination mechanism"))
    project = models.ForeignKey(
        Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="plans", verbose_name=_("supporting project")
    )

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("national implementation plan")
        verbose_name_plural = _("national implementation plans")

    def __str__(self) -> str:
        return self.title


class PlanAction(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("not started")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    plan = models.ForeignKey(NationalPlan, on_delete=models.CASCADE, related_name="actions")
    code = models.CharField(_("number"), max_length=12)
    description = models.TextField(_("action"))
    objectives = models.ManyToManyField(GcmObjective, related_name="plan_actions", verbose_name=_("Global Compact objectives"))
    responsible = models.ManyToManyField(Agency, blank=True, related_name="+", verbose_name=_("responsible institutions"))
    responsible_other = models.CharField(
        _("other responsible institutions"), max_length=300, blank=True, help_text=_("Institutions that do not use Retorno")
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="plan_actions", verbose_name=_("indicators"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "code"]
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="plan_action_code_once"),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="plan_action_dates_order"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.description[:60]}"

    @property
    def late(self) -> bool:
        return self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS) and self.ends_on < timezone.localdate()
