"""The staff register: who sees what, filters, export, counts, triage and answer on screen."""

import datetime
import re
import zoneinfo

import pytest
import time_machine

from cases import intake
from cases.models import Case
from complaints import services
from complaints.models import Complaint, ComplaintStatus
from complaints.tests.conftest import EXE, PDF, media_files, upload, xlsx_rows
from documents.xlsx import XLSX_TYPE
from surveys.models import ImprovementItem

JKT = zoneinfo.ZoneInfo("Asia/Jakarta")
READERS = ["back_office", "coordinator", "person_in_charge", "head", "supervisor"]
NOT_READERS = ["officer", "officer2", "admin"]


def read_urls(c):
    attachment = c.attachments.first()
    return [
        "/pengaduan/",
        "/pengaduan/ekspor.xlsx",
        f"/pengaduan/{c.pk}/",
        f"/pengaduan/{c.pk}/lampiran/{attachment.pk}/",
    ]


@pytest.mark.parametrize("role", READERS)
def test_readers_open_every_read_view(client, people, recorded, role):
    client.force_login(people[role])
    for url in read_urls(recorded):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", NOT_READERS)
def test_officers_and_admin_see_nothing_of_the_register(client, people, recorded, role):
    client.force_login(people[role])
    for url in [*read_urls(recorded), "/pengaduan/catat/"]:
        assert client.get(url).status_code == 403, url
    for action in ("konfirmasi", "triase", "jawab"):
        assert client.post(f"/pengaduan/{recorded.pk}/{action}/").status_code == 403


