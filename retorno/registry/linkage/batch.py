"""Batch linkage: block, compare, train (EM), score — for `manage.py match_csv`, the registry-wide
deduplication and the benchmarks. The same comparisons and model as `candidates_for`.

Pairs stream through in chunks, so memory stays bounded however many pairs blocking proposes:
each rule's pairs are generated block by block, minus those an earlier rule already proposed
(as Splink does), compared, and kept as 12 bytes a pair (two int32 record numbers and an int32
comparison pattern) for scoring.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from retorno.registry.linkage.model import (
    SESSIONS,
    ModelParameters,
    PatternCounts,
    Scorer,
    Thresholds,
    pattern_codes,
    pattern_levels,
    probability,
    random_pairs,
    train,
)
from retorno.registry.linkage.records import Prepared
from retorno.registry.linkage.vectorized import Comparer

MAX_BLOCK = 400  # a block larger than this (a very common name) is skipped for that rule only
CHUNK = 2_000_000  # pairs compared at once
SESSION_PAIRS = 3_000_000  # pairs enough to estimate m in one EM session
RULES = 9
SESSION_RULES = tuple(rule for rule, _fixed in SESSIONS)


def _rules(p: Prepared) -> Iterator[tuple[int, str]]:
    """Blocking rules: a pair is compared when it shares at least one key."""
    k = p.keys
    if p.doc:
        yield 0, p.doc
    if k["first"] and k["year"]:
        yield 1, f"{k['first']}|{k['year']}"
    if k["given"] and k["first"]:
        yield 2, f"{k['given']}|{k['first']}"
    if k["given"] and k["second"]:
        yield 3, f"{k['given']}|{k['second']}"
    if k["first"] and k["second"]:
        yield 4, "|".join(sorted((k["first"], k["second"])))  # surnames in either order
    if k["given"] and p.birth:
        yield 5, f"{k['given']}|{p.birth.isoformat()}"
    if k["given"] and k["year"]:
        yield 6, f"{k['given']}|{k['year']}"
    if k["first"] and p.municipality:
        yield 7, f"{k['first']}|{p.municipality}"
    if k["given"] and p.municipality:
        yield 8, f"{k['given']}|{p.municipality}"


class Blocking:
    """Per rule and record: the block id (−1 without a key) and whether that block is compared."""

    def __init__(self, left: Sequence[Prepared], right: Sequence[Prepared] | None) -> None:
        records = list(left) + list(right or [])
        self.n_left = len(left)
        self.linking = right is not None
        self.block = np.full((RULES, len(records)), -1, dtype=np.int64)
        indexes: list[dict[str, int]] = [{} for _ in range(RULES)]
        for position, p in enumerate(records):
            for rule, key in _rules(p):
                index = indexes[rule]
                self.block[rule, position] = index.setdefault(key, len(index))
        self.compared = np.zeros((RULES, len(records)), dtype=bool)
        for rule in range(RULES):
            present = self.block[rule] >= 0
            sizes = np.bincount(self.block[rule][present], minlength=1)
            ok = (sizes > 1) & (sizes <= MAX_BLOCK)
            self.compared[rule, present] = ok[self.block[rule][present]]

    def chunks(self, rule: int, exclude_earlier: bool = True) -> Iterator[np.ndarray]:
        """This rule's pairs, CHUNK at a time, without those an earlier rule proposed (unless
        `exclude_earlier` is false: training sees each rule's pairs whole, as Splink does).

        In a linkage the pairs are (left index, right index)."""
        for _position, _weight, pairs in self.numbered_chunks(rule, exclude_earlier):
            if len(pairs):
                yield pairs

    def numbered_chunks(self, rule: int, exclude_earlier: bool = True, start: int = 0) -> Iterator[tuple[int, int, np.ndarray]]:
        """(position, pairs before exclusion, pairs) for every chunk of the rule from `start`: the
        same positions every time for the same records, so a long run can stop and carry on."""
        members, starts, sizes = self._blocks(rule)
        position = 0
        for size in np.unique(sizes).tolist():
            if size < 2:
                continue
            a, b = np.triu_indices(size, k=1)
            these = starts[sizes == size]
            per_chunk = max(1, CHUNK // len(a))
            for begin in range(0, len(these), per_chunk):
                position += 1
                if position <= start:
                    continue
                block = members[these[begin : begin + per_chunk, None] + np.arange(size)[None, :]]
                pairs = np.stack([block[:, a].ravel(), block[:, b].ravel()], axis=1)
                yield position, len(pairs), self._keep(rule if exclude_earlier else 0, pairs)

    def weight(self, rule: int) -> int:
        """How many pairs the rule's blocks hold before exclusion (for progress)."""
        _members, _starts, sizes = self._blocks(rule)
        return int((sizes * (sizes - 1) // 2).sum())

    def _blocks(self, rule: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        members = np.flatnonzero(self.compared[rule])
        if self.linking:
            members = members[self._has_both_sides(rule, members)]
        groups = self.block[rule][members]
        order = np.argsort(groups, kind="stable")
        members, groups = members[order], groups[order]
        starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]]) if len(groups) else np.zeros(0, dtype=np.int64)
        sizes = np.diff(np.r_[starts, len(groups)])
        return members, starts, sizes

    def _has_both_sides(self, rule: int, members: np.ndarray) -> np.ndarray:
        groups = self.block[rule][members]
        left = np.zeros(groups.max(initial=0) + 1, dtype=bool)
        right = np.zeros_like(left)
        left[groups[members < self.n_left]] = True
        right[groups[members >= self.n_left]] = True
        return left[groups] & right[groups]  # type: ignore[no-any-return]

    def _keep(self, rule: int, pairs: np.ndarray) -> np.ndarray:
        i, j = pairs[:, 0], pairs[:, 1]
        keep = np.ones(len(pairs), dtype=bool)
        if self.linking:
            i, j = np.minimum(i, j), np.maximum(i, j)
            keep &= (i < self.n_left) & (j >= self.n_left)
        for earlier in range(rule):
            same = (self.block[earlier, i] == self.block[earlier, j]) & self.compared[earlier, i]
            keep &= ~same
        out = np.stack([i[keep], j[keep] - (self.n_left if self.linking else 0)], axis=1)
        if not self.linking:
            out = np.sort(out, axis=1)
        return out


