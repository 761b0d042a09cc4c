"""Administrators define projects' results frameworks, indicators and the national plan here (/manage/)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from retorno.core.admin import ConfigAdmin
from retorno.programmes.indicators import query_choices
from retorno.programmes.models import (
    Activity,
    Indicator,
    NationalPlan,
    NewsItem,
    Organisation,
    Outcome,
    Output,
    PlanAction,
    Project,
    ProjectPartner,
    ProjectText,
)
from retorno.programmes.services import indicator_check


class TextInline(admin.StackedInline):
    model = ProjectText
    extra = 0


class PartnerInline(admin.TabularInline):
    model = ProjectPartner
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Project)
class ProjectAdmin(ConfigAdmin):
    list_display = ["code", "title", "status", "budget_usd", "coverage", "start_year", "end_year"]
    list_filter = ["status", "kind", "coverage"]
    search_fields = ["code", "prima_id", "title"]
    filter_horizontal = ["benefiting_states", "objectives"]
    inlines = [TextInline, PartnerInline]


@admin.register(Organisation)
class OrganisationAdmin(ConfigAdmin):
    list_display = ["name", "acronym", "agency"]
    search_fields = ["name", "acronym"]


class OutputInline(admin.StackedInline):
    model = Output
    extra = 0
    filter_horizontal = ["objectives"]


@admin.register(Outcome)
class OutcomeAdmin(ConfigAdmin):
    list_display = ["project", "code", "statement"]
    list_filter = ["project"]
    inlines = [OutputInline]


@admin.register(Activity)
class ActivityAdmin(ConfigAdmin):
    list_display = ["output", "code", "description"]
    filter_horizontal = ["objectives"]


class IndicatorForm(forms.ModelForm):
    query = forms.ChoiceField(required=False)

    class Meta:
        model = Indicator
        exclude: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        query = self.fields["query"]
        assert isinstance(query, forms.ChoiceField)
        query.choices = [("", "—"), *query_choices()]
        self.fields["query"].help_text = Indicator._meta.get_field("query").help_text

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            indicator_check(Indicator(**{k: v for k, v in data.items() if k in {f.name for f in Indicator._meta.fields}}))
        return data


@admin.register(Indicator)
class IndicatorAdmin(ConfigAdmin):
    form = IndicatorForm
    list_display = ["project", "code", "name", "method", "query", "target"]
    list_filter = ["project", "method"]


class ActionInline(admin.StackedInline):
    model = PlanAction
    extra = 0
    filter_horizontal = ["objectives", "responsible", "indicators"]


@admin.register(NationalPlan)
class NationalPlanAdmin(ConfigAdmin):
    list_display = ["title", "country", "start_year", "end_year"]
    inlines = [ActionInline]


@admin.register(NewsItem)
class NewsItemAdmin(ConfigAdmin):
    list_display = ["title", "language", "dateline_country", "published_on"]
    list_filter = ["language"]
