"""Demo arrivals at El Salvador's airport reception centre, written through the reception services:
three closed flights and buses of the last months, today's flight half-way through the desk
(manifest imported, repeat returnees among it, two children travelling alone, a mother with her
toddler), and tomorrow's bus from Mexico, announced without its manifest yet."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone
from faker import Faker

from retorno.core.models import AdminArea, Country, Site, User
from retorno.reception import services
from retorno.reception.models import Arrival, ArrivalPerson, AssistanceGiven
from retorno.registry.models import Person

HEADER = "Nombres;Primer apellido;Segundo apellido;F. Nac.;Sexo;No. documento;Nacionalidad;Menor no acompañado\n"


def _line(given: str, first: str, second: str, birth: datetime.date | None, sex: str, document: str = "", alone: str = "No") -> str:
    return f"{given};{first};{second};{birth.strftime('%d/%m/%Y') if birth else ''};{sex};{document};Salvadoreña;{alone}\n"


def _person_line(person: Person) -> str:
    document = next((d.number for d in person.documents.all()), "")
    return _line(person.given_names, person.first_surname, person.second_surname, person.birth_date, person.sex, document)


def _import(officer: User, arrival: Arrival, lines: list[str]) -> None:
    content = (HEADER + "".join(lines)).encode("cp1252", errors="replace")
    imp = services.manifest_check(
        actor=officer, arrival=arrival, filename=f"manifiesto_{arrival.reference or arrival.public_id}.csv", content=content
    )
    if not services.mapping_is_remembered(imp):
        imp = services.manifest_mapping_confirm(actor=officer, imp=imp, mapping=imp.mapping)
    services.manifest_import_start(actor=officer, imp=imp, valid_only=True, background=False)


def _desk(officer: User, entry: ArrivalPerson, r: random.Random, municipalities: list[AdminArea]) -> None:
    """Screening and assistance as a desk officer records them."""
    vulnerabilities = services.suggested_vulnerabilities(entry)
    if entry.is_child and entry.travelling_with_id is None and "unaccompanied_child" not in vulnerabilities:
        vulnerabilities.append("unaccompanied_child")  # returned alone: the desk confirms what the list did not say
    if r.random() < 0.12:
        vulnerabilities.append(r.choice(["fear_of_return", "chronic_illness", "violence_survivor", "disability"]))
    services.screening_save(
        actor=officer,
        entry=entry,
        vulnerabilities=vulnerabilities,
        reasons=r.sample(["economic", "family", "violence"], k=r.choice([1, 1, 2])),
        destination=r.choice(municipalities),
        phone=f"7{r.randint(0, 9999999):07d}" if r.random() < 0.8 else "",
        consent_assistance=True,
        consent_referral=r.random() < 0.8,
        consent_statistics=r.random() < 0.7,
        consent_method="authority" if entry.is_child else "verbal",
        medical_given=services.medical_required(entry, vulnerabilities),
        case_needed=entry.is_child or len(vulnerabilities) > 1,
    )
    if "unaccompanied_child" in vulnerabilities:
        landed = entry.arrival.arrived_at or entry.arrival.scheduled_at
        services.handover_record(
            actor=officer,
            entry=entry,
            receiving_officer=r.choice(["Lcda. Marta Guevara", "Lic. Óscar Mancía"]),
            handed_over_at=min(timezone.now(), landed + datetime.timedelta(minutes=r.randint(50, 140))),
        )
    for kind in ("food", "hygiene_kit", "phone_call"):
        services.assistance_give(actor=officer, entry=entry, kind=kind)
    if not entry.is_child or entry.travelling_with_id:
        services.assistance_give(actor=officer, entry=entry, kind=AssistanceGiven.Kind.TRANSPORT)


def build_arrivals(seed: int = 2026) -> int:
    officer = User.objects.select_related("agency__country").get(email="recepcion@dgme.demo.retorno.org")
    if Arrival.objects.filter(agency=officer.agency).exists():
        return 0
    r = random.Random(seed + 3)
    fake = Faker("es_MX")
    fake.seed_instance(seed + 3)
    site = Site.objects.filter(agency=officer.agency, kind=Site.Kind.RECEPTION_CENTRE, point_of_entry__isnull=False).first()
    assert site is not None
    us, mx = Country.objects.get(code="US"), Country.objects.get(code="MX")
    municipalities = list(AdminArea.objects.filter(country=officer.agency.country, level=AdminArea.Level.MUNICIPALITY)[:300])  # type: ignore[union-attr]
    people = list(Person.objects.filter(agency=officer.agency, merged_into__isnull=True).prefetch_related("documents").order_by("pk"))
    now = timezone.now()
    earlier: list[Person] = []
    for days, country, mode, carrier in ((84, us, "air", "ICE Air"), (49, mx, "land", "Autobuses del Sur"), (21, us, "air", "ICE Air")):
        arrival = services.arrival_create(
            actor=officer,
            site=site,
            returned_from=country,
            mode=mode,
            scheduled_at=now - datetime.timedelta(days=days, hours=r.randint(0, 6)),
            carrier=carrier,
            reference=f"{'GST' if mode == 'air' else 'BUS'}-{r.randint(1000, 9999)}",
            expected_count=22,
        )
        arrival.arrived_at = arrival.scheduled_at + datetime.timedelta(minutes=r.randint(-20, 90))
        arrival.save(update_fields=["arrived_at"])
        group = r.sample(people, 20)
        earlier += group
        _import(officer, arrival, [_person_line(p) for p in group])
        for entry in arrival.people.select_related("arrival__agency__country"):
            services.entry_presence(actor=officer, entry=entry, presence=ArrivalPerson.Presence.PRESENT)
            _desk(officer, entry, r, municipalities)
        services.arrival_close(actor=officer, arrival=arrival)

    # Today's flight: returnees seen before, new people, two children alone, a mother and her toddler.
    today = timezone.localdate()
    lines = [_person_line(p) for p in r.sample(earlier, 6)]
    for _ in range(28):
        sex = r.choice("MMMF")
        given = fake.first_name_male() if sex == "M" else fake.first_name_female()
        birth = today - datetime.timedelta(days=r.randint(19 * 365, 55 * 365))
        lines.append(_line(given, fake.last_name(), fake.last_name(), birth, sex, f"{r.randint(0, 99999999):08d}-{r.randint(0, 9)}"))
    lines.append(_line("Kevin Alexander", "Rivas", "Guardado", today.replace(year=today.year - 15, day=3), "M", "", "Sí"))
    lines.append(_line("Yessenia Marisol", "Ayala", "Mejía", today.replace(year=today.year - 16, day=11), "F", "", "Sí"))
    lines.append(_line("Ana Gloria", "Flores", "Portillo", datetime.date(today.year - 29, 4, 17), "F", "04567891-2"))
    lines.append(_line("Dylan Josué", "Flores", "Portillo", datetime.date(today.year - 2, 9, 2), "M"))
    lines.append(_line("Rosa Amelia", "Cañas", "de Martínez", datetime.date(today.year - 67, 1, 30), "F", "00345678-1"))
    r.shuffle(lines)
    flight = services.arrival_create(
        actor=officer,
        site=site,
        returned_from=us,
        mode="air",
        scheduled_at=now - datetime.timedelta(hours=1),
        carrier="ICE Air",
        reference="GST-2611",
        expected_count=len(lines) + 2,
    )
    _import(officer, flight, lines)
    mother, toddler = flight.people.get(given_names="Ana Gloria"), flight.people.get(given_names="Dylan Josué")
    services.entry_presence(actor=officer, entry=mother, presence=ArrivalPerson.Presence.PRESENT)
    services.family_link(actor=officer, entry=toddler, adult=mother, relationship="madre")
    for entry in list(flight.people.filter(match=ArrivalPerson.Match.LINKED).select_related("arrival__agency__country"))[:6] + [mother]:
        services.entry_presence(actor=officer, entry=entry, presence=ArrivalPerson.Presence.PRESENT)
        _desk(officer, entry, r, municipalities)
    services.arrival_create(
        actor=officer,
        site=site,
        returned_from=mx,
        mode="land",
        scheduled_at=now + datetime.timedelta(days=1, hours=2),
        carrier="Autobuses del Sur",
        reference="BUS-0412",
        expected_count=45,
    )
    return Arrival.objects.filter(agency=officer.agency).count()
