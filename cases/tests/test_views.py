"""The staff screens: who sees which case, which forms they are offered, what the forms do."""

from __future__ import annotations

import datetime
import io
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from cases import workflow
from cases.models import Attachment, CaseAction, CaseState
from surveys.models import ImprovementItem
from units.models import Role

S, A = CaseState, CaseAction
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%test\n"


def forms_on(html: str) -> set[str]:
    return set(re.findall(r'id="action-([a-z_]+)"', html))


def login(client, people, role):
    client.force_login(people[role])
    return client


# --- Who reads what ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/kasus/", "/kasus/1/", "/kasus/saya/", "/kasus/baru/", "/perbaikan/"]
)
def test_anonymous_is_sent_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ["coordinator", "person_in_charge", "head", "supervisor"])
def test_readers_see_every_case_of_the_unit(client, make_case, people, role):
    cases = [make_case(state) for state in (S.REVIEW, S.HEARING, S.CLOSED)]
    html = login(client, people, role).get("/kasus/").content.decode()
    for case in cases:
        assert f'id="case-{case.pk}"' in html
        assert login(client, people, role).get(f"/kasus/{case.pk}/").status_code == 200


def test_back_office_sees_the_cases_it_may_refer_or_dismiss(client, make_case, people):
    review, hearing = make_case(S.REVIEW), make_case(S.HEARING)
    login(client, people, "back_office")
    html = client.get("/kasus/").content.decode()
    assert f'id="case-{review.pk}"' in html
    assert f'id="case-{hearing.pk}"' not in html
    assert client.get(f"/kasus/{hearing.pk}/").status_code == 404
    assert forms_on(client.get(f"/kasus/{review.pk}/").content.decode()) == {"refer", "dismiss"}


@pytest.mark.parametrize("role", ["officer", "admin"])
def test_roles_without_case_duties_cannot_open_the_case_list(client, people, make_case, role):
    case = make_case(S.HEARING)
    login(client, people, role)
    assert client.get("/kasus/").status_code == 403
    # A case one does not read is not found, on the web as in the API (cases.access).
    assert client.get(f"/kasus/{case.pk}/").status_code == 404


def test_the_outsider_sees_nothing_of_another_unit(client, make_case, people, outsider):
    case = make_case(S.CLOSED)
    client.force_login(outsider)
    assert f'id="case-{case.pk}"' not in client.get("/kasus/").content.decode()
    assert client.get(f"/kasus/{case.pk}/").status_code == 404
    assert client.get(f"/kasus/{case.pk}/sk.pdf").status_code == 404
    assert client.get(f"/kasus/{case.pk}/surat-maaf.pdf").status_code == 404
    for action in ("refer", "deliver"):
        assert client.post(f"/kasus/{case.pk}/aksi/{action}/").status_code == 404


def test_the_supervisor_reads_everything_and_is_offered_nothing(client, make_case, people):
    login(client, people, "supervisor")
    for state in S.values:
        case = make_case(state)
        html = client.get(f"/kasus/{case.pk}/").content.decode()
        assert forms_on(html) == set()
        assert 'id="timeline"' in html
    review = make_case(S.REVIEW)
    response = client.post(f"/kasus/{review.pk}/aksi/refer/", {"refer-note": "x"})
    assert response.status_code == 403
    review.refresh_from_db()
    assert review.state == S.REVIEW
    assert client.get("/kasus/baru/").status_code == 403


def test_nobody_reads_a_case_about_themselves_in_the_staff_view(client, make_case, unit):
    from conftest import make_member

    coordinator_officer = make_member(unit, "ganda", Role.COORDINATOR, Role.OFFICER)
    case = make_case(S.HEARING, officer=coordinator_officer)
    client.force_login(coordinator_officer)
    assert f'id="case-{case.pk}"' not in client.get("/kasus/").content.decode()
    assert client.get(f"/kasus/{case.pk}/").status_code == 404
    assert f'id="my-case-{case.pk}"' in client.get("/kasus/saya/").content.decode()


