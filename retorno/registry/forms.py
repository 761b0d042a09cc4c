from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from retorno.core.forms import StyledFormMixin
from retorno.core.models import AdminArea, Country, User
from retorno.registry.linkage.records import Record
from retorno.registry.models import EthnicGroup, IdentityDocument, Person
from retorno.registry.services import IDENTITY_FIELDS, birth_date_problem


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class BirthDateCheckMixin:
    """The service's date-of-birth check on the form too, so every problem of the form shows at once."""

    cleaned_data: dict[str, Any]

    def clean_birth_date(self) -> datetime.date | None:
        value: datetime.date | None = self.cleaned_data.get("birth_date")
        problem = birth_date_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        return value


class PersonForm(BirthDateCheckMixin, StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = [*IDENTITY_FIELDS, "languages"]
        widgets = {"birth_date": DateInput(), "languages": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country = user.country
        areas = AdminArea.objects.filter(level=AdminArea.Level.MUNICIPALITY).select_related("parent")
        if country is not None:
            areas = areas.filter(country=country)
            if not self.instance.pk:
                self.fields["nationality"].initial = country.pk
        cast(forms.ModelChoiceField, self.fields["municipality_of_origin"]).queryset = areas.order_by("parent__name", "name")
        cast(forms.ModelChoiceField, self.fields["nationality"]).queryset = Country.objects.order_by("-is_operating", "name_es")
        groups = EthnicGroup.objects.select_related("country")
        if country is not None:
            groups = groups.filter(Q(country=country) | Q(country__isnull=True))
        cast(forms.ModelChoiceField, self.fields["ethnic_group"]).queryset = groups.order_by("-country", "name")
        self.fields["given_names"].widget.attrs["autofocus"] = True


class DocumentForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Document type"), choices=[("", "—")] + list(IdentityDocument.Kind.choices), required=False)
    number = forms.CharField(label=_("Document number"), max_length=40, required=False)
    issuing_country = forms.ModelChoiceField(
        label=_("Issued by"), queryset=Country.objects.order_by("-is_operating", "name_es"), required=False
    )

    def __init__(self, *args: Any, user: User, required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user.country is not None:
            self.fields["issuing_country"].initial = user.country.pk
        for field in self.fields.values():
            field.required = required

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("number") and not data.get("kind"):
            self.add_error("kind", _("Choose the type of document."))
        if data.get("kind") and not data.get("number"):
            self.add_error("number", _("Write the document number."))
        if data.get("number") and not data.get("issuing_country"):
            self.add_error("issuing_country", _("Choose the country that issued the document."))
        return data

    def document(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not data.get("number"):
            return None
        return {"kind": data["kind"], "number": data["number"], "issuing_country": data["issuing_country"]}


class PersonSearchForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search by name, Retorno id or document number"), required=False, max_length=100)


def candidate_query(data: QueryDict) -> Record | None:
    """A linkage record from the registration form's fields as typed so far; None until there is a
    given name and a surname to look for."""
    given, surname = data.get("given_names", "").strip(), data.get("first_surname", "").strip()
    if not given or not (surname or data.get("second_surname", "").strip()):
        return None
    try:
        birth = datetime.date.fromisoformat(data.get("birth_date", ""))
    except ValueError:
        birth = None
    area_id = data.get("municipality_of_origin", "")
    municipality = AdminArea.objects.filter(pk=int(area_id)).select_related("parent").first() if area_id.isdigit() else None
    return Record(
        id="",
        given_names=given[:120],
        first_surname=surname[:80],
        second_surname=data.get("second_surname", "")[:80],
        sex=data.get("sex", ""),
        birth_date=birth,
        birth_precision=data.get("birth_date_precision", "day"),
        document_number=data.get("doc-number", "")[:40],
        municipality=municipality.name if municipality else "",
        department=municipality.parent.name if municipality and municipality.parent else "",
    )


# The identity fields shown side by side when reviewing a possible duplicate, in page order;
# birth_date carries its precision with it.
COMPARED_FIELDS = (
    "given_names",
    "first_surname",
    "second_surname",
    "known_as",
    "sex",
    "birth_date",
    "nationality",
    "municipality_of_origin",
    "ethnic_group",
)
