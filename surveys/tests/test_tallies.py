"""surveys/tally.py: the unit's day and month tallies (whole days and months, and profile
answers) kept by every way in, equal to a raw GROUP BY over the responses and to their
recount (`tally.rebuild`); the profile table and the IKM of one profile answer read from them;
the migrations' backfills write what the live path wrote."""

from __future__ import annotations

import datetime
import functools
import importlib
import io
import re
import types
from collections import defaultdict

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, TruncDate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys.ikm import compute_ikm, ikm_for, ikm_of_units
from surveys.models import (
    PROFILE_FIELDS,
    PROFILE_MAX_LENGTH,
    DailyTally,
    SurveyResponse,
    UnitDayTally,
    UnitMonthTally,
)
from surveys.profile import PROFILE_LABELS, options_for
from surveys.sample import _element_sums, _responses, _result, ikm_for_profile, profile_table
from surveys.services import record_service, submit_response
from surveys.tally import COUNT_FIELDS, rebuild
from units.models import ELEMENT_CODES, IkmWeight, Unit

GOOD = dict.fromkeys(ELEMENT_CODES, 4)
DAY = datetime.date(2026, 11, 2)
LONG_OCCUPATION = "Petani peternak dan pengrajin anyaman rotan di desa Tumbang Samba"


def local(unit, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=unit.zone)


def raw_day_rows(unit) -> dict:
    """{(local day, field, answer): counts} by GROUP BY over the responses in SQL: the whole
    day (field and answer "") and each stated answer of each profile field."""
    sums: dict = {"respondents": Count("pk")}
    for code in ELEMENT_CODES:
        sums[f"{code.lower()}_sum"] = Coalesce(Sum(code.lower()), 0)
        sums[f"{code.lower()}_n"] = Count(code.lower())
    sums["flagged"] = Count("pk", filter=Q(flagged=True))
    responses = SurveyResponse.objects.filter(unit=unit).annotate(
        local_day=TruncDate("submitted_at", tzinfo=unit.zone)
    )
    rows = {
        (row["local_day"], "", ""): [row[c] for c in COUNT_FIELDS]
        for row in responses.values("local_day").annotate(**sums).order_by()
    }
    for name in PROFILE_FIELDS:
        grouped = responses.exclude(**{name: ""}).values("local_day", name).annotate(**sums)
        for row in grouped.order_by():
            rows[(row["local_day"], name, row[name])] = [row[c] for c in COUNT_FIELDS]
    return rows


def raw_month_rows(unit) -> dict:
    """{(first day of the local month, field, answer): counts}: the raw day rows added up."""
    rows: dict = {}
    for (day, name, answer), counts in raw_day_rows(unit).items():
        key = (day.replace(day=1), name, answer)
        rows[key] = [a + b for a, b in zip(rows.get(key, [0] * len(counts)), counts, strict=True)]
    return rows


def tallied_month_rows(unit) -> dict:
    return {
        (t.month, t.profile_field, t.profile_value): [getattr(t, c) for c in COUNT_FIELDS]
        for t in UnitMonthTally.objects.filter(unit=unit)
    }


def tallied_day_rows(unit) -> dict:
    return {
        (t.day, t.profile_field, t.profile_value): [getattr(t, c) for c in COUNT_FIELDS]
        for t in UnitDayTally.objects.filter(unit=unit)
    }


def tallied_daily_rows(unit) -> dict:
    return {
        (t.day, t.service_type_id, t.officer_id): [getattr(t, c) for c in COUNT_FIELDS]
        for t in DailyTally.objects.filter(unit=unit)
    }


def kept_tallies(*units) -> dict:
    """Every tally row of `units` (each table's, by key)."""
    return {
        u.pk: (tallied_daily_rows(u), tallied_day_rows(u), tallied_month_rows(u)) for u in units
    }


def assert_kept_equals_rebuilt(*units) -> None:
    """The tallies the live path kept equal those `rebuild` recounts from the responses."""
    kept = kept_tallies(*units)
    rebuild([u.pk for u in units])
    assert kept_tallies(*units) == kept


