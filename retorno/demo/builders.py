"""Deterministic, realistic demo data: the institutions of the four countries, a user per
role, and returnees in the proportions of REFERENCE.md.

Everything is written through the apps' services (people get public ids and audit
events like real ones). The same seed gives the same data.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from faker import Faker

from retorno.core.models import AdminArea, Agency, Country, PointOfEntry, Site, User
from retorno.core.permissions import Role
from retorno.core.services import places_load_all
from retorno.programmes.services import seed_projects_load
from retorno.registry.models import EthnicGroup, Language, Person
from retorno.registry.services import person_create, reference_lists_load

DEMO_PASSWORD = "Retorno-demo-2026"  # printed by `make demo`; demo databases only
SIZES = {"small": 300, "medium": 3000, "large": 30000}

# (country, acronym, name, kind, child-protection authority, [(site name, site kind, municipality, point of entry code)])
AGENCIES: list[tuple[str, str, str, str, bool, list[tuple[str, str, str, str]]]] = [
    (
        "SV",
        "DGME",
        "Dirección General de Migración y Extranjería",
        Agency.Kind.GOVERNMENT,
        False,
        [
            ("Centro de Atención Integral al Migrante — Aeropuerto", Site.Kind.RECEPTION_CENTRE, "San Luis Talpa", "SV-SAL"),
            ("Dirección de Atención al Migrante (DAMI)", Site.Kind.RECEPTION_CENTRE, "San Salvador", ""),
        ],
    ),
    ("SV", "CONNA", "Consejo Nacional de la Niñez y de la Adolescencia", Agency.Kind.GOVERNMENT, True, []),
    (
        "SV",
        "OIM-SV",
        "Organización Internacional para las Migraciones — El Salvador",
        Agency.Kind.IOM,
        False,
        [("Ventanilla La Unión", Site.Kind.INFORMATION_OFFICE, "La Unión", "")],
    ),
    ("SV", "ALC-LU", "Alcaldía Municipal de La Unión", Agency.Kind.MUNICIPAL, False, []),
    ("SV", "CARITAS", "Cáritas El Salvador", Agency.Kind.NGO, False, []),
    (
        "HN",
        "CAMR",
        "Centro de Atención al Migrante Retornado — San Pedro Sula",
        Agency.Kind.GOVERNMENT,
        False,
        [("CAMR San Pedro Sula", Site.Kind.RECEPTION_CENTRE, "La Lima", "HN-SAP")],
    ),
    ("HN", "DINAF", "Dirección de Niñez, Adolescencia y Familia", Agency.Kind.GOVERNMENT, True, []),
    ("HN", "OIM-HN", "Organización Internacional para las Migraciones — Honduras", Agency.Kind.IOM, False, []),
    (
        "GT",
        "IGM",
        "Instituto Guatemalteco de Migración",
        Agency.Kind.GOVERNMENT,
        False,
        [("Centro de Recepción de Retornados — Fuerza Aérea", Site.Kind.RECEPTION_CENTRE, "Guatemala", "GT-FAG")],
    ),
    ("GT", "SBS", "Secretaría de Bienestar Social de la Presidencia", Agency.Kind.GOVERNMENT, True, []),
    ("GT", "OIM-GT", "Organización Internacional para las Migraciones — Guatemala", Agency.Kind.IOM, False, []),
    ("CO", "MIGCOL", "Migración Colombia", Agency.Kind.GOVERNMENT, False, []),
    ("CO", "ICBF", "Instituto Colombiano de Bienestar Familiar", Agency.Kind.GOVERNMENT, True, []),
    (
        "CO",
        "OIM-CO",
        "Organización Internacional para las Migraciones — Colombia",
        Agency.Kind.IOM,
        False,
        [("Centro de Atención al Migrante — Maicao", Site.Kind.ASSISTANCE_CENTRE, "Maicao", "")],
    ),
]

# The El Salvador team that `make demo` prints: (e-mail local part, full name, agency acronym, role)
SV_USERS: list[tuple[str, str, str, Role]] = [
    ("recepcion", "Karla Beatriz Mejía Rivas", "DGME", Role.RECEPTION_OFFICER),
    ("supervisora", "Ana Gabriela Portillo Cañas", "DGME", Role.SUPERVISOR),
    ("gestor", "José Luis Hernández Ayala", "DGME", Role.CASEWORKER),
    ("gestora", "Marta Elena Flores Castillo", "DGME", Role.CASEWORKER),
    ("proteccion", "María de los Ángeles Guzmán Flores", "CONNA", Role.CHILD_PROTECTION_OFFICER),
    ("supervision", "Lorena Isabel Chávez Molina", "CONNA", Role.SUPERVISOR),  # approves best-interests assessments
    ("psicosocial", "Julia Beatriz Romero Alas", "CONNA", Role.PSYCHOSOCIAL_SPECIALIST),  # sessions with children and families
    ("psicosocial", "Rosa Elena Martínez Orellana", "DGME", Role.PSYCHOSOCIAL_SPECIALIST),
    ("ventanilla", "Carlos Antonio Reyes Pérez", "OIM-SV", Role.INFORMATION_OFFICER),
    ("coordinacion", "Lucía Fernanda Alvarado Menjívar", "OIM-SV", Role.ME_COORDINATOR),
    ("admin", "Ernesto Rafael Quintanilla Bonilla", "OIM-SV", Role.ADMINISTRATOR),
    ("gestor.oim", "Sofía Marisol Chávez Molina", "OIM-SV", Role.CASEWORKER),
    ("supervisor.oim", "Mauricio Ernesto Rivas Landaverde", "OIM-SV", Role.SUPERVISOR),  # accepts transfers
]


@dataclass
class DemoResult:
    users: list[tuple[str, str, str]]  # (e-mail, role label, agency)
    people: int


def _email(local: str, acronym: str) -> str:
    return f"{local}@{acronym.lower().replace('-', '')}.demo.retorno.org"


@transaction.atomic
def build_institutions() -> list[tuple[str, str, str]]:
    places_load_all()
    reference_lists_load()
    countries = {c.code: c for c in Country.objects.filter(is_operating=True)}
    agencies: dict[str, Agency] = {}
    for code, acronym, name, kind, cpa, sites in AGENCIES:
        agency, _ = Agency.objects.update_or_create(
            country=countries[code], acronym=acronym, defaults={"name": name, "kind": kind, "is_child_protection_authority": cpa}
        )
        agencies[acronym] = agency
        for site_name, site_kind, municipality, poe_code in sites:
            Site.objects.update_or_create(
                agency=agency,
                name=site_name,
                defaults={
                    "kind": site_kind,
                    "municipality": AdminArea.objects.filter(country__code=code, level=2, name=municipality).first(),
                    "point_of_entry": PointOfEntry.objects.filter(code=poe_code).first() if poe_code else None,
                },
            )
    printed: list[tuple[str, str, str]] = []
    supervisor = None
    for local, full_name, acronym, role in SV_USERS:
        email = _email(local, acronym)
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email, DEMO_PASSWORD, full_name=full_name, agency=agencies[acronym], role=role
        )
        user.site = agencies[acronym].sites.first()
        if role == Role.SUPERVISOR:
            supervisor = user
        elif acronym == "DGME" and supervisor is not None:
            user.supervisor = supervisor
        user.save()
        printed.append((email, str(role.label), acronym))
    # One working team in each other country, so every country has data and logins.
    for acronym in ("CAMR", "IGM", "OIM-CO"):
        for local, role in (("recepcion", Role.RECEPTION_OFFICER), ("gestor", Role.CASEWORKER)):
            email = _email(local, acronym)
            if not User.objects.filter(email=email).exists():
                User.objects.create_user(email, DEMO_PASSWORD, full_name=f"{role.label} {acronym}", agency=agencies[acronym], role=role)
            printed.append((email, str(role.label), acronym))
    return printed


COMPOUND_SECOND = ["José", "María", "Antonio", "Alejandro", "Fernanda", "Guadalupe", "Isabel", "Elena", "Luis", "Carolina"]
DOCUMENT_FORMATS = {
    "SV": lambda r: f"{r.randint(0, 99999999):08d}-{r.randint(0, 9)}",
    "HN": lambda r: f"{r.randint(501, 1899):04d}-{r.randint(1960, 2008)}-{r.randint(0, 99999):05d}",
    "GT": lambda r: f"{r.randint(1000, 9999)} {r.randint(10000, 99999)} {r.randint(101, 2299):04d}",
    "CO": lambda r: f"{r.randint(1000000, 1199999999)}",
}


def _sample_sex_and_age(r: random.Random) -> tuple[str, int]:
    """Northern Triangle returns: about 15.7% children; adults mostly men (Guatemala 2024: 74% of adults)."""
    if r.random() < 0.157:
        age = r.choices([r.randint(0, 5), r.randint(6, 11), r.randint(12, 17)], weights=[15, 15, 70])[0]
        return ("M" if r.random() < 0.66 else "F"), age
    age = min(75, max(18, int(r.gauss(30, 9))))
    return ("M" if r.random() < 0.74 else "F"), age


def build_people(size: str, seed: int = 2026) -> int:
    """Create returnees in the reception agencies of the four countries through the registry service."""
    count = SIZES[size]
    r = random.Random(seed)
    fakers = {"SV": Faker("es_MX"), "HN": Faker("es_MX"), "GT": Faker("es_MX"), "CO": Faker("es_CO")}
    for i, f in enumerate(fakers.values()):
        f.seed_instance(seed + i)
    actors = {
        "SV": User.objects.get(email=_email("recepcion", "DGME")),
        "HN": User.objects.get(email=_email("recepcion", "CAMR")),
        "GT": User.objects.get(email=_email("recepcion", "IGM")),
        "CO": User.objects.get(email=_email("recepcion", "OIM-CO")),
    }
    # Guatemala has the most returns, then Honduras, El Salvador (REFERENCE.md, 2016), Colombia few.
    weights = {"GT": 0.40, "HN": 0.30, "SV": 0.24, "CO": 0.06}
    countries = {c.code: c for c in Country.objects.filter(code__in=weights)}
    municipalities = {code: list(AdminArea.objects.filter(country__code=code, level=2)) for code in weights}
    languages = {lang.code: lang for lang in Language.objects.all()}
    groups = {code: list(EthnicGroup.objects.filter(country__code=code)) for code in weights}
    mestizo = EthnicGroup.objects.filter(name="Mestizo", country__isnull=True).first()
    today = timezone.localdate()
    indigenous_language = {"GT": ["quc", "kek", "mam", "cak", "kjb"], "HN": ["cab", "miq"], "SV": ["ppl"], "CO": ["guc"]}
    already = Person.objects.count()
    for _ in range(already, count):
        code = r.choices(list(weights), weights=list(weights.values()))[0]
        fake = fakers[code]
        sex, age = _sample_sex_and_age(r)
        first = fake.first_name_male() if sex == "M" else fake.first_name_female()
        given = f"{first} {r.choice(COMPOUND_SECOND)}" if r.random() < 0.4 else first
        birth = today - datetime.timedelta(days=age * 365 + r.randint(0, 364))
        precision = r.choices(["day", "year", "estimated"], weights=[85, 8, 7])[0]
        if precision != "day":
            birth = birth.replace(month=1, day=1) if precision == "year" else birth.replace(month=7, day=1)
        indigenous = r.random() < (0.35 if code == "GT" else 0.05)
        group = r.choice([g for g in groups[code] if g.is_indigenous]) if indigenous and groups[code] else mestizo
        langs = [languages["spa"]]
        if indigenous and r.random() < 0.7:
            langs.append(languages[r.choice(indigenous_language[code])])
        documents = []
        if age >= 18 and r.random() < 0.8:
            documents.append({"kind": "national_id", "number": DOCUMENT_FORMATS[code](r), "issuing_country": countries[code]})
        elif r.random() < 0.3:
            documents.append({"kind": "birth_certificate", "number": f"{r.randint(1, 999999):06d}", "issuing_country": countries[code]})
        person_create(
            actor=actors[code],
            given_names=given,
            first_surname=fake.last_name(),
            second_surname=fake.last_name() if r.random() < 0.93 else "",
            known_as=r.choice(["", "", "", "", "Chepe", "Toño", "Lupe", "Memo", "Nena", "Chayo"]) if r.random() < 0.1 else "",
            sex=sex,
            birth_date=birth,
            birth_date_precision=precision,
            nationality=countries[code],
            ethnic_group=group,
            municipality_of_origin=r.choice(municipalities[code]) if municipalities[code] else None,
            languages=langs,
            documents=documents,
            # Spread over the last year so monthly figures look like a working registry.
            registered_at=timezone.now() - datetime.timedelta(days=r.randint(0, 364), minutes=r.randint(0, 1439)),
        )
    return count


REPEAT_SHARE = 0.03  # people registered a second time at another return, typed differently


def _typed_again(r: random.Random, person: Person) -> dict[str, object]:
    """The identity as another desk officer types it at a later return: accents dropped, an
    abbreviated or missing second given name, no second surname, surnames swapped, day and month
    of birth swapped — one or two of these."""
    from retorno.core.text import fold

    given, first, second, birth = person.given_names, person.first_surname, person.second_surname, person.birth_date
    for change in r.sample(["accents", "given", "second", "swap", "date"], k=r.choice([1, 2])):
        if change == "accents":
            given, first, second = (fold(v).title() for v in (given, first, second))
        elif change == "given" and " " in given:
            one, rest = given.split(" ", 1)
            given = r.choice([one, f"{one[:2]}. {rest}" if one.startswith("Ma") else one])
        elif change == "second":
            second = ""
        elif change == "swap" and second:
            first, second = second, first
        elif change == "date" and birth and birth.day <= 12 and person.birth_date_precision == "day":
            birth = birth.replace(month=birth.day, day=birth.month)
    return {"given_names": given, "first_surname": first, "second_surname": second, "birth_date": birth}


def build_repeat_registrations(size: str, seed: int = 2026) -> int:
    """Register some people a second time, as happens when a returnee comes back and the desk does
    not find the first record: the duplicate review then has real work to show."""
    r = random.Random(seed + 1)
    wanted = round(SIZES[size] * REPEAT_SHARE)
    if Person.objects.count() >= SIZES[size] + wanted:
        return 0
    first_records = list(Person.objects.order_by("pk").select_related("agency", "nationality", "municipality_of_origin")[: SIZES[size]])
    actors = {u.agency_id: u for u in User.objects.filter(role=Role.RECEPTION_OFFICER)}
    for person in r.sample(first_records, wanted):
        person_create(
            actor=actors[person.agency_id],
            sex=person.sex,
            birth_date_precision=person.birth_date_precision,
            nationality=person.nationality,
            municipality_of_origin=person.municipality_of_origin if r.random() < 0.7 else None,
            registered_at=timezone.now() - datetime.timedelta(days=r.randint(0, 60)),
            **_typed_again(r, person),  # type: ignore[arg-type]
        )
    return wanted


def build(size: str = "small", seed: int = 2026) -> DemoResult:
    users = build_institutions()
    people = build_people(size, seed)
    people += build_repeat_registrations(size, seed)
    seed_projects_load()
    return DemoResult(users=users, people=people)
