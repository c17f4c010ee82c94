"""One case, from a poor rating on the daily check to the compensation in the customer's hands,
clicked through by each person in turn in Debian's Chromium."""

from __future__ import annotations

import datetime
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from cases.models import Case, CaseState
from conftest import PASSWORD
from surveys.services import record_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_selector("nav.mainnav")


def log_out(page) -> None:
    page.click("header .tools button.link")
    page.wait_for_selector("#id_username")


def submit(page, action: str) -> None:
    page.click(f"#form-{action} button[type=submit]")
    page.wait_for_load_state()


def state_of(page) -> str:
    return page.inner_text("#case-state")


def answer_poorly(customer, link: str) -> None:
    """The customer answers the receipt's survey: 4 everywhere but 1 on U7."""
    customer.goto(link)
    for code in [f"U{i}" for i in range(1, 10)]:
        score = "1" if code == "U7" else "4"
        customer.locator(
            f"#element-{code} label", has=customer.locator(f"input[value='{score}']")
        ).click()
    customer.fill("#id_comment", "Petugas membentak saya.")
    customer.click("button[type=submit].primary")
    customer.wait_for_selector("#survey-done")


JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


def local(year, month, day, hour, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=JAKARTA)


def test_one_case_from_the_daily_check_through_due_process_objection_and_compensation(
    page, live_server, settings, unit, service_type, people, output_path
):
    """Issue 12's walk: the customer's poor rating waits on the daily check until the back
    office refers it into a case; two summonses the officer misses, the hearing record (BAP) of
    each absence, a proposal on the evidence with a sanction below the violation's level and its
    justification, verification, the decree, the officer's objection beside the compensation,
    and the delivery. Three different people propose, verify and decide. The server's clock is
    moved (time-machine) so that each summons' date has come when its outcome is recorded."""
    settings.SITE_URL = live_server.url
    shots = Path(output_path)
    shots.mkdir(parents=True, exist_ok=True)

    def shot(name: str) -> None:
        page.screenshot(path=str(shots / f"{name}.png"), full_page=True)

    with time_machine.travel(local(2026, 11, 16, 8), tick=True) as clock:
        base = live_server.url
        # A service, and the customer's answer from the receipt's link (no login): a 1 on the
        # officer's behaviour (U7). It opens no case by itself.
        record = record_service(
            unit,
            actor=people["back_office"],
            service_type=service_type,
            officer=people["officer"],
            customer_name="Budi Santoso",
            customer_contact="081234567890",
        )
        customer = page.context.browser.new_context()
        try:
            answer_poorly(customer.new_page(), f"{base}/s/{record.survey_token}/")
        finally:
            customer.close()
        assert not Case.objects.exists()

        # A → B → C: the back office finds it on the daily check and refers it into a case.
        log_in(page, base, "bella")
        page.goto(f"{base}/harian/?day=2026-11-16")
        row = page.locator("#flagged tr.flagged")
        assert row.count() == 1
        assert row.locator(".officer").inner_text() == "Oscar Officer"
        assert "U7" in row.locator(".elements").inner_text()
        assert "Budi" not in page.content()
        shot("01-daily-check")
        row.locator("input[name=responses]").check()
        page.fill("#refer-note", "Perilaku pelaksana dinilai 1; petugas yang melayani jelas.")
        page.click("#refer-button")
        page.wait_for_load_state()
        case = Case.objects.get(survey_response__service_record=record)
        page.wait_for_url(f"{base}/kasus/{case.pk}/")  # one case referred: the actor lands on it
        url = page.url
        assert state_of(page) == "Penelaahan"

        # The back office refers the finding to a hearing.
        page.fill("#id_refer-note", "Nilai perilaku pelaksana 1; petugas yang melayani jelas.")
        submit(page, "refer")
        log_out(page)

        # First summons, for tomorrow.
        log_in(page, base, "cici")
        page.goto(url)
        assert state_of(page) == "Klarifikasi"
        page.fill("#id_summon-scheduled_at", "2026-11-17T09:00")
        page.fill("#id_summon-place", "Ruang Koordinator ULT")
        submit(page, "summon")
        assert "Belum boleh mengusulkan" in page.inner_text("#due-process")
        shot("02-first-summons")

        # The day comes; the officer does not. The absence is recorded, a second summons sent.
        clock.shift(datetime.timedelta(days=1, hours=2))
        page.goto(url)
        page.check("input[name=hearing-attended][value=no]")
        submit(page, "hearing")
        assert "Petugas tidak hadir" in page.inner_text("#hearings")
        page.fill("#id_summon-scheduled_at", "2026-11-19T09:00")
        page.fill("#id_summon-place", "Ruang Koordinator ULT")
        submit(page, "summon")
        clock.shift(datetime.timedelta(days=2))
        page.goto(url)
        page.check("input[name=hearing-attended][value=no]")
        submit(page, "hearing")
        assert "berdasarkan bukti" in page.inner_text("#due-process")
        # Each absence has its hearing record (BAP), issued as a PDF.
        records = page.locator("#hearings a[data-kind=hearing_record]")
        assert records.count() == 2
        bap = page.request.get(base + records.first.get_attribute("href"))
        assert bap.ok and bap.body().startswith(b"%PDF")
        shot("03-second-absence-hearing-record")

        # A heavy violation, a light sanction: refused without a justification of its own.
        page.check("input[name=propose-violations][value=v03]")
        page.select_option("#id_propose-sanction", "teguran-tertulis")
        page.fill("#id_propose-reasoning", "Petugas terbukti melampaui wewenang.")
        submit(page, "propose")
        assert "tingkat" in page.inner_text("#form-propose")
        shot("04-proposal-level-mismatch")
        page.fill("#id_propose-justification", "Pelanggaran pertama; kerugian telah dipulihkan.")
        submit(page, "propose")
        assert state_of(page) == "Verifikasi"
        log_out(page)

        # The person in charge sees the justification highlighted, and approves.
        log_in(page, base, "putri")
        page.goto(url)
        assert "Pelanggaran pertama" in page.inner_text(".justification.highlight")
        assert "berdasarkan bukti" in page.inner_text("#proposals").lower()
        shot("05-verification")
        page.check("input[name=verify-decision][value=approve]")
        submit(page, "verify")
        log_out(page)

        # The head issues the decree.
        log_in(page, base, "hadi")
        page.goto(url)
        assert page.locator(".justification.highlight").count() == 1
        page.check("input[name=decide-decision][value=issue]")
        page.check("input[name=decide-confirm]")  # having read the draft SK
        submit(page, "decide")
        assert state_of(page) == "Kompensasi"
        shot("06-decree")
        log_out(page)

        # The officer reads the charge (never the customer) and objects.
        log_in(page, base, "oscar")
        page.goto(f"{base}/kasus/saya/")
        mine = page.inner_text(f"#my-case-{case.pk}")
        assert "Layanan informasi" in mine and "Budi" not in mine
        page.fill("#id_object-text", "Saya tidak pernah menerima surat panggilan.")
        page.click(f"#my-object-{case.pk} button[type=submit]")
        page.wait_for_load_state()
        assert "Menunggu keputusan" in page.inner_text(f"#my-case-{case.pk}")
        shot("07-officer-objection")
        log_out(page)

        # The compensation goes on while the objection waits.
        log_in(page, base, "cici")
        page.goto(url)
        page.check("input[name=compensate-compensations][value=permintaan-maaf]")
        page.fill("#id_compensate-cost", "0")
        submit(page, "compensate")
        assert state_of(page) == "Pemberian kompensasi"
        log_out(page)

        # The head decides the objection, with a reason, on the timeline.
        log_in(page, base, "hadi")
        page.goto(url)
        page.check("input[name=rule_objection-decision][value=rejected]")
        page.fill("#id_rule_objection-reason", "Kedua surat panggilan tercatat terkirim.")
        submit(page, "rule_objection")
        assert "Tidak dikabulkan" in page.inner_text("#objection")
        log_out(page)

        # The delivery, after the compensation decision, acknowledged by the customer.
        clock.shift(datetime.timedelta(hours=2))
        log_in(page, base, "cici")
        page.goto(url)
        delivered = timezone.localtime(timezone.now(), JAKARTA) - datetime.timedelta(minutes=10)
        page.fill("#id_deliver-delivered_at", delivered.strftime("%Y-%m-%dT%H:%M"))
        page.fill("#id_deliver-method", "Langsung di loket ULT")
        page.check("#id_deliver-customer_acknowledged")
        submit(page, "deliver")
        assert state_of(page) == "Selesai"
        timeline = page.inner_text("#timeline")
        assert "V03 — Bertindak menyalahgunakan" in timeline and "Teguran tertulis" in timeline
        shot("08-closed-timeline")

    case = Case.objects.get(pk=case.pk)
    assert case.state == CaseState.CLOSED
    assert case.proposals.get().on_evidence
    assert case.objection.upheld is False
    assert case.survey_response.service_record == record
    assert len(list(shots.glob("*.png"))) == 8
