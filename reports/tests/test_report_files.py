"""The report PDF and XLSX are prepared by a task: the reader waits on the file's page, then
downloads the stored file; only the unit's readers who may read all it shows download it."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from openpyxl import load_workbook

from reports.files import build_report
from reports.models import ReportFile

QUERY = "?start=2026-01-01&end=2026-03-31"


@pytest.fixture
def queued_tasks(settings):
    """A task backend that keeps what is enqueued without running it, as a real queue would
    until a worker takes it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_reader_waits_on_the_files_page_then_downloads_the_stored_pdf(
    client, people, queued_tasks
):
    client.force_login(people["head"])
    response = client.get("/laporan/unduh.pdf" + QUERY)
    report = ReportFile.objects.get()
    assert response["Location"] == f"/laporan/berkas/{report.pk}/"
    waiting = client.get(response["Location"])
    assert waiting.status_code == 200
    assert 'http-equiv="refresh"' in waiting.content.decode()
    assert client.get(f"/laporan/berkas/{report.pk}/?format=json").json()["finished"] is False

    build_report.call(report.pk)  # what the worker runs

    report.refresh_from_db()
    assert report.state == ReportFile.State.READY
    assert default_storage.exists(report.file.name)
    ready = client.get(f"/laporan/berkas/{report.pk}/")
    assert ready["Location"] == f"/laporan/berkas/{report.pk}/unduh"
    download = client.get(ready["Location"])
    assert download["Content-Type"] == "application/pdf"
    assert "laporan-bpmp-kalteng-2026-01-01-2026-03-31.pdf" in download["Content-Disposition"]
    assert body(download).startswith(b"%PDF-")


def test_a_second_click_waits_for_the_same_file(client, people, queued_tasks):
    client.force_login(people["coordinator"])
    first = client.get("/laporan/unduh.xlsx" + QUERY)["Location"]
    second = client.get("/laporan/unduh.xlsx" + QUERY)["Location"]
    assert first == second
    assert ReportFile.objects.count() == 1


def test_a_task_delivered_twice_builds_the_file_once(people, unit, queued_tasks):
    report = ReportFile.objects.create(
        unit=unit,
        requested_by=people["head"],
        format="xlsx",
        start="2026-01-01",
        end="2026-03-31",
        language="id",
    )
    assert build_report.call(report.pk) == "ready"
    name = ReportFile.objects.get(pk=report.pk).file.name
    assert build_report.call(report.pk) == "not-queued"
    assert ReportFile.objects.get(pk=report.pk).file.name == name


def test_the_file_is_in_the_readers_language(client, people, settings):
    client.force_login(people["coordinator"])
    for language, label in (("en", "IKM score"), ("id", "Nilai IKM")):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get("/laporan/unduh.xlsx" + QUERY, follow=True)
        book = load_workbook(io.BytesIO(response.getvalue()))
        assert label in [row[0] for row in book.worksheets[0].iter_rows(values_only=True)]
    assert {r.requested_by for r in ReportFile.objects.all()} == {people["coordinator"]}


def test_a_failed_file_says_so_and_offers_no_download(client, people, queued_tasks, monkeypatch):
    client.force_login(people["head"])
    location = client.get("/laporan/unduh.pdf" + QUERY)["Location"]
    report = ReportFile.objects.get()

    def broken(report):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr("reports.files.render_report", broken)
    with pytest.raises(RuntimeError):
        build_report.call(report.pk)
    page = client.get(location)
    assert ReportFile.objects.get().state == ReportFile.State.FAILED
    assert page.status_code == 200
    assert 'http-equiv="refresh"' not in page.content.decode()
    assert client.get(f"/laporan/berkas/{report.pk}/unduh")["Location"] == location


def test_only_the_units_readers_who_may_read_all_it_shows_download_it(
    client, people, outsider, queued_tasks
):
    client.force_login(people["head"])  # the head's report holds the recovery figures
    client.get("/laporan/unduh.pdf" + QUERY)
    report = ReportFile.objects.get()
    build_report.call(report.pk)
    file_url, download_url = f"/laporan/berkas/{report.pk}/", f"/laporan/berkas/{report.pk}/unduh"

    client.force_login(people["supervisor"])
    assert client.get(download_url).status_code == 200
    client.force_login(people["coordinator"])  # reads no recovery figures
    assert client.get(file_url).status_code == 404
    assert client.get(download_url).status_code == 404
    for role in ("officer", "back_office", "admin"):
        client.force_login(people[role])
        assert client.get(download_url).status_code == 403
    client.force_login(outsider)
    assert client.get(download_url).status_code == 404
    client.logout()
    assert client.get(download_url)["Location"].startswith("/accounts/login/")
