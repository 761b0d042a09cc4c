"""Searching the whole registry for duplicates: `manage.py dedup`, the nightly job and the
"search now" button all run `dedup_run_execute`.

The registry is blocked and compared with the batch linkage code and scored with the active
model (the same one `candidates_for` uses). Work goes rule by rule, chunk by chunk; after each
chunk the pairs at or above the "possible" threshold are saved together with the position
reached, so a run that is interrupted (Ctrl+C, a restart, a power cut) carries on from its last
chunk. At the end, pairs waiting for review are grouped into clusters (connected records).
"""

from __future__ import annotations

import datetime
import math
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from retorno.core.models import User
from retorno.registry.linkage.batch import RULES, Blocking
from retorno.registry.linkage.model import probability
from retorno.registry.linkage.records import Prepared
from retorno.registry.linkage.vectorized import Comparer
from retorno.registry.matching import active_scorer, registry_prepared, registry_rows
from retorno.registry.models import DedupRun, DuplicatePair, Person

# A running job whose heartbeat is older than this has died: the next request takes it over.
STALE = datetime.timedelta(minutes=10)
HEARTBEAT_ROWS = 50_000


class Interrupted(Exception):
    """The run was asked to stop; it is left queued at its last checkpoint."""


def dedup_run_request(*, trigger: str, user: User | None = None) -> DedupRun:
    """The open run if there is one (it will be resumed), else a new queued run."""
    with transaction.atomic():
        run = DedupRun.objects.select_for_update().filter(status__in=DedupRun.OPEN).first()
        if run is not None:
            return run
        return DedupRun.objects.create(trigger=trigger, requested_by=user, model_version="")


def _claim(run_id: int, force: bool) -> DedupRun | None:
    """Take the run for this process: queued, or running with a stale heartbeat (or `force`)."""
    now = timezone.now()
    with transaction.atomic():
        run = DedupRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or not run.is_open:
            return None
        if run.status == DedupRun.Status.RUNNING and not force and run.heartbeat_at and now - run.heartbeat_at < STALE:
            return None  # another process is on it
        if run.started_at is None:
            run.started_at = now
            run.upto_person = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        else:
            run.resumed += 1
        run.status, run.heartbeat_at, run.error = DedupRun.Status.RUNNING, now, ""
        run.save()
        return run


def _save(run: DedupRun, **fields: Any) -> None:
    fields["heartbeat_at"] = timezone.now()
    for name, value in fields.items():
        setattr(run, name, value)
    DedupRun.objects.filter(pk=run.pk).update(**fields)


@contextmanager
def _stop_on_terminate() -> Iterator[None]:
    """SIGTERM (a worker or server shutting down) stops at the next checkpoint like Ctrl+C."""

    def stop(signum: int, frame: Any) -> None:
        raise Interrupted

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread (a worker thread): the worker handles its own shutdown
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _registry(run: DedupRun) -> tuple[list[int], list[Prepared]]:
    """Every person up to the run's last id, in id order (the same order on every resume)."""
    pks: list[int] = []
    records: list[Prepared] = []
    rows = registry_rows(Person.objects.filter(pk__lte=run.upto_person).order_by("pk"))
    batch: list[tuple[Any, ...]] = []
    for row in rows.iterator(chunk_size=10_000):
        batch.append(row)
        if len(batch) == HEARTBEAT_ROWS:
            pks += [r[0] for r in batch]
            records += registry_prepared(batch)
            batch = []
            _save(run, people=len(pks))
    pks += [r[0] for r in batch]
    records += registry_prepared(batch)
    return pks, records


def dedup_run_execute(run_id: int, *, force: bool = False, progress: Callable[[DedupRun], None] = lambda run: None) -> DedupRun | None:
    """Run (or carry on) a search for duplicates; None when another process holds it.

    `progress` is called after every checkpoint (the command prints it; a test can interrupt)."""
    run = _claim(run_id, force)
    if run is None:
        return None
    try:
        with _stop_on_terminate():
            _execute(run, progress)
    except (Interrupted, KeyboardInterrupt):
        _save(run, status=DedupRun.Status.QUEUED)
        raise
    except Exception as error:
        # The message names the failing step, never a person (the rows are not in it).
        _save(run, status=DedupRun.Status.FAILED, error=f"{type(error).__name__}: {error}"[:300], finished_at=timezone.now())
        raise
    return run


