"""Batch linkage: block, compare, train (EM), score — for `manage.py match_csv`, the registry-wide
deduplication and the benchmarks. The same comparisons and model as `candidates_for`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from retorno.registry.linkage.model import ModelParameters, Scorer, Thresholds, probability, random_pairs, train
from retorno.registry.linkage.records import Prepared
from retorno.registry.linkage.vectorized import comparison_matrix

MAX_BLOCK = 400  # a block larger than this (a very common name) is skipped for that rule only


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


def _rule_keys(records: Sequence[Prepared]) -> dict[int, tuple[list[int], list[str]]]:
    """For each rule, the records that have a key for it and their keys."""
    out: dict[int, tuple[list[int], list[str]]] = defaultdict(lambda: ([], []))
    for index, p in enumerate(records):
        for rule, key in _rules(p):
            members, keys = out[rule]
            members.append(index)
            keys.append(key)
    return out


def _group_ids(keys: list[str]) -> np.ndarray:
    """An integer per distinct key (a dict is much faster than sorting Python strings)."""
    index: dict[str, int] = {}
    return np.fromiter((index.setdefault(k, len(index)) for k in keys), dtype=np.int64, count=len(keys))


def _pairs_within_groups(members: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Every pair of members sharing a group id, skipping groups larger than MAX_BLOCK."""
    order = np.argsort(groups, kind="stable")
    members, groups = members[order], groups[order]
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    sizes = np.diff(np.r_[starts, len(groups)])
    chunks = []
    for size in np.unique(sizes[(sizes > 1) & (sizes <= MAX_BLOCK)]).tolist():
        block = members[starts[sizes == size][:, None] + np.arange(size)[None, :]]  # (blocks, size)
        a, b = np.triu_indices(size, k=1)
        chunks.append(np.stack([block[:, a].ravel(), block[:, b].ravel()], axis=1))
    return np.concatenate(chunks) if chunks else np.zeros((0, 2), dtype=np.int64)


def candidate_pairs(left: Sequence[Prepared], right: Sequence[Prepared] | None = None) -> tuple[np.ndarray, dict[int, np.ndarray]]:
    """Pairs (i, j) to compare: within `left` (deduplication) or between left and right (linkage).

    In linkage, j indexes `right`. Returns the sorted, duplicate-free union as an (n, 2) array,
    and the pairs of each blocking rule (for training one rule at a time).
    """
    rules: dict[int, np.ndarray] = {}
    width = max(len(left), len(right or ())) + 1
    left_keys = _rule_keys(left)
    right_keys = _rule_keys(right) if right is not None else None
    for rule, (members, keys) in left_keys.items():
        if right_keys is None:
            groups = _group_ids(keys)
            pairs = _pairs_within_groups(np.array(members, dtype=np.int64), groups)
            pairs = np.sort(pairs, axis=1)
        else:
            other_members, other_keys = right_keys.get(rule, ([], []))
            if not other_members:
                continue
            # Offset right-hand records so one grouping serves both sides; keep only cross pairs.
            offset = len(left)
            all_keys = keys + other_keys
            all_members = np.array(members + [m + offset for m in other_members], dtype=np.int64)
            groups = _group_ids(all_keys)
            pairs = _pairs_within_groups(all_members, groups)
            pairs = np.sort(pairs, axis=1)
            pairs = pairs[(pairs[:, 0] < offset) & (pairs[:, 1] >= offset)]
            pairs[:, 1] -= offset
        if len(pairs):
            rules[rule] = _unique_pairs(pairs, width)
    if not rules:
        return np.zeros((0, 2), dtype=np.int64), {}
    return _unique_pairs(np.concatenate(list(rules.values())), width), rules


def _unique_pairs(pairs: np.ndarray, width: int) -> np.ndarray:
    """Sorted distinct rows of an (n, 2) array: through one int64 code per pair, much faster
    than numpy's row-wise unique."""
    codes = np.sort(pairs[:, 0] * width + pairs[:, 1])
    codes = codes[np.r_[True, codes[1:] != codes[:-1]]]  # np.unique's hashing is slower on millions
    return np.stack([codes // width, codes % width], axis=1)


def rows_of(union: np.ndarray, subset: np.ndarray) -> np.ndarray:
    """Row numbers in `union` (sorted, unique) of the pairs in `subset`."""
    width = int(max(union.max(initial=0), subset.max(initial=0))) + 1
    codes = union[:, 0] * width + union[:, 1]
    rows: np.ndarray = np.searchsorted(codes, subset[:, 0] * width + subset[:, 1])
    return rows


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
    progress("blocking")
    pairs, by_rule = candidate_pairs(left, right)
    progress(f"comparing {len(pairs)} pairs")
    matrix = comparison_matrix(left, other, pairs)
    if model is None:
        progress("training")
        model = train_on(left, right, pairs, by_rule, matrix, version="csv", thresholds=thresholds)
    elif thresholds is not None:
        model.thresholds = thresholds
    progress("scoring")
    weights = Scorer(model).pair_weights(left, pairs[:, 0], matrix)
    cut = math.log2(model.thresholds.same / (1 - model.thresholds.same))
    chosen = np.nonzero(weights >= cut)[0]
    found = [(left[i].id, other[j].id, probability(w)) for (i, j), w in zip(pairs[chosen].tolist(), weights[chosen].tolist(), strict=True)]
    return LinkResult(found, len(pairs), model)


def train_on(
    left: Sequence[Prepared],
    right: Sequence[Prepared] | None,
    pairs: np.ndarray,
    by_rule: dict[int, np.ndarray],
    matrix: np.ndarray,
    version: str,
    thresholds: Thresholds | None = None,
) -> ModelParameters:
    """Train a model on these records: u from random pairs, m by EM per blocking rule, λ."""
    other = left if right is None else right
    sample = random_pairs(len(left), None if right is None else len(right))
    rule_matrices = {rule: matrix[rows_of(pairs, rule_pairs)] for rule, rule_pairs in by_rule.items()}
    everyone = list(left) + ([] if right is None else list(right))
    possible = len(left) * (len(left) - 1) // 2 if right is None else len(left) * len(right)
    return train(
        everyone,
        matrix,
        comparison_matrix(left, other, sample),
        version=version,
        rule_matrices=rule_matrices,
        thresholds=thresholds,
        possible_pairs=possible,
    )
