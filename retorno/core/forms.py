from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from retorno.core.models import AuditEvent


class StyledFormMixin:
    """Bootstrap's classes on every widget, so every form looks and reads the same."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
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
