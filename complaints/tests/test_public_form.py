"""The public complaint form: no login, uploads checked by content, abuse kept out."""

import re

import pytest
import time_machine
from django.test import Client

from complaints.models import Complaint, ComplaintAttachment
from complaints.tests.conftest import EXE, JPEG, PDF, PNG, media_files, upload
from units.models import ComplaintChannel

URL = "/u/bpmp-kalteng/pengaduan/"


def fields(**extra):
    data = {"kind": "complaint", "text": "Antrean terlalu lama.", "name": "", "contact": ""}
    data.update(extra)
    return data


def post(client, files=(), address="10.0.0.1", **extra):
    page = client.get(URL, REMOTE_ADDR=address).content.decode()
    started = re.search(r'name="started" value="([^"]+)"', page).group(1)
    data = fields(started=started, **extra)
    if files:
        data["attachments"] = list(files)
    return client.post(URL, data, REMOTE_ADDR=address)


def assert_nothing_saved(settings):
    assert not Complaint.objects.exists()
    assert not ComplaintAttachment.objects.exists()
    assert media_files(settings) == []


def test_the_form_opens_without_login_in_indonesian(client, unit):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pengaduan, saran, dan masukan" in html
    assert "csrfmiddlewaretoken" in html
    assert 'enctype="multipart/form-data"' in html
    assert 'class="hp"' in html  # the honeypot, hidden by CSS
    assert "style=" not in html and "<script" not in html


@pytest.mark.usefixtures("quick_form")
def test_a_complaint_is_filed_and_the_code_shown(client, unit, service_type):
    response = post(
        client, name="Rahmat", contact="rahmat@contoh.id", service_type="informasi", kind="input"
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/lacak/{complaint.tracking_code}/"
    assert (complaint.channel.code, complaint.kind) == ("web", "input")
    assert (complaint.name, complaint.contact) == ("Rahmat", "rahmat@contoh.id")
    assert complaint.service_type == service_type
    page = client.get(response["Location"]).content.decode()
    assert "Catat kode lacak Anda" in page
    assert complaint.tracking_code in page


@pytest.mark.usefixtures("quick_form")
def test_anonymous_keeps_nothing_about_the_person(client, unit):
    post(client, name="Budi", contact="budi@contoh.id", anonymous="on")
    complaint = Complaint.objects.get()
    assert (complaint.anonymous, complaint.name, complaint.contact) == (True, "", "")


@pytest.mark.usefixtures("quick_form")
def test_good_attachments_are_kept(client, unit, settings):
    files = [
        upload("surat.pdf", PDF, "application/pdf"),
        upload("layar.png", PNG, "image/png"),
        upload("foto.jpeg", JPEG, "image/jpeg"),
    ]
    assert post(client, files).status_code == 302
    kept = ComplaintAttachment.objects.order_by("pk")
    assert [a.content_type for a in kept] == ["application/pdf", "image/png", "image/jpeg"]
    assert len(media_files(settings)) == 3


@pytest.mark.usefixtures("quick_form")
@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([upload("catatan.txt", b"hanya teks biasa", "text/plain")], "bukan berkas PDF, JPEG"),
        ([upload("animasi.gif", b"GIF89a" + b"\x00" * 20, "image/gif")], "bukan berkas PDF, JPEG"),
        ([upload("foto.jpg", EXE, "image/jpeg")], "bukan berkas PDF, JPEG"),  # renamed program
        ([upload("program.pdf", EXE, "application/pdf")], "bukan berkas PDF, JPEG"),
        (
            [upload("besar.pdf", PDF + b"\x00" * (5 * 1024 * 1024), "application/pdf")],
            "paling besar 5,0",
        ),
        ([upload(f"{i}.pdf", PDF, "application/pdf") for i in range(4)], "Paling banyak 3 berkas"),
        ([upload("kosong.pdf", b"", "application/pdf")], "kosong"),
    ],
    ids=["text", "gif", "renamed-exe", "exe-as-pdf", "too-large", "too-many", "empty"],
)
def test_bad_uploads_are_refused_with_a_clear_message(client, unit, settings, files, message):
    response = post(client, files)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Kiriman Anda belum terkirim" in html
    assert message in html
    assert_nothing_saved(settings)


@pytest.mark.usefixtures("quick_form")
def test_one_bad_file_among_good_ones_saves_nothing(client, unit, settings):
    files = [upload("a.pdf", PDF, "application/pdf"), upload("b.png", EXE, "image/png")]
    response = post(client, files)
    assert response.status_code == 400
    assert "“b.png”" in response.content.decode()
    assert_nothing_saved(settings)


@pytest.mark.usefixtures("quick_form")
def test_missing_text_is_named(client, unit, settings):
    response = post(client, text="")
    assert response.status_code == 400
    assert 'id="field-text"' in response.content.decode()
    assert "has-error" in response.content.decode()
    assert_nothing_saved(settings)


