"""pulih.lib.printed.Printer prints what the template engine prints: `{{ v }}` and
`{{ v|floatformat:p }}`, in both languages, with and without thousand separators."""

from __future__ import annotations

import datetime
import itertools
import random
from decimal import Decimal
from fractions import Fraction

import pytest
from django.template import Context, Engine, engines
from django.test import override_settings
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from pulih.lib.printed import Printer, escaped, printer_for

ENGINE = engines["django"].engine
PLAIN = ENGINE.from_string("{{ v }}")
FIXED = ENGINE.from_string("{{ v|floatformat:p }}")
PLACES = (-3, -2, -1, 0, 1, 2, 3)

NUMBERS = [
    0,
    1,
    -1,
    7,
    999,
    1000,
    -1000,
    12345,
    1234567,
    -987654321,
    10**15,
    0.0,
    -0.0,
    0.5,
    -0.5,
    1.5,
    2.5,
    1.005,
    2.675,
    -2.675,
    0.125,
    0.0125,
    99.995,
    -99.995,
    100.0,
    91.48,
    1234.5678,
    -1234.5678,
    1e-7,
    -3.2e-9,
    1e16,
    1.5e22,
    123456789.125,
    0.004,
    -0.004,
    -0.0049,
    0.0005,
    33.333333333333336,
    66.66666666666667,
    float("inf"),
    float("-inf"),
    Decimal("0"),
    Decimal("-0"),
    Decimal("0.000"),
    Decimal("-0.000"),
    Decimal("3.6025"),
    Decimal("3.6035"),
    Decimal("0.1115"),
    Decimal("-0.1115"),
    Decimal("-0.0005"),
    Decimal("-0.00049"),
    Decimal("89.35"),
    Decimal("89.345"),
    Decimal("1E+2"),
    Decimal("1.10"),
    Decimal("1234567.891"),
    Decimal("-1234567.891"),
    Decimal("0E-8"),
    Decimal("12345678901234567890.123456789"),
    Decimal("1E-250"),
    Fraction(7, 2),
    Fraction(4, 1),
    Fraction(-1, 8),
    Fraction(2675, 1000),
    Fraction(32437, 9000),
    Fraction(-(10**30), 3),
    Decimal("Infinity"),
]
# Values a template prints by other rules than a number's.
OTHERS = [
    None,
    "",
    "teks <b>&</b>",
    mark_safe("<i>aman</i>"),
    gettext_lazy("Total"),
    True,
    False,
    Fraction(1, 3),
    datetime.date(2026, 3, 9),
    datetime.datetime(2026, 3, 9, 8, 5, tzinfo=datetime.UTC),
    [1, 2],
]


def _both(v, places=None):
    if places is None:
        return Printer()(v), PLAIN.render(Context({"v": v}))
    return Printer().fixed(v, places), FIXED.render(Context({"v": v, "p": places}))


SETTINGS = list(itertools.product(["id", "en"], [False, True]))


@pytest.fixture(params=SETTINGS, ids=[f"{lang}-sep{sep}" for lang, sep in SETTINGS])
def locale(request, settings):
    language, separators = request.param
    settings.USE_THOUSAND_SEPARATOR = separators
    with translation.override(language):
        yield language, separators


def test_plain_values_print_as_the_template_prints_them(locale):
    for v in NUMBERS[:-1] + OTHERS:  # Decimal("Infinity"): below
        printed, rendered = _both(v)
        assert printed == rendered, v


def test_infinite_decimal_prints_as_the_template_prints_it(locale):
    # number_format's own path (it raises for an infinite Decimal: the same error here).
    with pytest.raises(Exception) as django_error:
        PLAIN.render(Context({"v": Decimal("Infinity")}))
    with pytest.raises(type(django_error.value)):
        Printer()(Decimal("Infinity"))


def test_floatformat_places_print_as_the_filter_prints_them(locale):
    for v, places in itertools.product(NUMBERS + OTHERS + ["12.345", "x", "nan"], PLACES):
        printed, rendered = _both(v, places)
        assert printed == rendered, (v, places)


