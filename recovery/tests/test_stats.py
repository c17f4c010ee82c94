"""The recovery rate, computed in SQL, equals a hand count over a seeded period; the dashboard,
the report and the public results page show it."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from cases.models import CaseState, Delivery
from recovery.models import FollowUp
from recovery.stats import recovery_figures

from .conftest import recount

# (days from the poor rating to delivery, follow-up answer or None)
SEED = [(1, 4), (2, 3), (3, 1), (10, None), (20, 2)]


@pytest.fixture
def seeded(make_case):
    """Five cases delivered yesterday, their follow-ups answered as SEED says; one more case
    delivered a year ago, outside the period."""
    yesterday = timezone.now() - datetime.timedelta(days=1)
    cases = []
    for days, score in SEED:
        case = make_case(CaseState.CLOSED)
        rated = yesterday - datetime.timedelta(days=days)
        case.survey_response.__class__.objects.filter(pk=case.survey_response_id).update(
            submitted_at=rated
        )
        # An answer's time never changes in Pulih: the delivery keeps it as its case's origin.
        Delivery.objects.filter(case=case).update(delivered_at=yesterday, origin_at=rated)
        if score is not None:
            FollowUp.objects.filter(case=case).update(answered_at=yesterday, score=score)
        cases.append(case)
    old = make_case(CaseState.CLOSED)
    Delivery.objects.filter(case=old).update(delivered_at=yesterday - datetime.timedelta(days=400))
    FollowUp.objects.filter(case=old).update(answered_at=yesterday, score=4)
    recount(cases[0].unit)
    return cases


def period():
    today = timezone.localdate()
    return today - datetime.timedelta(days=30), today


def test_rate_equals_a_hand_count(unit, seeded):
    figures = recovery_figures(unit, *period())
    answered = [score for _d, score in SEED if score is not None]
    assert figures.compensated == len(SEED)
    assert figures.answered == len(answered)
    assert figures.recovered == sum(1 for s in answered if s >= 3)
    assert figures.percent == round(100 * 2 / 4, 1)
    assert figures.median_days == 3.0  # of 1, 2, 3, 10, 20 days
    [kind] = figures.by_kind
    assert (kind.label, kind.compensated, kind.answered, kind.recovered) == (
        "Penyampaian permohonan maaf oleh Koordinator ULT",
        5,
        4,
        2,
    )
    [service] = figures.by_service
    assert (service.label, service.compensated, service.recovered) == ("Layanan informasi", 5, 2)


def test_the_delivery_keeps_when_the_customer_rated_and_the_median_equals_a_hand_count(
    unit, make_case
):
    """The workflow records the case's origin on its delivery: the poor rating's time, which
    the median's days are counted from, as the raw join over the case would find it."""
    case = make_case(CaseState.CLOSED)
    delivery = Delivery.objects.get(case=case)
    assert delivery.origin_at == case.survey_response.submitted_at
    waited = (delivery.delivered_at - case.survey_response.submitted_at).total_seconds() / 86400
    today = timezone.localdate()
    figures = recovery_figures(unit, today - datetime.timedelta(days=30), today)
    assert figures.median_days == round(waited, 1)


def test_the_totals_add_up_the_services_including_deliveries_of_no_service(unit, seeded):
    """Each delivery falls in one row per service (none: "—"): the totals are their sum and
    equal the raw count of the period's deliveries."""
    case = seeded[0]
    case.survey_response.__class__.objects.filter(pk=case.survey_response_id).update(
        service_type=None
    )
    # An answer's service never changes in Pulih: the delivery keeps it as its case's origin's.
    Delivery.objects.filter(case=case).update(service_type=None)
    recount(unit)
    figures = recovery_figures(unit, *period())
    rows = {r.label: (r.compensated, r.answered, r.recovered) for r in figures.by_service}
    assert rows == {"—": (1, 1, 1), "Layanan informasi": (4, 3, 1)}
    start, end = period()
    since, until = unit.day_bounds(start, end)
    raw = Delivery.objects.filter(unit=unit, delivered_at__gte=since, delivered_at__lt=until)
    assert figures.compensated == raw.count() == 5
    assert (figures.answered, figures.recovered) == (4, 2)


