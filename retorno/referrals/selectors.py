"""Reads of the services directory. The directory is public: no personal data lives here."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from retorno.core.models import AdminArea, Country
from retorno.referrals.models import Service


def directory_countries() -> QuerySet[Country]:
    """Countries with at least one active service."""
    return Country.objects.filter(agencies__services__is_active=True).distinct().order_by("code")


def services_search(
    *,
    country: Country,
    municipality: AdminArea | None = None,
    category: str = "",
    age: int | None = None,
    sex: str = "",
    returnee: bool | None = None,
) -> QuerySet[Service]:
    """Active services of the country that serve the municipality (listed, its department listed,
    or nationwide) and whose eligibility admits the person described; what is not said is not
    filtered."""
    qs = Service.objects.filter(is_active=True, provider__country=country, provider__is_active=True)
    if municipality is not None:
        qs = qs.filter(Q(nationwide=True) | Q(areas=municipality) | Q(areas=municipality.parent_id))
    if category:
        qs = qs.filter(category=category)
    if age is not None:
        qs = qs.filter(Q(min_age__isnull=True) | Q(min_age__lte=age), Q(max_age__isnull=True) | Q(max_age__gte=age))
    if sex in ("F", "M"):
        qs = qs.filter(sex__in=["", sex])
    if returnee is True:
        qs = qs.exclude(public=Service.Public.NOT_RETURNEES)
    elif returnee is False:
        qs = qs.exclude(public=Service.Public.RETURNEES)
    # Local services first: those that name the municipality or its department before nationwide ones.
    return qs.distinct().select_related("provider", "municipality").order_by("nationwide", "category", "name")


def service_get(*, country: Country, pk: int) -> Service | None:
    return (
        Service.objects.filter(pk=pk, is_active=True, provider__country=country)
        .select_related("provider", "municipality__parent", "nationality")
        .prefetch_related("areas", "languages")
        .first()
    )


def services_of(*, agency_id: int | None, everyone: bool = False) -> QuerySet[Service]:
    """The services a user keeps: their institution's (administrators: all)."""
    qs = Service.objects.select_related("provider")
    return qs if everyone else qs.filter(provider_id=agency_id)