def test_anonymous_is_sent_to_login(client, recorded):
    for url in [*read_urls(recorded), "/pengaduan/catat/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_outsider_sees_only_their_own_unit(client, outsider, recorded):
    client.force_login(outsider)
    listing = client.get("/pengaduan/")
    assert listing.status_code == 200
    assert recorded.tracking_code not in listing.content.decode()
    export = client.get("/pengaduan/ekspor.xlsx")
    assert len(xlsx_rows(export.content)) == 1  # the header only
    for url in read_urls(recorded)[2:]:
        assert client.get(url).status_code == 404, url
    for action in ("konfirmasi", "triase", "jawab"):
        assert client.post(f"/pengaduan/{recorded.pk}/{action}/").status_code == 404
    recorded.refresh_from_db()
    assert recorded.status == ComplaintStatus.RECEIVED


@pytest.mark.parametrize("role", ["supervisor", "head", "person_in_charge"])
def test_read_only_roles_change_nothing(client, people, recorded, role):
    client.force_login(people[role])
    assert client.get("/pengaduan/catat/").status_code == 403
    assert client.post("/pengaduan/catat/", {"channel": "phone", "text": "x"}).status_code == 403
    assert client.post(f"/pengaduan/{recorded.pk}/konfirmasi/").status_code == 403
    assert (
        client.post(f"/pengaduan/{recorded.pk}/triase/", {"outcome": "direct"}).status_code == 403
    )
    assert client.post(f"/pengaduan/{recorded.pk}/jawab/", {"answer": "x"}).status_code == 403
    html = client.get(f"/pengaduan/{recorded.pk}/").content.decode()
    assert 'id="triage-form"' not in html and 'id="answer-form"' not in html
    assert 'id="timeline"' in html
    recorded.refresh_from_db()
    assert recorded.status == ComplaintStatus.RECEIVED
    assert Complaint.objects.count() == 1


def test_back_office_records_and_acknowledges_but_does_not_triage(client, people, recorded):
    client.force_login(people["back_office"])
    html = client.get(f"/pengaduan/{recorded.pk}/").content.decode()
    assert 'id="acknowledge"' in html and 'id="triage-form"' not in html
    assert client.post(f"/pengaduan/{recorded.pk}/konfirmasi/").status_code == 302
    assert (
        client.post(f"/pengaduan/{recorded.pk}/triase/", {"outcome": "direct"}).status_code == 403
    )
    recorded.refresh_from_db()
    assert recorded.status == ComplaintStatus.ACKNOWLEDGED


def test_recording_from_a_channel_with_a_scan(client, people, unit, service_type, settings):
    client.force_login(people["back_office"])
    form = client.get("/pengaduan/catat/").content.decode()
    assert "Surat" in form and "Tatap muka langsung" in form
    response = client.post(
        "/pengaduan/catat/",
        {
            "channel": "letter",
            "received_at": "2026-03-02T09:30",
            "kind": "complaint",
            "name": "Sri",
            "contact": "0812000111",
            "service_type": "informasi",
            "officer": "oscar",
            "text": "Surat pengaduan tentang antrean.",
            "attachments": [upload("surat.pdf", PDF, "application/pdf")],
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/pengaduan/{complaint.pk}/"
    assert complaint.received_at == datetime.datetime(2026, 3, 2, 9, 30, tzinfo=JKT)
    assert complaint.officer == people["officer"]
    assert complaint.attachments.count() == 1
    assert len(media_files(settings)) == 1


def test_a_bad_scan_is_refused_and_nothing_saved(client, people, unit, settings):
    client.force_login(people["coordinator"])
    response = client.post(
        "/pengaduan/catat/",
        {
            "channel": "letter",
            "received_at": "2026-03-02T09:30",
            "kind": "complaint",
            "text": "Surat.",
            "attachments": [upload("scan.jpg", EXE, "image/jpeg")],
        },
    )
    assert response.status_code == 400
    assert "bukan berkas PDF, JPEG" in response.content.decode()
    assert not Complaint.objects.exists()
    assert media_files(settings) == []


def test_the_coordinator_triages_into_a_case_and_answers_on_screen(client, people, complaint):
    client.force_login(people["coordinator"])
    html = client.get(f"/pengaduan/{complaint.pk}/").content.decode()
    assert 'id="triage-form"' in html
    missing = client.post(f"/pengaduan/{complaint.pk}/triase/", {"outcome": "case"})
    assert missing.status_code == 400
    assert "Sebutkan petugas" in missing.content.decode()
    response = client.post(
        f"/pengaduan/{complaint.pk}/triase/",
        {"outcome": "case", "officer": "oscar", "note": "Tidak sopan."},
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.complaint == complaint and case.officer == people["officer"]
    html = client.get(f"/pengaduan/{complaint.pk}/").content.decode()
    assert 'id="answer-form"' in html
    assert f"Kasus #{case.pk}" in html
    again = client.post(f"/pengaduan/{complaint.pk}/triase/", {"outcome": "direct"})
    assert again.status_code == 409
    response = client.post(f"/pengaduan/{complaint.pk}/jawab/", {"answer": "Kami tindak lanjuti."})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ANSWERED
    html = client.get(f"/pengaduan/{complaint.pk}/").content.decode()
    timeline = html.split('id="timeline"')[1]
    for label in ("Diterima", "Ditriase", "Dijawab"):
        assert label in timeline


def test_improvement_triage_on_screen(client, people, complaint):
    client.force_login(people["coordinator"])
    response = client.post(
        f"/pengaduan/{complaint.pk}/triase/", {"outcome": "improvement", "note": "Kursi kurang."}
    )
    assert response.status_code == 302
    assert ImprovementItem.objects.get().complaint == complaint


def test_answer_before_triage_is_a_conflict(client, people, complaint):
    client.force_login(people["coordinator"])
    response = client.post(f"/pengaduan/{complaint.pk}/jawab/", {"answer": "x"})
    assert response.status_code == 409
    assert "Lakukan triase" in response.content.decode()


def test_attachments_download_with_their_stored_type(client, people, recorded):
    client.force_login(people["supervisor"])
    item = recorded.attachments.get()
    response = client.get(f"/pengaduan/{recorded.pk}/lampiran/{item.pk}/")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "surat.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF


def test_an_attachment_of_another_complaint_is_404(client, people, recorded, complaint):
    client.force_login(people["coordinator"])
    item = recorded.attachments.get()
    assert client.get(f"/pengaduan/{complaint.pk}/lampiran/{item.pk}/").status_code == 404


def test_uploads_are_not_served_as_static_or_media(client, recorded):
    item = recorded.attachments.get()
    assert client.get(f"/media/{item.file.name}").status_code == 404
    assert client.get(f"/static/{item.file.name}").status_code == 404


@pytest.fixture
def varied(unit, people, service_type, other_unit):
    """Complaints across channels, kinds, services and officers, at known times."""
    bo, co = people["back_office"], people["coordinator"]
    made = {}
    with time_machine.travel(datetime.datetime(2026, 2, 10, 9, tzinfo=JKT), tick=False):
        made["feb_letter"] = services.record_complaint(
            unit, actor=bo, channel="letter", text="Surat Februari", kind="complaint"
        )
        made["feb_phone"] = services.record_complaint(
            unit,
            actor=bo,
            channel="phone",
            text="Telepon Februari",
            kind="suggestion",
            service_type=service_type,
            officer=people["officer"],
        )
    with time_machine.travel(datetime.datetime(2026, 3, 5, 9, tzinfo=JKT), tick=False):
        made["mar_email"] = services.record_complaint(
            unit, actor=bo, channel="email", text="Email Maret", kind="information"
        )
        intake.triage_complaint(made["mar_email"], actor=co, outcome="direct")
        services.answer_complaint(made["mar_email"], actor=co, answer="Sudah")
        made["mar_web"] = services.submit_public_complaint(unit, text="Web Maret", kind="input")
    return made


def codes(html: str) -> set[str]:
    return {
        c.tracking_code for c in Complaint.objects.all() if f'data-code="{c.tracking_code}"' in html
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"feb_letter", "feb_phone", "mar_email", "mar_web"}),
        ({"channel": "phone"}, {"feb_phone"}),
        ({"kind": "information"}, {"mar_email"}),
        ({"status": "answered"}, {"mar_email"}),
        ({"status": "received"}, {"feb_letter", "feb_phone", "mar_web"}),
        ({"service": "informasi"}, {"feb_phone"}),
        ({"officer": "oscar"}, {"feb_phone"}),
        ({"start": "2026-03-01", "end": "2026-03-31"}, {"mar_email", "mar_web"}),
        ({"end": "2026-02-28"}, {"feb_letter", "feb_phone"}),
    ],
)
def test_the_register_filters(client, people, varied, query, expected):
    client.force_login(people["supervisor"])
    with time_machine.travel(datetime.datetime(2026, 3, 6, 9, tzinfo=JKT), tick=False):
        html = client.get("/pengaduan/", query).content.decode()
    assert codes(html) == {varied[k].tracking_code for k in expected}


def test_overdue_complaints_show_in_red_and_filter(client, people, varied):
    client.force_login(people["coordinator"])
    with time_machine.travel(datetime.datetime(2026, 3, 6, 9, tzinfo=JKT), tick=False):
        html = client.get("/pengaduan/").content.decode()
        overdue = client.get("/pengaduan/", {"status": "overdue"}).content.decode()
    row = html.split(f'data-code="{varied["feb_letter"].tracking_code}"')[0].rsplit("<tr", 1)[1]
    assert 'class="overdue"' in row
    answered_row = html.split(f'data-code="{varied["mar_email"].tracking_code}"')[0].rsplit(
        "<tr", 1
    )[1]
    assert 'class="overdue"' not in answered_row
    # February ones are past both deadlines; the March web one is acknowledged by Friday night.
    assert codes(overdue) == {varied[k].tracking_code for k in ("feb_letter", "feb_phone")}


def test_bad_filters_do_not_break_the_page(client, people, varied):
    client.force_login(people["supervisor"])
    response = client.get("/pengaduan/", {"start": "kemarin", "channel": "nope", "page": "x"})
    assert response.status_code == 200
    assert len(codes(response.content.decode())) == 4


def test_the_export_follows_the_filters(client, people, varied):
    client.force_login(people["head"])
    response = client.get("/pengaduan/ekspor.xlsx", {"channel": "phone"})
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"].startswith("attachment;")
    rows = xlsx_rows(response.content)
    assert rows[0][:3] == ("Kode lacak", "Waktu diterima", "Saluran")
    assert len(rows) == 2
    assert rows[1][0] == varied["feb_phone"].tracking_code
    assert rows[1][9] == "Telepon Februari"
    assert rows[1][1] == datetime.datetime(2026, 2, 10, 9, 0)


def test_the_register_shows_counts_per_month(client, people, varied):
    client.force_login(people["supervisor"])
    html = client.get("/pengaduan/").content.decode()
    stats = html.split('id="complaint-stats"')[1]
    assert "Februari 2026" in stats and "Maret 2026" in stats
    feb = stats.split('data-month="2026-02"')[1].split("</tr>")[0]
    # channels in order letter, phone, social, email, web, in person; then 4 statuses; total
    cells = [c.split("</td>")[0] for c in feb.split('<td class="num')[1:]]
    cells = [c.split(">")[1] for c in cells]
    assert cells == ["1", "1", "0", "0", "0", "0", "2", "0", "0", "0", "2"]


def test_the_register_list_costs_a_fixed_number_of_queries(
    client, people, unit, service_type, django_assert_max_num_queries
):
    for i in range(30):
        services.record_complaint(
            unit,
            actor=people["back_office"],
            channel=["letter", "phone", "email"][i % 3],
            text=f"Pengaduan {i}",
            service_type=service_type,
            officer=people["officer"],
        )
    client.force_login(people["supervisor"])
    with django_assert_max_num_queries(12):
        response = client.get("/pengaduan/")
    assert len(re.findall(r'<tr class="[^"]*" data-code=', response.content.decode())) == 30


def test_nav_and_home_by_role(client, people, unit, varied):
    client.force_login(people["officer"])
    assert 'id="nav-complaints"' not in client.get("/").content.decode()
    client.force_login(people["supervisor"])
    assert 'id="nav-complaints"' in client.get("/").content.decode()
    client.force_login(people["coordinator"])
    html = client.get("/").content.decode()
    home = html.split('id="home-complaints"')[1]
    assert "3 pengaduan menunggu triase" in home
    assert 'class="overdue" id="home-complaints-overdue"' in home
    assert "3 terlambat" in home


def test_a_complaint_written_as_a_formula_exports_as_text(client, people, make_complaint):
    attack = "=cmd|' /C calc'!A0"
    make_complaint(name=attack, contact="+62 812 000", text=attack)
    client.force_login(people["head"])
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(client.get("/pengaduan/ekspor.xlsx").content)).worksheets[0]
    row = sheet[2]
    header = [c.value for c in sheet[1]]
    for column in ("Pelapor", "Kontak", "Isi"):
        cell = row[header.index(column)]
        assert cell.data_type == "s", column
        assert cell.value.startswith("'"), column
    assert row[1].is_date  # the time received stays a date