def daily_tallies_by_day(unit) -> dict:
    rows = (
        DailyTally.objects.filter(unit=unit)
        .values("day")
        .annotate(**{c: Sum(c) for c in COUNT_FIELDS})
    )
    return {(row["day"], "", ""): [row[c] for c in COUNT_FIELDS] for row in rows.order_by()}


def import_csv(tmp_path, unit, lines: list[str]) -> None:
    header = "submitted_at,service,officer,U1,U2,U3,U4,U5,U6,U7,U8,U9,comment,"
    header += "Jenis kelamin,Usia,Pendidikan,Pekerjaan"
    path = tmp_path / "skm.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    call_command(
        "import_skm", str(path), "--unit", unit.code, stdout=io.StringIO(), stderr=io.StringIO()
    )


@pytest.fixture
def every_way_in(client, api, tmp_path, unit, people, service_type):
    """Answers on 2 and 3 November 2026 (local) through the walk-in form, the receipt's form,
    the API and an import, with profiles stated, partly stated and not, in the unit's list,
    in other wordings and cut to the column's length; some around local midnight."""
    walk_in = f"/u/{unit.code}/survey/{service_type.code}/"
    form = {f"u{i}": "4" for i in range(1, 10)}
    with time_machine.travel(local(unit, DAY, 23, 50), tick=False):
        client.post(walk_in, {**form, "u7": "2", "profile_sex": "Perempuan",
                              "profile_education": "S1"})  # fmt: skip
        record = record_service(
            unit, actor=people["officer"], service_type=service_type, officer=people["officer"]
        )
        api.post(f"/api/v1/surveys/{record.survey_token}/", {"answers": GOOD}, format="json")
    next_day = DAY + datetime.timedelta(days=1)
    with time_machine.travel(local(unit, next_day, 0, 10), tick=False):
        client.post(walk_in, {**form, "u3": "3", "profile_sex": "Laki-laki",
                              "profile_age_group": "20–29 tahun"})  # fmt: skip
        record = record_service(
            unit, actor=people["officer"], service_type=service_type, officer=people["officer"]
        )
        client.post(f"/s/{record.survey_token}/", {**form, "u1": "1", "profile_sex": "Perempuan",
                                                   "profile_occupation": "Lainnya"})  # fmt: skip
    import_csv(
        tmp_path,
        unit,
        [
            "2026-11-02 08:00:00,informasi,,4,3,3,4,3,,4,4,3,,perempuan,30–39 tahun,SMA,Lainnya",
            "2026-11-02 23:59:59,informasi,oscar,2,3,3,4,3,2,4,4,,,Wanita,,S1,",
            f"2026-11-03 00:00:00,informasi,,3,3,3,3,3,3,3,3,3,,Wanita,,,{LONG_OCCUPATION}",
            "2026-11-03 12:00:00,informasi,,4,4,4,4,4,4,4,4,4,,,,,",
            "2026-11-03 13:00:00,informasi,olive,1,2,3,4,1,2,3,4,1,Lambat,Laki-laki,,,Lainnya",
        ],
    )
    assert SurveyResponse.objects.filter(unit=unit).count() == 9


def test_every_way_in_keeps_the_day_and_profile_tallies_equal_to_the_responses(unit, every_way_in):
    tallied = tallied_day_rows(unit)
    assert tallied == raw_day_rows(unit)
    assert tallied_month_rows(unit) == raw_month_rows(unit)
    sources = set(SurveyResponse.objects.values_list("source", flat=True))
    assert sources == {"web", "api", "import"}
    # The data holds what the test is about: two local days, each field stated somewhere,
    # wordings outside the list kept, a long answer cut to the column.
    assert {day for day, _f, _v in tallied} == {DAY, DAY + datetime.timedelta(days=1)}
    assert {f for _d, f, _v in tallied} == {"", *PROFILE_FIELDS}
    assert (DAY, "sex", "Wanita") in tallied and (DAY, "sex", "Perempuan") in tallied
    assert (
        DAY + datetime.timedelta(days=1),
        "occupation",
        LONG_OCCUPATION[:PROFILE_MAX_LENGTH],
    ) in (tallied)
    # The whole-day rows are the daily tallies of the day added up.
    whole = {k: v for k, v in tallied.items() if k[1] == ""}
    assert whole == daily_tallies_by_day(unit)
    # Flagged and unflagged answers came by the form and the import.
    flagged = set(SurveyResponse.objects.values_list("source", "flagged"))
    assert {("web", True), ("web", False), ("import", True), ("import", False)} <= flagged
    assert sum(counts[-1] for key, counts in tallied.items() if key[1] == "") == 4
    assert_kept_equals_rebuilt(unit)


