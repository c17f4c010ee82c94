"""/api/v1/cases/: DESIGN §6's contract, with 400 / 403 / 404 / 409 as it says."""

from __future__ import annotations

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.utils import timezone
from pypdf import PdfReader
from rest_framework.test import APIClient

from cases.models import CaseState
from conftest import PASSWORD

from .conftest import STATE_OF

S = CaseState
_NOW = timezone.now().isoformat()  # a delivery now: after the compensation decided just before

# DESIGN §6's payloads, exactly, for a run from review to closed: each step on its day (the
# summons is for a later date, the hearing held then, the delivery after the compensation).
RUN = [
    ("2026-11-16T09:00", "back_office", "refer", {"note": "Petugas yang melayani jelas."},
     S.HEARING),
    ("2026-11-16T09:10", "coordinator", "summon",
     {"scheduled_at": "2026-11-18T09:00:00+07:00", "place": "Ruang ULT"}, S.HEARING),
    ("2026-11-17T10:00", "officer", "defence", {"defence": "Saya sudah sesuai prosedur."},
     S.HEARING),
    ("2026-11-18T10:00", "coordinator", "hearing",
     {"explanation": "Antrean panjang.", "defence": "Lelah."}, S.HEARING),
    ("2026-11-18T11:00", "coordinator", "propose",
     {"violations": ["v04", "v07"], "sanction": "potong-tukin-6", "reasoning": "Terbukti."},
     S.VERIFICATION),
    ("2026-11-18T14:00", "person_in_charge", "verify", {"approved": True, "note": "Sesuai."},
     S.DECISION),
    ("2026-11-19T09:00", "head", "decide", {"issue_decree": True, "reason": ""}, S.COMPENSATION),
    ("2026-11-19T10:00", "coordinator", "compensate",
     {"compensations": ["permintaan-maaf", "layanan-ulang-online"], "cost": 150000, "note": "Ok"},
     S.DELIVERY),
    ("2026-11-20T11:00", "coordinator", "deliver",
     {"delivered_at": "2026-11-20T10:00:00+07:00", "method": "Surel dan telepon",
      "customer_acknowledged": True, "note": ""},
     S.CLOSED),
]  # fmt: skip
JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def post(user, case, action, data):
    return api(user).post(f"/api/v1/cases/{case.pk}/{action}/", data, format="json")


def test_token_authentication_opens_the_api(people, make_case):
    case = make_case()
    token = APIClient().post(
        "/api/v1/auth/token/", {"username": "cici", "password": PASSWORD}, format="json"
    )
    assert token.status_code == 200
    client = APIClient()
    assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 200


def test_a_case_as_the_contract_describes_it(people, make_case):
    case = make_case(S.REVIEW)
    body = api(people["coordinator"]).get(f"/api/v1/cases/{case.pk}/").json()
    assert set(body) == {
        "id",
        "state",
        "officer",
        "source",
        "charge",
        "deadlines",
        "decree",
        "events",
    }
    assert body["id"] == case.pk
    assert body["state"] == "review"
    assert body["officer"] == "oscar"
    assert body["source"] == {"kind": "survey", "id": case.survey_response_id}
    assert body["deadlines"] == []
    assert body["decree"] is None
    (event,) = body["events"]
    assert set(event) == {"action", "actor", "at", "from_state", "to_state", "data"}
    assert (event["action"], event["actor"], event["from_state"], event["to_state"]) == (
        "open",
        None,
        "",
        "review",
    )


def test_a_whole_run_through_the_api(people, make_case, budget):
    with time_machine.travel(datetime.datetime(2026, 11, 16, 8, tzinfo=JAKARTA), tick=False):
        case = make_case(S.REVIEW)
    for moment, role, action, data, state in RUN:
        at = datetime.datetime.fromisoformat(moment).replace(tzinfo=JAKARTA)
        with time_machine.travel(at, tick=False):
            response = post(people[role], case, action, data)
        assert response.status_code == 200, (action, response.json())
        assert response.json()["state"] == state
    body = response.json()
    assert [e["action"] for e in body["events"]] == ["open"] + [r[2] for r in RUN]
    assert body["events"][-1]["actor"] == "cici"
    assert body["events"][6]["data"] == {"approved": True, "note": "Sesuai."}
    assert body["decree"]["number"].startswith("0001/C7.22/OT.02.02/")
    assert body["decree"]["sanction"] == "potong-tukin-6"
    assert [d["name"] for d in body["deadlines"]] == ["decree", "compensation"]
    assert all(set(d) == {"name", "due", "overdue", "outcome"} for d in body["deadlines"])
    assert [d["outcome"] for d in body["deadlines"]] == ["met", "met"]


