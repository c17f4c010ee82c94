"""Intake (cases.intake): flagged responses become cases only from the daily check (A → B → C),
one or several at once, or are declined with a reason; a walk-in response naming an officer is
unverified and needs a note; complaints are triaged from the cases side; the domains below
never import `cases`."""

from __future__ import annotations

import ast
import pathlib

import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from api.tokens import issue_token
from cases import intake, workflow
from cases.models import Case, CaseAction, CaseState, SourceKind
from complaints.models import Complaint, ComplaintStatus
from complaints.services import record_complaint
from pulih.lib.errors import ActionForbidden, InvalidInput, StateConflict
from surveys.models import FlagReview, ImprovementItem, ReviewOutcome
from surveys.services import officer_codes, record_service, submit_response, submit_survey
from units.models import ELEMENT_CODES

GOOD = dict.fromkeys(ELEMENT_CODES, 4)
POOR = {**GOOD, "U7": 1}  # the officer's element


@pytest.fixture
def receipt(unit, service_type, people):
    """A response to a receipt's survey (verified), rated poorly on the officer's behaviour."""

    def make(officer=None, answers=POOR):
        record = record_service(
            unit,
            actor=people["back_office"],
            service_type=service_type,
            officer=officer or people["officer"],
            customer_name="Siti Pelanggan",
            customer_contact="081234567890",
        )
        return submit_survey(record.survey_token, answers=answers, comment="Tidak ramah")

    return make


@pytest.fixture
def walk_in(unit, service_type, people):
    """A walk-in response (no receipt) that names an officer: unverified."""

    def make(officer=None, answers=POOR):
        return submit_response(
            unit,
            answers=answers,
            service_type=service_type,
            officer=officer if officer is not None else people["officer"],
        )

    return make


def day_of(response) -> str:
    return response.submitted_at.astimezone(response.unit.zone).date().isoformat()


# --- the service ------------------------------------------------------------------------------


def test_a_flagged_response_opens_no_case_until_the_daily_check_refers_it(receipt, people):
    response = receipt()
    assert response.flagged and not Case.objects.exists()
    (case,) = intake.refer_flagged_responses([response], actor=people["back_office"])
    assert (case.state, case.source_kind, case.survey_response) == (
        CaseState.REVIEW,
        SourceKind.SURVEY,
        response,
    )
    assert case.officer == people["officer"] and case.opened_by == people["back_office"]
    assert "U7" in case.reason
    review = FlagReview.objects.get(response=response)
    assert (review.outcome, review.decided_by) == (ReviewOutcome.REFERRED, people["back_office"])
    assert case.events.get().action == CaseAction.OPEN


def test_several_responses_are_referred_at_once_all_or_none(receipt, people):
    responses = [receipt(), receipt(people["officer2"]), receipt()]
    cases = intake.refer_flagged_responses(responses, actor=people["coordinator"], note="Pola")
    assert [c.officer for c in cases] == [people["officer"], people["officer2"], people["officer"]]
    assert all(c.reason.endswith("Pola") for c in cases)
    fresh = receipt()
    with pytest.raises(StateConflict):  # one of them is already referred: nothing is written
        intake.refer_flagged_responses([fresh, responses[0]], actor=people["back_office"])
    assert Case.objects.count() == 3 and not FlagReview.objects.filter(response=fresh).exists()


def test_a_response_is_never_referred_twice_nor_declined_after(receipt, people):
    response = receipt()
    intake.refer_flagged_responses([response], actor=people["back_office"])
    with pytest.raises(StateConflict):
        intake.refer_flagged_responses([response], actor=people["coordinator"])
    with pytest.raises(StateConflict):
        intake.decline_flagged_response(response, actor=people["coordinator"], reason="x")
    assert Case.objects.count() == 1


def test_an_unverified_walk_in_is_referred_only_with_a_note(walk_in, people):
    response = walk_in()
    assert response.unverified and response.flagged
    with pytest.raises(InvalidInput) as caught:
        intake.refer_flagged_responses([response], actor=people["back_office"])
    assert "note" in caught.value.fields
    assert not Case.objects.exists() and not FlagReview.objects.exists()
    note = "Pelanggan datang lagi dan menyebut petugas yang sama di depan saksi."
    (case,) = intake.refer_flagged_responses([response], actor=people["back_office"], note=note)
    assert note in case.reason and FlagReview.objects.get().note == note