def hand_profile_table(unit, start: datetime.date, end: datetime.date) -> list[dict]:
    """The profile table computed from the responses one by one, in Python."""
    since, until = unit.day_bounds(start, end)
    responses = list(
        SurveyResponse.objects.filter(unit=unit, submitted_at__gte=since, submitted_at__lt=until)
    )
    options = options_for(unit)
    legacy = unit.ikm_weight == IkmWeight.LEGACY
    table = []
    for name in PROFILE_FIELDS:
        groups = defaultdict(list)
        for response in responses:
            groups[getattr(response, name)].append(response.answers())
        others = sorted(v for v in groups if v and v not in options[name])
        rows = []
        for value in [*options[name], *others, ""]:
            group = groups.get(value, [])
            totals = {
                c: (sum(a.get(c, 0) for a in group), sum(c in a for a in group))
                for c in ELEMENT_CODES
            }
            score = compute_ikm(totals, respondents=len(group), legacy_weight=legacy).score
            rows.append(
                {
                    "value": value,
                    "count": len(group),
                    "share": round(100 * len(group) / len(responses), 2) if responses else 0.0,
                    "score": float(score) if group and score is not None else None,
                }
            )
        table.append({"field": name, "label": str(PROFILE_LABELS[name]), "rows": rows})
    return table


@pytest.mark.parametrize("weight", [IkmWeight.EXACT, IkmWeight.LEGACY])
def test_the_profile_table_equals_one_computed_by_hand_from_the_responses(
    unit, every_way_in, weight
):
    unit.ikm_weight = weight
    unit.save()
    one = datetime.timedelta(days=1)
    for start, end in [(DAY, DAY + one), (DAY, DAY), (DAY + one, DAY + one), (DAY, DAY - one)]:
        assert profile_table(unit, start, end) == hand_profile_table(unit, start, end)
    table = {g["field"]: {r["value"]: r for r in g["rows"]} for g in profile_table(unit, DAY, DAY)}
    assert table["sex"][""]["count"] == 1  # the API's answer states nothing
    assert table["age_group"][""]["count"] == 3


def test_the_profile_table_reads_no_response(unit, every_way_in, django_assert_max_num_queries):
    with django_assert_max_num_queries(2) as ctx:
        profile_table(unit, DAY, DAY + datetime.timedelta(days=1))
    assert not [q for q in ctx.captured_queries if "surveys_surveyresponse" in q["sql"]]


def test_the_ikm_of_one_profile_answer_from_the_tallies_equals_the_scan(
    unit, every_way_in, django_assert_num_queries
):
    start, end = DAY, DAY + datetime.timedelta(days=1)
    answers = UnitDayTally.objects.exclude(profile_field="").values_list(
        "profile_field", "profile_value"
    )
    for name, value in set(answers):
        with django_assert_num_queries(1) as ctx:
            tallied = ikm_for_profile(unit, start, end, {name: value})
        assert "surveys_unitdaytally" in ctx.captured_queries[0]["sql"]
        scanned = _result(
            unit, _responses(unit, start, end).filter(**{name: value}).aggregate(**_element_sums())
        )
        assert (tallied.respondents, tallied.score, tallied.elements) == (
            scanned.respondents,
            scanned.score,
            scanned.elements,
        ), (name, value)
    both = ikm_for_profile(unit, start, end, {"sex": "Perempuan", "education": "S1"})
    assert both.respondents == 1  # a combination still scans the responses


