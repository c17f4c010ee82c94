"""/api/v1/complaints/: public submission and tracking, staff register, per-method access."""

import pytest
import time_machine
from rest_framework.test import APIClient

from cases import intake
from cases.models import Case
from complaints import services
from complaints.models import Complaint, ComplaintStatus


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture(autouse=True)
def _quick_api_form(settings):
    """Form tokens usable at once (their minimum age is tested on its own)."""
    settings.COMPLAINT_MIN_FILL_SECONDS = 0


def signed(payload: dict) -> dict:
    """The payload with a fresh form token for its unit, as a client fetches one."""
    from complaints.antispam import api_form_token

    return {**payload, "form_token": api_form_token(payload.get("unit", ""))}


def as_user(api, user):
    api.force_authenticate(user)
    return api


# --- public ---------------------------------------------------------------------------------


def test_public_submission_answers_a_tracking_code(api, unit, service_type):
    response = api.post(
        "/api/v1/complaints/",
        signed({"unit": "bpmp-kalteng", "text": "Antrean lama.", "service_type": "informasi"}),
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    complaint = Complaint.objects.get()
    assert body["tracking_code"] == complaint.tracking_code
    assert body["status"] == "received"
    assert body["tracking_url"].endswith(f"/lacak/{complaint.tracking_code}/")
    assert complaint.channel.code == "web"
    assert complaint.service_type == service_type


def test_public_submission_needs_no_csrf_even_with_a_session(unit, people):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(people["supervisor"])
    response = client.post(
        "/api/v1/complaints/", signed({"unit": unit.code, "text": "x"}), format="json"
    )
    assert response.status_code == 201
    assert Complaint.objects.get().created_by is None


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"unit": "bpmp-kalteng"}, "text"),
        ({"unit": "bpmp-kalteng", "text": "   "}, "text"),
        ({"text": "x"}, "unit"),
        ({"unit": "nope", "text": "x"}, "unit"),
        ({"unit": "bpmp-kalteng", "text": "x", "kind": "rant"}, "kind"),
        ({"unit": "bpmp-kalteng", "text": "x", "service_type": "nope"}, "service_type"),
        ({"unit": "bpmp-kalteng", "text": "x" * 5001}, "text"),
        ({"unit": "bpmp-kalteng", "text": "x", "anonymous": "maybe"}, "anonymous"),
    ],
)
def test_bad_public_payloads_answer_400_with_field_errors(api, unit, payload, field):
    response = api.post("/api/v1/complaints/", signed(payload), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Complaint.objects.exists()


def test_a_flood_of_api_submissions_is_throttled(api, unit):
    with time_machine.travel("2026-03-02 03:00:30+00:00", tick=False):
        for _ in range(5):
            assert (
                api.post(
                    "/api/v1/complaints/", signed({"unit": unit.code, "text": "x"}), format="json"
                ).status_code
                == 201
            )
        response = api.post(
            "/api/v1/complaints/", signed({"unit": unit.code, "text": "x"}), format="json"
        )
    assert response.status_code == 429
    assert "Terlalu banyak kiriman dari alamat Anda" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0
    assert Complaint.objects.count() == 5


def test_a_forged_forwarded_for_header_does_not_escape_the_throttle(api, unit):
    def post(n: int):
        return api.post(
            "/api/v1/complaints/",
            signed({"unit": unit.code, "text": "x"}),
            format="json",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )

    with time_machine.travel("2026-03-02 03:00:30+00:00", tick=False):
        assert [post(n).status_code for n in range(6)] == [201] * 5 + [429]
    assert Complaint.objects.count() == 5


def test_tracking_shows_status_and_answer_only(api, complaint, people):
    intake.triage_complaint(
        complaint, actor=people["coordinator"], outcome="case", officer=people["officer"]
    )
    services.answer_complaint(complaint, actor=people["coordinator"], answer="Sudah ditangani.")
    response = api.get(f"/api/v1/complaints/track/{complaint.tracking_code.lower()}/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "answered"
    assert body["answer"] == "Sudah ditangani."
    assert set(body) == {
        "tracking_code",
        "unit",
        "kind",
        "status",
        "received_at",
        "acknowledged_at",
        "answer_due_at",
        "answered_at",
        "answer",
    }


@pytest.mark.parametrize("code", ["AAAAA-AAAAA", "nope", "12345"])
def test_unknown_tracking_code_is_404(api, db, code):
    assert api.get(f"/api/v1/complaints/track/{code}/").status_code == 404


# --- staff ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["back_office", "coordinator", "person_in_charge", "head", "supervisor"]
)
def test_readers_list_and_read(api, people, recorded, role):
    as_user(api, people[role])
    listing = api.get("/api/v1/complaints/")
    assert listing.status_code == 200
    assert [c["tracking_code"] for c in listing.json()["results"]] == [recorded.tracking_code]
    detail = api.get(f"/api/v1/complaints/{recorded.pk}/")
    assert detail.status_code == 200
    body = detail.json()
    assert body["channel"] == "letter"
    assert [e["action"] for e in body["events"]] == ["received"]
    assert body["attachments"][0]["content_type"] == "application/pdf"


@pytest.mark.parametrize("role", ["officer", "officer2", "admin"])
def test_officers_get_403_everywhere(api, people, recorded, role):
    as_user(api, people[role])
    assert api.get("/api/v1/complaints/").status_code == 403
    assert api.get(f"/api/v1/complaints/{recorded.pk}/").status_code == 403
    assert (
        api.post("/api/v1/complaints/record/", {"channel": "phone", "text": "x"}).status_code == 403
    )
    for action, payload in [
        ("acknowledge", {}),
        ("triage", {"outcome": "direct"}),
        ("answer", {"answer": "x"}),
    ]:
        assert api.post(f"/api/v1/complaints/{recorded.pk}/{action}/", payload).status_code == 403


def test_anonymous_gets_401_on_staff_endpoints(api, recorded):
    assert api.get("/api/v1/complaints/").status_code == 401
    assert api.get(f"/api/v1/complaints/{recorded.pk}/").status_code == 401
    assert api.post("/api/v1/complaints/record/", {}).status_code == 401
    assert api.post(f"/api/v1/complaints/{recorded.pk}/triage/", {}).status_code == 401


def test_outsider_sees_nothing_of_ours(api, outsider, recorded):
    as_user(api, outsider)
    assert api.get("/api/v1/complaints/").json()["results"] == []
    assert api.get("/api/v1/complaints/", {"unit": "bpmp-kalteng"}).status_code == 404
    assert api.get(f"/api/v1/complaints/{recorded.pk}/").status_code == 404
    assert (
        api.post(f"/api/v1/complaints/{recorded.pk}/triage/", {"outcome": "direct"}).status_code
        == 404
    )
    assert (
        api.post(
            "/api/v1/complaints/record/",
            {"unit": "bpmp-kalteng", "channel": "phone", "text": "x"},
            format="json",
        ).status_code
        == 404
    )


@pytest.mark.parametrize("role", ["supervisor", "head", "person_in_charge"])
def test_read_only_roles_get_403_on_writes(api, people, recorded, role):
    as_user(api, people[role])
    assert (
        api.post("/api/v1/complaints/record/", {"channel": "phone", "text": "x"}).status_code == 403
    )
    for action, payload in [
        ("acknowledge", {}),
        ("triage", {"outcome": "direct"}),
        ("answer", {"answer": "x"}),
    ]:
        assert api.post(f"/api/v1/complaints/{recorded.pk}/{action}/", payload).status_code == 403
    recorded.refresh_from_db()
    assert recorded.status == ComplaintStatus.RECEIVED


def test_staff_record_through_the_api(api, people, unit, service_type):
    as_user(api, people["back_office"])
    response = api.post(
        "/api/v1/complaints/record/",
        {
            "channel": "social_media",
            "text": "Komentar di Instagram",
            "kind": "input",
            "received_at": "2026-03-02T09:00:00+07:00",
            "service_type": "informasi",
            "officer": "oscar",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["channel"], body["kind"], body["officer"]) == ("social_media", "input", "oscar")
    bad = api.post(
        "/api/v1/complaints/record/",
        {"channel": "fax", "text": "x", "officer": "nobody"},
        format="json",
    )
    assert bad.status_code == 400
    assert "officer" in bad.json()
    bad = api.post("/api/v1/complaints/record/", {"channel": "fax", "text": "x"}, format="json")
    assert bad.status_code == 400
    assert "channel" in bad.json()


def test_triage_and_answer_through_the_api(api, people, complaint):
    as_user(api, people["coordinator"])
    url = f"/api/v1/complaints/{complaint.pk}"
    assert api.post(f"{url}/answer/", {"answer": "x"}, format="json").status_code == 409
    missing = api.post(f"{url}/triage/", {"outcome": "case"}, format="json")
    assert missing.status_code == 400
    assert "officer" in missing.json()
    assert api.post(f"{url}/triage/", {"outcome": "maybe"}, format="json").status_code == 400
    response = api.post(
        f"{url}/triage/", {"outcome": "case", "officer": "oscar", "note": "Kasar"}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    case = Case.objects.get()
    assert body["status"] == "in_progress" and body["cases"] == [case.pk]
    assert body["triage_outcome"] == "case" and body["officer"] == "oscar"
    assert api.post(f"{url}/triage/", {"outcome": "direct"}, format="json").status_code == 409
    assert api.post(f"{url}/answer/", {"answer": ""}, format="json").status_code == 400
    response = api.post(f"{url}/answer/", {"answer": "Ditindaklanjuti."}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "answered"
    assert [e["action"] for e in response.json()["events"]] == ["received", "triaged", "answered"]
    assert api.post(f"{url}/answer/", {"answer": "lagi"}, format="json").status_code == 409


def test_acknowledge_through_the_api(api, people, complaint):
    as_user(api, people["back_office"])
    url = f"/api/v1/complaints/{complaint.pk}/acknowledge/"
    assert api.post(url, {}, format="json").json()["status"] == "acknowledged"
    assert api.post(url, {}, format="json").status_code == 409


def test_the_list_filters(api, people, recorded, make_complaint):
    web = make_complaint(kind="suggestion")
    as_user(api, people["supervisor"])

    def codes(query):
        return [c["tracking_code"] for c in api.get("/api/v1/complaints/", query).json()["results"]]

    assert codes({"channel": "letter"}) == [recorded.tracking_code]
    assert codes({"kind": "suggestion"}) == [web.tracking_code]
    assert codes({"service": "informasi"}) == [recorded.tracking_code]
    assert codes({"status": "answered"}) == []
    for bad in (
        {"channel": "fax"},
        {"start": "kemarin"},
        {"status": "lost"},
        {"start": "2026-03-02", "end": "2026-03-01"},
    ):
        assert api.get("/api/v1/complaints/", bad).status_code == 400


def test_token_authentication_works(people, recorded):
    from conftest import PASSWORD

    client = APIClient()
    token = client.post("/api/v1/auth/token/", {"username": "sari", "password": PASSWORD}).json()[
        "token"
    ]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/complaints/").status_code == 200


def test_the_list_costs_a_fixed_number_of_queries(
    api, people, unit, service_type, django_assert_max_num_queries
):
    for i in range(20):
        services.record_complaint(
            unit,
            actor=people["back_office"],
            channel="phone",
            text=f"Pengaduan {i}",
            service_type=service_type,
            officer=people["officer"],
        )
    as_user(api, people["supervisor"])
    with django_assert_max_num_queries(5):
        response = api.get("/api/v1/complaints/")
    assert response.json()["count"] == 20


def test_the_schema_documents_every_complaint_endpoint_and_status(api, db):
    import yaml

    schema = yaml.safe_load(api.get("/api/v1/schema/").content)
    paths = schema["paths"]
    submit = paths["/api/v1/complaints/"]["post"]
    assert set(submit["responses"]) == {"201", "400", "429"}
    assert submit["security"] == [{}]
    assert set(paths["/api/v1/complaints/"]["get"]["responses"]) >= {"200", "400", "401", "403"}
    assert set(paths["/api/v1/complaints/track/{code}/"]["get"]["responses"]) == {
        "200",
        "404",
        "429",
    }
    for action in ("triage", "answer", "acknowledge"):
        responses = paths[f"/api/v1/complaints/{{id}}/{action}/"]["post"]["responses"]
        assert set(responses) == {"200", "400", "401", "403", "404", "409"}
    assert set(paths["/api/v1/complaints/record/"]["post"]["responses"]) == {
        "201",
        "400",
        "401",
        "403",
        "404",
    }
    assert set(paths["/api/v1/complaints/{id}/"]["get"]["responses"]) == {
        "200",
        "401",
        "403",
        "404",
    }


def test_back_office_records_and_acknowledges_but_cannot_triage_or_answer(api, people, complaint):
    as_user(api, people["back_office"])
    url = f"/api/v1/complaints/{complaint.pk}"
    assert api.post(f"{url}/triage/", {"outcome": "direct"}, format="json").status_code == 403
    assert api.post(f"{url}/answer/", {"answer": "x"}, format="json").status_code == 403
    assert api.post(f"{url}/acknowledge/", {}, format="json").status_code == 200


# --- proof of a person: the form token and the honeypot (issue 13) ------------------------


def test_a_complaint_needs_a_form_token_aged_like_a_person_typing_and_used_once(
    api, unit, settings
):
    settings.COMPLAINT_MIN_FILL_SECONDS = 5
    settings.COMPLAINT_API_TOKEN_MAX_AGE = 30 * 60
    body = {"unit": unit.code, "text": "Antrean lama."}
    with time_machine.travel("2026-03-02 03:00:00+00:00", tick=False) as clock:
        missing = api.post("/api/v1/complaints/", body, format="json")
        assert missing.status_code == 400 and "form_token" in missing.json()
        given = api.get("/api/v1/complaints/form-token/", {"unit": unit.code})
        assert given.status_code == 200
        assert given.json()["min_age_seconds"] == 5
        assert given.json()["max_age_seconds"] == 1800
        token = given.json()["form_token"]
        clock.shift(2)
        too_fast = api.post("/api/v1/complaints/", {**body, "form_token": token}, format="json")
        assert too_fast.status_code == 400 and "form_token" in too_fast.json()
        clock.shift(5)
        accepted = api.post("/api/v1/complaints/", {**body, "form_token": token}, format="json")
        assert accepted.status_code == 201
        again = api.post("/api/v1/complaints/", {**body, "form_token": token}, format="json")
        assert again.status_code == 400 and "form_token" in again.json()
        stale = api.get("/api/v1/complaints/form-token/", {"unit": unit.code}).json()
        clock.shift(31 * 60)
        late = api.post(
            "/api/v1/complaints/", {**body, "form_token": stale["form_token"]}, format="json"
        )
        assert late.status_code == 400 and "form_token" in late.json()
    assert Complaint.objects.count() == 1


def test_a_forged_or_other_units_token_is_refused(api, unit, other_unit):
    body = {"unit": unit.code, "text": "x"}
    for token in ["abc", signed({"unit": other_unit.code})["form_token"]]:
        response = api.post("/api/v1/complaints/", {**body, "form_token": token}, format="json")
        assert response.status_code == 400 and "form_token" in response.json()
    assert not Complaint.objects.exists()


def test_the_honeypot_refuses_a_robot(api, unit):
    payload = signed({"unit": unit.code, "text": "x", "website": "http://spam.example"})
    response = api.post("/api/v1/complaints/", payload, format="json")
    assert response.status_code == 400 and "website" in response.json()
    assert not Complaint.objects.exists()


def test_a_form_token_for_an_unknown_unit_is_a_400(api, db):
    response = api.get("/api/v1/complaints/form-token/", {"unit": "nope"})
    assert response.status_code == 400 and "unit" in response.json()


def test_the_schema_states_the_form_token_and_the_honeypot(api, db):
    import yaml

    schema = yaml.safe_load(api.get("/api/v1/schema/").content)
    body = schema["components"]["schemas"]["PublicComplaintInRequest"]
    assert "form_token" in body["required"]
    assert body["properties"]["website"]["maxLength"] == 0
    assert "/api/v1/complaints/form-token/" in schema["paths"]