@pytest.mark.usefixtures("quick_form")
def test_the_honeypot_catches_bots(client, unit, settings):
    response = post(client, website="http://spam.example")
    assert response.status_code == 400
    assert "tidak dapat diterima" in response.content.decode()
    assert_nothing_saved(settings)


def test_a_form_sent_faster_than_a_person_types_is_refused(client, unit, settings):
    with time_machine.travel("2026-03-02 03:00:00+00:00", tick=False) as clock:
        response = post(client)
        assert response.status_code == 400
        assert "terlalu cepat" in response.content.decode()
        assert_nothing_saved(settings)
        page = client.get(URL).content.decode()
        started = re.search(r'name="started" value="([^"]+)"', page).group(1)
        clock.shift(5)
        response = client.post(URL, fields(started=started))
    assert response.status_code == 302
    assert Complaint.objects.count() == 1


@pytest.mark.usefixtures("quick_form")
@pytest.mark.parametrize("started", ["", "forged:token", "e30:1t0000:abc"])
def test_a_missing_or_forged_timestamp_is_refused(client, unit, settings, started):
    response = client.post(URL, fields(started=started))
    assert response.status_code == 400
    assert "kedaluwarsa" in response.content.decode()
    assert_nothing_saved(settings)


@pytest.mark.usefixtures("quick_form")
def test_a_timestamp_for_another_unit_is_refused(client, unit, other_unit, settings):
    ComplaintChannel.objects.create(unit=other_unit, code="web", name="Laman")
    page = client.get("/u/other-unit/pengaduan/").content.decode()
    started = re.search(r'name="started" value="([^"]+)"', page).group(1)
    assert client.post(URL, fields(started=started)).status_code == 400
    assert_nothing_saved(settings)


@pytest.mark.usefixtures("quick_form")
def test_csrf_is_enforced(unit, settings):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(URL).content.decode()
    started = re.search(r'name="started" value="([^"]+)"', page).group(1)
    assert browser.post(URL, fields(started=started)).status_code == 403
    assert_nothing_saved(settings)


@pytest.mark.usefixtures("quick_form")
def test_a_flood_from_one_address_is_throttled(client, unit, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "complaint": "5/minute",
        },
    }
    with time_machine.travel("2026-03-02 03:00:10+00:00", tick=False):
        for _ in range(5):
            assert post(client).status_code == 302
        response = post(client)
        assert response.status_code == 429
        html = response.content.decode()
        assert "Terlalu banyak kiriman dari alamat Anda" in html
        assert "50 detik" in html
        assert response["Retry-After"] == "50"
        assert Complaint.objects.count() == 5
        # Another address is not held back.
        assert post(client, address="10.0.0.2").status_code == 302
    with time_machine.travel("2026-03-02 03:01:01+00:00", tick=False):
        assert post(client).status_code == 302
    assert Complaint.objects.count() == 7


@time_machine.travel("2026-03-02 03:00:10+00:00", tick=False)
def test_invalid_submissions_count_towards_the_limit(client, unit, settings):
    for _ in range(5):
        assert client.post(URL, fields(started="x"), REMOTE_ADDR="10.9.9.9").status_code == 400
    assert client.post(URL, fields(started="x"), REMOTE_ADDR="10.9.9.9").status_code == 429


def test_unknown_unit_or_closed_web_channel_is_404(client, unit):
    assert client.get("/u/nope/pengaduan/").status_code == 404
    ComplaintChannel.objects.filter(unit=unit, code="web").update(active=False)
    assert client.get(URL).status_code == 404


def test_the_published_standard_links_the_form_and_tracking(client, unit):
    html = client.get(f"/u/{unit.code}/").content.decode()
    links = html.split('id="public-links"')[1].split("</nav>")[0]
    assert f'href="/u/{unit.code}/pengaduan/"' in links
    assert 'href="/lacak/"' in links
    assert "Sampaikan pengaduan, saran, atau masukan" in links
    # ... and lists the six channels with the unit's contact details.
    channels = html.split('id="channels"')[1].split("</tr>")[0]
    assert channels.count("<li data-code=") == 6
    assert "ult.bmpkalteng@kemdikbud.go.id" in channels


@pytest.mark.usefixtures("quick_form")
def test_a_complaint_with_an_email_is_acknowledged_with_its_tracking_code(
    client, unit, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, name="Rahmat", contact="rahmat@contoh.id")
    complaint = Complaint.objects.get()
    (mail,) = mailoutbox
    assert mail.to == ["rahmat@contoh.id"]
    assert complaint.tracking_code in mail.subject
    assert complaint.tracking_code in mail.body
    assert f"/lacak/{complaint.tracking_code}/" in mail.body
    assert "Yth. Pelapor" in mail.body


@pytest.mark.usefixtures("quick_form")
def test_a_phone_number_or_no_contact_gets_no_mail(
    client, unit, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, contact="081234567890")
        post(client, address="10.0.0.2")
    assert Complaint.objects.count() == 2
    assert mailoutbox == []
