from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from retorno.core.forms import StyledFormMixin
from retorno.core.models import Agency
from retorno.programmes.indicators import AGE_GROUPS, query_choices
from retorno.programmes.models import GcmObjective, Indicator, IndicatorReport, NationalPlan, Outcome, Output, PlanAction, Project
from retorno.registry.forms import DateInput

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
    period_end = forms.DateField(label=_("As of"), widget=DateInput())
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=2)
    source = forms.CharField(
        label=_("Source"), max_length=300, help_text=_("Where the figure comes from, e.g. the training attendance lists")
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", _("all"))] + list(IndicatorReport.Sex.choices), required=False)
    age_group = forms.ChoiceField(label=_("Age group"), choices=[("", _("all"))] + [(a, a) for a, _l, _h in AGE_GROUPS], required=False)

    def __init__(self, *args: Any, indicator: Indicator | None = None, **kwargs: Any) -> None:
        """For one indicator: ids of its own on a page that lists several, and the parts it is broken down by."""
        if indicator is not None:
            kwargs.setdefault("auto_id", f"id_%s-{indicator.pk}")
        super().__init__(*args, **kwargs)
        if indicator is not None and not indicator.by_sex:
            del self.fields["sex"]
        if indicator is not None and not indicator.by_age:
            del self.fields["age_group"]


class ActionStatusForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=PlanAction.Status.choices)


def _model_field(model: type, name: str, **kwargs: Any) -> forms.Field:
    """The form field of a model field, with its translated label and help text."""
    field: forms.Field | None = model._meta.get_field(name).formfield(**kwargs)  # type: ignore[attr-defined]
    assert field is not None
    return field


class OutcomeForm(StyledFormMixin, forms.Form):
    code = _model_field(Outcome, "code")
    statement = _model_field(
        Outcome, "statement", label=pgettext_lazy("results framework", "Outcome"), widget=forms.Textarea(attrs={"rows": 2})
    )


class OutputForm(StyledFormMixin, forms.Form):
    outcome = forms.ModelChoiceField(label=pgettext_lazy("results framework", "Outcome"), queryset=Outcome.objects.none())
    code = _model_field(Output, "code")
    statement = _model_field(
        Output, "statement", label=pgettext_lazy("results framework", "Output"), widget=forms.Textarea(attrs={"rows": 2})
    )
    objectives = forms.ModelMultipleChoiceField(
        label=_("Global Compact objectives"),
        queryset=GcmObjective.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        outcome = self.fields["outcome"]
        assert isinstance(outcome, forms.ModelChoiceField)
        outcome.queryset = project.outcomes.all()


class IndicatorForm(StyledFormMixin, forms.Form):
    """An indicator of one project: what it measures (an outcome or an output), how, against what target."""

    place = forms.ChoiceField(label=_("Measures"), help_text=_("The outcome or output this indicator measures"))
    code = _model_field(Indicator, "code")
    name = _model_field(Indicator, "name")
    unit = _model_field(Indicator, "unit")
    baseline = _model_field(Indicator, "baseline", required=False)
    baseline_year = _model_field(Indicator, "baseline_year", min_value=1990, max_value=2100)
    target = _model_field(Indicator, "target")
    period_start = _model_field(Indicator, "period_start", widget=DateInput())
    period_end = _model_field(Indicator, "period_end", widget=DateInput())
    method = _model_field(Indicator, "method")
    query = forms.ChoiceField(
        label=_("Query"),
        required=False,
        help_text=_(
            "For an indicator computed from the records: what it counts, in the project's benefiting countries during the "
            "indicator's period (not only what the project paid for, unless the query says so)"
        ),
    )
    by_sex = _model_field(Indicator, "by_sex")
    by_age = _model_field(Indicator, "by_age")
    means_of_verification = _model_field(Indicator, "means_of_verification", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        place = self.fields["place"]
        assert isinstance(place, forms.ChoiceField)
        place.choices = [("", "—")] + [
            choice
            for outcome in project.outcomes.prefetch_related("outputs")
            for choice in [(f"outcome-{outcome.pk}", f"{outcome}: {outcome.statement[:80]}")]
            + [(f"output-{o.pk}", f"— {o}: {o.statement[:80]}") for o in outcome.outputs.all()]
        ]
        query = self.fields["query"]
        assert isinstance(query, forms.ChoiceField)
        query.choices = [("", "—"), *query_choices()]

    @staticmethod
    def initial_for(indicator: Indicator) -> dict[str, object]:
        place = f"output-{indicator.output_id}" if indicator.output_id else f"outcome-{indicator.outcome_id}"
        names = [name for name in IndicatorForm.base_fields if name != "place"]
        return {"place": place, **{name: getattr(indicator, name) for name in names}}

    def indicator_fields(self, project: Project) -> dict[str, object]:
        """The cleaned data as the service's fields: the outcome and output the place names."""
        data = dict(self.cleaned_data)
        kind, _dash, pk = data.pop("place").partition("-")
        data["outcome"] = project.outcomes.filter(pk=pk).first() if kind == "outcome" else None
        data["output"] = Output.objects.filter(outcome__project=project, pk=pk).first() if kind == "output" else None
        data["baseline"] = data["baseline"] if data["baseline"] is not None else 0
        return data


class IndicatorsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.project.code} · {obj.code} {obj.name}"


class ActionForm(StyledFormMixin, forms.Form):
    """A new action of the national plan."""

    code = _model_field(PlanAction, "code")
    description = _model_field(PlanAction, "description", widget=forms.Textarea(attrs={"rows": 2}))
    objectives = forms.ModelMultipleChoiceField(
        label=_("Global Compact objectives"), queryset=GcmObjective.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    responsible = forms.ModelMultipleChoiceField(
        label=_("Responsible institutions"), queryset=Agency.objects.none(), required=False, widget=forms.SelectMultiple(attrs={"size": 4})
    )
    responsible_other = _model_field(PlanAction, "responsible_other")
    starts_on = _model_field(PlanAction, "starts_on", widget=DateInput())
    ends_on = _model_field(PlanAction, "ends_on", widget=DateInput())
    indicators = IndicatorsField(
        label=_("Indicators"), queryset=Indicator.objects.none(), required=False, widget=forms.SelectMultiple(attrs={"size": 4})
    )
    needed = ("responsible",)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("responsible") and not (data.get("responsible_other") or "").strip():
            self.add_error("responsible", _("Say which institutions are responsible for it."))  # with the other reasons
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The action must end after it starts."))
        return data

    def __init__(self, *args: Any, plan: NationalPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (
            ("responsible", Agency.objects.filter(country=plan.country_id, is_active=True).order_by("acronym")),
            ("indicators", Indicator.objects.select_related("project").order_by("project__code", "code")),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = queryset
