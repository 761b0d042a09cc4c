from django.urls import path

from retorno.protection import views

app_name = "protection"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("matches/<int:pk>/", views.match_detail, name="match"),
    path("<str:public_id>/", views.case_detail, name="detail"),
    path("<str:public_id>/care/", views.care_add, name="care"),
    path("<str:public_id>/tracing-consent/", views.tracing_basis, name="tracing_basis"),
    path("<str:public_id>/actions/", views.action_add, name="action"),
    path("<str:public_id>/assessment/", views.assessment_new, name="assessment"),
    path("<str:public_id>/assessment/<int:pk>/decide/", views.assessment_decide, name="assessment_decide"),
    path("<str:public_id>/determination/", views.determination_new, name="determination"),
    path("<str:public_id>/verification/", views.verification_new, name="verification"),
    path("<str:public_id>/outcome/", views.placement_new, name="placement"),
    path("<str:public_id>/visits/<int:month>/", views.visit_record, name="visit"),
    path("<str:public_id>/reintegration/", views.reintegration_open, name="reintegration"),
    path("<str:public_id>/close/", views.close, name="close"),
]

tracing_patterns = (
    [
        path("", views.tracing_list, name="list"),
        path("new/", views.tracing_new, name="new"),
        path("<str:public_id>/", views.tracing_detail, name="detail"),
    ],
    "tracing",
)