def test_rows_are_per_name_and_a_delivery_counts_once_per_name(unit, seeded):
    """Two service types of one name make one row; a compensation of two kinds bearing one
    name counts its delivery once in that name's row (and once in each other name's)."""
    from units.models import CompensationKind, ServiceType

    first, second = seeded[0], seeded[1]
    twin = ServiceType.objects.create(unit=unit, code="informasi-2", name="Layanan informasi")
    Delivery.objects.filter(case=first).update(service_type=twin)
    compensation = first.compensation
    [kind] = compensation.kinds.all()
    same_name = CompensationKind.objects.create(unit=unit, code="maaf-2", name=kind.name)
    other = CompensationKind.objects.create(unit=unit, code="voucher", name="Voucher")
    compensation.kinds.add(same_name, other)
    second.compensation.kinds.add(other)
    recount(unit)
    figures = recovery_figures(unit, *period())
    assert [(s.label, s.compensated, s.answered, s.recovered) for s in figures.by_service] == [
        ("Layanan informasi", 5, 4, 2)
    ]
    rows = {k.label: (k.compensated, k.answered, k.recovered) for k in figures.by_kind}
    assert rows == {kind.name: (5, 4, 2), "Voucher": (2, 2, 2)}


def test_an_even_count_takes_the_mean_of_the_middle_two(unit, seeded):
    Delivery.objects.filter(case=seeded[-1]).update(
        delivered_at=timezone.now() - datetime.timedelta(days=100)
    )
    recount(unit)
    assert recovery_figures(unit, *period()).median_days == 2.5  # of 1, 2, 3, 10 days


def test_the_rate_is_a_fixed_number_of_queries(unit, seeded, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        recovery_figures(unit, *period())


def test_head_sees_the_rate_on_the_dashboard_and_in_the_reports(client, people, seeded):
    start, end = period()
    query = f"?start={start}&end={end}"
    client.force_login(people["head"])
    html = client.get(f"/laporan/{query}").content.decode()
    assert 'id="recovery-rate"' in html and "50.0%" in html.replace(",", ".")
    xlsx = client.get(f"/laporan/unduh.xlsx{query}", follow=True)
    book = load_workbook(io.BytesIO(xlsx.getvalue()))
    sheet = book["Pemulihan pelanggan"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:5] == ("Semua pelanggan yang diberi kompensasi", 5, 4, 2, 50.0)
    pdf = client.get(f"/laporan/unduh.pdf{query}", follow=True)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_the_coordinator_and_officer_do_not_see_the_figures(client, people, seeded):
    start, end = period()
    client.force_login(people["coordinator"])
    assert (
        'id="recovery-rate"'
        not in client.get(f"/laporan/?start={start}&end={end}").content.decode()
    )


def test_api_gives_the_same_figures(client, unit, people, seeded):
    start, end = period()
    client.force_login(people["supervisor"])
    body = client.get(f"/api/v1/recovery/?unit={unit.code}&start={start}&end={end}").json()
    assert (body["compensated"], body["answered"], body["recovered"], body["percent"]) == (
        5,
        4,
        2,
        50.0,
    )
    assert body["median_days"] == 3.0


def test_public_results_show_the_recovery_beside_the_ikm(client, unit, seeded):
    # Move the seeded deliveries into the last complete quarter, the one the public page shows.
    today = timezone.localdate()
    first_of_quarter = today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)
    in_last_quarter = timezone.make_aware(
        datetime.datetime.combine(first_of_quarter - datetime.timedelta(days=10), datetime.time(10))
    )
    Delivery.objects.filter(case__in=seeded).update(delivered_at=in_last_quarter)
    recount(unit)
    html = client.get(f"/u/{unit.code}/hasil/").content.decode()
    assert 'id="public-recovery"' in html
    assert "pelanggan yang dirugikan pulih" in html


def test_the_delivery_keeps_the_service_rated_and_the_backfill_writes_the_same(unit, make_case):
    """The workflow records the service of the case's origin and the compensation on its
    delivery (what the recovery figures per service and per kind read), and migration 0015
    fills them in for deliveries recorded before it from the case, the same values."""
    import importlib
    import types

    from django.apps import apps
    from django.db import connection

    case = make_case(CaseState.CLOSED)
    delivery = Delivery.objects.get(case=case)
    assert delivery.service_type_id == case.survey_response.service_type_id is not None
    assert delivery.compensation_id == case.compensation.pk
    Delivery.objects.filter(pk=delivery.pk).update(service_type=None, compensation=None)
    migration = importlib.import_module("cases.migrations.0015_fill_delivery_service_compensation")
    migration.fill(apps, types.SimpleNamespace(connection=connection))
    delivery.refresh_from_db()
    assert delivery.service_type_id == case.survey_response.service_type_id
    assert delivery.compensation_id == case.compensation.pk
    today = timezone.localdate()
    figures = recovery_figures(unit, today - datetime.timedelta(days=30), today)
    assert [(s.label, s.compensated) for s in figures.by_service] == [
        (case.survey_response.service_type.name, 1)
    ]