def test_the_backfill_writes_what_the_live_path_wrote(unit, every_way_in):
    """The migration's backfill over responses stored before it (here: by the live path,
    whose unit-day rows are then removed) writes the same rows, in every unit's own zone."""
    east = Unit.objects.create(code="unit-wit", name="Unit WIT", time_zone="Asia/Jayapura")
    for hour in (0, 1, 23):  # 23:00 and 00:00 in Jayapura are 22:00 and 23:00 in Jakarta
        submit_response(
            east, answers=GOOD, submitted_at=local(east, DAY, hour), profile={"sex": "Perempuan"}
        )
    live = {u.pk: tallied_day_rows(u) for u in (unit, east)}
    assert live[east.pk] == raw_day_rows(east)
    UnitDayTally.objects.all().delete()
    migration = importlib.import_module("surveys.migrations.0008_unit_day_tallies")
    migration.backfill(apps, types.SimpleNamespace(connection=connection))
    assert {u.pk: tallied_day_rows(u) for u in (unit, east)} == of_counts(live, migration.COUNTS)
    # 0011's backfill then counts the flagged responses too.
    assert_backfill_0011_restores(live, tallied_day_rows, unit, east)


def of_counts(rows: dict, counts) -> dict:
    """Each unit's tally rows as a backfill of the time of `counts` writes them: those counts,
    the later ones at the table's default (0)."""
    at = [COUNT_FIELDS.index(c) for c in counts]
    return {
        pk: {key: [v if i in at else 0 for i, v in enumerate(values)] for key, values in by.items()}
        for pk, by in rows.items()
    }


def assert_backfill_0011_restores(live: dict, rows_of, *units) -> None:
    """Migration 0011's backfill (the recount) writes every count the live path wrote."""
    migration = importlib.import_module("surveys.migrations.0011_tally_flagged")
    migration.backfill(apps, types.SimpleNamespace(connection=connection))
    assert {u.pk: rows_of(u) for u in units} == live


def test_the_units_ikm_and_the_roll_up_read_the_day_tallies(unit, every_way_in):
    start, end = DAY, DAY + datetime.timedelta(days=1)
    pooled, per_unit = ikm_of_units(Unit.objects.filter(pk=unit.pk), start=start, end=end)
    assert pooled.respondents == per_unit[unit.pk].respondents == 9
    assert per_unit[unit.pk] == ikm_for(unit, start=start, end=end)
    # A corrupted whole-day row shows (it is what is read), the daily tallies do not.
    UnitDayTally.objects.filter(unit=unit, profile_field="", day=DAY).update(respondents=99)
    assert ikm_for(unit, start=start, end=end).respondents != 9
    assert ikm_of_units(Unit.objects.filter(pk=unit.pk), start=start, end=end)[0].respondents != 9


def test_an_answer_costs_one_statement_per_tally(unit, django_assert_num_queries):
    """The response's INSERT, then on SQLite (in process) one upsert per tally: the daily
    tally, the unit's day tallies for its whole day and every profile answer it states, their
    month rows; on PostgreSQL all three in one statement (one round trip)."""
    from surveys.services import new_response, store_responses

    at = local(unit, DAY, 9)
    response = new_response(
        unit, GOOD, submitted_at=at, profile={"sex": "Perempuan", "education": "S1"}
    )
    tallies = ["surveys_dailytally", "surveys_unitdaytally", "surveys_unitmonthtally"]
    if connection.vendor == "postgresql":
        expected = [["surveys_surveyresponse"], sorted(tallies)]
    else:
        expected = [["surveys_surveyresponse"], *([t] for t in tallies)]
    with django_assert_num_queries(len(expected)) as ctx:
        store_responses(unit, [response])
    tables = [sorted(re.findall(r'INSERT INTO "?(\w+)', q["sql"])) for q in ctx.captured_queries]
    assert tables == expected
    assert tallied_day_rows(unit) == raw_day_rows(unit)
    assert len(tallied_day_rows(unit)) == 3
    assert tallied_month_rows(unit) == raw_month_rows(unit)
    assert {month for month, _f, _v in tallied_month_rows(unit)} == {DAY.replace(day=1)}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="psycopg's cache: PostgreSQL")
