"""Projects that fund the work, with the fields of IOM's project pages (seeds 000, 003, 004).

Reintegration assistance names the project that pays for it (the cases app), so spending per
project can be shown; a later issue adds results frameworks, indicators and the page importer.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from retorno.core.models import Agency, Country


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
        OTHER = "other", _("other")

    class Coverage(models.TextChoices):
        NATIONAL = "national", _("national")
        REGIONAL = "regional", _("regional")
        GLOBAL = "global", _("global")

    code = models.CharField(_("project ID"), max_length=20, unique=True, help_text=_("As IOM writes it, e.g. RT.1066"))
    prima_id = models.CharField(_("Prima ID"), max_length=20, blank=True, help_text=_("e.g. HN10P0002"))
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    kind = models.CharField(_("type"), max_length=24, choices=Kind.choices, default=Kind.RETURN_ASSISTANCE)
    budget_usd = models.DecimalField(_("budget (USD)"), max_digits=14, decimal_places=2)
    coverage = models.CharField(_("coverage"), max_length=10, choices=Coverage.choices, default=Coverage.NATIONAL)
    region = models.CharField(_("region"), max_length=80, blank=True, help_text=_("IOM region, e.g. Latin America and the Caribbean"))
    benefiting_states = models.ManyToManyField(Country, blank=True, related_name="projects", verbose_name=_("benefiting states"))
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True)
    managed_by = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="projects", verbose_name=_("managed by")
    )
    summary = models.TextField(_("summary"), blank=True)

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
