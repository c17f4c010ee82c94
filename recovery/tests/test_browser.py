"""A compensated customer answers the follow-up on a phone; the public results page and the
head's dashboard then show the new recovery rate."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cases.models import CaseState, Delivery
from conftest import PASSWORD
from recovery.models import FollowUp

from .conftest import recount

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def last_quarter_day() -> datetime.datetime:
    today = timezone.localdate()
    first_of_quarter = today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)
    day = first_of_quarter - datetime.timedelta(days=5)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def test_a_customer_answers_on_a_phone_and_the_rate_shows(
    browser, live_server, unit, make_case, tmp_path
):
    case = make_case(CaseState.CLOSED)
    delivered = last_quarter_day()
    Delivery.objects.filter(case=case).update(delivered_at=delivered)
    recount(unit)
    # The question opened yesterday (the unit's delay has passed) and is still open.
    now = timezone.now()
    FollowUp.objects.filter(case=case).update(
        opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=20)
    )
    base = live_server.url

    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.goto(f"{base}/kompensasi/{case.compensation.tracking_token}/")
    page.click("#followup-question a")
    page.wait_for_selector("#followup form")
    page.check("input[name=score][value='3']")
    page.fill("textarea[name=comment]", "Dilayani ulang dengan cepat.")
    page.screenshot(path=str(tmp_path / "followup-phone.png"), full_page=True)
    page.click("#followup button[type=submit]")
    page.wait_for_selector("#followup-thanks")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.goto(f"{base}/u/{unit.code}/hasil/")
    headline = page.inner_text("#public-recovery")
    assert headline.startswith("100") and "pelanggan yang dirugikan pulih" in headline
    page.screenshot(path=str(tmp_path / "public-results-phone.png"), full_page=True)
    phone.close()

    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "hadi")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_selector("nav.mainnav")
    day = delivered.date()
    page.goto(f"{base}/laporan/?start={day - datetime.timedelta(days=30)}&end={day}")
    assert page.inner_text("#recovery-recovered") == "1"
    assert page.inner_text("#recovery-rate").startswith("100")
    page.screenshot(path=str(tmp_path / "dashboard-recovery.png"), full_page=True)
    desk.close()
