"""API: who am I, and the places every form needs."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from retorno.core.models import AdminArea, PointOfEntry, User

router = Router(tags=["core"])
T = TypeVar("T", bound=Model)


def request_user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def lookup(queryset: QuerySet[T], field: str, **where: Any) -> T:
    """A referenced row, or a field error the caller can act on (not a bare 404)."""
    found = queryset.filter(**where).first()
    if found is None:
        raise ValidationError({field: _("No such value: %(value)s.") % {"value": next(iter(where.values()))}})
    return found


class MeOut(Schema):
    email: str
    full_name: str
    role: str
    agency: str | None
    country: str | None
    permissions: list[str]


class AdminAreaOut(Schema):
    code: str
    pcode: str
    name: str
    level: int
    parent: str | None = Field(None, alias="parent.code")


class PointOfEntryOut(Schema):
    code: str
    name: str
    kind: str
    country: str = Field(..., alias="country.code")


@router.get("/me", response=MeOut, summary="The logged-in user and what their role allows")
def me(request: HttpRequest) -> MeOut:
    from retorno.core.permissions import ACTIONS

    user: User = request.user  # type: ignore[assignment]
    return MeOut(
        email=user.email,
        full_name=user.full_name,
        role=user.role,
        agency=user.agency.acronym if user.agency else None,
        country=user.country.code if user.country else None,
        permissions=[action for action in ACTIONS if user.can(action)],
    )


@router.get("/places/{country_code}/areas", response=list[AdminAreaOut], summary="Departments and municipalities of a country")
def admin_areas(request: HttpRequest, country_code: str, level: int | None = None) -> list[AdminArea]:
    areas = AdminArea.objects.filter(country__code=country_code.upper()).select_related("parent")
    if level is not None:
        areas = areas.filter(level=level)
    return list(areas)


@router.get("/places/points-of-entry", response=list[PointOfEntryOut], summary="Airports, land borders and seaports")
def points_of_entry(request: HttpRequest, country: str | None = None) -> list[PointOfEntry]:
    points = PointOfEntry.objects.filter(is_active=True).select_related("country")
    if country:
        points = points.filter(country__code=country.upper())
    return list(points)
