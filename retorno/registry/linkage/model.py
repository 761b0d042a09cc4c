"""A Fellegi–Sunter model: match weights per field and level, learned from the data.

For each field, m = P(level | same person) and u = P(level | different people). A pair's
match weight is log2(λ/(1−λ)) + Σ log2(m/u) over the fields both records have; its probability
is 2^w / (1 + 2^w). λ is the probability that two records drawn at random are the same
person, so probabilities mean the same whatever blocking proposed the pair, and a common
name in a large registry is rightly less conclusive. u comes from random pairs (almost all different people); m and λ come from
expectation–maximisation over the pairs that blocking proposes, as in Splink. On exact
agreement of a name, u is the frequency of that very name (term-frequency adjustment): two
"José Hernández" agree far more often by chance than two "Xiomara Quintanilla".
"""

from __future__ import annotations

import datetime
import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

from retorno.registry.linkage.compare import FIELDS, MISSING
from retorno.registry.linkage.records import Prepared

MISSING_LEVEL = -1
# Household guard: relatives share surnames, an address and a place, so when the given names
# disagree outright, place and address are no evidence of being the same person (the model's
# independence assumption fails exactly there). Their positive weights are then dropped.
GIVEN = next(i for i, f in enumerate(FIELDS) if f.name == "given_names")
GIVEN_DIFFERENT = len(FIELDS[GIVEN].levels) - 1
HOUSEHOLD = tuple(i for i, f in enumerate(FIELDS) if f.name in ("place", "address"))
TF_ATTRIBUTES = {f.name: f.tf for f in FIELDS if f.tf}
TF_KEEP = 20000  # most frequent values kept per field; rarer ones use the floor


@dataclass
class Thresholds:
    """Probabilities at which a pair is called the same person, or a possible match to review."""

    same: float = 0.95
    possible: float = 0.50


@dataclass
class ModelParameters:
    version: str
    trained_at: str
    prior: float  # λ: probability that two records drawn at random are the same person
    m: list[list[float]]
    u: list[list[float]]
    tf: dict[str, dict[str, float]] = field(default_factory=dict)
    tf_floor: float = 1e-6
    thresholds: Thresholds = field(default_factory=Thresholds)
    training: dict[str, object] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ModelParameters:
        data = json.loads(text)
        data["thresholds"] = Thresholds(**data.get("thresholds", {}))
        return cls(**data)


@dataclass(frozen=True)
class FieldResult:
    field: str
    level: str
    verdict: str  # agrees / similar / disagrees / missing
    weight: float


@dataclass(frozen=True)
class Score:
    weight: float
    probability: float
    fields: tuple[FieldResult, ...]

    def decision(self, thresholds: Thresholds) -> str:
        if self.probability >= thresholds.same:
            return "same"
        if self.probability >= thresholds.possible:
            return "possible"
        return "different"


def vector(a: Prepared, b: Prepared) -> list[int]:
    out = []
    for f in FIELDS:
        level = f.compare(a, b)
        out.append(MISSING_LEVEL if level is None else level)
    return out


