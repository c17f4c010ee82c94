"""bench/pulih_part.py: every target is a ratio to a floor or the peer measured in the same run
(docs/benchmarks.md)."""

from __future__ import annotations

from bench import pulih_part


def timing(p50: float, **extra) -> dict:
    return {"p50_ms": p50, "p95_ms": p50 * 1.2, "n": 40, **extra}


def pdf(p50: float, pages: float) -> dict:
    return timing(p50, per_page_p50_ms=p50 / pages, per_page_p95_ms=p50 / pages, pages_mean=pages)


def fake_run(report_p50: float = 500, dashboard_p50: float = 60, small_queries: int = 20) -> dict:
    return {
        "ikm": {"floor": timing(300), "command": timing(5), "respondents": 1000},
        "rollups": {
            "year": {
                "organisation": "bench-kementerian",
                "units": 20,
                "respondents": 2000,
                "floor": timing(400),
                "ikm_of_units": timing(10),
                "rollup": timing(50),
            }
        },
        "pages": {"dashboard": "/laporan/", "case list": "/kasus/"},
        "queries": {"dashboard": 20, "case list": 8},
        "small_queries": {"dashboard": small_queries, "case list": 8},
        "data_sizes": {
            "large": {"responses": 500_000, "organisation_responses": 1_000_000},
            "small": {"responses": 26_000, "organisation_responses": 260_000},
        },
        "http": {
            "framework floor": timing(20),
            "ikm api": timing(8),
            "dashboard": timing(dashboard_p50),
            "case list": timing(25),
            "decree pdf": pdf(200, 2),
            "report pdf": pdf(report_p50, 4),
            "reference letter": timing(80),
        },
    }


def figure(run: dict, start: str):
    (found,) = [f for f in pulih_part.figures("sqlite", run) if f.name.startswith(start)]
    return found


def test_the_report_pdf_is_compared_with_the_decree_pdf():
    found = figure(fake_run(500), "report PDF (dashboard")
    assert found.ratio == 2.5
    assert found.met is True
    assert "3×" in found.target


def test_more_than_three_times_the_decree_pdf_is_not_met():
    assert figure(fake_run(700), "report PDF (dashboard").met is False


def test_pdfs_are_judged_per_page_against_the_reference_letter():
    decree = figure(fake_run(), "decree PDF, per page")
    assert decree.ratio == 100 / 80
    assert decree.met is True
    assert figure(fake_run(report_p50=800), "report PDF, per page").met is False  # 200/80


def test_the_ikm_and_the_rollups_are_judged_against_their_raw_scan():
    assert figure(fake_run(), "IKM, one unit, one year, command path").ratio == 5 / 300
    rollup = figure(fake_run(), "organisation bench-kementerian (20 units), year: rollup")
    assert rollup.ratio == 50 / 400
    assert rollup.met is False


def test_a_page_is_judged_against_the_framework_floor_and_its_queries_at_two_sizes():
    assert figure(fake_run(dashboard_p50=90), "dashboard").met is True  # 4.5×
    assert figure(fake_run(dashboard_p50=110), "dashboard").met is False  # 5.5×
    assert figure(fake_run(small_queries=19), "dashboard").met is False  # grows with the data
