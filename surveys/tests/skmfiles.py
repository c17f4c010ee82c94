"""Survey files written the way Google Forms, Google Sheets (Indonesian and English locales)
and Excel write them, from one set of answers, for the import tests.

`write(variant, directory)` writes one file and returns its path; `VARIANTS` names them all.
Every variant holds the same twelve responses (13 in `ambiguous`, whose days are all ≤ 12),
so each gives the same IKM: `EXPECTED_SCORE` (or `SHORT_SCORE` without U4).
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import zipfile
from pathlib import Path

from surveys.ikm import ANSWER_LABELS

CODES = [f"U{i}" for i in range(1, 10)]

REGULATION = {  # the regulation's appendix; U7 copied without "tentang"
    "U1": "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis "
    "pelayanannya?",
    "U2": "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
    "U3": "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
    "U4": "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
    "U5": "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum "
    "dalam standar pelayanan dengan hasil yang diberikan?",
    "U6": "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
    "U7": "Bagaimana pendapat Saudara perilaku petugas dalam pelayanan terkait kesopanan dan "
    "keramahan?",
    "U8": "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
    "U9": "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
}
SHORT = {
    "U1": "Persyaratan",
    "U2": "Sistem, Mekanisme, dan Prosedur",
    "U3": "Waktu Penyelesaian",
    "U4": "Biaya/Tarif",
    "U5": "Produk Spesifikasi Jenis Pelayanan",
    "U6": "Kompetensi Pelaksana",
    "U7": "Perilaku Pelaksana",
    "U8": "Sarana dan Prasarana",
    "U9": "Penanganan Pengaduan, Saran dan Masukan",
}
GRID = {c: f"Penilaian terhadap pelayanan kami [{SHORT[c]}]" for c in CODES}
GENERIC_BAIK = ["Tidak Baik", "Kurang Baik", "Baik", "Sangat Baik"]
GENERIC_PUAS = ["TIDAK PUAS", "kurang puas", "Puas", "Sangat Puas"]
PROFILE_HEADERS = ["Jenis Kelamin", "Usia", "Pendidikan Terakhir", "Pekerjaan"]
OFFICER_NAMES = ["Drs. Oscar Officer, M.Si.", "Olive Officer, S.Kom.", "olive", ""]


def responses(ambiguous: bool = False) -> list[dict]:
    """The answers: 12 respondents on 3–14 November 2026 (13 on 1–12 November, ambiguous)."""
    rows = []
    count = 13 if ambiguous else 12
    for i in range(count):
        day = (1 if ambiguous else 3) + (i % 12)
        moment = datetime.datetime(2026, 11, day, 9 + i % 8, 14, 22)  # noqa: DTZ001 (local)
        scores = {c: (i * 5 + k * 3 + (i * k) % 3) % 4 + 1 for k, c in enumerate(CODES)}
        scores = {c: max(s, 3) if c in ("U1", "U2", "U5", "U6", "U7") else s
                  for c, s in scores.items()}  # fmt: skip
        rows.append(
            {
                "at": moment,
                "service": "Layanan informasi" if i % 3 else "",
                "officer": OFFICER_NAMES[i % 4],
                "scores": scores,
                "comment": "Ruang tunggu nyaman — terima kasih, café dekat" if i % 5 == 0 else "",
                "profile": [
                    ["Laki-laki", "Perempuan"][i % 2],
                    ["20–29 tahun", "30–39 tahun", "40–49 tahun"][i % 3],
                    ["SMA", "S1", "D1-D3-D4"][i % 3],
                    ["Pegawai swasta", "PNS/TNI/Polri", "Wiraswasta/Usahawan", "Lainnya"][i % 4],
                ],
            }
        )
    return rows


# The IKM of `responses()` (12 respondents, nine elements), checked by compute_ikm in the tests.
EXPECTED_SCORE = "72.92"
SHORT_SCORE = "74.22"  # the same without U4
AMBIGUOUS_SCORE = "72.65"


def _table(
    *,
    questions: dict[str, str],
    stamp,
    answer,
    codes=CODES,
    ambiguous: bool = False,
    timestamp: str = "Timestamp",
    officer: str = "Nama Petugas yang melayani",
    comment: str = "Saran dan masukan untuk perbaikan pelayanan kami",
    extra_first: list[str] | None = None,
) -> list[list[object]]:
    header = [timestamp, *(extra_first or []), "Jenis layanan", officer]
    header += [questions[c] for c in codes] + [comment] + PROFILE_HEADERS
    rows = [header]
    for r in responses(ambiguous):
        row = [stamp(r["at"]), *([""] * len(extra_first or [])), r["service"], r["officer"]]
        row += [answer(c, r["scores"][c]) for c in codes]
        row += [r["comment"], *r["profile"]]
        rows.append(row)
    return rows


def _labels(code: str, score: int) -> str:
    return ANSWER_LABELS[code][score - 1]


def _csv_bytes(rows, *, delimiter=",", encoding="utf-8", bom=b"") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return bom + out.getvalue().encode(encoding)


def _write_xlsx(path: Path, rows, *, title: str | None = None) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Form Responses 1"
    if title:  # a title merged above the header, as recaps in Excel often have
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
        sheet.append([])
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=3 if title else 2):
        cells[0].number_format = "dd/mm/yyyy hh:mm:ss"
    book.save(path)


def _write_xls(path: Path, rows) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    dates = xlwt.easyxf(num_format_str="DD/MM/YYYY HH:MM:SS")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, datetime.datetime):
                sheet.write(r, c, value, dates)
            else:
                sheet.write(r, c, value)
    book.save(str(path))


def _write_ods(path: Path, rows) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Sheet1")
    for row in rows:
        tr = TableRow()
        for value in row:
            if isinstance(value, datetime.datetime):
                cell = TableCell(valuetype="date", datevalue=value.isoformat())
                cell.addElement(P(text=value.strftime("%d/%m/%Y %H:%M:%S")))
            elif isinstance(value, int):
                cell = TableCell(valuetype="float", value=value)
                cell.addElement(P(text=str(value)))
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))


def _forms_stamp(moment: datetime.datetime) -> str:  # Google Forms' CSV download
    return moment.strftime("%Y/%m/%d %-I:%M:%S %p") + " GMT+7"


def _forms_stamp_id(moment: datetime.datetime) -> str:
    return moment.strftime("%Y/%m/%d %-H:%M:%S") + " GMT+7"


def _dmy(moment: datetime.datetime) -> str:  # Sheets, id-ID: 3/11/2026 9:14:22
    return f"{moment.day}/{moment.month}/{moment.year} {moment:%-H:%M:%S}"


def _mdy(moment: datetime.datetime) -> str:  # Sheets, en-US: 11/3/2026 9:14:22
    return f"{moment.month}/{moment.day}/{moment.year} {moment:%-H:%M:%S}"


def _excel_dmy(moment: datetime.datetime) -> str:  # Excel, id-ID, "CSV (Comma delimited)"
    return moment.strftime("%d/%m/%Y %H:%M:%S")


def _build(variant: str) -> tuple[str, object]:
    """(file name, bytes or a writer function) of one variant."""
    if variant == "forms_id":  # Forms download, Indonesian: element labels, Y/M/D GMT+7
        rows = _table(questions=REGULATION, stamp=_forms_stamp_id, answer=_labels,
                      timestamp="Stempel waktu")  # fmt: skip
        return "forms_id.csv", _csv_bytes(rows)
    if variant == "forms_en":  # Forms download, English: AM/PM, generic Baik labels
        rows = _table(questions=REGULATION, stamp=_forms_stamp,
                      answer=lambda c, s: GENERIC_BAIK[s - 1])  # fmt: skip
        return "forms_en.csv", _csv_bytes(rows)
    if variant == "sheets_id":  # Sheets, id-ID: d/m/yyyy, grid headers, Puas labels
        rows = _table(questions=GRID, stamp=_dmy, answer=lambda c, s: GENERIC_PUAS[s - 1],
                      timestamp="Cap waktu")  # fmt: skip
        return "sheets_id.csv", _csv_bytes(rows)
    if variant == "sheets_en":  # Sheets, en-US: m/d/yyyy, numbers
        rows = _table(questions=REGULATION, stamp=_mdy, answer=lambda c, s: s)
        return "sheets_en.csv", _csv_bytes(rows)
    if variant == "excel_cp1252":  # Excel (Windows, id-ID): cp1252, semicolons
        rows = _table(questions=SHORT, stamp=_excel_dmy, answer=_labels, timestamp="Tanggal")
        return "excel_cp1252.csv", _csv_bytes(rows, delimiter=";", encoding="cp1252")
    if variant == "excel_utf8_bom":  # Excel "CSV UTF-8": BOM, commas, en-US dates
        rows = _table(questions=SHORT, stamp=lambda m: _mdy(m)[:-3], answer=lambda c, s: s,
                      timestamp="Tanggal")  # fmt: skip
        return "excel_utf8_bom.csv", _csv_bytes(rows, bom=codecs.BOM_UTF8)
    if variant == "excel_utf16_tab":  # Excel "Unicode Text": UTF-16 LE with BOM, tabs
        rows = _table(questions=SHORT, stamp=_dmy, answer=_labels, timestamp="Tanggal")
        data = _csv_bytes(rows, delimiter="\t", encoding="utf-16-le", bom=codecs.BOM_UTF16_LE)
        return "excel_unicode.txt", data
    if variant == "short_u4":  # a form without the tariff question
        codes = [c for c in CODES if c != "U4"]
        rows = _table(questions=REGULATION, stamp=_dmy, answer=_labels, codes=codes)
        return "short_u4.csv", _csv_bytes(rows)
    if variant == "ambiguous":  # every day ≤ 12: the order must be given
        rows = _table(questions=GRID, stamp=_mdy, answer=lambda c, s: GENERIC_BAIK[s - 1],
                      ambiguous=True)  # fmt: skip
        return "ambiguous.csv", _csv_bytes(rows)
    sheet_rows = _table(questions=SHORT, stamp=lambda m: m, answer=lambda c, s: s)
    if variant == "xlsx":
        return "recap.xlsx", lambda p: _write_xlsx(p, sheet_rows, title="REKAP SKM 2026")
    if variant == "xls":
        return "recap.xls", lambda p: _write_xls(p, sheet_rows)
    if variant == "ods":
        return "recap.ods", lambda p: _write_ods(p, sheet_rows)
    raise ValueError(variant)


VARIANTS = [
    "forms_id",
    "forms_en",
    "sheets_id",
    "sheets_en",
    "excel_cp1252",
    "excel_utf8_bom",
    "excel_utf16_tab",
    "xlsx",
    "xls",
    "ods",
]


def write(variant: str, directory: Path) -> Path:
    name, content = _build(variant)
    path = Path(directory) / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        content(path)
    return path


def zip_bomb_free_garbage(directory: Path) -> Path:
    """A ZIP that is no spreadsheet (the reader must say so in one sentence)."""
    path = Path(directory) / "not-a-sheet.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hello")
    return path
