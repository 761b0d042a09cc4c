from django.urls import path

from retorno.programmes import views

app_name = "programmes"

urlpatterns = [
    path("", views.projects, name="projects"),
    path("import/", views.import_pages, name="import"),
    path("news/", views.news, name="news"),
    path("plan/", views.plan, name="plan"),
    path("plan/actions/<int:pk>/", views.action_status, name="action_status"),
    path("plan/<int:pk>/actions/", views.action_add, name="action_add"),
    path("iati.xml", views.iati, name="iati"),
    path("indicators/<int:pk>/report/", views.indicator_report, name="indicator_report"),
    path("indicators/<int:pk>/", views.indicator_edit, name="indicator_edit"),
    path("remove/<str:kind>/<int:pk>/", views.remove, name="remove"),
    path("<str:code>/framework/<str:part>/", views.framework_add, name="framework_add"),
    path("<str:code>/", views.project, name="project"),
]
