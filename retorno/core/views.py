"""Accounts, two-factor, the permission matrix, the audit browser and API tokens."""

from __future__ import annotations

from base64 import b32encode
from io import BytesIO
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from retorno.core import permissions
from retorno.core.forms import AuditFilterForm, LoginForm, TokenForm, TwoFactorForm
from retorno.core.models import ApiToken, AuditEvent, Notification, User
from retorno.core.services import api_token_create, api_token_revoke


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    return target if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) else default


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app (first time) or enter its current code."""
    user: User = request.user  # type: ignore[assignment]
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setting_up = device is None
    if setting_up:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
            user=user, name=_("Authenticator app"), confirmed=False
        )
    assert device is not None
    form = TwoFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, data = device.verify_is_allowed()
        if not allowed:
            wait = max(1, int(((data or {}).get("locked_until") or timezone.now()).timestamp() - timezone.now().timestamp()) + 1)
            form.add_error("token", _("Too many wrong codes: wait %(seconds)s seconds and type the code now shown.") % {"seconds": wait})
        elif device.verify_token(form.cleaned_data["token"]):
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("token", _("That code is not right. Check your phone's clock and type the code now shown."))
    context: dict[str, Any] = {"form": form, "setting_up": setting_up, "next": _safe_next(request)}
    if setting_up:
        context["secret"] = b32encode(device.bin_key).decode()
        context["qr_svg"] = mark_safe(_qr_svg(device.config_url))  # noqa: S308 (SVG made here from our own data)
    return render(request, "core/two_factor.html", context)


@login_required
def permission_matrix(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/permissions.html",
        {"roles": list(permissions.Role), "rows": permissions.matrix(), "two_factor_roles": permissions.TWO_FACTOR_ROLES},
    )


@login_required
def audit_browse(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not user.can("audit.browse"):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.all()
    if form.is_bound and not form.is_valid():
        events = events.none()  # show the errors, not an unfiltered list
    elif form.is_valid():
        data = form.cleaned_data
        if data.get("user"):
            events = events.filter(user_email__icontains=data["user"])
        if data.get("record"):
            record = data["record"].strip().upper()
            events = events.filter(Q(object_id=record) | Q(records__contains=f",{record},"))
        if data.get("action"):
            events = events.filter(action=data["action"])
        if data.get("date_from"):
            events = events.filter(at__date__gte=data["date_from"])
        if data.get("date_to"):
            events = events.filter(at__date__lte=data["date_to"])
    page = Paginator(events.order_by("-id"), 50).get_page(request.GET.get("page"))
    return render(request, "core/audit.html", {"form": form, "page": page})


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not user.can("api.token"):
        raise PermissionDenied
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = api_token_create(user=user, name=form.cleaned_data["name"])
        form = TokenForm()
    tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    return render(request, "core/api_tokens.html", {"form": form, "tokens": tokens, "new_token": new_token})


@login_required
@require_POST
def api_token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    api_token_revoke(user=request.user, token_id=token_id)  # type: ignore[arg-type]
    messages.success(request, _("The token was revoked."))
    return redirect("core:api_tokens")


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The user's latest notifications; those not seen before are marked, then counted as read."""
    from retorno.core.notifications import text

    user: User = request.user  # type: ignore[assignment]
    rows = list(Notification.objects.filter(user=user)[:100])
    items = [{"text": text(n), "url": n.url, "at": n.created_at, "new": n.read_at is None} for n in rows]
    Notification.objects.filter(pk__in=[n.pk for n in rows if n.read_at is None]).update(read_at=timezone.now())
    return render(request, "core/notifications.html", {"items": items, "unread_notifications": 0})
