from django.contrib import admin
from django.urls import include, path

from config.api import api
from retorno.protection.urls import tracing_patterns
from retorno.referrals import urls as referral_urls
from retorno.referrals import views as referral_views

admin.site.site_header = "Retorno"
admin.site.site_title = "Retorno"

urlpatterns = [
    path("", include("retorno.core.urls")),
    path("", include("retorno.reports.urls")),
    path("people/", include("retorno.registry.urls")),
    path("reception/", include("retorno.reception.urls")),
    path("cases/", include("retorno.cases.urls")),
    path("protection/", include("retorno.protection.urls")),
    path("tracing/", include(tracing_patterns)),
    path("services/", include("retorno.referrals.urls")),
    path("referrals/", include((referral_urls.referral_patterns, "referrals"))),
    path("window/", include("retorno.window.urls")),
    path("programmes/", include("retorno.programmes.urls")),
    path("rights/", referral_views.rights, name="rights"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("manage/", admin.site.urls),
]
