"""Demo reintegration cases at the DGME, written through the cases services: people screened at
the demo's closed arrivals and others from the registry, at every stage — waiting for their
assessment, a plan waiting for approval, an income-generating project funded by RT.1066 being
delivered, follow-ups with the sustainability survey, closed cases (one after an abrupt exit), a
late plan with its reason, psychosocial sessions, and a transfer waiting for OIM's answer."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from retorno.cases import services
from retorno.cases.models import AssistanceType, Case, ClosureReason, InstrumentVersion, months_after
from retorno.core.models import AdminArea, Agency, User
from retorno.programmes.models import Project
from retorno.reception.models import ArrivalPerson
from retorno.registry.models import Person

RECEIPT = b"%PDF-1.4\n% Recibo de entrega (demo)\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
GOALS = [
    "Abrir una pupusería en su colonia con apoyo de la alcaldía",
    "Terminar el bachillerato y formarse como electricista",
    "Recuperar su documento único de identidad y buscar empleo en la maquila",
    "Montar un taller de reparación de motocicletas",
    "Retomar el cultivo de hortalizas en la parcela familiar",
]
PLANS: list[list[tuple[str, str, Decimal]]] = [
    [(AssistanceType.BUSINESS_GRANT, "Capital semilla: plancha, refrigeradora y primeros insumos", Decimal("850.00"))],
    [
        (AssistanceType.SCHOLARSHIP_SCHOOL, "Beca de bachillerato a distancia (un año)", Decimal("420.00")),
        (AssistanceType.VOCATIONAL_TRAINING, "Curso de electricidad residencial, INSAFORP", Decimal("0.00")),
    ],
    [
        (AssistanceType.DOCUMENTATION, "Reposición del DUI y partida de nacimiento", Decimal("25.00")),
        (AssistanceType.JOB_PLACEMENT, "Referencia a la bolsa de empleo municipal", Decimal("0.00")),
    ],
    [
        (AssistanceType.BUSINESS_GRANT, "Herramientas para taller de motocicletas", Decimal("1200.00")),
        (AssistanceType.FINANCIAL_TRAINING, "Taller de educación financiera", Decimal("0.00")),
    ],
    [(AssistanceType.IN_KIND, "Semillas, abono y sistema de riego por goteo", Decimal("600.00"))],
]
FIRST_VISITS = [
    "Primera visita domiciliaria: vive con su madre y dos hermanos; busca trabajo.",
    "Visita en casa de su tía en la colonia; tiene deudas por el viaje y quiere empezar un negocio.",
    "Entrevista en la oficina: su pareja y dos hijos lo esperaban; trabajó en construcción en Houston.",
    "Llamada y visita: regresó a la casa de sus padres; quiere terminar el bachillerato.",
    "Visita domiciliaria: la comunidad lo recibió bien; pide apoyo para recuperar su DUI.",
]
PROVIDERS = [
    "Alcaldía municipal",
    "INSAFORP",
    "Registro Nacional de las Personas Naturales",
    "Ministerio de Trabajo",
    "Cooperativa ACODJAR",
]


def _answers(version: InstrumentVersion, r: random.Random, level: float) -> dict[str, Any]:
    """Plausible answers: options picked around `level` (0 = first option, 1 = last)."""
    answers: dict[str, Any] = {}
    for q in version.definition["questions"]:
        scored = [o for o in q.get("options", []) if o["score"] is not None]
        if q["type"] == "select_one" and scored:
            index = round(level * (len(scored) - 1) + r.uniform(-0.8, 0.8))
            answers[q["code"]] = scored[max(0, min(len(scored) - 1, index))]["code"]
        elif q["type"] == "select_multiple" and q.get("options"):
            answers[q["code"]] = [r.choice(q["options"])["code"]]
    return answers


def _day(days_ago: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days_ago)


class _Clock:
    """The services' clock set to a day of the case's past, so the demo's history reads as it would
    have been recorded (plans on time, follow-ups when they were due); everything else is Django's."""

    def __init__(self, day: datetime.date) -> None:
        hour = datetime.time(8 + day.toordinal() % 9, 17 * (day.toordinal() % 3))  # office hours in San Salvador
        self.moment = timezone.make_aware(datetime.datetime.combine(day, hour), ZoneInfo("America/El_Salvador"))

    def now(self) -> datetime.datetime:
        return self.moment

    def localdate(self, value: datetime.datetime | None = None) -> datetime.date:
        return timezone.localdate(value or self.moment)

    def __getattr__(self, name: str) -> Any:
        return getattr(timezone, name)