def test_no_decree_returns_the_case_to_review(people, make_case):
    case = make_case(S.DECISION)
    response = post(people["head"], case, "decide", {"issue_decree": False, "reason": "Kurang."})
    assert response.status_code == 200
    assert response.json()["state"] == "review"
    assert response.json()["decree"] is None


@pytest.mark.parametrize(
    ("state", "role", "action", "data", "field"),
    [
        (S.REVIEW, "back_office", "dismiss", {}, "reason"),
        (S.HEARING, "coordinator", "summon", {"scheduled_at": "besok", "place": "x"},
         "scheduled_at"),
        ("heard", "coordinator", "propose",
         {"violations": ["v99"], "sanction": "teguran-lisan", "reasoning": "r"}, "violations"),
        ("heard", "coordinator", "propose",
         {"violations": "v01", "sanction": "teguran-lisan", "reasoning": "r"}, "violations"),
        ("heard", "coordinator", "propose",
         {"violations": ["v01"], "sanction": "hukuman-mati", "reasoning": "r"}, "sanction"),
        ("heard", "coordinator", "propose",
         {"violations": ["v03"], "sanction": "teguran-lisan", "reasoning": "r"}, "justification"),
        (S.HEARING, "coordinator", "summon",
         {"scheduled_at": "2020-01-01T09:00:00+07:00", "place": "x"}, "scheduled_at"),
        ("summoned", "coordinator", "hearing",
         {"explanation": "x", "held_at": "2020-01-01T09:00:00+07:00"}, "held_at"),
        ("summoned", "coordinator", "hearing", {"attended": "tidak"}, "attended"),
        (S.DELIVERY, "coordinator", "deliver",
         {"delivered_at": "2020-01-01T10:00:00Z", "method": "x", "customer_acknowledged": True},
         "delivered_at"),
        (S.DELIVERY, "coordinator", "deliver",
         {"delivered_at": _NOW, "method": "x", "customer_acknowledged": False},
         "unacknowledged_reason"),
        ("objected", "head", "rule_objection", {"upheld": True}, "reason"),
        (S.VERIFICATION, "person_in_charge", "verify", {"approved": "mungkin"}, "approved"),
        (S.VERIFICATION, "person_in_charge", "verify", {"approved": False}, "note"),
        (S.DECISION, "head", "decide", {}, "issue_decree"),
        (S.COMPENSATION, "coordinator", "compensate",
         {"compensations": ["permintaan-maaf"], "cost": -1}, "cost"),
        (S.COMPENSATION, "coordinator", "compensate",
         {"compensations": ["permintaan-maaf"], "cost": 10**20}, "cost"),
        (S.DELIVERY, "coordinator", "deliver",
         {"delivered_at": "2026-11-20T10:00:00Z", "method": "x"}, "customer_acknowledged"),
    ],
)  # fmt: skip
def test_a_bad_payload_answers_400_with_the_field(
    people, make_case, state, role, action, data, field
):
    case = make_case(state)
    response = post(people[role], case, action, data)
    assert response.status_code == 400
    assert field in response.json()
    case.refresh_from_db()
    assert case.state == STATE_OF.get(state, state)


def test_going_over_budget_needs_confirm_over_budget(people, make_case, budget):
    case = make_case(S.COMPENSATION)
    data = {"compensations": ["layanan-ulang-langsung"], "cost": 2_000_000}
    refused = post(people["coordinator"], case, "compensate", data)
    assert refused.status_code == 400
    assert "confirm_over_budget" in refused.json()
    accepted = post(
        people["coordinator"], case, "compensate", {**data, "confirm_over_budget": True}
    )
    assert accepted.status_code == 200
    assert accepted.json()["events"][-1]["data"]["over_budget"] is True


