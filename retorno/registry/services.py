"""Every write to people's records: one function per use case, transactional, audited."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from retorno.core.audit import audit_log
from retorno.core.models import AdminArea, Country, User
from retorno.core.services import public_id_next, public_ids_next, require
from retorno.core.text import fold
from retorno.registry.linkage.normalize import document_normalize
from retorno.registry.matching import blocking_keys_update
from retorno.registry.models import AccessRequest, DuplicatePair, EthnicGroup, IdentityDocument, Language, Person, PersonMerge

PERSON = "person"
IDENTITY_FIELDS = (
    "given_names",
    "first_surname",
    "second_surname",
    "known_as",
    "sex",
    "birth_date",
    "birth_date_precision",
    "nationality",
    "ethnic_group",
    "municipality_of_origin",
)


# National identity numbers as each country prints them: (pattern, example shown in the error).
NATIONAL_ID_FORMATS: dict[str, tuple[str, str]] = {
    "SV": (r"\d{8}-?\d", "01234567-8"),  # DUI
    "HN": (r"\d{4}-?\d{4}-?\d{5}", "0801-1990-12345"),  # DNI
    "GT": (r"\d{4} ?\d{5} ?\d{4}", "1234 56789 0101"),  # DPI (CUI)
    "CO": (r"\d{6,10}", "1023456789"),  # cédula de ciudadanía
}


def national_id_fits(number: str, country_code: str) -> bool | None:
    """Whether a number is written as the country's national identity number (None: no known form)."""
    expected = NATIONAL_ID_FORMATS.get(country_code)
    return None if expected is None else re.fullmatch(expected[0], " ".join(number.split())) is not None


def person_search_name(person: Person) -> str:
    return fold(" ".join((person.given_names, person.first_surname, person.second_surname, person.known_as)))


def _refresh_keys(person: Person) -> None:
    """The columns derived from the identity: the folded search name and the matching keys."""
    person.search_name = person_search_name(person)
    blocking_keys_update(person)


def identity_check(person: Person) -> None:
    """The rules every identity meets (tidied names, a given name and a surname, a sex, a possible
    date of birth), with the messages the forms show; for anything that describes a person."""
    errors: dict[str, str] = {}
    for name in ("given_names", "first_surname", "second_surname", "known_as"):
        value = " ".join(str(getattr(person, name) or "").split())
        setattr(person, name, value)
    if not person.given_names:
        errors["given_names"] = _("Write at least one given name.")
    if not person.first_surname:
        errors["first_surname"] = _("Write the first surname (or “SIN APELLIDO” when the person has none).")
    if person.sex not in Person.Sex.values:
        errors["sex"] = _("Choose the person's sex.")
    problem = birth_date_problem(person.birth_date)
    if problem:
        errors["birth_date"] = problem
    if errors:
        raise ValidationError(errors)


def birth_date_problem(birth_date: datetime.date | None) -> str | None:
    """Why a date of birth cannot be right, in the user's language; None when it can."""
    if birth_date is None:
        return None
    today = timezone.localdate()
    shown = birth_date.strftime("%d/%m/%Y")
    if birth_date > today:
        return _("The date of birth %(date)s is in the future.") % {"date": shown}
    if birth_date < today - datetime.timedelta(days=365 * 120):
        return _("The date of birth %(date)s is more than 120 years ago.") % {"date": shown}
    return None