# --- The case page ----------------------------------------------------------------------------

OWNER = {
    S.REVIEW: ("coordinator", {"refer", "dismiss"}),
    S.HEARING: ("coordinator", {"summon", "hearing", "propose"}),
    S.VERIFICATION: ("person_in_charge", {"verify"}),
    S.DECISION: ("head", {"decide"}),
    S.COMPENSATION: ("coordinator", {"compensate"}),
    S.DELIVERY: ("coordinator", {"deliver"}),
    S.CLOSED: ("coordinator", set()),
    S.DISMISSED: ("coordinator", set()),
}


@pytest.mark.parametrize("state", S.values)
def test_each_reader_is_offered_exactly_the_actions_they_may_take(client, make_case, people, state):
    case = make_case(state)
    owner, expected = OWNER[state]
    for role in ("coordinator", "person_in_charge", "head", "supervisor"):
        html = login(client, people, role).get(f"/kasus/{case.pk}/").content.decode()
        assert forms_on(html) == (expected if role == owner else set()), role


def test_the_case_page_says_where_it_stands_who_owes_the_next_step_and_by_when(
    client, make_case, people
):
    with time_machine.travel(datetime.datetime(2026, 8, 7, 10, tzinfo=datetime.UTC), tick=False):
        case = make_case(S.DECISION)
        html = login(client, people, "coordinator").get(f"/kasus/{case.pk}/").content.decode()
    assert "Kepala memutuskan" in html  # the state in words
    assert "Langkah berikutnya oleh" in html and "Kepala" in html
    assert "14 Agustus 2026" in html  # the decree is due a week after the approval
    timeline = html.split('id="timeline"')[1]
    assert timeline.count("<li data-action=") == 6  # open, refer, summon, hearing, propose, verify
    assert "Budi Santoso" in html  # staff who read the case see the customer


def test_overdue_shows_in_red_on_the_list_and_the_page(client, make_case, people):
    with time_machine.travel(datetime.datetime(2026, 8, 3, 10, tzinfo=datetime.UTC), tick=False):
        late = make_case(S.DECISION)
    with time_machine.travel(datetime.datetime(2026, 8, 20, 10, tzinfo=datetime.UTC), tick=False):
        on_time = make_case(S.DECISION)
        login(client, people, "head")
        html = client.get("/kasus/").content.decode()
        assert f'<tr id="case-{late.pk}" class="overdue">' in html
        assert f'<tr id="case-{on_time.pk}">' in html
        overdue_only = client.get("/kasus/?overdue=on").content.decode()
        assert f'id="case-{late.pk}"' in overdue_only
        assert f'id="case-{on_time.pk}"' not in overdue_only
        assert 'class="overdue"' in client.get(f"/kasus/{late.pk}/").content.decode()


def test_the_list_filters_by_state_officer_and_period(client, make_case, people):
    with time_machine.travel(datetime.datetime(2026, 3, 10, 3, tzinfo=datetime.UTC), tick=False):
        march = make_case(S.REVIEW)
    with time_machine.travel(datetime.datetime(2026, 5, 10, 3, tzinfo=datetime.UTC), tick=False):
        may = make_case(S.HEARING, officer=people["officer2"])
    login(client, people, "coordinator")

    def listed(query):
        html = client.get(f"/kasus/?{query}").content.decode()
        return {c.pk for c in (march, may) if f'id="case-{c.pk}"' in html}

    assert listed("") == {march.pk, may.pk}
    assert listed("state=hearing") == {may.pk}
    assert listed(f"officer={people['officer2'].username}") == {may.pk}
    assert listed("start=2026-03-01&end=2026-03-31") == {march.pk}
    assert listed("start=2026-04-01") == {may.pk}


