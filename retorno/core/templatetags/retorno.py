from __future__ import annotations

import datetime

from django import template

from retorno.core import audit
from retorno.core.models import AuditEvent
from retorno.core.text import localized

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


@register.filter
def get_item(mapping: dict[str, object] | None, key: str) -> object:
    """mapping[key] in a template (scores by dimension), None when absent."""
    return (mapping or {}).get(key)


@register.filter(name="localized")
def localized_filter(text: object) -> str:
    return localized(text)
