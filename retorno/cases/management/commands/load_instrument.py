from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from retorno.cases.instruments import InstrumentError
from retorno.cases.services import instrument_load, instruments_seed
from retorno.core.models import User


class Command(BaseCommand):
    help = "Load an instrument definition (YAML, docs/instruments.md); without a file, the ones shipped with Retorno."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", type=Path)
        parser.add_argument("--user", help="E-mail of the administrator loading it (recorded with the version and in the audit trail)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["paths"]:
            for version in instruments_seed():
                self.stdout.write(f"{version.instrument.code} {version.version}{' (current)' if version.is_current else ''}")
            return
        actor = None
        if options["user"]:
            actor = User.objects.filter(email=options["user"].strip().lower(), is_active=True).first()
            if actor is None or not actor.can("instrument.load"):
                raise CommandError(f"{options['user']} is not an active administrator.")
        for path in options["paths"]:
            try:
                version = instrument_load(actor=actor, text=path.read_text(encoding="utf-8"))
            except InstrumentError as error:
                raise CommandError(f"{path}:\n  " + "\n  ".join(error.problems)) from None
            except ValidationError as error:
                raise CommandError(f"{path}: {' '.join(error.messages)}") from None
            self.stdout.write(self.style.SUCCESS(f"{path}: {version.instrument.code} {version.version} loaded (current)"))