class Scorer:
    """Scores pairs with fixed parameters (precomputed log weights)."""

    def __init__(self, params: ModelParameters) -> None:
        shape = [len(f.levels) for f in FIELDS]
        if [len(row) for row in params.m] != shape or [len(row) for row in params.u] != shape:
            raise ValueError(
                f"Matching model {params.version} was trained for other comparison levels: retrain it (manage.py train_matcher)."
            )
        self.params = params
        self.prior_weight = math.log2(params.prior / (1 - params.prior))
        self.level_weights = [
            [math.log2(max(m, 1e-9) / max(u, 1e-9)) for m, u in zip(ms, us, strict=True)] for ms, us in zip(params.m, params.u, strict=True)
        ]
        self.tf_m = {i: params.m[i][0] for i, f in enumerate(FIELDS) if f.tf}

    def _level_weight(self, index: int, level: int, a: Prepared) -> float:
        if level == 0 and index in self.tf_m:
            attribute = FIELDS[index].tf
            assert attribute is not None
            frequency = self.params.tf.get(FIELDS[index].name, {}).get(getattr(a, attribute), self.params.tf_floor)
            # Never more than the average weight for a name rarer than average is not known better.
            return math.log2(max(self.tf_m[index], 1e-9) / max(frequency, self.params.tf_floor))
        return self.level_weights[index][level]

    def weight_of(self, a: Prepared, levels: Sequence[int]) -> float:
        return self.prior_weight + sum(self._contributions(a, levels))

    def _contributions(self, a: Prepared, levels: Sequence[int]) -> list[float]:
        out = []
        household = levels[GIVEN] == GIVEN_DIFFERENT
        for index, level in enumerate(levels):
            weight = 0.0 if level == MISSING_LEVEL else self._level_weight(index, level, a)
            if household and index in HOUSEHOLD:
                weight = min(weight, 0.0)
            out.append(weight)
        return out

    def record_tf_weights(self, records: Sequence[Prepared]) -> dict[int, np.ndarray]:
        """Per record, the weight of exact agreement on each term-frequency-adjusted name."""
        out = {}
        for index in self.tf_m:
            f = FIELDS[index]
            attribute = f.tf
            assert attribute is not None
            frequencies = self.params.tf.get(f.name, {})
            floor, m = self.params.tf_floor, max(self.tf_m[index], 1e-9)
            out[index] = np.array([math.log2(m / max(frequencies.get(getattr(p, attribute), floor), floor)) for p in records])
        return out

    def pair_weights(self, tf_weights: dict[int, np.ndarray], first: np.ndarray, matrix: np.ndarray) -> np.ndarray:
        """Match weights of many pairs at once: `matrix` holds their levels, `first` the left records,
        `tf_weights` comes from record_tf_weights(left)."""
        total = np.full(len(matrix), self.prior_weight)
        for index in range(len(FIELDS)):
            levels = matrix[:, index]
            table = np.array(self.level_weights[index] + [0.0])  # the extra slot is MISSING_LEVEL (-1)
            weights = table[levels]
            if index in tf_weights:
                weights = np.where(levels == 0, tf_weights[index][first], weights)
            if index in HOUSEHOLD:
                weights = np.where(matrix[:, GIVEN] == GIVEN_DIFFERENT, np.minimum(weights, 0.0), weights)
            total += weights
        return total

    def score(self, a: Prepared, b: Prepared) -> Score:
        levels = vector(a, b)
        weights = self._contributions(a, levels)
        results = []
        for f, level, weight in zip(FIELDS, levels, weights, strict=True):
            if level == MISSING_LEVEL:
                results.append(FieldResult(f.name, MISSING, MISSING, 0.0))
            else:
                name, verdict = f.levels[level]
                results.append(FieldResult(f.name, name, verdict, round(weight, 2)))
        total = self.prior_weight + sum(weights)
        return Score(total, probability(total), tuple(results))


def probability(weight: float) -> float:
    if weight > 60:
        return 1.0
    odds: float = 2.0 ** float(weight)
    return odds / (1 + odds)


# --- Training -------------------------------------------------------------------------------


def _initial_m() -> list[list[float]]:
    out = []
    for f in FIELDS:
        n = len(f.levels)
        raw = [0.9] + [0.1 / (n - 1)] * (n - 2) + [0.02] if n > 2 else [0.95, 0.05]
        total = sum(raw)
        out.append([x / total for x in raw])
    return out


def _frequencies(matrix: np.ndarray) -> list[list[float]]:
    out = []
    for index, f in enumerate(FIELDS):
        column = matrix[:, index]
        present = column[column != MISSING_LEVEL]
        counts = np.bincount(present, minlength=len(f.levels)).astype(float) + 0.5  # Laplace smoothing
        out.append(list(counts / counts.sum()))
    return out


