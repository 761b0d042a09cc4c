"""In-app notifications and their e-mail copy.

An app registers what each kind of notification says (`MESSAGES[kind]`, a lazy string with
named parameters) and calls `notify(users, kind, url, **params)`. Parameters are ids, names of
services and dates: never a person's name, so an inbox or a mail server holds no personal data.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.functional import Promise

from retorno.core.models import Notification, User

logger = logging.getLogger(__name__)

MESSAGES: dict[str, Promise] = {}


def text(notification: Notification) -> str:
    message = MESSAGES.get(notification.kind)
    if message is None:
        return notification.kind
    try:
        return str(message) % dict(notification.params)
    except (KeyError, TypeError, ValueError):
        return str(message)


def notify(users: Iterable[User], kind: str, url: str, **params: Any) -> list[Notification]:
    """One notification per active user, and an e-mail each once the transaction commits."""
    if kind not in MESSAGES:
        raise KeyError(f"Unknown notification {kind!r}: add it to core.notifications.MESSAGES")
    made = [Notification(user=u, kind=kind, params=params, url=url) for u in {u.pk: u for u in users if u.is_active}.values()]
    Notification.objects.bulk_create(made)
    if made:
        transaction.on_commit(lambda: _mail(made))
    return made


def _mail(notifications: list[Notification]) -> None:
    base = settings.SITE_URL.rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        for n in notifications:
            body = f"{text(n)}\n\n{base}{n.url}\n"
            try:
                send_mail(f"Retorno: {text(n)}"[:150], body, None, [n.user.email])
            except Exception:  # a mail server down never undoes the work; the in-app copy stays
                logger.exception("notification e-mail not sent (kind %s)", n.kind)


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
