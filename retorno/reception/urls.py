from django.urls import path

from retorno.reception import views

app_name = "reception"

urlpatterns = [
    path("", views.arrival_list, name="arrivals"),
    path("new/", views.arrival_create, name="arrival_create"),
    path("<str:public_id>/", views.arrival_desk, name="desk"),
    path("<str:public_id>/edit/", views.arrival_edit, name="arrival_edit"),
    path("<str:public_id>/manifest/", views.manifest_upload, name="manifest"),
    path("<str:public_id>/manifest/<int:import_id>/", views.manifest_preview, name="manifest_preview"),
    path("<str:public_id>/walk-in/", views.walk_in, name="walk_in"),
    path("<str:public_id>/people/<int:entry_id>/", views.person_at_desk, name="person"),
    path("<str:public_id>/summary/", views.arrival_summary, name="summary"),
    path("<str:public_id>/close/", views.arrival_close, name="close"),
]
