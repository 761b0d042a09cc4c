from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from retorno.demo import builders
from retorno.demo.arrivals import build_arrivals
from retorno.demo.cases import build_cases
from retorno.demo.directory import build_directory
from retorno.demo.programmes import build_programmes
from retorno.demo.protection import build_protection
from retorno.demo.referrals import build_referrals
from retorno.demo.window import build_window
from retorno.registry.dedup import dedup_run_execute, dedup_run_request
from retorno.registry.models import DedupRun, DuplicatePair


class Command(BaseCommand):
    help = "Load deterministic, realistic demo data and print one login per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=list(builders.SIZES), default="small")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        result = builders.build(options["size"], options["seed"])
        self.stdout.write(f"Demo data ready: {result.people} people ({time.monotonic() - started:.0f} s).")
        run = dedup_run_request(trigger=DedupRun.Trigger.COMMAND)
        if run.started_at is None and not DuplicatePair.objects.exists():
            finished = dedup_run_execute(run.pk)
            if finished is not None:
                self.stdout.write(f"Searched for duplicates: {finished.clusters} groups waiting for review (Duplicados).")
        arrivals = build_arrivals(options["seed"])
        if arrivals:
            self.stdout.write(
                f"{arrivals} arrivals at the airport reception centre; today's flight is half-way through the desk (Llegadas)."
            )
        cases = build_cases(options["seed"])
        if cases:
            self.stdout.write(f"{cases} reintegration cases at every stage, from assessment to closure (Casos).")
        children = build_protection(options["seed"])
        if children:
            self.stdout.write(
                f"{children} children handed over to CONNA followed from the shelter to reunification (Protección de la niñez)."
            )
        listed = build_directory()
        if listed:
            self.stdout.write(f"{listed} services in the public directory: http://127.0.0.1:8000/services/ (no login).")
        referred = build_referrals()
        if referred:
            self.stdout.write(
                f"4 protocol rules (unaccompanied children go to CONNA within 2 hours) and {referred} referrals from DGME to OIM-SV "
                "(Derivaciones; one past its time limit)."
            )
        consultations = build_window(options["seed"])
        if consultations:
            self.stdout.write(
                f"{consultations} consultations at the Ventanilla La Unión over the last year (Ventanilla, Panel de ventanillas)."
            )
        indicators = build_programmes()
        if indicators:
            self.stdout.write(
                f"Projects RT.1066, RT.1130 and PN.0008 read from their IOM pages, {indicators} indicators (most computed from the "
                "records) and El Salvador's national plan of the Global Compact (Proyectos, Plan nacional)."
            )
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Logins (password for all: {builders.DEMO_PASSWORD})"))
        width = max(len(email) for email, _role, _agency in result.users)
        for email, role, agency in result.users:
            self.stdout.write(f"  {email.ljust(width)}  {role} · {agency}")
        self.stdout.write("")
        self.stdout.write("Administrators and supervisors set up two-factor authentication at their first login.")
