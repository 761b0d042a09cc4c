"""Every write of the reception desk: one function per thing an officer does, transactional, audited."""

from __future__ import annotations

import copy
import datetime
import functools
import hashlib
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from retorno.core.audit import audit_log
from retorno.core.models import AdminArea, Agency, Country, PointOfEntry, Site, User
from retorno.core.services import public_id_next, require
from retorno.core.text import fold
from retorno.reception import manifest as manifest_io
from retorno.reception.models import (
    Arrival,
    ArrivalPerson,
    AssistanceGiven,
    ChildHandover,
    ManifestImport,
    ManifestSource,
    Screening,
    Vulnerability,
)
from retorno.reception.signals import child_handed_over, screening_recorded
from retorno.registry.linkage.records import Record, prepare
from retorno.registry.matching import Candidate, candidates_for, candidates_for_many
from retorno.registry.models import Person, estimated_birth_date
from retorno.registry.services import identity_check, national_id_fits, person_create, person_create_many, person_update

logger = logging.getLogger(__name__)
ARRIVAL = "arrival"
PERSON = "person"
INLINE_ROWS = 200  # larger manifests import in the background, with a progress bar
PROGRESS_EVERY = 50  # rows per committed batch of a large import (and per pass of the matcher)
COUNTERS = {"linked": "linked", "possible": "possible", "new": "created"}  # match -> ManifestImport counter
OLDER_PERSON_AGE = 60
# Who must see a doctor before leaving the centre (REFERENCE.md): children 0-3, pregnant women,
# older persons, persons with disabilities and the injured.
MEDICAL_VULNERABILITIES = frozenset(
    str(v) for v in (Vulnerability.PREGNANT, Vulnerability.OLDER_PERSON, Vulnerability.DISABILITY, Vulnerability.INJURED)
)
MEDICAL_AGE = 3
# Local phone numbers by country (digits); numbers starting with + are international (8-15 digits).
PHONE_DIGITS = {"SV": 8, "HN": 8, "GT": 8, "NI": 8, "CR": 8, "CO": 10, "MX": 10, "US": 10}


def _require_open(arrival: Arrival) -> None:
    if arrival.status == Arrival.Status.CLOSED:
        raise ValidationError(_("This arrival is closed: nothing can be added to it."))


# --- arrivals ----------------------------------------------------------------------------


@transaction.atomic
def arrival_create(
    *,
    actor: User,
    site: Site,
    returned_from: Country,
    mode: str,
    scheduled_at: datetime.datetime,
    point_of_entry: PointOfEntry | None = None,
    carrier: str = "",
    reference: str = "",
    expected_count: int = 0,
) -> Arrival:
    require(actor, "arrival.manage")
    assert actor.agency is not None
    arrival = Arrival(
        agency=actor.agency,
        site=site,
        returned_from=returned_from,
        mode=mode,
        point_of_entry=point_of_entry or site.point_of_entry,
        scheduled_at=scheduled_at,
        carrier=carrier.strip(),
        reference=reference.strip(),
        expected_count=expected_count,
        created_by=actor,
    )
    _check_arrival(actor, arrival)
    arrival.public_id = public_id_next(kind=ARRIVAL, country_code=actor.agency.country.code, year=scheduled_at.year, prefix="L")
    arrival.save()
    return arrival


ARRIVAL_CHANGEABLE = (
    "site",
    "returned_from",
    "mode",
    "point_of_entry",
    "scheduled_at",
    "arrived_at",
    "carrier",
    "reference",
    "expected_count",
)


@transaction.atomic
def arrival_update(*, actor: User, arrival: Arrival, **changes: Any) -> Arrival:
    """Correct an arrival (a delayed flight, the real time it landed, another count)."""
    require(actor, "arrival.manage")
    _require_open(arrival)
    unknown = set(changes) - set(ARRIVAL_CHANGEABLE)
    if unknown:
        raise ValueError(f"Not changeable: {sorted(unknown)}")
    proposed = copy.copy(arrival)  # the caller's arrival stays as it was if the change is refused
    for name, value in changes.items():
        setattr(proposed, name, value)
    _check_arrival(actor, proposed)
    proposed.save()
    return proposed


def _check_arrival(actor: User, arrival: Arrival) -> None:
    """What a planned or corrected arrival must be (the caller's transaction saves nothing otherwise)."""
    if arrival.site.agency_id != actor.agency_id or arrival.site.kind != Site.Kind.RECEPTION_CENTRE:
        raise ValidationError({"site": _("Choose a reception centre of your institution.")})
    if arrival.mode not in Arrival.Mode.values:
        raise ValidationError({"mode": _("Choose air, land or sea.")})
    if not 0 <= arrival.expected_count <= 1000:
        raise ValidationError({"expected_count": _("Expected people must be between 0 and 1,000.")})
    if arrival.arrived_at is not None and arrival.arrived_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"arrived_at": _("The arrival time cannot be in the future.")})


