"""Writes of the core app: places, public ids, API tokens."""

from __future__ import annotations

import csv
import gettext
import hashlib
import io
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pycountry
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from retorno.core.models import AdminArea, ApiToken, Country, PointOfEntry, PublicIdSequence, User
from retorno.core.text import fold

DATA_DIR = Path(__file__).resolve().parent / "data"
OPERATING_COUNTRIES = ("SV", "HN", "GT", "CO")
# Countries people are returned from or to; the rest keep an empty zone (shown in UTC).
TIME_ZONES = {
    "SV": "America/El_Salvador",
    "HN": "America/Tegucigalpa",
    "GT": "America/Guatemala",
    "CO": "America/Bogota",
    "MX": "America/Mexico_City",
    "US": "America/New_York",
    "VE": "America/Caracas",
    "NI": "America/Managua",
    "CR": "America/Costa_Rica",
    "PA": "America/Panama",
}


# Corrections to pycountry's Spanish catalogue where it is wrong or not translated.
SPANISH_NAME_FIXES = {"DZ": "Argelia", "BF": "Burkina Faso", "CI": "Costa de Marfil"}


# --- Places -------------------------------------------------------------------


@transaction.atomic
def places_load_countries() -> int:
    """Create or refresh every ISO 3166-1 country with Spanish, English and French names,
    and the first-level subdivisions of the countries Retorno operates in."""
    translations = {lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True) for lang in ("es", "fr")}
    count = 0
    for c in pycountry.countries:
        name_en = getattr(c, "common_name", None) or c.name
        Country.objects.update_or_create(
            code=c.alpha_2,
            defaults={
                "alpha3": c.alpha_3,
                "name_en": name_en,
                "name_es": SPANISH_NAME_FIXES.get(c.alpha_2) or translations["es"].gettext(c.name),
                "name_fr": translations["fr"].gettext(c.name),
                "time_zone": TIME_ZONES.get(c.alpha_2, ""),
                "is_operating": c.alpha_2 in OPERATING_COUNTRIES,
            },
        )
        count += 1
    for code in OPERATING_COUNTRIES:
        country = Country.objects.get(code=code)
        for sub in pycountry.subdivisions.get(country_code=code):  # type: ignore[no-untyped-call]
            if getattr(sub, "parent_code", None):
                continue  # only the first level
            AdminArea.objects.update_or_create(
                code=sub.code, defaults={"country": country, "level": AdminArea.Level.DEPARTMENT, "name": sub.name}
            )
    return count


@dataclass
class PlacesReport:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


HXL_COLUMNS = {
    "#country+code": "country",
    "#adm1+code": "adm1_code",
    "#adm1+name": "adm1_name",
    "#adm2+code": "adm2_code",
    "#adm2+name": "adm2_name",
}


def _hxl_columns(tag_row: list[str]) -> dict[str, int]:
    """Map our fields to column positions by HXL hashtag; attributes in any order (#adm2+name+es)."""
    found: dict[str, int] = {}
    for index, raw in enumerate(tag_row):
        parts = raw.strip().lower().replace(" ", "").split("+")
        if not parts or not parts[0].startswith("#"):
            continue
        for tag, name in HXL_COLUMNS.items():
            want = tag.split("+")
            if parts[0] == want[0] and want[1] in parts[1:] and name not in found:
                found[name] = index
    return found


def places_import_admin2(stream: IO[str]) -> PlacesReport:
    """Load municipalities from an HXL-tagged CSV of P-codes (the COD-AB convention).

    The tag row may be the first or the second line. Departments are matched by name
    (accent-insensitive) within the country; all or nothing: any bad row and nothing is saved.
    """
    rows = list(csv.reader(stream))
    report = PlacesReport()
    tag_index = next((i for i, row in enumerate(rows[:2]) if any(c.strip().startswith("#") for c in row)), None)
    if tag_index is None:
        report.errors.append(_("The file has no HXL hashtag row (#adm2+code, #adm2+name…)."))
        return report
    cols = _hxl_columns(rows[tag_index])
    missing = [tag for tag, name in HXL_COLUMNS.items() if name not in cols]
    if missing:
        report.errors.append(_("Missing HXL columns: %(tags)s.") % {"tags": ", ".join(missing)})
        return report
    departments = {
        (a.country.code, fold(a.name)): a for a in AdminArea.objects.filter(level=AdminArea.Level.DEPARTMENT).select_related("country")
    }
    countries = {c.code: c for c in Country.objects.filter(is_operating=True)}
    with transaction.atomic():
        for line_no, row in enumerate(rows[tag_index + 1 :], start=tag_index + 2):
            if not any(cell.strip() for cell in row):
                continue
            value = {name: row[i].strip() if i < len(row) else "" for name, i in cols.items()}
            country = countries.get(value["country"].upper()[:2])
            if country is None:
                report.errors.append(_("Line %(line)s: unknown country code “%(code)s”.") % {"line": line_no, "code": value["country"]})
                continue
            department = departments.get((country.code, fold(value["adm1_name"])))
            if department is None:
                report.errors.append(
                    _("Line %(line)s: department “%(name)s” is not a department of %(country)s.")
                    % {"line": line_no, "name": value["adm1_name"], "country": country.name}
                )
                continue
            if not value["adm2_code"] or not value["adm2_name"]:
                report.errors.append(_("Line %(line)s: the municipality code and name are required.") % {"line": line_no})
                continue
            if department.pcode != value["adm1_code"]:
                department.pcode = value["adm1_code"]
                department.save(update_fields=["pcode"])
            _obj, created = AdminArea.objects.update_or_create(
                code=value["adm2_code"],
                defaults={
                    "country": country,
                    "level": AdminArea.Level.MUNICIPALITY,
                    "parent": department,
                    "pcode": value["adm2_code"],
                    "name": value["adm2_name"],
                },
            )
            if created:
                report.created += 1
            else:
                report.updated += 1
        if report.errors:
            transaction.set_rollback(True)
            report.created = report.updated = 0
    return report


