"""The services directory: what each institution offers, to whom and where. Referrals and the
protocol build on it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.core.models import AdminArea, Agency, Country
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
