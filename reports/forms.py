from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pulih.lib.bounds import PERIOD_REVERSED, BoundedDateField

from .periods import quarter_of


class PeriodForm(forms.Form):
    start = BoundedDateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = BoundedDateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(PERIOD_REVERSED)
        if start and end and (end - start).days > 3 * 366:
            raise forms.ValidationError(_("A report covers at most three years."))
        return data

    def period(self) -> tuple[datetime.date, datetime.date]:
        """The chosen period; the current quarter by default."""
        default_start, default_end = quarter_of(timezone.localdate())
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("start") or default_start, data.get("end") or default_end