@pytest.mark.parametrize("profile", [{}, dict.fromkeys(PROFILE_FIELDS, "Lainnya")])
def test_an_answers_tally_statement_is_parsed_once_per_connection(unit, profile):
    """psycopg parses a statement's placeholders with a regular expression unless it has at
    most 50 parameters and 4 KB (then it caches the result): an answer's tally statement
    stays within both, with every profile answer stated or none."""
    from psycopg._queries import MAX_CACHED_STATEMENT_LENGTH, MAX_CACHED_STATEMENT_PARAMS

    from surveys.services import new_response, store_responses

    sent = []

    def record(execute, sql, params, many, context):
        sent.append((sql, params))
        return execute(sql, params, many, context)

    response = new_response(unit, GOOD, submitted_at=local(unit, DAY, 9), profile=profile)
    with connection.execute_wrapper(record):
        store_responses(unit, [response])
    ((sql, params),) = [(q, p) for q, p in sent if "surveys_dailytally" in q]
    assert len(params) <= MAX_CACHED_STATEMENT_PARAMS
    assert len(sql.encode()) <= MAX_CACHED_STATEMENT_LENGTH
    assert tallied_day_rows(unit) == raw_day_rows(unit)
    assert tallied_month_rows(unit) == raw_month_rows(unit)
    assert_kept_equals_rebuilt(unit)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="psycopg's cache: PostgreSQL")
def test_the_sums_of_many_units_are_one_statement_parsed_once_per_connection(unit):
    """A ministry's roll-up sums hundreds of units' tallies: their ids go as one array, so
    the statement is the same text for 1 unit or 500, within psycopg's cache of parsed
    statements (at most 50 parameters), and sums the same rows."""
    from psycopg._queries import MAX_CACHED_STATEMENT_PARAMS

    from surveys.ikm import period_sums

    submit_response(unit, answers=GOOD, submitted_at=local(unit, DAY, 9))
    submit_response(
        unit, answers=dict.fromkeys(ELEMENT_CODES, 3), submitted_at=local(unit, DAY, 10)
    )
    sent = []

    def record(execute, sql, params, many, context):
        sent.append((sql, params))
        return execute(sql, params, many, context)

    start, end = DAY.replace(day=1), DAY + datetime.timedelta(days=20)
    absent = range(10**6, 10**6 + 499)  # ids no unit has
    with connection.execute_wrapper(record):
        one = period_sums(start, end, ("unit",), unit__in=[unit.pk])
        many = period_sums(start, end, ("unit",), unit__in=[unit.pk, *absent])
    (one_sql, one_params), (many_sql, many_params) = sent
    assert many_sql == one_sql
    assert len(many_params) == len(one_params) <= MAX_CACHED_STATEMENT_PARAMS
    assert many == one == {(unit.pk,): period_sums(start, end, unit=unit)[()]}
    assert one[(unit.pk,)][0] == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's keywords")
def test_no_tally_column_written_bare_is_a_word_postgresql_reserves(db):
    """The upsert writes the tallies' columns unquoted (to stay within psycopg's cache)."""
    columns = {
        f.column for model in (DailyTally, UnitDayTally, UnitMonthTally)
        for f in model._meta.concrete_fields
    }  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM pg_get_keywords() WHERE catcode IN ('R', 'T')")
        reserved = {word for (word,) in cursor.fetchall()}
    assert {"day", "month", "unit_id", "u1_sum"} <= columns
    assert "user" in reserved and not columns & reserved


moments = st.datetimes(  # across a month's (and a year's) end in local time
    min_value=datetime.datetime(2025, 12, 30, 12), max_value=datetime.datetime(2026, 1, 2, 12)
)
profiles = st.fixed_dictionaries(
    {
        "sex": st.sampled_from(["", "Perempuan", "Laki-laki", "Wanita"]),
        "age_group": st.sampled_from(["", "< 20 tahun", "≥ 50 tahun"]),
        "education": st.sampled_from(["", "S1", "Paket C"]),
        "occupation": st.sampled_from(["", "Lainnya"]),
    }
)
answer_sets = st.dictionaries(
    st.sampled_from(ELEMENT_CODES), st.integers(1, 4), min_size=1, max_size=9
)


