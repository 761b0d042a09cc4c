from django.contrib.auth import views as auth_views
from django.urls import path

from retorno.core import views

app_name = "core"

urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", views.two_factor, name="two_factor"),
    path("permissions/", views.permission_matrix, name="permissions"),
    path("audit/", views.audit_browse, name="audit"),
    path("notifications/", views.notifications, name="notifications"),
    path("api-tokens/", views.api_tokens, name="api_tokens"),
    path("api-tokens/<int:token_id>/revoke/", views.api_token_revoke_view, name="api_token_revoke"),
    path("healthz", views.healthz, name="healthz"),
]