def test_the_list_shows_each_reader_what_they_read_in_full(client, make_case, people, unit):
    from units.models import Membership

    Membership.objects.create(unit=unit, user=people["coordinator"], role=Role.OFFICER)
    review, hearing = make_case(S.REVIEW), make_case(S.HEARING)
    about_coordinator = make_case(S.REVIEW, officer=people["coordinator"])

    def listed(role):
        login(client, people, role)
        html = client.get("/kasus/").content.decode()
        return {c.pk for c in (review, hearing, about_coordinator) if f'id="case-{c.pk}"' in html}

    assert listed("head") == {review.pk, hearing.pk, about_coordinator.pk}
    assert listed("back_office") == {review.pk, about_coordinator.pk}  # what it refers
    assert listed("coordinator") == {review.pk, hearing.pk}  # never a case about oneself


def test_the_list_costs_a_fixed_number_of_queries(
    client, make_case, people, django_assert_max_num_queries
):
    for state in [S.REVIEW, S.HEARING, S.CLOSED] * 5:
        make_case(state)
    login(client, people, "coordinator")
    with django_assert_max_num_queries(9):
        response = client.get("/kasus/?state=&overdue=")
    assert response.content.decode().count('<tr id="case-') == 15


# --- Taking actions through the forms ---------------------------------------------------------


def test_back_office_refers_a_case_through_its_form(client, make_case, people):
    case = make_case(S.REVIEW)
    login(client, people, "back_office")
    response = client.post(f"/kasus/{case.pk}/aksi/refer/", {"refer-note": "Jelas petugasnya."})
    assert response.status_code == 302
    assert response["Location"] == "/kasus/"  # the back office no longer reads it
    case.refresh_from_db()
    assert case.state == S.HEARING
    assert case.events.last().data == {"note": "Jelas petugasnya."}


def test_a_form_error_is_shown_on_the_form(client, make_case, people):
    case = make_case(S.REVIEW)
    response = login(client, people, "coordinator").post(
        f"/kasus/{case.pk}/aksi/dismiss/", {"dismiss-reason": ""}
    )
    assert response.status_code == 400
    assert "Bidang ini harus diisi." in response.content.decode()
    case.refresh_from_db()
    assert case.state == S.REVIEW


def test_a_stale_form_answers_409(client, make_case, people):
    case = make_case(S.HEARING)
    response = login(client, people, "coordinator").post(
        f"/kasus/{case.pk}/aksi/refer/", {"refer-note": "x"}
    )
    assert response.status_code == 409
    assert "tidak memungkinkan" in response.content.decode()


def test_a_wrong_role_answers_403(client, make_case, people):
    case = make_case(S.VERIFICATION)
    response = login(client, people, "head").post(
        f"/kasus/{case.pk}/aksi/verify/", {"verify-decision": "approve"}
    )
    assert response.status_code == 403


