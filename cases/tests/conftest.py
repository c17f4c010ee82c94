"""Cases in any state, built by walking the workflow with the named people of conftest.py."""

from __future__ import annotations

import datetime

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
    }[action]


# The normal path to each state: the actions that bring a fresh case there.
PATH = {
    S.REVIEW: [],
    S.HEARING: [A.REFER],
    S.VERIFICATION: [A.REFER, A.PROPOSE],
    S.DECISION: [A.REFER, A.PROPOSE, A.VERIFY],
    S.COMPENSATION: [A.REFER, A.PROPOSE, A.VERIFY, A.DECIDE],
    S.DELIVERY: [A.REFER, A.PROPOSE, A.VERIFY, A.DECIDE, A.COMPENSATE],
    S.CLOSED: [A.REFER, A.PROPOSE, A.VERIFY, A.DECIDE, A.COMPENSATE, A.DELIVER],
    S.DISMISSED: [A.DISMISS],
}


def flagged_response(unit, service_type, officer, *, name="Budi Santoso", contact="budi@contoh.id"):
    record = ServiceRecord.objects.create(
        unit=unit,
        service_type=service_type,
        officer=officer,
        customer_name=name,
        customer_contact=contact,
        served_at=timezone.now() - datetime.timedelta(hours=3),
    )
    return SurveyResponse.objects.create(
        unit=unit,
        service_record=record,
        service_type=service_type,
        officer=officer,
        submitted_at=timezone.now() - datetime.timedelta(hours=2),
        u1=4, u2=4, u3=3, u4=4, u5=4, u6=3, u7=1, u8=4, u9=4,
        flagged=True,
        flagged_elements="U7",
    )  # fmt: skip


@pytest.fixture
def make_case(unit, service_type, people):
    """make_case(state="review", **response kwargs): a case about `oscar` in `state`."""

    def make(state: str = S.REVIEW, officer=None, **kwargs):
        officer = officer or people["officer"]
        response = flagged_response(unit, service_type, officer, **kwargs)
        case = workflow.open_case(unit, actor=None, officer=officer, survey_response=response)
        for action in PATH[state]:
            workflow.apply_action(case, action, actor=people[ACTORS[action]], **payload(action))
        case.refresh_from_db()
        assert case.state == state
        return case

    return make


@pytest.fixture
def budget(unit):
    from units.models import CompensationBudget

    return CompensationBudget.objects.create(
        unit=unit, year=timezone.localdate().year, amount=1_000_000
    )
