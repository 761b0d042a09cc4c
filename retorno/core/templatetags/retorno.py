from __future__ import annotations

import datetime

from django import template

from retorno.core import audit
from retorno.core.models import AuditEvent

register = template.Library()


@register.filter
def audit_fields(event: AuditEvent) -> str:
    """The event's field names as the reader's language labels them."""
    return ", ".join(audit.field_labels(event.object_type, event.fields))


@register.filter
def minutes(delta: datetime.timedelta | None) -> int:
    return int(delta.total_seconds() // 60) if delta else 0


@register.filter
def audit_records(event: AuditEvent) -> list[str]:
    return [r for r in event.records.split(",") if r]
