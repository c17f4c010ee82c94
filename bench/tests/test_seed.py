"""The bench's data set, seeded small through the same code as the 1,000,000-row one: what it
holds must be what Pulih itself would have stored, or the figures measure something else."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Count, F
from hypothesis import given
from hypothesis import strategies as st

from bench import pulih_inproc, rollup_part
from bench.seed import MEASURED_UNIT, ORGANISATION, PATHS, _utc_text, seed
from cases.deadlines import case_deadlines
from cases.models import Case, CaseEvent, CaseState, Compensation, Decree, Delivery, Hearing
from cases.workflow import WORKFLOW
from surveys.ikm import ikm_for, raw_totals
from surveys.models import DailyTally, SurveyResponse, UnitDayTally, UnitMonthTally
from surveys.tally import COUNT_FIELDS, rebuild
from units.models import Membership, Role, Unit

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def seeded():
    return seed(responses=4_000, cases=400, seed_value=7, log=lambda _msg: None)


def test_counts_units_officers_responses_and_cases(seeded):
    assert (seeded.units, seeded.officers) == (20, 60)
    assert Unit.objects.filter(code__startswith="satuan-").count() == 20
    assert Membership.objects.filter(role=Role.OFFICER).count() == 60
    assert SurveyResponse.objects.count() == seeded.responses == 4_000
    assert Case.objects.count() == seeded.cases == 400
    assert set(seeded.cases_by_state) == set(CaseState.values)


def test_every_unit_and_officer_tally_equals_the_raw_answers(seeded):
    first = datetime.date.fromisoformat(seeded.first_day)
    last = datetime.date.fromisoformat(seeded.last_day)
    for unit in Unit.objects.filter(code__startswith="satuan-"):
        result = ikm_for(unit, start=first, end=last)
        respondents, totals = raw_totals(unit, start=first, end=last)
        assert result.respondents == respondents
        assert {e.code: (e.total, e.count) for e in result.elements} == {
            c: t for c, t in totals.items() if t[1]
        }


def test_each_state_has_the_records_and_timeline_its_path_leaves(seeded):
    for case in Case.objects.annotate(n=Count("events")).select_related("survey_response"):
        steps = list(case.events.order_by("at", "pk").values_list("action", flat=True))
        assert steps == PATHS[case.state], case.state
        assert case.events.order_by("-at", "-pk").first().to_state == case.state
        assert case.survey_response.flagged and case.survey_response.u7 == 1
        assert case.survey_response.officer_id == case.officer_id
    issued = Case.objects.filter(state__in=["compensation", "delivery", "closed"])
    assert Decree.objects.count() == issued.count()
    assert Delivery.objects.count() == Case.objects.filter(state="closed").count()
    heard = Case.objects.exclude(state__in=["review", "dismissed"])
    assert Hearing.objects.count() == heard.count()
    assert CaseEvent.objects.count() == seeded.events
    for model in (Compensation, Delivery):
        assert not model.objects.exclude(unit=F("case__unit")).exists()


def test_the_recovery_figures_of_the_seed_equal_the_joins_over_its_rows(seeded):
    """The deliveries written in bulk hold the days they waited as the database computes
    them, and the recovery tallies recounted after them give the figures the rows give."""
    from cases.models import DaysBetween
    from recovery.stats import recovery_figures
    from recovery.tests.test_tally import Reference

    waits = Delivery.objects.annotate(computed=DaysBetween("delivered_at", "origin_at"))
    assert all(w == float(c) for w, c in waits.values_list("waited_days", "computed"))
    first = datetime.date.fromisoformat(seeded.first_day)
    last = datetime.date.fromisoformat(seeded.last_day)
    delivered = Delivery.objects.values("unit").distinct()
    for unit in Unit.objects.filter(pk__in=delivered).order_by("pk")[:3]:
        whole = recovery_figures(unit, first, last)
        assert whole.compensated and whole == Reference.figures(unit, first, last)
        recent = last - datetime.timedelta(days=40)
        assert recovery_figures(unit, recent, last) == Reference.figures(unit, recent, last)


def test_a_seeded_case_goes_on_through_the_workflow(seeded):
    case = Case.objects.filter(state=CaseState.DECISION).first()
    assert set(WORKFLOW[case.state]) == {"decide"}
    deadlines = case_deadlines(case)
    assert [d.code for d in deadlines] == ["decree"]
    decree_numbers = Decree.objects.filter(unit=case.unit).values_list("number", flat=True)
    assert len(set(decree_numbers)) == len(decree_numbers)


def test_the_ikm_part_checks_the_tallies_against_the_floor(seeded):
    result = pulih_inproc.ikm(reps=2, warmup=0)
    unit = Unit.objects.get(code=MEASURED_UNIT)
    assert result["respondents"] == SurveyResponse.objects.filter(unit=unit).count()
    assert result["command"]["n"] == result["floor"]["n"] == 2
    assert "score" in result["checked"] and "nrr U7" in result["checked"]


def test_the_seed_states_profiles_and_tallies_them(seeded):
    assert SurveyResponse.objects.exclude(sex="").exists()
    assert SurveyResponse.objects.filter(sex="").exists()
    assert seeded.day_tallies == UnitDayTally.objects.count()
    assert UnitDayTally.objects.exclude(profile_field="").exists()
    first = datetime.date.fromisoformat(seeded.first_day)
    last = datetime.date.fromisoformat(seeded.last_day)
    assert pulih_inproc.check_every_unit(first, last) == Unit.objects.count()


def test_the_seeds_tallies_are_their_recount(seeded):
    """The seed's INSERT … SELECT tallies, flagged responses included, equal what
    surveys.tally.rebuild recounts from the responses (the rule the live path keeps)."""

    def rows() -> dict:
        out = {}
        for model, keys in (
            (DailyTally, ("unit", "day", "service_type", "officer")),
            (UnitDayTally, ("unit", "day", "profile_field", "profile_value")),
            (UnitMonthTally, ("unit", "month", "profile_field", "profile_value")),
        ):
            for row in model.objects.values_list(*keys, *COUNT_FIELDS):
                out[(model.__name__, *row[:4])] = row[4:]
        return out

    seeded_rows = rows()
    assert (
        sum(counts[-1] for key, counts in seeded_rows.items() if key[0] == "DailyTally")
        == (SurveyResponse.objects.filter(flagged=True).count())
        > 0
    )
    rebuild()
    assert rows() == seeded_rows


@pytest.mark.parametrize(
    "tallies",
    [
        DailyTally.objects.all(),
        UnitDayTally.objects.filter(profile_field=""),
        UnitDayTally.objects.filter(profile_field="education"),
        UnitMonthTally.objects.filter(profile_field=""),
    ],
)
def test_the_tally_check_stops_when_a_flagged_count_is_off(seeded, tallies):
    first = datetime.date.fromisoformat(seeded.first_day)
    last = datetime.date.fromisoformat(seeded.last_day)
    tally = tallies.filter(unit__code="satuan-03").order_by("pk").first()
    tallies.model.objects.filter(pk=tally.pk).update(flagged=F("flagged") + 1)
    with pytest.raises(SystemExit, match="satuan-03: the flagged counts of the .* differ"):
        pulih_inproc.check_every_unit(first, last)


@pytest.mark.parametrize(
    ("tallies", "named"),
    [
        (DailyTally.objects.all(), "daily tallies"),
        (UnitDayTally.objects.filter(profile_field=""), "unit-day tallies"),
        (UnitDayTally.objects.filter(profile_field="education"), "profile tallies"),
    ],
)
def test_the_ikm_part_stops_when_any_units_tally_is_off(seeded, tallies, named):
    tally = tallies.filter(unit__code="satuan-02").order_by("pk").first()
    tallies.model.objects.filter(pk=tally.pk).update(u3_n=F("u3_n") + 1)
    with pytest.raises(SystemExit, match=f"satuan-02: the {named} differ"):
        pulih_inproc.ikm(reps=1, warmup=0)


def test_the_organisation_rollups_equal_the_raw_scan(seeded):
    first = datetime.date.fromisoformat(seeded.first_day)
    last = datetime.date.fromisoformat(seeded.last_day)
    result = rollup_part.measure(ORGANISATION, first, last, reps=1, warmup=0)
    assert result["units"] == 20
    assert result["respondents"] == SurveyResponse.objects.count()
    assert result["figures_checked"] > 20


def test_the_trend_of_both_periods_is_scanned_once_and_checked_for_each(seeded, monkeypatch):
    """The year and the current quarter end today: their roll-ups show the same trend, whose
    quarters' raw scans are timed once and both roll-ups are checked against them."""
    scans = []
    raw_scan = rollup_part.raw_scan

    def counted(units, start, end):
        scans.append((start, end))
        return raw_scan(units, start, end)

    monkeypatch.setattr(rollup_part, "raw_scan", counted)
    result = pulih_inproc.rollups(reps=1, warmup=0)
    year, quarter = result["year"], result["quarter"]
    assert year["trend_quarters"] == quarter["trend_quarters"]
    trend = len(year["trend_quarters"])
    assert trend >= 2
    assert len(scans) == 2 + trend  # each period's own scan, then each quarter of the trend
    assert quarter["figures_checked"] > trend  # the units, and every quarter of the trend


