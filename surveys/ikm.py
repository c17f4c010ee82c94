"""The satisfaction index (IKM) of PermenPANRB 14/2017, computed exactly (shared/ikm-method.md).

`compute_ikm` is pure arithmetic on (sum, count) per element with Fractions; the only rounding
is the score's, half-up to two decimals, and the grade is read from that rounded score.
`ikm_for` feeds it from the tallies, summed in SQL: the unit's monthly tallies for the whole
months of the period and its day tallies for the days outside them (`period_sums`), unless a
service type or officer is asked for, then the daily tallies (one row per unit, local day,
service type and officer). Neither reads the responses.
"""

from __future__ import annotations

import datetime
import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from django.db.models import DateField, F, Func, Q, QuerySet, Sum

from pulih.lib.replica import read_connection
from units.models import ELEMENT_CODES, IkmWeight, ServiceType, Unit, User

# The official names of the elements (unsur) and the labels of answers 1..4, as the
# regulation's questionnaire prints them; they are terms of the regulation, kept in Indonesian.
ELEMENT_NAMES = {
    "U1": "Persyaratan",
    "U2": "Sistem, mekanisme, dan prosedur",
    "U3": "Waktu penyelesaian",
    "U4": "Biaya/tarif",
    "U5": "Produk spesifikasi jenis pelayanan",
    "U6": "Kompetensi pelaksana",
    "U7": "Perilaku pelaksana",
    "U8": "Sarana dan prasarana",
    "U9": "Penanganan pengaduan, saran dan masukan",
}
ANSWER_LABELS = {
    "U1": ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    "U2": ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    "U3": ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
    "U4": ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
    "U5": ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    "U6": ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    "U7": (
        "Tidak sopan dan ramah",
        "Kurang sopan dan ramah",
        "Sopan dan ramah",
        "Sangat sopan dan ramah",
    ),
    "U8": ("Buruk", "Cukup", "Baik", "Sangat baik"),
    "U9": (
        "Tidak ada",
        "Ada tetapi tidak berfungsi",
        "Berfungsi kurang maksimal",
        "Dikelola dengan baik",
    ),
}
# Lower bounds of the converted score (rounded) per grade: (bound, grade, label).
GRADES = [
    (Decimal("88.31"), "A", "Sangat baik"),
    (Decimal("76.61"), "B", "Baik"),
    (Decimal("65.00"), "C", "Kurang baik"),
    (Decimal("25.00"), "D", "Tidak baik"),
]
LEGACY_WEIGHT_PLACES = 3  # spreadsheets print 1/9 as 0,111


class ElementResult(NamedTuple):
    """One element's figures. A named tuple, not a dataclass: a ministry's roll-up builds
    nine of these for each of its hundreds of units, and a tuple is built several times
    faster than a frozen dataclass."""

    code: str
    name: str
    total: int  # sum of scores
    count: int  # respondents who answered it
    weight: Fraction  # 1/k over the k answered elements (or the legacy 0.111)

    # Computed when read: a roll-up of hundreds of units shows their scores, not their NRRs.
    @property
    def nrr(self) -> Fraction:
        return Fraction(self.total, self.count)

    @property
    def weighted(self) -> Fraction:
        return Fraction(self.total * self.weight.numerator, self.count * self.weight.denominator)


@dataclass(frozen=True)
class IkmResult:
    respondents: int
    elements: list[ElementResult]
    ikm: Fraction | None  # 1..4, unrounded
    score: Decimal | None  # 25..100, rounded half-up to 2 decimals
    grade: str
    label: str
    legacy_weight: bool

    @property
    def empty(self) -> bool:
        return self.ikm is None

    def as_json(self) -> dict:
        """The object of `manage.py ikm --json` and GET /api/v1/ikm/ (without unit and dates)."""
        return {
            "respondents": self.respondents,
            "elements": [
                {
                    "code": e.code,
                    "name": e.name,
                    "nrr": _display(e.nrr),
                    "weighted": _display(e.weighted),
                }
                for e in self.elements
            ],
            "ikm": _display(self.ikm) if self.ikm is not None else None,
            "score": float(self.score) if self.score is not None else None,
            "grade": self.grade or None,
            "label": self.label or None,
        }


