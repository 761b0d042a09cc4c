"""Field comparisons: each returns a level (0 = strongest agreement) or None when a side is empty.

The levels and their names are what the explanation shows a user; the model gives each level a
weight learned from the data. Thresholds are Jaro-Winkler similarities (rapidfuzz).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass

from rapidfuzz.distance import OSA, JaroWinkler
from rapidfuzz.fuzz import token_set_ratio

from retorno.registry.linkage.phonetic import phonetic
from retorno.registry.linkage.records import ESTIMATED, MONTH, YEAR, Prepared

# How a level reads in an explanation: agrees / similar / disagrees.
AGREES, SIMILAR, DISAGREES, MISSING = "agrees", "similar", "disagrees", "missing"


@dataclass(frozen=True)
class Field:
    name: str
    levels: tuple[tuple[str, str], ...]  # (level name, verdict), strongest first; the last disagrees
    compare: Callable[[Prepared, Prepared], int | None]
    key: Callable[[Prepared], Hashable]  # everything `compare` reads: equal keys compare equally
    tf: str | None = None  # term-frequency adjusted on level 0, by the value of this attribute


def _jw(a: str, b: str) -> float:
    # Rounded so that thresholds decide alike here and in the vectorised comparisons.
    return round(float(JaroWinkler.similarity(a, b)), 6)


def compare_given(a: Prepared, b: Prepared) -> int | None:
    if not a.given or not b.given:
        return None
    if a.given == b.given:
        return 0
    sa, sb = set(a.given_tokens), set(b.given_tokens)
    if a.given_tokens[0] == b.given_tokens[0] or sa <= sb or sb <= sa:
        return 1  # "María José" / "María"; "José Luis" / "Luis José"
    if _jw(a.given, b.given) >= 0.92 or _jw(a.given_tokens[0], b.given_tokens[0]) >= 0.92:
        return 2
    if _jw(a.given, b.given) >= 0.80 or sa & sb:
        return 3
    return 4


def _surname(x: str, y: str) -> int:
    if x == y:
        return 0
    if _jw(x, y) >= 0.92:
        return 2
    if phonetic(x) == phonetic(y) or _jw(x, y) >= 0.85:
        return 3
    return 4


def compare_first_surname(a: Prepared, b: Prepared) -> int | None:
    if not a.first or not b.first:
        return None
    level = _surname(a.first, b.first)
    if level and ((b.second and a.first == b.second) or (a.second and b.first == a.second)):
        return 1  # surnames typed in the other order
    return level


def compare_second_surname(a: Prepared, b: Prepared) -> int | None:
    if not a.second or not b.second:
        return None
    if a.second == b.second:
        return 0
    if a.second == b.first or b.second == a.first:
        return 1
    level = _surname(a.second, b.second)
    return 2 if level in (2, 3) else 3


def compare_birth(a: Prepared, b: Prepared) -> int | None:
    x, y = a.birth, b.birth
    if x is None or y is None:
        return None
    imprecise = {a.precision, b.precision}
    if ESTIMATED in imprecise:
        return 4 if abs(x.year - y.year) <= 2 else 5
    if YEAR in imprecise:
        return 4 if x.year == y.year else 5
    if MONTH in imprecise:
        return 2 if (x.year, x.month) == (y.year, y.month) else (4 if x.year == y.year else 5)
    if x == y:
        return 0
    if x.year == y.year and x.day == y.month and x.month == y.day:
        return 1  # day and month swapped
    if (x.year, x.month) == (y.year, y.month):
        return 2
    if (x.month, x.day) == (y.month, y.day) and abs(x.year - y.year) == 1:
        return 3  # a year typed wrong
    if x.year == y.year:
        return 4
    return 5


def compare_sex(a: Prepared, b: Prepared) -> int | None:
    if not a.sex or not b.sex:
        return None
    return 0 if a.sex == b.sex else 1


def compare_document(a: Prepared, b: Prepared) -> int | None:
    if not a.doc or not b.doc:
        return None
    if a.doc == b.doc:
        return 0
    if OSA.distance(a.doc, b.doc) <= 1:  # one character typed wrong, missing, extra, or two swapped
        return 1
    return 2


def compare_place(a: Prepared, b: Prepared) -> int | None:
    if not (a.municipality or a.department) or not (b.municipality or b.department):
        return None
    if a.municipality and a.municipality == b.municipality:
        return 0
    if a.department and a.department == b.department:
        return 1
    return 2


def compare_address(a: Prepared, b: Prepared) -> int | None:
    if not a.address or not b.address:
        return None
    return 0 if token_set_ratio(a.address, b.address) >= 85 else 1


FIELDS: tuple[Field, ...] = (
    Field(
        "given_names",
        (("exact", AGREES), ("one contains the other", SIMILAR), ("very similar", SIMILAR), ("similar", SIMILAR), ("different", DISAGREES)),
        compare_given,
        key=lambda p: p.given_tokens,
        tf="given",
    ),
    Field(
        "first_surname",
        (("exact", AGREES), ("surnames swapped", SIMILAR), ("very similar", SIMILAR), ("sounds alike", SIMILAR), ("different", DISAGREES)),
        compare_first_surname,
        key=lambda p: (p.first, p.second),
        tf="first",
    ),
    Field(
        "second_surname",
        (("exact", AGREES), ("surnames swapped", SIMILAR), ("similar", SIMILAR), ("different", DISAGREES)),
        compare_second_surname,
        key=lambda p: (p.first, p.second),
        tf="second",
    ),
    Field(
        "birth_date",
        (
            ("exact", AGREES),
            ("day and month swapped", SIMILAR),
            ("same month and year", SIMILAR),
            ("year differs by one", SIMILAR),
            ("same year", SIMILAR),
            ("different", DISAGREES),
        ),
        compare_birth,
        key=lambda p: (p.birth, p.precision),
    ),
    Field("sex", (("same", AGREES), ("different", DISAGREES)), compare_sex, key=lambda p: p.sex),
    Field(
        "document_number",
        (("exact", AGREES), ("one character differs", SIMILAR), ("different", DISAGREES)),
        compare_document,
        key=lambda p: p.doc,
    ),
    Field(
        "place",
        (("same municipality", AGREES), ("same department", SIMILAR), ("different", DISAGREES)),
        compare_place,
        key=lambda p: (p.municipality, p.department),
    ),
    Field("address", (("similar", AGREES), ("different", DISAGREES)), compare_address, key=lambda p: p.address),
)
FIELD_NAMES = tuple(f.name for f in FIELDS)
