from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from retorno.cases.forms import municipalities
from retorno.core.forms import StyledFormMixin
from retorno.core.models import AdminArea, User
from retorno.protection.models import (
    BestInterestsAssessment,
    BestInterestsDetermination,
    CareArrangement,
    ConsentMethod,
    FollowUpVisit,
    Placement,
    ProtectionCase,
    TracingAction,
    TracingRequest,
    Verification,
)
from retorno.protection.services import ELEMENTS, PANEL_MINIMUM
from retorno.reception.forms import DateTimeInput
from retorno.registry.forms import DateInput
from retorno.registry.models import Language, Person

TEXT = {"rows": 3}


class CareForm(StyledFormMixin, forms.Form):
    needed = ("place",)

    kind = forms.ChoiceField(label=_("Care arrangement"), choices=CareArrangement.Kind.choices)
    place = forms.CharField(label=_("Name of the place or the carer"), max_length=200, required=False)  # the service says why it is needed
    started_at = forms.DateTimeField(label=_("From"), required=False, widget=DateTimeInput(), help_text=_("Empty: now."))


class OpenCaseForm(StyledFormMixin, forms.Form):
    child = forms.CharField(
        label=_("Retorno id of the child"),
        max_length=24,
        help_text=_("Register the child first (Personas) if they are not in the registry."),
    )
    received_at = forms.DateTimeField(
        label=_("Received or identified on"), required=False, widget=DateTimeInput(), help_text=_("Empty: now.")
    )


class TracingBasisForm(StyledFormMixin, forms.Form):
    consent = forms.TypedChoiceField(
        label=_("Consent to family tracing"),
        choices=[
            ("1", _("The child consents (or their guardian, or the authority, for them)")),
            ("0", _("No consent: trace in the child's best interests")),
        ],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    method = forms.ChoiceField(label=_("How consent was given"), choices=[("", "—"), *ConsentMethod.choices], required=False)
    override_reason = forms.CharField(
        label=_("Best-interests reason to trace without consent"), required=False, widget=forms.Textarea(attrs=TEXT)
    )


class AssessmentForm(StyledFormMixin, forms.Form):
    needed = (
        "child_views",
        "interview_language",
        "weight",
        "weight_reason",
        "recommendation",
        "element_identity",
        "element_family",
        "element_safety",
        "element_vulnerability",
        "element_health",
        "element_education",
    )

    child_views = forms.CharField(
        label=_("The child's views, in their own words"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("Write what the child said, as they said it: what they want, what they fear, who they trust."),
    )
    interview_language = forms.ModelChoiceField(
        label=_("Language of the interview"), queryset=Language.objects.order_by("name"), required=False, empty_label="—"
    )
    interpreter = forms.BooleanField(label=_("An interpreter was present"), required=False)
    weight = forms.ChoiceField(
        label=_("Weight given to the child's views"),
        choices=BestInterestsAssessment.Weight.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    weight_reason = forms.CharField(label=_("Why this weight (age and maturity)"), widget=forms.Textarea(attrs=TEXT), required=False)
    recommendation = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs=TEXT), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in ELEMENTS:
            self.fields[f"element_{code}"] = forms.CharField(label=label, widget=forms.Textarea(attrs=TEXT), required=False)
        spanish = Language.objects.filter(code="spa").first()
        if spanish is not None:
            self.fields["interview_language"].initial = spanish.pk
        order = (
            ["child_views", "interview_language", "interpreter"]
            + [f"element_{c}" for c, _l in ELEMENTS]
            + ["weight", "weight_reason", "recommendation"]
        )
        self.order_fields(order)
        self.style()

    def elements(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"element_{code}", "") for code, _l in ELEMENTS}


class DecisionForm(StyledFormMixin, forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Return for changes"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DeterminationForm(StyledFormMixin, forms.Form):
    needed = (
        "decided_on",
        "decision",
        "reasons",
        "review_on",
        "member_1_name",
        "member_1_function",
        "member_1_view",
        "member_2_name",
        "member_2_function",
        "member_2_view",
        "member_3_name",
        "member_3_function",
        "member_3_view",
    )

    subject = forms.ChoiceField(label=_("Decision about"), choices=BestInterestsDetermination.Subject.choices)
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput(), required=False)
    decision = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs=TEXT), required=False)
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    review_on = forms.DateField(label=_("Review on"), widget=DateInput(), required=False)

    PANEL_ROWS = PANEL_MINIMUM + 2

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, self.PANEL_ROWS + 1):
            self.fields[f"member_{i}_name"] = forms.CharField(label=_("Member %(n)s: name") % {"n": i}, max_length=150, required=False)
            self.fields[f"member_{i}_function"] = forms.CharField(
                label=_("Member %(n)s: function and institution") % {"n": i}, max_length=150, required=False
            )
            self.fields[f"member_{i}_view"] = forms.CharField(
                label=_("Member %(n)s: view") % {"n": i}, widget=forms.Textarea(attrs={"rows": 2}), required=False
            )
        self.style()

    def panel(self) -> list[tuple[str, str, str]]:
        data = self.cleaned_data
        return [(data[f"member_{i}_name"], data[f"member_{i}_function"], data[f"member_{i}_view"]) for i in range(1, self.PANEL_ROWS + 1)]


