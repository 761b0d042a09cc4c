from django.urls import path

from retorno.referrals import views

app_name = "directory"

urlpatterns = [
    path("", views.directory, name="home"),
    path("manage/", views.my_services, name="mine"),
    path("manage/new/", views.service_edit, name="new"),
    path("manage/<int:pk>/", views.service_edit, name="edit"),
    path("<str:country>/", views.search, name="search"),
    path("<str:country>/<int:pk>/", views.service_detail, name="service"),
]

# Referrals and the protocol, at /referrals/ (namespace "referrals").
referral_patterns = [
    path("", views.referral_list, name="list"),
    path("new/", views.referral_new, name="new"),
    path("protocol/", views.protocol, name="protocol"),
    path("protocol/new/", views.rule_edit, name="rule_new"),
    path("protocol/<int:rule_id>/", views.rule_detail, name="rule"),
    path("protocol/<int:rule_id>/edit/", views.rule_edit, name="rule_edit"),
    path("<str:public_id>/", views.referral_detail, name="detail"),
]
