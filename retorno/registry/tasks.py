"""Background jobs of the registry, run by the Huey worker (`manage.py run_huey`)."""

from __future__ import annotations

import contextlib

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from retorno.registry.dedup import Interrupted, dedup_run_execute, dedup_run_request
from retorno.registry.models import DedupRun


@db_task()
def dedup_task(run_id: int) -> None:
    """Run or carry on a search for duplicates (a stopped run is left queued at its checkpoint)."""
    with contextlib.suppress(Interrupted):
        dedup_run_execute(run_id)


# Every night at 02:30 in Central America (08:30 UTC): search the registry for duplicates, or
# carry on with a run that an interruption left unfinished.
@db_periodic_task(crontab(hour="8", minute="30"))
def dedup_nightly() -> None:
    run = dedup_run_request(trigger=DedupRun.Trigger.SCHEDULE)
    dedup_task.call_local(run.pk)


# A worker that was stopped mid-run (a deploy, a power cut) leaves the run with an old heartbeat:
# every quarter of an hour, such a run is taken up again from its last checkpoint.
@db_periodic_task(crontab(minute="*/15"))
def dedup_resume_stalled() -> None:
    run = DedupRun.objects.filter(status__in=DedupRun.OPEN).first()
    if run is not None:
        dedup_task.call_local(run.pk)  # a run another thread holds (fresh heartbeat) is left alone