def round_half_up(value: Fraction, places: int) -> Decimal:
    """`value` (≥ 0) rounded half-up to `places` decimals, computed exactly."""
    return _round_ratio(value.numerator, value.denominator, places)


def _round_ratio(numerator: int, denominator: int, places: int) -> Decimal:
    """numerator/denominator (denominator > 0) rounded half-up to `places` decimals:
    floor(n/d·10^p + 1/2), in integers (Fraction arithmetic normalises at every step)."""
    scaled = (2 * numerator * 10**places + denominator) // (2 * denominator)
    return Decimal(scaled).scaleb(-places).quantize(Decimal(1).scaleb(-places))


def _display(value: Fraction) -> float:
    """A figure for display: 4 decimals (the score alone is the method's rounding)."""
    return float(round_half_up(value, 4))


def grade_for(score: Decimal) -> tuple[str, str]:
    for bound, grade, label in GRADES:
        if score >= bound:
            return grade, label
    return GRADES[-1][1], GRADES[-1][2]


_UNANSWERED = (0, 0)


@functools.cache
def _weight(k: int, legacy: bool) -> Fraction:
    weight = Fraction(1, k)
    return Fraction(round_half_up(weight, LEGACY_WEIGHT_PLACES)) if legacy else weight


def compute_ikm(
    totals: Mapping[str, tuple[int, int]], *, respondents: int, legacy_weight: bool = False
) -> IkmResult:
    """IKM from `totals` = {code: (sum of scores, number who answered)}.

    Elements nobody answered are left out; the weight is 1/k over the k answered elements
    (or 1/k rounded to three decimals, 0.111 for nine, with the legacy setting).
    """
    pairs = []
    for code in ELEMENT_CODES:
        total, count = totals.get(code, _UNANSWERED)
        if count > 0:
            pairs.append((code, int(total), int(count)))
    if not pairs:
        return IkmResult(respondents, [], None, None, "", "", legacy_weight)
    weight = _weight(len(pairs), legacy_weight)
    elements = [
        ElementResult(code, ELEMENT_NAMES[code], total, count, weight)
        for code, total, count in pairs
    ]
    # Integer arithmetic where Fraction's would normalise at every step (a roll-up computes
    # this for hundreds of units): the same exact values. IKM = w·Σ total/count.
    common = math.lcm(*(count for _code, _total, count in pairs))
    numerator = weight.numerator * sum(total * (common // count) for _c, total, count in pairs)
    denominator = weight.denominator * common
    ikm = Fraction(numerator, denominator)
    score = _round_ratio(numerator * 25, denominator, 2)
    grade, label = grade_for(score)
    return IkmResult(respondents, elements, ikm, score, grade, label, legacy_weight)


def sample_size(population: int) -> int:
    """Krejcie–Morgan: S = 3.841·N·0.25 ÷ (0.0025·(N−1) + 3.841·0.25), to the nearest whole."""
    if population <= 0:
        return 0
    chi = Fraction(3841, 1000)
    n = Fraction(population)
    s = chi * n * Fraction(1, 4) / (Fraction(1, 400) * (n - 1) + chi * Fraction(1, 4))
    return int(round_half_up(s, 0))


def day_bounds(unit: Unit, start: datetime.date, end: datetime.date):
    """[since, until) covering the local days start..end of `unit` (Unit.day_bounds)."""
    return unit.day_bounds(start, end)


# --- queries ---------------------------------------------------------------------------------


def tallies(
    unit: Unit,
    start: datetime.date,
    end: datetime.date,
    service_type: ServiceType | None = None,
    officer: User | None = None,
) -> QuerySet:
    """The tally rows that sum to `unit`'s responses of the local days start..end: its
    whole-day UnitDayTally rows, or the DailyTally rows of the service type and/or officer."""
    from .models import WHOLE_DAY, UnitDayTally

    if service_type is None and officer is None:
        return UnitDayTally.objects.filter(
            unit=unit, profile_field=WHOLE_DAY, day__gte=start, day__lte=end
        )
    return _daily_tallies(unit, start, end, service_type, officer)


def _daily_tallies(
    unit: Unit,
    start: datetime.date,
    end: datetime.date,
    service_type: ServiceType | None,
    officer: User | None,
) -> QuerySet:
    from .models import DailyTally

    q = Q(unit=unit, day__gte=start, day__lte=end)
    if service_type is not None:
        q &= Q(service_type=service_type)
    if officer is not None:
        q &= Q(officer=officer)
    return DailyTally.objects.filter(q)


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def period_parts(
    start: datetime.date, end: datetime.date
) -> tuple[
    tuple[datetime.date, datetime.date] | None,
    list[tuple[datetime.date, datetime.date]],
    list[tuple[datetime.date, datetime.date]],
]:
    """The local days start..end as (the first days of the first and last months read
    whole, or None; day ranges added; day ranges subtracted). A month partly in the period
    is read as its days in it, or — when fewer of its days lie outside — as the whole month
    minus those (a year ending today: the 12 months and 2 days, not 29 days more)."""
    one = datetime.timedelta(days=1)
    months, plus, minus = [], [], []
    month = start.replace(day=1)
    while month <= end:
        last = _next_month(month) - one
        low, high = max(start, month), min(end, last)
        outside = [(a, b) for a, b in ((month, low - one), (high + one, last)) if a <= b]
        if sum((b - a).days + 1 for a, b in outside) < (high - low).days + 1:
            months.append(month)
            minus += outside
        else:
            plus.append((low, high))
        month = _next_month(month)
    return ((months[0], months[-1]) if months else None), plus, minus


EMPTY = (0, dict.fromkeys(ELEMENT_CODES, (0, 0)))
_FILTERS = {  # period_sums' filters: (column, several values)
    "unit": ("unit_id", False),
    "unit__in": ("unit_id", True),
    "profile_field": ("profile_field", False),
    "profile_field__in": ("profile_field", True),
    "profile_value": ("profile_value", False),
}


def period_sums(
    start: datetime.date, end: datetime.date, group: tuple[str, ...] = (), **filters
) -> dict[tuple, tuple[int, dict[str, tuple[int, int]]]]:
    """{values of `group`: (respondents, {code: (sum, count)})} over the local days
    start..end of the unit tallies matching `filters` (unit or unit__in — ids or units —,
    profile_field or profile_field__in — default the whole-day rows —, profile_value):
    the UnitMonthTally rows of the months read whole and the UnitDayTally rows of the days
    added or subtracted (`period_parts`), summed per group in one SQL aggregate. `group`: "unit",
    "profile_field", "profile_value", "period_month" (the first day of the month).

    Hand-written SQL (one string per shape, cached): a roll-up or an API answer calls this
    a few times, and building the same query with the ORM cost more than running it."""
    from .models import WHOLE_DAY

    if not any(name.startswith("profile_field") for name in filters):
        filters["profile_field"] = WHOLE_DAY
    connection = read_connection()
    where, params = [], []
    for name, value in sorted(filters.items()):
        column, several = _FILTERS[name]
        if several:
            values = [getattr(v, "pk", v) for v in value]
            if not values:
                return {}
            if connection.vendor == "postgresql":
                # One array, not a placeholder per value: the statement then stays within
                # psycopg's cache of parsed queries (≤ 50 parameters) whatever the count of
                # units, and is one text for the server to plan.
                where.append(f"{column} = ANY(%s)")
                params.append(values)
            else:
                where.append(f"{column} IN ({', '.join(['%s'] * len(values))})")
                params += values
        else:
            where.append(f"{column} = %s")
            params.append(getattr(value, "pk", value))
    months, plus, minus = period_parts(start, end)
    if months is None and not plus:
        return {}
    adapt = connection.ops.adapt_datefield_value
    sql = _period_sql(
        connection.vendor, tuple(group), tuple(where), months is not None, len(plus), len(minus)
    )
    args = [*params, *(adapt(d) for d in months)] if months else []
    for days in (plus, minus):
        if days:
            args += params
            for low, high in days:
                args += [adapt(low), adapt(high)]
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        rows = cursor.fetchall()
    width = len(group)
    at = group.index("period_month") if "period_month" in group else None
    out = {}
    for row in rows:
        if not row[width]:  # no rows (no group), or a month's rows all subtracted
            continue
        key = row[:width]
        if at is not None:
            key = (*key[:at], _as_date(key[at]), *key[at + 1 :])
        out[key] = counts_totals(row[width:])  # SUMs of integer columns: ints
    return out


@functools.cache
def _period_sql(
    vendor: str, group: tuple[str, ...], where: tuple[str, ...], months: bool, plus: int, minus: int
) -> str:
    from .models import UnitDayTally, UnitMonthTally
    from .tally import COUNT_FIELDS, month_of_day_sql

    counts = ", ".join(COUNT_FIELDS)
    month_of_day = month_of_day_sql(vendor)
    columns = {
        "unit": "unit_id",
        "profile_field": "profile_field",
        "profile_value": "profile_value",
    }

    def part(table: str, month: str, period: str, sign: str = "") -> str:
        keys = "".join(f"{month if g == 'period_month' else columns[g]} AS g{i}, "
                       for i, g in enumerate(group))  # fmt: skip
        values = ", ".join(f"{sign}{name} AS {name}" for name in COUNT_FIELDS)
        return f"SELECT {keys}{values} FROM {table} WHERE {' AND '.join(where)} AND {period}"  # noqa: S608

    parts = []
    if months:
        parts.append(part(UnitMonthTally._meta.db_table, "month", "month >= %s AND month <= %s"))
    for count, sign in ((plus, ""), (minus, "-")):
        if count:
            ranges = " OR ".join(["(day >= %s AND day <= %s)"] * count)
            parts.append(part(UnitDayTally._meta.db_table, month_of_day, f"({ranges})", sign))
    keys = ", ".join(f"g{i}" for i in range(len(group)))
    sums = ", ".join(f"SUM({name})" for name in counts.split(", "))
    tail = f" GROUP BY {keys}" if group else ""
    return f"SELECT {keys + ', ' if group else ''}{sums} FROM ({' UNION ALL '.join(parts)}) t{tail}"  # noqa: S608


def _as_date(value) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def tally_sums() -> dict:
    """The aggregates of a tally queryset: respondents and every element's sum and count."""
    sums = {"respondents": Sum("respondents")}
    for code in ELEMENT_CODES:
        c = code.lower()
        sums[f"{c}_sum"] = Sum(f"{c}_sum")
        sums[f"{c}_n"] = Sum(f"{c}_n")
    return sums


def totals_of(row: Mapping) -> tuple[int, dict[str, tuple[int, int]]]:
    """(respondents, {code: (sum, count)}) of a row of `tally_sums`."""
    totals = {
        code: (int(row[f"{code.lower()}_sum"] or 0), int(row[f"{code.lower()}_n"] or 0))
        for code in ELEMENT_CODES
    }
    return int(row["respondents"] or 0), totals


_COUNT_AT = [(code, 2 * i + 1) for i, code in enumerate(ELEMENT_CODES)]


def counts_totals(counts: Sequence[int]) -> tuple[int, dict[str, tuple[int, int]]]:
    """(respondents, {code: (sum, count)}) of a tally's counts in column order: respondents,
    then each element's sum and count (`tally.COUNT_FIELDS`, as the raw sums select them;
    the counts after those, the flagged responses, are not the IKM's)."""
    return counts[0], {code: (counts[at], counts[at + 1]) for code, at in _COUNT_AT}


def ikm_for(
    unit: Unit,
    *,
    start: datetime.date,
    end: datetime.date,
    service_type: ServiceType | None = None,
    officer: User | None = None,
) -> IkmResult:
    """IKM of `unit` over the local days start..end (inclusive), optionally one service/officer."""
    if service_type is None and officer is None:
        respondents, totals = period_sums(start, end, unit=unit).get((), EMPTY)
    else:
        row = tallies(unit, start, end, service_type, officer).aggregate(**tally_sums())
        respondents, totals = totals_of(row)
    return compute_ikm(
        totals, respondents=respondents, legacy_weight=unit.ikm_weight == IkmWeight.LEGACY
    )


class MonthStart(Func):
    """The first day of a date's month, in the database's own SQL. (Django's TruncMonth calls
    a Python function per row on SQLite, which costs more than the sums it groups.)"""

    output_field = DateField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="date(%(expressions)s, 'start of month')")

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="CAST(DATE_TRUNC('month', %(expressions)s) AS date)"
        )