@pytest.mark.django_db
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.tuples(answer_sets, moments, profiles), min_size=1, max_size=10))
def test_batches_of_any_answers_and_profiles_keep_the_tallies_equal_to_the_responses(unit, rows):
    """As an import's batch (one store_responses for many): examples accumulate in one test
    database, so every comparison covers all the answers stored so far."""
    from surveys.services import new_response, store_responses

    store_responses(
        unit,
        [
            new_response(
                unit,
                answers,
                submitted_at=moment.replace(tzinfo=datetime.UTC),
                profile=profile,
                source="import",
            )
            for answers, moment, profile in rows
        ],
    )
    assert tallied_day_rows(unit) == raw_day_rows(unit)
    assert tallied_month_rows(unit) == raw_month_rows(unit)
    assert_kept_equals_rebuilt(unit)


def test_an_imports_many_keys_and_single_answers_keep_the_tallies_equal_to_the_rebuild(
    client, tmp_path, unit, people, service_type
):
    """An import of more keys than a response's statement takes (on PostgreSQL: the column
    arrays' path), flagged and unflagged, over two months; then single answers by the form."""
    lines = []
    for i in range(24):
        day = datetime.date(2026, 10, 20) + datetime.timedelta(days=i)
        officer = ("oscar", "olive", "")[i % 3]
        u7 = 1 + i % 4  # 1 and 2 flag the answer (the default threshold)
        sex = ("Perempuan", "Laki-laki", "")[i % 3]
        lines.append(f"{day} 10:00:00,informasi,{officer},4,4,4,4,4,3,{u7},4,,,{sex},,S1,")
    import_csv(tmp_path, unit, lines)
    walk_in = f"/u/{unit.code}/survey/{service_type.code}/"
    with time_machine.travel(local(unit, datetime.date(2026, 11, 5), 9), tick=False):
        for u1 in ("1", "4"):
            client.post(walk_in, {**{f"u{i}": "4" for i in range(1, 10)}, "u1": u1})
    flagged = SurveyResponse.objects.filter(unit=unit, flagged=True)
    assert flagged.filter(source="import").count() == 12
    assert flagged.filter(source="web").count() == 1
    assert DailyTally.objects.filter(unit=unit).count() > 8
    assert tallied_day_rows(unit) == raw_day_rows(unit)
    assert sum(t.flagged for t in DailyTally.objects.filter(unit=unit)) == 13
    assert_kept_equals_rebuilt(unit)


# --- the monthly tallies ----------------------------------------------------------------------

ZONES = ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]
MONTH_END = datetime.date(2026, 10, 31)


@pytest.fixture
def three_zones(unit):
    """A unit in each of Indonesia's time zones, with answers around the local midnight that
    ends October 2026 (which falls on different UTC instants in each) and mid-November."""
    units = [unit]
    for zone in ZONES[1:]:
        units.append(
            Unit.objects.create(code=f"unit-{zone[5:].lower()}", name=zone, time_zone=zone)
        )
    for i, (u, zone) in enumerate(zip(units, ZONES, strict=True)):
        u.time_zone = zone
        u.save()
        for day, hour, minute, sex in [
            (MONTH_END, 23, 59, "Perempuan"),
            (MONTH_END + datetime.timedelta(days=1), 0, 0, "Laki-laki"),
            (MONTH_END + datetime.timedelta(days=1), 0, 30, ""),
            (datetime.date(2026, 11, 15), 12, 0, "Perempuan"),
        ]:
            answers = {**GOOD, "U2": 1 + (hour + i) % 4}
            submit_response(
                u, answers=answers, submitted_at=local(u, day, hour, minute), profile={"sex": sex}
            )
    return units


def test_the_month_rows_follow_each_units_local_month(three_zones):
    for u in three_zones:
        months = tallied_month_rows(u)
        assert months == raw_month_rows(u)
        assert months[(datetime.date(2026, 10, 1), "", "")][0] == 1
        assert months[(datetime.date(2026, 11, 1), "", "")][0] == 3
        assert months[(datetime.date(2026, 11, 1), "sex", "Perempuan")][0] == 1


