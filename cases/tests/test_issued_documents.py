"""Issued documents are frozen (issue 12.1), verifiable from their QR code and sealed (12.2),
and written as Tata Naskah Dinas writes letters (15.1)."""

from __future__ import annotations

import base64
import datetime
import hashlib
import io
import re
import subprocess
from zoneinfo import ZoneInfo

import pytest
import segno
import time_machine
from django.contrib.admin.sites import site as admin_site
from django.core.files.base import ContentFile
from django.db.models import ProtectedError
from pypdf import PdfReader
from rest_framework.test import APIClient

from cases import workflow
from cases.models import CaseState, DocumentKind, IssuedDocument
from documents.qr import qr_code
from documents.signing import certificate_pem, check_seal, self_signed_pkcs12
from units.models import CompensationKind, LegalBasis, SanctionKind, Violation

S = CaseState
WIB = ZoneInfo("Asia/Jakarta")

# A 1×1 PNG: enough for a logo.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def text_of(pdf: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


def pdftotext(pdf: bytes) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return out.stdout.decode()


@pytest.fixture
def named(people):
    """NIPs and positions, as the letters print them."""
    for role, nip, position in [
        ("officer", "199005122015031002", "Pengelola Layanan"),
        ("head", "197010192002121002", ""),
        ("coordinator", "198004172005011003", "Koordinator ULT"),
    ]:
        people[role].nip = nip
        people[role].position = position
        people[role].save()
    return people


