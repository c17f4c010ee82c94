"""Pieces of django-filter FilterSets for lists, shared by the screens, the exports and the API.

A list's FilterSet lives beside its domain (`complaints/filters.py`, `cases/filters.py`); the
web face shows `filterset.form`, a download answers 400 for a bad value (`bad_filters_response`),
the API answers 400 naming the field (`api.conventions`). These helpers know no domain.
"""

from __future__ import annotations

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

from .bounds import DATE_SCHEMA, PERIOD_REVERSED, BoundedDateField


class PeriodForm(forms.Form):
    """The form of a FilterSet with `start` and `end` days: the end is not before the start."""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", PERIOD_REVERSED)
        return cleaned


@extend_schema_field(DATE_SCHEMA)
class LocalDayFilter(django_filters.DateFilter):
    """A day of the unit's calendar (2000–2099) bounding a moment: `since=True` keeps what
    happened from that day's start, else what happened before the next day's start. The
    FilterSet holds the unit (`self.unit`, which has `period_bounds`)."""

    field_class = BoundedDateField

    def __init__(self, *args, since: bool, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(*args, **kwargs)
        self.since = since

    def filter(self, qs, value):
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        if self.since:
            low, _high = self.parent.unit.period_bounds(value, None)
            return qs.filter(**{f"{self.field_name}__gte": low})
        _low, high = self.parent.unit.period_bounds(None, value)
        return qs.filter(**{f"{self.field_name}__lt": high})
