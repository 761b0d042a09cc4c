"""The comparisons of `compare.py`, for millions of pairs at once.

Same levels as `model.vector()` (a test checks it pair by pair): values become integer ids,
agreements are numpy comparisons of ids, and string similarities run in rapidfuzz's C code
(`process.cpdist`, on both cores) once per distinct pair of values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, JaroWinkler

from retorno.registry.linkage.compare import FIELD_NAMES
from retorno.registry.linkage.phonetic import phonetic
from retorno.registry.linkage.records import ESTIMATED, MONTH, YEAR, Prepared

MISSING = -1
PRECISION = {MONTH: 1, YEAR: 2, ESTIMATED: 3}


class Vocabulary:
    """Distinct values and their ids; -1 stands for an empty value."""

    def __init__(self) -> None:
        self.index: dict[Any, int] = {}
        self.values: list[Any] = []

    def ids(self, values: Sequence[Any]) -> np.ndarray:
        out = np.empty(len(values), dtype=np.int64)
        for position, value in enumerate(values):
            if not value:
                out[position] = MISSING
                continue
            known = self.index.get(value)
            if known is None:
                known = self.index[value] = len(self.values)
                self.values.append(value)
            out[position] = known
        return out


def unique_inverse(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(codes, return_inverse=True) by sorting, faster on millions of int64."""
    order = np.argsort(codes, kind="stable")
    ordered = codes[order]
    first = np.r_[True, ordered[1:] != ordered[:-1]] if len(ordered) else np.zeros(0, dtype=bool)
    inverse = np.empty(len(codes), dtype=np.int64)
    inverse[order] = np.cumsum(first) - 1
    return ordered[first], inverse


