"""Reading a manifest: the list of people the returning authorities send ahead of a flight or bus.

Real files are untidy: CSV saved by Excel in Windows-1252 or UTF-8 with a BOM, semicolons as
separators, headers in Spanish or English with abbreviations ("F. Nac.", "No. documento"),
dates typed as 03/02/2009 or kept as Excel serial numbers, blank lines, trailing spaces.
This module turns such a file into typed rows and a list of row errors (codes, translated
when shown), and does nothing else: no database writes.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rapidfuzz import fuzz, process

from retorno.core.text import fold
from retorno.registry.linkage.normalize import document_normalize
from retorno.registry.models import estimated_birth_date
from retorno.registry.services import NATIONAL_ID_FORMATS, national_id_fits

MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024
EXCEL_EPOCH = datetime.date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's leap-year bug included)

# The fields a manifest column can fill, with their label for the mapping screen.
FIELDS: dict[str, Any] = {
    "given_names": gettext_lazy("Given names"),
    "given_names_2": gettext_lazy("Second given name"),
    "first_surname": gettext_lazy("First surname"),
    "second_surname": gettext_lazy("Second surname"),
    "surnames": gettext_lazy("Surnames (both in one column)"),
    "full_name": gettext_lazy("Full name"),
    "birth_date": gettext_lazy("Date of birth"),
    "age": gettext_lazy("Age"),
    "sex": gettext_lazy("Sex"),
    "document_number": gettext_lazy("Document number"),
    "national_id": gettext_lazy("National identity number (DUI, DNI, DPI, cédula)"),
    "passport": gettext_lazy("Passport number"),
    "nationality": gettext_lazy("Nationality"),
    "unaccompanied": gettext_lazy("Unaccompanied child"),
}

# Header spellings seen on manifests, folded (lower case, no accents, punctuation as spaces).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "given_names": ("nombres", "nombre", "primer nombre", "nombre s", "first name", "given name", "given names", "first names"),
    "given_names_2": ("segundo nombre", "second name", "middle name"),
    "first_surname": ("primer apellido", "apellido paterno", "apellido 1", "apellido", "last name", "surname", "family name"),
    "second_surname": ("segundo apellido", "apellido materno", "apellido 2", "second surname", "second last name", "mother s last name"),
    "surnames": ("apellidos", "last names", "surnames"),
    "full_name": ("nombre completo", "nombres y apellidos", "full name", "name"),
    "birth_date": (
        "fecha de nacimiento",
        "fecha nacimiento",
        "f nac",
        "fec nac",
        "fecha nac",
        "f de nacimiento",
        "nacimiento",
        "date of birth",
        "birth date",
        "birthdate",
        "dob",
    ),
    "age": ("edad", "age", "edad anos", "anos"),
    "sex": ("sexo", "genero", "sex", "gender", "m f"),
    "document_number": (
        "no documento",
        "numero de documento",
        "n documento",
        "nro documento",
        "documento",
        "document number",
        "document",
        "id number",
        "no de documento",
    ),
    "national_id": ("dui", "no dui", "numero de dui", "dni", "dpi", "cui", "cedula", "no cedula", "national id"),
    "passport": ("pasaporte", "no pasaporte", "numero de pasaporte", "passport", "passport number", "passport no"),
    "nationality": ("nacionalidad", "nationality", "pais", "pais de nacionalidad", "country", "citizenship", "country of citizenship"),
    "unaccompanied": (
        "menor no acompanado",
        "nna no acompanado",
        "no acompanado",
        "menor no acompanada",
        "unaccompanied",
        "unaccompanied minor",
        "unaccompanied child",
        "uac",
    ),
}
_SYNONYM_FIELD = {syn: name for name, syns in SYNONYMS.items() for syn in syns}

SEX_VALUES = {
    "F": ("f", "femenino", "mujer", "female", "woman", "fem"),
    "M": ("m", "masculino", "hombre", "h", "male", "man", "masc", "varon"),
    "X": ("x", "intersexual", "intersex"),
    "U": ("", "nr", "no registrado", "unknown", "desconocido", "u"),
}
_SEX = {v: code for code, values in SEX_VALUES.items() for v in values}
YES = {"si", "s", "yes", "y", "x", "true", "verdadero", "1", "v"}
NO = {"no", "n", "false", "falso", "0", ""}
# Demonyms of the region, as officers type them in the nationality column.
DEMONYMS = {
    "salvadorena": "SV",
    "salvadoreno": "SV",
    "salvadorean": "SV",
    "salvadoran": "SV",
    "hondurena": "HN",
    "hondureno": "HN",
    "honduran": "HN",
    "guatemalteca": "GT",
    "guatemalteco": "GT",
    "guatemalan": "GT",
    "mexicana": "MX",
    "mexicano": "MX",
    "mexican": "MX",
    "colombiana": "CO",
    "colombiano": "CO",
    "colombian": "CO",
    "nicaraguense": "NI",
    "nicaraguan": "NI",
    "venezolana": "VE",
    "venezolano": "VE",
    "venezuelan": "VE",
    "ecuatoriana": "EC",
    "ecuatoriano": "EC",
    "ecuadorian": "EC",
}
DATE_PATTERNS = (
    (re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$"), ("y", "m", "d")),
    (re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"), ("y", "m", "d")),
)


class ManifestError(Exception):
    """The file cannot be read at all (not a CSV or XLSX, empty, too large)."""


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    code: str
    value: str = ""
    other_row: int = 0
    hint: str = ""

    def message(self) -> str:
        return row_error_message(self)


@dataclass
class ManifestRow:
    number: int  # the row number the user sees in the spreadsheet (header = 1)
    given_names: str = ""
    first_surname: str = ""
    second_surname: str = ""
    sex: str = "U"
    birth_date: datetime.date | None = None
    birth_precision: str = "day"
    document_number: str = ""
    document_kind: str = ""
    nationality: str = ""  # ISO 3166-1 alpha-2
    unaccompanied: bool | None = None

    @property
    def key(self) -> str:
        """The same person on the same manifest, whatever the file's spelling of accents and spaces."""
        parts = (
            fold(self.given_names),
            fold(self.first_surname),
            fold(self.second_surname),
            self.birth_date.isoformat() if self.birth_date else "",
            document_normalize(self.document_number),
        )
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


