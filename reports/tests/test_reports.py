"""The dashboard, the PDF and XLSX reports and the public results read the same figures."""

from __future__ import annotations

import datetime
import io
import re
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from reports.figures import gather
from reports.periods import previous_quarter, quarter_of
from surveys.services import submit_response

GOOD = {f"U{i}": 4 for i in range(1, 10)}
POOR = {**GOOD, "U7": 1}


@pytest.fixture
def demo(unit):
    call_command("demo_data", password="demo-pass-123", stdout=io.StringIO())
    return unit


def login(client, username):
    from units.models import User

    client.force_login(User.objects.get(username=username))


def period_query(start, end):
    return f"?start={start.isoformat()}&end={end.isoformat()}"


def test_dashboard_reports_and_public_page_agree(client, demo, tmp_path):
    start, end = previous_quarter(timezone.localdate())
    figures = gather(demo, start, end)
    assert figures.ikm.respondents > 0, "the demo data should cover the previous quarter"
    score = f"{figures.ikm.score}"
    shown = score.replace(".", ",")  # Indonesian decimal comma on screens and in the PDF

    login(client, "kepala")
    page = client.get("/laporan/" + period_query(start, end)).content.decode()
    assert re.search(rf'id="kpi-score">{re.escape(shown)} \({figures.ikm.grade}', page)
    assert f'id="kpi-respondents">{figures.ikm.respondents}<' in page

    pdf = client.get("/laporan/unduh.pdf" + period_query(start, end), follow=True)
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.getvalue())).pages)
    assert shown in text

    xlsx = client.get("/laporan/unduh.xlsx" + period_query(start, end), follow=True)
    sheet = load_workbook(io.BytesIO(xlsx.getvalue())).worksheets[0]
    summary = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
    assert f"{summary['Nilai IKM']:.2f}" == score
    assert summary["Responden"] == figures.ikm.respondents

    public = client.get(f"/u/{demo.code}/hasil/").content.decode()
    row = public.split(f'data-start="{start.isoformat()}"')[1].split("</tr>")[0]
    assert f'class="score">{shown}<' in row
    assert f'class="respondents">{figures.ikm.respondents}<' in row
    assert f'class="received">{figures.complaints_received}<' in row
    assert f'class="answered">{figures.complaints_answered}<' in row


def test_report_command_writes_a_pdf_that_renders(demo, tmp_path):
    start, end = previous_quarter(timezone.localdate())
    out = tmp_path / "laporan.pdf"
    stdout = io.StringIO()
    call_command(
        "report",
        unit=demo.code,
        start=start.isoformat(),
        end=end.isoformat(),
        format="pdf",
        output=str(out),
        stdout=stdout,
    )
    score = f"{gather(demo, start, end).ikm.score}"
    assert score in stdout.getvalue()
    text = "".join(p.extract_text() for p in PdfReader(out).pages)
    assert score.replace(".", ",") in text
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", out, tmp_path / "page"],
            check=True,
        )
        assert list(tmp_path.glob("page*.png"))


def test_report_command_writes_xlsx_with_one_sheet_per_table(demo, tmp_path):
    out = tmp_path / "laporan.xlsx"
    call_command(
        "report",
        unit=demo.code,
        start="2026-01-01",
        end="2026-12-31",
        format="xlsx",
        output=str(out),
        stdout=io.StringIO(),
    )
    names = load_workbook(out).sheetnames
    assert {"Ringkasan", "Unsur IKM", "IKM per bulan", "Kasus", "Pengaduan"} <= set(names)


def test_report_command_refuses_bad_input(demo, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="unknown unit"):
        call_command(
            "report",
            unit="nope",
            start="2026-01-01",
            end="2026-01-31",
            format="pdf",
            output=str(tmp_path / "x.pdf"),
        )
    with pytest.raises(CommandError, match="not a date"):
        call_command(
            "report",
            unit=demo.code,
            start="2026-13-01",
            end="2026-01-31",
            format="pdf",
            output=str(tmp_path / "x.pdf"),
        )


@pytest.mark.parametrize("role", ["head", "person_in_charge", "supervisor", "coordinator"])
def test_the_units_readers_see_officer_figures(client, people, role, unit, service_type):
    submit_response(unit, answers=POOR, service_type=service_type, officer=people["officer"])
    client.force_login(people[role])
    page = client.get("/laporan/").content.decode()
    assert 'id="poor-officers"' in page
    assert "Oscar Officer" in page


