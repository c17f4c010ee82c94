"""The customer's side in Chromium on a phone, by keyboard alone (issue 15.5 and 15.7): a partial
survey is asked about once, then sent; a poor rating's thanks lead to the complaint form; the
complaint is sent with Tab, Space and Enter; its tracking code never wraps and reaches the
customer's e-mail. Screenshots of each step go to var/screens/customer/."""

from __future__ import annotations

import re

import pytest

from complaints.models import Complaint
from pulih.tests import screens
from surveys.models import SurveyResponse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def tab_to(page, selector: str, presses: int = 80) -> None:
    """Press Tab until the focus is on `selector`, as a keyboard user moves through a page."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


def test_a_customer_by_keyboard_answers_part_of_the_survey_then_complains(
    page, live_server, unit, service_type, settings, mailoutbox
):
    settings.COMPLAINT_MIN_FILL_SECONDS = 1  # the form's protection stays on, short for a test
    shots = screens.output_dir() / "customer"
    shots.mkdir(exist_ok=True)
    page.set_viewport_size(PHONE)

    # The survey from the counter's poster: three questions answered (the lowest score: Space
    # on the first choice of each), the rest left, then Enter on "send".
    page.goto(f"{live_server.url}/u/{unit.code}/survey/{service_type.code}/")
    for code in ("u1", "u2", "u3"):
        tab_to(page, f"input[name={code}]")
        page.keyboard.press("Space")
    tab_to(page, "form.survey > button[type=submit]")
    page.keyboard.press("Enter")
    question = page.wait_for_selector("#partial-question")
    assert "3 dari 9" in question.inner_text()
    assert not SurveyResponse.objects.exists()
    page.screenshot(path=str(shots / "1-partial-question.png"), full_page=False)

    # Asked once: "send anyway" sends it.
    tab_to(page, "#send-anyway")
    page.keyboard.press("Enter")
    page.wait_for_selector("#survey-done")
    stored = SurveyResponse.objects.get()
    assert (stored.u1, stored.u4, stored.flagged) == (1, None, True)
    follow_up = page.locator("#poor-follow-up").inner_text()
    assert "menindaklanjutinya" in follow_up
    page.screenshot(path=str(shots / "2-thanks-after-a-poor-rating.png"), full_page=True)

    # The thanks lead to the complaint form; the customer writes and sends it by keyboard.
    tab_to(page, "#complain-link")
    page.keyboard.press("Enter")
    page.wait_for_selector("#complaint-form")
    tab_to(page, "#id_text")
    page.keyboard.type("Saya menunggu dua jam dan petugas tidak menjelaskan persyaratannya.")
    tab_to(page, "#id_contact")
    page.keyboard.type("warga@contoh.id")
    page.wait_for_timeout(1100)  # reading it over: a person is slower than the minimum fill time
    tab_to(page, "#complaint-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#tracking")
    complaint = Complaint.objects.get()
    code = complaint.tracking_code
    assert code in page.locator(".messages").inner_text()

    # The code never wraps on the phone: one line wherever it is shown.
    for element in page.locator(".tracking-code, .code").all():
        if code in element.inner_text():
            assert element.evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap"
            assert element.evaluate("e => e.getClientRects().length") == 1
    page.screenshot(path=str(shots / "3-tracking-page.png"), full_page=True)

    # The acknowledgement with the tracking code reaches the e-mail given.
    receipts = [m for m in mailoutbox if m.to == ["warga@contoh.id"]]
    assert len(receipts) == 1
    assert code in receipts[0].subject and code in receipts[0].body
    assert re.search(rf"/lacak/{code}/", receipts[0].body)
