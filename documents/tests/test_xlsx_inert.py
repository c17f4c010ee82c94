"""Every XLSX Pulih writes keeps text as text: nothing a customer types is run by a spreadsheet."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from documents.xlsx import build_workbook, inert_cell

ATTACK = "=cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    "text", [ATTACK, "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1", '=HYPERLINK("x")']
)
def test_text_that_would_run_is_written_as_inert_text(text):
    content = build_workbook({"S": (["h"], [[text]])})
    cell = load_workbook(io.BytesIO(content))["S"]["A2"]
    assert cell.data_type == "s"
    assert cell.value == "'" + text


def test_numbers_dates_and_plain_text_stay_as_they_are():
    when = datetime.datetime(2026, 3, 1, 9, 30)
    row = [3.5, 7, -4, Decimal("12.50"), when, datetime.date(2026, 3, 2), "Biasa saja", None, True]
    content = build_workbook({"S": (["a"] * len(row), [row])})
    cells = list(load_workbook(io.BytesIO(content))["S"].iter_rows(min_row=2))[0]
    assert [c.value for c in cells] == [
        3.5,
        7,
        -4,
        12.5,
        when,
        datetime.datetime(2026, 3, 2),
        "Biasa saja",
        None,
        True,
    ]
    assert [c.data_type for c in cells[:4]] == ["n"] * 4
    assert cells[4].is_date and cells[5].is_date


def test_a_header_is_inert_too():
    content = build_workbook({"S": ([ATTACK], [])})
    assert load_workbook(io.BytesIO(content))["S"]["A1"].value == "'" + ATTACK


def test_inert_cell_is_the_one_rule():
    assert inert_cell(ATTACK) == "'" + ATTACK
    assert inert_cell(-5) == -5
    assert inert_cell("a=b") == "a=b"
