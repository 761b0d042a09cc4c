"""The audit trail: append an event, verify the chain.

Every service and selector that touches a person's record calls `audit_log` inside
its own transaction, so the event exists exactly when the read or write happened.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.db.models import Model, Q, QuerySet

from retorno.core.models import AuditChainHead, AuditEvent, User

# Set by AuditContextMiddleware for the duration of a request; empty in commands.
current_ip: ContextVar[str | None] = ContextVar("retorno_audit_ip", default=None)

GENESIS = "0" * 64


def _digest(event: AuditEvent) -> str:
    payload = {
        "at": event.at.isoformat(),
        "user": event.user_id,
        "user_email": event.user_email,
        "agency": event.agency_acronym,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "fields": list(event.fields),
        "records": event.records,
        "reason": event.reason,
        "ip": event.ip,
        "prev": event.prev_hash,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=True).encode()).hexdigest()


@transaction.atomic
def audit_log(
    *,
    actor: User,
    action: str,
    object_type: str,
    object_id: str,
    fields: Iterable[str] = (),
    reason: str = "",
    records: Iterable[str] = (),
) -> AuditEvent:
    """Append one event. Field names only: never pass values."""
    shown = list(records)
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    event = AuditEvent(
        user=actor,
        user_email=actor.email,
        agency_acronym=actor.agency.acronym if actor.agency_id and actor.agency else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        fields=sorted(set(fields)),
        reason=reason[:300],
        records=f",{','.join(shown)}," if shown else "",
        ip=current_ip.get(),
        prev_hash=head.last_hash,
    )
    event.hash = _digest(event)
    event.save()
    head.last_event_id = event.pk
    head.last_hash = event.hash
    head.save(update_fields=["last_event_id", "last_hash"])
    return event


def events_about(object_type: str, object_id: str) -> QuerySet[AuditEvent]:
    """Every event that read or changed one record, including searches that listed it."""
    return AuditEvent.objects.filter(Q(object_type=object_type) & (Q(object_id=object_id) | Q(records__contains=f",{object_id},")))


# object type -> model, so audit pages can name fields in the reader's language.
AUDITED_MODELS: dict[str, type[Model]] = {}
# (object type, name) -> label, for what an event names that is not a field (a read of the location).
AUDITED_NAMES: dict[tuple[str, str], Any] = {}


def field_labels(object_type: str, names: Iterable[str]) -> list[str]:
    model = AUDITED_MODELS.get(object_type)
    labels = []
    for name in names:
        if (object_type, name) in AUDITED_NAMES:
            labels.append(str(AUDITED_NAMES[object_type, name]))
            continue
        try:
            labels.append(str(getattr(model._meta.get_field(name), "verbose_name", name)) if model else name)
        except FieldDoesNotExist:
            labels.append(name)
    return labels


@dataclass(frozen=True)
class ChainBreak:
    event_id: int | None
    problem: str


def audit_verify(chunk_size: int = 5000) -> ChainBreak | None:
    """Walk the chain in order; return the first broken link, or None when intact."""
    prev_hash = GENESIS
    last_id = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=chunk_size):
        if event.prev_hash != prev_hash:
            return ChainBreak(event.pk, "previous hash does not match: an earlier event was changed or removed")
        if _digest(event) != event.hash:
            return ChainBreak(event.pk, "content does not match its hash: this event was edited")
        prev_hash, last_id = event.hash, event.pk
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_event_id != last_id or head.last_hash != prev_hash):
        return ChainBreak(head.last_event_id or None, "the newest events were removed")
    return None
