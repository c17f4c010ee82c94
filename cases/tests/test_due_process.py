"""Issue 12 items 3–6 and 9: due process before a proposal, the officer told the charge and
heard, proportional sanctions, three people per proposal, plausible records."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader
from rest_framework.test import APIClient

from cases import workflow
from cases.models import CaseAction, CaseState, Objection
from conftest import make_member
from pulih.lib.errors import ActionForbidden, InvalidInput, StateConflict
from units.models import Role

from .conftest import STATE_OF, payload

A, S = CaseAction, CaseState
DAY = datetime.timedelta(days=1)


def api_post(user, case, action, data):
    client = APIClient()
    client.force_authenticate(user)
    return client.post(f"/api/v1/cases/{case.pk}/{action}/", data, format="json")


def web(client, user):
    client.force_login(user)
    return client


def summon_and_miss(case, coordinator, start):
    """A summons at `start` for the next day, and the officer's absence recorded then."""
    with workflow.acting_at(start):
        workflow.summon_officer(
            case, actor=coordinator, scheduled_at=start + DAY, place="Ruang Koordinator ULT"
        )
    with workflow.acting_at(start + DAY + datetime.timedelta(hours=1)):
        return workflow.record_hearing(case, actor=coordinator, attended=False)


# --- 3. Due process before a proposal ---------------------------------------------------------


def test_proposing_before_a_hearing_answers_409_in_the_api_and_a_message_on_screen(
    client, make_case, people
):
    case = make_case(S.HEARING)
    response = api_post(people["coordinator"], case, "propose", payload(A.PROPOSE))
    assert response.status_code == 409
    assert "Belum boleh mengusulkan sanksi" in response.json()["detail"]
    page = web(client, people["coordinator"]).post(
        f"/kasus/{case.pk}/aksi/propose/",
        {
            "propose-violations": ["v04"],
            "propose-sanction": "potong-tukin-6",
            "propose-reasoning": "Terbukti.",
        },
    )
    assert page.status_code == 409
    assert "Belum boleh mengusulkan sanksi" in page.content.decode()
    case.refresh_from_db()
    assert case.state == S.HEARING


def test_the_absent_officer_path_through_two_summonses(client, make_case, people):
    case = make_case(S.HEARING)
    coordinator = people["coordinator"]
    start = timezone.now() - 5 * DAY
    first = summon_and_miss(case, coordinator, start)
    assert first.attended is False
    with pytest.raises(StateConflict):  # one absence is not enough
        workflow.propose_sanction(case, actor=coordinator, **payload(A.PROPOSE))
    summon_and_miss(case, coordinator, start + 2 * DAY)
    proposal = workflow.propose_sanction(case, actor=coordinator, **payload(A.PROPOSE))
    assert proposal.on_evidence is True
    event = case.events.order_by("-pk").first()
    assert event.data["on_evidence"] is True
    assert list(case.events.order_by("pk").values_list("action", flat=True)) == [
        "open", "refer", "summon", "hearing", "summon", "hearing", "propose",
    ]  # fmt: skip
    assert [e.data.get("summons") for e in case.events.filter(action="summon")] == [1, 2]
    html = web(client, people["person_in_charge"]).get(f"/kasus/{case.pk}/").content.decode()
    assert "Petugas tidak hadir" in html
    assert "diusulkan berdasarkan bukti" in html.lower()
    # The hearing record (BAP) issued for the absence says the officer did not attend.
    record = first.documents.get(kind="hearing_record")
    assert record.snapshot["attended"] is False
    with record.file.open("rb") as stored:
        text = " ".join(
            " ".join(p.extract_text() for p in PdfReader(io.BytesIO(stored.read())).pages).split()
        )
    assert "tidak hadir" in text


