from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from retorno.core.models import User
from retorno.reception import services
from retorno.reception.manifest import ManifestError
from retorno.reception.models import Arrival


class Command(BaseCommand):
    help = (
        "Import a manifest (CSV or XLSX) into an arrival, with the same checks as the page: nothing is saved while a row is "
        "bad unless --valid-only; importing the same file again creates nobody twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--arrival", required=True, help="the arrival's id, e.g. SV-2026-L-000012")
        parser.add_argument("--valid-only", action="store_true", help="import the valid rows and report the bad ones")
        parser.add_argument("--user", help="e-mail of the officer who imports (the arrival's creator by default)")

    def handle(self, *args: Any, **options: Any) -> None:
        arrival = Arrival.objects.select_related("created_by", "agency__country").filter(public_id=options["arrival"].upper()).first()
        if arrival is None:
            raise CommandError(f"No arrival {options['arrival']}.")
        actor = User.objects.filter(email=options["user"].lower()).first() if options["user"] else arrival.created_by
        if actor is None or actor.agency_id != arrival.agency_id:
            raise CommandError("The user must belong to the arrival's institution.")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        try:
            imp = services.manifest_check(actor=actor, arrival=arrival, filename=path.name, content=path.read_bytes())
        except (ManifestError, ValidationError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error
        for message in services.rows_report(imp.errors):
            self.stderr.write(message)
        self.stdout.write(f"{imp.rows_total} rows, {imp.rows_bad} with errors.")
        total = imp.rows_total - imp.rows_bad

        def progress(done: int) -> None:
            if options["verbosity"] > 1 or done == total:
                self.stdout.write(f"  {done}/{total}")

        try:
            imp = services.manifest_import_start(
                actor=actor, imp=imp, valid_only=options["valid_only"], background=False, progress=progress
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"Imported: {imp.linked} linked to known people, {imp.possible} possible matches to confirm at the desk, "
            f"{imp.created} new, {imp.skipped} already on the arrival."
        )
