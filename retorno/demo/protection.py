"""Demo child protection: the children the demo's flights handed over to CONNA, at every step of
their journey — one reunified with the visits after it, one in alternative care decided by a
panel, one waiting in a shelter beyond 72 hours with an assessment for the supervisor to approve
and a relative's request to review, one whose grandmother is looking for them but who has not
consented to tracing yet. Each step is recorded on the day it would have happened."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from retorno.cases import services as cases
from retorno.core.models import AdminArea, Agency, User
from retorno.demo.cases import on_day
from retorno.programmes.models import Project
from retorno.protection import services
from retorno.protection.models import FollowUpVisit, ProtectionCase
from retorno.registry.models import Language

VIEWS = [
    "Quiero volver con mi mamá. Ella vive en la colonia de siempre y allá está mi escuela.",
    "No quiero volver a la casa de mi papá; con mi tía Rosa estoy en paz.",
    "Me fui porque en la colonia me querían meter a la pandilla. Con mi abuela estoy bien, pero no en el barrio.",
]
ELEMENTS = {
    "identity": "Nacionalidad salvadoreña, habla español; familia católica; se identifica con su comunidad de origen.",
    "family": "Madre y dos hermanos menores en el municipio de origen; el padre migró hace años.",
    "safety": "Sin indicios de violencia en el hogar; riesgo de reclutamiento en el barrio.",
    "vulnerability": "Viajó sin familiares; tres semanas en tránsito; sin discapacidad.",
    "health": "Evaluación médica en la recepción sin hallazgos; duerme mal desde el viaje.",
    "education": "Dejó la escuela en séptimo grado hace seis meses; quiere volver a estudiar.",
}


def _assess(officer: User, supervisor: User | None, case: ProtectionCase, n: int, day: datetime.date) -> None:
    with on_day(day, services):
        assessment = services.assessment_record(
            actor=officer,
            case=case,
            elements=ELEMENTS,
            child_views=VIEWS[n % len(VIEWS)],
            interview_language=Language.objects.get(code="spa"),
            interpreter=False,
            weight="significant" if n % 2 else "decisive",
            weight_reason="Se expresa con claridad y entiende las opciones; edad acorde a su madurez.",
            recommendation="Reunificación con la familia tras verificar el parentesco y el entorno."
            if n % 3 != 1
            else "Cuidado con la tía materna, con seguimiento; evaluar el regreso al hogar en seis meses.",
        )
    if supervisor is not None:
        with on_day(day + datetime.timedelta(days=1), services):
            services.assessment_decide(actor=supervisor, assessment=assessment, approve=True)


def _tracing_request(user: User, case: ProtectionCase, relationship: str, inquirer: str, municipality: AdminArea) -> None:
    child = case.child
    services.tracing_request_create(
        actor=user,
        inquirer_name=inquirer,
        inquirer_relationship=relationship,
        inquirer_phone=f"7{sum(map(ord, inquirer)) * 7919 % 10_000_000:07d}",
        inquirer_municipality=municipality,
        sought=[
            {
                "given_names": child.given_names.split()[0],  # families give the name they use
                "first_surname": child.first_surname,
                "second_surname": "",
                "sex": child.sex,
                "age": child.age,
                "separation_place": "Frontera de Tapachula",
            }
        ],
    )


def _reintegration(officer: User, psychosocial: User, case: ProtectionCase, day: datetime.date) -> None:
    """The reunified child's reintegration plan (back to school with a scholarship funded by
    RT.1066) and a family session only psychosocial staff read."""
    with on_day(day, services):
        reintegration = services.reintegration_case_open(actor=officer, case=case)
    project = Project.objects.filter(code="RT.1066").first()
    with on_day(day, cases):
        cases.plan_save(
            actor=officer,
            case=reintegration,
            goals="Volver a la escuela en el grado que dejó; acompañamiento psicosocial a la familia.",
            agreed_with_returnee=True,
            agreed_on=day,
        )
        for kind, description, cost in (
            ("school_enrolment", "Matrícula en el Centro Escolar del municipio", 0),
            ("scholarship_school", "Beca: uniformes, útiles y transporte del año escolar", 240),
        ):
            cases.assistance_add(
                actor=officer,
                case=reintegration,
                kind=kind,
                description=description,
                provider_name="Ministerio de Educación" if cost == 0 else "CONNA",
                estimated_cost=Decimal(cost),
                project=project if cost else None,
                due_on=day + datetime.timedelta(days=10),
            )
        cases.session_record(
            actor=psychosocial,
            case=reintegration,
            kind="family",
            held_on=day,
            minutes=60,
            participants=3,
            notes="Sesión con la madre y los hermanos: miedo a que vuelva a irse; acuerdos de comunicación.",
        )


def build_protection(seed: int = 2026) -> int:
    """Idempotent: nothing is added when a best-interests assessment exists already."""
    conna = Agency.objects.filter(acronym="CONNA", country__code="SV").first()
    if conna is None or ProtectionCase.objects.filter(agency=conna, assessments__isnull=False).exists():
        return 0
    officer = User.objects.get(email__startswith="proteccion@", agency=conna)
    supervisor = User.objects.get(email__startswith="supervision@", agency=conna)
    psychosocial = User.objects.get(email__startswith="psicosocial@", agency=conna)
    desk = User.objects.get(email__startswith="ventanilla@")  # OIM's information office takes families' requests
    everyone = list(ProtectionCase.objects.filter(agency=conna).select_related("child").order_by("received_at"))
    for case in everyone:  # every child starts in a shelter
        place = "Aldea Infantil SOS, Santa Tecla" if (case.child.age or 0) < 8 else "Hogar Santa Marta, San Salvador"
        services.care_arrangement_record(actor=officer, case=case, kind="shelter", place=place, started_at=case.received_at)
    cases = [c for c in everyone if 8 <= (c.child.age or 0) < 18]
    municipalities = list(AdminArea.objects.filter(country=conna.country, level=AdminArea.Level.MUNICIPALITY).order_by("name")[:50])
    today = timezone.localdate()
    steps = 0
    for n, case in enumerate(cases[:4]):
        received = timezone.localtime(case.received_at).date()
        home = municipalities[(seed + n * 7) % len(municipalities)]
        if n == 3:  # the grandmother's request waits for the child's consent: no match is shown
            _tracing_request(desk, case, "grandparent", "Transito Guardado viuda de Rivas", home)
            steps += 1
            continue
        _assess(officer, supervisor if n != 2 else None, case, n, min(received + datetime.timedelta(days=1 + n), today))
        if n == 2:  # beyond 72 hours, a best-interests override, an aunt's request to review
            services.tracing_basis_record(
                actor=officer,
                case=case,
                consent=False,
                override_reason="Está en crisis y no puede consentir hoy; su familia lo busca y el albergue no es lugar para él.",
            )
            _tracing_request(desk, case, "uncle_aunt", "Rosa Emilia Orellana", home)
            steps += 1
            continue
        with on_day(received + datetime.timedelta(days=2), services):
            services.tracing_basis_record(actor=officer, case=case, consent=True, method="verbal")
            _tracing_request(
                desk, case, "mother" if n == 0 else "uncle_aunt", "Marta Alicia Orellana" if n == 0 else "Rosa Emilia Orellana", home
            )
            for match in case.matches.all()[:1]:
                services.match_decide(actor=officer, match=match, confirm=True)
            services.tracing_action_record(
                actor=officer,
                case=case,
                done_on=received + datetime.timedelta(days=2),
                kind="home_visit" if n == 0 else "phone",
                outcome="Se localizó a la familia; pide la reunificación y ofrece un hogar.",
            )
        reunited = min(received + datetime.timedelta(days=5 + 3 * n), today)
        with on_day(reunited, services):
            services.verification_record(
                actor=officer,
                case=case,
                relative_name="Marta Alicia Orellana" if n == 0 else "Rosa Emilia Orellana",
                relationship="mother" if n == 0 else "uncle_aunt",
                methods=["documents", "recognition", "child_account"],
                child_views="Reconoció a su familia y dijo que quiere irse con ella.",
                confirmed=True,
                done_on=reunited,
            )
            if n == 1:  # alternative care, decided by a panel
                services.determination_record(
                    actor=officer,
                    case=case,
                    subject="durable_solution",
                    decision="Cuidado con la tía materna; el regreso al hogar paterno no es seguro.",
                    reasons="La niña pide no volver con su padre; la visita domiciliaria confirmó violencia en el hogar paterno.",
                    decided_on=reunited,
                    review_on=reunited + datetime.timedelta(days=180),
                    panel=[
                        ("Lorena Isabel Chávez Molina", "Supervisora, CONNA", "De acuerdo con el cuidado por la tía."),
                        ("María de los Ángeles Guzmán Flores", "Oficial de protección, CONNA", "De acuerdo; seguimiento mensual."),
                        ("Licda. Sonia Mejía", "Procuradora de familia, PGR", "De acuerdo, con revisión a los seis meses."),
                    ],
                )
            services.placement_record(
                actor=officer,
                case=case,
                kind="reunified" if n == 0 else "alternative",
                on=reunited,
                with_whom="Marta Alicia Orellana" if n == 0 else "Rosa Emilia Orellana",
                relationship="mother" if n == 0 else "",
                municipality=home,
                address="Barrio El Centro, pasaje 3, casa 12" if n == 0 else "Colonia Santa Lucía, calle principal 45",
            )
        if n == 0:
            _reintegration(officer, psychosocial, case, min(reunited + datetime.timedelta(days=3), today))
        for visit in FollowUpVisit.objects.filter(case=case, due_on__lte=today).order_by("month"):
            with on_day(visit.due_on, services):
                services.visit_record(
                    actor=officer,
                    visit=visit,
                    done_on=visit.due_on,
                    wellbeing="well",
                    in_school=True,
                    notes="Asiste a clases; duerme mejor.",
                )
        steps += 1
    return steps