@transaction.atomic
def person_create(
    *,
    actor: User,
    given_names: str,
    first_surname: str,
    sex: str,
    second_surname: str = "",
    known_as: str = "",
    birth_date: datetime.date | None = None,
    birth_date_precision: str = Person.BirthDatePrecision.EXACT,
    nationality: Country | None = None,
    ethnic_group: EthnicGroup | None = None,
    municipality_of_origin: AdminArea | None = None,
    languages: Iterable[Language] = (),
    documents: Iterable[dict[str, Any]] = (),
    registered_at: datetime.datetime | None = None,
) -> Person:
    """Register a person in the actor's agency; the public id takes the agency's country and the year
    of registration (`registered_at`, for records imported from an earlier system; now by default)."""
    require(actor, "person.create")
    assert actor.agency is not None
    person = Person(
        agency=actor.agency,
        given_names=given_names,
        first_surname=first_surname,
        second_surname=second_surname,
        known_as=known_as,
        sex=sex,
        birth_date=birth_date,
        birth_date_precision=birth_date_precision if birth_date else Person.BirthDatePrecision.EXACT,
        nationality=nationality,
        ethnic_group=ethnic_group,
        municipality_of_origin=municipality_of_origin,
    )
    identity_check(person)
    _refresh_keys(person)
    if registered_at is not None:
        person.created_at = registered_at
    person.public_id = public_id_next(kind=PERSON, country_code=actor.agency.country.code, year=person.created_at.year)
    person.save()
    langs = list(languages)
    if langs:
        person.languages.set(langs)
    touched = [f for f in IDENTITY_FIELDS if getattr(person, f)] + (["languages"] if langs else [])
    for doc in documents:
        _document_add(person=person, **doc)
        touched.append("documents")
    audit_log(actor=actor, action="create", object_type=PERSON, object_id=person.public_id, fields=touched)
    return person


@transaction.atomic
def person_create_many(*, actor: User, people: Sequence[dict[str, Any]], reason: str = "") -> list[Person]:
    """Register several people at once (the new people of a manifest): the checks of person_create,
    one insert for all, and one audit event listing every record created. Each item has
    person_create's identity arguments and optionally `documents`."""
    require(actor, "person.create")
    assert actor.agency is not None
    built: list[tuple[Person, list[dict[str, Any]]]] = []
    for spec in people:
        data = dict(spec)
        documents = list(data.pop("documents", ()))
        person = Person(agency=actor.agency, **data)
        if not person.birth_date:
            person.birth_date_precision = Person.BirthDatePrecision.EXACT
        identity_check(person)
        _refresh_keys(person)
        built.append((person, documents))
    if not built:
        return []
    ids = public_ids_next(kind=PERSON, country_code=actor.agency.country.code, year=timezone.now().year, count=len(built))
    for (person, _documents), public_id in zip(built, ids, strict=True):
        person.public_id = public_id
    documents = [_document_build(person=person, **doc) for person, specs in built for doc in specs]  # checked before any insert
    created = Person.objects.bulk_create([person for person, _specs in built])
    IdentityDocument.objects.bulk_create(documents)
    touched = {f for person, _documents in built for f in IDENTITY_FIELDS if getattr(person, f)}
    touched |= {"documents" for _person, documents in built if documents}
    audit_log(actor=actor, action="create", object_type=PERSON, object_id="", records=ids, fields=touched, reason=reason)
    return created


@transaction.atomic
def person_update(*, actor: User, person: Person, reason: str = "", **changes: Any) -> Person:
    """Correct identity data; the audit names the fields that changed, never their values."""
    require(actor, "person.change")
    if person.agency_id != actor.agency_id:
        raise PermissionDenied
    unknown = set(changes) - set(IDENTITY_FIELDS) - {"languages"}
    if unknown:
        raise TypeError(f"person_update() got unexpected fields {sorted(unknown)}")
    languages = changes.pop("languages", None)
    changed = [name for name, value in changes.items() if getattr(person, name) != value]
    for name in changed:
        setattr(person, name, changes[name])
    identity_check(person)
    if languages is not None and set(person.languages.all()) != set(languages):
        person.languages.set(languages)
        changed.append("languages")
    if not changed:
        return person
    _refresh_keys(person)
    person.save()
    audit_log(actor=actor, action="update", object_type=PERSON, object_id=person.public_id, fields=changed, reason=reason)
    return person


def _document_build(*, person: Person, kind: str, number: str, issuing_country: Country) -> IdentityDocument:
    """A checked, unsaved document (the number written as the country writes it)."""
    normalized = document_normalize(number)
    if not normalized:
        raise ValidationError({"number": _("Write the document number.")})
    if kind not in IdentityDocument.Kind.values:
        raise ValidationError({"kind": _("Choose the type of document.")})
    if kind == IdentityDocument.Kind.NATIONAL_ID and national_id_fits(number, issuing_country.code) is False:
        raise ValidationError(
            {
                "number": _("“%(number)s” is not a national identity number of %(country)s: it is written like %(example)s.")
                % {"number": number, "country": issuing_country.name, "example": NATIONAL_ID_FORMATS[issuing_country.code][1]}
            }
        )
    return IdentityDocument(
        person=person, kind=kind, number=" ".join(number.split()), number_normalized=normalized, issuing_country=issuing_country
    )


