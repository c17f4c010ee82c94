"""The dashboard's period counts (read in hand-written SQL, or from the tallies) equal the
same counts made with the ORM over the rows themselves."""

from __future__ import annotations

import datetime
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from cases.models import Case, Decree, Delivery, ProposalViolation
from complaints.models import Complaint, ComplaintStatus
from reports.figures import TOP, gather
from reports.periods import previous_quarter
from surveys.models import SurveyResponse
from surveys.services import submit_response
from units.models import ServiceType, User


@pytest.fixture
def demo(unit):
    call_command("demo_data", password="demo-pass-123", stdout=io.StringIO())
    return unit


def periods():
    today = timezone.localdate()
    return [previous_quarter(today), (today - datetime.timedelta(days=400), today)]


@pytest.mark.parametrize("which", [0, 1])
def test_period_counts_equal_a_recount(demo, which):
    start, end = periods()[which]
    since, until = demo.day_bounds(start, end)
    figures = gather(demo, start, end)
    cases = Case.objects.filter(unit=demo, opened_at__gte=since, opened_at__lt=until)
    assert figures.cases_by_state == Counter(cases.values_list("state", flat=True))
    decrees = Decree.objects.filter(unit=demo, issued_at__gte=since, issued_at__lt=until)
    assert (figures.decrees_on_time.part, figures.decrees_on_time.whole) == (
        decrees.filter(issued_at__lte=F("due_at")).count(),
        decrees.count(),
    )
    deliveries = Delivery.objects.filter(unit=demo, delivered_at__gte=since, delivered_at__lt=until)
    assert (figures.compensations_on_time.part, figures.compensations_on_time.whole) == (
        deliveries.filter(delivered_at__lte=F("due_at")).count(),
        deliveries.count(),
    )
    complaints = Complaint.objects.filter(unit=demo, received_at__gte=since, received_at__lt=until)
    assert (figures.complaints_received, figures.complaints_answered) == (
        complaints.count(),
        complaints.filter(status=ComplaintStatus.ANSWERED).count(),
    )
    found = Counter(
        ProposalViolation.objects.filter(
            proposal_id__in=[d.proposal_id for d in decrees]
        ).values_list("violation", flat=True)
    )
    assert [(v.pk, n) for v, n in figures.violations] == sorted(
        found.items(), key=lambda r: (-r[1], r[0])
    )
    if which == 1:  # the demo data fills the year: every figure is counted over some rows
        assert figures.cases_total and figures.decrees_on_time.whole
        assert figures.compensations_on_time.whole and figures.complaints_received
        assert figures.violations


def scanned_poor(unit, start: datetime.date, end: datetime.date):
    """The poor ratings as a scan of the period's flagged responses counts them: per service
    name (types of one name count as one; ties in the database's order of the names) and per
    officer (ties by id), the top ones of each."""
    since, until = unit.day_bounds(start, end)
    flagged = SurveyResponse.objects.filter(
        unit=unit, flagged=True, submitted_at__gte=since, submitted_at__lt=until
    )
    services = flagged.exclude(service_type=None)
    by_name = Counter(services.values_list("service_type__name", flat=True))
    named = ServiceType.objects.filter(pk__in=services.values("service_type"))
    order = list(dict.fromkeys(named.order_by("name", "pk").values_list("name", flat=True)))
    by_officer = Counter(flagged.exclude(officer=None).values_list("officer", flat=True))
    return (
        sorted(by_name.items(), key=lambda r: (-r[1], order.index(r[0])))[:TOP],
        sorted(by_officer.items(), key=lambda r: (-r[1], r[0]))[:TOP],
    )


def poor_of(figures) -> tuple[list, list]:
    return figures.poor_by_service, [(u.pk, n) for u, n in figures.poor_by_officer]


@pytest.mark.parametrize("which", [0, 1])
def test_the_poor_ratings_equal_a_count_of_the_flagged_responses(demo, which):
    start, end = periods()[which]
    figures = gather(demo, start, end)
    assert poor_of(figures) == scanned_poor(demo, start, end)
    if which == 1:
        assert figures.poor_by_service and figures.poor_by_officer


def test_the_poor_ratings_rank_ties_by_name_and_count_one_name_once(unit, people):
    """Seven services (two of one name) and seven officers, flagged and unflagged answers,
    with ties across the top five's edge; some answers name no service or no officer."""
    good = dict.fromkeys([f"U{i}" for i in range(1, 10)], 4)
    poor = {**good, "U7": 1}
    names = ["Legalisasi", "Akreditasi", "Zonasi", "Legalisasi", "Beasiswa", "Mutasi", "Data"]
    services = [
        ServiceType.objects.create(unit=unit, code=f"s{i}", name=name)
        for i, name in enumerate(names)
    ]
    officers = [people[k] for k in ("officer", "officer2", "coordinator", "back_office")]
    officers += [people[k] for k in ("head", "supervisor", "admin")]
    day = datetime.date(2026, 11, 2)
    at = datetime.datetime.combine(day, datetime.time(9), tzinfo=unit.zone)
    # (service index, officer index, poor answers, good answers); None: not named.
    plan = [
        (0, 0, 2, 1), (3, 1, 1, 0), (1, 2, 3, 2), (2, 3, 2, 0), (4, 4, 2, 1), (5, 5, 1, 3),
        (6, 6, 1, 0), (None, 1, 4, 0), (2, None, 1, 1), (None, None, 2, 2), (4, 6, 0, 5),
    ]  # fmt: skip
    for n, (service, officer, poors, goods) in enumerate(plan):
        for k, answers in enumerate([poor] * poors + [good] * goods):
            submit_response(
                unit,
                answers=answers,
                submitted_at=at + datetime.timedelta(minutes=10 * n + k),
                service_type=None if service is None else services[service],
                officer=None if officer is None else officers[officer],
            )
    # The day before: one poor rating naming no service, and a good one.
    before = at - datetime.timedelta(days=1)
    submit_response(unit, answers=poor, submitted_at=before, officer=officers[6])
    submit_response(
        unit, answers=good, submitted_at=before, officer=people["person_in_charge"],
        service_type=services[0],
    )  # fmt: skip
    figures = gather(unit, day - datetime.timedelta(days=1), day - datetime.timedelta(days=1))
    assert figures.by_service and len(figures.by_officer) == 2  # their IKM, without poor ones
    assert poor_of(figures) == ([], [(officers[6].pk, 1)])
    figures = gather(unit, day, day)
    assert poor_of(figures) == scanned_poor(unit, day, day)
    # Legalisasi's two types count as one name (2 + 1); the ties go by name; Mutasi, tied
    # with Data, falls off the top five.
    assert figures.poor_by_service == [
        ("Akreditasi", 3), ("Legalisasi", 3), ("Zonasi", 3), ("Beasiswa", 2), ("Data", 1),
    ]  # fmt: skip
    expected = [(officers[1], 5), (officers[2], 3)]
    expected += sorted([(officers[i], 2) for i in (0, 3, 4)], key=lambda r: r[0].pk)
    assert figures.poor_by_officer == expected
    assert all(isinstance(u, User) for u, _n in figures.poor_by_officer)
