"""The documented person CSV of `manage.py match_csv`.

Columns (header row required, any order, extra columns ignored, every value may be empty):
id, given_names, first_surname, second_surname, sex, birth_date, document_number, municipality,
department, address. `sex` is F or M; `birth_date` is yyyy-mm-dd or dd/mm/yyyy, and a bare year
(yyyy) is read as a year of birth. UTF-8 (with or without BOM) or Windows-1252.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from pathlib import Path

from retorno.registry.linkage.records import EXACT, YEAR, Record

COLUMNS = (
    "id",
    "given_names",
    "first_surname",
    "second_surname",
    "sex",
    "birth_date",
    "document_number",
    "municipality",
    "department",
    "address",
)


class CsvError(ValueError):
    """A problem in the file, with its line number."""


def _date(value: str, line: int) -> tuple[datetime.date | None, str]:
    value = value.strip()
    if not value:
        return None, EXACT
    try:
        if len(value) == 4 and value.isdigit():
            return datetime.date(int(value), 1, 1), YEAR
        if "/" in value:
            day, month, year = (int(x) for x in value.split("/"))
            return datetime.date(year, month, day), EXACT
        return datetime.date.fromisoformat(value), EXACT
    except ValueError:
        raise CsvError(f"line {line}: the date of birth {value!r} does not exist or is not yyyy-mm-dd / dd/mm/yyyy") from None


def read_person_csv(path: Path | str) -> list[Record]:
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = {name.strip().lower() for name in reader.fieldnames or []}
    if "id" not in fields:
        raise CsvError("the header must have an 'id' column (and some of: " + ", ".join(COLUMNS[1:]) + ")")
    records = []
    seen: set[str] = set()
    for line, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        record_id = row.get("id", "")
        if not record_id:
            raise CsvError(f"line {line}: the id is empty")
        if record_id in seen:
            raise CsvError(f"line {line}: the id {record_id!r} appears twice")
        seen.add(record_id)
        birth, precision = _date(row.get("birth_date", ""), line)
        records.append(
            Record(
                id=record_id,
                given_names=row.get("given_names", ""),
                first_surname=row.get("first_surname", ""),
                second_surname=row.get("second_surname", ""),
                sex=row.get("sex", ""),
                birth_date=birth,
                birth_precision=precision,
                document_number=row.get("document_number", ""),
                municipality=row.get("municipality", ""),
                department=row.get("department", ""),
                address=row.get("address", ""),
            )
        )
    return records


def write_pairs(path: Path | str, pairs: Iterable[tuple[str, str, float]]) -> int:
    count = 0
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["left_id", "right_id", "score"])
        for left, right, score in pairs:
            writer.writerow([left, right, f"{score:.6f}"])
            count += 1
    return count
