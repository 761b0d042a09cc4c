from django.urls import path

from retorno.window import views

app_name = "window"

urlpatterns = [
    path("", views.consultations, name="consultations"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
