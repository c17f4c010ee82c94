"""In Debian's Chromium: a person files a complaint without logging in, the coordinator
triages it into a case about an officer and answers it, and the tracking page shows the answer."""

import re

import pytest

from cases.models import Case
from complaints.models import Complaint, ComplaintStatus
from complaints.tests.conftest import PDF
from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_complaint_from_public_form_to_answer_on_the_tracking_page(
    page, browser, live_server, unit, people, settings, tmp_path
):
    # The form's protection stays on, with a minimum fill time short enough for a test; the
    # person below takes longer than that to write the complaint, as a person does.
    settings.COMPLAINT_MIN_FILL_SECONDS = 1
    scan = tmp_path / "bukti.pdf"
    scan.write_bytes(PDF)

    # 1. Anyone, without logging in, from the unit's published standard.
    page.goto(f"{live_server.url}/u/{unit.code}/")
    page.click("#link-complaint-form")
    page.wait_for_selector("#complaint-form")
    page.select_option("#id_kind", "complaint")
    page.fill("#id_text", "Petugas loket berkata kasar ketika saya bertanya persyaratan.")
    page.fill("#id_name", "Warga")
    page.check("#id_anonymous")
    page.set_input_files("#id_attachments", str(scan))
    page.wait_for_timeout(1100)  # reading it over before sending: past the minimum fill time
    page.click("#complaint-form button[type=submit]")
    page.wait_for_selector("#tracking")
    message = page.locator(".messages").inner_text()
    code = re.search(r"[0-9A-Z]{5}-[0-9A-Z]{5}", message).group(0)
    assert "Catat kode lacak Anda" in message
    assert page.locator("#status").inner_text() == "Diterima"
    complaint = Complaint.objects.get(tracking_code=code)
    assert complaint.anonymous and complaint.name == ""
    assert complaint.attachments.count() == 1

    # 2. The coordinator triages it into a case about the officer, then answers it.
    staff = browser.new_context()
    desk = staff.new_page()
    desk.goto(f"{live_server.url}/accounts/login/")
    desk.fill("#id_username", people["coordinator"].username)
    desk.fill("#id_password", PASSWORD)
    desk.click("button[type=submit].primary")
    desk.wait_for_selector("#home-complaints")
    desk.click("#nav-complaints")
    desk.wait_for_selector("#register")
    desk.click(f"#register tr[data-code='{code}'] a")
    desk.wait_for_selector("#triage-form")
    desk.check("input[name=outcome][value=case]")
    desk.select_option("#id_officer", people["officer"].username)
    desk.fill("#id_note", "Perilaku petugas loket perlu diperiksa.")
    desk.click("#triage-form button[type=submit]")
    desk.wait_for_url("**/kasus/*/")  # triaged into a case: the coordinator lands on it
    desk.goto(f"{live_server.url}/pengaduan/{complaint.pk}/")
    desk.wait_for_selector("#answer-form")
    assert "Kasus #" in desk.locator("#follow-up").inner_text()
    desk.fill(
        "#id_answer", "Mohon maaf atas kejadian ini. Petugas yang bersangkutan sedang kami periksa."
    )
    desk.click("#answer-form button[type=submit]")
    desk.wait_for_selector("#answer")
    assert desk.locator("#status").inner_text() == "Dijawab"
    staff.close()

    case = Case.objects.get()
    assert (case.complaint.tracking_code, case.officer) == (code, people["officer"])
    assert Complaint.objects.get(tracking_code=code).status == ComplaintStatus.ANSWERED

    # 3. The complainant types the code (any case, no dash) and reads the answer.
    page.goto(f"{live_server.url}/lacak/")
    page.fill("#id_code", code.replace("-", "").lower())
    page.click("#track-form button[type=submit]")
    page.wait_for_selector("#tracking")
    assert page.locator("#status").inner_text() == "Dijawab"
    answer = page.locator("#answer").inner_text()
    assert "Petugas yang bersangkutan sedang kami periksa." in answer
    body = page.locator("main").inner_text()
    assert "Oscar" not in body and "Perilaku petugas loket" not in body