DATE = ENGINE.from_string("{{ v|date:f }}")


def test_dates_print_as_the_date_filter_prints_them(locale):
    printer = Printer()
    values = [
        datetime.date(2026, 1, 1),
        datetime.date(2026, 5, 1),
        datetime.datetime(2026, 8, 31, 20, 0, tzinfo=datetime.UTC),  # 1 September in Jakarta
        datetime.datetime(2026, 8, 31, 20, 0),
        None,
        "",
        "2026-01-01",
        3,
        [1],
    ]
    for v, f in itertools.product(values, ["YEAR_MONTH_FORMAT", "DATE_FORMAT", "Y-m-d", None]):
        for _twice in range(2):
            assert printer.date(v, f) == DATE.render(Context({"v": v, "f": f})), (v, f)


def test_indonesian_uses_a_decimal_comma_and_dots_between_thousands(settings):
    settings.USE_THOUSAND_SEPARATOR = True
    with translation.override("id"):
        printer = Printer()
        assert printer.fixed(1234.5678, 2) == "1.234,57"
        assert printer(Decimal("-1234567.5")) == "-1.234.567,5"
    settings.USE_THOUSAND_SEPARATOR = False
    with translation.override("id"):
        assert Printer().fixed(2.675, 2) == "2,68"  # half up from the decimal form "2.675"
    with translation.override("en"):
        assert Printer().fixed(-0.004, 2) == "0.00"


def test_many_random_values(locale):
    rng = random.Random(20261203)
    values = []
    for _ in range(400):
        whole = rng.randint(-(10**7), 10**7)
        places = rng.randint(0, 6)
        values.append(Decimal(whole).scaleb(-places))
        values.append(whole / 10 ** rng.randint(0, 5))
        values.append(round(rng.uniform(-100, 100), rng.randint(0, 4)) + 0.005 * rng.choice([0, 1]))
        values.append(rng.randint(-(10**9), 10**9))
        values.append(Fraction(rng.randint(-40000, 40000), rng.randint(1, 10000)))  # an NRR
    for v in values:
        printed, rendered = _both(v)
        assert printed == rendered, v
        for places in PLACES:
            printed, rendered = _both(v, places)
            assert printed == rendered, (v, places)


@hypothesis_settings(max_examples=400)
@given(
    st.one_of(
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(allow_nan=False),
        st.decimals(allow_nan=False, allow_infinity=False, places=None),
        st.fractions(max_denominator=10**6),
    ),
    st.sampled_from(PLACES),
    st.sampled_from(SETTINGS),
)
def test_property_printer_equals_the_template(value, places, setting):
    language, separators = setting
    with override_settings(USE_THOUSAND_SEPARATOR=separators), translation.override(language):
        assert _both(value, places)[0] == _both(value, places)[1]
        assert _both(value)[0] == _both(value)[1]


def test_a_tag_prints_in_the_language_of_its_language_block():
    from django.template import Library

    library = Library()

    @library.simple_tag(takes_context=True)
    def half(context):
        return printer_for(context).fixed(0.5, 1)

    engine = Engine(libraries={"i18n": "django.templatetags.i18n"})
    engine.template_libraries["printed_test"] = library
    template = engine.from_string(
        "{% load i18n printed_test %}{% half %} {% language 'en' %}{% half %}{% endlanguage %}"
    )
    with translation.override("id"):
        assert template.render(Context()) == "0,5 0.5"


TEXTS = [
    "",
    "Budi & <Siti> \"Ani\" 'Wati'",
    mark_safe("<b>aman</b>"),
    gettext_lazy("Total"),
    mark_safe(gettext_lazy("Total")),
    None,
    "—",
]


def test_escaped_texts_print_as_the_template_prints_them(locale):
    for v in TEXTS:
        assert escaped(v) == PLAIN.render(Context({"v": v})) == conditional_escape(str(v)), v


@given(st.text())
def test_property_escaped_equals_djangos_conditional_escape(text):
    assert escaped(text) == conditional_escape(text)