def _execute(run: DedupRun, progress: Callable[[DedupRun], None]) -> None:
    scorer = active_scorer()
    if not run.model_version:
        _save(run, model_version=scorer.params.version)
    _save(run, stage="loading")
    progress(run)
    pks_list, records = _registry(run)
    pks = np.array(pks_list, dtype=np.int64)
    blocking = Blocking(records, None)
    comparer = Comparer(records, records)
    tf_weights = scorer.record_tf_weights(records)
    thresholds = scorer.params.thresholds
    cut = math.log2(thresholds.possible / (1 - thresholds.possible))
    weights = [blocking.weight(rule) for rule in range(RULES)]
    _save(run, stage="comparing", people=len(records), total_weight=sum(weights))
    progress(run)
    for rule in range(run.rule, RULES):
        start = run.chunk if rule == run.rule else 0
        for position, weight, pairs in blocking.numbered_chunks(rule, start=start):
            found = 0
            if len(pairs):
                pair_weights = scorer.pair_weights(tf_weights, pairs[:, 0], comparer.matrix(pairs))
                chosen = np.flatnonzero(pair_weights >= cut)
                found = _store_pairs(run, pks[pairs[chosen, 0]], pks[pairs[chosen, 1]], pair_weights[chosen])
            _save(
                run,
                rule=rule,
                chunk=position,
                done_weight=run.done_weight + weight,
                pairs_compared=run.pairs_compared + len(pairs),
                pairs_found=run.pairs_found + found,
            )
            progress(run)
        _save(run, rule=rule + 1, chunk=0, done_weight=sum(weights[: rule + 1]))
    _save(run, stage="clustering")
    progress(run)
    clusters = clusters_update()
    _save(run, status=DedupRun.Status.FINISHED, stage="", clusters=clusters, finished_at=timezone.now(), done_weight=run.total_weight)
    progress(run)


def _store_pairs(run: DedupRun, left: np.ndarray, right: np.ndarray, weights: np.ndarray) -> int:
    """Save new pairs (a pair already known, whatever its status, is left as it is); returns how many."""
    if not len(left):
        return 0
    merged = set(Person.objects.filter(merged_into__isnull=False, pk__lte=run.upto_person).values_list("pk", flat=True))
    low, high = np.minimum(left, right).tolist(), np.maximum(left, right).tolist()
    new = [
        DuplicatePair(left_id=a, right_id=b, probability=probability(w), run=run)
        for a, b, w in zip(low, high, weights.tolist(), strict=True)
        if a not in merged and b not in merged
    ]
    existing: set[tuple[int, int]] = set()
    lefts = sorted({pair.left_id for pair in new})
    for begin in range(0, len(lefts), 500):
        known = DuplicatePair.objects.filter(left_id__in=lefts[begin : begin + 500]).values_list("left_id", "right_id")
        existing.update(known)
    new = [pair for pair in new if (pair.left_id, pair.right_id) not in existing]
    with transaction.atomic():
        DuplicatePair.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    return len(new)


def clusters_update() -> int:
    """Group the pairs waiting for review into clusters of connected records (union–find);
    each pair's cluster is the lowest person id of its group. Returns the number of clusters."""
    pairs = list(DuplicatePair.objects.filter(status=DuplicatePair.Status.PENDING).values_list("pk", "left_id", "right_id", "cluster"))
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _pk, a, b, _cluster in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    changed = [(root(a), pk) for pk, a, _b, cluster in pairs if cluster != root(a)]
    # Plain UPDATEs by primary key: bulk_update's CASE expressions crawl at hundreds of thousands.
    update = f"UPDATE {DuplicatePair._meta.db_table} SET cluster = %s WHERE id = %s"  # noqa: S608 (a model's table name)
    with transaction.atomic(), connection.cursor() as cursor:
        for begin in range(0, len(changed), 10_000):
            cursor.executemany(update, changed[begin : begin + 10_000])
    return len({root(a) for _pk, a, _b, _c in pairs})
