"""People and their identity documents.

Created and changed only through `registry.services`; read only through
`registry.selectors`, which apply the user's scope and write the audit trail.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.core.models import AdminArea, Agency, Country


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Completed years on `day`."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def born_between(day: datetime.date, low: int | None, high: int | None) -> models.Q:
    """People whose age on `day` is within [low, high] (either end open when None), as a filter."""
    condition = models.Q()
    if low is not None:
        condition &= models.Q(birth_date__lte=_years_before(day, low))
    if high is not None:
        condition &= models.Q(birth_date__gt=_years_before(day, high + 1))
    return condition


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def estimated_birth_date(age: int, day: datetime.date) -> datetime.date:
    """An age known on `day` as a date of birth: 1 July of the year it gives (precision "estimated")."""
    return datetime.date(day.year - age - ((day.month, day.day) < (7, 1)), 7, 1)


class Language(models.Model):
    """ISO 639-3 language, including the indigenous languages of the region."""

    code = models.CharField(_("ISO 639-3 code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=80)
    is_indigenous = models.BooleanField(_("indigenous language"), default=False)

    class Meta:
        ordering = ["-is_indigenous", "name"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return self.name


class EthnicGroup(models.Model):
    """An ethnic group or indigenous people as the national census names it."""

    name = models.CharField(_("name"), max_length=80)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("country"))
    is_indigenous = models.BooleanField(_("indigenous people"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("ethnic group or people")
        verbose_name_plural = _("ethnic groups and peoples")
        constraints = [models.UniqueConstraint(fields=["name", "country"], name="ethnic_group_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.country.code})" if self.country_id and self.country else self.name


class Person(models.Model):
    class Sex(models.TextChoices):
        FEMALE = "F", _("female")
        MALE = "M", _("male")
        INTERSEX = "X", _("intersex")
        UNKNOWN = "U", _("not recorded")

    class BirthDatePrecision(models.TextChoices):
        EXACT = "day", _("exact date")
        MONTH = "month", _("month and year known")
        YEAR = "year", _("year known")
        ESTIMATED = "estimated", _("estimated from apparent age")

    public_id = models.CharField(_("Retorno id"), max_length=24, unique=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="people", verbose_name=_("registering agency"))
    given_names = models.CharField(_("given names"), max_length=120)
    first_surname = models.CharField(_("first surname"), max_length=80)
    second_surname = models.CharField(_("second surname"), max_length=80, blank=True)
    known_as = models.CharField(_("known as"), max_length=120, blank=True, help_text=_("Nickname or other name used"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_date_precision = models.CharField(
        _("precision of the date of birth"), max_length=10, choices=BirthDatePrecision.choices, default=BirthDatePrecision.EXACT
    )
    nationality = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("nationality")
    )
    languages = models.ManyToManyField(Language, blank=True, related_name="+", verbose_name=_("languages"))
    ethnic_group = models.ForeignKey(
        EthnicGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("ethnicity or people")
    )
    municipality_of_origin = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("municipality of origin")
    )
    # Accent- and case-folded names for search, and the record-linkage blocking keys (phonetic
    # codes of the first given name and of each surname, year of birth); maintained by the services.
    search_name = models.CharField(max_length=400, editable=False, db_index=True)
    bk_given = models.CharField(max_length=8, editable=False, blank=True)
    bk_first = models.CharField(max_length=8, editable=False, blank=True)
    bk_second = models.CharField(max_length=8, editable=False, blank=True)
    # The names as the matcher normalises them (tokens joined by spaces), so that comparing a
    # fetched candidate costs no normalisation.
    norm_given = models.CharField(max_length=200, editable=False, blank=True)
    norm_first = models.CharField(max_length=120, editable=False, blank=True)
    norm_second = models.CharField(max_length=120, editable=False, blank=True)
    birth_year = models.PositiveSmallIntegerField(null=True, editable=False)
    # Set when a reviewer merged this record into another (the survivor); the row stays, so the
    # merge can be undone, and its old id leads to the survivor.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="merged_people",
        verbose_name=_("merged into"),
        db_index=False,  # a full index would tempt SQLite's planner to read every live record by it (IS NULL)
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False)

    class Meta:
        ordering = ["first_surname", "second_surname", "given_names"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            models.Index(fields=["agency", "first_surname"]),
            models.Index(fields=["bk_first", "birth_year"], name="person_block_first_year"),
            models.Index(fields=["bk_given", "bk_first"], name="person_block_given_first"),
            models.Index(fields=["bk_given", "bk_second"], name="person_block_given_second"),
            models.Index(fields=["bk_second", "bk_first"], name="person_block_swapped"),
            models.Index(fields=["birth_date", "bk_given"], name="person_block_birth_given"),
            models.Index(fields=["merged_into"], condition=models.Q(merged_into__isnull=False), name="person_merged"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_names, self.first_surname, self.second_surname) if p)

    def age_on(self, day: datetime.date) -> int | None:
        return None if self.birth_date is None else age_on(self.birth_date, day)

    @property
    def age(self) -> int | None:
        return self.age_on(timezone.localdate())

    @property
    def is_child(self) -> bool:
        age = self.age
        return age is not None and age < 18

    @property
    def birth_date_is_estimated(self) -> bool:
        return self.birth_date_precision != self.BirthDatePrecision.EXACT


class IdentityDocument(models.Model):
    class Kind(models.TextChoices):
        NATIONAL_ID = "national_id", _("national identity card (DUI, DNI, DPI, cédula)")
        PASSPORT = "passport", _("passport")
        BIRTH_CERTIFICATE = "birth_certificate", _("birth certificate")
        CONSULAR_ID = "consular_id", _("consular identity card")
        TRAVEL_DOCUMENT = "travel_document", _("travel or return document")
        OTHER = "other", _("other")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents", verbose_name=_("person"))
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=40)
    number_normalized = models.CharField(max_length=40, editable=False, db_index=True)
    issuing_country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("issuing country"))

    class Meta:
        ordering = ["kind"]
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")
        constraints = [models.UniqueConstraint(fields=["person", "kind", "number_normalized"], name="document_unique_per_person")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class MatchModel(models.Model):
    """A trained record-linkage model: its parameters, when and on what it was trained, and the
    thresholds an administrator may change. One is active; old versions stay for the record."""

    version = models.CharField(_("version"), max_length=40, unique=True)
    trained_at = models.DateTimeField(_("trained at"))
    source = models.CharField(_("trained on"), max_length=200)
    parameters = models.JSONField(_("parameters"))
    same_threshold = models.FloatField(
        _("“same person” from probability"), help_text=_("Pairs at or above this probability are the same person.")
    )
    possible_threshold = models.FloatField(
        _("“possible match” from probability"), help_text=_("Pairs at or above this probability are shown for a person to decide.")
    )
    is_active = models.BooleanField(_("active"), default=False)

    class Meta:
        ordering = ["-trained_at"]
        verbose_name = _("matching model")
        verbose_name_plural = _("matching models")
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=models.Q(is_active=True), name="one_active_match_model"),
            models.CheckConstraint(
                condition=models.Q(possible_threshold__gt=0, possible_threshold__lt=models.F("same_threshold"), same_threshold__lt=1),
                name="match_thresholds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.version


class AccessRequest(models.Model):
    """A user asks the institution that registered a person for access to that record (found as a
    possible match outside their scope). A supervisor there grants or refuses; a grant lets the
    requesting user see the record until it expires."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        GRANTED = "granted", _("granted")
        REFUSED = "refused", _("refused")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="access_requests", verbose_name=_("person"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_requests", verbose_name=_("requested by")
    )
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("access until"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        indexes = [models.Index(fields=["requested_by", "status", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.person.public_id} ← {self.requested_by}"


class DedupRun(models.Model):
    """One search for duplicates across the whole registry, with its progress and checkpoint.

    The work is cut into chunks of candidate pairs, rule by blocking rule; after each chunk the
    pairs found are saved with the position reached, so an interrupted run carries on where it
    stopped. Only counts are kept here, never names."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting to start")
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")
        FAILED = "failed", _("failed")
        ABANDONED = "abandoned", _("abandoned")

    class Trigger(models.TextChoices):
        COMMAND = "command", _("command line")
        PAGE = "page", _("started from the review page")
        SCHEDULE = "schedule", _("scheduled")

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    trigger = models.CharField(_("started by"), max_length=10, choices=Trigger.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("requested by")
    )
    model_version = models.CharField(_("matching model"), max_length=40)
    upto_person = models.BigIntegerField(default=0, help_text="people with a lower or equal primary key are compared")
    people = models.PositiveIntegerField(_("people compared"), default=0)
    stage = models.CharField(_("stage"), max_length=12, blank=True)
    rule = models.PositiveSmallIntegerField(default=0)  # checkpoint: next blocking rule ...
    chunk = models.PositiveIntegerField(default=0)  # ... and next chunk of that rule
    done_weight = models.BigIntegerField(default=0)
    total_weight = models.BigIntegerField(default=0)
    pairs_compared = models.BigIntegerField(_("pairs compared"), default=0)
    pairs_found = models.PositiveIntegerField(_("possible duplicates found"), default=0)
    clusters = models.PositiveIntegerField(_("groups found"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    resumed = models.PositiveSmallIntegerField(_("times resumed"), default=0)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("search for duplicates")
        verbose_name_plural = _("searches for duplicates")

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_status_display()}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.FINISHED:
            return 100
        return int(100 * self.done_weight / self.total_weight) if self.total_weight else 0

    OPEN = (Status.QUEUED, Status.RUNNING)  # waiting for a worker, or being run

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class DuplicatePair(models.Model):
    """Two records the matcher thinks may be one person, waiting for (or after) a reviewer's
    decision. `left` has the lower primary key; a pair is stored once, so a pair marked
    "not the same person" is never proposed again."""

    class Status(models.TextChoices):
        PENDING = "pending", _("to review")
        MERGED = "merged", _("merged")
        DIFFERENT = "different", _("not the same person")

    left = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("first record"))
    right = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("second record"))
    probability = models.FloatField(_("probability"))
    run = models.ForeignKey(DedupRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="pairs")
    cluster = models.BigIntegerField(default=0, db_index=True)  # the lowest person pk of its group
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-probability", "pk"]
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="duplicate_pair_once"),
            models.CheckConstraint(condition=models.Q(left__lt=models.F("right")), name="duplicate_pair_ordered"),
        ]
        indexes = [models.Index(fields=["status", "cluster"])]

    def __str__(self) -> str:
        return f"{self.left_id}–{self.right_id} ({self.probability:.3f})"


class PersonMerge(models.Model):
    """A reviewer merged `merged` into `survivor`: what moved and what changed, so that the merge
    can be undone exactly. Values are kept here (not in the audit trail, which names fields only)."""

    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges", verbose_name=_("record kept"))
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merged_by", verbose_name=_("record merged"))
    pair = models.ForeignKey(DuplicatePair, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    merged_by_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("merged by"))
    merged_at = models.DateTimeField(_("merged at"), default=timezone.now)
    # {field: [value before, value taken from the merged record]} for identity fields the reviewer took.
    fields_taken = models.JSONField(default=dict)
    # {"app_label.model": [pks]} of the linked records moved to the survivor, and languages added.
    moved = models.JSONField(default=dict)
    languages_added = models.JSONField(default=list)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("undone by")
    )
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)

    class Meta:
        ordering = ["-merged_at", "-pk"]
        verbose_name = _("merge of records")
        verbose_name_plural = _("merges of records")

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.survivor_id}"
