"""Writes of projects (administrators also use /manage/)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from retorno.core.models import Country
from retorno.programmes.models import Project

# The three projects of the seed pages (IOM project pages, translated): loaded by the demo.
SEED_PROJECTS: list[dict[str, object]] = [
    {
        "code": "RT.1066",
        "prima_id": "HN10P0002",
        "title": "Fortalecimiento de las capacidades de los gobiernos en la asistencia posterior a la llegada y la reintegración "
        "de niñas, niños y adolescentes no acompañados retornados a El Salvador y Honduras",
        "status": Project.Status.COMPLETED,
        "kind": Project.Kind.RETURN_ASSISTANCE,
        "budget_usd": Decimal("280000.00"),
        "coverage": Project.Coverage.REGIONAL,
        "region": "América Latina y el Caribe",
        "states": ["SV", "HN"],
        "end_year": 2024,
    },
    {
        "code": "RT.1130",
        "prima_id": "",
        "title": "Medidas integrales para atender la migración en las zonas fronterizas del departamento de La Guajira (Colombia)",
        "status": Project.Status.COMPLETED,
        "kind": Project.Kind.RETURN_ASSISTANCE,
        "budget_usd": Decimal("50000.00"),
        "coverage": Project.Coverage.NATIONAL,
        "region": "América Latina y el Caribe",
        "states": ["CO"],
        "end_year": 2024,
    },
    {
        "code": "PN.0008",
        "prima_id": "SV10P0560",
        "title": "Fortalecimiento del Mecanismo Nacional de Coordinación de la Movilidad Humana para la buena gobernanza "
        "de la migración en El Salvador",
        "status": Project.Status.ACTIVE,
        "kind": Project.Kind.MIGRATION_GOVERNANCE,
        "budget_usd": Decimal("300000.00"),
        "coverage": Project.Coverage.NATIONAL,
        "region": "América Latina y el Caribe",
        "states": ["SV"],
        "start_year": 2024,
        "end_year": 2026,
    },
]


@transaction.atomic
def project_save(*, code: str, states: Iterable[str] = (), **fields: object) -> Project:
    """Create or update a project by its IOM project ID."""
    code = code.strip().upper()
    if not code:
        raise ValidationError({"code": _("Write the project ID, e.g. RT.1066.")})
    start, end = fields.get("start_year"), fields.get("end_year")
    this_year = datetime.date.today().year
    for name, year in (("start_year", start), ("end_year", end)):
        if year is not None and not 1990 <= int(str(year)) <= this_year + 20:
            raise ValidationError({name: _("Write a year between 1990 and %(last)s.") % {"last": this_year + 20}})
    if start is not None and end is not None and int(str(end)) < int(str(start)):
        raise ValidationError({"end_year": _("The project cannot end before it starts.")})
    project, _created = Project.objects.update_or_create(code=code, defaults=fields)
    codes = list(states)
    if codes:
        project.benefiting_states.set(Country.objects.filter(code__in=codes))
    return project


def seed_projects_load() -> int:
    for spec in SEED_PROJECTS:
        data = dict(spec)
        project_save(code=str(data.pop("code")), states=data.pop("states"), **data)  # type: ignore[arg-type]
    return len(SEED_PROJECTS)