def test_the_rollup_part_stops_when_a_tally_is_off(seeded):
    whole_days = UnitDayTally.objects.filter(unit__code="satuan-12", profile_field="")
    tally = whole_days.order_by("pk").first()
    UnitDayTally.objects.filter(pk=tally.pk).update(u3_sum=F("u3_sum") + 1)
    # Its month's row too: a period's sums read a day from its own row or from its month's
    # less the month's other days, whichever reads fewer rows (it depends on today's date);
    # either way the period's sum is now one too many.
    UnitMonthTally.objects.filter(
        unit=tally.unit, profile_field="", month=tally.day.replace(day=1)
    ).update(u3_sum=F("u3_sum") + 1)
    first = datetime.date.fromisoformat(seeded.first_day)
    with pytest.raises(SystemExit, match="differ from the raw scan"):
        rollup_part.measure(ORGANISATION, first, tally.day, reps=1, warmup=0)


def test_the_pages_query_counts_are_taken_at_two_data_sizes(seeded):
    result = pulih_inproc.queries()
    assert (
        set(result["queries"])
        == set(result["small_queries"])
        >= {
            "dashboard",
            "daily check",
            "organisation dashboard",
        }
    )
    sizes = result["data_sizes"]
    assert sizes["large"]["responses"] > sizes["small"]["responses"] > 0
    assert sizes["large"]["organisation_responses"] > sizes["small"]["organisation_responses"]


def test_the_pdfs_are_rendered_and_their_pages_counted(seeded):
    result = pulih_inproc.pdfs(reps=1, warmup=0)
    assert result["reference letter"]["pages"] == [1]
    for name in ("decree pdf", "report pdf"):
        assert result[name]["n"] == 1
        assert result[name]["pages_mean"] >= 1
        assert result[name]["per_page_p50_ms"] <= result[name]["p50_ms"]


@given(st.datetimes(min_value=datetime.datetime(1000, 1, 1), timezones=st.just(datetime.UTC)))
def test_a_moment_is_written_for_sqlite_as_strftime_writes_it(moment):
    # (Before the year 1000 strftime drops the leading zeros Django's own text keeps.)
    assert _utc_text(moment) == moment.strftime("%Y-%m-%d %H:%M:%S.%f")
