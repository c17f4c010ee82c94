import gc
import io
import shutil
import subprocess

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from documents.pdf import garbage_collected_once, render_pdf
from documents.xlsx import build_workbook


def test_letter_base_renders_a_real_pdf_with_the_letterhead(unit, tmp_path):
    pdf = render_pdf("documents/letter_base.html", {"unit": unit})
    assert pdf.startswith(b"%PDF-")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "BALAI PENJAMINAN MUTU PENDIDIKAN" in text


def test_a_render_leaves_the_garbage_collector_as_it_found_it(unit):
    """The collector is paused while a PDF renders; the process must get it back on, even when
    the render fails, and must not have it turned on when it was off."""
    assert gc.isenabled()
    render_pdf("documents/letter_base.html", {"unit": unit})
    assert gc.isenabled()
    with pytest.raises(RuntimeError), garbage_collected_once():
        with garbage_collected_once():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer render is still under way
        raise RuntimeError("the render failed")
    assert gc.isenabled()
    gc.disable()
    try:
        render_pdf("documents/letter_base.html", {"unit": unit})
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_pdf_turns_into_an_image(unit, tmp_path):
    (tmp_path / "x.pdf").write_bytes(render_pdf("documents/letter_base.html", {"unit": unit}))
    subprocess.run(["pdftoppm", "-png", "-r", "30", tmp_path / "x.pdf", tmp_path / "p"], check=True)
    assert list(tmp_path.glob("p*.png"))


def test_workbook_has_one_sheet_per_table():
    content = build_workbook(
        {"IKM": (["unsur", "nrr"], [["U1", 3.5]]), "Kasus": (["id"], [[1], [2]])}
    )
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["IKM", "Kasus"]
    assert [c.value for c in book["IKM"][2]] == ["U1", 3.5]
    assert book["Kasus"].max_row == 3
