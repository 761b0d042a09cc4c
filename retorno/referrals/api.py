"""API of the services directory: reading it is public (no token), like its pages; providers
keep their own services."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from retorno.core.api import lookup, request_user
from retorno.core.models import AdminArea, Country
from retorno.referrals import selectors, services
from retorno.referrals.models import Category, Service
from retorno.registry.models import Language

router = Router(tags=["services"])


class ServiceOut(Schema):
    id: int
    name: str
    category: str
    provider: str = Field(..., alias="provider.acronym")
    description: dict[str, str]
    min_age: int | None
    max_age: int | None
    sex: str
    public: str
    nationwide: bool
    areas: list[str]
    address: str
    phone: str
    email: str
    website: str
    hours: str
    free_of_charge: bool
    updated_at: datetime.datetime

    @staticmethod
    def resolve_areas(obj: Service) -> list[str]:
        return [area.pcode for area in obj.areas.all()]


class ServiceIn(Schema):
    name: str = Field(..., max_length=200)
    category: Category
    description: dict[str, str] = Field(..., description="Text by language: es (required), en, fr")
    min_age: int | None = Field(None, ge=0, le=120)
    max_age: int | None = Field(None, ge=0, le=120)
    sex: Service.Sex = Service.Sex.ANY
    public: Service.Public = Service.Public.ANYONE
    nationwide: bool = False
    areas: list[str] = Field(default_factory=list, description="P-codes of departments or municipalities")
    address: str = Field("", max_length=250)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    website: str = Field("", max_length=200)
    hours: str = Field("", max_length=200)
    languages: list[str] = Field(default_factory=list, description="ISO 639-3 codes")
    free_of_charge: bool = True
    is_active: bool = True


def _country(code: str) -> Country:
    country = Country.objects.filter(code=code.upper()).first()
    if country is None:
        raise Http404
    return country


@router.get("/{country}", response=list[ServiceOut], auth=None, summary="Public: services of a country by municipality and need")
def search(
    request: HttpRequest,
    country: str,
    municipality: str | None = None,
    category: Category | None = None,
    age: int | None = None,
    sex: str = "",
    returnee: bool | None = None,
) -> list[Service]:
    place = _country(country)
    area = lookup(AdminArea.objects.filter(country=place), "municipality", pcode=municipality) if municipality else None
    found = selectors.services_search(country=place, municipality=area, category=category or "", age=age, sex=sex, returnee=returnee)
    return list(found.prefetch_related("areas")[:200])


@router.get("/{country}/{pk}", response=ServiceOut, auth=None, summary="Public: one service")
def service_get(request: HttpRequest, country: str, pk: int) -> Service:
    service = selectors.service_get(country=_country(country), pk=pk)
    if service is None:
        raise Http404
    return service


def _save(request: HttpRequest, payload: ServiceIn, service: Service | None = None) -> Service:
    user = request_user(request)
    provider = service.provider if service else user.agency
    if provider is None:
        raise Http404
    data: dict[str, Any] = payload.dict()
    description = data.pop("description")
    areas = [lookup(AdminArea.objects.filter(country=provider.country), "areas", pcode=code) for code in data.pop("areas")]
    languages = [lookup(Language.objects.all(), "languages", code=code) for code in data.pop("languages")]
    return services.service_save(
        actor=user, provider=provider, data=data, description=description, areas=areas, languages=languages, service=service
    )


@router.post("", response={201: ServiceOut}, summary="Add a service of your institution")
def service_create(request: HttpRequest, payload: ServiceIn) -> Status[Service]:
    return Status(201, _save(request, payload))


@router.put("/{country}/{pk}", response=ServiceOut, summary="Update a service of your institution")
def service_update(request: HttpRequest, country: str, pk: int, payload: ServiceIn) -> Service:
    user = request_user(request)
    kept = selectors.services_of(agency_id=user.agency_id, everyone=user.can("config.manage"))
    service = kept.filter(pk=pk, provider__country=_country(country)).first()
    if service is None:
        raise Http404
    return _save(request, payload, service)