def points_of_entry_import(stream: IO[str]) -> PlacesReport:
    """Load points of entry from the CSV kept in core/data (country,code,name,kind,adm1_code,municipality)."""
    report = PlacesReport()
    countries = {c.code: c for c in Country.objects.all()}
    with transaction.atomic():
        for line_no, row in enumerate(csv.DictReader(stream), start=2):
            if row["kind"] not in PointOfEntry.Kind.values:
                report.errors.append(_("Line %(line)s: kind must be air, land or sea.") % {"line": line_no})
                continue
            country = countries.get(row["country"])
            if country is None:
                report.errors.append(_("Line %(line)s: unknown country code “%(code)s”.") % {"line": line_no, "code": row["country"]})
                continue
            municipality = AdminArea.objects.filter(
                level=AdminArea.Level.MUNICIPALITY, parent__code=row["adm1_code"], name=row["municipality"]
            ).first()
            _obj, created = PointOfEntry.objects.update_or_create(
                code=row["code"],
                defaults={
                    "country": country,
                    "name": row["name"],
                    "kind": row["kind"],
                    "municipality": municipality,
                },
            )
            report.created += int(created)
            report.updated += int(not created)
        if report.errors:
            transaction.set_rollback(True)
    return report


def places_load_all() -> PlacesReport:
    """Countries, departments, the municipalities and points of entry kept in the repository."""
    places_load_countries()
    with open(DATA_DIR / "admin2.csv", encoding="utf-8-sig", newline="") as f:
        report = places_import_admin2(f)
    if report.errors:
        return report
    with open(DATA_DIR / "points_of_entry.csv", encoding="utf-8-sig", newline="") as f:
        poe = points_of_entry_import(f)
    report.errors += poe.errors
    report.created += poe.created
    report.updated += poe.updated
    return report


def read_uploaded_text(data: bytes) -> io.StringIO:
    """Decode an uploaded CSV: UTF-8 (with or without BOM), else Windows-1252."""
    try:
        return io.StringIO(data.decode("utf-8-sig"), newline="")
    except UnicodeDecodeError:
        return io.StringIO(data.decode("cp1252"), newline="")


# --- Permissions ------------------------------------------------------------------


def require(actor: User, action: str) -> None:
    """A write needs the role's permission and an agency to own what it writes."""
    if not actor.can(action) or actor.agency_id is None:
        raise PermissionDenied


# --- Public ids -----------------------------------------------------------------


def public_id_next(*, kind: str, country_code: str, year: int | None = None, prefix: str = "") -> str:
    """Next human-readable id, e.g. SV-2026-000123 (prefix adds a kind letter: SV-2026-C-000045)."""
    return public_ids_next(kind=kind, country_code=country_code, year=year, prefix=prefix, count=1)[0]


@transaction.atomic
def public_ids_next(*, kind: str, country_code: str, year: int | None = None, prefix: str = "", count: int = 1) -> list[str]:
    """The next `count` ids at once (records registered together, e.g. from a manifest)."""
    year = year or timezone.now().year
    seq, _ = PublicIdSequence.objects.select_for_update().get_or_create(kind=kind, country_code=country_code, year=year)
    first = seq.last + 1
    seq.last += count
    seq.save(update_fields=["last"])
    middle = f"{prefix}-" if prefix else ""
    return [f"{country_code}-{year}-{middle}{n:06d}" for n in range(first, seq.last + 1)]


# --- API tokens -------------------------------------------------------------------


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; the clear value is returned once and never stored."""
    if not user.can("api.token"):
        raise PermissionDenied
    clear = "rt_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name[:80], prefix=clear[:8], digest=token_digest(clear))
    return token, clear


def api_token_revoke(*, user: User, token_id: int) -> None:
    ApiToken.objects.filter(user=user, pk=token_id, revoked_at__isnull=True).update(revoked_at=timezone.now())
