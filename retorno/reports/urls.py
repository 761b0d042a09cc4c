from django.urls import path

from retorno.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("statistics/", views.statistics, name="statistics"),
]
