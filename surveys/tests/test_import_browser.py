"""In Chromium: the back office uploads a file whose dates could be read either way, picks
the order in the preview, corrects one column's reading, confirms, watches the progress bar
reach the end while a real task worker imports it, and downloads the report."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from surveys.ikm import ikm_for
from surveys.models import ImportJob, SurveyResponse

from . import skmfiles
from .test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _file_with_an_unknown_header(directory):
    path = skmfiles.write("ambiguous", directory)
    text = path.read_text(encoding="utf-8")
    # The U8 question worded so that nothing can tell what it means.
    text = text.replace("Penilaian terhadap pelayanan kami [Sarana dan Prasarana]", "Kenyamanan")
    path.write_text(text, encoding="utf-8")
    return path


def _worker() -> None:
    """`manage.py db_worker --batch`'s worker, in a thread (signals are the main thread's)."""
    from django_tasks_db.management.commands.db_worker import Worker

    try:
        Worker(queue_names=["default"], interval=0.2, batch=True, backend_name="default",
               startup_delay=False, max_tasks=None, worker_id="browser-test",
               excluded_queue_names=[]).run()  # fmt: skip
    finally:
        connection.close()


def test_upload_preview_choose_order_fix_a_column_confirm_and_watch(
    page, live_server, settings, tmp_path, unit, people, service_type
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    path = _file_with_an_unknown_header(tmp_path)
    log_in(page, live_server.url, "bella")
    page.goto(f"{live_server.url}/impor-survei/")
    page.set_input_files("#id_file", str(path))
    page.click("#upload-button")

    page.wait_for_selector("#date-order")
    assert page.locator("#confirm-button").count() == 0  # not before the order is chosen
    header_cells = page.locator("#columns tbody tr td:nth-child(2)").all_inner_texts()
    column = header_cells.index("Kenyamanan")
    assert page.locator(f"#col{column}").input_value() == ""  # read as nothing
    page.check("input[name=date_order][value=mdy]")
    page.select_option(f"#col{column}", "U8")
    page.click("#update-button")

    page.wait_for_selector("#confirm-button")
    assert page.locator("#respondents").inner_text() == "13"
    assert (
        page.locator("#file-ikm")
        .inner_text()
        .startswith(skmfiles.AMBIGUOUS_SCORE.replace(".", ","))
    )
    assert not SurveyResponse.objects.exists()
    page.click("#confirm-button")

    page.wait_for_selector("#progress-bar")
    assert page.locator("#report-link").is_hidden()
    worker = threading.Thread(target=_worker)
    worker.start()
    page.wait_for_selector("#report-link", state="visible", timeout=60_000)
    worker.join(timeout=60)
    assert page.locator("#progress-bar").get_attribute("value") == "100"
    with page.expect_download() as download:
        page.click("#report-link")
    report = download.value.path().read_text(encoding="utf-8")
    assert "13" in report

    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.DONE and job.imported == 13
    assert SurveyResponse.objects.filter(u8__isnull=False).count() == 13
    import datetime

    result = ikm_for(unit, start=datetime.date(2026, 11, 1), end=datetime.date(2026, 11, 30))
    assert str(result.score) == skmfiles.AMBIGUOUS_SCORE