def test_the_month_backfill_writes_what_the_live_path_wrote(three_zones):
    live = {u.pk: tallied_month_rows(u) for u in three_zones}
    assert any(counts[-1] for rows in live.values() for counts in rows.values())  # flagged
    UnitMonthTally.objects.all().delete()
    migration = importlib.import_module("surveys.migrations.0009_unit_month_tallies")
    migration.backfill(apps, types.SimpleNamespace(connection=connection))
    tallied = {u.pk: tallied_month_rows(u) for u in three_zones}
    assert tallied == of_counts(live, migration.COUNTS)
    assert_backfill_0011_restores(live, tallied_month_rows, *three_zones)


def test_the_kept_tallies_of_every_zone_equal_the_rebuild(three_zones):
    assert_kept_equals_rebuilt(*three_zones)


def periods() -> list[tuple[datetime.date, datetime.date]]:
    d = datetime.date
    return [
        (d(2026, 10, 1), d(2026, 10, 31)),  # one whole month
        (d(2026, 10, 31), d(2026, 11, 1)),  # two days across the month's end
        (d(2026, 10, 1), d(2026, 11, 30)),  # two whole months
        (d(2026, 10, 15), d(2026, 11, 30)),  # a partial month, then a whole one
        (d(2026, 10, 1), d(2026, 11, 14)),  # a whole month, then a partial one
        (d(2026, 9, 2), d(2026, 11, 15)),  # edges at both ends
        (d(2025, 11, 16), d(2026, 11, 15)),  # a year
        (d(2026, 11, 15), d(2026, 11, 15)),  # one day
        (d(2026, 11, 2), d(2026, 11, 1)),  # reversed: nothing
        (d(2026, 10, 1), d(2026, 10, 30)),  # a month minus its last day: all subtracted
        (d(2026, 10, 2), d(2026, 11, 29)),  # two months, each minus a day
        (d(2026, 11, 2), d(2026, 11, 30)),  # a month minus its first day
    ]


@pytest.mark.parametrize("start, end", periods())
def test_every_period_reads_the_same_totals_as_the_responses(three_zones, start, end):
    from surveys.ikm import ikm_by, raw_totals

    for u in three_zones:
        tallied = ikm_for(u, start=start, end=end)
        respondents, totals = raw_totals(u, start=start, end=end)
        assert tallied == compute_ikm(totals, respondents=respondents)
        assert profile_table(u, start, end) == hand_profile_table(u, start, end)
        by_month = ikm_by(u, "month", start=start, end=end)
        assert sum(r.respondents for _m, r in by_month) == respondents
    pooled, per_unit = ikm_of_units(Unit.objects.filter(pk__in=[u.pk for u in three_zones]),
                                    start=start, end=end)  # fmt: skip
    assert pooled.respondents == sum(raw_totals(u, start=start, end=end)[0] for u in three_zones)
    assert per_unit == {
        u.pk: ikm_for(u, start=start, end=end) for u in three_zones if u.pk in per_unit
    }


def test_a_whole_month_reads_its_month_row_and_the_edges_their_days(
    three_zones, django_assert_num_queries
):
    unit = three_zones[0]
    with django_assert_num_queries(1) as ctx:
        ikm_for(unit, start=datetime.date(2026, 10, 1), end=datetime.date(2026, 11, 30))
    assert "surveys_unitmonthtally" in ctx.captured_queries[0]["sql"]
    # What is read shows: a corrupted month row changes the figures of the whole month and of
    # most of it (the month minus its other days), not of half of it (its days).
    UnitMonthTally.objects.filter(unit=unit, profile_field="", month="2026-11-01").update(
        respondents=99
    )
    nov = functools.partial(datetime.date, 2026, 11)
    assert ikm_for(unit, start=nov(1), end=nov(30)).respondents == 99
    assert ikm_for(unit, start=nov(2), end=nov(30)).respondents == 99 - 2
    assert ikm_for(unit, start=nov(1), end=nov(15)).respondents == 3
    # Edges: the whole month's row and the edge days' rows, in one query.
    with django_assert_num_queries(1) as ctx:
        ikm_for(unit, start=datetime.date(2026, 10, 31), end=datetime.date(2026, 12, 1))
    sql = ctx.captured_queries[0]["sql"]
    assert "surveys_unitmonthtally" in sql and "surveys_unitdaytally" in sql