def test_the_absent_officer_path_through_two_summonses_api(make_case, people):
    case = make_case(S.HEARING)
    coordinator = people["coordinator"]
    start = timezone.now() + DAY
    for ordinal in (1, 2):
        # Summoned for the next day; the day comes and the officer does not.
        with time_machine.travel(start, tick=False):
            summons = {"scheduled_at": (start + DAY).isoformat(), "place": "Ruang ULT"}
            assert api_post(coordinator, case, "summon", summons).status_code == 200
            early = api_post(coordinator, case, "hearing", {"attended": False})
            assert early.status_code == 400 and "held_at" in early.json()
        with time_machine.travel(start + DAY + datetime.timedelta(hours=1), tick=False):
            assert api_post(coordinator, case, "hearing", {"attended": False}).status_code == 200
            proposed = api_post(coordinator, case, "propose", payload(A.PROPOSE))
        assert proposed.status_code == (409 if ordinal == 1 else 200)
        start += 2 * DAY
    case.refresh_from_db()
    assert case.state == S.VERIFICATION
    assert case.proposals.get().on_evidence
    events = APIClient()
    events.force_authenticate(people["person_in_charge"])
    timeline = events.get(f"/api/v1/cases/{case.pk}/").json()["events"]
    assert [e["data"].get("attended") for e in timeline if e["action"] == "hearing"] == [
        False,
        False,
    ]
    assert timeline[-1]["data"]["on_evidence"] is True


def test_the_unit_sets_how_many_missed_summonses_suffice(make_case, people, unit):
    unit.summonses_before_evidence = 1
    unit.save()
    case = make_case(S.HEARING)
    summon_and_miss(case, people["coordinator"], timezone.now() - 3 * DAY)
    proposal = workflow.propose_sanction(case, actor=people["coordinator"], **payload(A.PROPOSE))
    assert proposal.on_evidence


def test_a_hearing_needs_a_summons_and_is_dated_after_it(make_case, people):
    case = make_case(S.HEARING)
    with pytest.raises(StateConflict):
        workflow.record_hearing(case, actor=people["coordinator"], explanation="x")
    with pytest.raises(InvalidInput) as error:
        workflow.summon_officer(
            case,
            actor=people["coordinator"],
            scheduled_at=timezone.now() - DAY,
            place="Ruang ULT",
        )
    assert "scheduled_at" in error.value.fields
    workflow.summon_officer(
        case, actor=people["coordinator"], scheduled_at=timezone.now() + DAY, place="Ruang ULT"
    )
    with pytest.raises(InvalidInput) as error:  # the hearing is not held before its date
        workflow.record_hearing(case, actor=people["coordinator"], explanation="x")
    assert "held_at" in error.value.fields


def test_a_hearing_the_officer_attended_needs_the_explanation(make_case, people):
    case = make_case("summoned")
    with pytest.raises(InvalidInput) as error:
        workflow.record_hearing(case, actor=people["coordinator"], attended=True)
    assert "explanation" in error.value.fields


# --- 4. The officer knows the charge and is heard ---------------------------------------------


def test_the_officer_sees_the_charge_from_referral_on_but_never_the_customer(
    client, make_case, people
):
    case = make_case(S.REVIEW, name="Budi Santoso", contact="budi@contoh.id")
    officer = web(client, people["officer"])
    assert f'id="charge-{case.pk}"' not in officer.get("/kasus/saya/").content.decode()
    workflow.refer_case(case, actor=people["back_office"], note="Nilai U7 rendah.")
    html = officer.get("/kasus/saya/").content.decode()
    charge = html.split(f'id="charge-{case.pk}"')[1].split("</div>")[0]
    assert case.survey_response.service_type.name in charge
    assert "U7" in charge and 'class="flagged">1<' in charge
    for secret in ("Budi", "budi@contoh.id"):
        assert secret not in html


