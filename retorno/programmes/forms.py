from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from retorno.core.forms import StyledFormMixin
from retorno.programmes.indicators import AGE_GROUPS
from retorno.programmes.models import IndicatorReport, PlanAction

MAX_PAGE_BYTES = 2 * 1024 * 1024
MAX_PAGES = 200


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PagesField(forms.FileField):
    """Several files at once: each a text extraction or a saved HTML page, at most 2 MB."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            raise ValidationError(_("Choose one or more pages (.txt or .html)."))
        if len(files) > MAX_PAGES:
            raise ValidationError(_("At most %(n)s pages at a time.") % {"n": MAX_PAGES})
        for file in files:
            if not file.name.lower().endswith((".txt", ".htm", ".html")):
                raise ValidationError(_("%(name)s is not a .txt or .html page.") % {"name": file.name})
            if file.size > MAX_PAGE_BYTES:
                raise ValidationError(_("%(name)s is larger than 2 MB.") % {"name": file.name})
        return list(files)


class ImportForm(StyledFormMixin, forms.Form):
    pages = PagesField(label=_("Pages"), help_text=_("IOM project or news pages, saved as HTML or as text, in Spanish, English or French."))
    dry_run = forms.BooleanField(label=_("Only read them: save nothing"), required=False)
    keep_valid = forms.BooleanField(label=_("Save the pages that were read even if others were not"), required=False)


class IndicatorReportForm(StyledFormMixin, forms.Form):
    period_end = forms.DateField(label=_("As of"), widget=forms.DateInput(attrs={"type": "date"}))
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=2)
    source = forms.CharField(
        label=_("Source"), max_length=300, help_text=_("Where the figure comes from, e.g. the training attendance lists")
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", _("all"))] + list(IndicatorReport.Sex.choices), required=False)
    age_group = forms.ChoiceField(label=_("Age group"), choices=[("", _("all"))] + [(a, a) for a, _l, _h in AGE_GROUPS], required=False)


class ActionStatusForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=PlanAction.Status.choices)
