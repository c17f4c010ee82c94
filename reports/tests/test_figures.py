"""The dashboard's period counts (read in hand-written SQL) equal the same counts made with
the ORM over the rows themselves."""

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
from reports.figures import gather
from reports.periods import previous_quarter


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
