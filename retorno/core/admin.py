"""Configuration screens for administrators: places, agencies, sites, users.

People's records are never edited here: they go through the registry's services
and audit. Access follows the permission matrix ("config.manage"), not Django's
per-model permissions, so one table says who may configure.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import password_validation
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from retorno.core.models import AdminArea, Agency, Country, PointOfEntry, Site, User


class ConfigAdmin(admin.ModelAdmin):
    def _allowed(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_authenticated and user.can("config.manage"))  # type: ignore[union-attr]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)


@admin.register(Country)
class CountryAdmin(ConfigAdmin):
    list_display = ["code", "name_es", "name_en", "time_zone", "is_operating"]
    list_filter = ["is_operating"]
    search_fields = ["code", "name_es", "name_en", "name_fr"]


@admin.register(AdminArea)
class AdminAreaAdmin(ConfigAdmin):
    list_display = ["name", "code", "level", "parent", "country"]
    list_filter = ["country", "level"]
    search_fields = ["name", "code", "pcode"]
    autocomplete_fields = ["parent"]


@admin.register(PointOfEntry)
class PointOfEntryAdmin(ConfigAdmin):
    list_display = ["name", "code", "kind", "country", "municipality", "is_active"]
    list_filter = ["country", "kind", "is_active"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["municipality"]


class SiteInline(admin.TabularInline):
    model = Site
    extra = 0
    autocomplete_fields = ["municipality"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.can("config.manage"))  # type: ignore[union-attr]

    has_change_permission = has_delete_permission = has_view_permission = has_add_permission  # type: ignore[assignment]


@admin.register(Agency)
class AgencyAdmin(ConfigAdmin):
    list_display = ["acronym", "name", "country", "kind", "is_child_protection_authority", "is_active"]
    list_filter = ["country", "kind", "is_child_protection_authority"]
    search_fields = ["name", "acronym"]
    inlines = [SiteInline]


@admin.register(Site)
class SiteAdmin(ConfigAdmin):
    list_display = ["name", "agency", "kind", "municipality", "is_active"]
    list_filter = ["kind", "agency__country"]
    search_fields = ["name"]
    autocomplete_fields = ["municipality"]


class UserCreationForm(forms.ModelForm):
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)

    class Meta:
        model = User
        fields = ["email", "full_name", "agency", "site", "role", "supervisor"]

    def clean_password1(self) -> str:
        password = str(self.cleaned_data["password1"])
        password_validation.validate_password(
            password, User(email=self.cleaned_data.get("email", ""), full_name=self.cleaned_data.get("full_name", ""))
        )
        return password

    def save(self, commit: bool = True) -> User:
        user: User = super().save(commit=False)
        user.set_password(self.cleaned_data["password1"])
        if commit:
            user.save()
        return user


@admin.register(User)
class UserAdmin(ConfigAdmin, BaseUserAdmin):
    add_form = UserCreationForm
    ordering = ["full_name"]
    list_display = ["full_name", "email", "agency", "role", "is_active", "last_login"]
    list_filter = ["role", "agency__country", "agency", "is_active"]
    search_fields = ["full_name", "email"]
    autocomplete_fields = ["agency", "supervisor"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name"]}),
        (_("Work"), {"fields": ["agency", "site", "role", "supervisor", "is_active"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "full_name", "agency", "site", "role", "supervisor", "password1"]})]
    readonly_fields = ["last_login", "date_joined"]
    actions = ["unlock_accounts", "reset_two_factor"]

    @admin.action(description=_("Unlock after failed logins"))
    def unlock_accounts(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        from axes.utils import reset

        for user in queryset:
            reset(username=user.email)
        self.message_user(request, _("%(n)s accounts unlocked.") % {"n": queryset.count()})

    @admin.action(description=_("Reset two-factor authentication (set up again at the next login)"))
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.filter(user__in=queryset).delete()
        self.message_user(request, _("Two-factor authentication reset for %(n)s users.") % {"n": queryset.count()})

    filter_horizontal = ()
