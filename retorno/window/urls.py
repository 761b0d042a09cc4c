from django.urls import path

from retorno.window import views

app_name = "window"

urlpatterns = [
    path("", views.consultations, name="consultations"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("trainings/", views.trainings, name="trainings"),
    path("trainings/new/", views.training_edit, name="training_new"),
    path("trainings/<int:pk>/", views.training_detail, name="training"),
    path("trainings/<int:pk>/edit/", views.training_edit, name="training_edit"),
]
