"""Django admin for the unit's own standard: a unit admin edits only their units' catalogues."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    CATALOGUES,
    CompensationBudget,
    Membership,
    Role,
    Unit,
    UnitHoliday,
    User,
)

admin.site.site_header = _("Pulih administration")
admin.site.site_title = "Pulih"


def admin_unit_ids(user) -> list[int]:
    return list(
        Membership.objects.filter(user=user, role=Role.ADMIN).values_list("unit_id", flat=True)
    )


class UnitScopedAdmin(SimpleHistoryAdmin):
    """Superusers see every unit; a unit admin sees and edits only the units they administer."""

    unit_field = "unit"

    def _allowed(self, request) -> bool:
        return request.user.is_active and (
            request.user.is_superuser or bool(admin_unit_ids(request.user))
        )

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.unit_field}__in": admin_unit_ids(request.user)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit" and not request.user.is_superuser:
            kwargs["queryset"] = Unit.objects.filter(pk__in=admin_unit_ids(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Unit)
class UnitAdmin(UnitScopedAdmin):
    unit_field = "pk"
    list_display = ["code", "name", "city", "time_zone"]
    search_fields = ["code", "name"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class CatalogueAdmin(UnitScopedAdmin):
    list_filter = [("unit", admin.RelatedOnlyFieldListFilter), "active"]
    search_fields = ["code"]
    ordering = ["unit", "order", "code"]

    def get_list_display(self, request):
        label = "name" if any(f.name == "name" for f in self.model._meta.fields) else "text"
        return ["code", label, "unit", "order", "active"]


for model in CATALOGUES.values():
    admin.site.register(model, CatalogueAdmin)


@admin.register(CompensationBudget)
class CompensationBudgetAdmin(UnitScopedAdmin):
    list_display = ["unit", "year", "amount"]


@admin.register(UnitHoliday)
class UnitHolidayAdmin(UnitScopedAdmin):
    """A unit's own days off (regional holidays, closures), on top of the national calendar."""

    list_display = ["date", "name", "unit"]
    list_filter = [("unit", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "date"
    ordering = ["-date"]


@admin.register(Membership)
class MembershipAdmin(UnitScopedAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = [("unit", admin.RelatedOnlyFieldListFilter), "role"]
    autocomplete_fields = ["user"]


@admin.register(User)
class PulihUserAdmin(UserAdmin):
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("Staff data"), {"fields": ("full_name", "nip", "position", "phone")}),
    )
    list_display = ["username", "full_name", "nip", "is_active"]
    search_fields = ["username", "full_name", "nip"]
