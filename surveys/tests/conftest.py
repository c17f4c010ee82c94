"""Fixtures of the satisfaction tests: a service record, responses, the worked example."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from units.models import ELEMENT_CODES

# ikm-method.md's worked example: 29 respondents, sums of scores per element U1..U9.
WORKED_SUMS = [105, 101, 100, 116, 102, 105, 106, 105, 115]
WORKED_RESPONDENTS = 29


def worked_example_rows() -> list[dict[str, int]]:
    """29 answer sets whose sums per element are the worked example's (all 3s and 4s)."""
    rows = []
    for r in range(WORKED_RESPONDENTS):
        rows.append(
            {
                code: 4 if r < total - 3 * WORKED_RESPONDENTS else 3
                for code, total in zip(ELEMENT_CODES, WORKED_SUMS, strict=True)
            }
        )
    return rows


@pytest.fixture
def record(unit, service_type, people):
    from surveys.services import record_service

    return record_service(
        unit,
        actor=people["officer"],
        service_type=service_type,
        officer=people["officer"],
        customer_name="Siti Pelanggan",
        customer_contact="081234567890",
    )


@pytest.fixture
def respond(unit, service_type):
    """respond(answers, officer=None, at=None, **kw) stores one response the way the form does."""
    from surveys.services import submit_response

    def make(answers, officer=None, at=None, **kwargs):
        kwargs.setdefault("service_type", service_type)
        return submit_response(
            unit, answers=answers, officer=officer, submitted_at=at or timezone.now(), **kwargs
        )

    return make


@pytest.fixture
def worked_example(unit, people, respond):
    """The worked example stored as 29 responses on 2 November 2026 (local time)."""
    at = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=unit.zone)
    return [respond(a, officer=people["officer"], at=at) for a in worked_example_rows()]


@pytest.fixture
def api(client):
    from rest_framework.test import APIClient

    return APIClient()
