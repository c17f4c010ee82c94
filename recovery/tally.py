"""The recovery tallies (RecoveryTally): what a delivery and an answer add, the
increment-on-conflict upsert that writes it, and the rebuild from the rows.

A delivery adds 1 compensated to its row (unit, local day of the delivery, service rated,
kinds of the compensation delivered) when the recovery app issues its follow-up (the
Delivery post-save signal, recovery/apps.py); the answer to the follow-up adds 1 answered,
and 1 recovered when its score is RECOVERED_FROM or more, to the same row
(services.answer_followup). Both in the transaction of the write they count, so the tallies
always equal `rebuild`'s recount of the deliveries and their follow-ups (the migration's
backfill, the bench's and the demo's bulk writes, a repair). A day is the unit's local day,
as the case and survey tallies' days are.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable

from django.apps import apps as django_apps
from django.db import connection

from cases.models import CompensationItem, Delivery
from units.models import Unit
from units.zones import unit_ids_by_zone

from .models import RECOVERED_FROM, FollowUp, RecoveryTally


@functools.cache
def _upsert_sql() -> str:
    quote = connection.ops.quote_name
    table = quote(RecoveryTally._meta.db_table)
    unit, day, service, kinds, *counts = (
        quote(c) for c in ("unit_id", "day", "service_type_id", "kinds", *_COUNTS)
    )
    sets = ", ".join(f"{c} = {table}.{c} + EXCLUDED.{c}" for c in counts)
    return (
        f"INSERT INTO {table} ({unit}, {day}, {service}, {kinds}, {', '.join(counts)})"  # noqa: S608
        " VALUES (%s, %s, %s, %s, %s, %s, %s)"
        # The conflict target spells the unique constraint recoverytally_one_per_key.
        f" ON CONFLICT ({unit}, {day}, COALESCE({service}, 0), {kinds}) DO UPDATE SET {sets}"
    )


_COUNTS = ("compensated", "answered", "recovered")


def add(
    unit: Unit,
    day: datetime.date,
    service_type_id: int | None,
    kinds: str,
    compensated: int,
    answered: int,
    recovered: int,
) -> None:
    """Add the counts to the tally of this key (creating it), in one statement."""
    params = [
        unit.pk,
        connection.ops.adapt_datefield_value(day),
        service_type_id,
        kinds,
        compensated,
        answered,
        recovered,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(), params)


def kinds_key(compensation_id: int | None) -> str:
    """The tally key of a compensation's kinds: their ids ascending, comma-separated."""
    if compensation_id is None:
        return ""
    ids = (
        CompensationItem.objects.filter(compensation_id=compensation_id)
        .order_by("compensationkind_id")
        .values_list("compensationkind_id", flat=True)
    )
    return ",".join(str(pk) for pk in ids)


def _scores(followup: FollowUp | None) -> tuple[int, int]:
    """(answered, recovered) that a follow-up in its present state counts."""
    if followup is None or followup.answered_at is None:
        return 0, 0
    return 1, int(followup.score is not None and followup.score >= RECOVERED_FROM)


def delivered(delivery: Delivery, followup: FollowUp | None) -> None:
    """The delivery counts once, with its follow-up as it stands (just issued: unanswered)."""
    answered, recovered = _scores(followup)
    add(
        delivery.unit,
        delivery.unit.local_date(delivery.delivered_at),
        delivery.service_type_id,
        kinds_key(delivery.compensation_id),
        1,
        answered,
        recovered,
    )


def answered(followup: FollowUp, score: int) -> None:
    """The follow-up was answered `score`: its delivery's row counts the answer."""
    found = (
        Delivery.objects.filter(case_id=followup.case_id)
        .values_list("unit_id", "delivered_at", "service_type_id", "compensation_id")
        .first()
    )
    if found is None:  # no delivery, nothing counted (only a hand-made follow-up has none)
        return
    unit_id, delivered_at, service_type_id, compensation_id = found
    unit = followup.unit if unit_id == followup.unit_id else Unit.objects.get(pk=unit_id)
    add(
        unit,
        unit.local_date(delivered_at),
        service_type_id,
        kinds_key(compensation_id),
        0,
        1,
        int(score >= RECOVERED_FROM),
    )


# --- the recount ----------------------------------------------------------------------------


# The kinds key of each of the deliveries' compensations, in SQL: the ids in ascending order.
# PostgreSQL orders within the aggregate; SQLite's group_concat (no ORDER BY before 3.44)
# takes the rows in the order of its ordered subquery, which SQLite keeps for an aggregate
# (it never flattens an ordered subquery into an aggregate query, for group_concat's sake).
_KINDS = {
    "postgresql": (
        "SELECT i.compensation_id, string_agg(CAST(i.compensationkind_id AS VARCHAR), ','"
        " ORDER BY i.compensationkind_id) AS kinds FROM {items} i"
        " WHERE i.compensation_id IN ({compensations}) GROUP BY i.compensation_id"
    ),
    "sqlite": (
        "SELECT o.compensation_id, group_concat(o.kind, ',') AS kinds FROM"
        " (SELECT i.compensation_id, i.compensationkind_id AS kind FROM {items} i"
        " WHERE i.compensation_id IN ({compensations}) ORDER BY 1, 2) o"
        " GROUP BY o.compensation_id"
    ),
}


def rebuild(unit_ids: Iterable[int] | None = None, *, apps=django_apps) -> int:
    """Recount the tallies of these units (all when None) from their deliveries and follow-ups:
    delete theirs and write them again, one INSERT … SELECT … GROUP BY per time zone (the days
    are local). `apps`: a migration's historical models. Returns the tally rows written."""
    model = apps.get_model("recovery", "RecoveryTally")
    zones = unit_ids_by_zone(unit_ids, apps=apps)
    written = 0
    for zone, ids in zones.items():
        model.objects.filter(unit_id__in=ids).delete()
        written += _insert_select(apps, model, zone, ids)
    return written


def _insert_select(apps, model, zone: str, ids: list[int]) -> int:
    quote = connection.ops.quote_name
    delivery = quote(apps.get_model("cases", "Delivery")._meta.db_table)
    items = quote(apps.get_model("cases", "CompensationItem")._meta.db_table)
    followup = quote(apps.get_model("recovery", "FollowUp")._meta.db_table)
    marks = ", ".join(["%s"] * len(ids))
    # The unit's local day of the delivery, as TruncDate(tzinfo=zone) computes it.
    day, day_params = connection.ops.datetime_cast_date_sql("d.delivered_at", (), zone)
    kinds = _KINDS[connection.vendor].format(
        items=items,
        compensations=f"SELECT compensation_id FROM {delivery} WHERE unit_id IN ({marks})",  # noqa: S608
    )
    key = "COALESCE(k.kinds, '')"
    columns = ", ".join(quote(c) for c in ("unit_id", "day", "service_type_id", "kinds", *_COUNTS))
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns})"  # noqa: S608
        f" SELECT d.unit_id, {day}, d.service_type_id, {key}, COUNT(*),"
        " COUNT(CASE WHEN f.answered_at IS NOT NULL THEN 1 END),"
        " COUNT(CASE WHEN f.score >= %s THEN 1 END)"
        f" FROM {delivery} d LEFT JOIN ({kinds}) k ON k.compensation_id = d.compensation_id"
        f" LEFT JOIN {followup} f ON f.case_id = d.case_id"
        f" WHERE d.unit_id IN ({marks})"
        # By position: the day's expression once (its time zone a parameter).
        " GROUP BY 1, 2, 3, 4"
    )
    params = [*day_params, RECOVERED_FROM, *ids, *ids]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)