@contextmanager
def on_day(day: datetime.date, module: Any = services) -> Iterator[None]:
    """Run a services module as if on `day` (never later than today)."""
    with mock.patch.object(module, "timezone", _Clock(min(day, timezone.localdate()))):
        yield


_on = on_day


def build_cases(seed: int = 2026) -> int:
    """Idempotent: nothing is added when the DGME already has cases."""
    dgme = Agency.objects.filter(acronym="DGME", country__code="SV").first()
    if dgme is None or Case.objects.filter(agency=dgme).exists():
        return 0
    r = random.Random(seed)
    caseworker = User.objects.get(email__startswith="gestor@", agency=dgme)
    supervisor = User.objects.get(email__startswith="supervisora@", agency=dgme)
    psychosocial = User.objects.get(email__startswith="psicosocial@", agency=dgme)
    oim = Agency.objects.get(acronym="OIM-SV")
    versions = {v.instrument.code: v for v in services.instruments_seed()}
    rt1066, pn0008 = Project.objects.get(code="RT.1066"), Project.objects.get(code="PN.0008")
    municipalities = list(AdminArea.objects.filter(country__code="SV", level=AdminArea.Level.MUNICIPALITY).order_by("code"))
    la_union = next((m for m in municipalities if "Unión" in m.name), municipalities[0])

    # The people screened at the demo's closed arrivals who need a case come first (opened from
    # the arrival), then adults of the registry returned over the last year.
    screened = list(
        ArrivalPerson.objects.filter(arrival__agency=dgme, arrival__status="closed", screening__case_needed=True, person__isnull=False)
        .select_related("arrival", "person", "screening")
        .order_by("pk")
    )
    adults = [
        p
        for p in Person.objects.filter(agency=dgme, birth_date__lt=_day(365 * 20), merged_into__isnull=True).order_by("pk")[:200]
        if not Case.objects.filter(person=p).exists()
    ]
    r.shuffle(adults)
    opened: list[Case] = []
    for entry in [e for e in screened if not e.is_child and e.screening.consent_assistance][:4]:
        with _on(entry.arrival.day + datetime.timedelta(days=1)):
            opened.append(services.case_open_from_arrival(actor=caseworker, entry=entry))
    # (days since return, how far the case went)
    story = [
        (6, "new"),
        (9, "new"),
        (15, "assessed"),
        (25, "submitted"),
        (40, "late"),
        (60, "approved"),
        (75, "delivering"),
        (100, "follow_up"),
        (130, "follow_up"),
        (200, "follow_up"),
        (250, "closed"),
        (300, "abrupt"),
        (120, "transfer"),
    ]
    team = [caseworker, User.objects.get(email__startswith="gestora@", agency=dgme)]
    for index, (days, _stage) in enumerate(story[len(opened) :]):
        person = adults.pop()
        municipality = la_union if r.random() < 0.4 else r.choice(municipalities)
        risk = r.choice([Case.Risk.LOW, Case.Risk.MEDIUM, Case.Risk.MEDIUM, Case.Risk.HIGH])
        with _on(_day(days) + datetime.timedelta(days=2)):
            case = services.case_open(
                actor=team[index % 2],
                person=person,
                returned_on=_day(days),
                municipality=municipality,
                caseworker=team[index % 2],
                risk=risk,
                consent_assistance=True,
                consent_method=r.choice(["verbal", "signed"]),
            )
        opened.append(case)
    for n, (case, (_days, stage)) in enumerate(zip(opened, story, strict=False)):
        _advance(
            case,
            stage,
            n,
            r,
            caseworker=case.caseworker or caseworker,
            supervisor=supervisor,
            psychosocial=psychosocial,
            oim=oim,
            versions=versions,
            projects=(rt1066, pn0008),
        )
    return len(opened)


