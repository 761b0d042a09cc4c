from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from retorno.cases.models import InstrumentVersion
from retorno.core.forms import StyledFormMixin
from retorno.core.models import AdminArea, Agency, Country, User
from retorno.core.text import localized
from retorno.reception.models import Screening, Vulnerability
from retorno.referrals.models import Category, Referral, RuleVersion, Service, Share, Urgency
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


class ServiceChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Service) -> str:
        return f"{obj.name} — {obj.provider.acronym or obj.provider.name} ({obj.get_category_display()})"


def _services_of(country_id: int) -> Any:
    return Service.objects.filter(is_active=True, provider__country_id=country_id).select_related("provider").order_by("category", "name")


CONSENT_METHODS = [("", "—"), *Screening.ConsentMethod.choices]


class ConsentFields(forms.Form):
    """The person's consent to a referral, or — for a child, by a child-protection officer — why
    they are referred without it."""

    consent_given = forms.BooleanField(
        label=_(
            "The person (or their parent, guardian or the child-protection authority) agrees that the institution of the service "
            "receives these data to give them this service"
        ),
        required=False,
    )
    consent_method = forms.ChoiceField(label=_("How consent was given"), choices=CONSENT_METHODS, required=False)
    override_reason = forms.CharField(
        label=_("Without consent: why the referral is in the child's best interests"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Child-protection officers only, for a child; at least 20 characters."),
    )

    def drop_override(self, user: User) -> None:
        if not user.can("protection.work"):
            del self.fields["override_reason"]


class ReferralForm(StyledFormMixin, ConsentFields):
    needed = ("service", "urgency", "reason")
    field_order = ("service", "urgency", "reason", "share", "consent_given", "consent_method", "override_reason")

    service = ServiceChoice(label=_("Service"), queryset=Service.objects.none(), required=False, empty_label="—")
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=[("", "—"), *Urgency.choices],
        required=False,
        help_text=_("The receiving institution answers within 2 hours (immediate), 24 hours (urgent), 3 days (priority) or 2 weeks."),
    )
    reason = forms.CharField(
        label=_("Why the person is referred and what they need"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("The receiving institution reads this. Write only what it needs to help."),
    )
    share = forms.MultipleChoiceField(
        label=_("Also share, with consent"),
        choices=Share.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Always shared: name, sex, age, municipality, this reason and who refers. Share nothing more than the service needs."),
    )

    def __init__(self, *args: Any, user: User, country_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["service"]).queryset = _services_of(country_id)
        self.drop_override(user)
        self.style()


class ConsentForm(StyledFormMixin, ConsentFields):
    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.drop_override(user)
        self.style()


class ReasonForm(StyledFormMixin, forms.Form):
    """One required text: why a referral is declined or withdrawn (`reason`), or its `outcome`."""

    def __init__(self, *args: Any, label: str, name: str = "reason", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.name = name
        self.fields[name] = forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 2}), required=False)
        self.needed = (name,)
        self.style()

    @property
    def text(self) -> str:
        return str(self.cleaned_data.get(self.name, ""))


class ReferralFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("all")), *Referral.Status.choices], required=False)
    overdue = forms.BooleanField(label=pgettext_lazy("referrals", "Overdue only"), required=False)


class RuleForm(StyledFormMixin, forms.Form):
    """A rule of the protocol as an administrator writes it; saving makes a new version."""

    needed = ("name", "service", "urgency", "hours", "reason")

    name = forms.CharField(label=_("Name of the rule"), max_length=200, required=False)
    trigger = forms.ChoiceField(
        label=_("The rule reads"), choices=RuleVersion.Trigger.choices, widget=forms.RadioSelect, initial="screening", required=False
    )
    vulnerabilities = forms.MultipleChoiceField(
        label=_("When the screening shows any of"), choices=Vulnerability.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    min_age = forms.IntegerField(label=_("From age"), min_value=0, max_value=120, required=False)
    max_age = forms.IntegerField(label=_("Up to age"), min_value=0, max_value=120, required=False)
    medical_required = forms.BooleanField(label=_("Only when medical attention is mandatory"), required=False)
    instrument = forms.ChoiceField(label=_("Assessment: instrument"), required=False)
    dimension = forms.ChoiceField(label=_("Assessment: dimension"), required=False)
    score_from = forms.FloatField(label=_("Assessment: score from"), min_value=0, max_value=1, required=False)
    score_to = forms.FloatField(
        label=_("Assessment: score up to"),
        min_value=0,
        max_value=1,
        required=False,
        help_text=_("Scores go from 0 to 1; what 1 means is written on each instrument (e.g. needs: 1 = greatest need)."),
    )
    service = ServiceChoice(label=_("Refer to"), queryset=Service.objects.none(), required=False, empty_label="—")
    urgency = forms.ChoiceField(label=_("Urgency"), choices=[("", "—"), *Urgency.choices], required=False)
    hours = forms.IntegerField(label=_("To be answered within (hours)"), min_value=1, max_value=1440, required=False)
    share = forms.MultipleChoiceField(
        label=_("Also share, with consent"), choices=Share.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    reason = forms.CharField(
        label=_("Reason the receiving institution reads"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, country_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["service"]).queryset = _services_of(country_id)
        current = list(InstrumentVersion.objects.filter(is_current=True).select_related("instrument").order_by("instrument__code"))
        cast(forms.ChoiceField, self.fields["instrument"]).choices = [("", "—")] + [(v.instrument.code, v.title) for v in current]
        dimensions: list[tuple[str, Any]] = [("", _("the overall score"))]
        for v in current:
            dimensions += [
                (d["code"], f"{localized(d.get('label', {})) or d['code']} ({v.title})") for d in v.definition.get("dimensions", [])
            ]
        cast(forms.ChoiceField, self.fields["dimension"]).choices = list(dict(dimensions).items())

    @staticmethod
    def initial_of(version: RuleVersion) -> dict[str, Any]:
        fields = (
            "trigger",
            "vulnerabilities",
            "min_age",
            "max_age",
            "medical_required",
            "instrument",
            "dimension",
            "score_from",
            "score_to",
            "service",
            "urgency",
            "hours",
            "share",
            "reason",
        )
        return {"name": version.rule.name, **{name: getattr(version, name) for name in fields}}
