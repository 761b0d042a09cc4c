from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from retorno.cases.models import (
    AssistanceType,
    Case,
    CaseMember,
    ClosureReason,
    Evidence,
    InstrumentVersion,
    Note,
    PsychosocialSession,
)
from retorno.cases.services import CONSENT_METHODS, FOLLOW_UP_MONTHS, note_may_write
from retorno.core.forms import StyledFormMixin
from retorno.core.models import AdminArea, Agency, User
from retorno.core.permissions import Role, role_can
from retorno.core.text import localized
from retorno.programmes.models import Project
from retorno.registry.forms import DateInput

CONSENT_CHOICES = [
    ("", "---------"),
    ("verbal", _("verbal, read aloud")),
    ("signed", _("signed form")),
    ("guardian", _("by parent or guardian")),
    ("authority", _("by the child-protection authority")),
]
assert [c for c, _label in CONSENT_CHOICES[1:]] == list(CONSENT_METHODS)


def _colleagues(user: User, action: str) -> QuerySet[User]:
    """Active users of the user's agency whose role may do `action` (one query, when the form renders)."""
    roles = [role for role in Role if role_can(role, action)]
    return User.objects.filter(agency=user.agency, is_active=True, role__in=roles).order_by("full_name")


def _user_field(field: forms.Field, users: QuerySet[User]) -> None:
    cast(forms.ModelChoiceField, field).queryset = users


def municipalities(user: User) -> Any:
    return AdminArea.objects.filter(
        country_id=user.agency.country_id if user.agency else 0, level=AdminArea.Level.MUNICIPALITY
    ).select_related("parent")


class CaseFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Name or id"), required=False, max_length=100)
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("open cases")), ("all", _("all"))] + list(Case.Stage.choices)
    )
    risk = forms.ChoiceField(label=_("Risk level"), required=False, choices=[("", _("any"))] + list(Case.Risk.choices))
    department = forms.ModelChoiceField(label=_("Department"), required=False, queryset=AdminArea.objects.none(), empty_label=_("any"))
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["department"]).queryset = AdminArea.objects.filter(
            country_id=user.agency.country_id if user.agency else 0, level=AdminArea.Level.DEPARTMENT
        )


class CaseOpenForm(StyledFormMixin, forms.Form):
    person = forms.CharField(label=_("Retorno id of the returnee"), max_length=24, help_text=_("e.g. SV-2026-000123 (search in People)"))
    returned_on = forms.DateField(label=_("Date of return"), widget=DateInput())
    municipality = forms.ModelChoiceField(label=_("Municipality of residence"), queryset=AdminArea.objects.none(), required=False)
    risk = forms.ChoiceField(label=_("Risk level"), choices=Case.Risk.choices, initial=Case.Risk.MEDIUM)
    caseworker = forms.ModelChoiceField(label=_("Caseworker"), queryset=User.objects.none(), required=False)
    consent_assistance = forms.BooleanField(label=_("The returnee consents to assistance"), required=False)
    consent_method = forms.ChoiceField(label=_("How consent was given"), choices=CONSENT_CHOICES, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["municipality"]).queryset = municipalities(user)
        _user_field(self.fields["caseworker"], _colleagues(user, "case.work"))
        if user.can("case.work") and not user.can("case.approve"):
            self.fields["caseworker"].initial = user.pk


class RiskForm(StyledFormMixin, forms.Form):
    risk = forms.ChoiceField(label=_("Risk level"), choices=Case.Risk.choices)


