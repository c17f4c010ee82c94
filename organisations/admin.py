"""Organisations are set up by a superuser (they sit above every unit admin)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Organisation, OrganisationMembership, OrganisationUnit


class SuperuserOnly:
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    has_add_permission = has_module_permission
    has_change_permission = has_view_permission
    has_delete_permission = has_view_permission


class UnitInline(SuperuserOnly, admin.TabularInline):
    model = OrganisationUnit
    extra = 1


@admin.register(Organisation)
class OrganisationAdmin(SuperuserOnly, SimpleHistoryAdmin):
    list_display = ["code", "name", "parent", "show_officer_names"]
    search_fields = ["code", "name"]
    inlines = [UnitInline]


@admin.register(OrganisationMembership)
class OrganisationMembershipAdmin(SuperuserOnly, SimpleHistoryAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role"]
