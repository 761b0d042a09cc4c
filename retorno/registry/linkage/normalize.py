"""Spanish names folded to comparable forms.

`given_name_tokens("Ma. de los Ángeles")` → ["maria", "angeles"];
`surname_tokens("De la Cruz Hernández")` → ["cruz", "hernandez"].
Abbreviations and nicknames come from `registry/data/name_equivalences.csv`.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

from retorno.core.text import fold

DATA = Path(__file__).resolve().parent.parent / "data" / "name_equivalences.csv"
# Words that join names ("María de los Ángeles", "De la Cruz") and carry no identity.
PARTICLES = frozenset({"de", "del", "la", "las", "los", "y", "e", "da", "do", "dos", "di", "van", "von"})
SURNAME_PARTICLES = GIVEN_PARTICLES = PARTICLES
_SPLIT = re.compile(r"[\s\-_/,;:()\"']+")


@cache
def equivalences() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    with open(DATA, encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        for row in rows:
            table[row["variant"].strip()] = tuple(row["canonical"].split())
    return table


def _tokens(text: str) -> list[str]:
    return [t for t in _SPLIT.split(fold(text)) if t]


def given_name_tokens(text: str) -> list[str]:
    """Given names: abbreviations and nicknames replaced by the canonical name, particles dropped."""
    table = equivalences()
    out: list[str] = []
    for token in _tokens(text):
        mapped = table.get(token) or table.get(token.rstrip("."))
        if mapped is None:  # "ma.angeles": look the pieces up one by one
            mapped = tuple(word for piece in token.split(".") if piece for word in table.get(piece, (piece,)))
        for word in mapped:
            clean = re.sub(r"[^a-z]", "", word)
            if clean and clean not in GIVEN_PARTICLES:
                out.append(clean)
    return out


def surname_tokens(text: str) -> list[str]:
    """Surnames: particles dropped ("De León" → ["leon"]), compound surnames kept as their words."""
    out: list[str] = []
    for token in _tokens(text):
        for part in token.split("."):
            clean = re.sub(r"[^a-z]", "", part)
            if clean and clean not in SURNAME_PARTICLES:
                out.append(clean)
    return out


def normalize_given(text: str) -> str:
    return " ".join(given_name_tokens(text))


def normalize_surname(text: str) -> str:
    return " ".join(surname_tokens(text))


def document_normalize(number: str) -> str:
    """Letters and digits only, upper case: '0123456-7' and '01234567' compare equal."""
    return re.sub(r"[^0-9A-Z]", "", fold(number).upper())
