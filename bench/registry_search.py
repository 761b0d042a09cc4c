"""How fast the people search, the person page and `candidates_for` answer as the registry grows.

    .venv/bin/python bench/registry_search.py --people 100000            # SQLite file in bench/data/
    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/retorno_bench \
        .venv/bin/python bench/registry_search.py --people 100000        # PostgreSQL

People come from bench/generate_registry.py (Spanish names, documents, dates of birth) and are
bulk-inserted with the registry's own search and blocking keys (without one audit event each,
which would only measure the audit); queries then go through the real selectors and
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
    from django.core.management import call_command
    from django.db import connection

    from retorno.core.models import Agency, Country, User
    from retorno.core.permissions import Role
    from retorno.core.services import places_load_countries
    from retorno.core.text import fold
    from retorno.registry.linkage.normalize import document_normalize
    from retorno.registry.linkage.records import Record
    from retorno.registry.matching import blocking_keys_update, candidates_for
    from retorno.registry.models import IdentityDocument, Person
    from retorno.registry.selectors import person_get_for_user, person_search

    call_command("migrate", verbosity=0)
    places_load_countries()
    sv = Country.objects.get(code="SV")
    agency, _ = Agency.objects.get_or_create(country=sv, acronym="BENCH", defaults={"name": "Bench", "kind": "government"})
    user = User.objects.filter(email="bench@retorno.test").first() or User.objects.create_user(
        "bench@retorno.test", "x" * 16, full_name="Bench", agency=agency, role=Role.CASEWORKER
    )
    sys.path.insert(0, str(ROOT / "bench"))
    from generate_registry import generate

    rng = random.Random(7)
    have = Person.objects.filter(agency=agency).count()
    rows = generate(int(args.people * 1.7), seed=11)
    seen: set[str] = set()
    registry, queries_rows = [], []
    for row in rows:  # the first record of each person goes in; a later one becomes a query
        (queries_rows if row["cluster"] in seen else registry).append(row)
        seen.add(row["cluster"])
    registry = registry[: args.people]
    started = time.monotonic()
    batch: list[Person] = []
    documents: list[tuple[int, str]] = []
    for n, row in enumerate(registry[have:], start=have):
        birth = datetime.date.fromisoformat(row["birth_date"]) if row["birth_date"] else None
        person = Person(
            public_id=f"SV-2099-{n:07d}",
            agency=agency,
            given_names=row["given_names"],
            first_surname=row["first_surname"],
            second_surname=row["second_surname"],
            sex=row["sex"],
            birth_date=birth,
            search_name=fold(f"{row['given_names']} {row['first_surname']} {row['second_surname']}"),
        )
        blocking_keys_update(person)
        batch.append(person)
        if row["document_number"]:
            documents.append((len(batch) - 1, row["document_number"]))
        if len(batch) == 5000 or n == len(registry) - 1:
            Person.objects.bulk_create(batch)
            IdentityDocument.objects.bulk_create(
                IdentityDocument(person=batch[i], kind="national_id", number=d, number_normalized=document_normalize(d), issuing_country=sv)
                for i, d in documents
            )
            batch, documents = [], []
    if args.people > have:
        print(f"inserted {len(registry) - have} people in {time.monotonic() - started:.1f} s")

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
