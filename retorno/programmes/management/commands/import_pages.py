from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from retorno.core.models import User
from retorno.programmes.pages import read_page
from retorno.programmes.services import ImportReport, pages_import


class Command(BaseCommand):
    help = (
        "Import IOM project and news pages (text extractions or saved HTML, English, French or Spanish). "
        "A directory imports every .txt, .htm and .html file in it. With --format json, print one JSON object per page."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Read and report; save nothing")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--keep-valid", action="store_true", help="Save the pages that were read even if others were not")
        parser.add_argument("--user", help="E-mail of the coordinator importing (recorded in the audit trail)")

    def handle(self, *args: Any, **options: Any) -> None:
        pages = []
        for path in options["paths"]:
            files = sorted(p for p in path.iterdir() if p.suffix.lower() in (".txt", ".htm", ".html")) if path.is_dir() else [path]
            for file in files:
                try:
                    pages.append((file.name, file.read_bytes().decode("utf-8", errors="replace")))
                except OSError as error:
                    raise CommandError(f"{file}: {error.strerror}") from None
        actor = None
        if options["user"]:
            actor = User.objects.filter(email=options["user"].strip().lower(), is_active=True).first()
            if actor is None or not actor.can("programme.manage"):
                raise CommandError(f"{options['user']} is not an active coordinator or administrator.")
        if options["format"] == "json":
            for source, text in pages:
                self.stdout.write(json.dumps(read_page(text, source).as_json(), ensure_ascii=False))
        report = pages_import(pages=pages, actor=actor, dry_run=options["dry_run"], keep_valid=options["keep_valid"])
        if options["format"] == "text":
            self._report(report)
        elif not report.saved and not report.dry_run:
            self.stderr.write("Nothing was saved: some pages could not be read (see the text report, or use --keep-valid).")

    def _report(self, report: ImportReport) -> None:
        for page in report.pages:
            line = f"{page.source}: {page.outcome} {page.kind or '?'} {page.record} [{page.language}] read: {', '.join(page.read) or '—'}"
            self.stdout.write(line)
            for note in page.unread:
                self.stdout.write(f"    not read: {note}")
            for note in page.problems:
                self.stdout.write(f"    {note}")
        if report.dry_run:
            self.stdout.write("Dry run: nothing saved.")
        elif report.saved:
            self.stdout.write(self.style.SUCCESS(f"Saved {len(report.projects)} project(s) and {len(report.news)} news item(s)."))
        else:
            self.stdout.write(self.style.ERROR("Nothing was saved: some pages could not be read. Use --keep-valid to save the others."))
