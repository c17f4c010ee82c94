"""documents/charts.py: SVG that parses, prints values, escapes labels, needs no style or script."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation

from documents.charts import bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def no_style_or_script(root: ET.Element) -> bool:
    return all("style" not in el.attrib and el.tag != f"{SVG}script" for el in root.iter())


def texts(root: ET.Element) -> list[str]:
    return [el.text or "" for el in root.iter(f"{SVG}text")]


def test_bar_chart_draws_one_bar_per_value_scaled_to_the_maximum():
    root = parse(bar_chart(["A", "B", "C"], [100, 50, None], max_value=100, title="Skor"))
    bars = root.findall(f".//{SVG}g[@class='bar']/{SVG}rect")
    assert len(bars) == 2  # None draws no bar
    widths = [float(b.get("width")) for b in bars]
    assert widths[0] == pytest.approx(2 * widths[1])
    assert root.find(f"{SVG}title").text == "Skor"
    assert no_style_or_script(root)


def test_values_of_any_number_type_are_printed_with_the_languages_separator():
    with translation.override("id"):
        root = parse(bar_chart(["x", "y"], [Decimal("91.48"), Fraction(7, 2)], max_value=100))
    assert "91,48" in texts(root) and "3,50" in texts(root)
    with translation.override("en"):
        root = parse(bar_chart(["x"], [Decimal("91.48")], max_value=100))
    assert "91.48" in texts(root)


def test_labels_are_escaped_and_long_ones_shortened():
    evil = '<script>alert("x")</script> & a very long service name indeed'
    markup = bar_chart([evil], [1])
    root = parse(markup)  # still well-formed XML
    assert "<script>" not in str(markup)
    assert any(t.endswith("…") for t in texts(root))
    assert no_style_or_script(root)


def test_line_chart_breaks_at_missing_values():
    root = parse(
        line_chart(
            ["Jan", "Feb", "Mar", "Apr"],
            [80, 90, None, 85],
            min_value=25,
            max_value=100,
            ticks=[25, 50, 75, 100],
        )
    )
    lines = root.findall(f".//{SVG}polyline")
    assert len(lines) == 1  # Jan–Feb; Apr stands alone as a point
    assert len(root.findall(f".//{SVG}circle")) == 3
    assert {"25", "50", "75", "100"} <= set(texts(root))
    assert no_style_or_script(root)


def test_higher_values_are_drawn_higher():
    root = parse(line_chart(["a", "b"], [30, 90], min_value=25, max_value=100))
    ys = [float(c.get("cy")) for c in root.findall(f".//{SVG}circle")]
    assert ys[1] < ys[0]


def test_empty_charts_still_render():
    assert parse(bar_chart([], [])).tag == f"{SVG}svg"
    assert parse(line_chart([], [])).tag == f"{SVG}svg"
    assert parse(line_chart(["only"], [None])).tag == f"{SVG}svg"


def test_mismatched_lengths_are_refused():
    with pytest.raises(ValueError):
        bar_chart(["a"], [1, 2])
    with pytest.raises(ValueError):
        line_chart(["a"], [])