def test_the_api_gives_the_officer_the_charge_from_referral_on_and_staff_the_cause(
    make_case, people
):
    case = make_case(S.REVIEW, name="Budi Santoso", contact="budi@contoh.id")
    officer, coordinator = APIClient(), APIClient()
    officer.force_authenticate(people["officer"])
    coordinator.force_authenticate(people["coordinator"])
    assert officer.get(f"/api/v1/cases/{case.pk}/").json()["charge"] is None
    cause = coordinator.get(f"/api/v1/cases/{case.pk}/").json()["charge"]
    assert {s["code"]: s["value"] for s in cause["scores"] if s["flagged"]} == {"U7": 1}
    workflow.refer_case(case, actor=people["back_office"], note="Nilai U7 rendah.")
    body = officer.get(f"/api/v1/cases/{case.pk}/").json()
    assert body["charge"] == cause
    assert body["charge"]["service"] == case.survey_response.service_type.name
    assert "Budi" not in str(body) and "budi@contoh.id" not in str(body)


def test_the_officer_sees_the_complaint_text(client, make_case, people, unit):
    from complaints.models import Complaint
    from units.models import ComplaintChannel

    complaint = Complaint.objects.create(
        unit=unit,
        channel=ComplaintChannel.objects.filter(unit=unit).first(),
        received_at=timezone.now(),
        name="Siti Aminah",
        contact="0812-1111-2222",
        officer=people["officer"],
        text="Petugas meminta biaya tambahan di luar tarif.",
        tracking_code="ADU-TEST-1",
    )
    case = workflow.open_case(
        unit, actor=people["back_office"], officer=people["officer"], complaint=complaint
    )
    workflow.refer_case(case, actor=people["back_office"])
    html = web(client, people["officer"]).get("/kasus/saya/").content.decode()
    assert "Petugas meminta biaya tambahan" in html
    assert "Siti" not in html and "0812-1111-2222" not in html


def test_the_officer_is_told_at_referral_summons_and_decision(
    make_case, people, django_capture_on_commit_callbacks
):
    officer = people["officer"]
    case = make_case(S.REVIEW)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.refer_case(case, actor=people["back_office"])
        workflow.summon_officer(
            case, actor=people["coordinator"], scheduled_at=timezone.now() + DAY, place="ULT"
        )
    to_officer = [m for m in mail.outbox if m.to == [officer.email]]
    assert len(to_officer) == 2
    decided = make_case(S.DECISION)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.decide_decree(decided, actor=people["head"], issue_decree=True)
    (told,) = [m for m in mail.outbox if m.to == [officer.email]]
    assert decided.decree.number in told.body and "14" in told.body
    assert "Budi" not in told.body
    again = make_case(S.DECISION)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.decide_decree(again, actor=people["head"], issue_decree=False, reason="Kurang.")
    assert [m for m in mail.outbox if m.to == [officer.email]]


def test_the_officer_objects_on_the_web_and_the_head_decides_beside_the_compensation(
    client, make_case, people, budget
):
    case = make_case(S.COMPENSATION)
    officer = web(client, people["officer"])
    assert f'id="my-object-{case.pk}"' in officer.get("/kasus/saya/").content.decode()
    response = officer.post(
        f"/kasus/saya/{case.pk}/keberatan/", {"object-text": "Sanksi tidak sebanding."}
    )
    assert response.status_code == 302
    objection = Objection.objects.get(case=case)
    assert objection.decree == case.decree
    # The compensation goes on while the objection waits.
    workflow.decide_compensation(
        case, actor=people["coordinator"], compensations=["permintaan-maaf"], cost=0
    )
    case.refresh_from_db()
    assert case.state == S.DELIVERY
    with pytest.raises(ActionForbidden):  # the person in charge is not the one the unit names
        workflow.rule_objection(case, actor=people["person_in_charge"], upheld=True, reason="x")
    answer = api_post(
        people["head"], case, "rule_objection", {"upheld": False, "reason": "Sudah sesuai PP."}
    )
    assert answer.status_code == 200
    assert answer.json()["state"] == "delivery"
    html = officer.get("/kasus/saya/").content.decode()
    assert "Sudah sesuai PP." in html and "Tidak dikabulkan" in html
    with pytest.raises(StateConflict):  # one objection per decree
        workflow.lodge_objection(case, actor=people["officer"], text="Lagi.")


