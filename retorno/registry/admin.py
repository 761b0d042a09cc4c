from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from retorno.core.admin import ConfigAdmin
from retorno.registry.models import EthnicGroup, Language, MatchModel


@admin.register(Language)
class LanguageAdmin(ConfigAdmin):
    list_display = ["name", "code", "is_indigenous"]
    list_filter = ["is_indigenous"]
    search_fields = ["name", "code"]


@admin.register(EthnicGroup)
class EthnicGroupAdmin(ConfigAdmin):
    list_display = ["name", "country", "is_indigenous"]
    list_filter = ["country", "is_indigenous"]
    search_fields = ["name"]


@admin.register(MatchModel)
class MatchModelAdmin(ConfigAdmin):
    """Administrators see each trained model and change its thresholds; parameters are read-only."""

    list_display = ["version", "trained_at", "source", "same_threshold", "possible_threshold", "is_active"]
    list_editable = ["same_threshold", "possible_threshold"]
    readonly_fields = ["version", "trained_at", "source", "parameters"]
    fields = ["version", "trained_at", "source", "same_threshold", "possible_threshold", "is_active", "parameters"]
    actions = ["activate"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # models come from `manage.py train_matcher`

    @admin.action(description=_("Use this model for matching"))
    def activate(self, request: HttpRequest, queryset: QuerySet[MatchModel]) -> None:
        chosen = queryset.first()
        if chosen is None:
            return
        with transaction.atomic():
            MatchModel.objects.filter(is_active=True).update(is_active=False)
            MatchModel.objects.filter(pk=chosen.pk).update(is_active=True)
        self.message_user(request, _("%(version)s is now used for matching.") % {"version": chosen.version})
