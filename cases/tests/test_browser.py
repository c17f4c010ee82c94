"""One case, from a flagged rating to the compensation in the customer's hands, clicked through
by each person in turn in Debian's Chromium; then the decree PDF is opened and read."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from cases import workflow
from cases.models import Case, CaseState
from conftest import PASSWORD

from .conftest import flagged_response

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


def test_a_case_from_a_flagged_rating_to_delivered_compensation(
    page, live_server, unit, service_type, people
):
    response = flagged_response(unit, service_type, people["officer"], name="Budi Santoso")
    case = workflow.open_case(unit, actor=None, officer=people["officer"], survey_response=response)
    base, url = live_server.url, f"{live_server.url}/kasus/{case.pk}/"

    # B: the back office sees the flagged rating's case and refers it to a hearing.
    log_in(page, base, "bella")
    page.goto(url)
    assert state_of(page) == "Penelaahan"
    page.fill("#id_refer-note", "Nilai perilaku pelaksana 1; petugas yang melayani jelas.")
    submit(page, "refer")
    assert page.url == f"{base}/kasus/"  # no longer the back office's to read
    log_out(page)

    # C: the coordinator summons the officer, records the hearing and proposes a sanction.
    log_in(page, base, "cici")
    page.goto(url)
    assert state_of(page) == "Klarifikasi"
    page.fill("#id_summon-scheduled_at", "2026-12-01T09:00")
    page.fill("#id_summon-place", "Ruang Koordinator ULT")
    submit(page, "summon")
    page.fill("#id_hearing-explanation", "Petugas mengakui kurang sabar saat antrean panjang.")
    page.fill("#id_hearing-defence", "Hari itu antrean sangat panjang.")
    submit(page, "hearing")
    page.check("input[name=propose-violations][value=v04]")
    page.check("input[name=propose-violations][value=v07]")
    page.select_option("#id_propose-sanction", "teguran-tertulis")
    page.fill("#id_propose-reasoning", "Petugas terbukti mempersulit penerima layanan.")
    submit(page, "propose")
    assert state_of(page) == "Verifikasi"
    assert page.locator("section.action").count() == 0  # nothing left for the coordinator
    log_out(page)

    # D: the person in charge approves the proposal.
    log_in(page, base, "putri")
    page.goto(url)
    page.check("input[name=verify-decision][value=approve]")
    submit(page, "verify")
    assert state_of(page) == "Keputusan"
    assert "jatuh tempo" in page.inner_text("#next-step")
    log_out(page)

    # E: the head issues the decree.
    log_in(page, base, "hadi")
    page.goto(url)
    page.check("input[name=decide-decision][value=issue]")
    page.check("input[name=decide-confirm]")  # having read the draft SK
    submit(page, "decide")
    assert state_of(page) == "Kompensasi"
    number = page.inner_text("#decree-number")
    assert number.startswith("0001/C7.22/OT.02.02/")
    log_out(page)

    # F and G: the coordinator decides the compensation and records its delivery.
    log_in(page, base, "cici")
    page.goto(url)
    assert "Rp" in page.inner_text("#budget-remaining")
    page.check("input[name=compensate-compensations][value=permintaan-maaf]")
    page.check("input[name=compensate-compensations][value=layanan-ulang-langsung]")
    page.fill("#id_compensate-cost", "0")
    submit(page, "compensate")
    assert state_of(page) == "Pemberian kompensasi"
    delivered = timezone.localtime() - datetime.timedelta(minutes=10)
    page.fill("#id_deliver-delivered_at", delivered.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_deliver-method", "Langsung di loket ULT")
    page.check("#id_deliver-customer_acknowledged")
    submit(page, "deliver")
    assert state_of(page) == "Selesai"
    timeline = page.locator("#timeline li")
    assert timeline.count() == 9  # opened, then eight steps

    # The decree as PDF, opened with the coordinator's session.
    href = page.get_attribute("#decree-pdf", "href")
    pdf = page.request.get(f"{base}{href}")
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages).split()
    )
    assert number in text
    assert "Oscar Officer" in text
    assert "Teguran tertulis" in text

    case = Case.objects.get(pk=case.pk)
    assert case.state == CaseState.CLOSED
    assert case.delivery.customer_acknowledged
