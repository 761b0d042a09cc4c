"""Places, institutions, users, the audit trail and public ids: what every other app stands on."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from retorno.core.permissions import Role


class Country(models.Model):
    """An ISO 3166-1 country, with its name in the three interface languages."""

    code = models.CharField(_("ISO code"), max_length=2, unique=True)
    alpha3 = models.CharField(max_length=3, unique=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_fr = models.CharField(_("name (French)"), max_length=100)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True, help_text=_("IANA name, e.g. America/El_Salvador"))
    is_operating = models.BooleanField(_("Retorno operates here"), default=False)

    class Meta:
        ordering = ["name_es"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        lang = (get_language() or "es")[:2]
        return str(getattr(self, f"name_{lang}", "") or self.name_es)


class AdminArea(models.Model):
    """A first-level (department) or second-level (municipality) subdivision."""

    class Level(models.IntegerChoices):
        DEPARTMENT = 1, _("department / state")
        MUNICIPALITY = 2, _("municipality")

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="admin_areas", verbose_name=_("country"))
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("part of"))
    code = models.CharField(_("code"), max_length=20, unique=True, help_text=_("ISO 3166-2 for departments, P-code for municipalities"))
    pcode = models.CharField(_("P-code"), max_length=20, blank=True, db_index=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["country__code", "level", "name"]
        verbose_name = _("administrative area")
        verbose_name_plural = _("administrative areas")
        indexes = [models.Index(fields=["country", "level", "name"])]

    def __str__(self) -> str:
        if self.parent is not None and self.level == self.Level.MUNICIPALITY:
            return f"{self.name}, {self.parent.name}"
        return self.name


class PointOfEntry(models.Model):
    class Kind(models.TextChoices):
        AIR = "air", _("airport")
        LAND = "land", _("land border")
        SEA = "sea", _("seaport")

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="points_of_entry", verbose_name=_("country"))
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    municipality = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("municipality")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["country__code", "name"]
        verbose_name = _("point of entry")
        verbose_name_plural = _("points of entry")

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """An institution: every record belongs to one."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("government")
        IOM = "iom", _("IOM")
        UN = "un", _("UN agency")
        NGO = "ngo", _("NGO")
        MUNICIPAL = "municipal", _("municipality")

    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("country"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    is_child_protection_authority = models.BooleanField(
        _("child-protection authority of its country"),
        default=False,
        help_text=_("Unaccompanied children are handed over to this institution."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["country__code", "acronym"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(fields=["country", "acronym"], name="agency_acronym_unique_per_country"),
            models.UniqueConstraint(
                fields=["country"],
                condition=models.Q(is_child_protection_authority=True),
                name="one_child_protection_authority_per_country",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.acronym} ({self.country.code})"


class Site(models.Model):
    """Where an agency works: a reception centre, a Window office, an assistance centre."""

    class Kind(models.TextChoices):
        RECEPTION_CENTRE = "reception", _("reception centre")
        INFORMATION_OFFICE = "window", _("information office (Window)")
        ASSISTANCE_CENTRE = "assistance", _("migrant assistance centre")
        SHELTER = "shelter", _("shelter")
        OFFICE = "office", _("office")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="sites", verbose_name=_("agency"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    municipality = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("municipality")
    )
    point_of_entry = models.ForeignKey(
        PointOfEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="sites", verbose_name=_("point of entry")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["agency__acronym", "name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("role", Role.ADMINISTRATOR)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A staff member of one agency with one role; logs in with an e-mail address."""

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("agency"))
    site = models.ForeignKey(Site, on_delete=models.SET_NULL, null=True, blank=True, related_name="users", verbose_name=_("site"))
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    supervisor = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="team", verbose_name=_("supervisor")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_staff(self) -> bool:  # type: ignore[override]
        """Only administrators reach the configuration screens."""
        return self.is_active and self.role == Role.ADMINISTRATOR

    def can(self, action: str) -> bool:
        from retorno.core.permissions import AUTHORITY_ACTIONS, role_can

        if action in AUTHORITY_ACTIONS and not (self.agency_id and self.agency and self.agency.is_child_protection_authority):
            return False
        return self.is_active and role_can(self.role, action)

    @property
    def country(self) -> Country | None:
        return self.agency.country if self.agency_id and self.agency else None


class PublicIdSequence(models.Model):
    """Counters behind ids such as SV-2026-000123 (one per kind, country and year)."""

    kind = models.CharField(max_length=16)
    country_code = models.CharField(max_length=2)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "country_code", "year"], name="public_id_sequence_unique")]


class AuditEvent(models.Model):
    """One read or write of a person's record. Append-only and hash-chained.

    Field *names* are recorded, never values. A search or an export records the ids of
    every record it showed in `records`, so "who accessed this record" includes them. `hash` covers every column and the
    previous event's hash, so an edited or deleted row breaks the chain and
    `manage.py audit_verify` names the first broken link.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        SEARCH = "search", _("searched")
        EXPORT = "export", _("exported")
        MERGE = "merge", _("merged")
        UNMERGE = "unmerge", _("merge undone")
        ACCESS_REQUEST = "access_request", _("asked for access")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("user"))
    user_email = models.CharField(_("user"), max_length=254)
    agency_acronym = models.CharField(_("agency"), max_length=30, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    object_type = models.CharField(_("record type"), max_length=40)
    object_id = models.CharField(_("record"), max_length=40, blank=True, db_index=True)
    fields = models.JSONField(_("fields"), default=list, blank=True)
    # Searches and exports touch many records: their ids, comma-delimited (",SV-2026-000001,SV-2026-000002,").
    records = models.TextField(_("records shown"), blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["user", "-at"]), models.Index(fields=["object_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_email} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("Audit events are append-only")


class AuditChainHead(models.Model):
    """A single row that serialises appends to the chain and remembers its tip,
    so that deleting the newest events is detected too."""

    last_event_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)


class ApiToken(models.Model):
    """A personal API token. Only a digest is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Notification(models.Model):
    """A message in a user's in-app inbox. It names records by their ids and a link, never by a
    person's name: what it says is set by `kind` and translated when shown (core.notifications)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
    params = models.JSONField(default=dict)
    url = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"])]