def ikm_by(
    unit: Unit,
    key: str,
    *,
    start: datetime.date,
    end: datetime.date,
    service_type: ServiceType | None = None,
    officer: User | None = None,
) -> list[tuple[object, IkmResult]]:
    """IKM per group in one SQL query; `key` is "month", "service_type" or "officer".

    Returns (group value, result) in group order: a date (first of month), a ServiceType id
    or a User id; groups without any answer are left out.
    """
    legacy = unit.ikm_weight == IkmWeight.LEGACY
    if key == "month" and service_type is None and officer is None:
        sums = period_sums(start, end, ("period_month",), unit=unit)
        results = []
        for (month,), (respondents, totals) in sorted(sums.items()):
            result = compute_ikm(totals, respondents=respondents, legacy_weight=legacy)
            if not result.empty:
                results.append((month, result))
        return results
    if key == "month":
        qs = tallies(unit, start, end, service_type, officer).annotate(group=MonthStart("day"))
    elif key in ("service_type", "officer"):
        qs = _daily_tallies(unit, start, end, service_type, officer)
        qs = qs.filter(**{f"{key}__isnull": False}).annotate(group=F(f"{key}_id"))
    else:
        raise ValueError(key)
    rows = qs.values("group").annotate(**tally_sums()).order_by("group")
    results = []
    for row in rows:
        respondents, totals = totals_of(row)
        result = compute_ikm(totals, respondents=respondents, legacy_weight=legacy)
        if not result.empty:
            results.append((row["group"], result))
    return results


