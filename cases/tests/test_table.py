"""The workflow table drives the rest: each action of the table has its form, its API payload and
its event rendering, all agreeing with the service function; docs/workflow.md is the table."""

from __future__ import annotations

import inspect

import pytest

from api.cases import ACTION_PAYLOADS
from cases import workflow
from cases.forms import ACTION_FORMS, FIELD_FOR_PAYLOAD
from cases.models import CaseAction
from cases.workflow_doc import DOC, render
from units.models import Unit

TABLE = sorted({a for moves in workflow.WORKFLOW.values() for a in moves})


def _parameters(action: str) -> tuple[set[str], set[str]]:
    """(all, required) keyword parameters of the action's service function."""
    params = inspect.signature(workflow.ACTIONS[action].run).parameters.values()
    named = [p for p in params if p.kind == p.KEYWORD_ONLY and p.name != "actor"]
    return {p.name for p in named}, {p.name for p in named if p.default is p.empty}


def test_every_action_of_the_table_is_declared_once_with_a_form_and_a_payload():
    assert set(workflow.ACTIONS) == set(CaseAction.values)
    assert set(TABLE) == {a for a, spec in workflow.ACTIONS.items() if spec.run is not None}
    assert set(ACTION_FORMS) == set(TABLE)
    assert set(ACTION_PAYLOADS) == set(TABLE)


@pytest.mark.parametrize("action", TABLE)
def test_the_api_payload_is_the_service_functions_parameters(action):
    accepted, required = _parameters(action)
    fields = ACTION_PAYLOADS[action]().fields
    files = {"attachments", "evidence"}  # uploads come through the web form only
    assert set(fields) <= accepted, action
    assert required - files <= set(fields), action


@pytest.mark.parametrize("action", TABLE)
def test_the_web_form_gives_the_service_functions_parameters(action, unit):
    accepted, required = _parameters(action)
    form = ACTION_FORMS[action](unit=unit)
    payload_names = {FIELD_FOR_PAYLOAD.get(p, p) for p in accepted}
    # The web's own fields: a choice that maps to a flag, and the head's "I read the draft SK".
    assert set(form.fields) <= payload_names | {"decision", "confirm"}, action
    for name in required:
        assert FIELD_FOR_PAYLOAD.get(name, name) in form.fields, (action, name)


def test_the_api_answers_on_every_action_of_the_table(client):
    from django.urls import reverse

    for action in TABLE:
        assert reverse(f"api-case-{action}", args=[1]).endswith(f"/{action}/")


def test_every_field_an_event_records_is_declared_with_its_action(make_case):
    from cases.models import CaseEvent

    for state in ("objected-closed", "dismissed"):
        make_case(state)
    seen = set()
    for event in CaseEvent.objects.all():
        seen.add(event.action)
        assert set(event.data) <= set(workflow.ACTIONS[event.action].fields), event.action
    assert seen >= set(TABLE) - {"defence", "rule_objection"}


def test_docs_workflow_md_is_generated_from_the_table(db):
    assert Unit._meta.get_field("summonses_before_evidence").default == 2
    assert DOC.read_text() == render(), "run: manage.py workflow_doc"
