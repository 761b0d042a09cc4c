"""Every read of people's records: scoped to the user, audited.

Pages, search, exports and the API all go through these functions, so no path
shows more than the person page would. A record outside the user's scope is
"not found" (404), never "forbidden": a 403 would confirm it exists.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from retorno.core.audit import audit_log
from retorno.core.models import AuditEvent, User
from retorno.core.services import fold
from retorno.registry.models import IdentityDocument, Person
from retorno.registry.services import PERSON, document_number_normalize


def person_scope(*, user: User) -> QuerySet[Person]:
    """People the user may see: their agency's records, for roles that read records at all."""
    if not user.is_authenticated or not user.can("person.view") or user.agency_id is None:
        return Person.objects.none()
    return Person.objects.filter(agency_id=user.agency_id)


def person_get_for_user(*, user: User, public_id: str, audit: bool = True) -> Person:
    """The person, or Http404; a successful read writes one audit event."""
    person = (
        person_scope(user=user)
        .select_related("agency__country", "nationality", "ethnic_group", "municipality_of_origin__parent")
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
    doc = document_number_normalize(query)
    alternatives = Q(public_id=exact)
    if len(doc) >= 4:
        # A subquery, not a join: no duplicate rows to remove, and the name filter stays a plain scan.
        alternatives |= Q(pk__in=IdentityDocument.objects.filter(number_normalized=doc).values("person_id"))
    return condition | alternatives


def person_search(*, user: User, query: str = "", limit: int = 50) -> list[Person]:
    """People in scope matching the query (accent- and case-insensitive), newest first when no query.

    A search that shows names is a read: one audit event with the result count's record type,
    never the words searched (they may be a name)."""
    qs = person_scope(user=user).select_related("nationality")
    query = query.strip()[:100]
    if query:
        qs = qs.filter(_search_filter(query)).order_by("first_surname", "second_surname", "given_names")
    else:
        qs = qs.order_by("-created_at")
    results = list(qs[:limit])
    if results:
        audit_log(
            actor=user,
            action="search",
            object_type=PERSON,
            object_id="",
            fields=[],
            reason=",".join(p.public_id for p in results[:20]),
        )
    return results


def person_access_log(*, user: User, person: Person, limit: int = 100) -> QuerySet[AuditEvent]:
    """Who read or changed this record (for supervisors and administrators)."""
    if not user.can("person.access_log"):
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(object_type=PERSON, object_id=person.public_id).order_by("-at")[:limit]
