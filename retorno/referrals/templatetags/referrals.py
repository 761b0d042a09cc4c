"""`{% referrals_panel case=… %}` (or protection_case=…, arrival_entry=…): the referrals made from
a record, and the link to make one, on the pages of the apps below referrals (they import nothing
of it: the template asks)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template

from retorno.referrals import selectors

register = template.Library()


@register.inclusion_tag("referrals/_partials/panel.html", takes_context=True)
def referrals_panel(context: dict[str, Any], **source: Any) -> dict[str, Any]:
    user = context["request"].user
    if not user.can("referral.send"):
        return {"shown": False}
    ((kind, record),) = source.items()
    params = {
        "case": {"case": getattr(record, "public_id", "")},
        "protection_case": {"protection": getattr(record, "public_id", "")},
        "arrival_entry": {"arrival": getattr(getattr(record, "arrival", None), "public_id", ""), "entry": getattr(record, "pk", "")},
    }[kind]
    return {"shown": True, "rows": selectors.referrals_about(user=user, **source), "query": urlencode(params)}
