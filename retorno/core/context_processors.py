"""Navigation by role: each link appears only for users whose role may use it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# (label, url name, action required — or any of several — or None for every logged-in user)
NAVIGATION: list[tuple[Any, str, str | tuple[str, ...] | None]] = [
    (_("Home"), "reports:home", None),
    (_("Arrivals"), "reception:arrivals", "arrival.desk"),
    (_("People"), "registry:person_list", "person.view"),
    (_("Cases"), "cases:list", "case.view"),
    (_("Tasks"), "cases:tasks", "case.view"),
    (_("Child protection"), "protection:list", "protection.view"),
    (_("Family tracing"), "tracing:list", "tracing.request"),
    (_("Referrals"), "referrals:list", ("referral.send", "referral.answer")),
    (_("Window"), "window:consultations", "window.record"),
    (_("Offices' dashboard"), "window:dashboard", "window.dashboard"),
    (_("Services"), "directory:mine", "directory.manage"),
    (_("Access requests"), "registry:access_requests", "person.grant_access"),
    (_("Duplicates"), "registry:duplicates", "dedup.run"),
    (_("Statistics"), "reports:statistics", "stats.view"),
    (_("Funding"), "cases:funding", "stats.view"),
    (_("Projects"), "programmes:projects", None),
    (_("National plan"), "programmes:plan", "programme.view"),
    (_("Instruments"), "cases:instruments", "instrument.load"),
    (_("Referral protocol"), "referrals:protocol", "protocol.manage"),
    (_("Audit trail"), "core:audit", "audit.browse"),
    (_("Administration"), "admin:index", "config.manage"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for label, url_name, action in NAVIGATION:
        if action is None or any(user.can(a) for a in ((action,) if isinstance(action, str) else action)):
            url = reverse(url_name)
            items.append({"label": label, "url": url, "active": False})
    # The most specific link that leads to this page is the active one (/people/duplicates/ is not "People").
    matching = [item for item in items if request.path == item["url"] or (item["url"] != "/" and request.path.startswith(item["url"]))]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True
    from retorno.core.notifications import unread_count

    return {"nav_items": items, "can_api_token": user.can("api.token"), "unread_notifications": unread_count(user)}