def web_get(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


def decree_of(case) -> IssuedDocument:
    return IssuedDocument.objects.get(case=case, kind=DocumentKind.DECREE)


# --- 12.1 frozen -------------------------------------------------------------------------------


def test_issuing_a_decree_stores_its_bytes_hash_snapshot_and_code(make_case, named, unit):
    case = make_case(S.COMPENSATION)
    document = decree_of(case)
    data = document.read()
    assert data.startswith(b"%PDF") and document.size == len(data)
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.number == case.decree.number
    assert len(document.verification_code) >= 24
    snapshot = document.snapshot
    assert [v["code"] for v in snapshot["violations"]] == ["v04", "v07"]
    assert snapshot["violations"][0]["text"] == Violation.objects.get(unit=unit, code="v04").text
    assert snapshot["sanction"]["code"] == "teguran-tertulis"
    assert snapshot["officer"] == {
        "name": "Oscar Officer",
        "nip": "199005122015031002",
        "position": "Pengelola Layanan",
    }
    assert snapshot["signer"]["name"] == "Hadi Kepala"
    assert snapshot["signer"]["nip"] == "197010192002121002"
    assert snapshot["signer"]["position"] == unit.head_title
    assert len(snapshot["legal_basis"]) == LegalBasis.objects.filter(unit=unit).count() > 0
    assert snapshot["letterhead"]["lines"][0] == unit.letterhead_lines.splitlines()[0]
    # The decree names the legal basis it quotes, so those entries are protected too.
    assert case.decree.legal_basis.count() == len(snapshot["legal_basis"])


def test_an_issued_document_is_never_changed_nor_deleted(make_case, people):
    document = decree_of(make_case(S.COMPENSATION))
    document.number = "changed"
    with pytest.raises(PermissionError):
        document.save()
    with pytest.raises(PermissionError):
        document.delete()


def test_the_sk_downloaded_after_every_quoted_entry_is_edited_and_retired_is_the_issued_one(
    make_case, named, unit, client
):
    case = make_case(S.COMPENSATION)
    issued = decree_of(case).read()
    web_before = web_get(client, named["head"], f"/kasus/{case.pk}/sk.pdf")
    api = APIClient()
    api.force_authenticate(named["coordinator"])
    api_before = api.get(f"/api/v1/cases/{case.pk}/decree.pdf").content
    assert web_before == api_before == issued

    # Every catalogue entry and every name the SK quotes is edited, then retired.
    for model in (Violation, LegalBasis):
        for entry in model.objects.filter(unit=unit):
            entry.text = "DIUBAH " + entry.text
            entry.active = False
            entry.save()
    for entry in SanctionKind.objects.filter(unit=unit):
        entry.name, entry.legal_reference, entry.active = "DIUBAH", "DIUBAH", False
        entry.save()
    unit.head_title = "DIUBAH"
    unit.letterhead_lines = "DIUBAH"
    unit.service_unit_name = "DIUBAH"
    unit.city = "DIUBAH"
    unit.logo.save("logo.png", ContentFile(PNG))
    unit.copy_recipients = "DIUBAH"
    unit.save()
    for user in named.values():
        user.full_name, user.nip, user.position = "DIUBAH", "DIUBAH", "DIUBAH"
        user.save()

    web_after = web_get(client, named["head"], f"/kasus/{case.pk}/sk.pdf")
    api_after = api.get(f"/api/v1/cases/{case.pk}/decree.pdf").content
    assert web_after == api_after == issued
    assert "DIUBAH" not in text_of(web_after)
    # The officer's own download is the same document too.
    assert web_get(client, named["officer"], f"/kasus/{case.pk}/sk.pdf") == issued


def test_the_apology_letter_and_the_hearing_record_are_frozen_too(make_case, named, unit, client):
    case = make_case(S.DELIVERY)
    apology = IssuedDocument.objects.get(case=case, kind=DocumentKind.APOLOGY)
    # Due process: the officer is summoned, and the hearing is recorded once its day has come.
    hearing_case = make_case(S.HEARING)
    summoned = datetime.datetime.now(WIB)
    workflow.summon_officer(
        hearing_case,
        actor=named["coordinator"],
        scheduled_at=summoned + datetime.timedelta(days=1),
        place="Ruang ULT",
    )
    with workflow.acting_at(summoned + datetime.timedelta(days=1, hours=1)):
        hearing = workflow.record_hearing(
            hearing_case,
            actor=named["coordinator"],
            explanation="Antrean panjang.",
            defence="Lelah.",
        )
    record = hearing.documents.get(kind=DocumentKind.HEARING_RECORD)
    for kind in CompensationKind.objects.filter(unit=unit):
        kind.name, kind.active = "DIUBAH", False
        kind.save()
    named["officer"].full_name = "DIUBAH"
    named["officer"].save()
    assert web_get(client, named["coordinator"], f"/kasus/{case.pk}/surat-maaf.pdf") == (
        apology.read()
    )
    url = f"/kasus/{hearing_case.pk}/dokumen/{record.pk}.pdf"
    assert web_get(client, named["coordinator"], url) == record.read()
    assert web_get(client, named["officer"], url) == record.read()  # the officer's own BAP


def test_catalogue_entries_in_use_cannot_be_deleted_only_retired(make_case, people, unit):
    make_case(S.DELIVERY)
    for model, code in [
        (Violation, "v04"),
        (SanctionKind, "teguran-tertulis"),
        (CompensationKind, "permintaan-maaf"),
        (LegalBasis, LegalBasis.objects.filter(unit=unit).first().code),
    ]:
        entry = model.objects.get(unit=unit, code=code)
        with pytest.raises(ProtectedError):
            entry.delete()
        entry.active = False
        entry.save()  # retiring is allowed
    # A retired entry is no longer offered for a new proposal.
    from cases.forms import ACTION_FORMS

    form = ACTION_FORMS["propose"](unit=unit, prefix="propose")
    choices = [str(value) for value, _label in form.fields["violations"].choices]
    assert "v04" not in choices and "v07" in choices


def test_the_admin_says_why_an_entry_in_use_cannot_be_deleted(make_case, unit, client):
    from units.models import User

    make_case(S.VERIFICATION)
    admin = User.objects.create_superuser("root", "root@pulih.test", "x")
    client.force_login(admin)
    violation = Violation.objects.get(unit=unit, code="v04")
    response = client.post(
        f"/admin/units/violation/{violation.pk}/delete/", {"post": "yes"}, follow=True
    )
    assert Violation.objects.filter(pk=violation.pk).exists()
    page = response.content.decode()
    assert "cannot be deleted" in page or "tidak dapat dihapus" in page
    assert admin_site.is_registered(Violation)


def test_a_decree_issued_before_documents_were_stored_is_frozen_at_its_first_download(
    make_case, people, client
):
    case = make_case(S.COMPENSATION)
    IssuedDocument.objects.filter(case=case).delete()  # as before this version (queryset delete)
    first = web_get(client, people["head"], f"/kasus/{case.pk}/sk.pdf")
    Violation.objects.filter(code="v04").update(text="DIUBAH")
    second = web_get(client, people["head"], f"/kasus/{case.pk}/sk.pdf")
    assert first == second
    document = decree_of(case)
    assert document.snapshot["frozen_at_first_download"] is True
    assert document.read() == first


def test_freeze_documents_stores_the_older_decrees_and_letters_at_once(make_case, people):
    from django.core.management import call_command

    case = make_case(S.DELIVERY)
    IssuedDocument.objects.filter(case=case).delete()  # as before this version
    call_command("freeze_documents", stdout=io.StringIO())
    kinds = set(IssuedDocument.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == {DocumentKind.DECREE, DocumentKind.APOLOGY}
    out = io.StringIO()
    call_command("freeze_documents", stdout=out)
    assert out.getvalue().startswith("0 decrees, 0 apology letters")


# --- 12.2 verification and seal ----------------------------------------------------------------


def qr_matrix_in(pdf: bytes) -> list[list[bool]]:
    """The QR image embedded in the PDF, one pixel per module, as dark/light rows."""
    from PIL import Image

    images = {i.data: i for page in PdfReader(io.BytesIO(pdf)).pages for i in page.images}
    qr = [i for i in images.values() if i.image.size[0] == i.image.size[1] > 20]
    assert len(qr) == 1
    image: Image.Image = qr[0].image.convert("L")
    width = image.size[0]
    return [[image.getpixel((x, y)) < 128 for x in range(width)] for y in range(width)]


def test_the_verification_page_round_trip_from_the_printed_sk(make_case, named, unit, client):
    case = make_case(S.COMPENSATION)
    document = decree_of(case)
    pdf = document.read()
    printed = pdftotext(pdf)
    url = re.search(r"https?://\S+/verifikasi/[\w-]+/", printed).group(0)
    assert url.endswith(f"/verifikasi/{document.verification_code}/")
    # The QR code beside it encodes exactly that address.
    expected = [[bool(m) for m in row] for row in qr_code(url).matrix_iter(border=4)]
    assert qr_matrix_in(pdf) == expected
    assert segno.make(url, error="m").designator == qr_code(url).designator

    client.logout()
    path = url[url.index("/verifikasi/") :]
    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    for shown in [unit.name, document.number, document.sha256, unit.head_title, "14"]:
        assert shown in html or shown == "14"
    assert hashlib.sha256(pdf).hexdigest() in html
    customer_name, contact = case.customer
    for hidden in [customer_name, contact, "Oscar Officer", "199005122015031002"]:
        assert hidden not in html
    assert client.get("/verifikasi/tebakan-saja/").status_code == 404


@pytest.fixture
def sealing_unit(unit):
    pkcs12 = self_signed_pkcs12("Kepala BPMP", unit.name, "rahasia-demo")
    unit.signing_certificate.save("segel.p12", ContentFile(pkcs12))
    unit.signing_passphrase = "rahasia-demo"
    unit.save()
    return certificate_pem(pkcs12, "rahasia-demo")


def test_a_unit_with_a_certificate_seals_the_sk_with_pades(make_case, people, sealing_unit, client):
    case = make_case(S.COMPENSATION)
    document = decree_of(case)
    pdf = web_get(client, people["head"], f"/kasus/{case.pk}/sk.pdf")
    api = APIClient()
    api.force_authenticate(people["coordinator"])
    assert api.get(f"/api/v1/cases/{case.pk}/decree.pdf").content == pdf  # the same sealed bytes
    assert document.signed
    check = check_seal(pdf, [sealing_unit])
    assert check.ok, check
    assert "Kepala BPMP" in check.signer
    # One changed byte inside the signed range breaks it.
    changed = bytearray(pdf)
    position = len(pdf) // 3
    changed[position] = (changed[position] + 1) % 256
    broken = check_seal(bytes(changed), [sealing_unit])
    assert not broken.ok and not broken.intact
    page = client.get(f"/verifikasi/{document.verification_code}/").content.decode()
    assert "PAdES" in page


def test_a_unit_without_a_certificate_issues_unsealed_documents(make_case, people):
    document = decree_of(make_case(S.COMPENSATION))
    assert not document.signed
    assert not check_seal(document.read()).signed


def test_a_broken_certificate_does_not_stop_the_decree(make_case, people, unit):
    unit.signing_certificate.save("rusak.p12", ContentFile(b"not a certificate"))
    unit.save()
    document = decree_of(make_case(S.COMPENSATION))
    assert not document.signed


def test_the_api_gives_the_sk_hash_and_its_verification_address(make_case, people):
    case = make_case(S.COMPENSATION)
    api = APIClient()
    api.force_authenticate(people["coordinator"])
    decree = api.get(f"/api/v1/cases/{case.pk}/").json()["decree"]
    document = decree_of(case)
    assert decree["sha256"] == document.sha256
    assert decree["verification_url"].endswith(f"/verifikasi/{document.verification_code}/")
    pdf = api.get(f"/api/v1/cases/{case.pk}/decree.pdf").content
    assert hashlib.sha256(pdf).hexdigest() == decree["sha256"]


# --- 15.1 letters as Tata Naskah Dinas writes them --------------------------------------------


def test_the_sk_reads_as_an_official_decree_with_letterhead_logo_and_tembusan(
    make_case, named, unit
):
    unit.logo.save("logo.png", ContentFile(PNG))
    unit.copy_recipients = "Inspektorat Jenderal Kemendikdasmen\nArsip"
    unit.save()
    with time_machine.travel(datetime.datetime(2026, 8, 14, 9, tzinfo=WIB), tick=False):
        case = make_case(S.COMPENSATION)
    document = decree_of(case)
    text = text_of(document.read())
    for expected in [
        "KEPUTUSAN KEPALA",
        "NOMOR 0001/C7.22/OT.02.02/2026",
        "Ditetapkan di Palangka Raya",
        "14 Agustus 2026",
        "Hadi Kepala",
        "NIP 197010192002121002",
        "199005122015031002",
        "Tembusan",
        "Inspektorat Jenderal Kemendikdasmen",
        "verifikasi",
    ]:
        assert expected in text, expected
    assert document.snapshot["letterhead"]["logo"].startswith("data:image/png;base64,")
    pages = PdfReader(io.BytesIO(document.read())).pages
    images = {i.data for page in pages for i in page.images}
    assert len(images) == 2  # the logo and the QR code


def test_the_apology_letter_is_numbered_and_addressed_yth(make_case, named, unit):
    with time_machine.travel(datetime.datetime(2026, 8, 14, 9, tzinfo=WIB), tick=False):
        case = make_case(S.DELIVERY)
    document = IssuedDocument.objects.get(case=case, kind=DocumentKind.APOLOGY)
    assert document.number == "0001/C7.22/HM.02.01/2026"
    text = text_of(document.read())
    for expected in [
        "Nomor : 0001/C7.22/HM.02.01/2026",
        "Hal : Permohonan maaf dan kompensasi",
        "Yth.",
        "Bapak/Ibu Budi Santoso",
        "Palangka Raya, 14 Agustus 2026",
        "Cici Koordinator",
        "NIP 198004172005011003",
        "Koordinator ULT",
    ]:
        assert expected.split(" : ")[-1] in text, expected
    assert "Sampai" not in text


def test_the_summons_and_the_hearing_record_are_numbered_letters(make_case, named, unit):
    case = make_case(S.HEARING)
    with time_machine.travel(datetime.datetime(2026, 8, 14, 9, tzinfo=WIB), tick=False):
        hearing = workflow.summon_officer(
            case,
            actor=named["coordinator"],
            scheduled_at=datetime.datetime(2026, 8, 17, 9, 30, tzinfo=WIB),
            place="Ruang rapat ULT",
        )
    with time_machine.travel(datetime.datetime(2026, 8, 17, 11, tzinfo=WIB), tick=False):
        workflow.record_hearing(
            case, actor=named["coordinator"], explanation="Antrean panjang.", defence="Lelah."
        )
    summons = hearing.documents.get(kind=DocumentKind.SUMMONS)
    record = hearing.documents.get(kind=DocumentKind.HEARING_RECORD)
    assert summons.number == "0001/C7.22/KP.07.02/2026"
    assert record.number == "0001/C7.22/KP.07.03/2026"
    text = text_of(summons.read())
    for expected in [
        summons.number,
        "Panggilan",
        "Yth.",
        "Oscar Officer",
        "Senin, 17 Agustus 2026",
        "09.30",
        "Ruang rapat ULT",
        "Cici Koordinator",
        "NIP 198004172005011003",
    ]:
        assert expected in text, expected
    text = text_of(record.read())
    for expected in [
        "BERITA ACARA PEMERIKSAAN",
        record.number,
        f"Surat Panggilan Nomor {summons.number}",
        "Senin, tanggal 17 Agustus 2026",
        "Ruang rapat ULT",
        "Antrean panjang.",
        "Lelah.",
        "Yang diperiksa",
        "Yang memeriksa",
        "NIP 199005122015031002",
        "NIP 198004172005011003",
    ]:
        assert expected in text, expected


# --- 15.4 the head previews the SK and confirms it ---------------------------------------------


def test_the_head_previews_the_sk_as_a_draft_that_is_not_stored(make_case, named, client):
    case = make_case(S.DECISION)
    client.force_login(named["head"])
    detail = client.get(f"/kasus/{case.pk}/").content.decode()
    assert f"/kasus/{case.pk}/sk-draf.pdf" in detail
    response = client.get(f"/kasus/{case.pk}/sk-draf.pdf")
    assert response.status_code == 200
    text = text_of(response.content)
    assert "DRAF" in text and "Oscar Officer" in text and "Hadi Kepala" in text
    assert "/verifikasi/" not in text
    # Rendered, not issued: no SK stored (the summons and hearing record of due process are).
    assert not IssuedDocument.objects.filter(case=case, kind=DocumentKind.DECREE).exists()
    client.force_login(named["coordinator"])
    assert client.get(f"/kasus/{case.pk}/sk-draf.pdf").status_code in (403, 404)
    # The draft takes no number: the SK the head then confirms is the unit's first.
    client.force_login(named["head"])
    detail = client.get(f"/kasus/{case.pk}/").content.decode()
    preview, confirm = detail.index("decree-preview"), detail.index('name="decide-confirm"')
    assert preview < confirm  # the draft is offered where the head confirms it
    issued = client.post(
        f"/kasus/{case.pk}/aksi/decide/", {"decide-decision": "issue", "decide-confirm": "on"}
    )
    assert issued.status_code == 302
    assert decree_of(case).number.startswith("0001/")


def test_the_head_issues_the_sk_only_after_confirming_the_draft(make_case, named, client):
    case = make_case(S.DECISION)
    client.force_login(named["head"])
    url = f"/kasus/{case.pk}/aksi/decide/"
    unconfirmed = client.post(url, {"decide-decision": "issue"})
    assert unconfirmed.status_code == 400
    assert "konfirmasi" in unconfirmed.content.decode().lower()
    case.refresh_from_db()
    assert case.state == S.DECISION
    confirmed = client.post(url, {"decide-decision": "issue", "decide-confirm": "on"})
    assert confirmed.status_code == 302
    case.refresh_from_db()
    assert case.state == S.COMPENSATION
    assert decree_of(case).number == case.decree.number
