"""The case list's filters: one FilterSet for the /kasus/ screen and /api/v1/cases/."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pulih.lib.filters import LocalDayFilter, PeriodForm
from units.access import units_for
from units.models import Membership, Role, Unit, User

from .models import Case, CaseState


class OverdueFilter(django_filters.BooleanFilter):
    """A tick (the screen) or `true` (the API): only the cases past their step's deadline."""

    field_class = forms.BooleanField


class CaseFilter(django_filters.FilterSet):
    """Cases narrowed by state, officer (by username) and overdue; the officers offered are
    those of `units` (by default the units of the request's user)."""

    state = django_filters.ChoiceFilter(
        label=_("State"), choices=CaseState.choices, empty_label=_("All"), help_text="by state"
    )
    officer = django_filters.ModelChoiceFilter(
        label=_("Officer"),
        queryset=User.objects.none(),
        to_field_name="username",
        empty_label=_("All"),
        help_text="by the officer's username",
    )
    overdue = OverdueFilter(label=_("Overdue only"), method="filter_overdue")

    class Meta:
        model = Case
        fields = ["state", "officer", "overdue"]

    def __init__(self, data=None, queryset=None, *, request=None, units=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        if units is None:
            units = units_for(request.user) if request is not None else Unit.objects.none()
        officers = Membership.objects.filter(unit__in=units, role=Role.OFFICER)
        self.filters["officer"].queryset = User.objects.filter(
            pk__in=officers.values("user_id")
        ).order_by("full_name", "username")

    def filter_overdue(self, qs: QuerySet[Case], name: str, value: bool) -> QuerySet[Case]:
        return qs.filter(due_at__lt=timezone.now()) if value else qs


class UnitCaseFilter(CaseFilter):
    """The unit's case list (/kasus/): the filters above plus the days the case was opened, in
    the unit's calendar."""

    start = LocalDayFilter(label=_("Opened from"), field_name="opened_at", since=True)
    end = LocalDayFilter(label=_("Opened until"), field_name="opened_at", since=False)

    class Meta(CaseFilter.Meta):
        fields = ["state", "officer", "start", "end", "overdue"]
        form = PeriodForm

    def __init__(self, data=None, queryset=None, *, unit: Unit, **kwargs):
        self.unit = unit
        super().__init__(data, queryset, units=[unit], **kwargs)
