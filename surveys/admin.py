"""Admin: a unit's Google Forms question texts for `import_skm`, scoped like the standard."""

from __future__ import annotations

from django.contrib import admin

from units.admin import UnitScopedAdmin

from .models import SurveyFormMapping, SurveyPopulation


@admin.register(SurveyFormMapping)
class SurveyFormMappingAdmin(UnitScopedAdmin):
    """`questions`: {"U1": ["question text", ...], ...}; `columns`: {"submitted_at": [...],
    "service": [...], "officer": [...], "comment": [...]}. Missing keys use the defaults."""

    list_display = ["unit"]
    # This model keeps no history of its own: use Django's plain templates and history view.
    change_form_template = "admin/change_form.html"
    object_history_template = "admin/object_history.html"
    history_view = admin.ModelAdmin.history_view


@admin.register(SurveyPopulation)
class SurveyPopulationAdmin(UnitScopedAdmin):
    """The services a unit delivered in a period when it does not record every one in Pulih:
    the population its SKM sample is judged against (Krejcie–Morgan)."""

    list_display = ["unit", "start", "end", "population"]
    change_form_template = "admin/change_form.html"
    object_history_template = "admin/object_history.html"
    history_view = admin.ModelAdmin.history_view
