"""The demo data shows every state of the workflow, and running it twice changes nothing."""

from __future__ import annotations

import random

from cases import demo, workflow
from cases.models import Case, CaseState
from units.demo import create_staff
from units.models import CompensationBudget

from .conftest import flagged_response


def test_demo_cases_show_every_state_and_run_once(unit, service_type):
    staff = create_staff(unit, "demo-pass-123")
    # What the surveys demo leaves behind: a few cases opened from flagged ratings.
    for officer in staff.officers[:4]:
        response = flagged_response(unit, service_type, officer)
        workflow.open_case(unit, actor=None, officer=officer, survey_response=response)
    summary = demo.populate(unit, staff, random.Random(1), 4)
    states = set(Case.objects.filter(unit=unit).values_list("state", flat=True))
    assert states == set(CaseState.values), summary
    assert "1 overdue" in summary
    assert Case.objects.filter(unit=unit, state=CaseState.CLOSED, decree__isnull=False).count() == 3
    loop = Case.objects.filter(events__action="decide", events__data__issue_decree=False)
    assert loop.filter(state=CaseState.CLOSED).exists()
    assert CompensationBudget.objects.filter(unit=unit).exists()
    count = Case.objects.count()
    assert demo.populate(unit, staff, random.Random(1), 4) == ""
    assert Case.objects.count() == count


def test_demo_cases_without_a_surveys_demo(unit, service_type):
    staff = create_staff(unit, "demo-pass-123")
    demo.populate(unit, staff, random.Random(2), 4)
    states = set(Case.objects.filter(unit=unit).values_list("state", flat=True))
    assert states == set(CaseState.values)


def test_the_demo_unit_seals_its_decrees_with_its_self_signed_certificate(unit, service_type):
    from cases.models import DocumentKind, IssuedDocument
    from documents.signing import certificate_pem, check_seal

    staff = create_staff(unit, "demo-pass-123")
    demo.populate(unit, staff, random.Random(3), 4)
    unit.refresh_from_db()
    with unit.signing_certificate.open("rb") as handle:
        root = certificate_pem(handle.read(), unit.signing_passphrase)
    decrees = IssuedDocument.objects.filter(unit=unit, kind=DocumentKind.DECREE)
    assert decrees.exists() and all(d.signed for d in decrees)
    assert check_seal(decrees.first().read(), [root]).ok
    assert unit.copies_to
