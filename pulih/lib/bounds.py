"""Bounds on what a client may send: dates in a sane range and sums of money that fit.

One place for the limits, used by the web forms, the API serializers and the models, and
stated in the OpenAPI schema (a `pattern` plus the words) so that the schema says what the
server enforces.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.utils.translation import gettext_lazy as _

EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_DATE = datetime.date(2099, 12, 31)
DATE_HELP = "Between 2000-01-01 and 2099-12-31."
# What the schema states: a calendar date of 2000–2099 (days 29–31 left out of the pattern
# so that everything it allows is a real date), and a moment on such a date.
_DAY = r"20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])"
DATE_SCHEMA = {"type": "string", "pattern": f"^{_DAY}$", "description": DATE_HELP}
DATETIME_SCHEMA = {
    "type": "string",
    "pattern": rf"^{_DAY}T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?(Z|[+-](0[0-9]|1[0-3]):00)?$",
    "description": "ISO 8601 date and time; " + DATE_HELP,
}

# A period whose end comes before its start: the one message of every face (forms, filters, API).
PERIOD_REVERSED = _("The end of the period is before its start.")

# Rupiah: at most one trillion (10^12), far above any compensation and inside a BigInteger.
MAX_RUPIAH = 10**12


def _day(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def validate_date_in_range(value: datetime.date | datetime.datetime | None) -> None:
    """A form/model validator: the date (or the date of a moment) lies in 2000–2099."""
    if value is None:
        return
    if not EARLIEST_DATE <= _day(value) <= LATEST_DATE:
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s."),
            code="date_out_of_range",
            params={"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()},
        )


def validate_rupiah(value: int | Decimal | None) -> None:
    if value is not None and not 0 <= value <= MAX_RUPIAH:
        raise ValidationError(
            _("Enter an amount between 0 and %(max)s rupiah."),
            code="amount_out_of_range",
            params={"max": f"{MAX_RUPIAH:,}".replace(",", ".")},
        )


class BoundedDateField(forms.DateField):
    default_validators = [validate_date_in_range]

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.setdefault("min", EARLIEST_DATE.isoformat())
        attrs.setdefault("max", LATEST_DATE.isoformat())
        return attrs


class BoundedDateTimeField(forms.DateTimeField):
    default_validators = [validate_date_in_range]


def bad_filters_response(form: forms.Form) -> HttpResponseBadRequest:
    """400 for a download whose filters do not validate, naming each field (plain text)."""
    lines = [f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()]
    return HttpResponseBadRequest("\n".join(lines), content_type="text/plain; charset=utf-8")