def test_no_objection_after_the_units_period(make_case, people):
    case = make_case(S.COMPENSATION)
    with workflow.acting_at(timezone.now() + 15 * DAY), pytest.raises(StateConflict):
        workflow.lodge_objection(case, actor=people["officer"], text="Terlambat.")
    assert api_post(people["coordinator"], case, "object", {"text": "x"}).status_code == 403


# --- 5. Proportional sanctions ----------------------------------------------------------------


def test_a_sanction_of_another_level_needs_its_own_justification(client, make_case, people):
    case = make_case("heard")
    heavy = {"violations": ["v03"], "sanction": "teguran-lisan", "reasoning": "Panjang sekali."}
    refused = api_post(people["coordinator"], case, "propose", heavy)
    assert refused.status_code == 400
    assert "justification" in refused.json()
    matching = {**heavy, "sanction": "penurunan-jabatan"}
    web_page = web(client, people["coordinator"]).post(
        f"/kasus/{case.pk}/aksi/propose/",
        {
            "propose-violations": ["v03"],
            "propose-sanction": "teguran-lisan",
            "propose-reasoning": "r",
        },
    )
    assert web_page.status_code == 400 and "tingkat" in web_page.content.decode()
    justified = {**heavy, "justification": "Pelanggaran pertama, kerugian kecil."}
    assert api_post(people["coordinator"], case, "propose", justified).status_code == 200
    html = web(client, people["person_in_charge"]).get(f"/kasus/{case.pk}/").content.decode()
    assert 'class="justification highlight"' in html
    assert "Pelanggaran pertama, kerugian kecil." in html
    assert "Berat" in html and "Ringan" in html  # the violation's severity, the sanction's level
    assert 'id="recent-sanctions"' in html
    other = make_case("heard")
    assert api_post(people["coordinator"], other, "propose", matching).status_code == 200


def test_the_verifier_sees_the_officers_sanctions_of_the_last_twelve_months(
    client, make_case, people
):
    earlier = make_case(S.COMPENSATION)
    case = make_case(S.VERIFICATION)
    html = web(client, people["person_in_charge"]).get(f"/kasus/{case.pk}/").content.decode()
    section = html.split('id="recent-sanctions"')[1].split("</section>")[0]
    assert earlier.decree.number in section and "Teguran tertulis" in section


# --- 6. Three people per proposal -------------------------------------------------------------


def test_one_person_holding_coordinator_pj_and_head_acts_once_on_a_case_api(
    make_case, people, unit
):
    everyone = make_member(unit, "tiga-peran", Role.COORDINATOR, Role.PERSON_IN_CHARGE, Role.HEAD)
    case = make_case("heard")
    assert api_post(everyone, case, "propose", payload(A.PROPOSE)).status_code == 200
    assert api_post(everyone, case, "verify", {"approved": True}).status_code == 403
    assert (
        api_post(people["person_in_charge"], case, "verify", {"approved": True}).status_code == 200
    )
    assert api_post(everyone, case, "decide", {"issue_decree": True}).status_code == 403
    assert api_post(people["head"], case, "decide", {"issue_decree": True}).status_code == 200


def test_one_person_holding_coordinator_pj_and_head_acts_once_on_a_case_web(
    client, make_case, people, unit
):
    everyone = make_member(unit, "tiga-peran", Role.COORDINATOR, Role.PERSON_IN_CHARGE, Role.HEAD)
    case = make_case(S.VERIFICATION)
    web(client, everyone)
    # Verified by the person who did not propose; then the one who verified cannot decide.
    verified = client.post(f"/kasus/{case.pk}/aksi/verify/", {"verify-decision": "approve"})
    assert verified.status_code == 302
    html = client.get(f"/kasus/{case.pk}/").content.decode()
    assert 'id="form-decide"' not in html
    refused = client.post(f"/kasus/{case.pk}/aksi/decide/", {"decide-decision": "issue"})
    assert refused.status_code == 403
    # The proposer cannot decide either, even when someone else verified.
    other = make_case("heard")
    workflow.propose_sanction(other, actor=everyone, **payload(A.PROPOSE))
    workflow.verify_proposal(other, actor=people["person_in_charge"], approved=True)
    assert (
        client.post(f"/kasus/{other.pk}/aksi/decide/", {"decide-decision": "issue"}).status_code
        == 403
    )


