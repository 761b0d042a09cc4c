from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from retorno.core.forms import StyledFormMixin
from retorno.core.models import AdminArea, Agency, Country
from retorno.referrals.models import Category, Service
from retorno.registry.models import Language


class MunicipalityChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: AdminArea) -> str:
        return f"{obj.name} ({obj.parent.name})" if obj.parent else obj.name


class SearchForm(StyledFormMixin, forms.Form):
    """The public search: where the person is and what they need; the rest is optional."""

    municipality = MunicipalityChoice(label=_("Municipality"), queryset=AdminArea.objects.none(), required=False, empty_label="—")
    category = forms.ChoiceField(label=_("What is needed"), choices=[("", _("any service")), *Category.choices], required=False)
    age = forms.IntegerField(label=_("Age of the person"), min_value=0, max_value=120, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), ("F", _("woman or girl")), ("M", _("man or boy"))], required=False)
    returnee = forms.ChoiceField(
        label=_("Returned migrant?"), choices=[("", "—"), ("yes", _("yes, returned")), ("no", _("no"))], required=False
    )

    def __init__(self, *args: Any, country: Country, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["municipality"])
        field.queryset = (
            AdminArea.objects.filter(country=country, level=AdminArea.Level.MUNICIPALITY).select_related("parent").order_by("name")
        )


class ServiceForm(StyledFormMixin, forms.Form):
    needed = ("name", "category", "description_es")

    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=[("", "—"), *Category.choices], required=False)
    description_es = forms.CharField(label=_("Description (Spanish)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    description_en = forms.CharField(label=_("Description (English)"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    description_fr = forms.CharField(label=_("Description (French)"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    min_age = forms.IntegerField(label=_("Minimum age"), min_value=0, max_value=120, required=False)
    max_age = forms.IntegerField(label=_("Maximum age"), min_value=0, max_value=120, required=False)
    sex = forms.ChoiceField(label=_("For"), choices=Service.Sex.choices, required=False)
    public = forms.ChoiceField(label=_("Who may use it"), choices=Service.Public.choices)
    nationality = forms.ModelChoiceField(
        label=_("Nationality (empty: any)"), queryset=Country.objects.order_by("code"), required=False, empty_label="—"
    )
    nationwide = forms.BooleanField(label=_("Serves the whole country"), required=False)
    areas = forms.ModelMultipleChoiceField(
        label=_("Departments and municipalities served"),
        queryset=AdminArea.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("A department covers all its municipalities. Hold Ctrl to choose several."),
    )
    address = forms.CharField(label=_("Address"), max_length=250, required=False)
    municipality = MunicipalityChoice(
        label=_("Municipality of the office"), queryset=AdminArea.objects.none(), required=False, empty_label="—"
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    hours = forms.CharField(label=_("Opening hours"), max_length=200, required=False)
    languages = forms.ModelMultipleChoiceField(
        label=_("Languages spoken"),
        queryset=Language.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    free_of_charge = forms.BooleanField(label=_("Free of charge"), required=False, initial=True)
    is_active = forms.BooleanField(label=_("Active (shown in the public directory)"), required=False, initial=True)

    def __init__(self, *args: Any, provider: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = AdminArea.objects.filter(country_id=provider.country_id, level__in=[1, 2]).select_related("parent")
        cast(forms.ModelMultipleChoiceField, self.fields["areas"]).queryset = areas.order_by("level", "name")
        cast(forms.ModelChoiceField, self.fields["municipality"]).queryset = areas.filter(level=2).order_by("name")

    @staticmethod
    def initial_of(service: Service) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(service, name) for name in ("name", "category", "min_age", "max_age", "sex", "public")}
        initial.update(
            {
                name: getattr(service, name)
                for name in ("nationality", "nationwide", "address", "municipality", "phone", "email", "website", "hours")
            }
        )
        initial.update(free_of_charge=service.free_of_charge, is_active=service.is_active)
        initial.update({f"description_{lang}": service.description.get(lang, "") for lang in ("es", "en", "fr")})
        initial.update(areas=list(service.areas.all()), languages=list(service.languages.all()))
        return initial

    def split(self) -> tuple[dict[str, Any], dict[str, str], list[AdminArea], list[Language]]:
        data = dict(self.cleaned_data)
        description = {lang: data.pop(f"description_{lang}") for lang in ("es", "en", "fr")}
        areas, languages = list(data.pop("areas")), list(data.pop("languages"))
        return data, description, areas, languages
