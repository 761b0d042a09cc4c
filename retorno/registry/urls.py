from django.urls import path

from retorno.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("new/", views.person_create, name="person_create"),
    path("new/possible-matches/", views.person_candidates, name="person_candidates"),
    path("access-requests/", views.access_requests, name="access_requests"),
    path("access-requests/new/", views.access_request_create, name="access_request_create"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("duplicates/progress/", views.duplicates_progress, name="duplicates_progress"),
    path("duplicates/<int:pair_id>/", views.duplicate_pair, name="duplicate_pair"),
    path("<str:public_id>/merges/<int:merge_id>/undo/", views.merge_undo, name="merge_undo"),
    path("<str:public_id>/", views.person_detail, name="person_detail"),
    path("<str:public_id>/edit/", views.person_edit, name="person_edit"),
    path("<str:public_id>/documents/", views.document_add, name="document_add"),
]