def test_a_response_naming_no_officer_is_referred_about_the_officer_chosen(walk_in, people, unit):
    response = submit_response(unit, answers=POOR)  # nobody named: not unverified, no officer
    assert not response.unverified
    with pytest.raises(InvalidInput) as caught:
        intake.refer_flagged_responses([response], actor=people["back_office"])
    assert "officer" in caught.value.fields
    (case,) = intake.refer_flagged_responses(
        [response], actor=people["back_office"], officer=people["officer2"]
    )
    assert case.officer == people["officer2"]


def test_only_an_officer_of_the_unit_can_be_the_officer_of_a_case(unit, people):
    """The check lives in the one service that opens cases, whatever door is used."""
    response = submit_response(unit, answers=POOR)
    with pytest.raises(InvalidInput) as caught:
        intake.refer_flagged_responses(
            [response], actor=people["back_office"], officer=people["head"]
        )
    assert "officer" in caught.value.fields
    with pytest.raises(InvalidInput):
        workflow.open_case(unit, actor=people["coordinator"], officer=people["head"], reason="x")
    assert not Case.objects.exists()


def test_a_rating_of_the_institution_only_is_not_referred(receipt, people):
    response = receipt(answers={**GOOD, "U8": 1})
    with pytest.raises(InvalidInput) as caught:
        intake.refer_flagged_responses([response], actor=people["back_office"])
    assert "responses" in caught.value.fields
    assert ImprovementItem.objects.get().survey_response == response


@pytest.mark.parametrize("role", ["officer", "officer2", "head", "person_in_charge", "supervisor"])
def test_only_the_back_office_and_the_coordinator_refer_or_decline(receipt, people, role):
    response = receipt()
    with pytest.raises(ActionForbidden):
        intake.refer_flagged_responses([response], actor=people[role], note="x")
    with pytest.raises(ActionForbidden):
        intake.decline_flagged_response(response, actor=people[role], reason="x")


def test_declining_records_the_reason_on_the_response(receipt, people):
    response = receipt()
    with pytest.raises(InvalidInput) as caught:
        intake.decline_flagged_response(response, actor=people["back_office"], reason="  ")
    assert "reason" in caught.value.fields
    review = intake.decline_flagged_response(
        response, actor=people["back_office"], reason="Pelanggan salah memilih layanan."
    )
    assert (review.outcome, review.note) == (ReviewOutcome.NOT_REFERRED, review.note)
    with pytest.raises(StateConflict):
        intake.refer_flagged_responses([response], actor=people["coordinator"])
    assert not Case.objects.exists()


# --- the daily check on screen ----------------------------------------------------------------


def test_the_daily_check_refers_ticked_responses_and_links_to_their_cases(client, receipt, people):
    first, second = receipt(), receipt(people["officer2"])
    client.force_login(people["back_office"])
    page = client.get(f"/harian/?day={day_of(first)}").content.decode()
    assert f'name="responses" value="{first.pk}"' in page
    response = client.post(
        "/harian/rujuk/", {"responses": [first.pk, second.pk], "day": day_of(first)}
    )
    assert response.status_code == 302
    cases = {c.survey_response_id: c for c in Case.objects.all()}
    assert set(cases) == {first.pk, second.pk}
    page = client.get(f"/harian/?day={day_of(first)}").content.decode()
    for case in cases.values():  # the rows link to their case (surveys.views.case_link's bug)
        assert f'href="/kasus/{case.pk}/"' in page
    assert f'name="responses" value="{first.pk}"' not in page  # nothing left to refer


def test_the_daily_check_refuses_an_unverified_referral_without_a_note(client, walk_in, people):
    response = walk_in()
    client.force_login(people["coordinator"])
    page = client.get(f"/harian/?day={day_of(response)}").content.decode()
    row = page[page.index(f'data-response="{response.pk}"') :]
    assert "belum terverifikasi" in row[: row.index("</tr>")]
    refused = client.post("/harian/rujuk/", {"responses": [response.pk]})
    assert refused.status_code == 400
    assert "belum terverifikasi" in refused.content.decode()
    assert not Case.objects.exists()
    done = client.post(
        "/harian/rujuk/", {"responses": [response.pk], "note": "Dikonfirmasi lewat CCTV loket."}
    )
    assert done.status_code == 302
    case = Case.objects.get()
    detail = client.get(f"/kasus/{case.pk}/").content.decode()
    assert 'id="source-unverified"' in detail


