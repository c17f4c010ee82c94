"""Numbers (and other values) printed exactly as a Django template prints them, at a fraction of
the cost, for template tags that build a whole table's rows in Python.

A template's `{{ n }}` passes each value through `localize` → `number_format` → the active
language's formats (three look-ups of the language and its format modules per number) and then
`conditional_escape`; `{{ x|floatformat:2 }}` adds a Decimal round trip. A table of a few hundred
cells pays that a few hundred times. A `Printer` reads the active language's separators once and
then formats each value with the same rules:

- `printer(value)` is what `{{ value }}` writes (localized numbers, escaped text, "None");
- `printer.date(value, format)` is what `{{ value|date:format }}` writes (kept per date: a
  report's two tables of months print each month twice);
- `printer.fixed(value, places)` is what `{{ value|floatformat:places }}` writes (half up, from
  the value's decimal form — a Fraction's through float, as the filter reads it; "" for what is
  not a number).

Anything unusual (dates, booleans, infinities, numbers too long for the fast path) goes through
Django's own functions, so the output is the template's byte for byte (pulih/tests/test_printed.py
checks it against the template engine in both languages, with and without thousand separators).
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal, getcontext
from decimal import Context as DecimalContext
from fractions import Fraction
from html import escape as html_escape
from typing import Any

from django.conf import settings
from django.template import Context
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat
from django.utils.formats import get_format, localize
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.timezone import template_localtime
from django.utils.translation import get_language

# Django's own cut-offs above which floatformat and number_format switch strategy: longer
# numbers take the slow (Django's) path here, so both print them the same way.
_MAX_DIGITS = 200


_PRINTER = "pulih.lib.printed.Printer"


def escaped(value: Any) -> str:
    """What `{{ value }}` writes for a text (a name, a label, an id given as text): Django's
    `conditional_escape(str(value))`, without the check its lazy wrapper makes of every
    argument (a table built in Python calls it a thousand times a page)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html_escape(str(value))


def printer_for(context: Context) -> Printer:
    """A template tag's Printer: one per rendering of a template and language (a
    {% language %} block prints in its own), kept in the template's render context."""
    key = (_PRINTER, get_language())
    printer = context.render_context.get(key)
    if printer is None:
        printer = context.render_context[key] = Printer()
    return printer


def _grouped(int_part: str, grouping, thousand_sep: str) -> str:
    """django.utils.numberformat.format's grouping of the integer digits, as it is written there
    (a single interval or a locale-style sequence such as (3, 2, 0))."""
    try:
        intervals = list(grouping)
    except TypeError:
        intervals = [grouping, 0]
    active_interval = intervals.pop(0)
    out = ""
    cnt = 0
    for digit in int_part[::-1]:
        if cnt and cnt == active_interval:
            if intervals:
                active_interval = intervals.pop(0) or active_interval
            out += thousand_sep[::-1]
            cnt = 0
        out += digit
        cnt += 1
    return out[::-1]


class Printer:
    """The active language's number formats, read once (make one per rendering: the language
    and the settings are those in force when it is made)."""

    def __init__(self) -> None:
        self.decimal_sep: str = get_format("DECIMAL_SEPARATOR")
        self.thousand_sep: str = get_format("THOUSAND_SEPARATOR")
        self.grouping = get_format("NUMBER_GROUPING")
        self.use_grouping: bool = bool(settings.USE_THOUSAND_SEPARATOR) and self.grouping != 0
        # `{{ n }}` escapes what number_format returns; `floatformat` marks it safe. Digits and
        # "-" never change under escaping, so escaping the separators is escaping the whole.
        self._html_decimal_sep = str(conditional_escape(self.decimal_sep))
        self._html_thousand_sep = str(conditional_escape(self.thousand_sep))
        self._dates: dict[tuple, str] = {}

    def _join(self, sign: str, int_part: str, dec_part: str, html: bool) -> str:
        decimal_sep, thousand_sep = (
            (self._html_decimal_sep, self._html_thousand_sep)
            if html
            else (self.decimal_sep, self.thousand_sep)
        )
        if self.use_grouping:
            int_part = _grouped(int_part, self.grouping, thousand_sep)
        return sign + int_part + (decimal_sep + dec_part if dec_part else "")

    def _plain(self, text: str, html: bool) -> str:
        """A plain decimal string ("-1234.5") with the language's separators."""
        sign = ""
        if text[0] == "-":
            sign, text = "-", text[1:]
        int_part, _dot, dec_part = text.partition(".")
        return self._join(sign, int_part, dec_part, html)

    def __call__(self, value: Any) -> str:
        """What `{{ value }}` writes (autoescaped, localized)."""
        kind = type(value)
        if kind is str:
            return html_escape(value)  # django.utils.html.escape's, without its lazy wrapper
        if kind is int:
            return str(value) if not self.use_grouping else self._plain(str(value), True)
        if kind is Decimal and value.is_finite():
            _sign, digits, exponent = value.as_tuple()
            if abs(exponent) + len(digits) <= _MAX_DIGITS:
                return self._plain(f"{value:f}", True)
        elif kind is float:
            text = str(value)
            if "e" not in text and "n" not in text:  # not 1e-07, inf or nan
                return self._plain(text, True)
        elif value is None:
            return "None"
        elif isinstance(value, Promise):
            return conditional_escape(value)
        # Django's own path (render_value_in_context with the default context's settings).
        value = localize(template_localtime(value))
        return conditional_escape(value if issubclass(type(value), str) else str(value))

    def fixed(self, value: Any, places: int) -> str:
        """What `{{ value|floatformat:places }}` writes, for a whole number of places."""
        kind = type(value)
        if kind is Decimal:
            d = value
        elif kind is int or kind is float:
            d = Decimal(str(value))
        elif kind is Fraction:
            # floatformat reads str(value): "7" parses, "7/2" does not and goes through float.
            if value.denominator == 1:
                d = Decimal(value.numerator)
            else:
                try:
                    d = Decimal(str(float(value)))
                except OverflowError:
                    return floatformat(value, places)
        elif value is None:
            return ""
        else:
            return floatformat(value, places)
        if not d.is_finite():
            return floatformat(value, places)
        _sign, digits, exponent = d.as_tuple()
        if len(digits) + abs(exponent) > _MAX_DIGITS:
            return floatformat(value, places)
        m = int(d) - d
        if not m and places <= 0:
            return self._plain(str(int(d)), False)
        # floatformat's rounding: half up, in a context wide enough for every digit (#15789).
        units = len(digits) + (-exponent if m else exponent)
        prec = max(getcontext().prec, abs(places) + units + 1)
        exp = Decimal(1).scaleb(-abs(places))
        rounded = d.quantize(exp, ROUND_HALF_UP, DecimalContext(prec=prec))
        text = f"{rounded:f}"
        if text[0] == "-" and not rounded:  # -0.004 prints as 0.00, as floatformat does
            text = text[1:]
        return self._plain(text, False)

    def date(self, value: Any, format: str | None = None) -> str:
        """What `{{ value|date:format }}` writes (the filter's local time, then escaped)."""
        key = (value, format)
        try:
            return self._dates[key]
        except (KeyError, TypeError):  # TypeError: not hashable (then not a date either)
            pass
        printed = conditional_escape(date_filter(template_localtime(value), format))
        if isinstance(value, datetime.date):
            self._dates[key] = printed
        return printed
