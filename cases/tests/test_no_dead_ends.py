"""Issue 15.4, no dead ends: the case page shows what caused it and links it, every reference to
a case is a link for whoever may open it, after an action the actor lands on the case (or, when
the case leaves their sight, back where they came from), and the evidence comes before the
form that decides on it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cases import intake
from cases.models import Case, CaseState
from cases.workflow import CaseAction as A
from complaints.services import record_complaint

from .conftest import flagged_response

S = CaseState


def local_day(case) -> str:
    moment = case.survey_response.submitted_at
    return timezone.localtime(moment, case.unit.zone).date().isoformat()


def test_the_case_page_shows_the_answer_that_caused_it_and_links_it(make_case, people, client):
    case = make_case(S.REVIEW)
    case.survey_response.comment = "Petugas membentak saya."
    case.survey_response.save(update_fields=["comment"])
    client.force_login(people["coordinator"])
    page = client.get(f"/kasus/{case.pk}/").content.decode()
    finding = page[page.index('id="finding"') :]
    assert "U7 Perilaku pelaksana" in finding
    assert "1 (Tidak sopan dan ramah)" in finding
    assert "Petugas membentak saya." in finding
    link = f"/harian/?day={local_day(case)}#response-{case.survey_response.pk}"
    assert f'<a href="{link}">Jawaban SKM #{case.survey_response.pk}</a>' in page
    # the link leads to the row of that answer on the day's check
    day = client.get(link.split("#")[0]).content.decode()
    assert f'id="response-{case.survey_response.pk}"' in day


def test_the_back_office_reads_the_cause_but_the_officer_never_the_case_page(
    make_case, people, client
):
    case = make_case(S.REVIEW)
    client.force_login(people["back_office"])
    assert "U7 Perilaku pelaksana" in client.get(f"/kasus/{case.pk}/").content.decode()
    client.force_login(people["officer"])
    assert client.get(f"/kasus/{case.pk}/").status_code == 404
    # the officer's own view keeps its rules: no customer name or contact
    mine = client.get("/kasus/saya/").content.decode()
    assert "Budi Santoso" not in mine and "budi@contoh.id" not in mine


@pytest.fixture
def complaint(unit, people):
    return record_complaint(
        unit,
        actor=people["back_office"],
        channel="in_person",
        text="Petugas membentak saya di loket.",
        name="Rina",
        contact="rina@contoh.id",
    )


def test_a_triage_into_a_case_lands_on_the_case_that_links_the_complaint_back(
    complaint, people, client
):
    client.force_login(people["coordinator"])
    response = client.post(
        f"/pengaduan/{complaint.pk}/triase/",
        {"outcome": "case", "officer": "oscar", "note": ""},
    )
    case = Case.objects.get(complaint=complaint)
    assert response.status_code == 302 and response["Location"] == f"/kasus/{case.pk}/"
    page = client.get(f"/kasus/{case.pk}/").content.decode()
    assert "Petugas membentak saya di loket." in page[page.index('id="finding"') :]
    assert f'<a href="/pengaduan/{complaint.pk}/">Pengaduan #{complaint.pk}</a>' in page
    # the complaint page links the case, and names the officer, not their username
    detail = client.get(f"/pengaduan/{complaint.pk}/").content.decode()
    assert detail.count(f'href="/kasus/{case.pk}/"') == 2  # follow-up and history
    timeline = detail[detail.index('id="timeline"') :]
    timeline = timeline[: timeline.index("</ol>")]
    assert "Oscar Officer" in timeline and "oscar" not in timeline.replace("Oscar", "")


def test_a_reader_who_may_not_open_the_case_sees_its_number_without_a_link(
    complaint, people, client
):
    intake.triage_complaint(
        complaint, actor=people["coordinator"], outcome="case", officer=people["officer"]
    )
    case = Case.objects.get(complaint=complaint)
    client.force_login(people["back_office"])  # reads complaints, and cases only in review
    case.state = S.HEARING
    case.save(update_fields=["state"])
    detail = client.get(f"/pengaduan/{complaint.pk}/").content.decode()
    assert f"#{case.pk}" in detail and f'href="/kasus/{case.pk}/"' not in detail


def test_referring_from_the_daily_check_lands_on_the_new_case(unit, service_type, people, client):
    response = flagged_response(unit, service_type, people["officer"])
    client.force_login(people["back_office"])
    answer = client.post("/harian/rujuk/", {"responses": [response.pk]})
    case = Case.objects.get(survey_response=response)
    assert answer.status_code == 302 and answer["Location"] == f"/kasus/{case.pk}/"


def test_an_action_that_takes_the_case_out_of_sight_returns_to_the_page_before(
    make_case, people, client
):
    case = make_case(S.REVIEW)
    client.force_login(people["back_office"])
    came_from = "/harian/?day=2026-12-01"
    page = client.get(f"/kasus/{case.pk}/", HTTP_REFERER=f"http://testserver{came_from}")
    assert f'name="next" value="{came_from}"' in page.content.decode()
    answer = client.post(
        f"/kasus/{case.pk}/aksi/refer/", {"refer-note": "Perlu diperiksa.", "next": came_from}
    )
    assert answer.status_code == 302 and answer["Location"] == came_from
    message = client.get(came_from).content.decode()
    assert f"Kasus #{case.pk}" in message
    # a next that points off the site, or at the case page itself, falls back to the list
    other = make_case(S.REVIEW)
    for bad in ("https://evil.example/", f"/kasus/{other.pk}/"):
        fresh = make_case(S.REVIEW)
        answer = client.post(f"/kasus/{fresh.pk}/aksi/refer/", {"refer-note": "x", "next": bad})
        assert answer["Location"] == "/kasus/"


def test_an_action_the_actor_still_reads_lands_on_the_case(make_case, people, client):
    case = make_case(S.REVIEW)
    client.force_login(people["coordinator"])
    answer = client.post(f"/kasus/{case.pk}/aksi/refer/", {"refer-note": "", "next": "/kasus/"})
    assert answer["Location"] == f"/kasus/{case.pk}/"


@pytest.mark.parametrize(
    ("state", "role", "action"),
    [(S.VERIFICATION, "person_in_charge", A.VERIFY), (S.DECISION, "head", A.DECIDE)],
)
def test_the_evidence_comes_before_the_form_that_decides_on_it(
    make_case, people, client, state, role, action
):
    case = make_case(state)
    client.force_login(people[role])
    page = client.get(f"/kasus/{case.pk}/").content.decode()
    form = page.index(f'id="action-{action}"')
    for evidence in ('id="finding"', 'id="hearings"', 'id="proposals"'):
        assert page.index(evidence) < form, evidence


def test_the_history_shows_names_and_labels_never_codes(make_case, people, client):
    case = make_case(S.DECISION)
    client.force_login(people["head"])
    page = client.get(f"/kasus/{case.pk}/").content.decode()
    timeline = page[page.index('id="timeline"') :]
    timeline = timeline[: timeline.index("</ol>")]  # the events, not the mail sent
    proposal = case.proposals.get()
    assert proposal.sanction.name in timeline
    assert proposal.sanction.code not in timeline
    for violation in proposal.violations.all():
        assert f"{violation.code.upper()} — {violation.text}" in timeline
    assert "oscar" not in timeline  # usernames never, names always


def test_a_get_on_an_action_url_goes_to_the_case_page(make_case, people, client):
    case = make_case(S.REVIEW)
    client.force_login(people["coordinator"])
    answer = client.get(f"/kasus/{case.pk}/aksi/refer/")
    assert answer.status_code == 302 and answer["Location"] == f"/kasus/{case.pk}/"
