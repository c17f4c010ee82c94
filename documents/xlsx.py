"""XLSX workbooks (openpyxl): one sheet per table, a bold frozen header row, widths to fit,
number formats, and an A4 print setup.

Every text cell — header or value — is written through `text_cell`, the one place a text is
turned into what the workbook stores (the neutralising of formula-like text goes there).
Numbers and dates are written as numbers and dates, with a format from `Formatted` or the
sheet's per-column formats.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Number formats (Excel and LibreOffice show the separators of the reader's locale).
INTEGER = "#,##0"
DECIMAL_2 = "0.00"
DECIMAL_3 = "0.000"
RUPIAH = '"Rp" #,##0'
MONTH = "mmmm yyyy"
DATE = "d mmmm yyyy"
DATETIME = "d mmmm yyyy hh:mm"
MAX_WIDTH = 60

# A cell whose text starts with one of these is run by a spreadsheet (a formula, a DDE call).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def inert_cell(value: Any) -> Any:
    """The value as a cell a spreadsheet will not run: the one function every export uses.

    Numbers, dates, booleans and empty cells stay typed. Text (and anything else, written as
    its text) that starts like a formula gets a leading apostrophe, OWASP's advice: it is then
    shown and kept as text, also when the sheet is saved as CSV and opened again.
    """
    if value is None or isinstance(
        value, bool | int | float | Decimal | datetime.date | datetime.time | datetime.timedelta
    ):
        return value
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


@dataclass(frozen=True)
class Formatted:
    """A value with its own number format, for a column that mixes kinds (a summary)."""

    value: object
    number_format: str


@dataclass
class Sheet:
    """A table: its header, its rows, and optionally a number format per column."""

    header: Sequence[str]
    rows: Iterable[Sequence]
    formats: Sequence[str | None] = ()


def text_cell(value: object) -> str:
    """The text a workbook stores for `value` (a str, a lazy translation, anything else),
    made inert where a spreadsheet would run it."""
    return inert_cell(str(value))


def _value(value: object) -> object:
    """What goes into the cell: numbers and dates as such, everything else as text."""
    if value is None or isinstance(value, bool | int | float | datetime.date):
        return value
    if isinstance(value, Decimal | Fraction):
        return float(value)
    return text_cell(value)  # str, a lazy translation (a choice label), anything else


def _shown_width(value: object, number_format: str | None) -> int:
    """About how many characters the cell shows."""
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return 18
    if isinstance(value, datetime.date):
        return 16 if number_format in (MONTH, DATE) else 10
    if isinstance(value, int | float):
        digits = len(f"{value:,.0f}")
        if number_format == RUPIAH:
            return digits + 3
        if number_format in (DECIMAL_2, DECIMAL_3):
            return digits + int(number_format[-1]) + 1
        return digits
    return max((len(line) for line in str(value).splitlines()), default=0)


def _print_setup(sheet: Worksheet, columns: int, total_width: float) -> None:
    """A4, one page wide, the header row repeated on every page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    wide = columns > 6 or total_width > 95
    sheet.page_setup.orientation = "landscape" if wide else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.print_options.gridLines = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6


def _add_sheet(book: Workbook, title: str, table: Sheet) -> None:
    sheet = book.create_sheet(title=text_cell(title)[:31])
    header = [text_cell(h) for h in table.header]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    formats = list(table.formats) + [None] * (len(header) - len(table.formats))
    widths = [min(MAX_WIDTH, max((len(w) for w in h.split()), default=0)) for h in header]
    for row in table.rows:
        cells = []
        for i, raw in enumerate(row):
            number_format = formats[i] if i < len(formats) else None
            if isinstance(raw, Formatted):
                raw, number_format = raw.value, raw.number_format
            cells.append((_value(raw), number_format))
        sheet.append([value for value, _f in cells])
        for i, (cell, (value, number_format)) in enumerate(
            zip(sheet[sheet.max_row], cells, strict=False)
        ):
            if number_format and value is not None and not isinstance(value, str):
                cell.number_format = number_format
            elif isinstance(value, datetime.datetime):
                cell.number_format = DATETIME
            elif isinstance(value, float):
                cell.number_format = DECIMAL_2
            if isinstance(value, str) and len(value) > MAX_WIDTH:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if i < len(widths):
                widths[i] = min(MAX_WIDTH, max(widths[i], _shown_width(value, number_format)))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(width, 6) + 2
    sheet.freeze_panes = "A2"
    _print_setup(sheet, len(header), sum(widths))


def build_workbook(sheets: dict[str, Sheet | tuple]) -> bytes:
    """`sheets` maps a sheet title to a `Sheet` (or a (header, rows) pair); the .xlsx bytes."""
    book = Workbook()
    book.remove(book.active)
    for title, table in sheets.items():
        _add_sheet(book, title, table if isinstance(table, Sheet) else Sheet(*table))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