def test_officer_figures_follow_one_rule_on_the_dashboard_the_ikm_page_and_the_api(
    client, people, unit, service_type
):
    """surveys.access.reads_officer_figures: the coordinator follows up on officers, so it
    reads their figures on every face; the back office reads the unit's figures only."""
    submit_response(unit, answers=POOR, service_type=service_type, officer=people["officer"])
    client.force_login(people["coordinator"])
    assert "Oscar Officer" in client.get("/laporan/").content.decode()
    assert 'id="chart-officer"' in client.get("/ikm/").content.decode()
    api = f"/api/v1/ikm/?unit={unit.code}&start=2020-01-01&end=2030-12-31&officer=oscar"
    assert client.get(api).status_code == 200
    client.force_login(people["back_office"])
    assert 'id="chart-officer"' not in client.get("/ikm/").content.decode()
    assert client.get(api).status_code == 403


@pytest.mark.parametrize("role", ["back_office", "officer", "admin"])
def test_other_roles_may_not_open_reports(client, people, role):
    client.force_login(people[role])
    for url in ("/laporan/", "/laporan/unduh.pdf", "/laporan/unduh.xlsx"):
        assert client.get(url).status_code == 403


def test_outsider_never_sees_this_units_figures(client, outsider, unit, people, service_type):
    submit_response(unit, answers=POOR, service_type=service_type, officer=people["officer"])
    client.force_login(outsider)
    page = client.get("/laporan/").content.decode()
    assert unit.name not in page
    assert "Oscar Officer" not in page


def test_anonymous_is_sent_to_login(client, db):
    assert client.get("/laporan/")["Location"].startswith("/accounts/login/")


def test_bad_period_is_a_form_error_not_a_crash(client, people):
    client.force_login(people["head"])
    response = client.get("/laporan/?start=2026-05-01&end=2026-01-01")
    assert response.status_code == 200
    assert "Akhir periode lebih awal daripada awal periode." in response.content.decode()
    assert client.get("/laporan/?start=garbage").status_code == 200


def test_dashboard_query_count_does_not_grow_with_data(
    client, people, unit, service_type, django_assert_max_num_queries
):
    client.force_login(people["head"])
    for officer in ("officer", "officer2"):
        submit_response(unit, answers=POOR, service_type=service_type, officer=people[officer])
    with django_assert_max_num_queries(40) as small:
        client.get("/laporan/")
    for i in range(30):
        submit_response(
            unit,
            answers=POOR if i % 3 else GOOD,
            service_type=service_type,
            officer=people["officer" if i % 2 else "officer2"],
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/laporan/")


def test_public_results_show_nothing_personal(client, people, unit, service_type):
    last_quarter_day = previous_quarter(timezone.localdate())[1]
    moment = timezone.make_aware(datetime.datetime.combine(last_quarter_day, datetime.time(10)))
    submit_response(
        unit,
        answers=POOR,
        service_type=service_type,
        officer=people["officer"],
        submitted_at=moment,
    )
    page = client.get(f"/u/{unit.code}/hasil/").content.decode()
    assert "Oscar Officer" not in page
    assert "Triwulan" in page
    assert ">1<" in page.split('id="public-ikm"')[1]


def test_quarters():
    assert quarter_of(datetime.date(2026, 11, 23)) == (
        datetime.date(2026, 10, 1),
        datetime.date(2026, 12, 31),
    )
    assert previous_quarter(datetime.date(2026, 1, 5)) == (
        datetime.date(2025, 10, 1),
        datetime.date(2025, 12, 31),
    )
    assert quarter_of(datetime.date(2026, 2, 28))[1] == datetime.date(2026, 3, 31)


def test_public_results_add_the_current_quarter_as_provisional_and_fold_empty_ones(
    client, people, unit, service_type
):
    from reports.public import public_results

    today = timezone.localdate()
    submit_response(unit, answers=GOOD, service_type=service_type, officer=people["officer"])
    quarters = public_results(unit, today)
    assert quarters[0].start == quarter_of(today)[0] and quarters[0].provisional
    assert quarters[0].ikm.respondents == 1
    assert not any(q.provisional for q in quarters[1:])

    page = client.get(f"/u/{unit.code}/hasil/").content.decode()
    rows = re.findall(r'<tr data-start="([0-9-]+)"', page)
    assert rows == [quarter_of(today)[0].isoformat()]  # the only quarter with data
    assert 'class="provisional"' in page
    assert 'id="empty-quarters"' in page and "8 triwulan" in page
