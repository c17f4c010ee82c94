"""documents/charts.py: SVG that parses, prints values, escapes labels, needs no style or script."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation

from documents.charts import MIN_FONT, bar_chart, line_chart, nice_ticks

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
    assert widths[0] == pytest.approx(2 * widths[1], abs=0.2)
    assert root.find(f"{SVG}title").text == "Skor"
    assert no_style_or_script(root)


def test_values_of_any_number_type_are_printed_with_the_languages_separator():
    with translation.override("id"):
        root = parse(bar_chart(["x", "y"], [Decimal("91.48"), Fraction(7, 2)], max_value=100))
    assert "91,48" in texts(root) and "3,50" in texts(root)
    with translation.override("en"):
        root = parse(bar_chart(["x"], [Decimal("91.48")], max_value=100))
    assert "91.48" in texts(root)


def test_a_chart_reads_the_languages_separator_once(monkeypatch):
    import documents.charts as charts

    calls = []
    real = charts.get_format

    def counted(name, *args, **kwargs):
        calls.append(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(charts, "get_format", counted)
    with translation.override("id"):
        bar = bar_chart(["x", "y", "z"], [91.48, None, 3.5], max_value=100, guides=[(88.31, "A")])
        line = line_chart(["a", "b", "c"], [70.25, None, 99.5], min_value=25, max_value=100)
    assert calls == ["DECIMAL_SEPARATOR", "DECIMAL_SEPARATOR"]
    assert "91,48" in texts(parse(bar)) and "70,25" in texts(parse(line))


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


def tick_texts(root: ET.Element) -> list[str]:
    """The axis labels: the texts drawn at the smallest size, in the muted colour."""
    return [
        el.text or ""
        for el in root.iter(f"{SVG}text")
        if float(el.get("font-size")) == MIN_FONT and el.get("fill") != "#1d2733"
    ]


@pytest.mark.parametrize("biggest", [1, 2, 3, 4, 7, 10, 13, 250])
def test_counts_have_whole_distinct_ticks(biggest):
    root = parse(bar_chart(["a", "b"], [biggest, 1], value_format="{:.0f}"))
    ticks = tick_texts(root)
    assert len(ticks) == len(set(ticks)) >= 2  # never "0 1 2 2 3"
    assert all(t.isdigit() for t in ticks)
    assert int(ticks[-1]) >= biggest


def test_nice_ticks_cover_the_range_in_round_steps():
    assert nice_ticks(0, 3, whole=True) == [0, 1, 2, 3]
    assert nice_ticks(0, 100) == [0, 25, 50, 75, 100]
    assert nice_ticks(0, 4) == [0, 1, 2, 3, 4]
    assert nice_ticks(25, 100)[-1] == 100


def test_no_text_is_smaller_than_the_minimum_and_labels_fit_the_width():
    long_name = "Layanan konsultasi penjaminan mutu pendidikan dan pemetaan mutu sekolah"
    for markup in (
        bar_chart([long_name, "b"], [90, 80], max_value=100, guides=[(88.31, "A")], width=300),
        line_chart(
            ["Sep\n2026", "Okt", "Nov", "Des", "Jan\n2027"],
            [90, 91, None, 89, 92],
            min_value=25,
            max_value=100,
            guides=[(88.31, "A")],
            width=300,
        ),
    ):
        root = parse(markup)
        sizes = [float(el.get("font-size")) for el in root.iter(f"{SVG}text")]
        assert min(sizes) >= MIN_FONT >= 9
        for el in root.iter(f"{SVG}text"):  # a label never needs more than the chart's width
            assert len(el.text or "") * float(el.get("font-size")) * 0.62 <= 300 + 1


def test_month_labels_are_short_with_the_year_under_the_first_and_january():
    import datetime

    from reports.render import month_labels

    months = [datetime.date(2026, m, 1) for m in (9, 10, 11, 12)] + [datetime.date(2027, 1, 1)]
    with translation.override("id"):
        labels = month_labels(months)
    assert labels == ["Sep\n2026", "Okt", "Nov", "Des", "Jan\n2027"]
    root = parse(line_chart(labels, [90, 91, 92, 93, 94]))
    assert {"Sep", "2026", "Okt", "Jan", "2027"} <= set(texts(root))
    assert not any(t.endswith("…") for t in texts(root))


def test_the_pdf_charts_have_no_tooltips_and_the_screen_charts_do():
    plain = parse(bar_chart(["a"], [1], interactive=False))
    assert plain.findall(f".//{SVG}g") == []
    assert parse(bar_chart(["a"], [1])).findall(f".//{SVG}g[@class='bar']/{SVG}title")
