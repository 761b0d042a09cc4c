"""Request-wide guards: idle sessions end, two-factor where the role needs it, audit context."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import check_for_language

from retorno.core.audit import current_ip
from retorno.core.permissions import TWO_FACTOR_ROLES

Handler = Callable[[HttpRequest], HttpResponse]


def client_ip(request: HttpRequest) -> str | None:
    # Behind a TLS proxy the proxy must set REMOTE_ADDR correctly (e.g. gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR") or None


class SessionIdleTimeoutMiddleware:
    """Log out a session left idle longer than SESSION_IDLE_SECONDS (shared laptops at borders)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "_auth_user_id" in request.session:  # anonymous visitors get no session at all
            now = int(time.time())
            last = request.session.get("last_seen")
            if last is not None and now - int(last) > settings.SESSION_IDLE_SECONDS:
                request.session.flush()
            # Write at most once a minute, not on every request.
            elif last is None or now - int(last) > 60:
                request.session["last_seen"] = now
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)


class TwoFactorRequiredMiddleware:
    """Administrators and supervisors must pass a TOTP check before anything else."""

    EXEMPT_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/healthz")

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "role", None) in TWO_FACTOR_ROLES
            and not user.is_verified()  # type: ignore[attr-defined,union-attr]
            and not request.path.startswith(self.EXEMPT_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                from django.http import JsonResponse
                from django.utils.translation import gettext as _

                return JsonResponse(
                    {"code": "two_factor_required", "message": _("Two-factor authentication is required for your role."), "errors": []},
                    status=401,
                )
            return redirect(f"{reverse('core:two_factor')}?next={request.get_full_path()}")
        return self.get_response(request)


class UserTimeZoneMiddleware:
    """Show times in the user's country time zone (they are stored in UTC)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.utils import timezone

        zone = ""
        user = request.user
        if user.is_authenticated and user.agency_id:  # type: ignore[union-attr]
            zone = user.agency.country.time_zone  # type: ignore[union-attr]
        if zone:
            timezone.activate(zone)
        else:
            timezone.deactivate()
        return self.get_response(request)


class SpanishFirstLocaleMiddleware(LocaleMiddleware):
    """Spanish unless the user chose another language with the switcher (a cookie).

    The browser's Accept-Language is ignored on purpose: shared office laptops often
    come with English settings, and the product's working language is Spanish.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen and check_for_language(chosen) and chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