def _receiving(arrival: Arrival) -> None:
    if arrival.status == Arrival.Status.EXPECTED:
        arrival.status = Arrival.Status.RECEIVING
        arrival.arrived_at = arrival.arrived_at or timezone.now()
        arrival.save(update_fields=["status", "arrived_at"])


@transaction.atomic
def arrival_close(*, actor: User, arrival: Arrival) -> int:
    """Close the arrival: whoever is still expected did not arrive. Refused while an unaccompanied
    child has not been handed over. Returns how many were marked as not arrived."""
    require(actor, "arrival.manage")
    _require_open(arrival)
    problems = []
    if arrival.imports.filter(status__in=(ManifestImport.Status.QUEUED, ManifestImport.Status.RUNNING)).exists():
        problems.append(_("A manifest is being imported: close the arrival when it has finished."))
    waiting_children, unscreened_children = [], []
    for e in arrival.people.exclude(presence=ArrivalPerson.Presence.NOT_ARRIVED).select_related("screening", "handover"):
        e.arrival = arrival
        screening = getattr(e, "screening", None)
        if screening is not None and Vulnerability.UNACCOMPANIED_CHILD in screening.vulnerabilities and not hasattr(e, "handover"):
            waiting_children.append(e.full_name)
        elif screening is None and e.presence == ArrivalPerson.Presence.PRESENT and (e.is_child or e.listed_unaccompanied):
            unscreened_children.append(e.full_name)
    if waiting_children:
        problems.append(
            _("Hand over every unaccompanied child before closing: %(names)s.") % {"names": ", ".join(sorted(waiting_children))}
        )
    if unscreened_children:
        problems.append(
            _("Screen every child who arrived before closing (are they travelling alone?): %(names)s.")
            % {"names": ", ".join(sorted(unscreened_children))}
        )
    if problems:
        raise ValidationError(problems)
    missing = arrival.people.filter(presence=ArrivalPerson.Presence.EXPECTED).update(presence=ArrivalPerson.Presence.NOT_ARRIVED)
    arrival.status = Arrival.Status.CLOSED
    arrival.closed_at = timezone.now()
    arrival.arrived_at = arrival.arrived_at or arrival.closed_at
    arrival.save(update_fields=["status", "closed_at", "arrived_at"])
    return missing


# --- manifests -----------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _country_lookup(version: int) -> tuple[dict[str, str], dict[str, int]]:
    rows = list(Country.objects.values_list("code", "alpha3", "name_es", "name_en", "name_fr", "pk"))
    return manifest_io.country_lookup(r[:5] for r in rows), {r[0]: r[5] for r in rows}


def _countries() -> tuple[dict[str, str], dict[str, int]]:
    return _country_lookup(Country.objects.aggregate(m=Max("pk"))["m"] or 0)


def _parse(imp: ManifestImport) -> manifest_io.Manifest:
    lookup, _pks = _countries()
    return manifest_io.parse(
        bytes(imp.content or b""),
        imp.filename,
        countries=lookup,
        mapping=imp.mapping or None,
        today=timezone.localdate(),
        age_on=imp.arrival.day,
    )


KEEP_UNIMPORTED_DAYS = 7


def manifest_files_forget(*, days: int = KEEP_UNIMPORTED_DAYS) -> int:
    """Drop the files of manifests checked but never imported (or failed) after `days`: they hold
    personal data nobody is using. Their reports stay."""
    cutoff = timezone.now() - datetime.timedelta(days=days)
    return (
        ManifestImport.objects.filter(uploaded_at__lt=cutoff, content__isnull=False)
        .exclude(status__in=(ManifestImport.Status.QUEUED, ManifestImport.Status.RUNNING))
        .update(content=None)
    )


def manifest_parsed(imp: ManifestImport) -> manifest_io.Manifest | None:
    """The checked file as it will be imported (for the preview); None once the file is gone."""
    return _parse(imp) if imp.content else None


def _store_check(imp: ManifestImport, parsed: manifest_io.Manifest) -> None:
    imp.headers, imp.mapping = parsed.headers, parsed.mapping
    imp.rows_total = len(parsed.rows)
    imp.rows_bad = len(parsed.bad_rows)
    imp.errors = [e.__dict__ for e in parsed.errors]


@transaction.atomic
def manifest_check(*, actor: User, arrival: Arrival, filename: str, content: bytes) -> ManifestImport:
    """Read an uploaded manifest and report every bad row; nothing is imported yet. The column
    mapping comes from the layout confirmed earlier for the same columns, or is guessed."""
    require(actor, "arrival.manage")
    _require_open(arrival)
    lookup, _pks = _countries()
    table_headers = manifest_io.parse(content, filename, countries=lookup, today=timezone.localdate(), age_on=arrival.day)
    source = ManifestSource.objects.filter(agency=arrival.agency, signature=table_headers.signature).first()
    imp = ManifestImport(
        arrival=arrival,
        filename=filename[:200],
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by=actor,
    )
    if source is not None:
        imp.mapping = source.mapping_for(table_headers.headers)
        _store_check(imp, _parse(imp))
    else:
        _store_check(imp, table_headers)
    imp.save()
    return imp