# --- 9. Plausible records ---------------------------------------------------------------------


def test_a_delivery_without_acknowledgement_records_why(make_case, people):
    case = make_case(S.DELIVERY)
    delivery = workflow.deliver_compensation(
        case,
        actor=people["coordinator"],
        delivered_at=timezone.now(),
        method="Telepon",
        customer_acknowledged=False,
        unacknowledged_reason="Tidak dapat dihubungi setelah tiga kali percobaan.",
    )
    assert delivery.unacknowledged_reason.startswith("Tidak dapat dihubungi")


@pytest.mark.parametrize(
    ("state", "action", "data", "field"),
    [
        (S.HEARING, "summon",
         {"scheduled_at": "2020-01-01T09:00", "place": "Ruang ULT"}, "scheduled_at"),
        ("summoned", "hearing", {"explanation": "x", "held_at": "2020-01-01T09:00"}, "held_at"),
        (S.DELIVERY, "deliver",
         {"delivered_at": "2020-01-01T10:00", "method": "x", "customer_acknowledged": "on"},
         "delivered_at"),
        (S.DELIVERY, "deliver", {"delivered_at": "now", "method": "Diantar"},
         "unacknowledged_reason"),
        (S.COMPENSATION, "compensate",
         {"compensations": ["permintaan-maaf"], "cost": str(10**20)}, "cost"),
    ],
)  # fmt: skip
def test_an_implausible_record_on_screen_is_an_error_on_its_field(
    client, make_case, people, state, action, data, field
):
    case = make_case(state)
    if data.get("delivered_at") == "now":
        data["delivered_at"] = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    posted = {f"{action}-{key}": value for key, value in data.items()}
    response = web(client, people["coordinator"]).post(f"/kasus/{case.pk}/aksi/{action}/", posted)
    assert response.status_code == 400
    assert f'id="id_{action}-{field}_error"' in response.content.decode()
    case.refresh_from_db()
    assert case.state == STATE_OF.get(state, state)


def test_no_decree_shows_as_not_issued_never_met(client, make_case, people):
    case = make_case(S.DECISION)
    workflow.decide_decree(case, actor=people["head"], issue_decree=False, reason="Kurang bukti.")
    html = web(client, people["coordinator"]).get(f"/kasus/{case.pk}/").content.decode()
    row = html.split('data-deadline="decree"')[1].split("</tr>")[0]
    assert "Tidak diterbitkan" in row
    client_api = APIClient()
    client_api.force_authenticate(people["coordinator"])
    (deadline,) = client_api.get(f"/api/v1/cases/{case.pk}/").json()["deadlines"]
    assert deadline["outcome"] == "not_issued"


# --- The history reads in names and labels ----------------------------------------------------


def test_the_timeline_shows_names_and_labels_never_codes_or_usernames(client, make_case, people):
    case = make_case(S.DECISION)
    html = web(client, people["coordinator"]).get(f"/kasus/{case.pk}/").content.decode()
    timeline = html.split('id="timeline"')[1]
    assert "V04 — Bertindak sewenang-wenang" in timeline
    assert "Teguran tertulis" in timeline and "teguran-tertulis" not in timeline
    assert "Disetujui</dt><dd>ya" in timeline
    for username in ("cici", "putri", "bella", "hadi"):
        assert f"— {username}" not in timeline