def test_an_import_of_an_old_month_adds_to_its_month_rows(tmp_path, unit, service_type):
    """Answers of March 2025 imported after November 2026's: the old month's rows are made
    and a year's IKM over both is the scan's."""
    from surveys.ikm import raw_totals

    submit_response(
        unit, answers=GOOD, submitted_at=local(unit, DAY, 9), profile={"sex": "Perempuan"}
    )
    import_csv(
        tmp_path,
        unit,
        [
            "2025-03-01 00:00:00,informasi,,1,2,3,4,1,2,3,4,1,,Perempuan,,,",
            "2025-03-31 23:59:59,informasi,,2,2,2,2,2,2,2,2,2,,,,S1,",
            "2025-04-01 00:00:00,informasi,,3,3,3,3,3,3,3,3,3,,Laki-laki,,,",
        ],
    )
    months = tallied_month_rows(unit)
    assert months == raw_month_rows(unit)
    assert months[(datetime.date(2025, 3, 1), "", "")][0] == 2
    assert months[(datetime.date(2025, 4, 1), "sex", "Laki-laki")][0] == 1
    for start, end in [
        (datetime.date(2025, 3, 1), datetime.date(2026, 11, 30)),
        (datetime.date(2025, 3, 31), datetime.date(2025, 4, 1)),
        (datetime.date(2025, 3, 1), datetime.date(2025, 3, 31)),
    ]:
        respondents, totals = raw_totals(unit, start=start, end=end)
        assert ikm_for(unit, start=start, end=end) == compute_ikm(totals, respondents=respondents)


def test_the_ikm_per_service_and_per_officer_from_one_query_equals_each_ones_own(
    unit, every_way_in, django_assert_num_queries
):
    """The pairs' sums added up per service type and per officer are the IKM of each, as
    `ikm_by` reads it and as the responses themselves give it."""
    from surveys.ikm import ikm_by, raw_totals, service_and_officer_figures
    from units.models import ServiceType, User

    start, end = DAY, DAY + datetime.timedelta(days=1)
    with django_assert_num_queries(1):
        figures = service_and_officer_figures(unit, start=start, end=end)
    by_service, by_officer = figures.by_service, figures.by_officer
    assert by_service == ikm_by(unit, "service_type", start=start, end=end)
    assert by_officer == ikm_by(unit, "officer", start=start, end=end)
    assert len(by_officer) >= 2  # the form's officer and the import's named ones
    for key, result in by_service:
        n, totals = raw_totals(unit, start=start, end=end, service_type=ServiceType(pk=key))
        assert result == compute_ikm(totals, respondents=n)
    for key, result in by_officer:
        n, totals = raw_totals(unit, start=start, end=end, officer=User(pk=key))
        assert result == compute_ikm(totals, respondents=n)


@pytest.mark.parametrize("days", [0, 1])
def test_the_flagged_per_service_and_per_officer_from_the_same_statement_equal_a_count(
    unit, every_way_in, django_assert_num_queries, days
):
    """The poor ratings per service type and per officer come with their IKM, from the
    daily tallies, and equal a count of the period's flagged responses."""
    from collections import Counter

    from surveys.ikm import ikm_by, service_and_officer_figures

    start, end = DAY, DAY + datetime.timedelta(days=days)
    with django_assert_num_queries(1) as ctx:
        figures = service_and_officer_figures(unit, start=start, end=end)
    assert "surveys_surveyresponse" not in ctx.captured_queries[0]["sql"]
    assert figures.by_service == ikm_by(unit, "service_type", start=start, end=end)
    assert figures.by_officer == ikm_by(unit, "officer", start=start, end=end)
    since, until = unit.day_bounds(start, end)
    flagged = SurveyResponse.objects.filter(
        unit=unit, flagged=True, submitted_at__gte=since, submitted_at__lt=until
    )
    services = flagged.exclude(service_type=None).values_list("service_type", flat=True)
    officers = flagged.exclude(officer=None).values_list("officer", flat=True)
    assert figures.flagged_by_service == Counter(services)
    assert figures.flagged_by_officer == Counter(officers)
    assert figures.flagged_by_service and figures.flagged_by_officer