def random_pairs(n_left: int, n_right: int | None = None, samples: int = 300_000, seed: int = 1) -> np.ndarray:
    """Random pairs for estimating u: almost every random pair is two different people."""
    rng = np.random.default_rng(seed)
    if n_right is None:
        pairs: np.ndarray = rng.integers(0, n_left, size=(samples, 2))
        distinct: np.ndarray = pairs[pairs[:, 0] != pairs[:, 1]]
        return distinct
    linked: np.ndarray = np.stack([rng.integers(0, n_left, samples), rng.integers(0, n_right, samples)], axis=1)
    return linked


def term_frequencies(prepared: Iterable[Prepared]) -> dict[str, dict[str, float]]:
    counters: dict[str, Counter[str]] = {name: Counter() for name in TF_ATTRIBUTES}
    total = 0
    for p in prepared:
        total += 1
        for name, attribute in TF_ATTRIBUTES.items():
            value = getattr(p, attribute)
            if value:
                counters[name][value] += 1
    return {name: {v: c / total for v, c in counter.most_common(TF_KEEP)} for name, counter in counters.items()}


def pattern_codes(matrix: np.ndarray) -> np.ndarray:
    """One int32 per comparison row (levels −1..6 take 3 bits each)."""
    codes = np.zeros(len(matrix), dtype=np.int32)
    for column in range(matrix.shape[1]):
        codes = codes * 8 + (matrix[:, column].astype(np.int32) + 1)
    return codes


def pattern_levels(codes: np.ndarray) -> np.ndarray:
    """The comparison rows back from pattern_codes()."""
    out = np.empty((len(codes), len(FIELDS)), dtype=np.int8)
    rest = codes.astype(np.int64)
    for column in range(len(FIELDS) - 1, -1, -1):
        out[:, column] = (rest % 8) - 1
        rest = rest // 8
    return out


class PatternCounts:
    """How many pairs show each comparison pattern, accumulated chunk by chunk."""

    def __init__(self) -> None:
        self.counts: Counter[int] = Counter()

    def add(self, codes: np.ndarray) -> None:
        values, counts = np.unique(codes, return_counts=True)
        self.counts.update(dict(zip(values.tolist(), counts.tolist(), strict=True)))

    def merged(self, other: PatternCounts) -> PatternCounts:
        out = PatternCounts()
        out.counts = self.counts + other.counts
        return out

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        codes = np.array(list(self.counts), dtype=np.int32)
        return pattern_levels(codes), np.array(list(self.counts.values()), dtype=float)

    def total(self) -> int:
        return sum(self.counts.values())


def expectation_maximisation(
    matrix: np.ndarray,
    counts: np.ndarray,
    u: list[list[float]],
    active: Sequence[bool] | None = None,
    m: list[list[float]] | None = None,
    prior: float = 0.1,
    iterations: int = 40,
    tolerance: float = 1e-5,
    update_m: bool = True,
) -> tuple[float, list[list[float]], int]:
    """m and λ from blocked pairs' comparison levels, u held fixed (as Splink does).

    Fields that the pairs' blocking rule forced to agree carry no information about m in
    this session: `active` leaves them out of the likelihood, and their m is not updated."""
    m = [list(row) for row in (m or _initial_m())]
    n_fields = matrix.shape[1]
    active = list(active) if active is not None else [True] * n_fields
    # `matrix` holds distinct comparison patterns and `counts` how many pairs show each
    # (PatternCounts.arrays): millions of pairs, a few thousand rows to iterate over.
    total = counts.sum()
    present = (matrix != MISSING_LEVEL) & np.array(active)[None, :]
    safe = np.where(present, matrix, 0)
    log_u = np.zeros(matrix.shape)
    for index in range(n_fields):
        log_u[:, index] = np.where(present[:, index], np.log(np.array(u[index]))[safe[:, index]], 0.0)
    log_u_sum = log_u.sum(axis=1)
    done = 0
    for done in range(1, iterations + 1):  # noqa: B007 (the count is returned)
        log_m_sum = np.zeros(matrix.shape[0])
        for index in range(n_fields):
            log_m_sum += np.where(present[:, index], np.log(np.array(m[index]))[safe[:, index]], 0.0)
        logit = math.log(prior / (1 - prior)) + log_m_sum - log_u_sum
        p = 1 / (1 + np.exp(-np.clip(logit, -60, 60)))
        new_prior = float((p * counts).sum() / total)
        p = p * counts
        new_m = []
        for index, f in enumerate(FIELDS):
            if not (active[index] and update_m):
                new_m.append(m[index])
                continue
            weights = np.bincount(safe[:, index][present[:, index]], weights=p[present[:, index]], minlength=len(f.levels)) + 1e-3
            new_m.append(list(weights / weights.sum()))
        change = max(abs(new_prior - prior), max(abs(x - y) for a, b in zip(m, new_m, strict=True) for x, y in zip(a, b, strict=True)))
        m, prior = new_m, min(max(new_prior, 1e-6), 0.999)
        if change < tolerance:
            break
    return prior, m, done


