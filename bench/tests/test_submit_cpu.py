"""bench/submit_cpu.py times answers that were really stored: every request 201, one row per
answer, for the survey API and for the floor."""

from __future__ import annotations

import pytest
from django.core import signals
from django.db import close_old_connections

from bench import floor as benchfloor
from bench.submit_cpu import measure, queries


@pytest.fixture
def bench_server(settings, unit, people, service_type):
    """The bench's URLs and the floor's table; connections kept across requests, as Django's
    test client keeps them (the test's transaction stays open)."""
    settings.ROOT_URLCONF = "bench.urls"
    benchfloor.create_table()
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield unit
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_every_timed_answer_is_stored(bench_server):
    result = measure(bench_server.code, requests=6, rounds=2, warmup=1)
    assert result["statuses"] == {"201 Created": 14}  # (1 warm-up + 6) answers to each URL
    assert result["survey_rows"] == 7
    assert result["floor_rows"] == 7
    assert len(result["survey_rounds_ms"]) == len(result["floor_rounds_ms"]) == 2
    assert result["survey_ms"] > 0 and result["floor_ms"] > 0


def test_queries_of_a_plain_and_a_poor_answer(bench_server):
    seen = queries(bench_server.code)
    assert seen["statuses"] == {"201 Created": 2}
    assert any("surveys_improvementitem" in sql for sql in seen["poor"])
    assert not any("surveys_improvementitem" in sql for sql in seen["plain"])
