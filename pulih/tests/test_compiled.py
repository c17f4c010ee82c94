"""pulih.lib.compiled: a read the ORM compiles once gives what the QuerySet gives."""

import datetime

import pytest
from django.db import connections
from django.utils import timezone

from complaints.models import Complaint, ComplaintStatus, overdue_q
from pulih.lib.compiled import CompiledRead, date_marker, key_marker, moment_marker, year_marker
from units.models import CompensationBudget, ComplaintChannel, Unit

MARKER = "\x00code"


def test_the_read_gives_the_querysets_rows_with_the_value_in_the_markers_place(unit):
    other = Unit.objects.create(code="unit-lain", name="Unit Lain", time_zone="Asia/Jayapura")
    fields = ("id", "code", "time_zone", "flag_threshold")
    read = CompiledRead(Unit.objects.values_list(*fields).filter(code=MARKER), code=MARKER)
    for code in (unit.code, other.code):
        assert read.rows(code=code) == [list(Unit.objects.values_list(*fields).get(code=code))]
    assert read.rows(code="nobody") == []
    sql = Unit.objects.values_list(*fields).filter(code=MARKER).query.sql_with_params()[0]
    assert read._compiled(connections[read.db])[0] == sql


def test_a_marker_that_is_not_among_the_parameters_or_shares_them_is_refused(unit):
    missing = CompiledRead(Unit.objects.values_list("id").filter(name=MARKER), code="\x00other")
    with pytest.raises(ValueError):
        missing.rows(code=unit.code)
    shared = CompiledRead(Unit.objects.values_list("id").filter(code=MARKER), a=MARKER, b=MARKER)
    with pytest.raises(ValueError):
        shared.rows(a=unit.code, b=unit.code)


def test_a_value_for_each_marker_and_no_other(unit):
    read = CompiledRead(Unit.objects.values_list("id").filter(code=MARKER), code=MARKER)
    with pytest.raises(TypeError):
        read.rows()
    with pytest.raises(TypeError):
        read.rows(code=unit.code, name="x")


def _complaint(unit, channel, received_at, status=ComplaintStatus.RECEIVED, **due):
    return Complaint.objects.create(
        unit=unit,
        channel=channel,
        received_at=received_at,
        text="Antrean lama.",
        tracking_code=f"T-{Complaint.objects.count()}",
        status=status,
        **due,
    )


def test_keys_dates_and_moments_used_twice_take_the_values_given(unit):
    """A count with a key, a moment used twice (the overdue rule) and a day range: the same
    count the QuerySet gives, for any values, on every database."""
    channel, _new = ComplaintChannel.objects.get_or_create(
        unit=unit, code="web", defaults={"name": "Web"}
    )
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    _complaint(unit, channel, now - 5 * hour, ack_due_at=now - hour, answer_due_at=now + hour)
    _complaint(unit, channel, now - 5 * hour, ack_due_at=now + hour, answer_due_at=now + hour)
    _complaint(
        unit,
        channel,
        now - 50 * hour,
        status=ComplaintStatus.IN_PROGRESS,
        ack_due_at=now - 40 * hour,
        answer_due_at=now - 2 * hour,
    )
    read = CompiledRead(
        Complaint.objects.filter(unit=key_marker(0))
        .filter(overdue_q(moment_marker(0)))
        .values_list("pk"),
        unit=key_marker(0),
        now=moment_marker(0),
    )
    for at in (now - 3 * hour, now - hour / 2, now, now + 2 * hour):
        expected = Complaint.objects.filter(unit=unit).overdue(at).count()
        assert read.count(unit=unit.pk, now=at) == expected
    assert read.count(unit=unit.pk, now=now) == 2

    days = CompiledRead(
        Complaint.objects.filter(
            unit=key_marker(0),
            received_at__date__gte=date_marker(0),
            received_at__date__lte=date_marker(1),
        ).values_list("pk"),
        unit=key_marker(0),
        first=date_marker(0),
        last=date_marker(1),
    )
    today = timezone.localdate()
    assert days.count(unit=unit.pk, first=today - datetime.timedelta(days=5), last=today) == 3


def test_instances_are_the_models_with_the_fields_read(unit):
    read = CompiledRead(
        Unit.objects.values_list("time_zone", "code", "id").filter(code=MARKER), code=MARKER
    )
    [found] = read.instances(code=unit.code)
    assert isinstance(found, Unit)
    assert (found.pk, found.code, found.time_zone) == (unit.pk, unit.code, unit.time_zone)
    assert found.name == unit.name  # not read: loaded when first used


def test_a_year_of_a_small_integer_column_reads_the_year_given(unit):
    """PostgreSQL's driver gets a small integer column's value wrapped in its type: the year
    given goes in the same way."""

    CompensationBudget.objects.create(unit=unit, year=2026, amount=1_000_000)
    CompensationBudget.objects.create(unit=unit, year=2027, amount=2_500_000)
    read = CompiledRead(
        CompensationBudget.objects.filter(unit=key_marker(0), year=year_marker(0)).values_list(
            "amount"
        ),
        unit=key_marker(0),
        year=year_marker(0),
    )
    assert read.rows(unit=unit.pk, year=2027) == [[2_500_000]]
    assert read.rows(unit=unit.pk, year=2026) == [[1_000_000]]
    assert read.rows(unit=unit.pk, year=2025) == []


def test_value_is_the_first_rows_first_column_or_none(unit):
    read = CompiledRead(
        Unit.objects.values_list("time_zone", "code").filter(code=MARKER), code=MARKER
    )
    assert read.value(code=unit.code) == unit.time_zone
    assert read.value(code="nobody") is None
