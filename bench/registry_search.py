"""How fast the people search, the person page and `candidates_for` answer as the registry grows.

    .venv/bin/python bench/registry_search.py --people 100000            # SQLite file in bench/data/
    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/retorno_bench \
        .venv/bin/python bench/registry_search.py --people 100000        # PostgreSQL

The registry comes from bench/bench_registry.py (shared with the reception benchmark); queries
go through the real selectors and
`candidates_for`, which scope, search, score and audit as the pages do. The candidate queries
are other records of people in the registry, typed with the usual errors. Prints p50/p95 in ms.
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
if not os.environ.get("DATABASE_URL"):
    (ROOT / "bench" / "data").mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("SQLITE_PATH", str(ROOT / "bench" / "data" / "registry_search.sqlite3"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--candidates-only", action="store_true", help="skip the substring name search (slow at 1M)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    from retorno.core.text import fold
    from retorno.registry.linkage.records import Record
    from retorno.registry.matching import candidates_for
    from retorno.registry.models import Person
    from retorno.registry.selectors import person_get_for_user, person_search

    sys.path.insert(0, str(ROOT / "bench"))
    from bench_registry import build_registry

    agency, user, registry, queries_rows = build_registry(args.people)
    rng = random.Random(7)
    people = list(Person.objects.filter(agency=agency).values_list("public_id", "given_names", "first_surname")[:5000])
    queries = [rng.choice(people) for _ in range(args.queries)]

    def timed(fn: object) -> list[float]:
        out = []
        for public_id, given, surname in queries:
            t = time.perf_counter()
            fn(public_id, given, surname)  # type: ignore[operator]
            out.append((time.perf_counter() - t) * 1000)
        return out

    in_registry = {row["cluster"] for row in registry}
    candidate_queries = [r for r in queries_rows if r["cluster"] in in_registry][: args.queries]

    def as_record(row: dict[str, str]) -> Record:
        birth = datetime.date.fromisoformat(row["birth_date"]) if row["birth_date"] else None
        return Record(
            "q", row["given_names"], row["first_surname"], row["second_surname"], row["sex"], birth, document_number=row["document_number"]
        )

    candidate_times, found = [], 0
    by_cluster = {row["cluster"]: f"SV-2099-{n:07d}" for n, row in enumerate(registry)}
    for row in candidate_queries:
        t = time.perf_counter()
        result = candidates_for(user=user, record=as_record(row))
        candidate_times.append((time.perf_counter() - t) * 1000)
        found += bool(result) and result[0].person is not None and result[0].person.public_id == by_cluster[row["cluster"]]

    page = timed(lambda pid, g, s: person_get_for_user(user=user, public_id=pid))
    if args.candidates_only:
        search_full = search_surname = [0.0, 0.0]
    else:
        search_full = timed(lambda pid, g, s: person_search(user=user, query=f"{fold(g)} {fold(s)}"))
        search_surname = timed(lambda pid, g, s: person_search(user=user, query=fold(s)))

    def p(values: list[float], q: float) -> float:
        return statistics.quantiles(values, n=100)[int(q) - 1]

    print(f"database: {connection.vendor}; people: {Person.objects.filter(agency=agency).count()}")
    print(f"candidates_for: the true person ranked first for {found} of {len(candidate_queries)} queries")
    for name, values in (
        ("candidates_for", candidate_times),
        ("search given+surname", search_full),
        ("search surname only", search_surname),
        ("person by id", page),
    ):
        print(f"{name:22s} p50 {p(values, 50):7.1f} ms   p95 {p(values, 95):7.1f} ms")


if __name__ == "__main__":
    main()
