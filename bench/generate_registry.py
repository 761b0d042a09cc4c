"""Synthetic registries with Spanish names, realistic typing errors and known truth.

    .venv/bin/python bench/generate_registry.py --people 10000 --out bench/data/registry_10k.csv

Writes the documented person CSV of `manage.py match_csv` (id, given_names, first_surname,
second_surname, sex, birth_date, document_number, municipality, department, address) plus a
`cluster` column: rows with the same cluster are the same person. About a third of the people
return more than once, and each new record of them carries the errors seen at reception desks:
accents dropped, second surname missing, surnames swapped, "María de los Ángeles" as
"Ma. Angeles", nicknames, a second given name dropped, a typo, day and month swapped, a wrong
year, a missing or mistyped document. Decoys share a common name, year and department, and
siblings share surnames and address, so that "same name" is not "same person".
"""

from __future__ import annotations

import argparse
import csv
import datetime
import random
import sys
import unicodedata
from pathlib import Path

from faker import Faker

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from retorno.registry.linkage.csvio import COLUMNS  # noqa: E402 (the documented CSV of match_csv)

ADMIN2 = ROOT / "retorno" / "core" / "data" / "admin2.csv"
NICKNAMES = {
    "José": "Chepe",
    "Francisco": "Paco",
    "Guadalupe": "Lupe",
    "Antonio": "Toño",
    "Guillermo": "Memo",
    "Rosario": "Chayo",
    "Jesús": "Chucho",
    "Ignacio": "Nacho",
}
ABBREVIATIONS = {"María": "Ma.", "Francisco": "Fco.", "José": "Jse.", "Guadalupe": "Gpe."}
COMMON_MALE = ["José", "Juan", "Carlos", "Luis", "José Luis", "Juan Carlos", "Mario", "Jorge"]
COMMON_SURNAMES = ["Hernández", "López", "Martínez", "García", "Rodríguez", "González", "Pérez", "Ramírez", "Flores", "Cruz"]


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def typo(rng: random.Random, text: str) -> str:
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.random()
    if kind < 0.35:
        return text[:i] + text[i + 1 :]  # a letter dropped
    if kind < 0.7:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]  # two letters swapped
    return text[:i] + rng.choice("aeiournslt") + text[i + 1 :]  # a letter replaced


def base_people(n: int, seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    fake = Faker("es_MX")
    fake.seed_instance(seed)
    with open(ADMIN2, encoding="utf-8") as f:
        places = [(row[5], row[3]) for row in csv.reader(f) if row and row[0] == "SV"]
    people = []
    today = datetime.date(2026, 1, 1)
    for k in range(n):
        sex = "M" if rng.random() < 0.7 else "F"
        if sex == "M" and rng.random() < 0.15:
            given = rng.choice(COMMON_MALE)
        else:
            given = fake.first_name_male() if sex == "M" else fake.first_name_female()
            if rng.random() < 0.45:
                given += " " + (fake.first_name_male() if sex == "M" else fake.first_name_female())
            if sex == "F" and rng.random() < 0.08:
                given = "María de los Ángeles"
        surnames = [rng.choice(COMMON_SURNAMES) if rng.random() < 0.3 else fake.last_name() for _ in range(2)]
        age = rng.choice([rng.randint(1, 17), rng.randint(18, 30), rng.randint(18, 45), rng.randint(25, 70)])
        birth = today - datetime.timedelta(days=age * 365 + rng.randint(0, 364))
        municipality, department = rng.choice(places)
        people.append(
            {
                "cluster": f"P{k:07d}",
                "given_names": given,
                "first_surname": surnames[0],
                "second_surname": surnames[1],
                "sex": sex,
                "birth_date": birth.isoformat(),
                "document_number": f"{rng.randint(0, 99999999):08d}-{rng.randint(0, 9)}" if age >= 18 and rng.random() < 0.75 else "",
                "municipality": municipality,
                "department": department,
                "address": f"{fake.street_name()} {rng.randint(1, 200)}",
            }
        )
        if rng.random() < 0.03:  # a sibling: same surnames and address, another person
            sibling = dict(people[-1])
            sibling.update(
                cluster=f"S{k:07d}",
                given_names=fake.first_name_male() if sex == "M" else fake.first_name_female(),
                birth_date=(birth + datetime.timedelta(days=rng.randint(400, 3000))).isoformat(),
                document_number="",
            )
            people.append(sibling)
    return people


def variant(rng: random.Random, person: dict[str, str]) -> dict[str, str]:
    """Another record of the same person, typed at another desk."""
    row = dict(person)
    if rng.random() < 0.5:
        for key in ("given_names", "first_surname", "second_surname"):
            row[key] = strip_accents(row[key])
    if rng.random() < 0.2:
        row["given_names"] = row["given_names"].upper()
        row["first_surname"] = row["first_surname"].upper()
    if rng.random() < 0.2:
        row["second_surname"] = ""
    elif rng.random() < 0.1:
        row["first_surname"], row["second_surname"] = row["second_surname"], row["first_surname"]
    words = row["given_names"].split(" ")
    r = rng.random()
    if r < 0.12 and strip_accents(words[0]) in {strip_accents(k) for k in ABBREVIATIONS}:
        key = next(k for k in ABBREVIATIONS if strip_accents(k) == strip_accents(words[0]))
        row["given_names"] = " ".join([ABBREVIATIONS[key]] + [w for w in words[1:] if w.lower() not in ("de", "los")])
    elif r < 0.2 and strip_accents(words[0]) in {strip_accents(k) for k in NICKNAMES}:
        key = next(k for k in NICKNAMES if strip_accents(k) == strip_accents(words[0]))
        row["given_names"] = NICKNAMES[key]
    elif r < 0.35 and len(words) > 1:
        row["given_names"] = words[0]
    for key in ("given_names", "first_surname", "second_surname"):
        if rng.random() < 0.08:
            row[key] = typo(rng, row[key])
    birth = datetime.date.fromisoformat(row["birth_date"])
    r = rng.random()
    if r < 0.08 and birth.day <= 12 and birth.day != birth.month:
        birth = birth.replace(day=birth.month, month=birth.day)
    elif r < 0.13:
        birth = birth.replace(year=birth.year + rng.choice([-1, 1])) if not (birth.month == 2 and birth.day == 29) else birth
    elif r < 0.18:
        birth = birth + datetime.timedelta(days=rng.randint(-20, 20))
    row["birth_date"] = "" if rng.random() < 0.08 else birth.isoformat()
    if row["document_number"] and rng.random() < 0.45:
        row["document_number"] = ""
    elif row["document_number"] and rng.random() < 0.06:
        row["document_number"] = typo(rng, row["document_number"])
    if rng.random() < 0.3:
        row["municipality"] = ""
    if rng.random() < 0.6:
        row["address"] = ""
    return row


def generate(n_people: int, seed: int = 2026) -> list[dict[str, str]]:
    """About n_people records: base people plus their repeat records, shuffled."""
    rng = random.Random(seed + 1)
    people = base_people(int(n_people / 1.58), seed)
    rows = []
    for person in people:
        rows.append(variant(rng, person) if rng.random() < 0.5 else dict(person))
        extra = rng.choices([0, 1, 2, 3], weights=[62, 25, 9, 4])[0]
        rows.extend(variant(rng, person) for _ in range(extra))
    rng.shuffle(rows)
    for i, row in enumerate(rows):
        row["id"] = f"R{i:07d}"
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000, help="approximate number of records")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    rows = generate(args.people, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=[*COLUMNS, "cluster"])
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} records of {len({r['cluster'] for r in rows})} people written to {args.out}")


if __name__ == "__main__":
    main()
