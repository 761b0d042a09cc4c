"""The record the linkage code works on, and its prepared (normalised) form."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from retorno.core.text import fold
from retorno.registry.linkage.normalize import document_normalize, given_name_tokens, surname_tokens
from retorno.registry.linkage.phonetic import phonetic

# Precisions of a date of birth, as the registry stores them.
EXACT, MONTH, YEAR, ESTIMATED = "day", "month", "year", "estimated"


@dataclass(frozen=True, slots=True)
class Record:
    """A person as typed at a desk or read from a CSV; every field may be empty."""

    id: str
    given_names: str = ""
    first_surname: str = ""
    second_surname: str = ""
    sex: str = ""
    birth_date: datetime.date | None = None
    birth_precision: str = EXACT
    document_number: str = ""
    municipality: str = ""
    department: str = ""
    address: str = ""


@dataclass(slots=True)
class Prepared:
    id: str
    given: str
    given_tokens: tuple[str, ...]
    first: str
    second: str
    sex: str
    birth: datetime.date | None
    precision: str
    doc: str
    municipality: str
    department: str
    address: str
    keys: dict[str, str] = field(default_factory=dict)


def prepare(record: Record) -> Prepared:
    given_tokens = tuple(given_name_tokens(record.given_names))
    first_tokens = surname_tokens(record.first_surname)
    second_tokens = surname_tokens(record.second_surname)
    if not first_tokens and second_tokens:  # only one surname typed, in the second box
        first_tokens, second_tokens = second_tokens, []
    sex = record.sex.strip().upper()[:1]
    prepared = Prepared(
        id=record.id,
        given=" ".join(given_tokens),
        given_tokens=given_tokens,
        first=" ".join(first_tokens),
        second=" ".join(second_tokens),
        sex=sex if sex in ("F", "M") else "",
        birth=record.birth_date,
        precision=record.birth_precision or EXACT,
        doc=document_normalize(record.document_number),
        municipality=fold(record.municipality),
        department=fold(record.department),
        address=fold(record.address),
    )
    prepared.keys = blocking_keys(prepared)
    return prepared


def blocking_keys(p: Prepared) -> dict[str, str]:
    """The keys stored in indexed columns and used to find candidates.

    given: phonetic code of the first given name; first/second: of each surname (their first
    word); year: year of birth. Together they survive accents, spelling, swapped surnames, a
    missing second surname and a wrong day of birth, each on its own.
    """
    return {
        "given": phonetic(p.given_tokens[0]) if p.given_tokens else "",
        "first": phonetic(p.first.split(" ")[0]) if p.first else "",
        "second": phonetic(p.second.split(" ")[0]) if p.second else "",
        "year": str(p.birth.year) if p.birth else "",
    }
