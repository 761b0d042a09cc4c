from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from retorno.registry.dedup import Interrupted, dedup_run_execute, dedup_run_request
from retorno.registry.models import DedupRun


class Command(BaseCommand):
    help = (
        "Search the whole registry for duplicate people and put the pairs found in the review queue. "
        "An interrupted search (Ctrl+C, a restart) carries on from its last checkpoint the next time."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--background", action="store_true", help="hand the search to the task worker (manage.py run_huey)")
        parser.add_argument("--force", action="store_true", help="take over a search another process seems to be running")
        parser.add_argument("--abandon", action="store_true", help="give up the unfinished search instead of resuming it")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["abandon"]:
            count = DedupRun.objects.filter(status__in=DedupRun.OPEN).update(status=DedupRun.Status.ABANDONED)
            self.stdout.write(f"{count} unfinished search(es) abandoned.")
            return
        run = dedup_run_request(trigger=DedupRun.Trigger.COMMAND)
        if run.started_at is not None:
            self.stdout.write(f"Resuming search #{run.pk} at rule {run.rule}, chunk {run.chunk} ({run.percent} %).")
        if options["background"]:
            from retorno.registry.tasks import dedup_task

            dedup_task(run.pk)
            self.stdout.write(f"Search #{run.pk} queued for the task worker.")
            return
        started = time.monotonic()
        last: list[tuple[str, int]] = [("", -1)]

        def report(current: DedupRun) -> None:
            if (current.stage, current.percent) == last[0]:
                return  # one line per stage and per percent
            last[0] = (current.stage, current.percent)
            line = f"[{time.monotonic() - started:7.1f} s] {current.stage or 'done'}: {current.percent} % — {current.people} people, "
            self.stdout.write(line + f"{current.pairs_compared} pairs compared, {current.pairs_found} possible duplicates")

        try:
            finished = dedup_run_execute(run.pk, force=options["force"], progress=report)
        except (KeyboardInterrupt, Interrupted):
            raise CommandError(f"Interrupted: search #{run.pk} will carry on from its last checkpoint next time.") from None
        if finished is None:
            raise CommandError(f"Search #{run.pk} is being run by another process ({run.percent} %); --force takes it over.")
        self.stdout.write(
            f"Search #{finished.pk} finished: {finished.pairs_found} possible duplicates in {finished.clusters} groups waiting for review."
        )
