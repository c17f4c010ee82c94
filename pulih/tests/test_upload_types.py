"""Uploads are what their bytes say, once: a PDF that is also a web page is refused, and every
download is an attachment named after the detected type, never the uploader's `evil.html`."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pulih.lib.filetypes import download_name, is_polyglot

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
# A valid PDF header and trailer with an HTML page inside: browsers would render it.
POLYGLOTS = {
    "pdf+html": b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n"
    + PDF,
    "pdf+doctype": b"%PDF-1.4\n%<!DOCTYPE html>\n" + PDF,
    "png+svg": PNG + b"<svg onload=alert(1)>",
    "jpeg+zip": b"\xff\xd8\xff\xe0" + b"\x00" * 32 + b"PK\x03\x04" + b"\x00" * 32,
}
FORM = "/u/bpmp-kalteng/pengaduan/"


def post_public(client, files):
    page = client.get(FORM).content.decode()
    started = re.search(r'name="started" value="([^"]+)"', page).group(1)
    data = {"kind": "complaint", "text": "Antrean lama.", "name": "", "contact": ""}
    return client.post(FORM, {**data, "started": started, "attachments": files})


@pytest.mark.parametrize("kind", sorted(POLYGLOTS))
def test_the_public_form_refuses_a_file_that_is_two_types(client, unit, settings, kind):
    settings.COMPLAINT_MIN_FILL_SECONDS = 0
    from complaints.models import Complaint

    evil = SimpleUploadedFile("evil.html", POLYGLOTS[kind], content_type="application/pdf")
    response = post_public(client, [evil])
    assert response.status_code == 400
    assert "evil.html" in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_complaint_attachment_downloads_as_an_attachment_named_by_its_type(
    client, unit, people, settings
):
    from complaints import services

    complaint = services.submit_public_complaint(
        unit,
        text="Bukti terlampir.",
        attachments=[SimpleUploadedFile("evil.html", PDF, content_type="text/html")],
    )
    item = complaint.attachments.get()
    assert "evil" not in item.file.name and item.file.name.endswith(".pdf")
    client.force_login(people["head"])
    response = client.get(f"/pengaduan/{complaint.pk}/lampiran/{item.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="evil.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_download_names_are_safe_and_carry_the_detected_type():
    assert download_name("evil.html", "application/pdf") == "evil.pdf"
    assert download_name("../../etc/passwd", "image/png") == "passwd.png"
    assert download_name('a"b;c.pdf', "application/pdf") == "a_b_c.pdf"
    assert download_name("", "image/jpeg") == "lampiran.jpg"


def test_plain_files_are_not_polyglots():
    assert not is_polyglot(PDF)
    assert not is_polyglot(PNG)