@dataclass(frozen=True)
class ServiceOfficerFigures:
    """The IKM per service type and per officer (`ikm_by`'s lists: ids in order, groups
    without any answer left out) and the flagged responses (poor ratings) of each, where any:
    {id: count}."""

    by_service: list[tuple[int, IkmResult]]
    by_officer: list[tuple[int, IkmResult]]
    flagged_by_service: dict[int, int]
    flagged_by_officer: dict[int, int]


def service_and_officer_figures(
    unit: Unit, *, start: datetime.date, end: datetime.date
) -> ServiceOfficerFigures:
    """`ikm_by(unit, "service_type", …)`, `ikm_by(unit, "officer", …)` and the flagged
    responses per service type and per officer, from one SQL aggregate: the daily tallies
    summed per (service type, officer) pair — a few dozen rows — whose integer sums are then
    added up per service type and per officer (exactly the sums of the two queries, and the
    count of the flagged responses of the period under each). Hand-written SQL, as
    `period_sums`: building it with the ORM cost more than running it."""
    from .tally import COUNT_FIELDS

    connection = read_connection()
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        cursor.execute(_pairs_sql(), [unit.pk, adapt(start), adapt(end)])
        rows = cursor.fetchall()
    by: tuple[dict, dict] = ({}, {})
    for service, officer, *counts in rows:
        for groups, key in ((by[0], service), (by[1], officer)):
            if key is None:
                continue
            if key in groups:
                groups[key] = [a + int(b) for a, b in zip(groups[key], counts, strict=True)]
            else:
                groups[key] = [int(v) for v in counts]
    legacy = unit.ikm_weight == IkmWeight.LEGACY
    flagged_at = COUNT_FIELDS.index("flagged")
    out: tuple[list, list] = ([], [])
    flagged: tuple[dict, dict] = ({}, {})
    for groups, results, poor in zip(by, out, flagged, strict=True):
        for key in sorted(groups):
            n, totals = counts_totals(groups[key])
            result = compute_ikm(totals, respondents=n, legacy_weight=legacy)
            if not result.empty:
                results.append((key, result))
            # Whether or not any answer (a flagged response has one: its poor answer).
            if groups[key][flagged_at]:
                poor[key] = groups[key][flagged_at]
    return ServiceOfficerFigures(*out, *flagged)


