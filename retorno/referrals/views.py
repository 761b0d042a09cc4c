"""The public services directory (no login: small pages, no scripts, printable) and the pages
where each provider keeps its own services."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from retorno.core.forms import submitted
from retorno.core.models import Agency, Country, User
from retorno.referrals import selectors, services
from retorno.referrals.forms import SearchForm, ServiceForm
from retorno.referrals.models import Service

RESULTS = 50


def directory(request: HttpRequest) -> HttpResponse:
    countries = list(selectors.directory_countries())
    if len(countries) == 1:
        return redirect("directory:search", country=countries[0].code.lower())
    return render(request, "referrals/directory.html", {"countries": countries})


def _country(code: str) -> Country:
    country = Country.objects.filter(code=code.upper()).first()
    if country is None:
        raise Http404
    return country


def search(request: HttpRequest, country: str) -> HttpResponse:
    place = _country(country)
    form = SearchForm(request.GET or None, country=place)
    results = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        returnee = {"yes": True, "no": False}.get(data["returnee"])
        found = selectors.services_search(
            country=place,
            municipality=data["municipality"],
            category=data["category"],
            age=data["age"],
            sex=data["sex"],
            returnee=returnee,
        )
        results = list(found[:RESULTS])
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "referrals/search.html", {"country": place, "form": form, "results": results}, status=status)


def service_detail(request: HttpRequest, country: str, pk: int) -> HttpResponse:
    service = selectors.service_get(country=_country(country), pk=pk)
    if service is None:
        raise Http404
    return render(request, "referrals/service.html", {"service": service, "country": service.provider.country})


def rights(request: HttpRequest) -> HttpResponse:
    return render(request, "referrals/rights.html")


# --- providers keep their services ----------------------------------------------------------


def _keeper(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not (user.can("directory.manage") or user.can("config.manage")):
        raise Http404
    return user


@login_required
def my_services(request: HttpRequest) -> HttpResponse:
    user = _keeper(request)
    everyone = user.can("config.manage")
    context = {"services": selectors.services_of(agency_id=user.agency_id, everyone=everyone), "everyone": everyone}
    return render(request, "referrals/my_services.html", context)


@login_required
def service_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = _keeper(request)
    service: Service | None = None
    if pk is not None:
        service = get_object_or_404(selectors.services_of(agency_id=user.agency_id, everyone=user.can("config.manage")), pk=pk)
    provider: Agency | None = service.provider if service else user.agency
    if provider is None:
        raise Http404
    initial = ServiceForm.initial_of(service) if service else {"public": Service.Public.ANYONE, "free_of_charge": True, "is_active": True}
    form = ServiceForm(request.POST or None, provider=provider, initial=initial)
    saved: list[Service] = []

    def call() -> None:
        data, description, areas, languages = form.split()
        saved.append(
            services.service_save(
                actor=user, provider=provider, data=data, description=description, areas=areas, languages=languages, service=service
            )
        )

    if request.method == "POST" and submitted(request, form, call, _("Service saved: the public directory shows it as it is now.")):
        return redirect("directory:mine")
    context: dict[str, Any] = {"form": form, "service": service, "provider": provider}
    return render(request, "referrals/service_form.html", context, status=400 if form.errors else 200)