def _document_add(*, person: Person, kind: str, number: str, issuing_country: Country) -> IdentityDocument:
    document = _document_build(person=person, kind=kind, number=number, issuing_country=issuing_country)
    if person.documents.filter(kind=document.kind, number_normalized=document.number_normalized).exists():
        raise ValidationError({"number": _("This person already has this document.")})
    document.save()
    return document


@transaction.atomic
def document_add(*, actor: User, person: Person, kind: str, number: str, issuing_country: Country) -> IdentityDocument:
    require(actor, "person.change")
    if person.agency_id != actor.agency_id:
        raise PermissionDenied
    document = _document_add(person=person, kind=kind, number=number, issuing_country=issuing_country)
    audit_log(actor=actor, action="update", object_type=PERSON, object_id=person.public_id, fields=["documents"])
    return document


@transaction.atomic
def reference_lists_load() -> tuple[int, int]:
    """Languages and ethnic groups kept in registry/data (idempotent)."""
    import csv
    from pathlib import Path

    data = Path(__file__).resolve().parent / "data"
    languages = 0
    with open(data / "languages.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            Language.objects.update_or_create(
                code=row["code"], defaults={"name": row["name"], "is_indigenous": row["is_indigenous"] == "1"}
            )
            languages += 1
    groups = 0
    countries = {c.code: c for c in Country.objects.filter(is_operating=True)}
    with open(data / "ethnic_groups.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            EthnicGroup.objects.update_or_create(
                name=row["name"], country=countries.get(row["country"]), defaults={"is_indigenous": row["is_indigenous"] == "1"}
            )
            groups += 1
    return languages, groups


ACCESS_SALT = "retorno.registry.access-request"
ACCESS_DAYS = 30


def access_token(person_pk: int) -> str:
    """An opaque reference to a person outside the user's scope (the page never shows the id)."""
    return signing.dumps(person_pk, salt=ACCESS_SALT)


@transaction.atomic
def access_request_create(*, actor: User, token: str, reason: str) -> AccessRequest:
    """Ask the registering institution for access to a record found as a possible match."""
    require(actor, "person.request_access")
    try:
        person_id = signing.loads(token, salt=ACCESS_SALT, max_age=24 * 3600)
    except signing.BadSignature:
        raise ValidationError({"token": _("This possible match is no longer valid: search again.")}) from None
    reason = " ".join(reason.split())
    if len(reason) < 10:
        raise ValidationError({"reason": _("Say why you need this record (at least 10 characters).")})
    person = Person.objects.select_related("agency").get(pk=person_id)
    pending = AccessRequest.objects.filter(person=person, requested_by=actor, status=AccessRequest.Status.PENDING).first()
    if pending is not None:
        return pending
    request = AccessRequest.objects.create(person=person, requested_by=actor, reason=reason[:300])
    audit_log(actor=actor, action="access_request", object_type=PERSON, object_id=person.public_id, reason=reason)
    transaction.on_commit(lambda: _access_request_notify(request))
    return request


