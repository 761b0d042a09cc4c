"""The public services directory (no login: small pages, no scripts, printable) and the pages
where each provider keeps its own services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from retorno.core.forms import submitted
from retorno.core.models import Agency, Country, User
from retorno.referrals import selectors, services
from retorno.referrals.forms import ConsentForm, ReasonForm, ReferralFilterForm, ReferralForm, RuleForm, SearchForm, ServiceForm
from retorno.referrals.models import ProtocolRule, Referral, RuleVersion, Service

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


# --- referrals between institutions ---------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not (user.can("referral.send") or user.can("referral.answer")):
        raise Http404
    return user


@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    boxes = [b for b, action in ((selectors.RECEIVED, "referral.answer"), (selectors.SENT, "referral.send")) if user.can(action)]
    counts = selectors.referral_counts(user=user)
    box = request.GET.get("box", "")
    if box not in boxes:  # the box with something to do first
        waiting = counts["to_answer"] + counts["accepted"] if selectors.RECEIVED in boxes else 0
        box = boxes[0] if waiting or len(boxes) == 1 else selectors.SENT
    filters = ReferralFilterForm(request.GET or None)
    status, overdue = ("", False)
    if filters.is_valid():
        status, overdue = filters.cleaned_data["status"], filters.cleaned_data["overdue"]
    rows = selectors.referral_list(user=user, box=box, status=status, overdue=overdue)
    context = {"box": box, "boxes": boxes, "rows": rows, "filters": filters, "counts": counts}
    return render(request, "referrals/referral_list.html", context)


@login_required
def referral_new(request: HttpRequest) -> HttpResponse:
    """Refer the person of a case, a child-protection case or the desk to a service."""
    user = _user(request)
    if not user.can("referral.send"):
        raise Http404
    params = request.POST if request.method == "POST" else request.GET
    entry = params.get("entry", "")
    origin, back = selectors.origin_get(
        user=user,
        case=params.get("case", ""),
        protection=params.get("protection", ""),
        arrival=params.get("arrival", ""),
        entry=int(entry) if entry.isdigit() else None,
        person=params.get("person", ""),
    )
    form = ReferralForm(request.POST or None, user=user, country_id=origin.agency.country_id, initial={"service": params.get("service")})
    made: list[Referral] = []

    def call() -> None:
        data = form.cleaned_data
        made.append(
            services.referral_create(
                actor=user,
                origin=origin,
                service=data["service"],
                urgency=data["urgency"],
                reason=data["reason"],
                share=data["share"],
                consent_given=data["consent_given"],
                consent_method=data["consent_method"],
                override_reason=data.get("override_reason", ""),
            )
        )

    if request.method == "POST" and submitted(request, form, call, _("Referral sent: the receiving institution has been notified.")):
        return redirect("referrals:detail", public_id=made[0].public_id)
    context = {
        "form": form,
        "origin": origin,
        "back": back,
        "keys": {k: params.get(k, "") for k in ("case", "protection", "arrival", "entry", "person")},
    }
    return render(request, "referrals/referral_new.html", context, status=400 if form.errors else 200)


ACTIONS = {
    "accept": (gettext_lazy("Referral accepted: the sending institution has been told."), None),
    "decline": (
        gettext_lazy("Referral declined: the sending institution has been told why."),
        gettext_lazy("Why the referral is declined"),
    ),
    "complete": (
        gettext_lazy("Referral completed: the sending institution has been told."),
        gettext_lazy("What the service did for the person (outcome)"),
    ),
    "withdraw": (gettext_lazy("Referral withdrawn."), gettext_lazy("Why the referral is withdrawn")),
}


FIELD_OF = {"complete": "outcome"}  # the name the service gives the text, so its error lands on the field


@login_required
def referral_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    view = selectors.referral_get(user=user, public_id=public_id)
    referral = view.referral
    action = request.POST.get("action", "") if request.method == "POST" else ""
    reason_forms = {
        name: ReasonForm(request.POST if action == name else None, prefix=name, label=str(label), name=FIELD_OF.get(name, "reason"))
        for name, (_done, label) in ACTIONS.items()
        if label
    }
    consent_form = ConsentForm(request.POST if action == "consent" else None, user=user, prefix="consent")
    if action in ACTIONS:
        form = reason_forms.get(action) or ReasonForm({}, label="")

        def answer() -> None:
            reason = form.text
            if action == "accept":
                services.referral_accept(actor=user, referral=referral)
            elif action == "decline":
                services.referral_decline(actor=user, referral=referral, reason=reason)
            elif action == "complete":
                services.referral_complete(actor=user, referral=referral, outcome=reason)
            else:
                services.referral_withdraw(actor=user, referral=referral, reason=reason)

        if submitted(request, form, answer, str(ACTIONS[action][0])):
            return redirect("referrals:detail", public_id=referral.public_id)
    elif action == "consent":

        def consent() -> None:
            data = consent_form.cleaned_data
            services.referral_consent(
                actor=user,
                referral=referral,
                consent_given=data["consent_given"],
                consent_method=data["consent_method"],
                override_reason=data.get("override_reason", ""),
            )

        if submitted(request, consent_form, consent, _("Consent recorded: the referral has been sent.")):
            return redirect("referrals:detail", public_id=referral.public_id)
    context = {
        "view": view,
        "referral": referral,
        "reason_forms": reason_forms,
        "consent_form": consent_form,
        "may_answer": view.is_receiver and user.can("referral.answer"),
        "may_send": view.is_sender and user.can("referral.send"),
        "handover": getattr(referral.arrival_entry, "handover", None) if referral.arrival_entry else None,
    }
    failed = any(f.errors for f in [*reason_forms.values(), consent_form])
    return render(request, "referrals/referral_detail.html", context, status=400 if failed else 200)


# --- the protocol's rules -------------------------------------------------------------------------


def _protocol_user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not user.can("protocol.manage") or user.country is None:
        raise Http404
    return user


@login_required
def protocol(request: HttpRequest) -> HttpResponse:
    user = _protocol_user(request)
    return render(request, "referrals/protocol.html", {"rules": selectors.rules(country=user.country)})


@login_required
def rule_edit(request: HttpRequest, rule_id: int | None = None) -> HttpResponse:
    """A new rule, or a new version of one (written from its newest version)."""
    user = _protocol_user(request)
    country = user.country
    assert country is not None
    rule = get_object_or_404(ProtocolRule, pk=rule_id, country=country) if rule_id else None
    newest = rule.versions.first() if rule else None
    initial = RuleForm.initial_of(newest) if newest else {"hours": 24}
    form = RuleForm(request.POST if request.method == "POST" else None, country_id=country.pk, initial=initial)
    made: list[RuleVersion] = []

    def call() -> None:
        data = dict(form.cleaned_data)
        name = data.pop("name")
        made.append(services.rule_version_save(actor=user, country=country, name=name, data=data, rule=rule))

    if request.method == "POST" and submitted(request, form, call, _("Version saved, switched off: check its preview, then switch it on.")):
        return redirect("referrals:rule", rule_id=made[0].rule_id)
    return render(request, "referrals/rule_form.html", {"form": form, "rule": rule}, status=400 if form.errors else 200)


@login_required
def rule_detail(request: HttpRequest, rule_id: int) -> HttpResponse:
    """The rule's versions, which one is on, and whom its newest version would refer now."""
    user = _protocol_user(request)
    rule = get_object_or_404(ProtocolRule.objects.prefetch_related("versions__service__provider"), pk=rule_id, country=user.country)
    versions = list(rule.versions.all())
    if request.method == "POST":
        version = get_object_or_404(RuleVersion, pk=request.POST.get("version"), rule=rule)
        on = request.POST.get("action") == "on"
        services.rule_switch(actor=user, version=version, on=on)
        messages.success(request, _("The rule is on: every new screening is checked against it.") if on else _("The rule is off."))
        return redirect("referrals:rule", rule_id=rule.pk)
    preview = selectors.rule_preview(version=versions[0], country=rule.country) if versions else None
    return render(request, "referrals/rule_detail.html", {"rule": rule, "versions": versions, "preview": preview})
