"""Projects: public information about who funds the work (any logged-in user may read it)."""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from retorno.programmes.models import Project

router = Router(tags=["projects"])


class ProjectOut(Schema):
    code: str
    prima_id: str
    title: str
    status: str
    kind: str
    budget_usd: Decimal
    coverage: str
    region: str
    benefiting_states: list[str]
    start_year: int | None
    end_year: int | None

    @staticmethod
    def resolve_benefiting_states(obj: Project) -> list[str]:
        return sorted(c.code for c in obj.benefiting_states.all())


@router.get("", response=list[ProjectOut], summary="Projects, newest first")
def project_list(request: HttpRequest, active_in: int | None = None) -> list[Project]:
    projects = Project.objects.prefetch_related("benefiting_states")
    if active_in is not None:  # a year: the projects running in it
        projects = projects.exclude(start_year__gt=active_in).exclude(end_year__lt=active_in)
    return list(projects)


@router.get("/{code}", response=ProjectOut, summary="One project by its IOM project ID (e.g. RT.1066)")
def project_detail(request: HttpRequest, code: str) -> Project:
    project = Project.objects.prefetch_related("benefiting_states").filter(code=code.upper()).first()
    if project is None:
        raise Http404
    return project