def mapping_is_remembered(imp: ManifestImport) -> bool:
    return ManifestSource.objects.filter(agency=imp.arrival.agency, signature=manifest_io.header_signature(imp.headers)).exists()


@transaction.atomic
def manifest_mapping_confirm(*, actor: User, imp: ManifestImport, mapping: Sequence[str]) -> ManifestImport:
    """The officer confirms (or corrects) which field each column holds; the layout is remembered
    for the next manifest with the same columns, and the file is checked again."""
    require(actor, "arrival.manage")
    if imp.status != ManifestImport.Status.PREVIEW:
        raise ValidationError(_("This file has already been imported."))
    mapping = [m if m in manifest_io.FIELDS else "" for m in mapping][: len(imp.headers)]
    mapping += [""] * (len(imp.headers) - len(mapping))
    used = [m for m in mapping if m]
    if len(used) != len(set(used)):
        raise ValidationError(_("Each field can come from one column only."))
    imp.mapping = mapping
    _store_check(imp, _parse(imp))
    imp.save()
    ManifestSource.objects.update_or_create(
        agency=imp.arrival.agency,
        signature=manifest_io.header_signature(imp.headers),
        defaults={"headers": imp.headers, "mapping": mapping, "confirmed_by": actor, "confirmed_at": timezone.now()},
    )
    return imp


def manifest_import_start(
    *,
    actor: User,
    imp: ManifestImport,
    valid_only: bool = False,
    background: bool | None = None,
    progress: Callable[[int], None] | None = None,
) -> ManifestImport:
    """Import a checked file: every row, or only its valid rows when the user chose so. Refused,
    saving nothing, while a row is bad and `valid_only` is not set. Small files are imported at
    once; large ones by the task worker, whose progress the page shows."""
    from retorno.reception.tasks import manifest_import_task

    require(actor, "arrival.manage")
    _require_open(imp.arrival)
    with transaction.atomic():
        imp = ManifestImport.objects.select_for_update().get(pk=imp.pk)
        if imp.status != ManifestImport.Status.PREVIEW:
            raise ValidationError(_("This file has already been imported."))
        if imp.rows_bad and not valid_only:
            raise ValidationError(
                ngettext(
                    "Nothing was imported: %(n)s row has errors. Correct the file, or import only the valid rows.",
                    "Nothing was imported: %(n)s rows have errors. Correct the file, or import only the valid rows.",
                    imp.rows_bad,
                )
                % {"n": imp.rows_bad}
            )
        imp.valid_only = valid_only
        imp.status = ManifestImport.Status.QUEUED
        imp.save(update_fields=["valid_only", "status"])
    if not (background if background is not None else imp.rows_total - imp.rows_bad > INLINE_ROWS):
        return manifest_import_run(imp.pk, progress)
    manifest_import_task(imp.pk)
    imp.refresh_from_db()
    return imp


def manifest_import_run(import_id: int, progress: Callable[[int], None] | None = None) -> ManifestImport:
    """Link or create every valid row of a queued import (the task worker, or inline).

    A manifest of a flight (up to INLINE_ROWS rows) is imported in one transaction: all or
    nothing. A larger file is imported in batches, each committed with the progress; if one
    fails, the import is marked failed and can be started again: the rows already on the
    arrival are skipped (each row's key), so nobody is imported twice."""
    with transaction.atomic():
        imp = (
            ManifestImport.objects.select_for_update(of=("self",))
            .select_related("arrival__agency__country", "uploaded_by__agency")
            .get(pk=import_id)
        )
        if imp.status != ManifestImport.Status.QUEUED:
            return imp
        imp.status = ManifestImport.Status.RUNNING
        imp.save(update_fields=["status"])
    try:
        if imp.arrival.status == Arrival.Status.CLOSED:
            raise ValidationError(_("This arrival is closed: nothing can be added to it."))
        if imp.rows_total - imp.rows_bad <= INLINE_ROWS:
            with transaction.atomic():
                _import_rows(imp, progress, batch=imp.rows_total)
        else:
            _import_rows(imp, progress, batch=PROGRESS_EVERY)
    except Exception as error:
        # The reason by its kind only: an exception's text may carry a name or a document number.
        if not isinstance(error, ValidationError):
            logger.error("manifest import %s failed (%s)", imp.pk, type(error).__name__)
        ManifestImport.objects.filter(pk=imp.pk).update(
            status=ManifestImport.Status.FAILED, finished_at=timezone.now(), done=0 if imp.rows_total <= INLINE_ROWS else imp.done
        )
        imp.refresh_from_db()
    return imp


@transaction.atomic
def manifest_import_retry(*, actor: User, imp: ManifestImport) -> ManifestImport:
    """Start a failed import again (rows already on the arrival are skipped)."""
    require(actor, "arrival.manage")
    _require_open(imp.arrival)
    if imp.status != ManifestImport.Status.FAILED or not imp.content:
        raise ValidationError(_("Only a failed import can be started again."))
    imp.status = ManifestImport.Status.PREVIEW
    imp.save(update_fields=["status"])
    return manifest_import_start(actor=actor, imp=imp, valid_only=imp.valid_only)


