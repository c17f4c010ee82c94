"""Fixtures of the complaint register: files of each kind, complaints, a quick public form."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def media_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def quick_form(settings):
    """The public form without its minimum fill time (tested on its own)."""
    settings.COMPLAINT_MIN_FILL_SECONDS = 0


@pytest.fixture
def make_complaint(unit):
    from complaints import services

    def make(**kwargs):
        kwargs.setdefault("text", "Pelayanan lambat sekali.")
        return services.submit_public_complaint(unit, **kwargs)

    return make


@pytest.fixture
def complaint(make_complaint):
    return make_complaint(name="Rahmat", contact="rahmat@contoh.id")


@pytest.fixture
def recorded(unit, people, service_type):
    """A complaint recorded by the back office, with an attachment."""
    from complaints import services

    return services.record_complaint(
        unit,
        actor=people["back_office"],
        channel="letter",
        text="Surat pengaduan tentang antrean.",
        name="Sri",
        contact="0812000111",
        service_type=service_type,
        attachments=[upload("surat.pdf", PDF, "application/pdf")],
    )


def xlsx_rows(content: bytes) -> list[tuple]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    return list(book.worksheets[0].iter_rows(values_only=True))
