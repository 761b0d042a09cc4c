"""API of the services directory (reading it is public, no token, like its pages; providers keep
their own services), of referrals between institutions, and of the protocol's rules."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from retorno.core.api import lookup, request_user
from retorno.core.models import AdminArea, Country
from retorno.referrals import selectors, services
from retorno.referrals.models import Category, ProtocolRule, Referral, RuleVersion, Service, Share, Urgency
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


# --- Referrals (token or session; each side sees its own) -----------------------------------------

referrals_router = Router(tags=["referrals"])


class SharedRow(Schema):
    label: str
    value: str


class ReferralOut(Schema):
    public_id: str
    side: str = Field(..., description="sent: your institution referred the person; received: your institution is asked to help")
    status: Referral.Status
    source: Referral.Source
    service: str
    service_id: int
    from_agency: str
    to_agency: str
    urgency: Urgency
    reason: str
    shared: list[SharedRow] = Field(..., description="What the receiving institution sees of the person: the minimum and what is shared")
    rule: str | None
    consent_given: bool
    without_consent_reason: str
    sent_at: datetime.datetime | None
    due_at: datetime.datetime | None
    overdue: bool
    answered_at: datetime.datetime | None
    decline_reason: str
    closed_at: datetime.datetime | None
    outcome: str
    person: str | None = Field(None, description="The registry id: only for the sending institution")


class ReferralRow(Schema):
    public_id: str
    status: Referral.Status
    service: str = Field(..., alias="service.name")
    from_agency: str = Field(..., alias="from_agency.acronym")
    to_agency: str = Field(..., alias="to_agency.acronym")
    urgency: Urgency
    sent_at: datetime.datetime | None
    due_at: datetime.datetime | None
    overdue: bool = Field(..., alias="is_overdue")


def _out(view: selectors.ReferralView) -> dict[str, Any]:
    r = view.referral
    return {
        "public_id": r.public_id,
        "side": view.side,
        "status": r.status,
        "source": r.source,
        "service": r.service.name,
        "service_id": r.service_id,
        "from_agency": r.from_agency.acronym,
        "to_agency": r.to_agency.acronym,
        "urgency": r.urgency,
        "reason": r.reason,
        "shared": [{"label": label, "value": value} for label, value in view.shown],
        "rule": f"{r.rule_version.rule.name} v{r.rule_version.number}" if r.rule_version else None,
        "consent_given": r.consent_given,
        "without_consent_reason": r.override_reason,
        "sent_at": r.sent_at,
        "due_at": r.due_at,
        "overdue": r.is_overdue,
        "answered_at": r.answered_at,
        "decline_reason": r.decline_reason,
        "closed_at": r.closed_at,
        "outcome": r.outcome,
        "person": r.person.public_id if view.is_sender else None,
    }


class ReferralIn(Schema):
    case: str | None = Field(None, description="A reintegration case id (SV-2026-C-…)")
    protection_case: str | None = Field(None, description="A child-protection case id (SV-2026-P-…)")
    arrival: str | None = Field(None, description="An arrival id, with entry")
    entry: int | None = Field(None, description="The person's line on the arrival")
    person: str | None = Field(None, description="A Retorno ID, for someone met at an information office consultation")
    service: int
    urgency: Urgency
    reason: str = Field(..., max_length=2000)
    share: list[Share] = Field(default_factory=list)
    consent_given: bool = False
    consent_method: str = ""
    override_reason: str = ""


class ConsentIn(Schema):
    consent_given: bool = False
    consent_method: str = ""
    override_reason: str = ""


class ReasonIn(Schema):
    reason: str = Field("", max_length=2000)


@referrals_router.get("", response=list[ReferralRow], summary="Referrals your institution received (box=received) or sent (box=sent)")
def referral_list(request: HttpRequest, box: str = selectors.RECEIVED, status: str = "", overdue: bool = False) -> list[Referral]:
    return selectors.referral_list(user=request_user(request), box=box, status=status, overdue=overdue)


@referrals_router.post("", response={201: ReferralOut}, summary="Refer the person of a case, a child-protection case or the desk")
def referral_create(request: HttpRequest, payload: ReferralIn) -> Status[dict[str, Any]]:
    user = request_user(request)
    if not user.can("referral.send"):
        raise Http404
    origin, _page = selectors.origin_get(
        user=user,
        case=payload.case or "",
        protection=payload.protection_case or "",
        arrival=payload.arrival or "",
        entry=payload.entry,
        person=payload.person or "",
    )
    service = lookup(Service.objects.all(), "service", pk=payload.service)
    referral = services.referral_create(
        actor=user,
        origin=origin,
        service=service,
        urgency=payload.urgency,
        reason=payload.reason,
        share=payload.share,
        consent_given=payload.consent_given,
        consent_method=payload.consent_method,
        override_reason=payload.override_reason,
    )
    return Status(201, _out(selectors.referral_get(user=user, public_id=referral.public_id)))


@referrals_router.get("/{public_id}", response=ReferralOut, summary="One referral, as your side sees it (audited)")
def referral_get(request: HttpRequest, public_id: str) -> dict[str, Any]:
    return _out(selectors.referral_get(user=request_user(request), public_id=public_id))


def _act(request: HttpRequest, public_id: str, action: str, payload: Any = None) -> dict[str, Any]:
    user = request_user(request)
    referral = selectors.referral_get(user=user, public_id=public_id).referral
    reason = getattr(payload, "reason", "")
    if action == "accept":
        services.referral_accept(actor=user, referral=referral)
    elif action == "decline":
        services.referral_decline(actor=user, referral=referral, reason=reason)
    elif action == "complete":
        services.referral_complete(actor=user, referral=referral, outcome=reason)
    elif action == "withdraw":
        services.referral_withdraw(actor=user, referral=referral, reason=reason)
    else:
        services.referral_consent(actor=user, referral=referral, **payload.dict())
    return _out(selectors.referral_get(user=user, public_id=public_id))


@referrals_router.post("/{public_id}/accept", response=ReferralOut, summary="Accept a referral your institution received")
def referral_accept(request: HttpRequest, public_id: str) -> dict[str, Any]:
    return _act(request, public_id, "accept")


@referrals_router.post("/{public_id}/decline", response=ReferralOut, summary="Decline a referral, saying why (required)")
def referral_decline(request: HttpRequest, public_id: str, payload: ReasonIn) -> dict[str, Any]:
    return _act(request, public_id, "decline", payload)


@referrals_router.post(
    "/{public_id}/complete", response=ReferralOut, summary="Record the outcome of an accepted referral (reason = outcome)"
)
def referral_complete(request: HttpRequest, public_id: str, payload: ReasonIn) -> dict[str, Any]:
    return _act(request, public_id, "complete", payload)


@referrals_router.post("/{public_id}/withdraw", response=ReferralOut, summary="Withdraw a referral your institution sent, saying why")
def referral_withdraw(request: HttpRequest, public_id: str, payload: ReasonIn) -> dict[str, Any]:
    return _act(request, public_id, "withdraw", payload)


@referrals_router.post(
    "/{public_id}/consent", response=ReferralOut, summary="Record the consent a protocol referral waits for, and send it"
)
def referral_consent(request: HttpRequest, public_id: str, payload: ConsentIn) -> dict[str, Any]:
    return _act(request, public_id, "consent", payload)


# --- The protocol (administrators) ----------------------------------------------------------------


class RuleVersionOut(Schema):
    id: int
    number: int
    trigger: RuleVersion.Trigger
    vulnerabilities: list[str]
    min_age: int | None
    max_age: int | None
    medical_required: bool
    instrument: str
    dimension: str
    score_from: float | None
    score_to: float | None
    service_id: int
    urgency: Urgency
    hours: int
    share: list[str]
    reason: str
    is_active: bool
    created_at: datetime.datetime


class RuleOut(Schema):
    id: int
    name: str
    versions: list[RuleVersionOut]

    @staticmethod
    def resolve_versions(obj: ProtocolRule) -> list[RuleVersion]:
        return list(obj.versions.all())


class RuleIn(Schema):
    name: str = Field(..., max_length=200)
    trigger: RuleVersion.Trigger = RuleVersion.Trigger.SCREENING
    vulnerabilities: list[str] = Field(default_factory=list, description="Any of these, as the screening records them")
    min_age: int | None = Field(None, ge=0, le=120)
    max_age: int | None = Field(None, ge=0, le=120)
    medical_required: bool = False
    instrument: str = Field("", description="Assessment rules: the instrument's code (needs, vulnerability, …)")
    dimension: str = Field("", description="Assessment rules: a dimension's code; empty for the overall score")
    score_from: float | None = Field(None, ge=0, le=1)
    score_to: float | None = Field(None, ge=0, le=1)
    service: int
    urgency: Urgency
    hours: int = Field(..., ge=1, le=1440)
    share: list[Share] = Field(default_factory=list)
    reason: str = Field(..., max_length=300)


class PreviewOut(Schema):
    days: int
    would_refer: int
    already_referred: int
    records: list[str] = Field(..., description="Arrival ids (screening rules) or case ids (assessment rules), no names")


def _protocol_user(request: HttpRequest) -> Any:
    user = request_user(request)
    if not user.can("protocol.manage") or user.country is None:
        raise Http404
    return user


@referrals_router.get("/protocol/rules", response=list[RuleOut], summary="The protocol's rules and their versions (administrators)")
def rule_list(request: HttpRequest) -> list[ProtocolRule]:
    return selectors.rules(country=_protocol_user(request).country)


@referrals_router.post("/protocol/rules", response={201: RuleOut}, summary="A new rule, or (rule=id) a new version of one; it starts off")
def rule_save(request: HttpRequest, payload: RuleIn, rule: int | None = None) -> Status[ProtocolRule]:
    user = _protocol_user(request)
    existing = lookup(ProtocolRule.objects.filter(country=user.country), "rule", pk=rule) if rule else None
    data: dict[str, Any] = payload.dict()
    name = data.pop("name")
    data["service"] = lookup(Service.objects.all(), "service", pk=data["service"])
    version = services.rule_version_save(actor=user, country=user.country, name=name, data=data, rule=existing)
    return Status(201, version.rule)


@referrals_router.get("/protocol/versions/{pk}/preview", response=PreviewOut, summary="Whom a version would refer among recent screenings")
def rule_preview(request: HttpRequest, pk: int) -> dict[str, Any]:
    user = _protocol_user(request)
    version = lookup(RuleVersion.objects.filter(rule__country=user.country), "version", pk=pk)
    preview = selectors.rule_preview(version=version, country=user.country)
    return {
        "days": preview.days,
        "would_refer": preview.total,
        "already_referred": preview.already,
        "records": [row.reference for row in preview.caught],
    }


@referrals_router.post("/protocol/versions/{pk}/switch", response=RuleVersionOut, summary="Switch a version on (on=true) or its rule off")
def rule_switch(request: HttpRequest, pk: int, on: bool) -> RuleVersion:
    user = _protocol_user(request)
    version = lookup(RuleVersion.objects.filter(rule__country=user.country), "version", pk=pk)
    return services.rule_switch(actor=user, version=version, on=on)
