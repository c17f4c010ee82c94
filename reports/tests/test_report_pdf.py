"""The report PDF fits its A4 pages: every table and chart inside the text block, with the
demo unit's whole year (every channel and status a column)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.utils import timezone, translation

from reports.figures import gather
from reports.render import report_context


@pytest.fixture
def demo(unit):
    call_command("demo_data", password="demo-pass-123", stdout=io.StringIO())
    return unit


def boxes(box):
    yield box
    for child in getattr(box, "children", []):
        yield from boxes(child)


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_table_and_chart_of_the_report_fits_the_a4_text_block(demo, language):
    from weasyprint import HTML
    from weasyprint.formatting_structure.boxes import ReplacedBox, TableBox

    today = timezone.localdate()
    figures = gather(demo, today.replace(month=1, day=1), today)
    with translation.override(language):
        html = render_to_string(
            "reports/report_pdf.html", report_context(figures, show_officers=True, for_pdf=True)
        )
    document = HTML(string=html).render()
    tables = charts = 0
    for page in document.pages:
        body = page._page_box
        right = body.content_box_x() + body.width + 0.5  # half a point for rounding
        assert body.width < 630  # portrait A4 less the margins: 165 mm = 624 CSS px
        for box in boxes(body):
            if isinstance(box, TableBox | ReplacedBox):
                assert box.position_x + box.margin_width() <= right, (
                    box.element_tag,
                    box.element.get("id"),
                    "".join(box.element.itertext())[:80],
                )
                tables += isinstance(box, TableBox)
                charts += isinstance(box, ReplacedBox)
    assert tables >= 8 and charts >= 2
