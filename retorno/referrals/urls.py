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
