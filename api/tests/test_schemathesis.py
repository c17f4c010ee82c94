"""Generated requests against the app's own OpenAPI schema, as every kind of client.

For each role (anonymous, officer, coordinator, head, admin) schemathesis sends requests built
from the schema to every operation: never a 5xx, every answer as documented (status, content
type, body). Schema-valid requests the server refuses with a 400 are counted apart
(`valid_refused`): most name a unit, officer or service that does not exist, which a schema
cannot enumerate.

`make test` runs a short run (SCHEMATHESIS_REQUESTS, default 500 in all); `make reliability`
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
TOTAL = int(os.environ.get("SCHEMATHESIS_REQUESTS", "500"))
REPORT = os.environ.get("SCHEMATHESIS_REPORT", "")
CONFORMANCE = [status_code_conformance, content_type_conformance, response_schema_conformance]


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
            if problem:
                figures["valid_refused"] += 1
                refused.append(problem)

        check()

    if REPORT:
        with open(REPORT, "a", encoding="utf-8") as out:
            examples = {"problems": problems[:5], "refused": refused[:5]}
            out.write(json.dumps({**figures, **examples}, ensure_ascii=False) + "\n")
    assert figures["requests"] >= TOTAL / len(ROLES), figures
    assert figures["server_errors"] == 0, problems[:10]
    assert figures["schema_violations"] == 0, problems[:10]