def test_the_daily_check_records_why_a_response_is_not_referred(client, receipt, people):
    response = receipt()
    client.force_login(people["back_office"])
    url = f"/harian/respons/{response.pk}/tidak-dirujuk/"
    client.post(url, {"reason": ""})
    assert not FlagReview.objects.exists()
    assert client.post(url, {"reason": "Layanan sudah diulang."}).status_code == 302
    page = client.get(f"/harian/?day={day_of(response)}").content.decode()
    assert "Tidak diteruskan (Bella Back): Layanan sudah diulang." in page


@pytest.mark.parametrize("role", ["officer", "head", "supervisor"])
def test_other_roles_cannot_refer_on_screen(client, receipt, people, role):
    response = receipt()
    client.force_login(people[role])
    assert client.post("/harian/rujuk/", {"responses": [response.pk]}).status_code == 403
    url = f"/harian/respons/{response.pk}/tidak-dirujuk/"
    assert client.post(url, {"reason": "x"}).status_code == 403
    assert not Case.objects.exists() and not FlagReview.objects.exists()


def test_another_units_response_is_not_referred(client, receipt, outsider):
    response = receipt()
    client.force_login(outsider)
    client.post("/harian/rujuk/", {"responses": [response.pk], "note": "x"})
    client.post(f"/harian/respons/{response.pk}/tidak-dirujuk/", {"reason": "x"})
    assert not Case.objects.exists() and not FlagReview.objects.exists()


def test_bad_referral_input_is_never_a_500(client, receipt, people):
    client.force_login(people["back_office"])
    for data in ({"responses": ["x"]}, {"responses": ["999999"]}, {"officer": "zz"}, {}):
        assert client.post("/harian/rujuk/", data).status_code in (302, 400)


# --- the API ----------------------------------------------------------------------------------


@pytest.fixture
def api():
    return APIClient()


def login(api, user):
    _row, token = issue_token(user)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")


def test_the_api_refers_a_flagged_response_into_a_case(api, receipt, people):
    response = receipt()
    login(api, people["back_office"])
    created = api.post(
        "/api/v1/cases/", {"source": "survey", "survey_response": response.pk}, format="json"
    )
    assert created.status_code == 201
    body = created.json()
    assert body["source"] == {"kind": "survey", "id": response.pk}
    assert body["officer"] == "oscar" and body["state"] == "review"
    again = api.post(
        "/api/v1/cases/", {"source": "survey", "survey_response": response.pk}, format="json"
    )
    assert again.status_code == 409


def test_the_api_refuses_an_unverified_referral_without_a_note(api, walk_in, people):
    response = walk_in()
    login(api, people["coordinator"])
    body = {"source": "survey", "survey_response": response.pk}
    refused = api.post("/api/v1/cases/", body, format="json")
    assert refused.status_code == 400 and "note" in refused.json()
    recap = api.get(f"/api/v1/recap/?unit={response.unit.code}&date={day_of(response)}").json()
    assert recap["flagged"][0]["unverified"] is True
    assert recap["flagged"][0]["officer_code"] == officer_codes(response.unit)[people["officer"].pk]
    created = api.post("/api/v1/cases/", {**body, "note": "Saksi di loket."}, format="json")
    assert created.status_code == 201


def test_the_api_payload_errors_name_the_field(api, receipt, people, other_unit):
    login(api, people["back_office"])
    assert (
        "survey_response" in api.post("/api/v1/cases/", {"source": "survey"}, format="json").json()
    )
    bad = api.post("/api/v1/cases/", {"source": "survey", "survey_response": "1"}, format="json")
    assert bad.status_code == 400 and "survey_response" in bad.json()
    missing = api.post("/api/v1/cases/", {"source": "survey", "survey_response": 99}, format="json")
    assert missing.status_code == 400 and "survey_response" in missing.json()
    manual = api.post("/api/v1/cases/", {"officer": "oscar"}, format="json")
    assert manual.status_code == 400 and "reason" in manual.json()
    login(api, people["officer"])
    response = receipt()
    forbidden = api.post(
        "/api/v1/cases/", {"source": "survey", "survey_response": response.pk}, format="json"
    )
    assert forbidden.status_code == 403


