from django.urls import path

from retorno.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_open, name="open"),
    path("from-arrival/<int:entry_id>/", views.case_open_from_arrival, name="open_from_arrival"),
    path("tasks/", views.tasks, name="tasks"),
    path("funding/", views.funding, name="funding"),
    path("instruments/", views.instruments, name="instruments"),
    path("transfers/<int:transfer_id>/", views.transfer_decide, name="transfer_decide"),
    path("<str:public_id>/", views.case_detail, name="detail"),
    path("<str:public_id>/summary/", views.case_summary, name="summary"),
    path("<str:public_id>/assess/<int:version_id>/", views.assess, name="assess"),
    path("<str:public_id>/plan/", views.plan_edit, name="plan"),
    path("<str:public_id>/plan/submit/", views.plan_submit, name="plan_submit"),
    path("<str:public_id>/plan/decide/", views.plan_decide, name="plan_decide"),
    path("<str:public_id>/assistance/new/", views.assistance_new, name="assistance_new"),
    path("<str:public_id>/assistance/<int:item_id>/deliver/", views.assistance_deliver, name="assistance_deliver"),
    path("<str:public_id>/assistance/<int:item_id>/approve/", views.assistance_approve, name="assistance_approve"),
    path("<str:public_id>/assistance/<int:item_id>/cancel/", views.assistance_cancel, name="assistance_cancel"),
    path("<str:public_id>/evidence/<int:evidence_id>/", views.evidence_file, name="evidence"),
    path("<str:public_id>/notes/", views.note_add, name="note_add"),
    path("<str:public_id>/sessions/", views.session_add, name="session_add"),
    path("<str:public_id>/members/", views.member_add, name="member_add"),
    path("<str:public_id>/assign/", views.assign, name="assign"),
    path("<str:public_id>/risk/", views.risk_set, name="risk"),
    path("<str:public_id>/transfer/", views.transfer_new, name="transfer"),
    path("<str:public_id>/close/", views.closure_request, name="close"),
    path("<str:public_id>/close/decide/", views.closure_decide, name="closure_decide"),
    path("<str:public_id>/reopen/", views.reopen, name="reopen"),
]
