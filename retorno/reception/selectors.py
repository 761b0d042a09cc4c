"""Reads of the reception desk: an officer sees the arrivals of their own institution only, and
every list or page that shows people is audited."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from rapidfuzz import fuzz

from retorno.core.audit import audit_log
from retorno.core.models import Site, User
from retorno.core.text import fold
from retorno.reception.models import Arrival, ArrivalPerson, ManifestImport, Vulnerability

PERSON = "person"
FUZZY_SCORE = 80  # rapidfuzz ratio from which a typed word is taken for a name's word
AGE_GROUPS = ((0, 3, "0–3"), (4, 11, "4–11"), (12, 17, "12–17"), (18, 59, "18–59"), (60, 200, "60+"))


def _reads_arrivals(user: User) -> bool:
    return user.agency_id is not None and (user.can("arrival.desk") or user.can("arrival.manage"))


def arrival_scope(*, user: User) -> QuerySet[Arrival]:
    if not _reads_arrivals(user):
        return Arrival.objects.none()
    return Arrival.objects.filter(agency=user.agency)


def arrivals_board(*, user: User, site_id: int | None = None) -> tuple[list[Any], list[Any]]:
    """(today's, upcoming and still open arrivals; the last 30 closed ones), each with its counts."""
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    scope = arrival_scope(user=user)
    if site_id is not None:
        scope = scope.filter(site_id=site_id)
    annotated = scope.select_related("site", "returned_from", "point_of_entry").annotate(
        on_list=Count("people"),
        present=Count("people", filter=Q(people__presence=ArrivalPerson.Presence.PRESENT)),
        screened=Count("people", filter=Q(people__screening__isnull=False)),
    )
    upcoming = list(annotated.filter(Q(scheduled_at__gte=start) | ~Q(status=Arrival.Status.CLOSED)).order_by("scheduled_at")[:50])
    recent = list(annotated.filter(scheduled_at__lt=start, status=Arrival.Status.CLOSED).order_by("-scheduled_at")[:30])
    return upcoming, recent


def reception_sites(*, user: User) -> QuerySet[Site]:
    return Site.objects.filter(agency=user.agency, kind=Site.Kind.RECEPTION_CENTRE, is_active=True)


def arrival_get(*, user: User, public_id: str) -> Arrival:
    arrival = (
        arrival_scope(user=user)
        .select_related("site", "returned_from", "point_of_entry", "agency__country")
        .filter(public_id=public_id.upper())
        .first()
    )
    if arrival is None:
        raise Http404
    return arrival


def _entries(arrival: Arrival) -> QuerySet[ArrivalPerson]:
    return arrival.people.select_related("person", "candidate", "nationality", "screening", "handover", "travelling_with")


def _audit_shown(user: User, arrival: Arrival, entries: list[ArrivalPerson], reason: str) -> None:
    shown = [p.public_id for e in entries for p in (e.person, e.candidate) if p is not None]
    if entries:
        audit_log(
            actor=user, action="search", object_type=PERSON, object_id="", records=shown, reason=f"{arrival.public_id} {reason}".strip()
        )


def _sort_key(entry: ArrivalPerson) -> tuple[str, str, str]:
    return fold(entry.first_surname), fold(entry.second_surname), fold(entry.given_names)


def _fuzzy_matches(entries: list[ArrivalPerson], words: list[str]) -> list[ArrivalPerson]:
    """Entries whose every searched word is close to one of their name's words (Yesenia finds
    Yessenia, Hernandes finds Hernández): the list of one arrival is short, so it is read whole."""
    found = []
    for entry in entries:
        tokens = entry.search_name.split()
        if all(any(t.startswith(w) or fuzz.ratio(w, t) >= FUZZY_SCORE for t in tokens) for w in words):
            found.append(entry)
    return found


def arrival_people(*, user: User, arrival: Arrival, query: str = "", status: str = "", limit: int = 300) -> list[ArrivalPerson]:
    """The people on the arrival, found by any part of their names (accents, case and word order do
    not matter; a misspelt name is found when nothing matches exactly), by manifest row, document
    number or Retorno id. `status`: waiting / present / not_arrived / possible / children / screened."""
    entries = _entries(arrival)
    filters = {
        "waiting": Q(presence=ArrivalPerson.Presence.EXPECTED),
        "present": Q(presence=ArrivalPerson.Presence.PRESENT),
        "not_arrived": Q(presence=ArrivalPerson.Presence.NOT_ARRIVED),
        "possible": Q(match=ArrivalPerson.Match.POSSIBLE),
        "screened": Q(screening__isnull=False),
    }
    if status in filters:
        entries = entries.filter(filters[status])
    words = fold(query).split()[:6]
    text = query.strip().upper()
    if text.isdigit() and len(text) <= 4:
        found = list(entries.filter(manifest_row=int(text)))
    elif text and any(c.isdigit() for c in text):
        found = list(entries.filter(Q(person__public_id=text) | Q(document_number__icontains=query.strip())))
    else:
        exact = entries
        for word in words:
            exact = exact.filter(search_name__contains=word)
        found = list(exact)
        if not found and words:
            found = _fuzzy_matches(list(entries), words)
    for entry in found:
        entry.arrival = arrival  # age at arrival without a query per row
    if status == "children":
        found = [e for e in found if e.is_child]
    found = sorted(found, key=_sort_key)[:limit]
    _audit_shown(user, arrival, found, "desk")
    return found


def entry_get(*, user: User, arrival: Arrival, entry_id: int) -> ArrivalPerson:
    entry = _entries(arrival).filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    entry.arrival = arrival
    if entry.person is not None:
        audit_log(actor=user, action="view", object_type=PERSON, object_id=entry.person.public_id, reason=arrival.public_id)
    else:
        audit_log(actor=user, action="view", object_type="arrival", object_id=arrival.public_id, reason=f"#{entry.pk}")
    if entry.candidate is not None:  # the possible match is shown beside the entry
        audit_log(
            actor=user, action="view", object_type=PERSON, object_id=entry.candidate.public_id, reason=f"{arrival.public_id} candidate"
        )
    return entry


def adults_on(arrival: Arrival, exclude: int) -> list[ArrivalPerson]:
    """The adults a child may be travelling with: present at the desk (the family-group choice)."""
    people = list(arrival.people.exclude(pk=exclude).filter(presence=ArrivalPerson.Presence.PRESENT))
    for p in people:
        p.arrival = arrival
    return [p for p in people if not p.is_child]


def imports_of(arrival: Arrival) -> QuerySet[ManifestImport]:
    return arrival.imports.select_related("uploaded_by").defer("content")


@dataclass
class ArrivalSummary:
    on_list: int = 0
    present: int = 0
    waiting: int = 0
    not_arrived: int = 0
    walk_ins: int = 0
    screened: int = 0
    by_sex: dict[str, int] = field(default_factory=dict)
    by_age: dict[str, int] = field(default_factory=dict)
    unaccompanied: int = 0
    unaccompanied_to_confirm: int = 0  # listed so by the manifest, not screened yet
    handed_over: int = 0
    repeat: int = 0
    vulnerabilities: list[tuple[str, int]] = field(default_factory=list)
    assistance: list[tuple[str, int]] = field(default_factory=list)
    medical_pending: int = 0
    case_needed: int = 0
    waiting_people: list[ArrivalPerson] = field(default_factory=list)
    transport: list[tuple[str, list[ArrivalPerson]]] = field(default_factory=list)


def arrival_summary(*, user: User, arrival: Arrival, names: bool = True) -> ArrivalSummary:
    """Counts of the arrival; with `names`, who still waits and the transport list (audited)."""
    entries = list(_entries(arrival).select_related("screening__destination__parent").prefetch_related("assistance"))
    summary = ArrivalSummary(by_age={label: 0 for *_r, label in AGE_GROUPS} | {"?": 0})
    vulnerabilities: Counter[str] = Counter()
    assistance: Counter[str] = Counter()
    transport: dict[str, list[ArrivalPerson]] = {}
    labels = dict(Vulnerability.choices)
    from retorno.reception.models import AssistanceGiven

    kinds = dict(AssistanceGiven.Kind.choices)
    for e in entries:
        e.arrival = arrival
        summary.on_list += e.on_manifest
        summary.walk_ins += not e.on_manifest
        summary.repeat += e.is_repeat
        if e.listed_unaccompanied and e.presence != ArrivalPerson.Presence.NOT_ARRIVED and getattr(e, "screening", None) is None:
            summary.unaccompanied_to_confirm += 1
        if e.presence == ArrivalPerson.Presence.NOT_ARRIVED:
            summary.not_arrived += 1
            continue
        if e.presence == ArrivalPerson.Presence.EXPECTED:
            summary.waiting += 1
            summary.waiting_people.append(e)
            continue
        summary.present += 1
        sex = str(e.get_sex_display())
        summary.by_sex[sex] = summary.by_sex.get(sex, 0) + 1
        age = e.age_at_arrival
        group = next((label for low, high, label in AGE_GROUPS if age is not None and low <= age <= high), "?")
        summary.by_age[group] += 1
        screening = getattr(e, "screening", None)
        for given in e.assistance.all():
            assistance[str(kinds[given.kind])] += given.quantity
        if screening is None:
            summary.waiting_people.append(e)
            continue
        summary.screened += 1
        for v in screening.vulnerabilities:
            vulnerabilities[str(labels.get(v, v))] += 1
        if Vulnerability.UNACCOMPANIED_CHILD in screening.vulnerabilities:
            summary.unaccompanied += 1
            summary.handed_over += hasattr(e, "handover")
        summary.medical_pending += screening.medical_required and not screening.medical_given and not screening.medical_skip_reason
        summary.case_needed += screening.case_needed
        if any(a.kind == AssistanceGiven.Kind.TRANSPORT for a in e.assistance.all()) and not hasattr(e, "handover"):
            area = screening.destination
            place = f"{area.parent.name} — {area.name}" if area and area.parent else (area.name if area else "—")  # by department
            transport.setdefault(place, []).append(e)
    summary.vulnerabilities = vulnerabilities.most_common()
    summary.assistance = assistance.most_common()
    summary.transport = sorted(transport.items())
    if names:
        _audit_shown(user, arrival, summary.waiting_people + [e for _p, group in summary.transport for e in group], "summary")
    return summary
