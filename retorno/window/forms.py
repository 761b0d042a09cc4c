from __future__ import annotations

from typing import Any, cast

from django import forms
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.core.forms import StyledFormMixin
from retorno.core.models import AdminArea, Site, User
from retorno.referrals.forms import MunicipalityChoice, ServiceChoice
from retorno.referrals.models import Service
from retorno.registry.models import Person
from retorno.registry.selectors import person_get_for_user
from retorno.window.models import AgeGroup, Audience, Channel, Consultation, Material, Profile, Topic, Training


class ServicesChoice(forms.ModelMultipleChoiceField):
    label_from_instance = ServiceChoice.label_from_instance  # type: ignore[assignment]


class ConsultationForm(StyledFormMixin, forms.Form):
    """Built for the keyboard: the arrow keys choose within a group, Tab moves on, Space ticks, Enter saves."""

    needed = ("profile", "topics")
    # The fields of every consultation first, so Tab reaches the note quickly; the rest after it.
    field_order = (
        "channel",
        "profile",
        "sex",
        "age_group",
        "topics",
        "topic_other",
        "note",
        "materials",
        "services",
        "person",
        "held_on",
        "office",
    )

    office = forms.ModelChoiceField(label=_("Office"), queryset=Site.objects.none(), required=False, empty_label=None)
    channel = forms.ChoiceField(
        label=_("Channel"), choices=Channel.choices, initial=Channel.WALK_IN, widget=forms.RadioSelect(attrs={"autofocus": True})
    )
    profile = forms.ChoiceField(label=_("Who asks"), choices=Profile.choices, widget=forms.RadioSelect, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Consultation.Sex.choices, widget=forms.RadioSelect, required=False, initial="")
    age_group = forms.ChoiceField(label=_("Age"), choices=AgeGroup.choices, widget=forms.RadioSelect, required=False, initial="")
    topics = forms.MultipleChoiceField(label=_("Topics"), choices=Topic.choices, widget=forms.CheckboxSelectMultiple, required=False)
    topic_other = forms.CharField(label=_("Other topic"), max_length=200, required=False)
    materials = forms.MultipleChoiceField(
        label=_("Materials given"), choices=Material.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    services = ServicesChoice(
        label=_("Services the person was told about"),
        queryset=Service.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_("Hold Ctrl to choose several. To share the person's data with a service, give their Retorno ID and refer them."),
    )
    person = forms.CharField(
        label=_("Retorno ID of the person (optional)"),
        max_length=24,
        required=False,
        help_text=_("Leave empty for an anonymous consultation."),
    )
    note = forms.CharField(label=_("Note (no names)"), max_length=300, required=False)
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), required=False)

    def __init__(self, *args: Any, user: User, offices: list[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        country_id = user.agency.country_id if user.agency else 0
        self.fields["held_on"].initial = timezone.localdate()
        office = cast(forms.ModelChoiceField, self.fields["office"])
        office.queryset = Site.objects.filter(pk__in=[o.pk for o in offices])
        if len(offices) == 1:
            del self.fields["office"]
        services = Service.objects.filter(is_active=True, provider__country_id=country_id).select_related("provider")
        cast(forms.ModelMultipleChoiceField, self.fields["services"]).queryset = services.order_by("category", "name")
        self.style()

    def clean_person(self) -> Person | None:
        """The person through the registry's scope (the read is audited); empty: anonymous."""
        public_id = self.cleaned_data["person"].strip()
        if not public_id:
            return None
        try:
            return person_get_for_user(user=self.user, public_id=public_id)
        except Http404:
            raise forms.ValidationError(_("No person with this Retorno ID among your institution's records.")) from None


class TrainingForm(StyledFormMixin, forms.Form):
    needed = ("title", "held_on", "place", "audience", "topics")

    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False, help_text=_("A school, a town hall, an office…"))
    municipality = MunicipalityChoice(label=_("Municipality"), queryset=AdminArea.objects.none(), required=False, empty_label="—")
    office = forms.ModelChoiceField(label=_("Office"), queryset=Site.objects.none(), required=False, empty_label="—")
    audience = forms.ChoiceField(label=_("Audience"), choices=[("", "—"), *Audience.choices], required=False)
    topics = forms.MultipleChoiceField(label=_("Topics"), choices=Topic.choices, widget=forms.CheckboxSelectMultiple, required=False)
    materials = forms.CharField(label=_("Materials"), max_length=300, required=False)
    women = forms.IntegerField(label=_("Women and girls who attended"), min_value=0, required=False)
    men = forms.IntegerField(label=_("Men and boys who attended"), min_value=0, required=False)
    pre_average = forms.DecimalField(label=_("Average score before (0–100)"), max_digits=5, decimal_places=1, required=False)
    post_average = forms.DecimalField(label=_("Average score after (0–100)"), max_digits=5, decimal_places=1, required=False)

    def __init__(self, *args: Any, user: User, offices: list[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country_id = user.agency.country_id if user.agency else 0
        municipalities = AdminArea.objects.filter(country_id=country_id, level=AdminArea.Level.MUNICIPALITY).select_related("parent")
        cast(forms.ModelChoiceField, self.fields["municipality"]).queryset = municipalities.order_by("name")
        cast(forms.ModelChoiceField, self.fields["office"]).queryset = Site.objects.filter(pk__in=[o.pk for o in offices])
        for name in ("women", "men", "pre_average", "post_average"):
            self.fields[name].help_text = _("Never fewer than the named participants; their scores give the averages.")

    @staticmethod
    def initial_of(training: Training) -> dict[str, Any]:
        names = ("title", "held_on", "place", "municipality", "office", "audience", "topics", "materials", "women", "men")
        return {**{n: getattr(training, n) for n in names}, "pre_average": training.pre_average, "post_average": training.post_average}


class ParticipantForm(StyledFormMixin, forms.Form):
    needed = ("name", "sex")

    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), ("F", _("woman or girl")), ("M", _("man or boy"))], required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=150, required=False)
    pre_score = forms.DecimalField(label=_("Score before (0–100)"), max_digits=5, decimal_places=1, required=False)
    post_score = forms.DecimalField(label=_("Score after (0–100)"), max_digits=5, decimal_places=1, required=False)