def candidate_pairs(left: Sequence[Prepared], right: Sequence[Prepared] | None = None) -> tuple[np.ndarray, dict[int, np.ndarray]]:
    """Every pair blocking proposes, and each rule's share (no pair in two rules). For small sets."""
    blocking = Blocking(left, right)
    rules = {}
    for rule in range(RULES):
        chunks = list(blocking.chunks(rule))
        if chunks:
            rules[rule] = np.concatenate(chunks)
    if not rules:
        return np.zeros((0, 2), dtype=np.int64), {}
    union = np.concatenate(list(rules.values()))
    return union[np.lexsort((union[:, 1], union[:, 0]))], rules


@dataclass
class Compared:
    """Every candidate pair with its comparison pattern, and the pattern counts per rule."""

    left: np.ndarray
    right: np.ndarray
    codes: np.ndarray
    by_rule: dict[int, PatternCounts]  # the pairs each rule adds (they partition all pairs)
    sessions: dict[int, PatternCounts]  # each training rule's pairs, whole (up to SESSION_PAIRS)

    def __len__(self) -> int:
        return len(self.codes)


def compare_all(left: Sequence[Prepared], right: Sequence[Prepared] | None, progress: Callable[[str], None] = lambda m: None) -> Compared:
    blocking = Blocking(left, right)
    comparer = Comparer(left, left if right is None else right)
    lefts, rights, codes = [], [], []
    by_rule: dict[int, PatternCounts] = {}
    total = 0
    for rule in range(RULES):
        counts = by_rule[rule] = PatternCounts()
        for pairs in blocking.chunks(rule):
            chunk_codes = pattern_codes(comparer.matrix(pairs))
            counts.add(chunk_codes)
            lefts.append(pairs[:, 0].astype(np.int32))
            rights.append(pairs[:, 1].astype(np.int32))
            codes.append(chunk_codes)
            total += len(pairs)
        progress(f"rule {rule}: {counts.total()} pairs ({total} in all)")
    sessions: dict[int, PatternCounts] = {}
    for rule in SESSION_RULES:
        counts = sessions[rule] = PatternCounts()
        for pairs in blocking.chunks(rule, exclude_earlier=False):
            counts.add(pattern_codes(comparer.matrix(pairs)))
            if counts.total() >= SESSION_PAIRS:
                break
    empty = np.zeros(0, dtype=np.int32)
    return Compared(
        np.concatenate(lefts) if lefts else empty,
        np.concatenate(rights) if rights else empty,
        np.concatenate(codes) if codes else empty,
        by_rule,
        sessions,
    )


@dataclass
class LinkResult:
    pairs: list[tuple[str, str, float]]  # (left id, right id, probability) called "same person"
    compared: int
    model: ModelParameters


def link(
    left: Sequence[Prepared],
    right: Sequence[Prepared] | None = None,
    model: ModelParameters | None = None,
    thresholds: Thresholds | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> LinkResult:
    """Deduplicate `left`, or link it to `right`; train on these pairs when no model is given."""
    other = left if right is None else right
    progress("blocking and comparing")
    compared = compare_all(left, right, progress)
    if model is None:
        progress("training")
        model = train_on(left, right, compared, version="csv", thresholds=thresholds)
    elif thresholds is not None:
        model.thresholds = thresholds
    progress("scoring")
    scorer = Scorer(model)
    tf_weights = scorer.record_tf_weights(left)
    cut = math.log2(model.thresholds.same / (1 - model.thresholds.same))
    found: list[tuple[str, str, float]] = []
    for begin in range(0, len(compared), CHUNK):
        end = begin + CHUNK
        first = compared.left[begin:end].astype(np.int64)
        weights = scorer.pair_weights(tf_weights, first, pattern_levels(compared.codes[begin:end]))
        chosen = np.flatnonzero(weights >= cut)
        second = compared.right[begin:end][chosen].tolist()
        found += [
            (left[i].id, other[j].id, probability(w))
            for i, j, w in zip(first[chosen].tolist(), second, weights[chosen].tolist(), strict=True)
        ]
    return LinkResult(found, len(compared), model)


def train_on(
    left: Sequence[Prepared],
    right: Sequence[Prepared] | None,
    compared: Compared,
    version: str,
    thresholds: Thresholds | None = None,
) -> ModelParameters:
    """Train a model on these records: u from random pairs, m by EM per blocking rule, λ."""
    other = left if right is None else right
    sample = random_pairs(len(left), None if right is None else len(right))
    random_matrix = Comparer(left, other).matrix(sample)
    everyone = list(left) + ([] if right is None else list(right))
    possible = len(left) * (len(left) - 1) // 2 if right is None else len(left) * len(right)
    return train(
        everyone, compared.sessions, compared.by_rule, random_matrix, version=version, thresholds=thresholds, possible_pairs=possible
    )