def _access_request_notify(request: AccessRequest) -> None:
    """Tell the supervisors of the registering institution that a request waits. The e-mail names
    neither the person nor the record: only who asks and where to decide."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.urls import reverse
    from django.utils import translation

    supervisors = User.objects.filter(agency_id=request.person.agency_id, role="supervisor", is_active=True).exclude(email="")
    requester = request.requested_by
    for supervisor in supervisors:
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Retorno: a request for access to a record of your institution")
            body = _(
                "%(name)s (%(agency)s) asks for access to a record your institution registered. "
                "Grant or refuse it in Retorno, under Access requests: %(path)s"
            ) % {
                "name": requester.full_name,
                "agency": requester.agency.acronym if requester.agency else "",
                "path": reverse("registry:access_requests"),
            }
        send_mail(subject, body, None, [supervisor.email], fail_silently=True)


@transaction.atomic
def access_request_decide(*, actor: User, request_id: int, grant: bool) -> AccessRequest:
    """A supervisor of the registering institution grants (for ACCESS_DAYS) or refuses."""
    require(actor, "person.grant_access")
    assert actor.agency_id is not None  # _require checked it
    request = (
        AccessRequest.objects.select_for_update()
        .select_related("person")
        .filter(pk=request_id, person__agency_id=actor.agency_id, status=AccessRequest.Status.PENDING)
        .first()
    )
    if request is None:
        raise Http404
    request.status = AccessRequest.Status.GRANTED if grant else AccessRequest.Status.REFUSED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.expires_at = request.decided_at + datetime.timedelta(days=ACCESS_DAYS) if grant else None
    request.save(update_fields=["status", "decided_by", "decided_at", "expires_at"])
    audit_log(
        actor=actor,
        action="update",
        object_type=PERSON,
        object_id=request.person.public_id,
        fields=["access"],
        reason=f"{request.get_status_display()} → {request.requested_by.email}",
    )
    return request


def _linked_records() -> dict[str, tuple[type[models.Model], str]]:
    """Every kind of record that points at a person (documents, access requests, and whatever later
    apps link: arrivals, cases …) as {label: (model, field)}, found from the model graph so that
    a new app needs no change here."""
    skip = {DuplicatePair, PersonMerge, Person}
    out = {}
    for relation in Person._meta.related_objects:
        model = relation.related_model
        if relation.many_to_many or model in skip or not isinstance(model, type):
            continue
        out[f"{model._meta.app_label}.{model._meta.model_name}"] = (model, relation.field.name)
    return out


def _merge_guard(actor: User, *people: Person) -> None:
    require(actor, "person.merge")
    for person in people:
        if person.agency_id != actor.agency_id:
            raise PermissionDenied


@transaction.atomic
def person_merge(*, actor: User, survivor: Person, merged: Person, take: Iterable[str] = (), reason: str = "") -> PersonMerge:
    """Merge `merged` into `survivor`: linked records move to the survivor, the identity fields in
    `take` are copied from the merged record, and the merged record stays (hidden, its id leading
    to the survivor) so that `person_unmerge` can undo it all. Both must belong to the actor's agency."""
    survivor = Person.objects.select_for_update().get(pk=survivor.pk)
    merged = Person.objects.select_for_update().get(pk=merged.pk)
    _merge_guard(actor, survivor, merged)
    if survivor.pk == merged.pk or survivor.merged_into_id or merged.merged_into_id:
        raise ValidationError(_("These records cannot be merged: one of them was already merged."))
    unknown = set(take) - set(IDENTITY_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    fields_taken = {}
    for name in take:
        before, after = getattr(survivor, name), getattr(merged, name)
        if before != after:
            fields_taken[name] = [_json_value(before), _json_value(after)]
            setattr(survivor, name, after)
    moved: dict[str, list[int]] = {}
    held = set(survivor.documents.values_list("kind", "number_normalized"))
    for label, (model, field) in _linked_records().items():
        records = model._default_manager.filter(**{field: merged})
        if model is IdentityDocument:
            # A document the survivor already has stays with the merged record (the same paper).
            records = records.exclude(pk__in=[d.pk for d in merged.documents.all() if (d.kind, d.number_normalized) in held])
        pks = list(records.values_list("pk", flat=True))
        if pks:
            moved[label] = pks
            model._default_manager.filter(pk__in=pks).update(**{field: survivor})
    languages_added = [lang.pk for lang in merged.languages.all() if lang not in set(survivor.languages.all())]
    survivor.languages.add(*languages_added)
    _refresh_keys(survivor)
    survivor.save()
    merged.merged_into = survivor
    merged.save(update_fields=["merged_into", "updated_at"])
    low, high = sorted((survivor.pk, merged.pk))
    pair, _created = DuplicatePair.objects.get_or_create(left_id=low, right_id=high, defaults={"probability": 0.0})
    pair.status, pair.decided_by, pair.decided_at, pair.reason = DuplicatePair.Status.MERGED, actor, timezone.now(), reason[:300]
    pair.save()
    merge = PersonMerge.objects.create(
        survivor=survivor,
        merged=merged,
        pair=pair,
        reason=reason[:300],
        merged_by_user=actor,
        fields_taken=fields_taken,
        moved=moved,
        languages_added=languages_added,
    )
    changed = list(fields_taken) + sorted({label.split(".")[1] for label in moved}) + (["languages"] if languages_added else [])
    audit_log(actor=actor, action="merge", object_type=PERSON, object_id=survivor.public_id, fields=changed, reason=f"← {merged.public_id}")
    audit_log(actor=actor, action="merge", object_type=PERSON, object_id=merged.public_id, reason=f"→ {survivor.public_id}")
    return merge


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


def _field_value(name: str, stored: Any) -> Any:
    field = Person._meta.get_field(name)
    if stored is None:
        return None
    if field.is_relation:
        return field.related_model._default_manager.get(pk=stored)  # type: ignore[union-attr]
    if name == "birth_date":
        return datetime.date.fromisoformat(stored)
    return stored


@transaction.atomic
def person_unmerge(*, actor: User, merge_id: int, reason: str = "") -> PersonMerge:
    """Undo a merge: the merged record comes back with the records that moved, and each field the
    merge changed on the survivor gets its old value back unless someone corrected it since."""
    merge = PersonMerge.objects.select_for_update().filter(pk=merge_id, undone_at__isnull=True).first()
    if merge is None:
        raise Http404
    survivor = Person.objects.select_for_update().get(pk=merge.survivor_id)
    merged = Person.objects.select_for_update().get(pk=merge.merged_id)
    _merge_guard(actor, survivor, merged)
    restored = []
    for name, (before, after) in merge.fields_taken.items():
        if _json_value(getattr(survivor, name)) == after:
            setattr(survivor, name, _field_value(name, before))
            restored.append(name)
    linked = _linked_records()
    for label, pks in merge.moved.items():
        if label in linked:
            model, field = linked[label]
            model._default_manager.filter(pk__in=pks, **{field: survivor}).update(**{field: merged})
    survivor.languages.remove(*merge.languages_added)
    _refresh_keys(survivor)
    survivor.save()
    merged.merged_into = None
    merged.save(update_fields=["merged_into", "updated_at"])
    merge.undone_by, merge.undone_at = actor, timezone.now()
    merge.save(update_fields=["undone_by", "undone_at"])
    if merge.pair_id:
        DuplicatePair.objects.filter(pk=merge.pair_id).update(
            status=DuplicatePair.Status.PENDING, decided_by=None, decided_at=None, reason=""
        )
    changed = restored + sorted({label.split(".")[1] for label in merge.moved}) + (["languages"] if merge.languages_added else [])
    audit_log(actor=actor, action="unmerge", object_type=PERSON, object_id=survivor.public_id, fields=changed, reason=reason[:300])
    audit_log(actor=actor, action="unmerge", object_type=PERSON, object_id=merged.public_id, reason=reason[:300])
    return merge


@transaction.atomic
def pair_mark_different(*, actor: User, pair_id: int, reason: str = "") -> DuplicatePair:
    """ "Not the same person": the pair is closed and never proposed again."""
    pair = DuplicatePair.objects.select_for_update().select_related("left", "right").filter(pk=pair_id).first()
    if pair is None or pair.status != DuplicatePair.Status.PENDING:
        raise Http404
    _merge_guard(actor, pair.left, pair.right)
    pair.status, pair.decided_by, pair.decided_at, pair.reason = DuplicatePair.Status.DIFFERENT, actor, timezone.now(), reason[:300]
    pair.save()
    for person, other in ((pair.left, pair.right), (pair.right, pair.left)):
        audit_log(
            actor=actor,
            action="update",
            object_type=PERSON,
            object_id=person.public_id,
            fields=["duplicates"],
            reason=f"≠ {other.public_id}",
        )
    return pair
