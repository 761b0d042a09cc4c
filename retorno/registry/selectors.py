"""Every read of people's records: scoped to the user, audited.

Pages, search, exports and the API all go through these functions, so no path
shows more than the person page would. A record outside the user's scope is
"not found" (404), never "forbidden": a 403 would confirm it exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from retorno.core.audit import audit_log, events_about
from retorno.core.models import AuditEvent, User
from retorno.core.text import fold
from retorno.registry.linkage.normalize import document_normalize
from retorno.registry.models import AccessRequest, IdentityDocument, Person
from retorno.registry.services import PERSON


def person_scope(*, user: User) -> QuerySet[Person]:
    """People the user may see: their agency's records, and records another institution granted
    them access to (until the grant expires), for roles that read records at all."""
    if not user.is_authenticated or not user.can("person.view") or user.agency_id is None:
        return Person.objects.none()
    granted = AccessRequest.objects.filter(requested_by=user, status=AccessRequest.Status.GRANTED, expires_at__gt=timezone.now()).values(
        "person_id"
    )
    return Person.objects.filter(Q(agency_id=user.agency_id) | Q(pk__in=granted))


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
