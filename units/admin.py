"""Django admin for the unit's own standard: a unit admin edits only their units' catalogues."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.db import router
from django.db.models import ProtectedError
from django.db.models.deletion import Collector
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    CATALOGUES,
    CompensationBudget,
    Membership,
    Role,
    Unit,
    User,
)

IN_USE = _(
    "This catalogue entry is named by issued proposals, decrees or compensations: it cannot be "
    "deleted. Retire it instead (untick “active”): it disappears from new choices and issued "
    "documents keep their text."
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

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "signing_passphrase":
            kwargs["widget"] = forms.PasswordInput(render_value=True)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def in_use(entry) -> bool:
    """Whether a proposal, decree or compensation names `entry` (its deletion is PROTECTed)."""
    try:
        Collector(using=router.db_for_write(type(entry))).collect([entry])
    except ProtectedError:
        return True
    return False


class CatalogueAdmin(UnitScopedAdmin):
    list_filter = [("unit", admin.RelatedOnlyFieldListFilter), "active"]
    search_fields = ["code"]
    ordering = ["unit", "order", "code"]

    def delete_view(self, request, object_id, extra_context=None):
        entry = self.get_object(request, unquote(object_id))
        if entry is not None and in_use(entry):
            self.message_user(request, IN_USE, messages.ERROR)
            opts = self.model._meta
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_change", entry.pk)
        return super().delete_view(request, object_id, extra_context)

    def get_list_display(self, request):
        label = "name" if any(f.name == "name" for f in self.model._meta.fields) else "text"
        return ["code", label, "unit", "order", "active"]


for model in CATALOGUES.values():
    admin.site.register(model, CatalogueAdmin)


@admin.register(CompensationBudget)
class CompensationBudgetAdmin(UnitScopedAdmin):
    list_display = ["unit", "year", "amount"]


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
