from django.contrib import admin
from django.urls import include, path

from config.api import api

admin.site.site_header = "Retorno"
admin.site.site_title = "Retorno"

urlpatterns = [
    path("", include("retorno.core.urls")),
    path("", include("retorno.reports.urls")),
    path("people/", include("retorno.registry.urls")),
    path("reception/", include("retorno.reception.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("manage/", admin.site.urls),
]
