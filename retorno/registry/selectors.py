"""Every read of people's records: scoped to the user, audited.

Pages, search, exports and the API all go through these functions, so no path
shows more than the person page would. A record outside the user's scope is
"not found" (404), never "forbidden": a 403 would confirm it exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from retorno.core.audit import audit_log, events_about
from retorno.core.models import AuditEvent, User
from retorno.core.text import fold
from retorno.registry.linkage.normalize import document_normalize
from retorno.registry.models import AccessRequest, DedupRun, DuplicatePair, IdentityDocument, Person, PersonMerge
from retorno.registry.services import PERSON


def person_scope(*, user: User) -> QuerySet[Person]:
    """People the user may see: their agency's records, and records another institution granted
    them access to (until the grant expires), for roles that read records at all."""
    if not _reads_records(user):
        return Person.objects.none()
    return Person.objects.filter(Q(agency_id=user.agency_id) | Q(pk__in=_granted(user).values("person_id")), merged_into__isnull=True)


def _reads_records(user: User) -> bool:
    return user.is_authenticated and user.can("person.view") and user.agency_id is not None


def _granted(user: User) -> QuerySet[AccessRequest]:
    return AccessRequest.objects.filter(requested_by=user, status=AccessRequest.Status.GRANTED, expires_at__gt=timezone.now())


def people_in_scope(*, user: User, agency_of: dict[int, int]) -> dict[int, Person]:
    """The people among a short list of live records ({pk: agency id}, e.g. matching candidates)
    that the user may see — person_scope's rule, without making the database test it on a
    million rows."""
    if not _reads_records(user) or not agency_of:
        return {}
    ids = {pk for pk, agency in agency_of.items() if agency == user.agency_id}
    others = [pk for pk in agency_of if pk not in ids]
    if others:
        ids |= set(_granted(user).filter(person_id__in=others).values_list("person_id", flat=True))
    people = Person.objects.filter(pk__in=ids, merged_into__isnull=True).select_related("agency", "municipality_of_origin__parent")
    return {person.pk: person for person in people}


def person_merged_into(*, user: User, public_id: str) -> str | None:
    """The id of the record a merged record now lives in, when the user could see the merged one."""
    if not _reads_records(user) or user.agency_id is None:  # (the second test is for the type checker)
        return None
    target = Person.objects.filter(public_id=public_id.upper(), merged_into__isnull=False, agency_id=user.agency_id).first()
    if target is None:
        return None
    while target.merged_into_id is not None:  # merged, and the survivor merged in turn later
        target = Person.objects.get(pk=target.merged_into_id)
    return person_scope(user=user).filter(pk=target.pk).values_list("public_id", flat=True).first()


def access_requests_to_decide(*, user: User) -> QuerySet[AccessRequest]:
    """Pending requests for the supervisor's agency's records."""
    if not user.can("person.grant_access") or user.agency_id is None:
        return AccessRequest.objects.none()
    return (
        AccessRequest.objects.filter(person__agency_id=user.agency_id, status=AccessRequest.Status.PENDING)
        .select_related("person", "requested_by__agency")
        .order_by("created_at")
    )


def person_get_for_user(*, user: User, public_id: str, audit: bool = True) -> Person:
    """The person, or Http404; a successful read writes one audit event."""
    person = (
        person_scope(user=user)
        .select_related("agency__country", "nationality", "ethnic_group__country", "municipality_of_origin__parent")
        .filter(public_id=public_id.upper())
        .first()
    )
    if person is None:
        raise Http404
    if audit:
        audit_log(actor=user, action="view", object_type=PERSON, object_id=person.public_id)
    return person


def _search_filter(query: str) -> Q:
    """Every word of the query must appear in the folded name; an id or document number matches exactly."""
    words = fold(query).split()
    condition = Q()
    for word in words:
        condition &= Q(search_name__contains=word)
    exact = query.strip().upper()
    doc = document_normalize(query)
    alternatives = Q(public_id=exact)
    if len(doc) >= 4:
        # A subquery, not a join: no duplicate rows to remove, and the name filter stays a plain scan.
        alternatives |= Q(pk__in=IdentityDocument.objects.filter(number_normalized=doc).values("person_id"))
    return condition | alternatives


@dataclass
class PersonSearchResult:
    people: list[Person]
    total: int
    offset: int
    limit: int

    @property
    def first(self) -> int:
        return self.offset + 1 if self.people else 0

    @property
    def last(self) -> int:
        return self.offset + len(self.people)

    @property
    def next_offset(self) -> int | None:
        return self.last if self.last < self.total else None

    @property
    def previous_offset(self) -> int | None:
        return max(0, self.offset - self.limit) if self.offset > 0 else None


def person_search(*, user: User, query: str = "", limit: int = 50, offset: int = 0) -> PersonSearchResult:
    """People in scope matching the query (accent- and case-insensitive), newest first when no query.

    A search that shows names is a read: one audit event listing the ids shown, never the
    words searched (they may be a name)."""
    qs = person_scope(user=user).select_related("nationality")
    query = query.strip()[:100]
    if query:
        qs = qs.filter(_search_filter(query)).order_by("first_surname", "second_surname", "given_names", "pk")
    else:
        qs = qs.order_by("-created_at", "-pk")
    offset = max(0, offset)
    people = list(qs[offset : offset + limit])
    total = offset + len(people) if len(people) < limit and (people or offset == 0) else qs.count()
    if people:
        audit_log(actor=user, action="search", object_type=PERSON, object_id="", records=[p.public_id for p in people])
    return PersonSearchResult(people=people, total=total, offset=offset, limit=limit)


def person_access_log(*, user: User, person: Person, limit: int = 100) -> QuerySet[AuditEvent]:
    """Who read or changed this record (for supervisors and administrators)."""
    if not user.can("person.access_log"):
        return AuditEvent.objects.none()
    return events_about(PERSON, person.public_id).order_by("-id")[:limit]


@dataclass
class DuplicateCluster:
    """People the matcher connected, and the pairs between them still to review."""

    key: int
    people: list[Person]
    pairs: list[DuplicatePair]


def _reviewable(user: User) -> QuerySet[DuplicatePair]:
    """Pending pairs a reviewer may decide: both records of their agency, neither merged away."""
    if not user.can("person.merge") or user.agency_id is None:
        return DuplicatePair.objects.none()
    return DuplicatePair.objects.filter(
        status=DuplicatePair.Status.PENDING,
        left__agency_id=user.agency_id,
        right__agency_id=user.agency_id,
        left__merged_into__isnull=True,
        right__merged_into__isnull=True,
    )


def duplicate_clusters(*, user: User, limit: int = 30) -> tuple[list[DuplicateCluster], int]:
    """The review queue, most certain clusters first, and how many clusters wait in all. Showing
    names is a read: one audit event lists the ids shown."""
    pending = _reviewable(user)
    total = pending.values("cluster").distinct().count()
    keys = list(
        pending.values("cluster")
        .annotate(best=models.Max("probability"))
        .order_by("-best", "cluster")
        .values_list("cluster", flat=True)[:limit]
    )
    pairs = list(pending.filter(cluster__in=keys).select_related("left", "right").order_by("-probability", "pk"))
    clusters = {key: DuplicateCluster(key, [], []) for key in keys}
    for pair in pairs:
        cluster = clusters[pair.cluster]
        cluster.pairs.append(pair)
        for person in (pair.left, pair.right):
            if all(p.pk != person.pk for p in cluster.people):
                cluster.people.append(person)
    shown = [person.public_id for cluster in clusters.values() for person in cluster.people]
    if shown:
        audit_log(actor=user, action="search", object_type=PERSON, object_id="", records=shown, reason="duplicates")
    return list(clusters.values()), total


def duplicates_elsewhere(*, user: User) -> int:
    """Pending pairs between a record of the user's agency and one of another institution (decided
    by neither alone: they show up as possible matches, with an access request)."""
    if not user.can("person.merge") or user.agency_id is None:
        return 0
    mine, theirs = Q(left__agency_id=user.agency_id), Q(right__agency_id=user.agency_id)
    return (
        DuplicatePair.objects.filter(status=DuplicatePair.Status.PENDING, left__merged_into__isnull=True, right__merged_into__isnull=True)
        .filter((mine & ~theirs) | (theirs & ~mine))
        .count()
    )


def duplicate_pair_for_user(*, user: User, pair_id: int) -> DuplicatePair:
    """A pair to review side by side (404 outside the reviewer's agency); reading it is a read of both records."""
    pair = (
        _reviewable(user)
        .select_related(
            "left__municipality_of_origin__parent", "right__municipality_of_origin__parent", "left__nationality", "right__nationality"
        )
        .filter(pk=pair_id)
        .first()
    )
    if pair is None:
        raise Http404
    for person in (pair.left, pair.right):
        audit_log(actor=user, action="view", object_type=PERSON, object_id=person.public_id, reason="duplicates")
    return pair


def person_merges(*, user: User, person: Person) -> QuerySet[PersonMerge]:
    """Records merged into this one (newest first), for the person page; undone merges included."""
    return PersonMerge.objects.filter(survivor=person).select_related("merged", "merged_by_user", "undone_by")


def dedup_runs(*, user: User, limit: int = 5) -> list[DedupRun]:
    if not user.can("dedup.run"):
        return []
    return list(DedupRun.objects.select_related("requested_by")[:limit])