@functools.cache
def _pairs_sql() -> str:
    from .models import DailyTally
    from .tally import COUNT_FIELDS

    sums = ", ".join(f"SUM({name})" for name in COUNT_FIELDS)
    return (
        f"SELECT service_type_id, officer_id, {sums} FROM {DailyTally._meta.db_table}"  # noqa: S608
        " WHERE unit_id = %s AND day >= %s AND day <= %s GROUP BY service_type_id, officer_id"
    )


def ikm_report(
    unit: Unit,
    start: datetime.date,
    end: datetime.date,
    service_type: ServiceType | None = None,
    officer: User | None = None,
) -> dict:
    """The object of `manage.py ikm --json` and GET /api/v1/ikm/."""
    result = ikm_for(unit, start=start, end=end, service_type=service_type, officer=officer)
    return {
        "unit": unit.code,
        "start": start.isoformat(),
        "end": end.isoformat(),
        **result.as_json(),
    }


def raw_totals(
    unit: Unit,
    *,
    start: datetime.date,
    end: datetime.date,
    service_type: ServiceType | None = None,
    officer: User | None = None,
) -> tuple[int, dict[str, tuple[int, int]]]:
    """The same totals by scanning the responses themselves (the tallies' check, and tests)."""
    from django.db.models import Count

    from .models import SurveyResponse

    since, until = day_bounds(unit, start, end)
    qs = SurveyResponse.objects.filter(unit=unit, submitted_at__gte=since, submitted_at__lt=until)
    if service_type is not None:
        qs = qs.filter(service_type=service_type)
    if officer is not None:
        qs = qs.filter(officer=officer)
    aggregates: dict = {"respondents": Count("pk")}
    for code in ELEMENT_CODES:
        c = code.lower()
        aggregates[f"{c}_sum"] = Sum(c)
        aggregates[f"{c}_n"] = Count(c)
    return totals_of(qs.aggregate(**aggregates))


