"""Arrivals, their manifests, the people on them, screening, hand-overs and immediate assistance.

Written only through `reception.services`; read through `reception.selectors`, which keep an
officer to the arrivals of their own institution and audit every read of a person.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.core.models import AdminArea, Agency, Country, PointOfEntry, Site
from retorno.registry.models import Person, age_on


class Arrival(models.Model):
    """A flight, bus or boat bringing returned people to a reception centre."""

    class Mode(models.TextChoices):
        AIR = "air", _("air")
        LAND = "land", _("land")
        SEA = "sea", _("sea")

    class Status(models.TextChoices):
        EXPECTED = "expected", _("expected")
        RECEIVING = "receiving", _("receiving")
        CLOSED = "closed", _("closed")

    public_id = models.CharField(_("arrival id"), max_length=24, unique=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="arrivals", verbose_name=_("agency"))
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="arrivals", verbose_name=_("reception centre"))
    returned_from = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("returned from"))
    mode = models.CharField(_("mode"), max_length=8, choices=Mode.choices)
    point_of_entry = models.ForeignKey(
        PointOfEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="arrivals", verbose_name=_("point of entry")
    )
    scheduled_at = models.DateTimeField(_("scheduled for"))
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    carrier = models.CharField(_("carrier"), max_length=120, blank=True, help_text=_("Airline, bus company or authority"))
    reference = models.CharField(_("flight or bus reference"), max_length=60, blank=True)
    expected_count = models.PositiveSmallIntegerField(_("people expected"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.EXPECTED)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-scheduled_at"]
        verbose_name = _("arrival")
        verbose_name_plural = _("arrivals")
        indexes = [models.Index(fields=["agency", "scheduled_at"])]

    def __str__(self) -> str:
        return f"{self.public_id} {self.reference}".strip()

    @property
    def day(self) -> datetime.date:
        return timezone.localdate(self.arrived_at or self.scheduled_at)


class ManifestSource(models.Model):
    """How one sender's manifests are laid out: the column mapping an officer confirmed once."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    signature = models.CharField(max_length=32)
    headers = models.JSONField(_("columns"))
    mapping = models.JSONField(_("fields"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("manifest layout")
        verbose_name_plural = _("manifest layouts")
        constraints = [models.UniqueConstraint(fields=["agency", "signature"], name="manifest_source_unique")]

    def mapping_for(self, headers: list[str]) -> list[str]:
        """The confirmed field of each column of a file with these headers, in its own order (two
        columns with the same header keep their order: the first "Apellido" stays the first)."""
        seen: dict[str, int] = {}
        fields: dict[tuple[str, int], str] = {}
        for header, name in zip(self.headers, self.mapping, strict=False):
            fields[(header, seen.get(header, 0))] = str(name)
            seen[header] = seen.get(header, 0) + 1
        seen.clear()
        result = []
        for header in headers:
            result.append(fields.get((header, seen.get(header, 0)), ""))
            seen[header] = seen.get(header, 0) + 1
        return result


class ManifestImport(models.Model):
    """One uploaded file: previewed, then imported (whole, or its valid rows when the user says so)."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("checked, not imported")
        QUEUED = "queued", _("waiting to import")
        RUNNING = "running", _("importing")
        DONE = "done", _("imported")
        FAILED = "failed", _("failed")

    arrival = models.ForeignKey(Arrival, on_delete=models.CASCADE, related_name="imports")
    filename = models.CharField(_("file"), max_length=200)
    sha256 = models.CharField(max_length=64)
    # The file itself until the import is done (a manifest is a few kilobytes of personal data:
    # it is dropped once its rows are in the registry).
    content = models.BinaryField(null=True, editable=False)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=list)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREVIEW)
    valid_only = models.BooleanField(_("valid rows only"), default=False)
    rows_total = models.PositiveIntegerField(default=0)
    rows_bad = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)  # [{row, field, code, value, other_row}], translated when shown
    done = models.PositiveIntegerField(default=0)
    linked = models.PositiveIntegerField(_("linked to known people"), default=0)
    possible = models.PositiveIntegerField(_("possible matches to confirm"), default=0)
    created = models.PositiveIntegerField(_("new people"), default=0)
    skipped = models.PositiveIntegerField(_("already on this arrival"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("manifest import")
        verbose_name_plural = _("manifest imports")

    @property
    def percent(self) -> int:
        rows = self.rows_total - (self.rows_bad if self.valid_only else 0)
        return 100 if not rows else min(100, round(100 * self.done / rows))


class Vulnerability(models.TextChoices):
    UNACCOMPANIED_CHILD = "unaccompanied_child", _("unaccompanied child")
    SEPARATED_CHILD = "separated_child", _("separated child")
    PREGNANT = "pregnant", _("pregnant")
    DISABILITY = "disability", _("person with a disability")
    CHRONIC_ILLNESS = "chronic_illness", _("chronic illness")
    INJURED = "injured", _("injured")
    OLDER_PERSON = "older_person", _("older person")
    VIOLENCE_SURVIVOR = "violence_survivor", _("survivor of violence")
    TRAFFICKING_VICTIM = "trafficking_victim", _("victim of trafficking")
    FEAR_OF_RETURN = "fear_of_return", _("fear of return / displaced by violence")
    LGBTI = "lgbti", _("LGBTI")
    INDIGENOUS = "indigenous", _("indigenous")
    NO_DOCUMENT = "no_document", _("no identity document")
    OTHER = "other", _("other")


class MigrationReason(models.TextChoices):
    ECONOMIC = "economic", _("economic")
    FAMILY = "family", _("family reunification")
    VIOLENCE = "violence", _("insecurity or violence")
    OTHER = "other", _("other")


class ArrivalPerson(models.Model):
    """Someone on an arrival: a manifest row (or a person who came without being on it) and what
    happened at the desk."""

    class Match(models.TextChoices):
        LINKED = "linked", _("known person")
        POSSIBLE = "possible", _("possible match to confirm")
        NEW = "new", _("new in the registry")

    class Presence(models.TextChoices):
        EXPECTED = "expected", _("expected")
        PRESENT = "present", _("present")
        NOT_ARRIVED = "not_arrived", _("did not arrive")

    arrival = models.ForeignKey(Arrival, on_delete=models.CASCADE, related_name="people")
    manifest_import = models.ForeignKey(ManifestImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    manifest_row = models.PositiveIntegerField(_("manifest row"), null=True, blank=True)
    row_key = models.CharField(max_length=32)
    # As the manifest (or the officer) wrote it.
    given_names = models.CharField(_("given names"), max_length=120)
    first_surname = models.CharField(_("first surname"), max_length=80)
    second_surname = models.CharField(_("second surname"), max_length=80, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Person.Sex.choices, default=Person.Sex.UNKNOWN)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_date_precision = models.CharField(
        _("precision of the date of birth"),
        max_length=10,
        choices=Person.BirthDatePrecision.choices,
        default=Person.BirthDatePrecision.EXACT,
    )
    document_number = models.CharField(_("document number"), max_length=40, blank=True)
    document_kind = models.CharField(max_length=20, blank=True)
    nationality = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("nationality")
    )
    listed_unaccompanied = models.BooleanField(_("listed as unaccompanied child"), null=True)
    search_name = models.CharField(max_length=300, editable=False)
    on_manifest = models.BooleanField(_("on the manifest"), default=True)
    # The registry: the person this is, or the candidate the matcher was unsure about.
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="arrivals", verbose_name=_("person"))
    match = models.CharField(_("registry"), max_length=10, choices=Match.choices, default=Match.NEW)
    candidate = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    match_probability = models.FloatField(null=True, blank=True)
    known_elsewhere = models.CharField(_("also known at"), max_length=200, blank=True)
    previous_returns = models.JSONField(_("previous returns"), default=list, blank=True)
    presence = models.CharField(_("presence"), max_length=12, choices=Presence.choices, default=Presence.EXPECTED)
    identity_confirmed = models.BooleanField(_("identity confirmed"), default=False)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    travelling_with = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="companions", verbose_name=_("travelling with (adult)")
    )
    relationship = models.CharField(_("relationship to that adult"), max_length=60, blank=True)

    class Meta:
        ordering = ["first_surname", "second_surname", "given_names"]
        verbose_name = _("person on an arrival")
        verbose_name_plural = _("people on an arrival")
        constraints = [models.UniqueConstraint(fields=["arrival", "row_key"], name="arrival_person_once")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_names, self.first_surname, self.second_surname) if p)

    @property
    def age_at_arrival(self) -> int | None:
        return None if self.birth_date is None else max(0, age_on(self.birth_date, self.arrival.day))

    @property
    def is_child(self) -> bool:
        age = self.age_at_arrival
        return age is not None and age < 18

    @property
    def is_repeat(self) -> bool:
        return bool(self.previous_returns)

    @property
    def previous_return_dates(self) -> list[datetime.date]:
        return [datetime.date.fromisoformat(day) for day in self.previous_returns]


class Screening(models.Model):
    """What the desk finds out about someone who arrived: needs, consent, destination."""

    class ConsentMethod(models.TextChoices):
        VERBAL = "verbal", _("verbal, read aloud")
        SIGNED = "signed", _("signed form")
        GUARDIAN = "guardian", _("by parent or guardian")
        AUTHORITY = "authority", _("by the child-protection authority")

    entry = models.OneToOneField(ArrivalPerson, on_delete=models.CASCADE, related_name="screening")
    vulnerabilities = models.JSONField(_("vulnerabilities"), default=list, blank=True)
    vulnerability_other = models.CharField(_("other vulnerability"), max_length=200, blank=True)
    health_needs = models.TextField(_("health needs"), blank=True)
    reasons = models.JSONField(_("reasons for migrating"), default=list, blank=True)
    reason_other = models.CharField(_("other reason"), max_length=200, blank=True)
    destination = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("municipality of destination")
    )
    phone = models.CharField(_("phone"), max_length=24, blank=True)
    consent_assistance = models.BooleanField(_("consents to assistance"), default=False)
    consent_referral = models.BooleanField(_("consents to referral to other institutions"), default=False)
    consent_statistics = models.BooleanField(_("consents to data sharing for statistics"), default=False)
    consent_method = models.CharField(_("how consent was given"), max_length=10, choices=ConsentMethod.choices, blank=True)
    consent_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    medical_required = models.BooleanField(_("medical attention mandatory"), default=False)
    medical_given = models.BooleanField(_("medical attention given"), default=False)
    medical_skip_reason = models.CharField(_("why no medical attention"), max_length=300, blank=True)
    case_needed = models.BooleanField(_("needs a reintegration or protection case"), default=False)
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    screened_at = models.DateTimeField(_("screened at"), default=timezone.now)

    class Meta:
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")

    @property
    def vulnerability_labels(self) -> list[str]:
        return [str(Vulnerability(v).label) for v in self.vulnerabilities if v in Vulnerability.values]


class ChildHandover(models.Model):
    """An unaccompanied child handed to the country's child-protection institution."""

    entry = models.OneToOneField(ArrivalPerson, on_delete=models.CASCADE, related_name="handover")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("receiving institution"))
    receiving_officer = models.CharField(_("receiving officer"), max_length=150)
    handed_over_at = models.DateTimeField(_("handed over at"), default=timezone.now)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("hand-over of a child")
        verbose_name_plural = _("hand-overs of children")


class AssistanceGiven(models.Model):
    """Immediate assistance at the reception centre."""

    class Kind(models.TextChoices):
        FOOD = "food", _("food")
        HYGIENE_KIT = "hygiene_kit", _("hygiene kit")
        PHONE_CALL = "phone_call", _("phone call")
        MEDICAL = "medical", _("medical care")
        PSYCHOLOGICAL_FIRST_AID = "pfa", _("psychological first aid")
        TRANSPORT = "transport", _("transport home")
        LODGING = "lodging", _("emergency lodging")
        OTHER = "other", _("other")

    entry = models.ForeignKey(ArrivalPerson, on_delete=models.CASCADE, related_name="assistance")
    kind = models.CharField(_("assistance"), max_length=12, choices=Kind.choices)
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    note = models.CharField(_("note"), max_length=200, blank=True)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("given by"))
    given_at = models.DateTimeField(_("given at"), default=timezone.now)

    class Meta:
        ordering = ["given_at"]
        verbose_name = _("immediate assistance")
        verbose_name_plural = _("immediate assistance")
