"""Demo Window office: a year of consultations at OIM-SV's Ventanilla La Unión, logged through the
same service as the page (dated back afterwards: the page only takes the last month)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from retorno.core.models import Site, User
from retorno.window import services
from retorno.window.models import AgeGroup, Channel, Consultation, Material, Profile, Topic


def build_window(seed: int = 2026, count: int = 180) -> int:
    """Idempotent: nothing is added when a consultation exists."""
    office = Site.objects.filter(kind=Site.Kind.INFORMATION_OFFICE, agency__acronym="OIM-SV").first()
    officer = User.objects.filter(email__startswith="ventanilla@", agency__acronym="OIM-SV").first()
    if office is None or officer is None or Consultation.objects.exists():
        return 0
    r = random.Random(seed)
    today = timezone.localdate()
    weights = {Topic.RIGHTS: 5, Topic.SERVICES: 4, Topic.DOCUMENTS: 4, Topic.EMPLOYMENT: 3, Topic.RISKS: 3, Topic.AVR: 1}
    for _ in range(count):
        profile = r.choices([Profile.RETURNEE, Profile.POTENTIAL, Profile.FAMILY], weights=[5, 3, 2])[0]
        topics = list(dict.fromkeys(r.choices(list(weights), weights=list(weights.values()), k=r.choice([1, 1, 2, 3]))))
        made = services.consultation_record(
            actor=officer,
            office=office,
            profile=profile,
            topics=topics,
            channel=r.choices([Channel.WALK_IN, Channel.PHONE, Channel.MESSAGING, Channel.OUTREACH], weights=[6, 3, 2, 1])[0],
            sex=r.choice(["F", "M", "F", "M", ""]),
            age_group=r.choices(
                [AgeGroup.CHILD, AgeGroup.YOUNG, AgeGroup.ADULT, AgeGroup.OLDER, AgeGroup.UNKNOWN], weights=[1, 5, 4, 1, 1]
            )[0],
            materials=r.sample([Material.RIGHTS_LEAFLET, Material.DIRECTORY, Material.SAFE_MIGRATION], k=r.choice([0, 1, 1, 2])),
        )
        day = today - datetime.timedelta(days=int(r.triangular(0, 360, 0)))
        Consultation.objects.filter(pk=made.pk).update(held_on=day)
    _trainings(officer, office, r)
    return count


TRAININGS = [
    ("Riesgos de la migración irregular", "schools", ["risks", "rights"], "Instituto Nacional de La Unión", 210, (16, 14), (42, 78)),
    ("Derechos de la persona retornada", "government", ["rights", "services"], "Alcaldía de La Unión", 150, (7, 5), None),
    (
        "Protocolo de atención a niñez retornada",
        "government",
        ["rights", "services"],
        "Oficina departamental de CONNA",
        90,
        (9, 3),
        (55, 86),
    ),
    ("Migración segura y retorno voluntario", "community", ["risks", "avr"], "Casa comunal de Conchagua", 45, (22, 17), None),
    ("Rutas de empleo para personas retornadas", "civil_society", ["employment", "services"], "Cáritas La Unión", 20, (6, 8), (60, 75)),
]


def _trainings(officer: User, office: Site, r: random.Random) -> None:
    today = timezone.localdate()
    for title, audience, topics, place, days_ago, (women, men), scores in TRAININGS:
        training = services.training_save(
            actor=officer,
            data={
                "title": title,
                "held_on": today - datetime.timedelta(days=days_ago),
                "place": place,
                "office": office,
                "audience": audience,
                "topics": topics,
                "materials": "Presentación y folleto de derechos",
                "women": women,
                "men": men,
                "pre_average": Decimal(scores[0]) if scores else None,
                "post_average": Decimal(scores[1]) if scores else None,
            },
        )
        if audience == "government" and scores:  # the protocol's training: named participants and their scores
            for name, sex in (("Lcda. Marta Guevara", "F"), ("Lic. Óscar Ayala", "M"), ("Lcda. Rosa Benítez", "F")):
                before = Decimal(r.randint(40, 65))
                services.participant_add(
                    actor=officer,
                    training=training,
                    name=name,
                    sex=sex,
                    organisation="CONNA",
                    pre_score=before,
                    post_score=min(before + r.randint(20, 35), Decimal(100)),
                )