# EM sessions: (blocking rule, fields that rule forces to agree). Each field's m is learned in
# a session where it varies freely, as Splink trains one blocking rule at a time.
SESSIONS: tuple[tuple[int, frozenset[str]], ...] = (
    (1, frozenset({"first_surname", "birth_date"})),
    (5, frozenset({"given_names", "birth_date"})),
    (2, frozenset({"given_names", "first_surname"})),
)


def train(
    prepared: Sequence[Prepared],
    session_patterns: dict[int, PatternCounts],
    rule_patterns: dict[int, PatternCounts],
    random_matrix: np.ndarray,
    version: str,
    thresholds: Thresholds | None = None,
    possible_pairs: int | None = None,
) -> ModelParameters:
    """u from random pairs; m from one EM session per blocking rule (`session_patterns`: each
    rule's pairs, whole); then λ: the expected number of matches among all candidate pairs
    (`rule_patterns`, which partition them) over every pair there could be (`possible_pairs`,
    n(n−1)/2 for a deduplication)."""
    u = _frequencies(random_matrix)
    m = _initial_m()
    learned: dict[int, list[list[float]]] = {}
    iterations = 0
    for rule, fixed in SESSIONS:
        patterns = session_patterns.get(rule)
        if patterns is None or patterns.total() < 50:
            continue
        active = [f.name not in fixed for f in FIELDS]
        rows, counts = patterns.arrays()
        _prior, session_m, n = expectation_maximisation(rows, counts, u, active=active, m=m)
        iterations += n
        for index, is_active in enumerate(active):
            if is_active and index not in learned:
                learned[index] = [session_m[index]]
            elif is_active:
                learned[index].append(session_m[index])
    for index, estimates in learned.items():
        m[index] = list(np.mean(np.array(estimates), axis=0))
    union = PatternCounts()
    for patterns in rule_patterns.values():
        union = union.merged(patterns)
    rows, counts = union.arrays()
    blocked_prior, _m, _n = expectation_maximisation(rows, counts, u, m=m, update_m=False)
    n = len(prepared)
    possible_pairs = possible_pairs or max(n * (n - 1) // 2, 1)
    prior = min(max(blocked_prior * union.total() / possible_pairs, 1e-12), 0.5)
    return ModelParameters(
        version=version,
        trained_at=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        prior=prior,
        m=m,
        u=u,
        tf=term_frequencies(prepared),
        tf_floor=1 / max(len(prepared), 1),
        thresholds=thresholds or Thresholds(),
        training={
            "records": len(prepared),
            "pairs": union.total(),
            "random_pairs": int(random_matrix.shape[0]),
            "iterations": iterations,
        },
    )