@pytest.mark.parametrize(
    ("role", "action", "state"),
    [
        ("head", "refer", S.REVIEW),
        ("coordinator", "verify", S.VERIFICATION),
        ("person_in_charge", "decide", S.DECISION),
        ("supervisor", "compensate", S.COMPENSATION),
    ],
)
def test_a_role_the_table_does_not_name_answers_403(people, make_case, role, action, state):
    from .conftest import payload

    case = make_case(state)
    data = {
        k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in payload(action).items()
    }
    assert post(people[role], case, action, data).status_code == 403


@pytest.mark.parametrize(
    ("role", "action", "state"),
    [
        ("back_office", "propose", S.HEARING),
        ("officer", "deliver", S.DELIVERY),
        ("officer", "refer", S.REVIEW),
        ("admin", "dismiss", S.REVIEW),
    ],
)
def test_acting_on_a_case_one_does_not_read_answers_404_as_on_the_web(
    client, people, make_case, role, action, state
):
    """One reads a case to act on it (cases.access): the back office reads the cases in review,
    the officer only their own (and acts on it only by their defence), the admin none."""
    from .conftest import payload

    case = make_case(state)
    data = {
        k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in payload(action).items()
    }
    assert post(people[role], case, action, data).status_code == 404
    client.force_login(people[role])
    assert client.post(f"/kasus/{case.pk}/aksi/{action}/").status_code == 404


def test_the_segregation_of_duties_answers_403(people, make_case, unit):
    from conftest import make_member
    from units.models import Role

    both = make_member(unit, "dual", Role.COORDINATOR, Role.PERSON_IN_CHARGE)
    case = make_case("heard")
    proposal = {"violations": ["v13"], "sanction": "teguran-lisan", "reasoning": "r"}
    assert post(both, case, "propose", proposal).status_code == 200
    assert post(both, case, "verify", {"approved": True}).status_code == 403
    assert post(people["person_in_charge"], case, "verify", {"approved": True}).status_code == 200


def test_an_action_the_state_does_not_allow_answers_409(people, make_case):
    case = make_case(S.CLOSED)
    response = post(people["coordinator"], case, "refer", {"note": ""})
    assert response.status_code == 409
    assert "detail" in response.json()


def test_role_and_state_are_judged_before_the_payload(people, make_case):
    case = make_case(S.REVIEW)
    assert post(people["head"], case, "refer", {"note": 12}).status_code == 403
    assert post(people["coordinator"], case, "propose", {}).status_code == 409


def test_another_units_case_is_not_found(people, make_case, outsider):
    case = make_case(S.REVIEW)
    assert api(outsider).get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert post(outsider, case, "refer", {"note": "x"}).status_code == 404
    assert api(outsider).get(f"/api/v1/cases/{case.pk}/decree.pdf").status_code == 404
    assert case.pk not in [c["id"] for c in api(outsider).get("/api/v1/cases/").json()["results"]]


def test_officers_get_their_own_cases_only_and_without_the_customer(people, make_case):
    mine = make_case(S.CLOSED, name="Budi Santoso")
    other = make_case(S.HEARING, officer=people["officer2"])
    officer = api(people["officer"])
    assert officer.get(f"/api/v1/cases/{other.pk}/").status_code == 404
    assert officer.post(f"/api/v1/cases/{other.pk}/defence/", {"defence": "x"}).status_code == 404
    listed = officer.get("/api/v1/cases/").json()["results"]
    assert [c["id"] for c in listed] == [mine.pk]
    body = officer.get(f"/api/v1/cases/{mine.pk}/").json()
    assert "Budi" not in str(body)
    hidden = {e["action"]: e["data"] for e in body["events"]}
    assert hidden["refer"] == {} and hidden["compensate"] == {}
    assert hidden["decide"]["number"] == body["decree"]["number"]


