"""bench/pulih_part.py: the report PDF is judged against the decree PDF (issue 15: ≤ 3×)."""

from __future__ import annotations

from bench import pulih_part


def timing(p50: float) -> dict:
    return {"p50_ms": p50, "p95_ms": p50 * 1.2, "n": 40}


def fake_run(report_p50: float) -> dict:
    return {
        "ikm": {"floor": timing(30), "command": timing(5), "respondents": 1000},
        "pages": {"dashboard": "/laporan/"},
        "queries": {"dashboard": 20},
        "http": {
            "ikm api": timing(8),
            "dashboard": timing(60),
            "decree pdf": timing(200),
            "report pdf": timing(report_p50),
        },
    }


def report_figure(run: dict):
    (figure,) = [f for f in pulih_part.figures("sqlite", run) if f.name.startswith("report PDF")]
    return figure


def test_the_report_pdf_is_compared_with_the_decree_pdf():
    figure = report_figure(fake_run(500))
    assert figure.ratio == 2.5
    assert figure.met is True
    assert "3×" in figure.target


def test_more_than_three_times_the_decree_pdf_is_not_met():
    assert report_figure(fake_run(700)).met is False
