"""The synthetic registry the benchmarks share: built once per database, kept between runs.

People come from bench/generate_registry.py (Spanish names, documents, dates of birth) and are
bulk-inserted with the registry's own search and blocking keys (without one audit event each,
which would only measure the audit). Call after django.setup().
"""

from __future__ import annotations

import datetime
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))


def build_registry(people: int) -> tuple[Any, Any, list[dict[str, str]], list[dict[str, str]]]:
    """(agency, caseworker, the registry's rows, later records of the same people as queries)."""
    from django.core.management import call_command
    from django.db import connection
    from generate_registry import generate

    from retorno.core.models import Agency, Country, User
    from retorno.core.permissions import Role
    from retorno.core.services import places_load_countries
    from retorno.core.text import fold
    from retorno.registry.linkage.normalize import document_normalize
    from retorno.registry.matching import blocking_keys_update
    from retorno.registry.models import IdentityDocument, Person

    call_command("migrate", verbosity=0)
    places_load_countries()
    sv = Country.objects.get(code="SV")
    agency, _ = Agency.objects.get_or_create(country=sv, acronym="BENCH", defaults={"name": "Bench", "kind": "government"})
    user = User.objects.filter(email="bench@retorno.test").first() or User.objects.create_user(
        "bench@retorno.test", "x" * 16, full_name="Bench", agency=agency, role=Role.CASEWORKER
    )
    have = Person.objects.filter(agency=agency, public_id__startswith="SV-2099-").count()
    rows = generate(int(people * 1.7), seed=11)
    seen: set[str] = set()
    registry, queries_rows = [], []
    for row in rows:  # the first record of each person goes in; a later one becomes a query
        (queries_rows if row["cluster"] in seen else registry).append(row)
        seen.add(row["cluster"])
    registry = registry[:people]
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
    if people > have:
        print(f"inserted {len(registry) - have} people in {time.monotonic() - started:.1f} s")
    if people > have or connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # planner statistics, as a production database keeps them
            cursor.execute("ANALYZE")
    return agency, user, registry, queries_rows
