"""surveys/ikm.py: the method of ikm-method.md, exactly."""

from __future__ import annotations

import datetime
import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from surveys.ikm import compute_ikm, grade_for, ikm_for, raw_totals, round_half_up, sample_size
from units.models import ELEMENT_CODES, IkmWeight

from .conftest import WORKED_RESPONDENTS, WORKED_SUMS

WORKED = {c: (s, WORKED_RESPONDENTS) for c, s in zip(ELEMENT_CODES, WORKED_SUMS, strict=True)}


def test_worked_example_gives_91_48_grade_a():
    result = compute_ikm(WORKED, respondents=29)
    assert result.score == Decimal("91.48")
    assert (result.grade, result.label) == ("A", "Sangat baik")
    assert result.ikm == Fraction(955, 29 * 9)
    nrr = [round(float(e.nrr), 4) for e in result.elements]
    assert nrr == [3.6207, 3.4828, 3.4483, 4.0, 3.5172, 3.6207, 3.6552, 3.6207, 3.9655]


def test_worked_example_with_legacy_weight_gives_91_38():
    result = compute_ikm(WORKED, respondents=29, legacy_weight=True)
    assert result.score == Decimal("91.38")
    assert result.grade == "A"


def test_all_fours_score_100_and_all_ones_25():
    assert compute_ikm(dict.fromkeys(ELEMENT_CODES, (4, 1)), respondents=1).score == 100
    ones = compute_ikm(dict.fromkeys(ELEMENT_CODES, (1, 1)), respondents=1)
    assert (ones.score, ones.grade, ones.label) == (Decimal("25.00"), "D", "Tidak baik")


def test_ikm_3_059_is_grade_c_after_rounding_the_score():
    # IKM 3.059 -> 76.475 -> rounded half-up 76.48 -> C (B starts at 76.61).
    result = compute_ikm({"U1": (3059, 1000)}, respondents=1000)
    assert result.score == Decimal("76.48")
    assert result.grade == "C"


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        ("88.31", "A"),
        ("88.30", "B"),
        ("76.61", "B"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.99", "D"),
        ("100.00", "A"),
        ("25.00", "D"),
    ],
)
def test_grade_bounds(score, grade):
    assert grade_for(Decimal(score))[0] == grade


def test_rounding_is_half_up_and_exact():
    assert round_half_up(Fraction(91475, 1000), 2) == Decimal("91.48")
    assert round_half_up(Fraction(914749999, 10**7), 2) == Decimal("91.47")
    assert round_half_up(Fraction(1, 8), 2) == Decimal("0.13")


@given(
    st.fractions(min_value=0, max_value=10**6, max_denominator=10**9),
    st.integers(min_value=0, max_value=6),
)
def test_rounding_is_the_floor_of_the_value_plus_a_half(value, places):
    """Rounded in integers, as the definition reads with Fractions: ⌊v·10^p + ½⌋ / 10^p,
    printed with exactly `places` decimals."""
    expected = Fraction(math.floor(value * 10**places + Fraction(1, 2)), 10**places)
    rounded = round_half_up(value, places)
    assert Fraction(rounded) == expected
    assert rounded.as_tuple().exponent == -places


def test_unanswered_elements_are_left_out():
    result = compute_ikm({"U1": (8, 2), "U4": (0, 0)}, respondents=2)
    assert [e.code for e in result.elements] == ["U1"]
    assert result.ikm == 4
    assert result.elements[0].weighted == 4


def test_nothing_answered_gives_no_score():
    result = compute_ikm({}, respondents=0)
    assert result.empty
    assert result.as_json()["score"] is None


@pytest.mark.parametrize(("n", "s"), [(100, 80), (500, 217), (1000, 278), (10000, 370), (0, 0)])
def test_krejcie_morgan_sample_size(n, s):
    assert sample_size(n) == s


answers = st.dictionaries(
    st.sampled_from(ELEMENT_CODES), st.integers(min_value=1, max_value=4), min_size=1
)


def _totals(rows):
    totals = {}
    for row in rows:
        for code, score in row.items():
            s, n = totals.get(code, (0, 0))
            totals[code] = (s + score, n + 1)
    return totals


@given(st.lists(answers, min_size=1, max_size=40))
def test_score_stays_between_25_and_100(rows):
    result = compute_ikm(_totals(rows), respondents=len(rows))
    assert 25 <= result.score <= 100
    assert result.grade in "ABCD"


@given(st.lists(answers, min_size=1, max_size=40))
def test_legacy_weight_never_scores_above_the_exact_one_with_nine_elements(rows):
    totals = {c: (4 * len(rows), len(rows)) for c in ELEMENT_CODES}
    totals.update(_totals(rows))
    exact = compute_ikm(totals, respondents=len(rows))
    legacy = compute_ikm(totals, respondents=len(rows), legacy_weight=True)
    assert legacy.score <= exact.score
    assert legacy.score <= Decimal("99.90")


