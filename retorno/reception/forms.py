from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.core.forms import StyledFormMixin
from retorno.core.models import AdminArea, Country, PointOfEntry, Site, User
from retorno.reception.manifest import FIELDS, MAX_BYTES
from retorno.reception.models import Arrival, ArrivalPerson, AssistanceGiven, MigrationReason, Screening, Vulnerability
from retorno.registry.forms import BirthDateCheckMixin, DateInput
from retorno.registry.models import Person

RETURNED_FROM = ("US", "MX")  # most returns come from these two; any other country can be chosen


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ArrivalForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Arrival
        fields = ["site", "returned_from", "mode", "point_of_entry", "scheduled_at", "arrived_at", "carrier", "reference", "expected_count"]
        widgets = {"scheduled_at": DateTimeInput(), "arrived_at": DateTimeInput()}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sites = Site.objects.filter(agency=user.agency, kind=Site.Kind.RECEPTION_CENTRE, is_active=True)
        cast(forms.ModelChoiceField, self.fields["site"]).queryset = sites
        if user.site_id and sites.filter(pk=user.site_id).exists():
            self.fields["site"].initial = user.site_id
        elif sites.count() == 1:
            self.fields["site"].initial = sites.get().pk
        countries = Country.objects.all()
        cast(forms.ModelChoiceField, self.fields["returned_from"]).queryset = countries
        order = {code: i for i, code in enumerate(RETURNED_FROM)}
        cast(forms.ModelChoiceField, self.fields["returned_from"]).choices = [("", "---------")] + [
            (c.pk, c.name) for c in sorted(countries, key=lambda c: (order.get(c.code, 9), c.name))
        ]
        points = PointOfEntry.objects.filter(country=user.country, is_active=True)
        cast(forms.ModelChoiceField, self.fields["point_of_entry"]).queryset = points
        self.fields["point_of_entry"].help_text = _("Left empty: the reception centre's point of entry.")
        if not self.instance.pk:
            del self.fields["arrived_at"]  # set when the first person is marked present
            if not self.is_bound:
                self.fields["scheduled_at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class ManifestUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Manifest (CSV or Excel .xlsx)"),
        help_text=_("Headers in Spanish or English, in any order; nothing is saved until you confirm."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt,text/csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
        return upload


class MappingForm(forms.Form):
    """One select per column of the file: which field it holds."""

    def __init__(self, *args: Any, headers: list[str], mapping: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("— not imported —"))] + [(k, v) for k, v in FIELDS.items()]
        for i, header in enumerate(headers):
            self.fields[f"col{i}"] = forms.ChoiceField(
                label=header or _("(no header)"), choices=choices, required=False, initial=mapping[i] if i < len(mapping) else ""
            )
            self.fields[f"col{i}"].widget.attrs["class"] = "form-select form-select-sm"

    def mapping(self) -> list[str]:
        return [self.cleaned_data.get(f"col{i}", "") for i in range(len(self.fields))]


class WalkInForm(BirthDateCheckMixin, StyledFormMixin, forms.Form):
    given_names = forms.CharField(label=_("Given names"), max_length=120)
    first_surname = forms.CharField(label=_("First surname"), max_length=80)
    second_surname = forms.CharField(label=_("Second surname"), max_length=80, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "---------"), *Person.Sex.choices])
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    birth_date_precision = forms.ChoiceField(
        label=_("Precision of the date of birth"), choices=Person.BirthDatePrecision.choices, initial=Person.BirthDatePrecision.EXACT
    )
    nationality = forms.ModelChoiceField(
        label=_("Nationality"), queryset=Country.objects.order_by("-is_operating", "name_es"), required=False
    )
    document_number = forms.CharField(label=_("Document number"), max_length=40, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user.country is not None:
            self.fields["nationality"].initial = user.country.pk


class MunicipalityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.parent.name})" if obj.parent_id else str(obj.name)


class ScreeningForm(StyledFormMixin, forms.ModelForm):
    vulnerabilities = forms.MultipleChoiceField(
        label=_("Vulnerabilities"), choices=Vulnerability.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    reasons = forms.MultipleChoiceField(
        label=_("Reasons for migrating"), choices=MigrationReason.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    destination = MunicipalityChoiceField(label=_("Municipality of destination"), queryset=AdminArea.objects.none(), required=False)
    estimated_age = forms.IntegerField(
        label=_("Estimated age (years)"),
        min_value=0,
        max_value=120,
        required=False,
        help_text=_("There is no date of birth: ask or estimate."),
    )

    class Meta:
        model = Screening
        fields = [
            "vulnerabilities",
            "vulnerability_other",
            "health_needs",
            "medical_given",
            "medical_skip_reason",
            "reasons",
            "reason_other",
            "destination",
            "phone",
            "consent_assistance",
            "consent_referral",
            "consent_statistics",
            "consent_method",
            "case_needed",
        ]
        widgets = {
            "health_needs": forms.Textarea(attrs={"rows": 2}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args: Any, entry: ArrivalPerson, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country = entry.arrival.agency.country
        cast(forms.ModelChoiceField, self.fields["destination"]).queryset = (
            AdminArea.objects.filter(country=country, level=AdminArea.Level.MUNICIPALITY)
            .select_related("parent")
            .order_by("parent__name", "name")
        )
        self.fields["medical_given"].label = _("Medical attention given now")
        if self.instance.pk is None:
            self.fields["vulnerabilities"].widget.attrs["autofocus"] = True  # the desk starts here
        if entry.birth_date is not None and entry.birth_date_precision != Person.BirthDatePrecision.ESTIMATED:
            del self.fields["estimated_age"]
        elif entry.birth_date is not None:
            self.fields["estimated_age"].initial = entry.age_at_arrival
            self.fields["estimated_age"].help_text = _("The date of birth is estimated: correct the age if needed.")


class AssistanceForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = AssistanceGiven
        fields = ["kind", "quantity", "note"]


class HandoverForm(StyledFormMixin, forms.Form):
    receiving_officer = forms.CharField(label=_("Receiving officer"), max_length=150)
    handed_over_at = forms.DateTimeField(label=_("Handed over at"), widget=DateTimeInput(), required=False)
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["handed_over_at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class FamilyForm(StyledFormMixin, forms.Form):
    travelling_with = forms.ModelChoiceField(label=_("Travels with"), queryset=ArrivalPerson.objects.none(), required=False)
    relationship = forms.CharField(label=_("Relationship"), max_length=60, required=False)

    def __init__(self, *args: Any, adults: list[ArrivalPerson], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["travelling_with"])
        field.queryset = ArrivalPerson.objects.filter(pk__in=[a.pk for a in adults])
        field.empty_label = str(_("— travels alone —"))
