"""Baseline: how fast the people list search and the person page answer as the registry grows.

    .venv/bin/python bench/registry_search.py --people 100000            # SQLite file in bench/data/
    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/retorno_bench \
        .venv/bin/python bench/registry_search.py --people 100000        # PostgreSQL

People are bulk-inserted (the registry's own search key and public ids, without one audit event
each, which would only measure the audit); queries then go through the real selectors, which
scope, search and audit as the pages do. Prints p50/p95 in milliseconds.
"""

from __future__ import annotations

import argparse
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
if not os.environ.get("DATABASE_URL"):
    (ROOT / "bench" / "data").mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("SQLITE_PATH", str(ROOT / "bench" / "data" / "registry_search.sqlite3"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from faker import Faker

    from retorno.core.models import Agency, Country, User
    from retorno.core.permissions import Role
    from retorno.core.services import fold, places_load_countries
    from retorno.registry.models import Person
    from retorno.registry.selectors import person_get_for_user, person_search

    call_command("migrate", verbosity=0)
    places_load_countries()
    sv = Country.objects.get(code="SV")
    agency, _ = Agency.objects.get_or_create(country=sv, acronym="BENCH", defaults={"name": "Bench", "kind": "government"})
    user = User.objects.filter(email="bench@retorno.test").first() or User.objects.create_user(
        "bench@retorno.test", "x" * 16, full_name="Bench", agency=agency, role=Role.CASEWORKER
    )
    fake = Faker("es_MX")
    fake.seed_instance(7)
    rng = random.Random(7)
    have = Person.objects.filter(agency=agency).count()
    started = time.monotonic()
    batch: list[Person] = []
    for n in range(have, args.people):
        given, first, second = fake.first_name(), fake.last_name(), fake.last_name()
        batch.append(
            Person(
                public_id=f"SV-2099-{n:07d}",
                agency=agency,
                given_names=given,
                first_surname=first,
                second_surname=second,
                sex=rng.choice("FM"),
                search_name=fold(f"{given} {first} {second}"),
            )
        )
        if len(batch) == 5000:
            Person.objects.bulk_create(batch)
            batch = []
    Person.objects.bulk_create(batch)
    if args.people > have:
        print(f"inserted {args.people - have} people in {time.monotonic() - started:.1f} s")

    people = list(Person.objects.filter(agency=agency).values_list("public_id", "given_names", "first_surname")[:5000])
    queries = [rng.choice(people) for _ in range(args.queries)]

    def timed(fn: object) -> list[float]:
        out = []
        for public_id, given, surname in queries:
            t = time.perf_counter()
            fn(public_id, given, surname)  # type: ignore[operator]
            out.append((time.perf_counter() - t) * 1000)
        return out

    search_full = timed(lambda pid, g, s: person_search(user=user, query=f"{fold(g)} {fold(s)}"))
    search_surname = timed(lambda pid, g, s: person_search(user=user, query=fold(s)))
    page = timed(lambda pid, g, s: person_get_for_user(user=user, public_id=pid))

    def p(values: list[float], q: float) -> float:
        return statistics.quantiles(values, n=100)[int(q) - 1]

    print(f"database: {connection.vendor}; people: {Person.objects.filter(agency=agency).count()}")
    for name, values in (("search given+surname", search_full), ("search surname only", search_surname), ("person by id", page)):
        print(f"{name:22s} p50 {p(values, 50):7.1f} ms   p95 {p(values, 95):7.1f} ms")


if __name__ == "__main__":
    main()
