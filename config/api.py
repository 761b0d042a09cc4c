"""The JSON API under /api/v1/: one NinjaAPI, one error format, session or token auth.

Every error answers {"code": ..., "message": ... (translated), "errors": [{"field", "message"}]}.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from retorno.cases.api import router as cases_router
from retorno.core.api import router as core_router
from retorno.core.models import ApiToken
from retorno.core.services import token_digest
from retorno.programmes.api import plans_router
from retorno.programmes.api import router as programmes_router
from retorno.protection.api import router as protection_router
from retorno.protection.api import tracing_router
from retorno.reception.api import router as reception_router
from retorno.referrals.api import referrals_router
from retorno.referrals.api import router as services_router
from retorno.registry.api import router as registry_router
from retorno.window.api import router as window_router


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user__agency__country")
            .filter(digest=token_digest(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        if found.last_used_at is None or (timezone.now() - found.last_used_at).total_seconds() > 300:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


class BrowserSessionAuth(SessionAuth):
    """The logged-in browser session, with Django's CSRF check.

    Requests without a session are left to the token check instead of failing CSRF first,
    so a program with a valid token can POST."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


api = NinjaAPI(
    title="Retorno API",
    version="1",
    description="Reception, protection and reintegration of returned migrants. Every read of a person is audited.",
    auth=[TokenAuth(), BrowserSessionAuth()],
    urls_namespace="api-1",
)


def error_body(code: str, message: str, errors: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "errors": errors or []}


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = []
    for error in exc.errors:
        location = [str(p) for p in error.get("loc", []) if p not in ("body", "payload", "query", "path")]
        errors.append({"field": ".".join(location), "message": str(error.get("msg", ""))})
    return api.create_response(request, error_body("invalid", _("Some values are not valid."), errors), status=422)


@api.exception_handler(DjangoValidationError)
def on_django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    errors = []
    if hasattr(exc, "error_dict"):
        for field, field_errors in exc.message_dict.items():
            errors += [{"field": field, "message": m} for m in field_errors]
    else:
        errors = [{"field": "", "message": m} for m in exc.messages]
    return api.create_response(request, error_body("invalid", _("Some values are not valid."), errors), status=422)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, error_body("not_found", _("Not found.")), status=404)


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, error_body("forbidden", _("Your role does not allow this.")), status=403)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, error_body("unauthenticated", _("Log in or send a valid API token.")), status=401)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 403 and "CSRF" in str(exc):
        body = error_body("csrf_failed", _("The request lacks a valid CSRF token: reload the page, or use an API token."))
    else:
        body = error_body("error", str(exc))
    return api.create_response(request, body, status=exc.status_code)


api.add_router("/", core_router)
api.add_router("/people", registry_router)
api.add_router("/arrivals", reception_router)
api.add_router("/projects", programmes_router)
api.add_router("/plans", plans_router)
api.add_router("/cases", cases_router)
api.add_router("/protection", protection_router)
api.add_router("/tracing", tracing_router)
api.add_router("/services", services_router)
api.add_router("/referrals", referrals_router)
api.add_router("/window", window_router)
