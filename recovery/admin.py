from django.contrib import admin

from units.admin import UnitScopedAdmin

from .models import RecoverySettings


@admin.register(RecoverySettings)
class RecoverySettingsAdmin(UnitScopedAdmin):
    list_display = ["unit", "delay_days", "valid_days"]
