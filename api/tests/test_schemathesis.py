"""Generated requests against the app's own OpenAPI schema: no 5xx, every answer as documented."""

from __future__ import annotations

import math

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.tokens import issue_token
from pulih.wsgi import application

MIN_REQUESTS = 1000
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def no_throttling(monkeypatch):
    # Thousands of requests from one address: the per-address limits are tested elsewhere.
    rates = dict.fromkeys(SimpleRateThrottle.THROTTLE_RATES, "1000000/minute")
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)


@pytest.mark.django_db(transaction=True)
def test_generated_requests_get_documented_answers_and_never_a_5xx(
    people, service_type, no_throttling
):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    _row, token = issue_token(people["coordinator"])
    headers = {"Authorization": f"Token {token}"}
    per_operation = math.ceil(MIN_REQUESTS * 1.2 / len(operations))
    sent = 0
    statuses: dict[int, int] = {}

    for operation in operations:

        @settings(
            max_examples=per_operation,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case):
            nonlocal sent
            response = case.call(headers=headers)
            sent += 1
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            case.validate_response(response, checks=CHECKS)

        check()

    assert sent >= MIN_REQUESTS, f"only {sent} requests were generated"
    assert not [s for s in statuses if s >= 500], statuses
