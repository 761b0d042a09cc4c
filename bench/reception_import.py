"""A flight arrives at a reception centre whose registry holds a million people.

    .venv/bin/python bench/reception_import.py --people 1000000          # SQLite file in bench/data/
    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/retorno_bench \
        .venv/bin/python bench/reception_import.py --people 1000000      # PostgreSQL

Uses the registry of bench/bench_registry.py (the same database file as registry_search.py).
Each manifest has 150 rows in the form the authorities send (Spanish headers, dd/mm/yyyy, a
Windows-1252 CSV): 30 people who returned before, typed differently this time, and 120 new
ones. The import goes through the real services: read and check the file, then for every row
`candidates_for` and link, keep a possible match for the desk, or register a new person (with
its audit event). The desk search is the page's: any part of a name, accents and word order
ignored, over the arrival's list, with its audit event. Prints the figures.
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
if not os.environ.get("DATABASE_URL"):
    (ROOT / "bench" / "data").mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("SQLITE_PATH", str(ROOT / "bench" / "data" / "registry_search.sqlite3"))

ROWS, RETURNING = 150, 30
NEW_VERDICTS = {
    "new": "new person registered as new",
    "possible": "new person shown as possible match",
    "linked": "new person linked to a namesake (wrong)",
}
HEADER = "Nombres;Primer apellido;Segundo apellido;Fecha de nacimiento;Sexo;No. documento;Nacionalidad\n"


def _line(row: dict[str, str]) -> str:
    birth = datetime.date.fromisoformat(row["birth_date"]).strftime("%d/%m/%Y") if row["birth_date"] else ""
    return f"{row['given_names']};{row['first_surname']};{row['second_surname']};{birth};{row['sex']};{row['document_number']};SV\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--manifests", type=int, default=5)
    parser.add_argument("--searches", type=int, default=300)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from retorno.core.models import Country, Site, User
    from retorno.core.permissions import Role
    from retorno.core.text import fold
    from retorno.reception import selectors, services
    from retorno.reception.models import Arrival
    from retorno.registry.models import Person

    sys.path.insert(0, str(ROOT / "bench"))
    from bench_registry import build_registry
    from generate_registry import generate

    agency, _caseworker, registry, queries_rows = build_registry(args.people)
    officer = User.objects.filter(email="recepcion.bench@retorno.test").first() or User.objects.create_user(
        "recepcion.bench@retorno.test", "x" * 16, full_name="Recepción", agency=agency, role=Role.RECEPTION_OFFICER
    )
    site, _ = Site.objects.get_or_create(agency=agency, name="Centro de recepción (bench)", kind=Site.Kind.RECEPTION_CENTRE)
    rng = random.Random(5)
    in_registry = {row["cluster"] for row in registry}
    returning = [row for row in queries_rows if row["cluster"] in in_registry]
    fresh: list[dict[str, str]] = []
    seen: set[str] = set()
    for row in generate(ROWS * args.manifests * 2, seed=9000 + Person.objects.count() % 1000):
        if row["cluster"] not in seen:
            seen.add(row["cluster"])
            fresh.append(row)
    by_cluster = {row["cluster"]: f"SV-2099-{n:07d}" for n, row in enumerate(registry)}
    verdicts: dict[str, int] = {}
    timings, outcomes, arrival = [], [], None
    for n in range(args.manifests):
        # Each row with the registry record it truly is (None: someone new; the fresh rows come from
        # another generation, whose cluster labels mean nothing here).
        tagged = [(row, by_cluster[row["cluster"]]) for row in rng.sample(returning, RETURNING)]
        tagged += [(row, None) for row in fresh[n * (ROWS - RETURNING) : (n + 1) * (ROWS - RETURNING)]]
        rng.shuffle(tagged)
        rows = [row for row, _truth in tagged]
        content = (HEADER + "".join(_line(r) for r in rows)).encode("cp1252", errors="replace")
        arrival = services.arrival_create(
            actor=officer,
            site=site,
            returned_from=Country.objects.get(code="US"),
            mode=Arrival.Mode.AIR,
            scheduled_at=timezone.now(),
            expected_count=ROWS,
        )
        started = time.perf_counter()
        imp = services.manifest_check(actor=officer, arrival=arrival, filename="manifiesto.csv", content=content)
        imp = services.manifest_import_start(actor=officer, imp=imp, valid_only=True, background=False)
        timings.append(time.perf_counter() - started)
        outcomes.append((imp.rows_total, imp.rows_bad, imp.linked, imp.possible, imp.created))
        # Against the truth: who returned (in the registry) and who is new.
        for entry in arrival.people.select_related("person", "candidate"):
            truth = tagged[entry.manifest_row - 2][1]
            shown = (entry.person or entry.candidate).public_id if (entry.person or entry.candidate) else None
            if truth is None:
                verdict = NEW_VERDICTS[entry.match]
            elif entry.match == "new":
                verdict = "returnee not found (registered again)"
            else:
                how = "linked" if entry.match == "linked" else "shown as possible"
                verdict = f"returnee {how} to {'the right' if shown == truth else 'a wrong'} record"
            verdicts[verdict] = verdicts.get(verdict, 0) + 1
    assert arrival is not None

    entries = list(arrival.people.values_list("given_names", "first_surname", "second_surname"))
    searches = []
    for _ in range(args.searches):
        given, first, second = rng.choice(entries)
        kind = rng.randrange(4)
        if kind == 0:
            query = fold(first)  # a surname, without accents
        elif kind == 1:
            query = f"{second or first} {given.split()[0]}".upper()  # surname first, in capitals
        elif kind == 2:
            query = given.split()[0][:4]  # the start of a given name, as typed so far
        else:
            query = f"{given} {first} {second}".strip()  # the whole name, accents and all
        searches.append(query)
    search_times, hits = [], 0
    for query in searches:
        started = time.perf_counter()
        found = selectors.arrival_people(user=officer, arrival=arrival, query=query)
        search_times.append((time.perf_counter() - started) * 1000)
        hits += bool(found)

    def q(values: list[float], pct: int) -> float:
        return statistics.quantiles(values, n=100)[pct - 1]

    print(f"database: {connection.vendor}; people in the registry: {Person.objects.count()}")
    for seconds, (total, bad, linked, possible, created) in zip(timings, outcomes, strict=True):
        print(f"manifest of {total} rows ({bad} bad): {seconds:.2f} s — {linked} linked, {possible} possible, {created} new")
    for verdict, count in sorted(verdicts.items()):
        print(f"  {count:4d}  {verdict}")
    print(f"import 150 rows with linking: median {statistics.median(timings):.2f} s, worst {max(timings):.2f} s")
    p50, p95 = q(search_times, 50), q(search_times, 95)
    print(f"desk name search ({len(searches)} queries, {hits} found someone): p50 {p50:.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