def _pairwise(a: np.ndarray, b: np.ndarray, strings: list[str], scorer: Callable[..., float]) -> np.ndarray:
    """scorer(strings[a[k]], strings[b[k]]) for every k, computed once per distinct pair."""
    if len(a) == 0:
        return np.zeros(0)
    size = len(strings)
    unique, inverse = unique_inverse(a * size + b)
    left = [strings[c] for c in (unique // size).tolist()]
    right = [strings[c] for c in (unique % size).tolist()]
    scores: np.ndarray = np.round(process.cpdist(left, right, scorer=scorer, workers=-1, dtype=np.float64), 6)
    spread: np.ndarray = scores[inverse]
    return spread


class _Side:
    """The columns of one set of records, as ids into vocabularies shared by both sides."""

    def __init__(self, records: Sequence[Prepared], vocab: dict[str, Vocabulary]) -> None:
        self.given = vocab["given"].ids([p.given for p in records])
        self.token = vocab["token"].ids([p.given_tokens[0] if p.given_tokens else "" for p in records])
        self.first = vocab["surname"].ids([p.first for p in records])
        self.second = vocab["surname"].ids([p.second for p in records])
        births = [p.birth for p in records]
        self.has_birth = np.array([b is not None for b in births])
        self.year = np.array([b.year if b else 0 for b in births], dtype=np.int64)
        self.month = np.array([b.month if b else 0 for b in births], dtype=np.int64)
        self.day = np.array([b.day if b else 0 for b in births], dtype=np.int64)
        self.precision = np.array([PRECISION.get(p.precision, 0) for p in records], dtype=np.int64)
        self.sex = np.array([{"F": 1, "M": 2}.get(p.sex, 0) for p in records], dtype=np.int64)
        self.doc = vocab["doc"].ids([p.doc for p in records])
        self.municipality = vocab["place"].ids([p.municipality for p in records])
        self.department = vocab["place"].ids([p.department for p in records])
        self.address = vocab["address"].ids([p.address for p in records])


class Comparer:
    """Built once for a deduplication (right is left) or a linkage; compares any number of pair chunks."""

    def __init__(self, left: Sequence[Prepared], right: Sequence[Prepared]) -> None:
        self.vocab = {name: Vocabulary() for name in ("given", "token", "surname", "doc", "place", "address")}
        self.a = _Side(left, self.vocab)
        self.b = self.a if right is left else _Side(right, self.vocab)

    def matrix(self, pairs: np.ndarray) -> np.ndarray:
        return _matrix(self.a, self.b, pairs, self.vocab)


def comparison_matrix(left: Sequence[Prepared], right: Sequence[Prepared], pairs: np.ndarray) -> np.ndarray:
    return Comparer(left, right).matrix(pairs)


def _matrix(a: _Side, b: _Side, pairs: np.ndarray, vocab: dict[str, Vocabulary]) -> np.ndarray:
    i, j = pairs[:, 0], pairs[:, 1]
    columns = {
        "given_names": _given(a, b, i, j, vocab),
        **_surnames(a, b, i, j, vocab["surname"].values),
        "birth_date": _birth(a, b, i, j),
        "sex": np.where((a.sex[i] == 0) | (b.sex[j] == 0), MISSING, np.where(a.sex[i] == b.sex[j], 0, 1)),
        "document_number": _document(a, b, i, j, vocab["doc"].values),
        "place": _place(a, b, i, j),
        "address": _address(a, b, i, j, vocab["address"].values),
    }
    out = np.empty((len(pairs), len(FIELD_NAMES)), dtype=np.int8)
    for column, name in enumerate(FIELD_NAMES):
        out[:, column] = columns[name]
    return out


def _given(a: _Side, b: _Side, i: np.ndarray, j: np.ndarray, vocab: dict[str, Vocabulary]) -> np.ndarray:
    ga, gb = a.given[i], b.given[j]
    level = np.full(len(i), 4, dtype=np.int64)
    open_ = (ga != MISSING) & (gb != MISSING) & (ga != gb)
    strings = vocab["given"].values
    idx = np.nonzero(open_)[0]
    subset = _pairwise(ga[idx], gb[idx], strings, fuzz.token_set_ratio) == 100
    first_equal = a.token[i][idx] == b.token[j][idx]
    one = first_equal | subset
    level[idx[one]] = 1
    rest = idx[~one]
    jw_full = _pairwise(ga[rest], gb[rest], strings, JaroWinkler.normalized_similarity)
    tokens = vocab["token"].values
    jw_first = _pairwise(a.token[i][rest], b.token[j][rest], tokens, JaroWinkler.normalized_similarity)
    two = (jw_full >= 0.92) | (jw_first >= 0.92)
    level[rest[two]] = 2
    rest3, jw3 = rest[~two], jw_full[~two]
    share = np.fromiter(
        (
            not set(strings[x].split(" ")).isdisjoint(strings[y].split(" "))
            for x, y in zip(ga[rest3].tolist(), gb[rest3].tolist(), strict=True)
        ),
        dtype=bool,
        count=len(rest3),
    )
    level[rest3[(jw3 >= 0.80) | share]] = 3
    level[(ga != MISSING) & (ga == gb)] = 0
    level[(ga == MISSING) | (gb == MISSING)] = MISSING
    return level


def _surname_base(x: np.ndarray, y: np.ndarray, strings: list[str]) -> np.ndarray:
    """compare._surname for id pairs: 0 equal, 2 very similar, 3 sounds alike, 4 different."""
    level = np.full(len(x), 4, dtype=np.int64)
    jw = _pairwise(x, y, strings, JaroWinkler.normalized_similarity)
    codes = np.array([phonetic(s) for s in strings], dtype=object) if strings else np.zeros(0, dtype=object)
    alike = codes[x] == codes[y] if len(x) else np.zeros(0, dtype=bool)
    level[alike | (jw >= 0.85)] = 3
    level[jw >= 0.92] = 2
    level[x == y] = 0
    return level


def _surnames(a: _Side, b: _Side, i: np.ndarray, j: np.ndarray, strings: list[str]) -> dict[str, np.ndarray]:
    fa, sa, fb, sb = a.first[i], a.second[i], b.first[j], b.second[j]
    first = np.full(len(i), MISSING, dtype=np.int64)
    both = np.nonzero((fa != MISSING) & (fb != MISSING))[0]
    base = _surname_base(fa[both], fb[both], strings)
    swapped = ((sb[both] != MISSING) & (fa[both] == sb[both])) | ((sa[both] != MISSING) & (fb[both] == sa[both]))
    first[both] = np.where((base != 0) & swapped, 1, base)
    second = np.full(len(i), MISSING, dtype=np.int64)
    both = np.nonzero((sa != MISSING) & (sb != MISSING))[0]
    base = _surname_base(sa[both], sb[both], strings)
    second[both] = np.select(
        [sa[both] == sb[both], (sa[both] == fb[both]) | (sb[both] == fa[both]), np.isin(base, (2, 3))], [0, 1, 2], default=3
    )
    return {"first_surname": first, "second_surname": second}


def _birth(a: _Side, b: _Side, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    ya, ma, da, pa = a.year[i], a.month[i], a.day[i], a.precision[i]
    yb, mb, db, pb = b.year[j], b.month[j], b.day[j], b.precision[j]
    same_year, same_month = ya == yb, ma == mb
    estimated = (pa == 3) | (pb == 3)
    year_only = ~estimated & ((pa == 2) | (pb == 2))
    month_only = ~estimated & ~year_only & ((pa == 1) | (pb == 1))
    exact = ~(estimated | year_only | month_only)
    level = np.select(
        [
            estimated & (np.abs(ya - yb) <= 2),
            estimated,
            year_only & same_year,
            year_only,
            month_only & same_year & same_month,
            month_only & same_year,
            month_only,
            exact & same_year & same_month & (da == db),
            exact & same_year & (da == mb) & (ma == db),
            exact & same_year & same_month,
            exact & same_month & (da == db) & (np.abs(ya - yb) == 1),
            exact & same_year,
        ],
        [4, 5, 4, 5, 2, 4, 5, 0, 1, 2, 3, 4],
        default=5,
    )
    return np.where(a.has_birth[i] & b.has_birth[j], level, MISSING)


def _document(a: _Side, b: _Side, i: np.ndarray, j: np.ndarray, strings: list[str]) -> np.ndarray:
    da, db = a.doc[i], b.doc[j]
    level = np.where((da == MISSING) | (db == MISSING), MISSING, np.where(da == db, 0, 2))
    idx = np.nonzero(level == 2)[0]
    near = _pairwise(da[idx], db[idx], strings, OSA.distance) <= 1
    level[idx[near]] = 1
    return level


def _place(a: _Side, b: _Side, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    ma, mb, pa, pb = a.municipality[i], b.municipality[j], a.department[i], b.department[j]
    missing = ((ma == MISSING) & (pa == MISSING)) | ((mb == MISSING) & (pb == MISSING))
    level = np.select([(ma != MISSING) & (ma == mb), (pa != MISSING) & (pa == pb)], [0, 1], default=2)
    return np.where(missing, MISSING, level)


def _address(a: _Side, b: _Side, i: np.ndarray, j: np.ndarray, strings: list[str]) -> np.ndarray:
    xa, xb = a.address[i], b.address[j]
    level = np.full(len(i), MISSING, dtype=np.int64)
    idx = np.nonzero((xa != MISSING) & (xb != MISSING))[0]
    level[idx] = np.where(_pairwise(xa[idx], xb[idx], strings, fuzz.token_set_ratio) >= 85, 0, 1)
    return level
