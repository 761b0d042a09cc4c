from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from retorno.core import services


class Command(BaseCommand):
    help = "Load countries, departments, municipalities (HXL CSV of P-codes) and points of entry."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--admin2", help="An HXL-tagged CSV of municipalities (#adm1+name, #adm2+code, #adm2+name…)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["admin2"]:
            services.places_load_countries()
            with open(options["admin2"], "rb") as f:
                report = services.places_import_admin2(services.read_uploaded_text(f.read()))
        else:
            report = services.places_load_all()
        if report.errors:
            raise CommandError("\n".join(report.errors[:50]) + "\nNothing was saved.")
        self.stdout.write(self.style.SUCCESS(f"Places loaded: {report.created} created, {report.updated} updated."))
