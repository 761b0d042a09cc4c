"""Referrals and the public directory at scale: page weight and server time.

    .venv/bin/python bench/referrals_pages.py --referrals 100000 --services 2000   # SQLite file in bench/data/
    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/retorno_bench \\
        .venv/bin/python bench/referrals_pages.py                                      # PostgreSQL

The public directory of El Salvador holds `--services` services spread over its departments and
municipalities (a tenth nationwide); one receiving institution holds `--referrals` referrals of a
year (the worst case for its inbox), sent by the registry's institution about its people: those of
the last month in every state, older ones answered and closed.
Requests go through Django's test client (middleware, templates, the audit event a referral's
read writes). Prints p50/p95/max and the page's weight, raw and gzipped (what a phone on a slow
connection downloads; the public pages load one stylesheet and no script). Rows are
bulk-inserted once per database (`make bench-referrals` keeps the file between runs).
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("RETORNO_ALLOW_INSECURE_KEY", "1")
os.environ.setdefault("TASKS_IMMEDIATE", "True")
os.environ.setdefault("SECURE_COOKIES", "False")
if not os.environ.get("DATABASE_URL"):
    (ROOT / "bench" / "data").mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("SQLITE_PATH", str(ROOT / "bench" / "data" / "referrals_pages.sqlite3"))

CATEGORIES = ["health", "psychosocial", "education", "livelihoods", "legal", "shelter", "child_protection", "gbv", "other"]


def _percentiles(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"p50 {statistics.median(ordered) * 1000:6.1f} ms   p95 {p95 * 1000:6.1f} ms   max {ordered[-1] * 1000:6.1f} ms"


def build(people: int, services_count: int, referrals_count: int) -> tuple[object, object, object]:
    """Insert once; return (the sending caseworker, the receiving officer, the receiving institution)."""
    from bench_registry import build_registry
    from django.db import connection, transaction
    from django.utils import timezone

    from retorno.core.models import AdminArea, Agency, User
    from retorno.core.permissions import Role
    from retorno.core.services import places_load_all
    from retorno.referrals.models import ANSWER_HOURS, Referral, Service, Urgency
    from retorno.registry.models import Person

    sender_agency, sender, _rows, _queries = build_registry(people)
    if not AdminArea.objects.filter(country__code="SV", level=AdminArea.Level.MUNICIPALITY).exists():
        places_load_all()
    receiver_agency, _ = Agency.objects.get_or_create(
        country=sender_agency.country, acronym="RECV", defaults={"name": "Institución receptora", "kind": "ngo"}
    )
    officer = User.objects.filter(email="recv@retorno.test").first() or User.objects.create_user(
        "recv@retorno.test", "x" * 16, full_name="Receptora", agency=receiver_agency, role=Role.INFORMATION_OFFICER
    )
    rng = random.Random(5)
    areas = list(AdminArea.objects.filter(country__code="SV", level__in=[1, 2]))
    with transaction.atomic():
        if Service.objects.count() < services_count:
            made = Service.objects.bulk_create(
                [
                    Service(
                        provider=receiver_agency,
                        name=f"Servicio {n:05d}",
                        category=CATEGORIES[n % len(CATEGORIES)],
                        description={"es": "Atención a personas retornadas y sus familias. " * 3},
                        nationwide=n % 10 == 0,
                        phone="2222-0000",
                        hours="Lunes a viernes, 8:00–16:00",
                    )
                    for n in range(services_count)
                ]
            )
            through = Service.areas.through
            through.objects.bulk_create(
                [through(service_id=s.pk, adminarea_id=rng.choice(areas).pk) for s in made if not s.nationwide for _ in range(2)],
                ignore_conflicts=True,
            )
        have = Referral.objects.filter(to_agency=receiver_agency).count()
        if have < referrals_count:
            person_ids = list(Person.objects.filter(agency=sender_agency).values_list("pk", flat=True)[:20000])
            service_ids = list(Service.objects.filter(provider=receiver_agency).values_list("pk", flat=True)[:200])
            now = timezone.now()
            statuses = ["sent", "accepted", "completed", "completed", "declined", "withdrawn", "completed"]
            batch = []
            for n in range(have, referrals_count):
                urgency = rng.choice(list(Urgency))
                sent = now - datetime.timedelta(hours=rng.uniform(0, 24 * 365))
                # Referrals older than a month were answered and closed; open ones are recent, as in an office.
                status = rng.choice(statuses if sent > now - datetime.timedelta(days=30) else ["completed", "declined", "withdrawn"])
                batch.append(
                    Referral(
                        public_id=f"SV-2099-R-{n:07d}",
                        person_id=rng.choice(person_ids),
                        source="case",
                        from_agency=sender_agency,
                        to_agency=receiver_agency,
                        service_id=rng.choice(service_ids),
                        urgency=urgency,
                        reason="Necesita acompañamiento",
                        share=["phone"] if n % 3 == 0 else [],
                        consent_given=True,
                        consent_method="signed",
                        status=status,
                        created_by=sender,
                        created_at=sent,
                        sent_at=sent,
                        due_at=sent + datetime.timedelta(hours=ANSWER_HOURS[urgency]),
                        answered_at=None if status == "sent" else sent + datetime.timedelta(hours=1),
                    )
                )
                if len(batch) == 5000:
                    Referral.objects.bulk_create(batch)
                    batch = []
            Referral.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE referrals_referral")
    return sender, officer, receiver_agency


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--services", type=int, default=2_000)
    parser.add_argument("--referrals", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from retorno.core.models import AdminArea
    from retorno.referrals.models import Referral, Service

    sender, officer, receiver_agency = build(args.people, args.services, args.referrals)
    municipalities = list(AdminArea.objects.filter(country__code="SV", level=AdminArea.Level.MUNICIPALITY).values_list("pk", flat=True))
    services = list(Service.objects.values_list("pk", flat=True)[:500])
    referrals = list(Referral.objects.filter(to_agency=receiver_agency).values_list("public_id", flat=True)[:5000])
    rng = random.Random(3)
    public = Client(HTTP_HOST="localhost")
    receiver = Client(HTTP_HOST="localhost")
    receiver.force_login(officer)
    caseworker = Client(HTTP_HOST="localhost")
    caseworker.force_login(sender)
    print(
        f"database: {connection.vendor}; {Service.objects.count()} services, "
        f"{Referral.objects.filter(to_agency=receiver_agency).count()} referrals received by one institution"
    )
    print(f"{args.requests} requests per kind")
    near = "/services/sv/?municipality="
    pages = {
        "public search: municipality + need": (
            public,
            lambda: f"{near}{rng.choice(municipalities)}&category=psychosocial",
        ),
        "public search: municipality, any need": (public, lambda: f"{near}{rng.choice(municipalities)}"),
        "public service page": (public, lambda: f"/services/sv/{rng.choice(services)}/"),
        "public rights page": (public, lambda: "/rights/"),
        "referrals received (inbox)": (receiver, lambda: "/referrals/?box=received"),
        "referrals received, overdue only": (receiver, lambda: "/referrals/?box=received&overdue=on"),
        "referral page (receiver, audited)": (receiver, lambda: f"/referrals/{rng.choice(referrals)}/"),
        "referrals sent (caseworker)": (caseworker, lambda: "/referrals/?box=sent"),
    }
    for label, (client, make_url) in pages.items():
        times, sizes = [], []
        for _ in range(args.requests):
            url = make_url()
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
            sizes.append(len(response.content))
        body = response.content
        weight = f"{statistics.median(sizes) / 1024:5.1f} KB ({len(gzip.compress(body)) / 1024:4.1f} KB gzipped)"
        print(f"{label:40s} {_percentiles(times)}   {weight}")


if __name__ == "__main__":
    main()
