"""The demo data shows every state of the workflow, and running it twice changes nothing."""

from __future__ import annotations

import random

from django.db.models import Sum

from cases import demo
from cases.models import Case, CaseState
from surveys.models import FlagReview, SurveyResponse, UnitDayTally
from units.demo import create_staff
from units.models import CompensationBudget

from .conftest import flagged_response


def test_demo_cases_show_every_state_and_run_once(unit, service_type):
    staff = create_staff(unit, "demo-pass-123")
    # What the surveys demo leaves behind: flagged ratings waiting on the daily check.
    for i in range(len(demo.NOW_PLANS) + 2):
        flagged_response(unit, service_type, staff.officers[i % len(staff.officers)])
    summary = demo.populate(unit, staff, random.Random(1), 4)
    # The back office referred them from the daily check, and declined one with its reason.
    assert FlagReview.objects.filter(outcome="not_referred").exclude(note="").count() == 1
    assert not Case.objects.filter(opened_by__isnull=True).exists()
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


def test_the_demo_cases_ratings_count_in_the_ikm(unit, service_type):
    """Every rating the demo's cases stand on went through the one write path: the tallies
    the IKM and the roll-ups read hold exactly the unit's responses."""
    staff = create_staff(unit, "demo-pass-123")
    demo.populate(unit, staff, random.Random(3), 4)
    responses = SurveyResponse.objects.filter(unit=unit).count()
    assert responses > 0
    tallied = UnitDayTally.objects.filter(unit=unit, profile_field="").aggregate(
        n=Sum("respondents")
    )["n"]
    assert tallied == responses


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


def test_demo_triages_the_complaints_demos_complaints_from_the_cases_side(unit, service_type):
    from complaints import demo as complaints_demo
    from surveys.models import ImprovementItem

    staff = create_staff(unit, "demo-pass-123")
    complaints_demo.populate(unit, staff, random.Random(1), 4)
    demo.populate(unit, staff, random.Random(1), 4)
    case = Case.objects.get(complaint__isnull=False)
    assert case.officer in staff.officers and case.complaint.answer
    assert ImprovementItem.objects.filter(complaint__isnull=False).count() == 1