@dataclass
class Manifest:
    headers: list[str]
    mapping: list[str]  # the field of each column ("" = ignored)
    rows: list[ManifestRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    blank_rows: int = 0
    date_order: str = "dmy"  # how ambiguous dates such as 03/02/2009 were read

    @property
    def signature(self) -> str:
        return header_signature(self.headers)

    @property
    def bad_rows(self) -> set[int]:
        return {e.row for e in self.errors if e.row}

    @property
    def valid_rows(self) -> list[ManifestRow]:
        bad = self.bad_rows
        return [r for r in self.rows if r.number not in bad]


def row_error_message(error: RowError) -> str:
    """The reason a row was refused, in the active language, starting with its row number."""
    value = error.value
    reasons = {
        "date_impossible": _("the date of birth %(value)s does not exist"),
        "date_format": _("the date of birth “%(value)s” is not a date (write dd/mm/yyyy)"),
        "date_future": _("the date of birth %(value)s is in the future"),
        "date_too_old": _("the date of birth %(value)s is more than 120 years ago"),
        "age": _("the age “%(value)s” is not a number of years between 0 and 120"),
        "sex": _("the sex “%(value)s” is not one of F, M, X or blank"),
        "nationality": _("the nationality “%(value)s” is not a known country"),
        "unaccompanied": _("“%(value)s” in the unaccompanied-child column should be yes or no"),
        "given_names": _("the given names are missing"),
        "first_surname": _("the surname is missing"),
        "too_long": _("the value “%(value)s” is too long"),
        "repeated": _("repeats row %(other)s (same name, date of birth and document)"),
        "national_id": _("the identity number “%(value)s” is not written as this country's (%(hint)s)"),
    }
    reason = reasons.get(error.code, error.code) % {"value": value, "other": error.other_row, "hint": error.hint}
    if not error.row:
        return reason[:1].upper() + reason[1:]
    return _("Row %(row)s: %(reason)s") % {"row": error.row, "reason": reason}


def normalize_header(header: Any) -> str:
    text = fold(str(header if header is not None else ""))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def header_signature(headers: Sequence[str]) -> str:
    """Identifies a source's layout: the same columns in any order give the same signature."""
    names = sorted(normalize_header(h) for h in headers if normalize_header(h))
    return hashlib.sha256("|".join(names).encode()).hexdigest()[:32]


def guess_field(header: str) -> str:
    """The field a header most probably means ("" when none is close enough)."""
    name = normalize_header(header)
    if not name:
        return ""
    if name in _SYNONYM_FIELD:
        return _SYNONYM_FIELD[name]
    best = process.extractOne(name, list(_SYNONYM_FIELD), scorer=fuzz.ratio, score_cutoff=86)
    return _SYNONYM_FIELD[best[0]] if best else ""


# A second column with the same meaning: "Apellido", "Apellido" are the first and second surname.
SECOND_OF = {"first_surname": "second_surname", "given_names": "given_names_2"}


def guess_mapping(headers: Sequence[str]) -> list[str]:
    """One field per column; a field already taken by an earlier column is not used twice."""
    taken: set[str] = set()
    mapping = []
    for header in headers:
        name = guess_field(header)
        if name in taken:
            name = SECOND_OF.get(name, "")
            name = "" if name in taken else name
        taken.add(name)
        mapping.append(name)
    return mapping


# --- reading the file -----------------------------------------------------------------


def _decode(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _csv_rows(content: bytes) -> list[list[Any]]:
    text = _decode(content).replace("\x00", "")
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    try:
        delimiter = csv.Sniffer().sniff("\n".join(lines[:10])[:65536], delimiters=",;\t|").delimiter
    except csv.Error:  # one column, or a long title line: the separator the header line uses most
        counts = {d: max((line.count(d) for line in lines[:5]), default=0) for d in ",;\t|"}
        delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    try:
        return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as error:
        raise ManifestError(_("The file could not be read as a list (CSV): save it again from the spreadsheet as CSV or .xlsx.")) from error


def _xlsx_rows(content: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several kinds for a damaged or foreign file
        raise ManifestError(_("The spreadsheet could not be opened: save it again as .xlsx or .csv.")) from error
    try:
        sheet = book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def read_table(content: bytes, filename: str) -> list[list[Any]]:
    if not content:
        raise ManifestError(_("The file is empty."))
    if len(content) > MAX_BYTES:
        raise ManifestError(_("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
    name = filename.lower()
    if content.startswith(b"PK\x03\x04") or name.endswith((".xlsx", ".xlsm")):
        return _xlsx_rows(content)
    if content.startswith(b"\xd0\xcf\x11\xe0") or name.endswith(".xls"):
        raise ManifestError(_("Old Excel files (.xls) cannot be read: save the file as .xlsx or .csv."))
    return _csv_rows(content)


def _blank(row: Sequence[Any]) -> bool:
    return all(c is None or str(c).strip() == "" for c in row)


# --- values ----------------------------------------------------------------------------


DAY_FIRST, MONTH_FIRST = "dmy", "mdy"
ENGLISH_BIRTH_HEADERS = {"date of birth", "birth date", "birthdate", "dob"}


def date_order(values: Iterable[Any], header: str) -> str:
    """Whether a column writes 03/02/2009 as 3 February (day first, the region's way) or as March 2
    (month first, as US manifests do): a day above 12 in either place decides; with no such
    value, an English header means month first."""
    day_first = month_first = False
    for value in values:
        match = DATE_PATTERNS[0][0].match(str(value).strip()) if isinstance(value, str) else None
        if match:
            first, second = int(match.group(1)), int(match.group(2))
            day_first |= first > 12
            month_first |= second > 12
    if month_first and not day_first:
        return MONTH_FIRST
    if not day_first and normalize_header(header) in ENGLISH_BIRTH_HEADERS:
        return MONTH_FIRST
    return DAY_FIRST


def parse_date(value: Any, today: datetime.date, order: str = DAY_FIRST) -> tuple[datetime.date | None, str]:
    """A date of birth and the error code ("" when fine, or when the cell is empty)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, ""
    if isinstance(value, datetime.datetime):
        found: datetime.date | None = value.date()
    elif isinstance(value, datetime.date):
        found = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        found = _serial(float(value))
        if found is None:
            return None, "date_format"
    else:
        text = str(value).strip()
        if re.fullmatch(r"\d{5}(\.0+)?", text):  # an Excel serial (10000 is 1927); a year alone is no date
            found = _serial(float(text))
            if found is None:
                return None, "date_format"
        else:
            found = None
            for pattern, fields in DATE_PATTERNS:
                match = pattern.match(text)
                if match:
                    if fields == ("d", "m", "y") and order == MONTH_FIRST:
                        fields = ("m", "d", "y")
                    parts = dict(zip(fields, (int(g) for g in match.groups()[:3]), strict=True))
                    try:
                        found = datetime.date(parts["y"], parts["m"], parts["d"])
                    except ValueError:
                        return None, "date_impossible"
                    break
            if found is None:
                return None, "date_format"
    if found is None:
        return None, "date_format"
    if found > today:
        return None, "date_future"
    if found < today - datetime.timedelta(days=365 * 120):
        return None, "date_too_old"
    return found, ""


def _serial(number: float) -> datetime.date | None:
    if not 1 <= number < 2958466:  # Excel's last day is 9999-12-31
        return None
    return EXCEL_EPOCH + datetime.timedelta(days=int(number))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a document number stored as a number in Excel
    return " ".join(str(value).split())


SURNAME_PARTICLES = {"de", "del", "la", "las", "los", "y", "san", "santa", "van", "von", "da", "di"}


def split_surnames(text: str) -> tuple[str, str]:
    """ "De León Pérez" -> ("De León", "Pérez"): particles stay with the surname they introduce."""
    words = text.split()
    taken = 0
    while taken < len(words) - 1 and fold(words[taken]) in SURNAME_PARTICLES:
        taken += 1
    return " ".join(words[: taken + 1]), " ".join(words[taken + 1 :])


def _split_full_name(text: str) -> tuple[str, str, str]:
    """ "APELLIDOS, NOMBRES" or "Nombres Apellido1 Apellido2" (the last two words as surnames)."""
    if "," in text:
        surnames, given = (p.strip() for p in text.split(",", 1))
        first, second = split_surnames(surnames)
        return given, first, second
    words = text.split()
    if len(words) >= 4:
        return " ".join(words[:-2]), words[-2], words[-1]
    if len(words) == 3:
        return words[0], words[1], words[2]
    if len(words) == 2:
        return words[0], words[1], ""
    return text, "", ""


def country_lookup(countries: Iterable[tuple[str, str, str, str, str]]) -> dict[str, str]:
    """Folded names, ISO codes and demonyms -> ISO alpha-2, from (code, alpha3, name_es, name_en, name_fr)."""
    lookup = dict(DEMONYMS)
    for code, alpha3, *names in countries:
        lookup[code.lower()] = code
        lookup[alpha3.lower()] = code
        for name in names:
            lookup[normalize_header(name)] = code
    lookup.update({"usa": "US", "eeuu": "US", "ee uu": "US", "estados unidos": "US"})
    return lookup


def _row(
    number: int,
    values: dict[str, Any],
    countries: dict[str, str],
    today: datetime.date,
    order: str = DAY_FIRST,
    age_on: datetime.date | None = None,
) -> tuple[ManifestRow, list[RowError]]:
    row = ManifestRow(number=number)
    errors: list[RowError] = []

    def fail(name: str, code: str, value: Any = "", hint: str = "") -> None:
        errors.append(RowError(row=number, field=name, code=code, value=_text(value), hint=hint))

    given = _text(values.get("given_names"))
    if values.get("given_names_2"):
        given = f"{given} {_text(values['given_names_2'])}".strip()
    first, second = _text(values.get("first_surname")), _text(values.get("second_surname"))
    if values.get("surnames") and not first:
        first, rest = split_surnames(_text(values["surnames"]))
        second = second or rest
    if values.get("full_name") and not (given and first):
        given_f, first_f, second_f = _split_full_name(_text(values["full_name"]))
        given, first, second = given or given_f, first or first_f, second or second_f
    row.given_names, row.first_surname, row.second_surname = given, first, second
    if not given:
        fail("given_names", "given_names")
    if not first:
        fail("first_surname", "first_surname")
    for name, limit in (("given_names", 120), ("first_surname", 80), ("second_surname", 80)):
        if len(getattr(row, name)) > limit:
            fail(name, "too_long", getattr(row, name)[:40] + "…")

    sex = _SEX.get(normalize_header(values.get("sex")))
    if sex is None:
        fail("sex", "sex", values.get("sex"))
    else:
        row.sex = sex

    birth, problem = parse_date(values.get("birth_date"), today, order)
    if problem:
        fail("birth_date", problem, values.get("birth_date"))
    row.birth_date = birth
    age_text = _text(values.get("age"))
    if birth is None and age_text and not problem:
        if re.fullmatch(r"\d{1,3}", age_text) and int(age_text) <= 120:
            # An age alone (on the day of the arrival): born in that year's middle, as the registry estimates it.
            row.birth_date = estimated_birth_date(int(age_text), age_on or today)
            row.birth_precision = "estimated"
        else:
            fail("age", "age", age_text)

    nationality = normalize_header(values.get("nationality"))
    if nationality:
        code = countries.get(nationality)
        if code is None:
            fail("nationality", "nationality", values.get("nationality"))
        else:
            row.nationality = code

    for name, kind in (("national_id", "national_id"), ("passport", "passport"), ("document_number", "")):
        doc = _text(values.get(name))
        if not doc or row.document_number:
            continue
        row.document_number = doc[:40]
        fits = national_id_fits(doc, row.nationality) if row.nationality else None
        if kind == "national_id" and fits is False:
            fail(name, "national_id", doc, hint=NATIONAL_ID_FORMATS[row.nationality][1])
        # A column that does not say which document: the national number when it is written as one.
        row.document_kind = kind or ("national_id" if fits else "other")

    flag = normalize_header(values.get("unaccompanied"))
    if flag in YES:
        row.unaccompanied = True
    elif flag in NO:
        row.unaccompanied = False if flag else None
    else:
        fail("unaccompanied", "unaccompanied", values.get("unaccompanied"))
    return row, errors


def parse(
    content: bytes,
    filename: str,
    *,
    countries: dict[str, str],
    mapping: Sequence[str] | None = None,
    today: datetime.date | None = None,
    age_on: datetime.date | None = None,
) -> Manifest:
    """Read and check every row. `mapping` (one field per column) overrides the guess; an age
    column is counted on `age_on` (the day of the arrival; today by default)."""
    table = read_table(content, filename)
    filled = [i for i, row in enumerate(table[:50]) if not _blank(row)]
    if not filled:
        raise ManifestError(_("The file has no rows."))
    # The header row: the first that names at least two known fields (a title line may come first).
    start = next((i for i in filled[:10] if sum(1 for f in guess_mapping([_text(h) for h in table[i]]) if f) >= 2), filled[0])
    headers = [_text(h) for h in table[start]]
    while headers and not headers[-1]:
        headers.pop()
    used = list(mapping) if mapping is not None else guess_mapping(headers)
    used = (used + [""] * len(headers))[: len(headers)]
    manifest = Manifest(headers=headers, mapping=used)
    if not any(used):
        raise ManifestError(_("No column of this file is recognised as a name, date of birth or document: check the header row."))
    body = table[start + 1 :]
    if len(body) > MAX_ROWS:
        raise ManifestError(_("The file has more than %(n)s rows.") % {"n": MAX_ROWS})
    today = today or datetime.date.today()
    column = used.index("birth_date") if "birth_date" in used else None
    if column is not None:
        manifest.date_order = date_order((cells[column] for cells in body if column < len(cells)), headers[column])
    seen: dict[str, int] = {}
    for offset, cells in enumerate(body):
        number = start + offset + 2
        if _blank(cells):
            manifest.blank_rows += 1
            continue
        values = {name: cells[i] for i, name in enumerate(used) if name and i < len(cells)}
        row, errors = _row(number, values, countries, today, manifest.date_order, age_on)
        if not errors:
            earlier = seen.setdefault(row.key, number)
            if earlier != number:
                errors.append(RowError(row=number, field="", code="repeated", other_row=earlier))
        manifest.rows.append(row)
        manifest.errors.extend(errors)
    return manifest