def test_the_list_filters_by_state_and_officer(people, make_case):
    review = make_case(S.REVIEW)
    hearing = make_case(S.HEARING, officer=people["officer2"])
    client = api(people["supervisor"])
    ids = lambda query: [c["id"] for c in client.get(f"/api/v1/cases/{query}").json()["results"]]  # noqa: E731
    assert set(ids("")) == {review.pk, hearing.pk}
    assert ids("?state=hearing") == [hearing.pk]
    assert ids("?officer=olive") == [hearing.pk]
    assert ids("?officer=oscar&state=hearing") == []
    item = client.get("/api/v1/cases/?state=review").json()["results"][0]
    assert set(item) == {
        "id",
        "state",
        "officer",
        "source",
        "opened_at",
        "due",
        "overdue",
        "decree",
    }
    bad = client.get("/api/v1/cases/?state=terbuka")
    assert bad.status_code == 400 and "state" in bad.json()


def test_back_office_lists_only_what_it_may_refer_or_dismiss(people, make_case):
    review, hearing = make_case(S.REVIEW), make_case(S.HEARING)
    ids = [c["id"] for c in api(people["back_office"]).get("/api/v1/cases/").json()["results"]]
    assert ids == [review.pk]
    assert api(people["back_office"]).get(f"/api/v1/cases/{hearing.pk}/").status_code == 404


def test_opening_a_case_by_hand(people, unit):
    client = api(people["coordinator"])
    response = client.post(
        "/api/v1/cases/", {"officer": "oscar", "reason": "Laporan lisan."}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["state"], body["officer"], body["source"]) == (
        "review",
        "oscar",
        {"kind": "manual", "id": None},
    )
    assert client.post("/api/v1/cases/", {"officer": "oscar"}, format="json").status_code == 400
    unknown = client.post("/api/v1/cases/", {"officer": "nobody", "reason": "x"}, format="json")
    assert unknown.status_code == 400 and "officer" in unknown.json()
    head = api(people["head"]).post(
        "/api/v1/cases/", {"officer": "oscar", "reason": "x"}, format="json"
    )
    assert head.status_code == 403
    form = client.post("/api/v1/cases/", {"officer": "oscar", "reason": "x"})
    assert form.status_code == 415


def test_the_decree_pdf(people, make_case):
    case = make_case(S.DECISION)
    url = f"/api/v1/cases/{case.pk}/decree.pdf"
    assert api(people["coordinator"]).get(url).status_code == 404
    post(people["head"], case, "decide", {"issue_decree": True})
    response = api(people["coordinator"]).get(url, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    case.refresh_from_db()
    assert case.decree.number in " ".join(text.split())
    assert api(people["officer"]).get(url).status_code == 200  # the officer's own decree
    assert api(people["officer2"]).get(url).status_code == 404
    assert APIClient().get(url).status_code == 401
    missing = api(people["coordinator"]).get(
        "/api/v1/cases/999999/decree.pdf", HTTP_ACCEPT="application/pdf"
    )
    assert missing.status_code == 404 and missing["Content-Type"] == "application/json"


def test_the_schema_documents_every_answer(client, db):
    import yaml

    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    paths = schema["paths"]
    for action in ("refer", "dismiss", "summon", "hearing", "propose", "verify", "decide",
                   "compensate", "deliver", "defence"):  # fmt: skip
        responses = paths[f"/api/v1/cases/{{id}}/{action}/"]["post"]["responses"]
        assert set(responses) == {"200", "400", "401", "403", "404", "409", "415"}, action
    assert set(paths["/api/v1/cases/"]) == {"get", "post"}
    assert "application/pdf" in str(paths["/api/v1/cases/{id}/decree.pdf"]["get"]["responses"])
    fields = schema["components"]["schemas"]["CompensateInRequest"]["properties"]
    assert set(fields) == {"compensations", "cost", "note", "confirm_over_budget"}


def test_the_overdue_filter_takes_true_or_false_as_its_schema_says(people, make_case):
    make_case(CaseState.HEARING)
    client = api(people["coordinator"])
    assert client.get("/api/v1/cases/", {"overdue": "true"}).status_code == 200
    assert client.get("/api/v1/cases/", {"overdue": "false"}).json()["count"] == 1
    for wrong in ("null", "yes", ""):
        response = client.get("/api/v1/cases/", {"overdue": wrong})
        assert response.status_code == 400 and "overdue" in response.json(), wrong