def _advance(
    case: Case,
    stage: str,
    n: int,
    r: random.Random,
    *,
    caseworker: User,
    supervisor: User,
    psychosocial: User,
    oim: Agency,
    versions: dict[str, InstrumentVersion],
    projects: tuple[Project, Project],
) -> None:
    """Take a case as far as `stage`, each step on the day it would have happened."""
    if stage == "new":
        return
    today = timezone.localdate()
    returned = case.returned_on
    assessed_on = min(returned + datetime.timedelta(days=r.randint(3, 9)), today)
    with _on(assessed_on):
        for code, level in (("needs", 0.7), ("domv", 0.4), ("rss", 0.3)):
            services.assessment_record(
                actor=caseworker, case=case, version=versions[code], answers=_answers(versions[code], r, level), done_on=assessed_on
            )
        services.note_add(actor=caseworker, case=case, text=FIRST_VISITS[n % len(FIRST_VISITS)])
        if n % 3 == 0:
            services.note_add(
                actor=psychosocial,
                case=case,
                text="Refiere pesadillas y miedo a salir de noche desde el retorno.",
                confidentiality="psychosocial",
            )
            services.session_record(
                actor=psychosocial,
                case=case,
                kind="individual",
                held_on=assessed_on,
                minutes=50,
                notes="Primera sesión de contención y psicoeducación.",
            )
    if stage == "assessed":
        return
    plan_index = n % len(GOALS)
    agreed = returned + datetime.timedelta(days=35) if stage == "late" else assessed_on + datetime.timedelta(days=r.randint(5, 12))
    agreed = min(agreed, today)
    with _on(agreed):
        delay = "Estuvo hospitalizado tres semanas tras el retorno" if stage == "late" else ""
        services.plan_save(
            actor=caseworker, case=case, goals=GOALS[plan_index], agreed_with_returnee=True, agreed_on=agreed, delay_reason=delay
        )
        for kind, description, cost in PLANS[plan_index]:
            services.assistance_add(
                actor=caseworker,
                case=case,
                kind=kind,
                description=description,
                provider_name=PROVIDERS[plan_index],
                estimated_cost=cost,
                project=projects[0] if kind == AssistanceType.BUSINESS_GRANT or n % 2 else projects[1],
                due_on=agreed + datetime.timedelta(days=30),
            )
        if stage == "late":
            return  # written, waiting to be sent
        services.plan_submit(actor=caseworker, case=case)
    if stage == "submitted":
        return
    approved = min(agreed + datetime.timedelta(days=2), today)
    with _on(approved):
        services.plan_decide(actor=supervisor, case=case, approve=True, comment="Presupuesto verificado con el proveedor")
    if stage == "approved":
        return
    if stage == "transfer":
        with _on(approved + datetime.timedelta(days=10)):
            services.transfer_request(
                actor=caseworker,
                case=case,
                to_agency=oim,
                reason="Se muda a Santa Ana, donde OIM da seguimiento",
                consent_given=True,
                consent_method="signed",
            )
        return
    if stage == "abrupt":
        with _on(approved + datetime.timedelta(days=20)):
            services.closure_request(
                actor=caseworker, case=case, reason=ClosureReason.REMIGRATION, note="La familia informa que salió de nuevo hacia el norte"
            )
        with _on(approved + datetime.timedelta(days=22)):
            services.closure_decide(actor=supervisor, case=case, approve=True)
        return
    for index, item in enumerate(case.assistance.order_by("pk")):
        if stage == "delivering" and index > 0:
            break
        delivered = min(item.due_on, today)
        spent = (item.estimated_cost * Decimal("0.97")).quantize(Decimal("0.01"))
        receipt = SimpleUploadedFile("recibo.pdf", RECEIPT, content_type="application/pdf")
        with _on(delivered):
            services.assistance_deliver(
                actor=caseworker, item=item, delivered_on=delivered, actual_cost=spent, evidence=[(receipt, "receipt")] if spent else []
            )
    if stage == "delivering":
        return
    last = today
    for month, level in ((3, 0.55), (6, 0.7), (12, 0.8)):
        day = months_after(returned, month)
        if day > today:
            break
        last = day
        with _on(day):
            answers = _answers(versions["rss"], r, level)
            services.assessment_record(
                actor=caseworker, case=case, version=versions["rss"], answers=answers, done_on=day, occasion="follow_up", month=month
            )
    if stage == "closed":
        closing = min(last + datetime.timedelta(days=5), today)
        with _on(closing):
            answers = _answers(versions["rss"], r, 0.85)
            services.assessment_record(
                actor=caseworker, case=case, version=versions["rss"], answers=answers, done_on=closing, occasion="final"
            )
            services.closure_request(
                actor=caseworker, case=case, reason=ClosureReason.SUPPORT_ENDED, note="Negocio estable; no necesita más apoyo"
            )
        with _on(min(closing + datetime.timedelta(days=2), today)):
            services.closure_decide(actor=supervisor, case=case, approve=True)
