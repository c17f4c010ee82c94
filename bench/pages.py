"""The floors of `make bench`'s page and PDF figures:

- `framework_floor`: a minimal signed-in page on Pulih's base template — the session, the
  user, the unit context processor, the navigation, the template engine and nothing else —
  served by the same gunicorn, settings and middleware as Pulih (bench/urls.py mounts it;
  Pulih's own URLs know nothing of it). The dashboard, the daily check and the organisation
  dashboard are judged against its p95.
- `render_reference_letter`: WeasyPrint rendering one fixed one-page letter
  (REFERENCE_LETTER, no database, no Pulih template). The decree and report PDFs, rendered
  in the same process in turn with them, are judged per page against its time.
"""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

REFERENCE_LETTER = """<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>Surat</title>
<style>
@page { size: A4; margin: 2cm 2cm 2cm 2.5cm;
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; } }
body { font-family: "Liberation Serif", "DejaVu Serif", serif; font-size: 11.5pt;
  line-height: 1.4; }
.kop { border-bottom: 3px double #000; padding-bottom: 6pt; margin-bottom: 14pt;
  text-align: center; }
.kop .l1 { font-size: 14pt; font-weight: bold; }
.kop .small { font-size: 8.5pt; }
h1 { font-size: 12.5pt; text-align: center; margin: 0; text-transform: uppercase; }
.number { text-align: center; margin: 2pt 0 12pt; }
table.data { border-collapse: collapse; width: 100%; }
table.data th, table.data td { border: 0.6pt solid #000; padding: 3pt 5pt; font-size: 10pt; }
table.data th { background: #eee; }
.signature { margin-left: 55%; margin-top: 18pt; }
.signature .space { height: 48pt; }
</style></head><body>
<div class="kop"><div class="l1">KEMENTERIAN CONTOH</div><div class="l1">BALAI LAYANAN CONTOH</div>
<div class="small">Jalan Contoh No. 1, Kota Contoh 10110 · Telepon (021) 000000</div></div>
<h1>Surat Keterangan</h1>
<p class="number">Nomor: 001/BLC/XII/2026</p>
<p>Yth. Bapak/Ibu Pelanggan<br>di tempat</p>
<p>Dengan hormat, bersama surat ini kami sampaikan hasil tindak lanjut atas penilaian Bapak/Ibu
terhadap layanan kami. Penilaian tersebut telah kami periksa sesuai dengan standar pelayanan
yang berlaku, dan hasilnya kami sampaikan pada tabel berikut.</p>
<table class="data"><tr><th>No.</th><th>Uraian</th><th>Keterangan</th></tr>
<tr><td>1</td><td>Tanggal layanan</td><td>1 Desember 2026</td></tr>
<tr><td>2</td><td>Jenis layanan</td><td>Layanan informasi</td></tr>
<tr><td>3</td><td>Tindak lanjut</td><td>Pembinaan petugas dan perbaikan prosedur</td></tr></table>
<p>Atas perhatian dan kerja sama Bapak/Ibu, kami mengucapkan terima kasih.</p>
<div class="signature"><p>Kota Contoh, 2 Desember 2026</p><p>Kepala Balai,</p>
<div class="space"></div><p><strong>Nama Pejabat</strong><br>NIP 197001012000011001</p></div>
</body></html>
"""


def pdf_pages(pdf: bytes) -> int:
    """How many pages a PDF holds."""
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def render_reference_letter() -> bytes:
    from weasyprint import HTML

    return HTML(string=REFERENCE_LETTER, base_url=None).write_pdf()


@require_GET
@login_required
def framework_floor(request: HttpRequest) -> HttpResponse:
    return render(request, "bench/framework_floor.html")
