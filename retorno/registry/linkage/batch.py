"""Batch linkage: block, compare, train (EM), score — for `manage.py match_csv`, the registry-wide
deduplication and the benchmarks. The same comparisons and model as `candidates_for`.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from retorno.registry.linkage.model import ModelParameters, Scorer, Thresholds, probability, train, vector
from retorno.registry.linkage.records import Prepared

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


def _blocks(records: Sequence[Prepared], offset: int = 0) -> dict[tuple[int, str], list[int]]:
    blocks: dict[tuple[int, str], list[int]] = defaultdict(list)
    for index, p in enumerate(records):
        for key in _rules(p):
            blocks[key].append(index + offset)
    return blocks


def candidate_pairs(left: Sequence[Prepared], right: Sequence[Prepared] | None = None) -> tuple[np.ndarray, dict[int, np.ndarray]]:
    """Pairs (i, j) to compare: within `left` (deduplication) or between left and right (linkage).

    In linkage, j indexes `right`. Returns the sorted, duplicate-free union as an (n, 2) array,
    and the pairs of each blocking rule (for training one rule at a time).
    """
    by_rule: dict[int, list[np.ndarray]] = defaultdict(list)
    if right is None:
        for (rule, _key), members in _blocks(left).items():
            if 1 < len(members) <= MAX_BLOCK:
                idx = np.array(members, dtype=np.int64)
                i, j = np.triu_indices(len(idx), k=1)
                by_rule[rule].append(np.stack([idx[i], idx[j]], axis=1))
    else:
        right_blocks = _blocks(right)
        for key, members in _blocks(left).items():
            others = right_blocks.get(key)
            if others and len(members) * len(others) <= MAX_BLOCK * MAX_BLOCK // 2:
                by_rule[key[0]].append(np.array(list(itertools.product(members, others)), dtype=np.int64))
    rules = {rule: _unique(np.concatenate(chunks), symmetric=right is None) for rule, chunks in by_rule.items()}
    if not rules:
        return np.zeros((0, 2), dtype=np.int64), {}
    return _unique(np.concatenate(list(rules.values())), symmetric=False), rules


def _unique(pairs: np.ndarray, symmetric: bool) -> np.ndarray:
    if symmetric:
        pairs = np.sort(pairs, axis=1)
    return np.unique(pairs, axis=0)


def rows_of(union: np.ndarray, subset: np.ndarray) -> np.ndarray:
    """Row numbers in `union` (sorted, unique) of the pairs in `subset`."""
    width = int(max(union.max(initial=0), subset.max(initial=0))) + 1
    codes = union[:, 0] * width + union[:, 1]
    rows: np.ndarray = np.searchsorted(codes, subset[:, 0] * width + subset[:, 1])
    return rows


def comparison_matrix(left: Sequence[Prepared], right: Sequence[Prepared], pairs: np.ndarray) -> np.ndarray:
    rows = [vector(left[i], right[j]) for i, j in pairs]
    return np.array(rows, dtype=np.int8).reshape(-1, len(rows[0]) if rows else 8)


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
        rule_matrices = {rule: matrix[rows_of(pairs, rule_pairs)] for rule, rule_pairs in by_rule.items()}
        everyone = list(left) + ([] if right is None else list(right))
        possible = len(left) * (len(left) - 1) // 2 if right is None else len(left) * len(right)
        model = train(everyone, matrix, version="csv", rule_matrices=rule_matrices, thresholds=thresholds, possible_pairs=possible)
    elif thresholds is not None:
        model.thresholds = thresholds
    scorer = Scorer(model)
    cut = model.thresholds.same
    found = []
    for (i, j), levels in zip(pairs, matrix, strict=True):
        p = probability(scorer.weight_of(left[i], levels))
        if p >= cut:
            found.append((left[i].id, other[j].id, p))
    return LinkResult(found, len(pairs), model)