class ActionForm(StyledFormMixin, forms.Form):
    needed = ("done_on", "outcome")

    done_on = forms.DateField(label=_("Date"), widget=DateInput(), required=False)
    kind = forms.ChoiceField(label=_("Type of action"), choices=TracingAction.Kind.choices)
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class VerificationForm(StyledFormMixin, forms.Form):
    needed = ("relative_name", "relationship", "methods", "child_views", "done_on")

    relative_name = forms.CharField(label=_("Relative's name"), max_length=200, required=False)
    relationship = forms.ChoiceField(
        label=_("Relationship to the child"), choices=[("", "—"), *TracingRequest.Relationship.choices], required=False
    )
    methods = forms.MultipleChoiceField(
        label=_("Verified through"), choices=Verification.Method.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    child_views = forms.CharField(
        label=_("What the child said about going back to this family"), widget=forms.Textarea(attrs=TEXT), required=False
    )
    confirmed = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("1", _("The relationship is confirmed")), ("0", _("The relationship is not confirmed"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    done_on = forms.DateField(label=_("Date"), widget=DateInput(), required=False)


class PlacementForm(StyledFormMixin, forms.Form):
    needed = ("on", "with_whom", "municipality", "address")

    kind = forms.ChoiceField(label=_("Outcome"), choices=Placement.Kind.choices, widget=forms.RadioSelect)
    on = forms.DateField(label=_("Date"), widget=DateInput(), required=False)
    with_whom = forms.CharField(
        label=_("With whom"), max_length=200, required=False, help_text=_("The relative, foster family or care home.")
    )
    relationship = forms.ChoiceField(label=_("Relationship"), choices=[("", "—"), *TracingRequest.Relationship.choices], required=False)
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=AdminArea.objects.none(), required=False, empty_label="—")
    address = forms.CharField(label=_("Address"), max_length=250, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["municipality"]).queryset = municipalities(user).order_by("parent__name", "name")


class VisitForm(StyledFormMixin, forms.Form):
    needed = ("done_on", "wellbeing")

    done_on = forms.DateField(label=_("Visited on"), widget=DateInput(), required=False)
    wellbeing = forms.ChoiceField(
        label=_("How the child is"), choices=FollowUpVisit.Wellbeing.choices, widget=forms.RadioSelect, required=False
    )
    in_school = forms.NullBooleanField(
        label=_("Goes to school"),
        widget=forms.Select(choices=[("unknown", _("Not known")), ("true", _("Yes")), ("false", _("No"))]),
        required=False,
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs=TEXT), required=False)


class MatchDecisionForm(StyledFormMixin, forms.Form):
    confirm = forms.TypedChoiceField(
        label=_("After comparing both records"),
        choices=[("1", _("This child is the person sought")), ("0", _("This child is not the person sought"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class TracingRequestForm(StyledFormMixin, forms.Form):
    needed = ("inquirer_name", "inquirer_relationship", "sought-0-first_surname")

    inquirer_name = forms.CharField(label=_("Inquirer's name"), max_length=200, required=False)
    inquirer_relationship = forms.ChoiceField(
        label=_("Relationship to the persons sought"), choices=[("", "—"), *TracingRequest.Relationship.choices], required=False
    )
    inquirer_phone = forms.CharField(label=_("Inquirer's phone"), max_length=40, required=False)
    inquirer_address = forms.CharField(label=_("Where the inquirer lives"), max_length=250, required=False)
    inquirer_municipality = forms.ModelChoiceField(
        label=_("Inquirer's municipality"), queryset=AdminArea.objects.none(), required=False, empty_label="—"
    )

    SOUGHT_ROWS = 3

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["inquirer_municipality"]).queryset = municipalities(user).order_by("parent__name", "name")
        for i in range(self.SOUGHT_ROWS):
            n = i + 1
            extra = {
                "given_names": forms.CharField(label=_("Person %(n)s: given names") % {"n": n}, max_length=120, required=False),
                "first_surname": forms.CharField(label=_("Person %(n)s: first surname") % {"n": n}, max_length=80, required=False),
                "second_surname": forms.CharField(label=_("Person %(n)s: second surname") % {"n": n}, max_length=80, required=False),
                "known_as": forms.CharField(label=_("Person %(n)s: nickname") % {"n": n}, max_length=120, required=False),
                "sex": forms.ChoiceField(label=_("Person %(n)s: sex") % {"n": n}, choices=[("", "—"), *Person.Sex.choices], required=False),
                "birth_date": forms.DateField(label=_("Person %(n)s: date of birth") % {"n": n}, widget=DateInput(), required=False),
                "age": forms.IntegerField(label=_("Person %(n)s: age, if the date is not known") % {"n": n}, required=False),
                "separation_place": forms.CharField(
                    label=_("Person %(n)s: place of separation") % {"n": n}, max_length=200, required=False
                ),
                "separated_on": forms.DateField(label=_("Person %(n)s: date of separation") % {"n": n}, widget=DateInput(), required=False),
            }
            for key, field in extra.items():
                self.fields[f"sought-{i}-{key}"] = field
        self.style()

    def sought(self) -> list[dict[str, Any]]:
        keys = (
            "given_names",
            "first_surname",
            "second_surname",
            "known_as",
            "sex",
            "birth_date",
            "age",
            "separation_place",
            "separated_on",
        )
        return [{k: self.cleaned_data.get(f"sought-{i}-{k}") for k in keys} for i in range(self.SOUGHT_ROWS)]

    def groups(self) -> list[list[forms.BoundField]]:
        """The inquirer's fields, then each sought person's, for the template's fieldsets."""
        bound = list(self)
        return [bound[:5]] + [bound[5 + 9 * i : 5 + 9 * (i + 1)] for i in range(self.SOUGHT_ROWS)]


class CloseForm(StyledFormMixin, forms.Form):
    reason = forms.ChoiceField(label=_("Reason for closing"), choices=[("", "—"), *ProtectionCase.ClosureReason.choices], required=False)
    note = forms.CharField(label=_("Closing note"), max_length=300, required=False)
