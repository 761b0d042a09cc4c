from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from retorno.core.models import AuditEvent


class LoginForm(AuthenticationForm):
    username = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}))
    error_messages = {
        "invalid_login": _("The e-mail or the password is not right. After several failed attempts the account is locked for a while."),
        "inactive": _("This account is disabled. Ask your administrator."),
    }

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).strip().lower()


class TwoFactorForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "pattern": "[0-9]{6}"}),
    )


class AuditFilterForm(forms.Form):
    user = forms.CharField(label=_("User (e-mail)"), required=False)
    record = forms.CharField(label=_("Record id"), required=False)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", _("any"))] + list(AuditEvent.Action.choices))
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class TokenForm(forms.Form):
    name = forms.CharField(label=_("What the token is for"), max_length=80)
