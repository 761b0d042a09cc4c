"""API for the reception desk: the same services and scoped selectors as the pages."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from retorno.core.api import lookup, request_user
from retorno.core.models import AdminArea, Country, PointOfEntry, Site
from retorno.reception import selectors, services
from retorno.reception.manifest import MAX_BYTES, ManifestError
from retorno.reception.models import Arrival, ArrivalPerson, AssistanceGiven, ChildHandover, ManifestImport, Screening
from retorno.registry.models import Person

router = Router(tags=["reception"])


class ArrivalIn(Schema):
    site_id: int
    returned_from: str = Field(..., min_length=2, max_length=2, description="ISO 3166-1 alpha-2, e.g. US or MX")
    mode: Arrival.Mode
    point_of_entry: str | None = Field(None, max_length=20, description="Point of entry code; the site's by default")
    scheduled_at: datetime.datetime
    carrier: str = Field("", max_length=120)
    reference: str = Field("", max_length=60)
    expected_count: int = Field(0, ge=0, le=1000)


class ArrivalOut(Schema):
    public_id: str
    site: str = Field(..., alias="site.name")
    returned_from: str = Field(..., alias="returned_from.code")
    mode: str
    point_of_entry: str | None = Field(None, alias="point_of_entry.code")
    scheduled_at: datetime.datetime
    arrived_at: datetime.datetime | None
    carrier: str
    reference: str
    expected_count: int
    status: str


class ImportOut(Schema):
    id: int
    filename: str
    status: str
    rows_total: int
    rows_bad: int
    errors: list[str]
    linked: int
    possible: int
    created: int
    skipped: int
    done: int

    @staticmethod
    def resolve_errors(obj: ManifestImport) -> list[str]:
        return services.rows_report(obj.errors)


class EntryOut(Schema):
    id: int
    manifest_row: int | None
    on_manifest: bool
    given_names: str
    first_surname: str
    second_surname: str
    sex: str
    birth_date: datetime.date | None
    age_at_arrival: int | None
    person: str | None = Field(None, alias="person.public_id")
    match: str
    possible_match: str | None = Field(None, alias="candidate.public_id")
    previous_returns: list[str]
    presence: str
    identity_confirmed: bool
    screened: bool
    unaccompanied_child: bool
    handed_over: bool

    @staticmethod
    def resolve_screened(obj: ArrivalPerson) -> bool:
        return hasattr(obj, "screening")

    @staticmethod
    def resolve_unaccompanied_child(obj: ArrivalPerson) -> bool:
        return hasattr(obj, "screening") and "unaccompanied_child" in obj.screening.vulnerabilities

    @staticmethod
    def resolve_handed_over(obj: ArrivalPerson) -> bool:
        return hasattr(obj, "handover")


class WalkInIn(Schema):
    given_names: str = Field(..., min_length=1, max_length=120)
    first_surname: str = Field(..., min_length=1, max_length=80)
    second_surname: str = Field("", max_length=80)
    sex: Person.Sex
    birth_date: datetime.date | None = None
    birth_date_precision: Person.BirthDatePrecision = Person.BirthDatePrecision.EXACT
    nationality: str | None = Field(None, min_length=2, max_length=2)
    document_number: str = Field("", max_length=40)


class PresenceIn(Schema):
    presence: ArrivalPerson.Presence


class IdentityIn(Schema):
    same: bool = Field(..., description="For a possible match: is it the registry's candidate? Otherwise true confirms the identity.")


class ScreeningIn(Schema):
    vulnerabilities: list[str] = Field(default_factory=list, max_length=14)
    vulnerability_other: str = Field("", max_length=200)
    health_needs: str = Field("", max_length=2000)
    reasons: list[str] = Field(default_factory=list, max_length=4)
    reason_other: str = Field("", max_length=200)
    destination: str | None = Field(None, max_length=20, description="Municipality P-code")
    phone: str = Field("", max_length=24)
    consent_assistance: bool = False
    consent_referral: bool = False
    consent_statistics: bool = False
    consent_method: Screening.ConsentMethod | None = None
    medical_given: bool = False
    medical_skip_reason: str = Field("", max_length=300)
    case_needed: bool = False
    estimated_age: int | None = Field(None, ge=0, le=120, description="Only when the person has no date of birth")


class ScreeningOut(Schema):
    vulnerabilities: list[str]
    reasons: list[str]
    destination: str | None = Field(None, alias="destination.pcode")
    medical_required: bool
    medical_given: bool
    consent_assistance: bool
    consent_referral: bool
    consent_statistics: bool
    screened_at: datetime.datetime


class AssistanceIn(Schema):
    kind: AssistanceGiven.Kind
    quantity: int = Field(1, ge=1, le=50)
    note: str = Field("", max_length=200)


class AssistanceOut(Schema):
    kind: str
    quantity: int
    note: str
    given_at: datetime.datetime


class HandoverIn(Schema):
    receiving_officer: str = Field(..., min_length=1, max_length=150)
    handed_over_at: datetime.datetime | None = None
    notes: str = Field("", max_length=300)


class HandoverOut(Schema):
    agency: str = Field(..., alias="agency.acronym")
    receiving_officer: str
    handed_over_at: datetime.datetime


class SummaryOut(Schema):
    on_list: int
    present: int
    waiting: int
    not_arrived: int
    walk_ins: int
    screened: int
    by_sex: dict[str, int]
    by_age: dict[str, int]
    unaccompanied: int
    handed_over: int
    repeat: int
    medical_pending: int
    case_needed: int


def _desk(request: HttpRequest, public_id: str) -> Arrival:
    return selectors.arrival_get(user=request_user(request), public_id=public_id)


def _entry(request: HttpRequest, public_id: str, entry_id: int) -> ArrivalPerson:
    user = request_user(request)
    return selectors.entry_get(user=user, arrival=selectors.arrival_get(user=user, public_id=public_id), entry_id=entry_id)


@router.get("", response=list[ArrivalOut], summary="Today's and upcoming arrivals of your institution, then the last fortnight's")
def arrival_list(request: HttpRequest) -> list[Arrival]:
    upcoming, recent = selectors.arrivals_board(user=request_user(request))
    return upcoming + recent


@router.post("", response={201: ArrivalOut}, summary="Plan an arrival")
def arrival_create(request: HttpRequest, payload: ArrivalIn) -> Status[Arrival]:
    user = request_user(request)
    arrival = services.arrival_create(
        actor=user,
        site=lookup(Site.objects.filter(agency=user.agency), "site_id", pk=payload.site_id),
        returned_from=lookup(Country.objects.all(), "returned_from", code=payload.returned_from.upper()),
        mode=str(payload.mode),
        point_of_entry=lookup(PointOfEntry.objects.all(), "point_of_entry", code=payload.point_of_entry)
        if payload.point_of_entry
        else None,
        scheduled_at=payload.scheduled_at,
        carrier=payload.carrier,
        reference=payload.reference,
        expected_count=payload.expected_count,
    )
    return Status(201, arrival)


@router.get("/{public_id}", response=ArrivalOut, summary="One arrival")
def arrival_detail(request: HttpRequest, public_id: str) -> Arrival:
    return _desk(request, public_id)


@router.post(
    "/{public_id}/manifest",
    response={201: ImportOut, 202: ImportOut, 422: ImportOut},
    summary="Upload a manifest (CSV or XLSX): checked, then imported unless a row is bad (valid_only keeps the good rows)",
)
def manifest_upload(
    request: HttpRequest, public_id: str, file: File[UploadedFile], valid_only: Form[bool] = False
) -> Status[ManifestImport]:
    user = request_user(request)
    arrival = _desk(request, public_id)
    if (file.size or 0) > MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)}})
    try:
        imp = services.manifest_check(actor=user, arrival=arrival, filename=file.name or "manifest", content=file.read())
    except ManifestError as error:
        raise ValidationError({"file": str(error)}) from error
    if imp.rows_bad and not valid_only:
        return Status(422, imp)
    imp = services.manifest_import_start(actor=user, imp=imp, valid_only=valid_only)
    return Status(201 if imp.status == ManifestImport.Status.DONE else 202, imp)


@router.get("/{public_id}/manifest/{import_id}", response=ImportOut, summary="A manifest import and its progress")
def manifest_status(request: HttpRequest, public_id: str, import_id: int) -> ManifestImport:
    imp = selectors.imports_of(_desk(request, public_id)).filter(pk=import_id).first()
    if imp is None:
        raise Http404
    return imp


@router.get("/{public_id}/people", response=list[EntryOut], summary="People on the arrival, by any part of the name (audited)")
def arrival_people(request: HttpRequest, public_id: str, q: str = "", status: str = "") -> list[ArrivalPerson]:
    return selectors.arrival_people(user=request_user(request), arrival=_desk(request, public_id), query=q[:100], status=status)


@router.post("/{public_id}/people", response={201: EntryOut}, summary="Add someone who came but was not on the manifest")
def walk_in(request: HttpRequest, public_id: str, payload: WalkInIn) -> Status[ArrivalPerson]:
    entry = services.walk_in_add(
        actor=request_user(request),
        arrival=_desk(request, public_id),
        given_names=payload.given_names,
        first_surname=payload.first_surname,
        second_surname=payload.second_surname,
        sex=str(payload.sex),
        birth_date=payload.birth_date,
        birth_date_precision=str(payload.birth_date_precision),
        nationality=lookup(Country.objects.all(), "nationality", code=payload.nationality.upper()) if payload.nationality else None,
        document_number=payload.document_number,
    )
    return Status(201, entry)


@router.get("/{public_id}/people/{entry_id}", response=EntryOut, summary="One person of the arrival (audited)")
def entry_detail(request: HttpRequest, public_id: str, entry_id: int) -> ArrivalPerson:
    return _entry(request, public_id, entry_id)


@router.post("/{public_id}/people/{entry_id}/presence", response=EntryOut, summary="Mark present or not arrived")
def entry_presence(request: HttpRequest, public_id: str, entry_id: int, payload: PresenceIn) -> ArrivalPerson:
    return services.entry_presence(actor=request_user(request), entry=_entry(request, public_id, entry_id), presence=str(payload.presence))


@router.post("/{public_id}/people/{entry_id}/identity", response=EntryOut, summary="Confirm identity or decide a possible match")
def entry_identity(request: HttpRequest, public_id: str, entry_id: int, payload: IdentityIn) -> ArrivalPerson:
    return services.entry_identity(actor=request_user(request), entry=_entry(request, public_id, entry_id), same=payload.same)


@router.put("/{public_id}/people/{entry_id}/screening", response=ScreeningOut, summary="Record or correct the screening")
def screening_save(request: HttpRequest, public_id: str, entry_id: int, payload: ScreeningIn) -> Screening:
    entry = _entry(request, public_id, entry_id)
    data = payload.dict()
    destination = data.pop("destination")
    data["consent_method"] = str(data["consent_method"] or "")
    return services.screening_save(
        actor=request_user(request),
        entry=entry,
        destination=lookup(AdminArea.objects.all(), "destination", pcode=destination) if destination else None,
        **data,
    )


@router.post("/{public_id}/people/{entry_id}/assistance", response={201: AssistanceOut}, summary="Record immediate assistance")
def assistance_give(request: HttpRequest, public_id: str, entry_id: int, payload: AssistanceIn) -> Status[AssistanceGiven]:
    given = services.assistance_give(
        actor=request_user(request),
        entry=_entry(request, public_id, entry_id),
        kind=str(payload.kind),
        quantity=payload.quantity,
        note=payload.note,
    )
    return Status(201, given)


@router.post(
    "/{public_id}/people/{entry_id}/handover", response={201: HandoverOut}, summary="Hand an unaccompanied child over to child protection"
)
def handover_record(request: HttpRequest, public_id: str, entry_id: int, payload: HandoverIn) -> Status[ChildHandover]:
    handover = services.handover_record(
        actor=request_user(request),
        entry=_entry(request, public_id, entry_id),
        receiving_officer=payload.receiving_officer,
        handed_over_at=payload.handed_over_at,
        notes=payload.notes,
    )
    return Status(201, handover)


@router.get("/{public_id}/summary", response=SummaryOut, summary="Counts of the arrival (no names)")
def arrival_summary(request: HttpRequest, public_id: str) -> selectors.ArrivalSummary:
    return selectors.arrival_summary(user=request_user(request), arrival=_desk(request, public_id), names=False)


@router.post("/{public_id}/close", response=ArrivalOut, summary="Close the arrival (refused while a child waits for hand-over)")
def arrival_close(request: HttpRequest, public_id: str) -> Arrival:
    arrival = _desk(request, public_id)
    services.arrival_close(actor=request_user(request), arrival=arrival)
    return arrival
