"""Reading the files units really have: CSV (UTF-8 with or without BOM, UTF-16, cp1252;
comma, semicolon or tab) and spreadsheets (XLSX, XLS, ODS through python-calamine).

`open_table(path)` looks at the file's bytes (never its name alone) and returns a `Table`
whose `rows()` can be read again and again, one row at a time. A file that cannot be read
raises `Unreadable` with one sentence for the person who sent it — never anything else.
CSV is streamed (memory flat in the file's size, a row's length bounded); a spreadsheet is
read by calamine a sheet at a time, so its size is bounded instead.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

MAX_FILE_BYTES = 50 * 1024 * 1024  # a CSV; larger files are refused with a sentence
MAX_SHEET_BYTES = 15 * 1024 * 1024  # a spreadsheet is unpacked whole: kept smaller
MAX_LINE_CHARS = 1_000_000  # one CSV row
MAX_COLUMNS = 300
MAX_CELL_CHARS = 100_000

Cell = str | int | float | bool | datetime.date | datetime.datetime | None

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class Unreadable(Exception):
    """The file cannot be read as a survey file; the message says why in one sentence."""


@dataclass
class Table:
    path: Path
    kind: str  # "csv" or "spreadsheet"
    encoding: str = ""
    delimiter: str = ","

    @property
    def description(self) -> str:
        if self.kind == "csv":
            names = {",": _("comma"), ";": _("semicolon"), "\t": _("tab")}
            return _("CSV, %(encoding)s, separated by %(delimiter)s") % {
                "encoding": self.encoding.upper(),
                "delimiter": names[self.delimiter],
            }
        return _("spreadsheet")

    def rows(self) -> Iterator[list[Cell]]:
        """The rows of the file's first sheet, trailing empty cells dropped. Raises Unreadable
        for a row too long or a cell the CSV reader cannot take."""
        if self.kind == "csv":
            return self._csv_rows()
        return self._sheet_rows()

    def _csv_rows(self) -> Iterator[list[Cell]]:
        with self.path.open("rb") as raw:
            text = io.TextIOWrapper(raw, encoding=self.encoding, newline="", errors="strict")
            reader = csv.reader(_bounded_lines(text), delimiter=self.delimiter, strict=False)
            try:
                for cells in reader:
                    # Most rows end in a filled cell (a CSV's cells are all text): as they are.
                    yield (
                        cells if cells and cells[-1] and len(cells) <= MAX_COLUMNS else _trim(cells)
                    )
            except csv.Error as exc:
                raise Unreadable(
                    _("Row %(row)s cannot be read as CSV (%(reason)s).")
                    % {"row": reader.line_num, "reason": exc}
                ) from None
            except UnicodeDecodeError:
                raise Unreadable(
                    _("The file is not text in a known encoding (UTF-8, UTF-16 or Windows-1252).")
                ) from None

    def _sheet_rows(self) -> Iterator[list[Cell]]:
        from python_calamine import CalamineWorkbook

        try:
            book = CalamineWorkbook.from_path(str(self.path))
            try:
                sheet = book.get_sheet_by_index(0)
                if sheet.width > MAX_COLUMNS:
                    raise Unreadable(_too_wide(sheet.width))
                rows = sheet.iter_rows()
            finally:
                book.close()
            for row in rows:
                yield _trim([_cell(v) for v in row])
        except Unreadable:
            raise
        except (KeyboardInterrupt, SystemExit, GeneratorExit):
            raise
        except BaseException:  # noqa: B036 (calamine's errors are many and untyped, and a
            # damaged file can make its Rust code panic: PanicException is a BaseException)
            raise Unreadable(
                _(
                    "The spreadsheet cannot be read: it is damaged, protected, "
                    "or not XLSX, XLS or ODS."
                )
            ) from None


def _too_wide(width: int) -> str:
    return _("The file has %(count)s columns; a survey file has at most %(max)s.") % {
        "count": width,
        "max": MAX_COLUMNS,
    }


def _cell(value: object) -> Cell:
    if isinstance(value, datetime.time | datetime.timedelta):
        return str(value)
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        return value[:MAX_CELL_CHARS]
    return value  # type: ignore[return-value]


def _trim(cells: list[Cell]) -> list[Cell]:
    end = len(cells)
    while end and (cells[end - 1] is None or cells[end - 1] == ""):
        end -= 1
    if end > MAX_COLUMNS:
        raise Unreadable(_too_wide(end))
    return cells[:end]


def _bounded_lines(text: io.TextIOBase) -> Iterator[str]:
    number = 0
    while True:
        line = text.readline(MAX_LINE_CHARS + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE_CHARS:
            raise Unreadable(
                _("Line %(line)s is longer than %(max)s characters: this is not a survey file.")
                % {"line": number, "max": f"{MAX_LINE_CHARS:,}"}
            )
        if "\x00" in line:
            raise Unreadable(_("The file is not a text or spreadsheet file."))
        yield line


def _text_encoding(path: Path, head: bytes) -> str:
    """utf-8-sig, utf-16 or cp1252, from a BOM or from decoding the whole file (streamed)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:4096]
    if len(sample) >= 4 and sample[1::2].count(0) > len(sample) // 4:
        return "utf-16-le"
    if len(sample) >= 4 and sample[0::2].count(0) > len(sample) // 4:
        return "utf-16-be"
    for encoding in ("utf-8", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise Unreadable(_("The file is not text in a known encoding (UTF-8, UTF-16 or Windows-1252)."))


def _delimiter(path: Path, encoding: str) -> str:
    """The separator the first line uses most: tab, semicolon or comma."""
    with path.open("r", encoding=encoding, newline="", errors="replace") as handle:
        line = handle.readline(MAX_LINE_CHARS)
    counts = {d: _count_outside_quotes(line, d) for d in ("\t", ";", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            count += 1
    return count


def open_table(path: str | Path) -> Table:
    """The file at `path` as a Table, or Unreadable with the reason in one sentence."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8192)
    except OSError:
        raise Unreadable(_("The file cannot be opened.")) from None
    if size > MAX_FILE_BYTES:
        raise Unreadable(
            _("The file is larger than %(max)s MB; split it into smaller files.")
            % {"max": MAX_FILE_BYTES // (1024 * 1024)}
        )
    if size == 0 or not head.strip(b" \t\r\n\x00" + codecs.BOM_UTF8):
        raise Unreadable(_("The file is empty."))
    if head.startswith((_ZIP, _OLE)):
        if size > MAX_SHEET_BYTES:
            raise Unreadable(
                _("The spreadsheet is larger than %(max)s MB; save it as CSV and import that.")
                % {"max": MAX_SHEET_BYTES // (1024 * 1024)}
            )
        return Table(path, "spreadsheet")
    encoding = _text_encoding(path, head)
    if encoding in ("utf-8", "cp1252") and b"\x00" in head:
        raise Unreadable(_("The file is not a text or spreadsheet file."))
    if encoding == "cp1252" and sum(b < 9 or 13 < b < 32 for b in head) > 8:
        raise Unreadable(_("The file is not a text or spreadsheet file."))
    return Table(path, "csv", encoding, _delimiter(path, encoding))
