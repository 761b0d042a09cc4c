"""Family tracing quality and speed: does a relative's description find the right child?

    .venv/bin/python bench/tracing.py                      # 100,000 people, 1,000 requests (SQLite)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/retorno_tracing .venv/bin/python bench/tracing.py

A population of people with Spanish names (bench/generate_registry.py: common names, siblings who
share surnames and address), in which every child has a protection case with consent to tracing,
so that every child is a candidate. For the children a family looks for, look-alike decoys are
added: a cousin with the same first surname, a similar given name, a close age and the same
municipality. Each tracing request describes its child the way a relative does: accents dropped,
a second surname missing or surnames swapped, a nickname, a given name shortened, typing errors,
an age instead of the date of birth, or a date off by a day-month swap or a year.

Requests go through `retorno.protection.tracing.children_like`, the function the application
calls. Prints the share of requests whose child ranks first and in the top 5, precision at 1
(the first candidate is the child, among requests with any candidate) and time per request.
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
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("RETORNO_ALLOW_INSECURE_KEY", "1")
if not os.environ.get("DATABASE_URL"):  # one file per population size, built once
    (ROOT / "bench" / "data").mkdir(parents=True, exist_ok=True)
    size = sys.argv[sys.argv.index("--people") + 1] if "--people" in sys.argv else "100000"
    os.environ.setdefault("SQLITE_PATH", str(ROOT / "bench" / "data" / f"tracing_{size}.sqlite3"))

TODAY = datetime.date(2026, 11, 1)
COUSIN_NAMES = {
    "M": ["Kevin", "Brayan", "José", "Carlos", "Luis", "Jonathan"],
    "F": ["Yesenia", "Katherine", "María", "Ana", "Fátima", "Jennifer"],
}


def cousin(rng: random.Random, child: dict[str, str]) -> dict[str, str]:
    """A look-alike: same first surname and municipality, close age, a given name sharing the
    first word half of the time."""
    birth = datetime.date.fromisoformat(child["birth_date"])
    words = child["given_names"].split()
    given = (words[0] + " " + rng.choice(COUSIN_NAMES[child["sex"]])) if rng.random() < 0.5 else rng.choice(COUSIN_NAMES[child["sex"]])
    return {
        **child,
        "given_names": given,
        "second_surname": rng.choice(["López", "Martínez", child["second_surname"]]),
        "birth_date": min(birth + datetime.timedelta(days=rng.randint(-700, 700)), TODAY - datetime.timedelta(days=60)).isoformat(),
    }


def described(rng: random.Random, child: dict[str, str]) -> dict[str, object]:
    """What a relative says about the child, with the errors of an interview."""
    from generate_registry import variant

    row = variant(rng, {**child, "document_number": ""})
    sought: dict[str, object] = {
        "given_names": row["given_names"],
        "first_surname": row["first_surname"],
        "second_surname": row["second_surname"],
        "sex": child["sex"] if rng.random() < 0.9 else "",
        "known_as": "",
        "birth_date": None,
        "age": None,
    }
    if not row["given_names"].strip():
        sought["given_names"] = child["given_names"]
    birth = datetime.date.fromisoformat(child["birth_date"])
    if rng.random() < 0.5:  # families often give an age, not a date
        sought["age"] = max(0, TODAY.year - birth.year - ((TODAY.month, TODAY.day) < (birth.month, birth.day)))
    elif row["birth_date"]:
        sought["birth_date"] = datetime.date.fromisoformat(row["birth_date"])
    if rng.random() < 0.15:  # the name the family uses at home, the real one forgotten
        sought["known_as"], sought["given_names"] = str(sought["given_names"]).split()[0], ""
    return sought


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=1_000)
    parser.add_argument("--show-misses", action="store_true", help="print what the family said about children not ranked first")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from generate_registry import base_people

    from retorno.core.models import AdminArea, Agency, Country, User
    from retorno.core.permissions import Role
    from retorno.core.services import places_load_all
    from retorno.core.text import fold
    from retorno.protection.models import ProtectionCase, SoughtPerson, TracingRequest
    from retorno.protection.tracing import children_like
    from retorno.registry.matching import blocking_keys_update
    from retorno.registry.models import Person

    call_command("migrate", verbosity=0)
    sv = Country.objects.filter(code="SV", admin_areas__isnull=False).first()
    if sv is None:
        places_load_all()
        sv = Country.objects.get(code="SV")
    conna, _ = Agency.objects.get_or_create(
        country=sv,
        acronym="CONNA-B",
        defaults={"name": "Bench child protection", "kind": "government", "is_child_protection_authority": True},
    )
    officer = User.objects.filter(email="tracing@retorno.test").first() or User.objects.create_user(
        "tracing@retorno.test", "x" * 16, full_name="Bench", agency=conna, role=Role.CHILD_PROTECTION_OFFICER
    )
    rng = random.Random(2026)
    people = base_people(args.people, seed=6)
    children = [p for p in people if (TODAY - datetime.date.fromisoformat(p["birth_date"])).days < 18 * 365]
    targets = rng.sample(children, args.requests)
    for target in targets:  # one or two look-alike cousins in protection too
        target["target"] = "1"
        people.extend(cousin(rng, target) for _ in range(rng.choice([1, 2])))

    areas = {
        (fold(a.name), fold(a.parent.name)): a.pk
        for a in AdminArea.objects.filter(country=sv, level=AdminArea.Level.MUNICIPALITY).select_related("parent")
    }
    if not Person.objects.filter(public_id__startswith="SV-2098-").exists():
        started = time.monotonic()
        batch: list[Person] = []
        for n, row in enumerate(people):
            person = Person(
                public_id=f"SV-2098-{n:07d}",
                agency=conna,
                given_names=row["given_names"],
                first_surname=row["first_surname"],
                second_surname=row["second_surname"],
                sex=row["sex"],
                birth_date=datetime.date.fromisoformat(row["birth_date"]),
                municipality_of_origin_id=areas.get((fold(row["municipality"]), fold(row["department"]))),
                search_name=fold(f"{row['given_names']} {row['first_surname']} {row['second_surname']}"),
            )
            blocking_keys_update(person)
            batch.append(person)
            if len(batch) == 5000 or n == len(people) - 1:
                created = Person.objects.bulk_create(batch)
                received = timezone.now() - datetime.timedelta(days=10)
                ProtectionCase.objects.bulk_create(
                    ProtectionCase(
                        public_id=f"SV-2098-P-{p.public_id[-7:]}",
                        agency=conna,
                        child=p,
                        received_at=received,
                        tracing_consent=True,
                        tracing_consent_method="authority",
                    )
                    for p in created
                    if p.birth_date and (TODAY - p.birth_date).days < 18 * 365
                )
                batch = []
        print(f"inserted {len(people)} people in {time.monotonic() - started:.0f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    ids = dict(Person.objects.filter(public_id__startswith="SV-2098-").values_list("public_id", "pk"))
    in_protection = ProtectionCase.objects.filter(agency=conna).count()
    print(f"{len(ids)} people, {in_protection} children in protection with consent to tracing, {args.requests} tracing requests")

    area_of = AdminArea.objects.in_bulk(list(areas.values()))
    TracingRequest.objects.filter(agency=conna).delete()
    first = top5 = answered = 0
    times: list[float] = []
    index = {id(p): n for n, p in enumerate(people)}
    for target in targets:
        truth = ids[f"SV-2098-{index[id(target)]:07d}"]
        area_id = areas.get((fold(target["municipality"]), fold(target["department"])))
        request = TracingRequest.objects.create(
            public_id=f"SV-2098-T-{len(times):06d}",
            agency=conna,
            inquirer_name="Bench",
            inquirer_relationship="mother",
            inquirer_phone="7000-0000",
            inquirer_municipality=area_of.get(area_id) if rng.random() < 0.7 else None,
            created_by=officer,
            created_at=timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(10))),
        )
        sought = SoughtPerson.objects.create(request=request, **described(rng, target))  # type: ignore[arg-type]
        started = time.perf_counter()
        found = children_like(sought, country_id=sv.pk)
        times.append((time.perf_counter() - started) * 1000)
        ranked = [case.child_id for case, _p, _f in found]
        answered += bool(ranked)
        first += bool(ranked) and ranked[0] == truth
        top5 += truth in ranked[:5]
        if args.show_misses and (not ranked or ranked[0] != truth):
            said = {
                k: v
                for k, v in sought.__dict__.items()
                if k in ("given_names", "known_as", "first_surname", "second_surname", "sex", "birth_date", "age")
            }
            child = {k: target[k] for k in ("given_names", "first_surname", "second_surname", "sex", "birth_date")}
            print("MISS", said, "→", child, "rank", ranked.index(truth) + 1 if truth in ranked else None)
    # Families also look for children who are not in protection: whatever comes up is a false lead.
    strangers = [
        p for p in base_people(args.requests * 3, seed=99) if (TODAY - datetime.date.fromisoformat(p["birth_date"])).days < 18 * 365
    ]
    leads = strong = 0
    for number, stranger in enumerate(strangers[: args.requests // 5]):
        request = TracingRequest.objects.create(
            public_id=f"SV-2098-X-{number:06d}",
            agency=conna,
            inquirer_name="Bench",
            inquirer_relationship="father",
            inquirer_phone="7000-0000",
            created_by=officer,
            created_at=timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(10))),
        )
        found = children_like(SoughtPerson.objects.create(request=request, **described(rng, stranger)), country_id=sv.pk)  # type: ignore[arg-type]
        leads += bool(found)
        strong += bool(found) and found[0][1] >= 0.5
    n = len(targets)
    times.sort()
    print(f"true child first:   {first / n:.1%} ({first}/{n})")
    print(f"true child in top 5: {top5 / n:.1%} ({top5}/{n})")
    print(f"precision at 1:     {first / max(answered, 1):.1%} (requests with any candidate: {answered})")
    absent = len(strangers[: args.requests // 5])
    print(f"children not in protection: {leads}/{absent} requests got a candidate to review, {strong} with probability >= 0.5")
    print(f"time per request:   p50 {statistics.median(times):.0f} ms, p95 {times[int(0.95 * (n - 1))]:.0f} ms ({connection.vendor})")


if __name__ == "__main__":
    main()
