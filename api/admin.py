"""API tokens in the admin: a unit admin sees and revokes their unit members' tokens only.

Tokens are never created or edited here (the digest is all that is stored); they are issued
by `POST /api/v1/auth/token/`.
"""

from __future__ import annotations

from django.contrib import admin
from knox.models import AuthToken

from units.admin import admin_unit_ids

if admin.site.is_registered(AuthToken):
    admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["token_key", "user", "created", "expiry"]
    list_filter = ["expiry"]
    search_fields = ["token_key", "user__username", "user__full_name"]
    fields = ["token_key", "user", "created", "expiry"]
    readonly_fields = fields

    def _scope(self, request) -> list[int] | None:
        """None for a superuser (everything); else the units the person administers."""
        return None if request.user.is_superuser else admin_unit_ids(request.user)

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("user")
        units = self._scope(request)
        if units is None:
            return qs
        return qs.filter(user__memberships__unit__in=units).distinct()

    def _allowed(self, request, obj=None) -> bool:
        if not request.user.is_active:
            return False
        units = self._scope(request)
        if units is None:
            return True
        if not units:
            return False
        return obj is None or obj.user.memberships.filter(unit__in=units).exists()

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
