"""Case work at scale: the filtered case list and the case page with 300,000 cases.

    .venv/bin/python bench/cases_pages.py --cases 300000          # SQLite file in bench/data/
    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/retorno_bench \\
        .venv/bin/python bench/cases_pages.py --cases 300000      # PostgreSQL

One institution holds all the cases (the worst case for its lists), spread over 40 caseworkers
and the country's departments, at every stage, with tasks and due dates. One case in ten has a
full history (three assessments, a plan with two assistance items, notes of every
confidentiality, events); the case pages measured are drawn from those. Requests go through
Django's test client (middleware, session, the audit event each read writes, templates), as a
caseworker logged in. Prints p50/p95/max per page kind. Cases are bulk-inserted once per
database (`make bench-cases` keeps the file between runs).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("RETORNO_ALLOW_INSECURE_KEY", "1")
os.environ.setdefault("TASKS_IMMEDIATE", "True")
os.environ.setdefault("SECURE_COOKIES", "False")
if not os.environ.get("DATABASE_URL"):
    (ROOT / "bench" / "data").mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("SQLITE_PATH", str(ROOT / "bench" / "data" / "cases_pages.sqlite3"))

RICH_EVERY = 10
CASEWORKERS = 40


def _percentiles(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"p50 {statistics.median(ordered) * 1000:6.1f} ms   p95 {p95 * 1000:6.1f} ms   max {ordered[-1] * 1000:6.1f} ms"


def build_cases(total: int) -> tuple[object, list[object]]:
    """Insert the cases (and their records) once; return the institution and its caseworkers."""
    from decimal import Decimal

    from django.db import connection, transaction
    from django.utils import timezone

    from retorno.cases import services
    from retorno.cases.models import (
        Assessment,
        AssistanceItem,
        Case,
        CaseEvent,
        Note,
        Plan,
        Task,
        months_after,
    )
    from retorno.core.models import AdminArea, User
    from retorno.core.permissions import Role
    from retorno.core.services import places_load_all
    from retorno.programmes.models import Project
    from retorno.programmes.services import seed_projects_load
    from retorno.registry.models import Person

    sys.path.insert(0, str(ROOT / "bench"))
    from bench_registry import build_registry

    agency, _user, _registry, _queries = build_registry(total)
    if not AdminArea.objects.filter(country__code="SV", level=AdminArea.Level.MUNICIPALITY).exists():
        places_load_all()
    seed_projects_load()
    versions = {v.instrument.code: v for v in services.instruments_seed()}
    workers = []
    for n in range(CASEWORKERS):
        email = f"gestor{n:02d}.bench@retorno.test"
        workers.append(
            User.objects.filter(email=email).first()
            or User.objects.create_user(email, "x" * 16, full_name=f"Gestor {n:02d}", agency=agency, role=Role.CASEWORKER)
        )
    have = Case.objects.filter(agency=agency).count()
    if have >= total:
        return agency, workers
    municipalities = list(AdminArea.objects.filter(country__code="SV", level=AdminArea.Level.MUNICIPALITY).only("pk", "parent_id"))
    project = Project.objects.get(code="RT.1066")
    people = list(Person.objects.filter(agency=agency).order_by("pk").values_list("pk", "search_name")[have:total])
    rng = random.Random(7)
    today = timezone.localdate()
    stages = ["assessment"] * 15 + ["plan"] * 15 + ["assistance"] * 20 + ["follow_up"] * 20 + ["closed"] * 30
    rss, needs = versions["rss"], versions["needs"]
    rss_answers = {q["code"]: q["options"][1]["code"] for q in rss.definition["questions"] if q["type"] == "select_one"}
    needs_answers = {q["code"]: q["options"][1]["code"] for q in needs.definition["questions"] if q["type"] == "select_one"}
    started = time.monotonic()
    batch_size = 5000
    for start in range(0, len(people), batch_size):
        chunk = people[start : start + batch_size]
        with transaction.atomic():
            cases = []
            for offset, (person_pk, search_name) in enumerate(chunk):
                n = have + start + offset
                returned = today - datetime.timedelta(days=rng.randint(1, 900))
                place = rng.choice(municipalities)
                stage = rng.choice(stages)
                closed = stage == "closed"
                due = None if closed else returned + datetime.timedelta(days=rng.randint(10, 400))
                cases.append(
                    Case(
                        public_id=f"SV-2099-C-{n:07d}",
                        agency=agency,
                        person_id=person_pk,
                        search_name=search_name,
                        returned_on=returned,
                        municipality_id=place.pk,
                        department_id=place.parent_id,
                        caseworker=workers[n % CASEWORKERS],
                        risk=rng.choice(["low", "medium", "medium", "high"]),
                        stage=stage,
                        consent_assistance=True,
                        consent_method="verbal",
                        plan_due_on=months_after(returned, 1),
                        next_due_on=due,
                        opened_at=timezone.make_aware(datetime.datetime.combine(returned + datetime.timedelta(days=1), datetime.time(10))),
                        opened_by=workers[n % CASEWORKERS],
                        closure_reason="support_ended" if closed else "",
                        closed_at=timezone.now() if closed else None,
                    )
                )
            Case.objects.bulk_create(cases)
            tasks, assessments, plans, items, notes, events = [], [], [], [], [], []
            for case in cases:
                worker = case.caseworker
                if case.next_due_on:
                    tasks.append(Task(case=case, kind="follow_up", agency=agency, assigned_to=worker, due_on=case.next_due_on, month=6))
                tasks.append(
                    Task(case=case, kind="assessment", agency=agency, assigned_to=worker, due_on=case.returned_on, done_at=timezone.now())
                )
                events.append(CaseEvent(case=case, kind="opened", actor=worker, at=case.opened_at))
                if int(case.public_id[-7:]) % RICH_EVERY:
                    continue
                for occasion, month, version, answers in (
                    ("baseline", None, needs, needs_answers),
                    ("baseline", None, rss, rss_answers),
                    ("follow_up", 3, rss, rss_answers),
                ):
                    assessments.append(
                        Assessment(
                            case=case,
                            version=version,
                            occasion=occasion,
                            month=month,
                            answers=answers,
                            scores={"economic": 0.5, "social": 0.5},
                            overall=0.5,
                            done_on=case.returned_on,
                            recorded_by=worker,
                        )
                    )
                plans.append(
                    Plan(
                        case=case,
                        goals="Abrir un negocio de comida en su colonia",
                        agreed_with_returnee=True,
                        agreed_on=case.returned_on,
                        approved_at=timezone.now(),
                        approved_by=worker,
                    )
                )
                for kind, cost in (("business_grant", Decimal("800.00")), ("vocational_training", Decimal("120.00"))):
                    items.append(
                        AssistanceItem(
                            case=case,
                            kind=kind,
                            provider_name="Alcaldía",
                            status="delivered",
                            estimated_cost=cost,
                            estimated_usd=cost,
                            actual_cost=cost,
                            actual_usd=cost,
                            project=project,
                            due_on=case.returned_on,
                            delivered_on=case.returned_on,
                            created_by=worker,
                        )
                    )
                for level in ("general", "general", "supervisor", "psychosocial"):
                    notes.append(
                        Note(
                            case=case,
                            confidentiality=level,
                            text="Visita de seguimiento: " + "se encuentra trabajando. " * 4,
                            written_by=worker,
                        )
                    )
                events.append(CaseEvent(case=case, kind="plan_approved", actor=worker, at=case.opened_at))
            Task.objects.bulk_create(tasks)
            Assessment.objects.bulk_create(assessments)
            Plan.objects.bulk_create(plans)
            AssistanceItem.objects.bulk_create(items)
            Note.objects.bulk_create(notes)
            CaseEvent.objects.bulk_create(events)
    print(f"inserted {len(people)} cases with their records in {time.monotonic() - started:.1f} s")
    with connection.cursor() as cursor:
        # What a production database has after autovacuum: planner statistics and, on PostgreSQL,
        # the visibility map that lets counts read indexes only.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return agency, workers


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=300_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from retorno.cases.models import Case
    from retorno.core.models import AdminArea

    agency, workers = build_cases(args.cases)
    total = Case.objects.filter(agency=agency).count()
    rich = list(Case.objects.filter(agency=agency, plan__isnull=False).values_list("public_id", flat=True))
    departments = list(AdminArea.objects.filter(country__code="SV", level=AdminArea.Level.DEPARTMENT).values_list("pk", flat=True))
    rng = random.Random(3)
    me = workers[0]
    client = Client(HTTP_HOST="localhost")
    client.force_login(me)
    client.get("/cases/")  # the session's first request

    print(f"database: {connection.vendor}; {total} cases at one institution, {len(rich)} with a full history")
    print(f"{args.requests} requests per kind, as a caseworker")
    pages = {
        "case list, open cases (default)": lambda: "/cases/",
        "case list, stage filter": lambda: f"/cases/?stage={rng.choice(['assessment', 'plan', 'assistance', 'follow_up', 'closed'])}",
        "case list, high risk + department": lambda: f"/cases/?risk=high&department={rng.choice(departments)}",
        "case list, overdue": lambda: "/cases/?overdue=on",
        "case list, assigned to me + overdue": lambda: "/cases/?mine=on&overdue=on",
        "case list, name search": lambda: f"/cases/?q={rng.choice(['maria', 'hernandez', 'jose lopez', 'martinez', 'ana'])}",
        "case list, page 20": lambda: f"/cases/?offset={50 * 19}",
        "case page": lambda: f"/cases/{rng.choice(rich)}/",
        "case API (GET /api/v1/cases/{id})": lambda: f"/api/v1/cases/{rng.choice(rich)}",
    }
    for label, make_url in pages.items():
        times, queries = [], []
        for _ in range(args.requests):
            url = make_url()
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
            queries.append(len(ctx.captured_queries))
        print(f"{label:38s} {_percentiles(times)}   queries {min(queries)}-{max(queries)}")


if __name__ == "__main__":
    main()