def test_the_coordinator_sees_the_remaining_budget_and_must_confirm_going_over(
    client, make_case, people, budget
):
    case = make_case(S.COMPENSATION)
    login(client, people, "coordinator")
    html = client.get(f"/kasus/{case.pk}/").content.decode()
    assert 'id="budget-remaining"' in html and "Rp 1.000.000" in html
    data = {"compensate-compensations": ["permintaan-maaf"], "compensate-cost": "1500000"}
    response = client.post(f"/kasus/{case.pk}/aksi/compensate/", data)
    assert response.status_code == 400
    assert "melebihi" in response.content.decode()
    response = client.post(
        f"/kasus/{case.pk}/aksi/compensate/", {**data, "compensate-confirm_over_budget": "on"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == S.DELIVERY
    assert case.compensation.over_budget


def test_the_back_office_opens_a_case_by_hand_with_a_reason(client, people, unit):
    login(client, people, "back_office")
    html = client.get("/kasus/baru/").content.decode()
    assert ">Oscar Officer</option>" in html and ">Bella Back</option>" not in html
    missing = client.post("/kasus/baru/", {"officer": people["officer"].pk, "reason": ""})
    assert missing.status_code == 400
    response = client.post(
        "/kasus/baru/", {"officer": people["officer"].pk, "reason": "Laporan lisan pelanggan."}
    )
    case = unit.cases.get()
    assert response["Location"] == f"/kasus/{case.pk}/"
    assert (case.source_kind, case.reason) == ("manual", "Laporan lisan pelanggan.")


# --- Attachments ------------------------------------------------------------------------------


def test_hearing_attachments_are_checked_by_content_and_served_to_readers_only(
    client, make_case, people, outsider, settings
):
    case = make_case("summoned")
    login(client, people, "coordinator")
    fake = SimpleUploadedFile("bukti.pdf", b"not really a pdf", content_type="application/pdf")
    response = client.post(
        f"/kasus/{case.pk}/aksi/hearing/",
        {"hearing-explanation": "Penjelasan", "hearing-attachments": [fake]},
    )
    assert response.status_code == 400
    assert "bukan berkas PDF, JPEG, atau PNG" in response.content.decode()
    good = SimpleUploadedFile("foto.png", PNG, content_type="image/png")
    response = client.post(
        f"/kasus/{case.pk}/aksi/hearing/",
        {"hearing-explanation": "Penjelasan", "hearing-attachments": [good]},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.file.path.startswith(str(settings.MEDIA_ROOT))
    assert not attachment.file.name.endswith("foto.png")  # stored under a random name
    url = f"/kasus/{case.pk}/lampiran/{attachment.pk}/"
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    assert download["Content-Type"] == "image/png"
    assert download["X-Content-Type-Options"] == "nosniff"
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    login(client, people, "officer")  # the officer does not get the hearing's evidence
    assert client.get(url).status_code == 404


def test_attachments_over_five_megabytes_are_refused(client, make_case, people):
    case = make_case("summoned")
    big = SimpleUploadedFile("besar.pdf", PDF + b"0" * (5 * 1024 * 1024), "application/pdf")
    response = login(client, people, "coordinator").post(
        f"/kasus/{case.pk}/aksi/hearing/",
        {"hearing-explanation": "Penjelasan", "hearing-attachments": [big]},
    )
    assert response.status_code == 400
    assert Attachment.objects.count() == 0


# --- The officer's own view -------------------------------------------------------------------


def test_the_officer_sees_own_cases_and_summons_but_never_the_customer(client, make_case, people):
    mine = make_case(S.HEARING, name="Budi Santoso", contact="budi@contoh.id")
    workflow.summon_officer(
        mine,
        actor=people["coordinator"],
        scheduled_at=timezone.make_aware(datetime.datetime(2099, 12, 1, 9, 0)),
        place="Ruang Kepala ULT",
    )
    other = make_case(S.HEARING, officer=people["officer2"])
    html = login(client, people, "officer").get("/kasus/saya/").content.decode()
    assert f'id="my-case-{mine.pk}"' in html
    assert f'id="my-case-{other.pk}"' not in html
    assert "Ruang Kepala ULT" in html and "1 Desember 2099" in html
    for secret in ("Budi", "budi@contoh.id", "Nilai U7"):
        assert secret not in html
    assert f'action="/kasus/saya/{mine.pk}/pembelaan/"' in html


def test_the_officer_submits_a_written_defence_with_a_file(client, make_case, people):
    case = make_case(S.HEARING)
    login(client, people, "officer")
    response = client.post(
        f"/kasus/saya/{case.pk}/pembelaan/",
        {
            "defence-defence": "Saya sudah melayani sesuai SOP.",
            "defence-attachments": [SimpleUploadedFile("surat.pdf", PDF, "application/pdf")],
        },
    )
    assert response.status_code == 302
    hearing = case.hearings.get()
    assert hearing.written_defence == "Saya sudah melayani sesuai SOP."
    attachment = hearing.attachments.get()
    assert client.get(f"/kasus/{case.pk}/lampiran/{attachment.pk}/").status_code == 200
    assert case.events.last().action == "defence"


def test_another_officer_cannot_defend_or_see_someone_elses_case(client, make_case, people):
    case = make_case(S.HEARING)
    login(client, people, "officer2")
    response = client.post(f"/kasus/saya/{case.pk}/pembelaan/", {"defence-defence": "x"})
    assert response.status_code == 404
    assert client.get(f"/kasus/{case.pk}/sk.pdf").status_code == 404


def test_no_defence_once_the_hearing_stage_is_over(client, make_case, people):
    case = make_case(S.VERIFICATION)
    login(client, people, "officer")
    response = client.post(f"/kasus/saya/{case.pk}/pembelaan/", {"defence-defence": "x"})
    assert response.status_code == 302
    assert not case.hearings.exclude(written_defence="").exists()


# --- Documents --------------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split()
    )


def test_the_decree_pdf_for_readers_and_the_officer_of_the_case(client, make_case, people):
    case = make_case(S.CLOSED)
    for role in ("coordinator", "supervisor", "officer"):
        response = login(client, people, role).get(f"/kasus/{case.pk}/sk.pdf")
        assert response.status_code == 200, role
        assert response["Content-Type"] == "application/pdf"
    assert case.decree.number in pdf_text(response.content)
    login(client, people, "back_office")
    assert client.get(f"/kasus/{case.pk}/sk.pdf").status_code == 404
    login(client, people, "coordinator")
    assert client.get(f"/kasus/{make_case(S.DECISION).pk}/sk.pdf").status_code == 404


def test_the_apology_letter_goes_from_the_coordinator_to_the_customer(client, make_case, people):
    case = make_case(S.DELIVERY, name="Budi Santoso")
    response = login(client, people, "coordinator").get(f"/kasus/{case.pk}/surat-maaf.pdf")
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Budi Santoso" in text
    assert "Penyampaian permohonan maaf oleh Koordinator ULT" in text
    assert "Cici Koordinator" in text
    assert "Oscar" not in text and "Teguran" not in text
    login(client, people, "officer")
    assert client.get(f"/kasus/{case.pk}/surat-maaf.pdf").status_code == 404


# --- Improvement items ------------------------------------------------------------------------


@pytest.fixture
def item(unit):
    return ImprovementItem.objects.create(
        unit=unit, elements="U8", description="Kursi ruang tunggu rusak.", created_at=timezone.now()
    )


def test_the_coordinator_marks_an_improvement_done(client, people, item):
    login(client, people, "coordinator")
    assert "Kursi ruang tunggu rusak." in client.get("/perbaikan/").content.decode()
    response = client.post(f"/perbaikan/{item.pk}/selesai/", {"resolution": "Kursi diganti."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.resolution, item.resolved_by) == (
        "done",
        "Kursi diganti.",
        people["coordinator"],
    )
    assert "Kursi diganti." in client.get("/perbaikan/?status=done").content.decode()


def test_the_supervisor_reads_improvements_but_cannot_mark_them(client, people, item):
    login(client, people, "supervisor")
    html = client.get("/perbaikan/").content.decode()
    assert "Kursi ruang tunggu rusak." in html
    assert "/selesai/" not in html
    assert client.post(f"/perbaikan/{item.pk}/selesai/", {"resolution": "x"}).status_code == 403
    item.refresh_from_db()
    assert item.status == "open"


def test_another_units_improvement_is_not_found(client, outsider, item):
    client.force_login(outsider)
    assert "Kursi" not in client.get("/perbaikan/").content.decode()
    assert client.post(f"/perbaikan/{item.pk}/selesai/", {"resolution": "x"}).status_code == 404


# --- Home and navigation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "panel"),
    [
        ("back_office", "cases-review"),
        ("coordinator", "cases-hearing"),
        ("person_in_charge", "cases-verification"),
        ("head", "cases-decision"),
        ("supervisor", "cases-overdue"),
        ("officer", "cases-mine"),
    ],
)
def test_each_role_finds_its_cases_on_its_home(client, make_case, people, role, panel):
    make_case(S.HEARING)
    html = login(client, people, role).get("/").content.decode()
    assert f'id="{panel}"' in html


# --- Every view against the outsider and the read-only supervisor -----------------------------


@pytest.fixture
def every_url(make_case, people, item):
    """Each cases view with a real object behind it: (method, url, data)."""
    case = make_case("summoned")
    workflow.record_hearing(
        case,
        actor=people["coordinator"],
        explanation="Penjelasan",
        attachments=[SimpleUploadedFile("foto.png", PNG, "image/png")],
    )
    closed = make_case(S.CLOSED)
    return {
        "list": ("get", "/kasus/", {}),
        "detail": ("get", f"/kasus/{case.pk}/", {}),
        "action": ("post", f"/kasus/{case.pk}/aksi/propose/", {"propose-reasoning": "x"}),
        "open": ("post", "/kasus/baru/", {"officer": people["officer"].pk, "reason": "x"}),
        "mine": ("get", "/kasus/saya/", {}),
        "defence": ("post", f"/kasus/saya/{case.pk}/pembelaan/", {"defence-defence": "x"}),
        "decree": ("get", f"/kasus/{closed.pk}/sk.pdf", {}),
        "apology": ("get", f"/kasus/{closed.pk}/surat-maaf.pdf", {}),
        "attachment": ("get", f"/kasus/{case.pk}/lampiran/{Attachment.objects.get().pk}/", {}),
        "improvements": ("get", "/perbaikan/", {}),
        "improvement-done": ("post", f"/perbaikan/{item.pk}/selesai/", {"resolution": "x"}),
    }


# What the outsider (every role, in another unit) gets: never our data. The list pages answer
# 200 with their own (empty) unit; the manual opening form refuses our officer.
OUTSIDER = {
    "list": 200, "detail": 404, "action": 404, "open": 400, "mine": 200, "defence": 404,
    "decree": 404, "apology": 404, "attachment": 404, "improvements": 200,
    "improvement-done": 404,
}  # fmt: skip
# The supervisor reads everything and changes nothing.
SUPERVISOR = {
    "list": 200, "detail": 200, "action": 403, "open": 403, "mine": 403, "defence": 403,
    "decree": 200, "apology": 200, "attachment": 200, "improvements": 200,
    "improvement-done": 403,
}  # fmt: skip


@pytest.mark.parametrize("view", list(OUTSIDER))
def test_the_outsider_gets_nothing_and_the_supervisor_only_reads(
    client, people, outsider, every_url, view, unit
):
    method, url, data = every_url[view]
    events = sum(c.events.count() for c in unit.cases.all())
    client.force_login(outsider)
    response = getattr(client, method)(url, data)
    assert response.status_code == OUTSIDER[view]
    if response.status_code == 200 and method == "get" and "pdf" not in url:
        html = response.content.decode()
        assert "Budi" not in html and "Oscar" not in html
    client.force_login(people["supervisor"])
    assert getattr(client, method)(url, data).status_code == SUPERVISOR[view]
    assert sum(c.events.count() for c in unit.cases.all()) == events
    assert unit.cases.count() == 2


def test_a_hearing_refuses_a_pdf_that_is_also_a_web_page_and_names_downloads_by_type(
    client, make_case, people
):
    case = make_case("summoned")  # due process: a hearing is recorded against its summons
    login(client, people, "coordinator")
    polyglot = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n" + PDF
    evil = SimpleUploadedFile("evil.html", polyglot, content_type="application/pdf")
    response = client.post(
        f"/kasus/{case.pk}/aksi/hearing/",
        {"hearing-explanation": "Penjelasan", "hearing-attachments": [evil]},
    )
    assert response.status_code == 400
    assert not Attachment.objects.exists()
    plain = SimpleUploadedFile("evil.html", PDF, content_type="text/html")
    response = client.post(
        f"/kasus/{case.pk}/aksi/hearing/",
        {"hearing-explanation": "Penjelasan", "hearing-attachments": [plain]},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    download = client.get(f"/kasus/{case.pk}/lampiran/{attachment.pk}/")
    assert download["Content-Disposition"] == 'attachment; filename="evil.pdf"'
    assert download["Content-Type"] == "application/pdf"