def _import_rows(imp: ManifestImport, progress: Callable[[int], None] | None, batch: int) -> None:
    parsed = _parse(imp)
    _lookup, country_pks = _countries()
    rows = parsed.valid_rows
    actor, arrival = imp.uploaded_by, imp.arrival
    existing = set(arrival.people.values_list("row_key", flat=True))
    imp.linked = imp.possible = imp.created = imp.skipped = 0
    touched: list[str] = []
    for start in range(0, len(rows), batch):
        with transaction.atomic():
            chunk = [row for row in rows[start : start + batch] if row.key not in existing]
            imp.skipped += min(batch, len(rows) - start) - len(chunk)
            entries = [
                ArrivalPerson(
                    arrival=arrival,
                    manifest_import=imp,
                    manifest_row=row.number,
                    row_key=row.key,
                    given_names=row.given_names,
                    first_surname=row.first_surname,
                    second_surname=row.second_surname,
                    sex=row.sex,
                    birth_date=row.birth_date,
                    birth_date_precision=row.birth_precision,
                    document_number=row.document_number,
                    document_kind=row.document_kind,
                    nationality_id=country_pks.get(row.nationality),
                    listed_unaccompanied=row.unaccompanied,
                )
                for row in chunk
            ]
            records = [_entry_record(e) for e in entries]
            found = candidates_for_many(user=actor, records=records, limit=3, audit=False)
            new = _NewPeople(actor, arrival)
            for row, entry, record, candidates in zip(chunk, entries, records, found, strict=True):
                if row.key in existing:  # listed twice with the same key: the parser already refuses it
                    imp.skipped += 1
                    continue
                keys = _key_pairs(record)
                looked_up: list[Candidate] | None = candidates
                if keys & new.keys:
                    # Someone new a moment ago in this batch may be this row spelt another way:
                    # register them, then look again.
                    touched += new.register()
                    looked_up = None
                try:
                    with transaction.atomic():
                        if not _link(actor, entry, looked_up, register_now=False):
                            new.add(entry, keys)
                except AlreadyOnArrival:
                    imp.skipped += 1
                    continue
                existing.add(row.key)
                counter = COUNTERS[entry.match]
                setattr(imp, counter, getattr(imp, counter) + 1)
                for shown in (entry.person, entry.candidate):
                    if shown is not None:
                        touched.append(shown.public_id)
            touched += new.register()
            imp.done = min(len(rows), start + batch)
            imp.save(update_fields=["done", "linked", "possible", "created", "skipped"])
        if progress:
            progress(imp.done)
    imp.status = ManifestImport.Status.DONE
    imp.finished_at = timezone.now()
    imp.content = None  # the rows are in the registry now; the file is not kept
    imp.save(update_fields=["status", "finished_at", "content"])
    audit_log(actor=actor, action="create", object_type=ARRIVAL, object_id=arrival.public_id, records=touched, reason="manifest")


class _NewPeople:
    """The new people of a batch, registered together (one insert, one audit event) and their
    entries saved with them."""

    def __init__(self, actor: User, arrival: Arrival) -> None:
        self.actor, self.arrival = actor, arrival
        self.entries: list[ArrivalPerson] = []
        self.keys: set[tuple[str, ...]] = set()  # also of those already registered: they stay findable only by a new look-up

    def add(self, entry: ArrivalPerson, keys: set[tuple[str, ...]]) -> None:
        self.entries.append(entry)
        self.keys |= keys

    def register(self) -> list[str]:
        if not self.entries:
            return []
        people = person_create_many(actor=self.actor, people=[_person_spec(e) for e in self.entries], reason=self.arrival.public_id)
        for entry, person in zip(self.entries, people, strict=True):
            entry.person = person
        ArrivalPerson.objects.bulk_create(self.entries)
        self.entries = []
        return [person.public_id for person in people]


def _key_pairs(record: Record) -> set[tuple[str, ...]]:
    """Pairs of blocking keys: two rows sharing one may be the same person."""
    keys = prepare(record).keys
    pairs = {("gf", keys["given"], keys["first"]), ("fy", keys["first"], keys["year"]), ("fs", keys["first"], keys["second"])}
    return {pair for pair in pairs if all(pair[1:])}


def _entry_record(entry: ArrivalPerson) -> Record:
    return Record(
        id="",
        given_names=entry.given_names,
        first_surname=entry.first_surname,
        second_surname=entry.second_surname,
        sex=entry.sex if entry.sex in ("F", "M") else "",
        birth_date=entry.birth_date,
        birth_precision=entry.birth_date_precision,
        document_number=entry.document_number,
    )


class AlreadyOnArrival(Exception):
    """The registry says this row is a person already on the arrival (listed twice, spelt differently)."""


