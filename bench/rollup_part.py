"""Organisation roll-ups against the raw scan of the same rows, inside a Django process on a
bench database (`make bench` through bench/pulih_inproc.py, `make bench-national` through
bench/national.py).

The floor is one hand-written SQL aggregate over the responses of every unit below the
organisation in the period, grouped by unit (`RAW_SQL`): from it come each unit's totals and,
added up, the organisation's. The measured code reads the units' monthly tallies for the
period's whole months and their day tallies for the days outside them
(`surveys.UnitMonthTally`, `surveys.UnitDayTally`; `surveys.ikm.period_sums`):

- `ikm_of_units` (surveys.ikm): the organisation's IKM over all its respondents and each
  unit's own;
- `rollup` (organisations/rollup.py): everything the organisation dashboard shows (IKM per
  unit ranked and both ways, services recorded, cases by state, decrees within the rule,
  compensation against budgets, the quarters' trend).

Each is checked equal to the raw scan to the hundredth (respondents, every element's NRR,
the IKM and the score, per unit and pooled, the mean of the units' scores, and each quarter
of the roll-up's trend); the run stops when one differs. `ikm_of_units` is compared with the
period's scan; `rollup`, which also shows the trend of the last four quarters, with the
period's scan plus one scan per quarter of the trend.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from fractions import Fraction

from .report import summarize_ms


def _raw_sql(count: int) -> str:
    marks = ", ".join(["%s"] * count)
    sums = ", ".join(f"SUM(u{n}), COUNT(u{n})" for n in range(1, 10))
    return (
        f"SELECT unit_id, COUNT(*), {sums} FROM surveys_surveyresponse "  # noqa: S608
        f"WHERE unit_id IN ({marks}) AND submitted_at >= %s AND submitted_at < %s "
        "GROUP BY unit_id"
    )


def raw_scan(units, start: datetime.date, end: datetime.date) -> dict[int, tuple[int, dict]]:
    """{unit id: (respondents, {code: (sum, count)})} over the units' responses of the local
    days start..end: one GROUP BY per time zone among the units (one in the bench)."""
    from django.db import connection

    from units.models import Unit

    by_zone: dict[str, list[int]] = {}
    for pk, zone in units.order_by().values_list("pk", "time_zone"):
        by_zone.setdefault(zone, []).append(pk)
    out: dict[int, tuple[int, dict]] = {}
    with connection.cursor() as cursor:
        for zone, ids in by_zone.items():
            since, until = (
                connection.ops.adapt_datetimefield_value(b)
                for b in Unit(time_zone=zone).day_bounds(start, end)
            )
            cursor.execute(_raw_sql(len(ids)), [*ids, since, until])
            for row in cursor.fetchall():
                totals = {
                    f"U{n}": (int(row[2 * n] or 0), int(row[2 * n + 1] or 0)) for n in range(1, 10)
                }
                out[row[0]] = (int(row[1]), totals)
    return out


def _pooled(raw: dict[int, tuple[int, dict]]) -> tuple[int, dict]:
    respondents = sum(n for n, _t in raw.values())
    totals = {
        f"U{n}": (
            sum(t[f"U{n}"][0] for _n, t in raw.values()),
            sum(t[f"U{n}"][1] for _n, t in raw.values()),
        )
        for n in range(1, 10)
    }
    return respondents, totals


def _differences(label: str, result, respondents: int, totals: dict, legacy: bool) -> dict:
    """What differs between an IkmResult and the raw totals, to the hundredth."""
    from surveys.ikm import compute_ikm

    raw = compute_ikm(totals, respondents=respondents, legacy_weight=legacy)
    checks = {
        "respondents": (result.respondents, respondents),
        "score": (result.score, raw.score),
        "ikm": (
            None if result.ikm is None else round(float(result.ikm), 2),
            None if raw.ikm is None else round(float(raw.ikm), 2),
        ),
    }
    mine = {e.code: e for e in result.elements}
    for code, (total, count) in totals.items():
        if count:
            got = mine.get(code)
            checks[f"nrr {code}"] = (
                None if got is None else round(float(got.nrr), 2),
                round(float(Fraction(total, count)), 2),
            )
    return {f"{label} {k}": v for k, v in checks.items() if v[0] != v[1]}


def check_units(pooled, per_unit: dict, raw: dict, legacy: dict[int, bool], what: str) -> int:
    """Stop unless the pooled result and every unit's equal the raw scan; returns the number
    of figures compared."""
    respondents, totals = _pooled(raw)
    wrong = _differences("pooled", pooled, respondents, totals, legacy=False)
    if set(per_unit) != set(raw):
        wrong["units with answers"] = (sorted(per_unit), sorted(raw))
    for pk, (n, t) in raw.items():
        if pk in per_unit:
            wrong |= _differences(f"unit {pk}", per_unit[pk], n, t, legacy.get(pk, False))
    if wrong:
        shown = dict(list(wrong.items())[:10])
        raise SystemExit(f"{what}: the figures from the tallies differ from the raw scan: {shown}")
    return 1 + len(raw)


def _timed(fn: Callable[[], object], reps: int, warmup: int) -> tuple[list[float], object]:
    result = None
    samples = []
    for i in range(warmup + reps):
        started = time.perf_counter()
        result = fn()
        if i >= warmup:
            samples.append((time.perf_counter() - started) * 1000)
    return samples, result


def measure(
    code: str,
    start: datetime.date,
    end: datetime.date,
    reps: int,
    warmup: int,
    trend_scans: dict | None = None,
) -> dict:
    """ikm_of_units and rollup of organisation `code` over start..end against the raw scan
    of the same rows, each checked equal to it. `trend_scans`, shared by the periods of one
    end, keeps the timed raw scans of the trend's quarters (the same rows for every period
    that ends on the same day): scanned once, not once per period."""
    from organisations.models import Organisation
    from organisations.rollup import rollup
    from reports.periods import quarter_of
    from surveys.ikm import compute_ikm, ikm_of_units, mean_score
    from units.models import IkmWeight

    organisation = Organisation.objects.get(code=code)
    units = organisation.units_below()
    legacy = {
        pk: weight == IkmWeight.LEGACY for pk, weight in units.values_list("pk", "ikm_weight")
    }
    floor_ms, raw = _timed(lambda: raw_scan(units, start, end), reps, warmup)
    of_units_ms, (pooled, per_unit) = _timed(
        lambda: ikm_of_units(units, start=start, end=end), reps, warmup
    )
    checked = check_units(pooled, per_unit, raw, legacy, f"ikm_of_units({code})")
    rollup_ms, r = _timed(lambda: rollup(organisation, start, end), reps, warmup)
    answered = {row.unit.pk: row.ikm for row in r.units if row.ikm.respondents}
    checked += check_units(r.pooled, answered, raw, legacy, f"rollup({code})")
    # The roll-up also shows the trend of the last quarters up to `end`: its raw scan is the
    # period's plus each of those quarters' (the same rows the trend summarises).
    quarters = [(q, min(quarter_of(q)[1], end)) for q, _result in r.quarters]
    scanned = trend_scans if trend_scans is not None else {}
    key = (code, tuple(quarters), reps, warmup)
    if key not in scanned:
        scanned[key] = _timed(
            lambda: [raw_scan(units, q, last) for q, last in quarters], reps, warmup
        )
    trend_ms, trend = scanned[key]
    for (q, result), raw_quarter in zip(r.quarters, trend, strict=True):
        respondents, totals = _pooled(raw_quarter)
        wrong = _differences(f"quarter {q}", result, respondents, totals, legacy=False)
        if wrong:
            raise SystemExit(f"rollup({code}): the trend differs from the raw scan: {wrong}")
        checked += 1
    rollup_floor_ms = [a + b for a, b in zip(floor_ms, trend_ms, strict=True)]
    raw_mean = mean_score(
        compute_ikm(t, respondents=n, legacy_weight=legacy.get(pk, False))
        for pk, (n, t) in raw.items()
    )
    if r.mean_of_units != raw_mean:
        raise SystemExit(f"rollup({code}): mean of units {r.mean_of_units} ≠ raw {raw_mean}")
    respondents, _totals = _pooled(raw)
    return {
        "organisation": code,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "units": len(legacy),
        "units_with_answers": len(raw),
        "respondents": respondents,
        "score": float(r.pooled.score) if r.pooled.score is not None else None,
        "mean_of_units": float(r.mean_of_units) if r.mean_of_units is not None else None,
        "figures_checked": checked + 1,
        "floor": summarize_ms(floor_ms),
        "ikm_of_units": summarize_ms(of_units_ms),
        "rollup": summarize_ms(rollup_ms),
        "rollup_floor": summarize_ms(rollup_floor_ms),
        "trend_quarters": [q.isoformat() for q, _last in quarters],
    }