def test_the_api_declines_a_flagged_response_with_a_reason(api, receipt, people, outsider):
    response = receipt()
    url = f"/api/v1/survey-responses/{response.pk}/decline/"
    login(api, outsider)
    assert api.post(url, {"reason": "x"}, format="json").status_code == 404
    login(api, people["officer"])
    assert api.post(url, {"reason": "x"}, format="json").status_code == 403
    login(api, people["back_office"])
    assert "reason" in api.post(url, {}, format="json").json()
    done = api.post(url, {"reason": "Sudah ditangani di tempat."}, format="json")
    assert done.status_code == 200
    assert done.json() == {
        "survey_response": response.pk,
        "decision": "not_referred",
        "note": "Sudah ditangani di tempat.",
    }
    assert api.post(url, {"reason": "lagi"}, format="json").status_code == 409
    recap = api.get(f"/api/v1/recap/?unit={response.unit.code}&date={day_of(response)}").json()
    assert recap["flagged"][0]["decision"] == "not_referred"


# --- complaints are triaged from the cases side -----------------------------------------------


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


def test_triage_into_a_case_goes_through_the_cases_side(complaint, people):
    intake.triage_complaint(
        complaint, actor=people["coordinator"], outcome="case", officer=people["officer"]
    )
    complaint.refresh_from_db()
    case = Case.objects.get()
    assert (case.complaint, case.officer, case.source_kind) == (
        complaint,
        people["officer"],
        SourceKind.COMPLAINT,
    )
    assert complaint.status == ComplaintStatus.IN_PROGRESS
    assert complaint.events.last().data["case"] == case.pk
    with pytest.raises(StateConflict):
        intake.triage_complaint(complaint, actor=people["coordinator"], outcome="direct")


def test_triage_about_facilities_makes_an_improvement_item(complaint, people):
    intake.triage_complaint(
        complaint, actor=people["coordinator"], outcome="improvement", note="Kursi rusak."
    )
    item = ImprovementItem.objects.get()
    assert item.complaint == complaint and item.description == "Kursi rusak."
    assert not Case.objects.exists()


def test_a_failed_case_opening_leaves_the_complaint_untriaged(complaint, people):
    with pytest.raises(InvalidInput):
        intake.triage_complaint(
            complaint, actor=people["coordinator"], outcome="case", officer=people["head"]
        )
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RECEIVED and not Case.objects.exists()
    assert Complaint.objects.get().triaged_at is None


# --- imports: one way -------------------------------------------------------------------------


LOWER = ("surveys", "complaints", "units")


def _imports(path: pathlib.Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0], id(node) in top or _in_type_checking(tree, node)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0], id(node) in top


def _in_type_checking(tree, node) -> bool:
    return any(
        isinstance(block, ast.If) and node in ast.walk(block) and "TYPE_CHECKING" in ast.dump(block)
        for block in tree.body
    )


def _modules(app: str):
    root = pathlib.Path(settings.BASE_DIR) / app
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        yield path


@pytest.mark.parametrize("app", LOWER)
def test_the_domains_below_cases_never_import_it(app):
    offenders = [
        str(path) for path in _modules(app) for module, _top in _imports(path) if module == "cases"
    ]
    assert offenders == []


@pytest.mark.parametrize("app", ["surveys", "complaints", "cases"])
def test_cross_app_imports_are_at_the_top_of_their_module(app):
    apps = {"units", "surveys", "complaints", "cases", "reports", "documents", "api"}
    inside = [
        f"{path}: {module}"
        for path in _modules(app)
        for module, top in _imports(path)
        if module in apps - {app} and not top
    ]
    assert inside == []


def test_the_case_opened_at_referral_keeps_the_time_of_the_decision(receipt, people):
    response = receipt()
    before = timezone.now()
    intake.refer_flagged_responses([response], actor=people["back_office"])
    assert FlagReview.objects.get().decided_at >= before