class AssignForm(StyledFormMixin, forms.Form):
    caseworker = forms.ModelChoiceField(label=_("Caseworker"), queryset=User.objects.none(), required=False)
    supervisor = forms.ModelChoiceField(label=_("Supervisor"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _user_field(self.fields["caseworker"], _colleagues(user, "case.work"))
        _user_field(self.fields["supervisor"], _colleagues(user, "case.approve"))


class MemberForm(StyledFormMixin, forms.Form):
    person = forms.CharField(label=_("Retorno id of the household member"), max_length=24)
    relationship = forms.ChoiceField(label=_("Relationship to the returnee"), choices=CaseMember.Relationship.choices)


def assessment_form(version: InstrumentVersion, data: Any = None, *, occasion: str = "baseline") -> forms.Form:
    """A form built from an instrument definition: one field per question, labelled in the
    reader's language, options in the definition's order."""
    fields: dict[str, forms.Field] = {
        "done_on": forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate),
    }
    if occasion == "follow_up":
        fields["month"] = forms.TypedChoiceField(
            label=_("Follow-up"), coerce=int, choices=[(m, _("%(n)s months after return") % {"n": m}) for m in FOLLOW_UP_MONTHS]
        )
    for q in version.definition["questions"]:
        label = localized(q["label"])
        required = bool(q["required"])
        if q["type"] in ("select_one", "select_multiple"):
            choices = [(o["code"], localized(o["label"])) for o in q["options"]]
            if q["type"] == "select_one":
                fields[q["code"]] = forms.ChoiceField(label=label, choices=choices, required=required, widget=forms.RadioSelect)
            else:
                fields[q["code"]] = forms.MultipleChoiceField(
                    label=label, choices=choices, required=required, widget=forms.CheckboxSelectMultiple
                )
        elif q["type"] == "integer":
            fields[q["code"]] = forms.IntegerField(label=label, required=required, min_value=0, max_value=100000)
        else:
            fields[q["code"]] = forms.CharField(label=label, required=required, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    form_class = type("AssessmentForm", (StyledFormMixin, forms.Form), fields)
    form: forms.Form = form_class(data)
    form.sections = [  # type: ignore[attr-defined]
        (localized(d["label"]), [form[q["code"]] for q in version.definition["questions"] if q["dimension"] == d["code"]])
        for d in version.definition["dimensions"]
    ]
    return form


class PlanForm(StyledFormMixin, forms.Form):
    goals = forms.CharField(label=_("Goals agreed with the returnee"), widget=forms.Textarea(attrs={"rows": 4}))
    agreed_with_returnee = forms.BooleanField(label=_("Agreed with the returnee"), required=False)
    agreed_on = forms.DateField(label=_("Agreed on"), required=False, widget=DateInput())
    delay_reason = forms.CharField(
        label=_("Why the plan is late"),
        required=False,
        max_length=300,
        help_text=_("Needed when the plan comes more than a month after return."),
    )


class AssistanceForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Type of assistance"), choices=[("", "---------")] + list(AssistanceType.choices))
    description = forms.CharField(label=_("Description"), required=False, max_length=300)
    provider_agency = forms.ModelChoiceField(label=_("Provider (institution)"), queryset=Agency.objects.none(), required=False)
    provider_name = forms.CharField(label=_("Provider (service or business)"), required=False, max_length=200)
    estimated_cost = forms.DecimalField(label=_("Estimated cost"), min_value=0, max_digits=14, decimal_places=2, initial=0)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="USD")
    exchange_rate = forms.DecimalField(
        label=_("Exchange rate"),
        required=False,
        max_digits=14,
        decimal_places=6,
        help_text=_("Units of the currency per US dollar; not needed for USD."),
    )
    project = forms.ModelChoiceField(label=_("Funded by"), queryset=Project.objects.none(), required=False)
    due_on = forms.DateField(label=_("Planned delivery"), widget=DateInput())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country = user.agency.country_id if user.agency else 0
        cast(forms.ModelChoiceField, self.fields["provider_agency"]).queryset = Agency.objects.filter(country_id=country, is_active=True)
        projects = Project.objects.exclude(status=Project.Status.PIPELINE).filter(benefiting_states__pk=country).distinct()
        field = cast(forms.ModelChoiceField, self.fields["project"])
        field.queryset = projects
        field.label_from_instance = lambda p: f"{p.code} — {Truncator(p.title).words(10)} ({p.get_status_display()})"  # type: ignore[method-assign,assignment]


class DeliverForm(StyledFormMixin, forms.Form):
    delivered_on = forms.DateField(label=_("Delivered on"), widget=DateInput(), initial=timezone.localdate)
    actual_cost = forms.DecimalField(label=_("Actual cost"), min_value=0, max_digits=14, decimal_places=2)
    evidence = forms.FileField(
        label=_("Receipt or photo"),
        required=False,
        help_text=_("PDF, JPEG, PNG or WebP, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.webp,application/pdf,image/*"}),
    )
    evidence_kind = forms.ChoiceField(label=_("It is a"), choices=Evidence.Kind.choices, initial=Evidence.Kind.RECEIPT)


class ConfirmForm(forms.Form):
    """A button that needs no field (send the plan, approve an item)."""


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class DecisionForm(StyledFormMixin, forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Approve")), ("no", _("Return with a comment"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment"), required=False, max_length=300)


class NoteForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))
    confidentiality = forms.ChoiceField(label=_("Who may read it"), choices=Note.Confidentiality.choices)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = [(v, label) for v, label in Note.Confidentiality.choices if note_may_write(user, v)]
        cast(forms.ChoiceField, self.fields["confidentiality"]).choices = allowed


class SessionForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Session"), choices=PsychosocialSession.Kind.choices)
    held_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=5, max_value=480, initial=60)
    participants = forms.IntegerField(label=_("Participants"), min_value=1, max_value=200, initial=1)
    notes = forms.CharField(label=_("Session notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class TransferForm(StyledFormMixin, forms.Form):
    to_agency = forms.ModelChoiceField(label=_("Institution that will take the case"), queryset=Agency.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=300)
    consent_given = forms.BooleanField(label=_("The returnee consents to the transfer"), required=False)
    consent_method = forms.ChoiceField(label=_("How consent was given"), choices=CONSENT_CHOICES, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["to_agency"]).queryset = Agency.objects.filter(is_active=True).exclude(
            pk=user.agency_id or 0
        )


class TransferDecisionForm(StyledFormMixin, forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Accept the case")), ("no", _("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Why it is declined"), required=False, max_length=300)


class ClosureForm(StyledFormMixin, forms.Form):
    reason = forms.ChoiceField(label=_("Reason for closing"), choices=[("", "---------")] + list(ClosureReason.choices))
    note = forms.CharField(label=_("Closing note"), required=False, max_length=500)


class InstrumentUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Instrument definition (YAML)"),
        help_text=_("The format is described in docs/instruments.md; a new version becomes the one used for new answers."),
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,text/yaml"}),
    )