# --- many units (an organisation's roll-up) ---------------------------------------------------


def ikm_of_units(
    units, *, start: datetime.date, end: datetime.date
) -> tuple[IkmResult, dict[int, IkmResult]]:
    """The IKM over all the units' respondents pooled, and each unit's own, from the units'
    monthly and edge-day tallies (`period_sums`: one query grouped by unit, whatever the
    number of responses); the pooled sums are the units' sums added up, exactly. `units`:
    a queryset, or a list of the units already read (their weights then read from them)."""
    if isinstance(units, list):
        legacy = {unit.pk: unit.ikm_weight for unit in units}
    else:
        legacy = dict(
            units.model.objects.filter(pk__in=units.values("pk")).values_list("pk", "ikm_weight")
        )
    per_unit, respondents, each_totals = {}, 0, []
    # The ids as a list (not the units' query as a subquery): the tallies' index then serves
    # the edge days' ranges too.
    ids = list(legacy)
    for (unit,), (n, unit_totals) in sorted(
        period_sums(start, end, ("unit",), unit__in=ids).items()
    ):
        per_unit[unit] = compute_ikm(
            unit_totals, respondents=n, legacy_weight=legacy[unit] == IkmWeight.LEGACY
        )
        respondents += n
        each_totals.append(unit_totals)
    sums = {
        c: (sum(t[c][0] for t in each_totals), sum(t[c][1] for t in each_totals))
        for c in ELEMENT_CODES
    }
    return compute_ikm(sums, respondents=respondents), per_unit


def ikm_of_units_by_month(units, *, start: datetime.date, end: datetime.date):
    """(first of month, pooled totals) for the units (a queryset or a list of ids), from
    their monthly tallies (and the day tallies of partial months); callers fold months into
    quarters by adding the totals."""
    sums = period_sums(start, end, ("period_month",), unit__in=units)
    return [(month, *sums[(month,)]) for (month,) in sorted(sums)]


def mean_score(results) -> Decimal | None:
    """The mean of published unit scores (each already rounded), rounded half-up to 2."""
    scores = [r.score for r in results if r.score is not None]
    if not scores:
        return None
    return round_half_up(Fraction(sum(scores, Decimal(0))) / len(scores), 2)
