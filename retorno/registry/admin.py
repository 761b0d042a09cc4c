from django.contrib import admin

from retorno.core.admin import ConfigAdmin
from retorno.registry.models import EthnicGroup, Language


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
