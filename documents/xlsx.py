"""XLSX workbooks (openpyxl): one sheet per table, a bold frozen header row."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A cell whose text starts with one of these is run by a spreadsheet (a formula, a DDE call).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def inert_cell(value: Any) -> Any:
    """The value as a cell a spreadsheet will not run: the one function every export uses.

    Numbers, dates, booleans and empty cells stay typed. Text (and anything else, written as
    its text) that starts like a formula gets a leading apostrophe, OWASP's advice: it is then
    shown and kept as text, also when the sheet is saved as CSV and opened again.
    """
    if value is None or isinstance(value, bool | int | float | Decimal | date | time | timedelta):
        return value
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def build_workbook(sheets: dict[str, tuple[Sequence[str], Iterable[Sequence]]]) -> bytes:
    """`sheets` maps a sheet title to (header, rows); returns the .xlsx bytes."""
    book = Workbook(write_only=False)
    book.remove(book.active)
    for title, (header, rows) in sheets.items():
        sheet = book.create_sheet(title=title[:31])
        sheet.append([inert_cell(str(h)) for h in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        widths = [len(str(h)) for h in header]
        for row in rows:
            # Lazy translations (choice labels) are written as the text they stand for;
            # text that a spreadsheet would run is made inert.
            values = [inert_cell(v) for v in row]
            sheet.append(values)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
            for i, value in enumerate(values[: len(widths)]):
                widths[i] = min(60, max(widths[i], len(str(value)) if value is not None else 0))
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width + 2
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
