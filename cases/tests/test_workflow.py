"""The transition table of DESIGN §5, walked row by row, role by role and state by state."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from cases import workflow
from cases.models import Case, CaseAction, CaseEvent, CaseState, Decree
from conftest import make_member
from pulih.lib.errors import ActionForbidden, InvalidInput, StateConflict
from units.models import Role

from .conftest import ACTORS, STATE_OF, payload

A, S = CaseAction, CaseState
TABLE_ACTIONS = [a for a in A.values if a != A.OPEN]

# Every row of the table, with the outcome's payload where an action branches.
ROWS = [
    (S.REVIEW, A.REFER, {}, S.HEARING),
    (S.REVIEW, A.DISMISS, {}, S.DISMISSED),
    (S.HEARING, A.SUMMON, {}, S.HEARING),
    (S.HEARING, A.HEARING, {}, S.HEARING),
    (S.HEARING, A.DEFENCE, {}, S.HEARING),
    (S.HEARING, A.PROPOSE, {}, S.VERIFICATION),
    (S.VERIFICATION, A.VERIFY, {"approved": True}, S.DECISION),
    (S.VERIFICATION, A.VERIFY, {"approved": False, "note": "Lengkapi bukti."}, S.HEARING),
    (S.DECISION, A.DECIDE, {"issue_decree": True}, S.COMPENSATION),
    (S.DECISION, A.DECIDE, {"issue_decree": False, "reason": "Bukti kurang."}, S.REVIEW),
    (S.COMPENSATION, A.COMPENSATE, {}, S.DELIVERY),
    (S.DELIVERY, A.DELIVER, {}, S.CLOSED),
    (S.COMPENSATION, A.OBJECT, {}, S.COMPENSATION),
    (S.DELIVERY, A.OBJECT, {}, S.DELIVERY),
    (S.CLOSED, A.OBJECT, {}, S.CLOSED),
    ("objected", A.RULE_OBJECTION, {}, S.COMPENSATION),
    ("objected-delivery", A.RULE_OBJECTION, {}, S.DELIVERY),
    ("objected-closed", A.RULE_OBJECTION, {}, S.CLOSED),
]
# Where each row starts: a state, or a moment within one (cases/tests/conftest.py).
FROM = {S.HEARING: "heard"}


def test_the_table_covers_every_state_and_action():
    assert set(workflow.WORKFLOW) == set(S.values)
    in_table = {a for moves in workflow.WORKFLOW.values() for a in moves}
    assert in_table == set(TABLE_ACTIONS)
    assert {(STATE_OF.get(f, f), a) for f, a, _, _ in ROWS} == {
        (f, a) for f, moves in workflow.WORKFLOW.items() for a in moves
    }


@pytest.mark.parametrize(("from_state", "action", "extra", "to_state"), ROWS)
def test_each_transition_moves_the_state_and_appends_its_event(
    make_case, people, from_state, action, extra, to_state
):
    case = make_case("summoned" if action == A.HEARING else FROM.get(from_state, from_state))
    from_state = STATE_OF.get(from_state, from_state)
    before = case.events.count()
    actor = case.officer if action in (A.DEFENCE, A.OBJECT) else people[ACTORS[action]]
    workflow.apply_action(case, action, actor=actor, **{**payload(action), **extra})
    case.refresh_from_db()
    assert case.state == to_state
    assert case.events.count() == before + 1
    event = case.events.order_by("-pk").first()
    assert (event.action, event.actor, event.from_state, event.to_state) == (
        action,
        actor,
        from_state,
        to_state,
    )


def test_opening_appends_the_first_event(make_case):
    case = make_case()
    event = case.events.get()
    assert (event.action, event.from_state, event.to_state) == ("open", "", S.REVIEW)
    assert event.data["source"] == "survey"


def _allowed_state(action: str) -> str:
    """A state (or moment of one, as make_case builds it) where `action` may be taken."""
    special = {A.HEARING: "summoned", A.PROPOSE: "heard", A.RULE_OBJECTION: "objected"}
    if action in special:
        return special[action]
    return next(s for s, moves in workflow.WORKFLOW.items() if action in moves)


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("action", TABLE_ACTIONS)
def test_every_role_against_every_action(make_case, people, unit, action, role):
    """The role may take the action exactly when the table says so; otherwise 403."""
    case = make_case(_allowed_state(action))
    # A fresh person holding only `role`, so that no segregation rule is in play; for the
    # officer's defence that person must be the case's officer.
    actor = make_member(unit, f"only-{role}", role)
    if action in (A.DEFENCE, A.OBJECT) and role == Role.OFFICER:
        actor = people["officer"]
    events = case.events.count()
    allowed = role in workflow.WORKFLOW[case.state][action].roles
    if action == A.RULE_OBJECTION:  # the table's roles, narrowed to the one the unit names
        allowed = role == unit.objection_decider
    if allowed:
        workflow.apply_action(case, action, actor=actor, **payload(action))
        assert case.events.count() == events + 1
        assert case.events.order_by("-pk").first().actor == actor
    else:
        with pytest.raises(ActionForbidden):
            workflow.apply_action(case, action, actor=actor, **payload(action))
        assert case.events.count() == events


@pytest.mark.parametrize(
    ("state", "action"),
    [(s, a) for s in S.values for a in TABLE_ACTIONS if a not in workflow.WORKFLOW[s]],
)
def test_every_action_in_a_state_it_does_not_belong_to_conflicts(make_case, people, state, action):
    case = make_case(state)
    events = case.events.count()
    with pytest.raises(StateConflict):
        workflow.apply_action(case, action, actor=people[ACTORS[action]], **payload(action))
    case.refresh_from_db()
    assert case.state == state
    assert case.events.count() == events


def test_the_supervisor_changes_nothing(make_case, people):
    for state in S.values:
        case = make_case(state)
        assert workflow.available_actions(case, people["supervisor"]) == []


# --- Segregation of duties --------------------------------------------------------------------


def test_the_proposer_cannot_verify(make_case, people, unit):
    both = make_member(unit, "dual", Role.COORDINATOR, Role.PERSON_IN_CHARGE)
    case = make_case("heard")
    workflow.propose_sanction(case, actor=both, **payload(A.PROPOSE))
    with pytest.raises(ActionForbidden, match="Pengusul"):
        workflow.verify_proposal(case, actor=both, approved=True)
    workflow.verify_proposal(case, actor=people["person_in_charge"], approved=True)
    assert case.state == S.DECISION


def test_the_verifier_cannot_decide(make_case, people, unit):
    both = make_member(unit, "pj-kepala", Role.PERSON_IN_CHARGE, Role.HEAD)
    case = make_case(S.VERIFICATION)
    workflow.verify_proposal(case, actor=both, approved=True)
    with pytest.raises(ActionForbidden, match="verifikator"):
        workflow.decide_decree(case, actor=both, issue_decree=True)
    workflow.decide_decree(case, actor=people["head"], issue_decree=True)
    assert case.state == S.COMPENSATION


@pytest.mark.parametrize("action", [a for a in TABLE_ACTIONS if a not in (A.DEFENCE, A.OBJECT)])
def test_the_officer_of_the_case_cannot_act_on_it_whatever_their_roles(make_case, unit, action):
    everything = make_member(unit, "semua", *Role.values)
    case = make_case(_allowed_state(action), officer=everything)
    with pytest.raises(ActionForbidden, match="dirinya sendiri"):
        workflow.apply_action(case, action, actor=everything, **payload(action))


def test_the_officer_submits_their_own_defence_only(make_case, people):
    case = make_case(S.HEARING)
    with pytest.raises(ActionForbidden, match="petugas yang bersangkutan"):
        workflow.submit_defence(case, actor=people["officer2"], defence="Bukan saya.")
    hearing = workflow.submit_defence(case, actor=people["officer"], defence="Saya membela diri.")
    assert hearing.written_defence == "Saya membela diri."
    assert case.state == S.HEARING


def test_nobody_opens_a_case_about_themselves(unit, people):
    with pytest.raises(ActionForbidden):
        workflow.open_case(
            unit, actor=people["coordinator"], officer=people["coordinator"], reason="x"
        )


def test_only_back_office_and_coordinator_open_cases_by_hand(unit, people):
    with pytest.raises(ActionForbidden):
        workflow.open_case(unit, actor=people["head"], officer=people["officer"], reason="x")
    case = workflow.open_case(
        unit, actor=people["back_office"], officer=people["officer"], reason="Laporan lisan."
    )
    assert (case.source_kind, case.reason, case.opened_by) == (
        "manual",
        "Laporan lisan.",
        people["back_office"],
    )


def test_a_manual_case_needs_a_written_reason(unit, people):
    with pytest.raises(InvalidInput) as error:
        workflow.open_case(unit, actor=people["coordinator"], officer=people["officer"])
    assert "reason" in error.value.fields


def test_a_case_is_about_a_member_of_the_unit(unit, people, outsider):
    with pytest.raises(InvalidInput) as error:
        workflow.open_case(unit, actor=people["coordinator"], officer=outsider, reason="x")
    assert "officer" in error.value.fields


# --- The no-decree loop -----------------------------------------------------------------------


def test_no_decree_returns_to_review_and_the_loop_runs_again_to_a_decree(make_case, people):
    case = make_case(S.DECISION)
    workflow.decide_decree(
        case, actor=people["head"], issue_decree=False, reason="Bukti belum cukup."
    )
    assert case.state == S.REVIEW
    assert not Decree.objects.filter(case=case).exists()
    for action in [A.REFER, A.PROPOSE, A.VERIFY, A.DECIDE]:  # the hearing held still counts
        workflow.apply_action(case, action, actor=people[ACTORS[action]], **payload(action))
    case.refresh_from_db()
    assert case.state == S.COMPENSATION
    assert case.decree.number.startswith("0001/")
    assert case.proposals.count() == 2
    assert list(case.events.values_list("action", flat=True)) == [
        "open", "refer", "summon", "hearing", "propose", "verify", "decide",
        "refer", "propose", "verify", "decide",
    ]  # fmt: skip


def test_a_returned_proposal_goes_back_to_hearing_and_can_be_proposed_again(make_case, people):
    case = make_case(S.VERIFICATION)
    workflow.verify_proposal(case, actor=people["person_in_charge"], approved=False, note="Revisi")
    assert case.state == S.HEARING
    workflow.propose_sanction(case, actor=people["coordinator"], **payload(A.PROPOSE))
    assert case.state == S.VERIFICATION


# --- Payloads ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "bad", "field"),
    [
        (A.DISMISS, {"reason": "  "}, "reason"),
        (A.SUMMON, {"place": ""}, "place"),
        (A.SUMMON, {"scheduled_at": "besok"}, "scheduled_at"),
        (A.HEARING, {"explanation": ""}, "explanation"),
        (A.DEFENCE, {"defence": ""}, "defence"),
        (A.PROPOSE, {"violations": []}, "violations"),
        (A.PROPOSE, {"violations": ["v99"]}, "violations"),
        (A.PROPOSE, {"sanction": "dipecat-langsung"}, "sanction"),
        (A.PROPOSE, {"reasoning": ""}, "reasoning"),
        (A.VERIFY, {"approved": False, "note": ""}, "note"),
        (A.DECIDE, {"issue_decree": False, "reason": ""}, "reason"),
        (A.COMPENSATE, {"compensations": ["uang-tunai"]}, "compensations"),
        (A.COMPENSATE, {"cost": -5}, "cost"),
        (A.DELIVER, {"method": ""}, "method"),
        (A.SUMMON, {"scheduled_at": timezone.now() - datetime.timedelta(hours=1)}, "scheduled_at"),
        (A.HEARING, {"held_at": timezone.now() - datetime.timedelta(days=3)}, "held_at"),
        (A.HEARING, {"held_at": timezone.now() + datetime.timedelta(days=1)}, "held_at"),
        (A.PROPOSE, {"sanction": "pemberhentian", "justification": ""}, "justification"),
        (A.DELIVER, {"customer_acknowledged": False}, "unacknowledged_reason"),
        (A.DELIVER, {"delivered_at": timezone.now() - datetime.timedelta(days=1)}, "delivered_at"),
        (A.OBJECT, {"text": " "}, "text"),
        (A.RULE_OBJECTION, {"reason": ""}, "reason"),
    ],
)
def test_a_bad_payload_names_the_field_and_changes_nothing(make_case, people, action, bad, field):
    case = make_case(_allowed_state(action))
    events = case.events.count()
    actor = case.officer if action in (A.DEFENCE, A.OBJECT) else people[ACTORS[action]]
    with pytest.raises(InvalidInput) as error:
        workflow.apply_action(case, action, actor=actor, **{**payload(action), **bad})
    assert field in error.value.fields
    case.refresh_from_db()
    assert case.events.count() == events


def test_inactive_catalogue_entries_are_refused(make_case, people, unit):
    from units.models import SanctionKind

    SanctionKind.objects.filter(unit=unit, code="teguran-tertulis").update(active=False)
    case = make_case("heard")
    with pytest.raises(InvalidInput) as error:
        workflow.propose_sanction(case, actor=people["coordinator"], **payload(A.PROPOSE))
    assert "sanction" in error.value.fields


def test_another_units_catalogue_is_not_accepted(make_case, people, other_unit):
    from units.models import Violation

    Violation.objects.create(unit=other_unit, code="x01", text="Lain")
    case = make_case("heard")
    with pytest.raises(InvalidInput):
        workflow.propose_sanction(
            case,
            actor=people["coordinator"],
            violations=["x01"],
            sanction="teguran-tertulis",
            reasoning="r",
        )


# --- The timeline -----------------------------------------------------------------------------


def test_events_cannot_be_edited_or_deleted(make_case):
    event = make_case(S.HEARING).events.first()
    event.data = {"edited": True}
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


def test_the_database_refuses_to_change_events_on_postgresql(make_case):
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger is created on PostgreSQL only")
    case = make_case(S.HEARING)
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseEvent.objects.filter(case=case).update(data={"edited": True})
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseEvent.objects.filter(case=case).delete()
    assert case.events.count() == 2


def test_a_failed_action_leaves_neither_records_nor_event(make_case, people):
    case = make_case("heard")
    with pytest.raises(InvalidInput):
        workflow.propose_sanction(
            case, actor=people["coordinator"], violations=["v01"], sanction="", reasoning="x"
        )
    assert case.proposals.count() == 0
    assert Case.objects.get(pk=case.pk).state == S.HEARING


# --- Mail -------------------------------------------------------------------------------------


def test_whoever_owes_the_next_step_is_told_after_commit(
    make_case, people, django_capture_on_commit_callbacks
):
    case = make_case("heard")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.propose_sanction(case, actor=people["coordinator"], **payload(A.PROPOSE))
    assert [m.to for m in mail.outbox] == [[people["person_in_charge"].email]]
    assert "Budi" not in mail.outbox[0].body  # staff mail never names the customer


def test_the_summons_reaches_the_officer_without_the_customer(
    make_case, people, django_capture_on_commit_callbacks
):
    case = make_case(S.HEARING)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.summon_officer(case, actor=people["coordinator"], **payload(A.SUMMON))
    assert [m.to for m in mail.outbox] == [[people["officer"].email]]
    assert "Ruang rapat ULT" in mail.outbox[0].body
    assert "Budi" not in mail.outbox[0].body
