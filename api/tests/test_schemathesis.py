"""Generated requests against the app's own OpenAPI schema, as every kind of client.

For each role (anonymous, officer, coordinator, head, admin) schemathesis sends requests built
from the schema to every operation: never a 5xx, every answer as documented (status, content
type, body), and no schema-valid request refused unless the schema says why (`STATED`): a code
or id naming a row that does not exist — data, which a schema cannot list — or a rule between
fields that the schema states in words (an end before the start). Those are counted apart
(`refused_stated`); any other refusal of a schema-valid request is drift between the schema and
the server (`valid_refused`) and fails the test.

`make test` runs a short run (SCHEMATHESIS_REQUESTS, default 250 in all); `make reliability`
runs it longer on SQLite and PostgreSQL and writes the figures (SCHEMATHESIS_REPORT, JSON).
"""

from __future__ import annotations

import json
import math
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from api.tokens import issue_token
from complaints.antispam import api_form_token
from pulih.wsgi import application

ROLES = ["anonymous", "officer", "coordinator", "head", "admin"]
TOTAL = int(os.environ.get("SCHEMATHESIS_REQUESTS", "250"))
REPORT = os.environ.get("SCHEMATHESIS_REPORT", "")
CONFORMANCE = [status_code_conformance, content_type_conformance, response_schema_conformance]

# The 400s a schema-valid request may still get, per operation: the fields whose value names a
# row that does not exist (a unit, service, channel, officer, response, case…), or that break a
# rule between fields stated in the field's description. Nothing else.
STATED = {
    ("GET", "/api/v1/complaints/"): {"channel", "service", "officer", "end"},
    ("GET", "/api/v1/complaints/form-token/"): {"unit"},
    ("POST", "/api/v1/complaints/"): {"unit", "service_type"},
    ("POST", "/api/v1/complaints/record/"): {"channel", "service_type", "officer", "received_at"},
    ("POST", "/api/v1/complaints/{id}/triage/"): {"officer"},
    ("POST", "/api/v1/cases/"): {"officer", "survey_response"},
    ("POST", "/api/v1/service-records/"): {"service_type", "officer"},
    ("GET", "/api/v1/ikm/"): {"service", "officer", "end"},
    ("GET", "/api/v1/recovery/"): {"end"},
}
# A follow-up link that is unknown, answered or expired answers 410, as its description says.
GONE = {("POST", "/api/v1/followups/{token}/")}


def _stated_refusal(response, case) -> bool:
    operation = (case.method.upper(), case.path)
    if response.status_code == 410:
        return operation in GONE
    if response.status_code != 400:
        return False
    try:
        fields = set(response.json()) - {"code", "detail"}
    except ValueError:
        return False
    return bool(fields) and fields <= STATED.get(operation, set())


@pytest.fixture
def no_throttling(monkeypatch, settings):
    # Thousands of requests from one address: the per-address limits are tested elsewhere.
    rates = dict.fromkeys(SimpleRateThrottle.THROTTLE_RATES, "1000000/minute")
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": dict.fromkeys(
            settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "1000000/minute"
        ),
    }
    settings.COMPLAINT_MIN_FILL_SECONDS = 0


def _wrong_credentials(response, case) -> bool:
    # The one 400 no schema can prevent: a well-formed but wrong username and password at the
    # token endpoint (schemathesis exempts it likewise for a schema's own token URL).
    return case.path == "/api/v1/auth/token/" and response.status_code == 400


def _check(check, response, case) -> str | None:
    try:
        case.validate_response(response, checks=[check])
    except BaseException as failure:  # schemathesis raises a group naming what failed
        if isinstance(failure, KeyboardInterrupt | SystemExit):
            raise
        if check is positive_data_acceptance and _wrong_credentials(response, case):
            return None
        text = str(failure).strip().splitlines()
        return f"{case.method} {case.path} -> {response.status_code}: {' | '.join(text[:12])}"
    return None


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROLES)
def test_generated_requests_get_documented_answers_and_never_a_5xx(
    people, service_type, no_throttling, role
):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    headers = {}
    if role != "anonymous":
        user = people[role]
        _row, token = issue_token(user)
        headers = {"Authorization": f"Token {token}"}
    per_operation = max(1, math.ceil(TOTAL / len(ROLES) * 1.2 / len(operations)))
    figures = {
        "role": role,
        "requests": 0,
        "server_errors": 0,
        "schema_violations": 0,
        "refused_stated": 0,
        "valid_refused": 0,
    }
    problems: list[str] = []
    refused: list[str] = []

    for operation in operations:

        @settings(
            max_examples=per_operation,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case):
            if (
                case.operation.method.upper() == "POST"
                and case.operation.path == "/api/v1/complaints/"
                and isinstance(case.body, dict)
            ):
                # A client asks for a form token first, as the API tells it to.
                case.body["form_token"] = api_form_token(str(case.body.get("unit", "")))
            response = case.call(headers=headers)
            figures["requests"] += 1
            if response.status_code >= 500:
                figures["server_errors"] += 1
                problems.append(_check(not_a_server_error, response, case) or "5xx")
            for conformance in CONFORMANCE:
                problem = _check(conformance, response, case)
                if problem:
                    figures["schema_violations"] += 1
                    problems.append(problem)
            problem = _check(positive_data_acceptance, response, case)
            if problem and _stated_refusal(response, case):
                figures["refused_stated"] += 1
            elif problem:
                figures["valid_refused"] += 1
                refused.append(f"{problem} | {response.text[:300]}")

        check()

    if REPORT:
        with open(REPORT, "a", encoding="utf-8") as out:
            examples = {"problems": problems[:5], "refused": refused[:5]}
            out.write(json.dumps({**figures, **examples}, ensure_ascii=False) + "\n")
    assert figures["requests"] >= TOTAL / len(ROLES), figures
    assert figures["server_errors"] == 0, problems[:10]
    assert figures["schema_violations"] == 0, problems[:10]
    assert figures["valid_refused"] == 0, refused[:10]