def _link(actor: User, entry: ArrivalPerson, candidates: list[Candidate] | None = None, *, register_now: bool = True) -> bool:
    """Find the entry in the registry: link the same person, keep a possible match for the desk to
    decide, or register a new person, and save the entry. `candidates`: already looked up (a
    manifest is looked up a batch at a time). Without `register_now`, a new person is left to the
    caller to register with others (returns False, the entry unsaved)."""
    entry.search_name = fold(f"{entry.given_names} {entry.first_surname} {entry.second_surname}")
    if candidates is None:
        candidates = candidates_for(user=actor, record=_entry_record(entry), limit=3, audit=False)
    # Only the institution's own records are linked or shown: the arrival is seen by every officer
    # of the institution, and access one officer was granted to another institution's record is
    # that officer's, for a while. Such records count as "known elsewhere".
    own = [c for c in candidates if c.person is not None and c.person.agency_id == entry.arrival.agency_id]
    best = own[0] if own else None
    if best is not None and best.decision == "same":
        entry.person, entry.match, entry.match_probability = best.person, ArrivalPerson.Match.LINKED, best.probability
        if ArrivalPerson.objects.filter(arrival=entry.arrival, person=best.person).exclude(pk=entry.pk).exists():
            raise AlreadyOnArrival
    elif best is not None:
        entry.candidate, entry.match, entry.match_probability = best.person, ArrivalPerson.Match.POSSIBLE, best.probability
    else:
        entry.match = ArrivalPerson.Match.NEW
    elsewhere = sorted({c.agency for c in candidates if c not in own and c.decision == "same"})
    entry.known_elsewhere = ", ".join(elsewhere)[:200]
    if entry.match == ArrivalPerson.Match.NEW:
        if not register_now:
            return False
        entry.person = _register(actor, entry)
    elif entry.person is not None:
        entry.previous_returns = previous_returns(entry.person, entry.arrival)
    entry.save()
    return True


def _person_spec(entry: ArrivalPerson) -> dict[str, Any]:
    """person_create's arguments for the person a manifest row describes."""
    documents = []
    if entry.document_number and entry.nationality_id:
        documents.append({"kind": entry.document_kind or "other", "number": entry.document_number, "issuing_country": entry.nationality})
    return {
        "given_names": entry.given_names,
        "first_surname": entry.first_surname,
        "second_surname": entry.second_surname,
        "sex": entry.sex,
        "birth_date": entry.birth_date,
        "birth_date_precision": entry.birth_date_precision,
        "nationality": entry.nationality,
        "documents": documents,
    }


def _register(actor: User, entry: ArrivalPerson) -> Person:
    return person_create(actor=actor, **_person_spec(entry))


def previous_returns(person: Person, arrival: Arrival) -> list[str]:
    """Dates (ISO) of the person's earlier arrivals at the same institution, oldest first."""
    earlier = (
        ArrivalPerson.objects.filter(person=person, arrival__agency=arrival.agency, arrival__scheduled_at__lt=arrival.scheduled_at)
        .exclude(arrival=arrival)
        .exclude(presence=ArrivalPerson.Presence.NOT_ARRIVED)
        .values_list("arrival__arrived_at", "arrival__scheduled_at")
    )
    return sorted({timezone.localdate(arrived or scheduled).isoformat() for arrived, scheduled in earlier})


# --- the desk ------------------------------------------------------------------------------


@transaction.atomic
def entry_presence(*, actor: User, entry: ArrivalPerson, presence: str) -> ArrivalPerson:
    require(actor, "arrival.desk")
    _require_open(entry.arrival)
    if presence not in ArrivalPerson.Presence.values:
        raise ValidationError(_("Unknown presence."))
    if presence != ArrivalPerson.Presence.PRESENT and (hasattr(entry, "screening") or entry.companions.exists()):
        raise ValidationError(_("This person was screened at the desk, or children travel with them: they arrived."))
    entry.presence = presence
    entry.registered_by, entry.registered_at = actor, timezone.now()
    entry.save(update_fields=["presence", "registered_by", "registered_at"])
    if presence == ArrivalPerson.Presence.PRESENT:
        _receiving(entry.arrival)
    _audit_entry(actor, entry, "update", ["presence"])
    return entry


@transaction.atomic
def entry_identity(*, actor: User, entry: ArrivalPerson, same: bool) -> ArrivalPerson:
    """The officer has seen the person and says whether they are the registry record the matcher
    chose (a possible match, or one it linked: it can be a namesake) — or someone else, who is
    then registered as new. A person registered as new is only confirmed."""
    require(actor, "arrival.desk")
    _require_open(entry.arrival)
    if entry.match == ArrivalPerson.Match.POSSIBLE:
        if same:
            if entry.candidate is None:
                raise ValidationError(_("The possible match is no longer in the registry."))
            entry.person, entry.match = entry.candidate, ArrivalPerson.Match.LINKED
        else:
            entry.person, entry.match = _register(actor, entry), ArrivalPerson.Match.NEW
        entry.candidate = None
        assert entry.person is not None
        entry.previous_returns = previous_returns(entry.person, entry.arrival)
    elif not same and entry.match == ArrivalPerson.Match.LINKED:
        entry.person, entry.match, entry.match_probability = _register(actor, entry), ArrivalPerson.Match.NEW, None
        entry.previous_returns = []
    elif not same:
        raise ValidationError(_("Correct the person's data on their record instead."))
    entry.identity_confirmed = True
    entry.save()
    _audit_entry(actor, entry, "update", ["identity_confirmed"])
    return entry


