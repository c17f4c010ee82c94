"""Django admin for the unit's own standard: a unit admin edits only their units' catalogues."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.db import router
from django.db.models import ProtectedError
from django.db.models.deletion import Collector
from django.http import Http404
from django.shortcuts import redirect
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
    """Superusers see every unit; a unit admin sees and edits only the units they administer.

    Every check takes the object asked for: list, change, delete, history and revert all refuse an
    object of another unit (404, as if it did not exist), including an object that belonged to
    another unit in any of its history's versions.
    """

    unit_field = "unit"

    def _allowed(self, request, obj=None) -> bool:
        user = request.user
        if not user.is_active:
            return False
        if user.is_superuser:
            return True
        units = admin_unit_ids(user)
        return bool(units) and (obj is None or self.unit_of(obj) in units)

    def unit_of(self, obj) -> int | None:
        return obj.pk if self.unit_field == "pk" else getattr(obj, f"{self.unit_field}_id")

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.unit_field}__in": admin_unit_ids(request.user)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit" and not request.user.is_superuser:
            kwargs["queryset"] = Unit.objects.filter(pk__in=admin_unit_ids(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # History and revert: simple-history looks objects up without the scoped queryset, so the
    # object and every version of it are checked here before its views run.
    def _history_unit_field(self) -> str:
        return self.model._meta.pk.attname if self.unit_field == "pk" else f"{self.unit_field}_id"

    def _require_history_in_scope(self, request, object_id) -> None:
        if request.user.is_superuser:
            return
        try:
            pk = self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404 from None
        live = self.model._default_manager.filter(pk=pk).first()
        if live is not None and not self._allowed(request, live):
            raise Http404
        versions = self.model.history.filter(**{self.model._meta.pk.attname: pk})
        outside = versions.exclude(
            **{f"{self._history_unit_field()}__in": admin_unit_ids(request.user)}
        )
        if outside.exists():
            raise Http404

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        qs = super().get_history_queryset(request, history_manager, pk_name, object_id)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self._history_unit_field()}__in": admin_unit_ids(request.user)})

    def history_view(self, request, object_id, extra_context=None):
        self._require_history_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_history_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


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


class MembershipForm(forms.ModelForm):
    """A unit admin never grants a role to themselves: another administrator must."""

    acting_user = None

    def clean(self):
        data = super().clean()
        actor = self.acting_user
        if actor is not None and not actor.is_superuser and data.get("user") == actor:
            raise ValidationError(
                {"user": _("You cannot grant a role to yourself; another administrator must.")}
            )
        return data


@admin.register(UnitHoliday)
class UnitHolidayAdmin(UnitScopedAdmin):
    """A unit's own days off (regional holidays, closures), on top of the national calendar."""

    list_display = ["date", "name", "unit"]
    list_filter = [("unit", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "date"
    ordering = ["-date"]


@admin.register(Membership)
class MembershipAdmin(UnitScopedAdmin):
    form = MembershipForm
    list_display = ["user", "unit", "role"]
    list_filter = [("unit", admin.RelatedOnlyFieldListFilter), "role"]
    autocomplete_fields = ["user"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"acting_user": request.user})


@admin.register(User)
class PulihUserAdmin(UserAdmin):
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("Staff data"), {"fields": ("full_name", "nip", "position", "phone")}),
    )
    list_display = ["username", "full_name", "nip", "is_active"]
    search_fields = ["username", "full_name", "nip"]
