"""The XLSX report reads like the office's own: Indonesian headers, months as dates, numbers
with their formats, a frozen header, widths, and an A4 print setup on every sheet."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from openpyxl import load_workbook

from complaints.models import ComplaintChannel, ComplaintStatus
from documents.xlsx import DECIMAL_2, DECIMAL_3, MONTH, RUPIAH
from reports.figures import gather
from reports.render import report_xlsx


@pytest.fixture
def book(unit):
    call_command("demo_data", password="demo-pass-123", stdout=io.StringIO())
    today = timezone.localdate()
    figures = gather(unit, today.replace(month=1, day=1), today)
    with translation.override("id"):
        return load_workbook(io.BytesIO(report_xlsx(figures)))


def test_complaint_headers_are_names_never_codes(book, unit):
    header = [c.value for c in book["Pengaduan"][1]]
    codes = set(ComplaintChannel.objects.filter(unit=unit).values_list("code", flat=True))
    codes |= set(ComplaintStatus.values)
    assert not codes & set(header)
    assert {c.name for c in ComplaintChannel.objects.filter(unit=unit)} <= set(header)
    with translation.override("id"):
        assert str(ComplaintStatus.IN_PROGRESS.label) in header


def test_months_are_dates_and_numbers_carry_their_formats(book):
    month = book["Pengaduan"]["A2"]
    assert isinstance(month.value, datetime.datetime) and month.value.day == 1
    assert month.number_format == MONTH
    elements = book["Unsur IKM"]
    assert elements["E2"].number_format == DECIMAL_3
    assert isinstance(elements["E2"].value, float)
    per_month = book["IKM per bulan"]
    assert per_month["A2"].number_format == MONTH
    assert per_month["C2"].number_format == DECIMAL_2
    summary = {row[0].value: row[1] for row in book["Ringkasan"].iter_rows(min_row=2)}
    assert summary["Nilai IKM"].number_format == DECIMAL_2
    assert summary["Anggaran kompensasi"].number_format == RUPIAH
    assert summary["Anggaran kompensasi"].value == 5_000_000


def test_every_sheet_has_a_frozen_header_widths_and_an_a4_print_setup(book):
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert all(c.font.bold for c in sheet[1])
        assert sheet.column_dimensions["A"].width >= 8
        assert int(sheet.page_setup.paperSize) == 9  # A4
        assert int(sheet.page_setup.fitToWidth) == 1
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$1:$1"
    assert book["Pengaduan"].page_setup.orientation == "landscape"