@transaction.atomic
def walk_in_add(
    *,
    actor: User,
    arrival: Arrival,
    given_names: str,
    first_surname: str,
    sex: str,
    second_surname: str = "",
    birth_date: datetime.date | None = None,
    birth_date_precision: str = Person.BirthDatePrecision.EXACT,
    nationality: Country | None = None,
    document_number: str = "",
) -> ArrivalPerson:
    """Someone who came but was not on the manifest: present, found in or added to the registry."""
    require(actor, "arrival.desk")
    _require_open(arrival)
    said = Person(given_names=given_names, first_surname=first_surname, second_surname=second_surname, sex=sex, birth_date=birth_date)
    identity_check(said)  # the registry's rules and messages
    given_names, first_surname, second_surname = said.given_names, said.first_surname, said.second_surname
    row = manifest_io.ManifestRow(
        number=0, given_names=given_names, first_surname=first_surname, second_surname=second_surname, birth_date=birth_date
    )
    row.document_number = document_number.strip()
    key = row.key
    if arrival.people.filter(row_key=key).exists():
        raise ValidationError(_("This person is already on the arrival's list: search for them."))
    entry = ArrivalPerson(
        arrival=arrival,
        row_key=key,
        on_manifest=False,
        given_names=given_names,
        first_surname=first_surname,
        second_surname=second_surname,
        sex=sex,
        birth_date=birth_date,
        birth_date_precision=birth_date_precision if birth_date else Person.BirthDatePrecision.EXACT,
        nationality=nationality,
        document_number=row.document_number[:40],
        document_kind="national_id" if nationality and national_id_fits(row.document_number, nationality.code) else "other",
        presence=ArrivalPerson.Presence.PRESENT,
        registered_by=actor,
        registered_at=timezone.now(),
    )
    try:
        _link(actor, entry)
    except AlreadyOnArrival:
        raise ValidationError(_("This person is already on the arrival's list: search for them.")) from None
    _receiving(arrival)
    _audit_entry(actor, entry, "create", ["presence"])
    return entry


def phone_problem(phone: str, country_code: str) -> str | None:
    digits = re.sub(r"[\s\-().]", "", phone)
    if not digits:
        return None
    if digits.startswith("+"):
        if re.fullmatch(r"\+\d{8,15}", digits):
            return None
        return _("Write the international number as + and 8 to 15 digits, e.g. +503 7123 4567.")
    wanted = PHONE_DIGITS.get(country_code)
    if digits.isdigit() and (len(digits) == wanted or (wanted is None and 7 <= len(digits) <= 12)):
        return None
    if wanted:
        return _("A phone number here has %(n)s digits, e.g. %(example)s (or write it with + and the country code).") % {
            "n": wanted,
            "example": "7123-4567" if wanted == 8 else "300 123 4567",
        }
    return _("This is not a phone number.")


def medical_required(entry: ArrivalPerson, vulnerabilities: Iterable[str]) -> bool:
    age = entry.age_at_arrival
    return (age is not None and age <= MEDICAL_AGE) or bool(MEDICAL_VULNERABILITIES & set(vulnerabilities))


def suggested_vulnerabilities(entry: ArrivalPerson) -> list[str]:
    """What the desk can already tell from the list: ticked in advance, the officer corrects."""
    found = []
    age = entry.age_at_arrival
    if entry.is_child and entry.travelling_with_id is None and entry.listed_unaccompanied is not False:
        found.append(Vulnerability.UNACCOMPANIED_CHILD)
    if age is not None and age >= OLDER_PERSON_AGE:
        found.append(Vulnerability.OLDER_PERSON)
    if not entry.document_number:
        found.append(Vulnerability.NO_DOCUMENT)
    return [str(v) for v in found]


