from django.contrib import admin

from retorno.core.admin import ConfigAdmin
from retorno.programmes.models import Project


@admin.register(Project)
class ProjectAdmin(ConfigAdmin):
    list_display = ["code", "title", "status", "budget_usd", "coverage", "start_year", "end_year"]
    list_filter = ["status", "kind", "coverage"]
    search_fields = ["code", "prima_id", "title"]
    filter_horizontal = ["benefiting_states"]
