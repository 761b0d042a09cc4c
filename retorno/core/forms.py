from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

from retorno.core.models import AuditEvent


class StyledFormMixin:
    """Bootstrap's classes on every widget, so every form looks and reads the same."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()

    # Fields a service requires although the form leaves them optional (so that the service's
    # reasons show in one round): marked as required for the reader and for screen readers.
    needed: tuple[str, ...] = ()

    def add_error(self, field: str | None, error: Any) -> None:
        """Errors also outline their fields (Bootstrap's is-invalid), on any form of the project."""
        super().add_error(field, error)  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", "").split():
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()

    def style(self) -> None:
        """Style every field (again after a form adds fields of its own: existing classes stay)."""
        for name in self.needed:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-required"] = "true"
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)


def apply_errors(error: ValidationError, *targets: forms.BaseForm) -> None:
    """Show a service's validation errors on the form field they name (the first form otherwise)."""
    if not hasattr(error, "error_dict"):
        targets[0].add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        target = next((f for f in targets if field in f.fields), None)
        if target is None:
            targets[0].add_error(None, errors)
        else:
            target.add_error(field, errors)


class LoginForm(StyledFormMixin, AuthenticationForm):
    username = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}))
    error_messages = {
        "invalid_login": _("The e-mail or the password is not right. After several failed attempts the account is locked for a while."),
        "inactive": _("This account is disabled. Ask your administrator."),
    }

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).strip().lower()


class TwoFactorForm(StyledFormMixin, forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "pattern": "[0-9]{6}"}),
    )


class AuditFilterForm(StyledFormMixin, forms.Form):
    user = forms.CharField(label=_("User (e-mail)"), required=False)
    record = forms.CharField(label=_("Record id"), required=False)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", _("any"))] + list(AuditEvent.Action.choices))
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


class TokenForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("What the token is for"), max_length=80)


def submitted(request: HttpRequest, form: Any, call: Callable[[], Any], done: str) -> bool:
    """Run a valid form's service call: True when it was accepted (the success message is set);
    False with the service's reasons on the form. A permission refused reads as "not found"."""
    if not form.is_valid():
        return False
    try:
        call()
    except ValidationError as error:
        apply_errors(error, form)
        return False
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, done)
    return True
