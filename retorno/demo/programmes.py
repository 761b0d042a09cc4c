"""Demo results frameworks and El Salvador's national implementation plan of the Global Compact.

Seed 004 (PN.0008) names outcome 1 and outputs 1.1 and 1.2; seed 000 (RT.1066) lists what the
project does for returned children. Their indicators are computed from the demo's own records
(trainings, plans, psychosocial support), so the figures move when the records do.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from retorno.core.models import Agency, Country
from retorno.programmes.models import (
    Activity,
    GcmObjective,
    Indicator,
    IndicatorReport,
    NationalPlan,
    Organisation,
    Outcome,
    Output,
    PlanAction,
    Project,
    ProjectPartner,
)
from retorno.programmes.services import objectives_load


def _objectives(*numbers: int) -> list[GcmObjective]:
    return list(GcmObjective.objects.filter(number__in=numbers))


def build_programmes() -> int:
    """Frameworks for PN.0008 and RT.1066 and the national plan; the number of indicators (0 if already there)."""
    pn = Project.objects.filter(code="PN.0008").first()
    rt = Project.objects.filter(code="RT.1066").first()
    if pn is None or rt is None or pn.outcomes.exists():
        return 0
    today = timezone.localdate()
    objectives_load()
    idf, _ = Organisation.objects.get_or_create(name="Fondo de la OIM para el Desarrollo", defaults={"acronym": "IDF"})
    for project in Project.objects.all():
        ProjectPartner.objects.get_or_create(project=project, organisation=idf, role=ProjectPartner.Role.DONOR)
    for acronym, project in (("DGME", rt), ("CONNA", rt), ("DGME", pn)):
        agency = Agency.objects.filter(acronym=acronym).first()
        if agency:
            org, _ = Organisation.objects.get_or_create(name=agency.name, defaults={"acronym": acronym, "agency": agency})
            ProjectPartner.objects.get_or_create(project=project, organisation=org, role=ProjectPartner.Role.IMPLEMENTING)
    pn.objectives.set(_objectives(1, 23))
    rt.objectives.set(_objectives(7, 12, 21))
    Project.objects.get(code="RT.1130").objectives.set(_objectives(7, 21))

    outcome = Outcome.objects.create(
        project=pn,
        code="1",
        statement="El Gobierno de El Salvador y las agencias de Naciones Unidas implementan iniciativas y mecanismos de coordinación "
        "que promueven la buena gobernanza de la migración conforme a las normas internacionales.",
    )
    network = Output.objects.create(
        outcome=outcome,
        code="1.1",
        statement="La Red de Naciones Unidas sobre Migración en El Salvador está fortalecida para abordar la migración con enfoque "
        "de género y conforme a las normas internacionales.",
    )
    network.objectives.set(_objectives(23))
    mechanism = Output.objects.create(
        outcome=outcome,
        code="1.2",
        statement="El Mecanismo Nacional de Coordinación de la Movilidad Humana cuenta con las capacidades técnicas para ejecutar "
        "y monitorear el Plan Nacional de Implementación del Pacto Mundial.",
    )
    mechanism.objectives.set(_objectives(1, 23))
    for output, code, text, numbers in (
        (network, "1.1.1", "Plan de trabajo anual de la Red con enfoque de género", (23,)),
        (mechanism, "1.2.1", "Formación de funcionarios de las instituciones del Mecanismo", (23, 3)),
        (mechanism, "1.2.2", "Sistema de indicadores del Plan Nacional a partir de los registros de atención", (1,)),
    ):
        activity = Activity.objects.create(output=output, code=code, description=text)
        activity.objectives.set(_objectives(*numbers))
    start, end = datetime.date(2024, 1, 1), datetime.date(2026, 12, 31)
    trained = Indicator.objects.create(
        project=pn, output=mechanism, code="1.2.a", name="Funcionarios capacitados en gobernanza de la migración",
        unit="funcionarios", baseline=Decimal(0), baseline_year=2024, target=Decimal(120), by_sex=True,
        means_of_verification="Listas de asistencia de las capacitaciones (Ventanilla)", period_start=start, period_end=end,
        method=Indicator.Method.COMPUTED, query="officials_trained",
    )  # fmt: skip
    meetings = Indicator.objects.create(
        project=pn, output=network, code="1.1.a", name="Reuniones de la Red de Naciones Unidas sobre Migración con actas publicadas",
        unit="reuniones", baseline=Decimal(0), baseline_year=2024, target=Decimal(12),
        means_of_verification="Actas de las reuniones", period_start=start, period_end=end,
    )  # fmt: skip
    coordinator = Agency.objects.filter(acronym="OIM-SV").first()
    reporter = coordinator.users.filter(role="me_coordinator").first() if coordinator else None
    if reporter is not None:
        IndicatorReport.objects.create(
            indicator=meetings,
            period_end=today - datetime.timedelta(days=30),
            value=Decimal(7),
            source="Actas de la Red",
            reported_by=reporter,
        )
    planned = Indicator.objects.create(
        project=pn, outcome=outcome, code="1.a", name="Personas retornadas con plan de reintegración acordado en el primer mes",
        unit="personas", baseline=Decimal(0), baseline_year=2024, target=Decimal(40), by_sex=True, by_age=True,
        means_of_verification="Casos de reintegración (Retorno)", period_start=start, period_end=end,
        method=Indicator.Method.COMPUTED, query="returnees_plan_within_month",
    )  # fmt: skip

    rt_outcome = Outcome.objects.create(
        project=rt, code="1",
        statement="Las niñas, niños y adolescentes no acompañados retornados reciben asistencia posterior a la llegada y de reintegración.",
    )  # fmt: skip
    support = Output.objects.create(
        outcome=rt_outcome, code="1.1",
        statement="Apoyo psicosocial a niñas, niños y adolescentes retornados y a sus familias; búsqueda de familias.",
    )  # fmt: skip
    support.objectives.set(_objectives(7, 21))
    children = Indicator.objects.create(
        project=rt, output=support, code="1.1.a", name="Niñas, niños y adolescentes no acompañados que recibieron apoyo psicosocial",
        unit="niñas y niños", baseline=Decimal(0), target=Decimal(200), by_sex=True, by_age=True,
        means_of_verification="Sesiones psicosociales y asistencia entregada (Retorno)",
        period_start=datetime.date(2014, 1, 1), period_end=datetime.date(2026, 12, 31),
        method=Indicator.Method.COMPUTED, query="children_psychosocial_support",
    )  # fmt: skip

    sv = Country.objects.get(code="SV")
    plan = NationalPlan.objects.create(
        country=sv, title="Plan Nacional de Implementación del Pacto Mundial para la Migración 2023–2026", start_year=2023,
        end_year=2026, coordinated_by="Mecanismo Nacional de Coordinación de la Movilidad Humana", project=pn,
    )  # fmt: skip
    agencies = {a.acronym: a for a in Agency.objects.filter(country=sv)}
    actions: list[tuple[Any, ...]] = [
        ("1.1", "Sistema nacional de datos sobre retorno desagregados por sexo y edad", (1,), ("DGME",), "", PlanAction.Status.IN_PROGRESS, (2023, 6), (2025, 12), [planned]),
        ("1.2", "Informe anual de avance del Plan con indicadores calculados de los registros", (1, 23), ("OIM-SV",), "Mecanismo Nacional", PlanAction.Status.PLANNED, (2025, 1), (2026, 6), []),
        ("2.1", "Ventanillas de información para migrantes potenciales y retornados", (3,), ("OIM-SV", "ALC-LU"), "Procuraduría para la Defensa de los Derechos Humanos", PlanAction.Status.DONE, (2023, 3), (2024, 12), []),
        ("3.1", "Protocolo de recepción, evaluación y derivación en los puntos de entrada", (12,), ("DGME", "CONNA"), "", PlanAction.Status.DONE, (2023, 1), (2024, 6), []),
        ("3.2", "Apoyo psicosocial a la niñez retornada no acompañada", (7, 21), ("CONNA",), "", PlanAction.Status.IN_PROGRESS, (2023, 6), (2026, 12), [children]),
        ("4.1", "Planes de reintegración acordados en el primer mes del retorno", (21,), ("DGME", "CARITAS"), "", PlanAction.Status.IN_PROGRESS, (2024, 1), (2026, 12), [planned]),
        ("5.1", "Capacitación de funcionarios en gobernanza de la migración", (23,), ("OIM-SV",), "", PlanAction.Status.IN_PROGRESS, (2024, 1), (2026, 6), [trained]),
        ("5.2", "Acuerdo de cooperación regional sobre retorno de niñez con Guatemala y Honduras", (23, 21), (), "Ministerio de Relaciones Exteriores", PlanAction.Status.PLANNED, (2024, 1), (2025, 6), []),
    ]  # fmt: skip
    for code, text, numbers, responsible, other, status, (y1, m1), (y2, m2), indicators in actions:
        ends = (datetime.date(y2, m2 % 12 + 1, 1) if m2 < 12 else datetime.date(y2 + 1, 1, 1)) - datetime.timedelta(days=1)
        action = PlanAction.objects.create(
            plan=plan, code=code, description=text, responsible_other=other, status=status,
            starts_on=datetime.date(y1, m1, 1), ends_on=ends,
        )  # fmt: skip
        action.objectives.set(_objectives(*numbers))
        action.responsible.set([agencies[a] for a in responsible if a in agencies])
        action.indicators.set(indicators)
    return Indicator.objects.count()
