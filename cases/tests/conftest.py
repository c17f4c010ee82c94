"""Cases in any state, built by walking the workflow with the named people of conftest.py."""

from __future__ import annotations

import datetime
from contextlib import nullcontext

import pytest
from django.utils import timezone

from cases import workflow
from cases.models import CaseAction, CaseState
from surveys.models import ServiceRecord, SurveyResponse

A, S = CaseAction, CaseState

# Who takes each action in a normal run, and a valid payload for it.
ACTORS = {
    A.REFER: "back_office",
    A.DISMISS: "back_office",
    A.SUMMON: "coordinator",
    A.HEARING: "coordinator",
    A.DEFENCE: "officer",
    A.PROPOSE: "coordinator",
    A.VERIFY: "person_in_charge",
    A.DECIDE: "head",
    A.COMPENSATE: "coordinator",
    A.DELIVER: "coordinator",
    A.OBJECT: "officer",
    A.RULE_OBJECTION: "head",
}


def payload(action: str) -> dict:
    return {
        A.REFER: {"note": "Nilai U7 = 1, petugas yang melayani jelas."},
        A.DISMISS: {"reason": "Bukan kesalahan petugas."},
        A.SUMMON: {
            "scheduled_at": timezone.now() + datetime.timedelta(days=1),
            "place": "Ruang rapat ULT",
        },
        A.HEARING: {"explanation": "Antrean panjang hari itu.", "defence": "Sudah berusaha."},
        A.DEFENCE: {"defence": "Saya melayani sesuai prosedur."},
        A.PROPOSE: {
            "violations": ["v04", "v07"],
            "sanction": "teguran-tertulis",
            "reasoning": "Petugas mempersulit pelanggan.",
            "justification": "Pelanggaran pertama; teguran tertulis dipandang cukup.",
        },
        A.VERIFY: {"approved": True, "note": ""},
        A.DECIDE: {"issue_decree": True, "reason": ""},
        A.COMPENSATE: {"compensations": ["permintaan-maaf"], "cost": 0, "note": ""},
        A.DELIVER: {
            "delivered_at": timezone.now(),
            "method": "Langsung di ULT",
            "customer_acknowledged": True,
            "note": "",
        },
        A.OBJECT: {"text": "Sanksi terlalu berat dibanding kesalahan saya."},
        A.RULE_OBJECTION: {"upheld": False, "reason": "Sanksi sesuai tingkat pelanggaran."},
    }[action]


# The normal path to each state: the actions that bring a fresh case there. Due process comes
# first: a summons, then the hearing held on its date (make_case runs these on a past clock).
HEARD = [A.REFER, A.SUMMON, A.HEARING]
DECIDED = [*HEARD, A.PROPOSE, A.VERIFY, A.DECIDE]
PATH = {
    S.REVIEW: [],
    S.HEARING: [A.REFER],
    S.VERIFICATION: [*HEARD, A.PROPOSE],
    S.DECISION: [*HEARD, A.PROPOSE, A.VERIFY],
    S.COMPENSATION: DECIDED,
    S.DELIVERY: [*DECIDED, A.COMPENSATE],
    S.CLOSED: [*DECIDED, A.COMPENSATE, A.DELIVER],
    S.DISMISSED: [A.DISMISS],
    # Moments within a state: summoned (the hearing pending), heard (ready to propose), and an
    # objection lodged beside the compensation.
    "summoned": [A.REFER, A.SUMMON],
    "heard": HEARD,
    "objected": [*DECIDED, A.OBJECT],
    "objected-delivery": [*DECIDED, A.OBJECT, A.COMPENSATE],
    "objected-closed": [*DECIDED, A.OBJECT, A.COMPENSATE, A.DELIVER],
}
STATE_OF = {
    "summoned": S.HEARING,
    "heard": S.HEARING,
    "objected": S.COMPENSATION,
    "objected-delivery": S.DELIVERY,
    "objected-closed": S.CLOSED,
}
# How long before now a case walked past its summons was opened; the summons is for a day later
# and the hearing is held then.
HEARD_DAYS = 3


def flagged_response(
    unit, service_type, officer, *, name="Budi Santoso", contact="budi@contoh.id", at=None
):
    at = at or timezone.now()
    record = ServiceRecord.objects.create(
        unit=unit,
        service_type=service_type,
        officer=officer,
        customer_name=name,
        customer_contact=contact,
        served_at=at - datetime.timedelta(hours=3),
    )
    return SurveyResponse.objects.create(
        unit=unit,
        service_record=record,
        service_type=service_type,
        officer=officer,
        submitted_at=at - datetime.timedelta(hours=2),
        u1=4, u2=4, u3=3, u4=4, u5=4, u6=3, u7=1, u8=4, u9=4,
        flagged=True,
        flagged_elements="U7",
    )  # fmt: skip


@pytest.fixture
def make_case(unit, service_type, people):
    """make_case(state="review", **response kwargs): a case about `oscar` in `state`."""

    def make(state: str = S.REVIEW, officer=None, **kwargs):
        officer = officer or people["officer"]
        path = PATH[state]
        now = timezone.now()
        start = now - datetime.timedelta(days=HEARD_DAYS) if A.SUMMON in path else now
        # The steps up to the hearing on the past clock: opened, referred, summoned for a day
        # later, heard then; the rest now.
        moments = {}
        if A.SUMMON in path:
            moments = {
                A.REFER: start + datetime.timedelta(minutes=1),
                A.SUMMON: start + datetime.timedelta(minutes=2),
                A.HEARING: start + datetime.timedelta(days=1, hours=1),
            }
        response = flagged_response(unit, service_type, officer, at=start, **kwargs)
        with workflow.acting_at(start):
            case = workflow.open_case(unit, actor=None, officer=officer, survey_response=response)
        for action in path:
            data = payload(action)
            if action == A.SUMMON:
                data["scheduled_at"] = start + datetime.timedelta(days=1)
            actor = officer if action in (A.DEFENCE, A.OBJECT) else people[ACTORS[action]]
            clock = workflow.acting_at(moments[action]) if action in moments else nullcontext()
            with clock:
                workflow.apply_action(case, action, actor=actor, **data)
        case.refresh_from_db()
        assert case.state == STATE_OF.get(state, state)
        return case

    return make


@pytest.fixture
def budget(unit):
    from units.models import CompensationBudget

    return CompensationBudget.objects.create(
        unit=unit, year=timezone.localdate().year, amount=1_000_000
    )
