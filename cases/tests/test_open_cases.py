"""open_cases: the bulk twin of open_case (the import's path) opens exactly the same cases."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import workflow
from cases.models import Case, CaseEvent
from conftest import make_member
from pulih.lib.errors import ActionForbidden, InvalidInput

from .conftest import flagged_response

AT = datetime.datetime(2026, 11, 3, 10, 0, tzinfo=datetime.UTC)
CASE_FIELDS = [
    "unit_id",
    "officer_id",
    "state",
    "source_kind",
    "survey_response_id",
    "complaint_id",
    "reason",
    "opened_at",
    "opened_by_id",
    "due_rule",
    "due_at",
]
EVENT_FIELDS = ["action", "actor_id", "at", "from_state", "to_state", "data"]


def snapshot(case: Case) -> tuple:
    case = Case.objects.get(pk=case.pk)
    events = [tuple(getattr(e, f) for f in EVENT_FIELDS) for e in case.events.all()]
    return tuple(getattr(case, f) for f in CASE_FIELDS), events


def openings(unit, service_type, people, n=4):
    officers = [people["officer"], people["officer2"]]
    return [
        workflow.Opening(
            officers[i % 2],
            survey_response=flagged_response(
                unit, service_type, officers[i % 2], contact=f"c{i}@contoh.id"
            ),
            reason=f"Survey rating on U{i % 9 + 1}",
        )
        for i in range(n)
    ]


def test_bulk_opened_cases_equal_the_ones_open_case_makes(unit, service_type, people):
    one_by_one = openings(unit, service_type, people)
    in_bulk = openings(unit, service_type, people)
    with workflow.acting_at(AT):
        singles = [
            workflow.open_case(
                unit,
                actor=None,
                officer=o.officer,
                survey_response=o.survey_response,
                reason=o.reason,
            )
            for o in one_by_one
        ]
        bulk = workflow.open_cases(unit, in_bulk, actor=None)
    assert len(bulk) == len(singles) == 4
    assert all(c.pk for c in bulk)
    for single, opened, a, b in zip(singles, bulk, one_by_one, in_bulk, strict=True):
        fields, events = snapshot(single)
        bulk_fields, bulk_events = snapshot(opened)
        swap = {a.survey_response.pk: b.survey_response.pk}
        fields = tuple(swap.get(v, v) if i == 4 else v for i, v in enumerate(fields))
        assert bulk_fields == fields
        assert bulk_events == events
        assert len(events) == 1


def test_manual_openings_in_bulk_need_a_reason_and_the_actors_role(unit, people):
    opening = workflow.Opening(people["officer"], reason="Laporan lisan.")
    cases = workflow.open_cases(unit, [opening, opening], actor=people["back_office"])
    assert [(c.source_kind, c.opened_by) for c in cases] == [("manual", people["back_office"])] * 2
    with pytest.raises(ActionForbidden):
        workflow.open_cases(unit, [opening], actor=people["head"])
    with pytest.raises(ActionForbidden):
        workflow.open_cases(
            unit, [opening, workflow.Opening(people["back_office"], reason="x")],
            actor=people["back_office"],
        )  # fmt: skip
    with pytest.raises(InvalidInput):
        workflow.open_cases(unit, [opening, workflow.Opening(people["officer"])], actor=None)
    assert Case.objects.count() == 2


def test_one_bad_opening_opens_none(unit, service_type, people):
    stranger = make_member(unit, "tamu")
    good = openings(unit, service_type, people, n=3)
    with pytest.raises(InvalidInput) as caught:
        workflow.open_cases(unit, [*good, workflow.Opening(stranger, reason="x")], actor=None)
    assert "officer" in caught.value.fields
    assert not Case.objects.exists()
    assert not CaseEvent.objects.exists()


def test_opening_many_takes_a_constant_number_of_queries(unit, service_type, people):
    few, many = openings(unit, service_type, people, 2), openings(unit, service_type, people, 12)
    counts = []
    for batch in (few, many):
        with CaptureQueriesContext(connection) as queries:
            workflow.open_cases(unit, batch, actor=None)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert Case.objects.count() == 14