@transaction.atomic
def screening_save(
    *,
    actor: User,
    entry: ArrivalPerson,
    vulnerabilities: Sequence[str] = (),
    vulnerability_other: str = "",
    health_needs: str = "",
    reasons: Sequence[str] = (),
    reason_other: str = "",
    destination: AdminArea | None = None,
    phone: str = "",
    consent_assistance: bool = False,
    consent_referral: bool = False,
    consent_statistics: bool = False,
    consent_method: str = "",
    medical_given: bool = False,
    medical_skip_reason: str = "",
    case_needed: bool = False,
    estimated_age: int | None = None,
) -> Screening:
    """Screen a person who arrived (marks them present). Enforces the rules of the desk: mandatory
    medical attention cannot be skipped without a reason; an unaccompanied child must be a child
    travelling without an adult; consent says how it was given."""
    require(actor, "arrival.desk")
    _require_open(entry.arrival)
    if estimated_age is not None and (entry.birth_date is None or entry.birth_date_precision == Person.BirthDatePrecision.ESTIMATED):
        _estimate_birth_date(actor, entry, estimated_age)
    vulnerabilities = [v for v in dict.fromkeys(vulnerabilities) if v in Vulnerability.values]
    reasons = [r for r in dict.fromkeys(reasons) if r in ("economic", "family", "violence", "other")]
    errors: dict[str, str] = {}
    if entry.birth_date is None:
        errors["estimated_age"] = _("There is no date of birth: write the estimated age (it decides who is a child).")
    elif Vulnerability.UNACCOMPANIED_CHILD in vulnerabilities:
        if not entry.is_child and entry.birth_date_precision == Person.BirthDatePrecision.EXACT:
            errors["vulnerabilities"] = _("An unaccompanied child is under 18: check the date of birth.")
        elif entry.travelling_with_id is not None:
            errors["vulnerabilities"] = _(
                "This child travels with an adult of the family group: remove the link first, or untick “unaccompanied child”."
            )
    elif entry.is_child and entry.travelling_with_id is None:
        errors["vulnerabilities"] = _(
            "A child with no parent or guardian in the family group is an unaccompanied child: tick it, or first link the adult "
            "they travel with."
        )
    if Vulnerability.OTHER in vulnerabilities and not vulnerability_other.strip():
        errors["vulnerability_other"] = _("Say which other vulnerability.")
    if "other" in reasons and not reason_other.strip():
        errors["reason_other"] = _("Say which other reason.")
    country = entry.arrival.agency.country.code
    problem = phone_problem(phone, country)
    if problem:
        errors["phone"] = problem
    if (consent_assistance or consent_referral or consent_statistics) and not consent_method:
        errors["consent_method"] = _("Say how the consent was given.")
    if destination is not None and (destination.level != AdminArea.Level.MUNICIPALITY or destination.country.code != country):
        errors["destination"] = _("Choose a municipality of this country.")
    required = medical_required(entry, vulnerabilities)
    if required and not medical_given and not medical_skip_reason.strip():
        errors["medical_skip_reason"] = _(
            "Medical attention is mandatory for this person (child under 4, pregnancy, older person, disability or injury): "
            "give it, or write why not."
        )
    if errors:
        raise ValidationError(errors)
    screening, created = Screening.objects.update_or_create(
        entry=entry,
        defaults={
            "vulnerabilities": vulnerabilities,
            "vulnerability_other": vulnerability_other.strip()[:200] if Vulnerability.OTHER in vulnerabilities else "",
            "health_needs": health_needs.strip(),
            "reasons": reasons,
            "reason_other": reason_other.strip()[:200] if "other" in reasons else "",
            "destination": destination,
            "phone": " ".join(phone.split()),
            "consent_assistance": consent_assistance,
            "consent_referral": consent_referral,
            "consent_statistics": consent_statistics,
            "consent_method": consent_method,
            "consent_recorded_by": actor,
            "medical_required": required,
            "medical_given": medical_given,
            "medical_skip_reason": "" if medical_given else medical_skip_reason.strip()[:300],
            "case_needed": case_needed,
            "screened_by": actor,
            "screened_at": timezone.now(),
        },
    )
    if medical_given and not entry.assistance.filter(kind=AssistanceGiven.Kind.MEDICAL).exists():
        AssistanceGiven.objects.create(entry=entry, kind=AssistanceGiven.Kind.MEDICAL, given_by=actor)
    if entry.presence != ArrivalPerson.Presence.PRESENT:
        entry.presence, entry.registered_by, entry.registered_at = ArrivalPerson.Presence.PRESENT, actor, timezone.now()
        entry.save(update_fields=["presence", "registered_by", "registered_at"])
        _receiving(entry.arrival)
    _audit_entry(actor, entry, "create" if created else "update", ["screening"])
    transaction.on_commit(lambda: screening_recorded.send(sender=ArrivalPerson, entry=entry))
    return screening


def _estimate_birth_date(actor: User, entry: ArrivalPerson, age: int) -> None:
    """No date of birth on the list: the officer's estimate of the age, as the registry keeps one
    (1 July of the year it gives), on the entry and on the person's record when it has none."""
    if not 0 <= age <= 120:
        raise ValidationError({"estimated_age": _("The estimated age must be between 0 and 120 years.")})
    entry.birth_date = estimated_birth_date(age, entry.arrival.day)
    entry.birth_date_precision = Person.BirthDatePrecision.ESTIMATED
    entry.save(update_fields=["birth_date", "birth_date_precision"])
    person = entry.person
    unknown = person is not None and (person.birth_date is None or person.birth_date_precision == Person.BirthDatePrecision.ESTIMATED)
    if person is not None and unknown and person.agency_id == actor.agency_id:
        person_update(
            actor=actor,
            person=person,
            reason=entry.arrival.public_id,
            birth_date=entry.birth_date,
            birth_date_precision=entry.birth_date_precision,
        )