@given(st.lists(answers, min_size=1, max_size=40), st.data())
def test_raising_one_answer_never_lowers_the_score(rows, data):
    before = compute_ikm(_totals(rows), respondents=len(rows))
    i = data.draw(st.integers(0, len(rows) - 1))
    code = data.draw(st.sampled_from(sorted(rows[i])))
    if rows[i][code] == 4:
        return
    raised = [dict(r) for r in rows]
    raised[i][code] += 1
    after = compute_ikm(_totals(raised), respondents=len(rows))
    assert after.score >= before.score
    assert after.ikm > before.ikm


@given(st.lists(answers, min_size=1, max_size=30))
def test_elements_nobody_answered_do_not_count(rows):
    totals = _totals(rows)
    result = compute_ikm(totals, respondents=len(rows))
    answered = [c for c in ELEMENT_CODES if c in totals]
    assert [e.code for e in result.elements] == answered
    expected = sum(Fraction(*totals[c]) for c in answered) / len(answered)
    assert result.ikm == expected


tallies = st.dictionaries(
    st.sampled_from(ELEMENT_CODES),
    st.integers(1, 10**7).flatmap(lambda n: st.tuples(st.integers(n, 4 * n), st.just(n))),
)


@given(tallies, st.booleans())
def test_the_ikm_is_the_weighted_sum_of_the_element_means_exactly(totals, legacy):
    """The regulation's arithmetic, step by step with Fractions, for any sums and counts."""
    result = compute_ikm(totals, respondents=1, legacy_weight=legacy)
    if not totals:
        assert result.empty
        return
    weight = Fraction(1, len(totals))
    if legacy:
        weight = Fraction(round_half_up(weight, 3))
    for element in result.elements:
        total, count = totals[element.code]
        assert element.nrr == Fraction(total, count)
        assert element.weighted == Fraction(total, count) * weight
    assert result.ikm == sum((Fraction(*totals[e.code]) * weight for e in result.elements), 0)
    assert result.score == round_half_up(result.ikm * 25, 2)


def test_ikm_for_sums_the_tallies_to_the_worked_example(unit, worked_example):
    day = datetime.date(2026, 11, 2)
    result = ikm_for(unit, start=day, end=day)
    assert result.respondents == 29
    assert result.score == Decimal("91.48")
    unit.ikm_weight = IkmWeight.LEGACY
    unit.save()
    assert ikm_for(unit, start=day, end=day).score == Decimal("91.38")


def test_ikm_for_filters_by_service_officer_and_local_dates(unit, people, respond, service_type):
    from units.models import ServiceType

    other = ServiceType.objects.create(unit=unit, code="konsultasi", name="Konsultasi")
    zone = unit.zone
    late_evening = datetime.datetime(2026, 3, 1, 23, 30, tzinfo=zone)  # 16:30 UTC
    respond({"U1": 4}, officer=people["officer"], at=late_evening)
    respond({"U1": 2}, officer=people["officer2"], at=late_evening, service_type=other)
    respond({"U1": 1}, at=datetime.datetime(2026, 3, 2, 0, 30, tzinfo=zone))
    day = datetime.date(2026, 3, 1)
    assert ikm_for(unit, start=day, end=day).respondents == 2
    assert ikm_for(unit, start=day, end=day, service_type=service_type).elements[0].nrr == 4
    assert ikm_for(unit, start=day, end=day, officer=people["officer2"]).elements[0].nrr == 2
    both = ikm_for(unit, start=day, end=day + datetime.timedelta(days=1))
    assert both.respondents == 3
    assert both.elements[0].total == 7
    assert raw_totals(unit, start=day, end=day)[1]["U1"] == (6, 2)


def test_ikm_query_does_not_scan_responses(unit, people, worked_example, django_assert_num_queries):
    """The unit's IKM sums its day tallies; one officer's (or service's), the daily tallies."""
    day = datetime.date(2026, 11, 2)
    with django_assert_num_queries(2) as ctx:
        whole = ikm_for(unit, start=day, end=day)
        mine = ikm_for(unit, start=day, end=day, officer=people["officer"])
    assert whole.score == mine.score == Decimal("91.48")
    unit_sql, officer_sql = (q["sql"] for q in ctx.captured_queries)
    assert "surveys_unitdaytally" in unit_sql and "surveys_dailytally" not in unit_sql
    assert "surveys_dailytally" in officer_sql
    assert "surveys_surveyresponse" not in unit_sql + officer_sql