def child_protection_authority(arrival: Arrival) -> Agency | None:
    return Agency.objects.filter(country_id=arrival.agency.country_id, is_child_protection_authority=True, is_active=True).first()


@transaction.atomic
def handover_record(
    *, actor: User, entry: ArrivalPerson, receiving_officer: str, handed_over_at: datetime.datetime | None = None, notes: str = ""
) -> ChildHandover:
    """An unaccompanied child handed to the country's child-protection institution, in person."""
    require(actor, "arrival.desk")
    _require_open(entry.arrival)
    screening = getattr(entry, "screening", None)
    if screening is None or Vulnerability.UNACCOMPANIED_CHILD not in screening.vulnerabilities:
        raise ValidationError(_("Only a child screened as unaccompanied is handed over."))
    if hasattr(entry, "handover"):
        raise ValidationError(_("This child has already been handed over."))
    authority = child_protection_authority(entry.arrival)
    if authority is None:
        raise ValidationError(_("No child-protection institution is set for this country: ask an administrator."))
    receiving_officer = " ".join(receiving_officer.split())
    if not receiving_officer:
        raise ValidationError({"receiving_officer": _("Write the name of the officer who receives the child.")})
    when = handed_over_at or timezone.now()
    if when > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"handed_over_at": _("The hand-over cannot be in the future.")})
    handover = ChildHandover.objects.create(
        entry=entry,
        agency=authority,
        receiving_officer=receiving_officer[:150],
        handed_over_at=when,
        notes=notes.strip()[:300],
        recorded_by=actor,
    )
    _audit_entry(actor, entry, "update", ["handover"])
    child_handed_over.send(sender=ChildHandover, handover=handover)
    return handover


@transaction.atomic
def assistance_give(*, actor: User, entry: ArrivalPerson, kind: str, quantity: int = 1, note: str = "") -> AssistanceGiven:
    require(actor, "arrival.desk")
    _require_open(entry.arrival)
    if kind not in AssistanceGiven.Kind.values:
        raise ValidationError({"kind": _("Choose the assistance given.")})
    if not 1 <= quantity <= 50:
        raise ValidationError({"quantity": _("The quantity must be between 1 and 50.")})
    if kind == AssistanceGiven.Kind.OTHER and not note.strip():
        raise ValidationError({"note": _("Say what was given.")})
    given = AssistanceGiven.objects.create(entry=entry, kind=kind, quantity=quantity, note=note.strip()[:200], given_by=actor)
    if kind == AssistanceGiven.Kind.MEDICAL:
        Screening.objects.filter(entry=entry).update(medical_given=True, medical_skip_reason="")
    _audit_entry(actor, entry, "update", ["assistance"])
    return given


@transaction.atomic
def family_link(*, actor: User, entry: ArrivalPerson, adult: ArrivalPerson | None, relationship: str = "") -> ArrivalPerson:
    """A child travels with an adult of the same arrival (a family group); None removes the link."""
    require(actor, "arrival.desk")
    _require_open(entry.arrival)
    if adult is not None:
        if adult.arrival_id != entry.arrival_id or adult.pk == entry.pk:
            raise ValidationError({"travelling_with": _("Choose another person of this arrival.")})
        if adult.is_child:
            raise ValidationError({"travelling_with": _("A child travels with an adult: choose a person aged 18 or over.")})
        if adult.presence != ArrivalPerson.Presence.PRESENT:
            raise ValidationError({"travelling_with": _("Mark the adult present first: a child is with an adult who is here.")})
        if not relationship.strip():
            raise ValidationError({"relationship": _("Say how they are related (mother, father, uncle, legal guardian…).")})
    entry.travelling_with = adult
    entry.relationship = relationship.strip()[:60] if adult else ""
    entry.save(update_fields=["travelling_with", "relationship"])
    if adult is not None and hasattr(entry, "screening") and Vulnerability.UNACCOMPANIED_CHILD in entry.screening.vulnerabilities:
        entry.screening.vulnerabilities = [v for v in entry.screening.vulnerabilities if v != Vulnerability.UNACCOMPANIED_CHILD]
        entry.screening.save(update_fields=["vulnerabilities"])
    _audit_entry(actor, entry, "update", ["travelling_with"])
    return entry


def _audit_entry(actor: User, entry: ArrivalPerson, action: str, fields: list[str]) -> None:
    person = entry.person
    if person is not None:
        audit_log(actor=actor, action=action, object_type=PERSON, object_id=person.public_id, fields=fields, reason=entry.arrival.public_id)
    else:
        audit_log(actor=actor, action=action, object_type=ARRIVAL, object_id=entry.arrival.public_id, fields=fields, reason=f"#{entry.pk}")


def rows_report(errors: list[dict[str, Any]]) -> list[str]:
    """The stored row errors in the reader's language."""
    return [manifest_io.RowError(**e).message() for e in errors]
