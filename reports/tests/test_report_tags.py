"""The report's table tags (reports_tags, recovery's recovery_rows) write what the template loops
they replaced wrote, byte for byte.

tests/templates/loops/ keeps the loops: reports/_figures.html and recovery/_figures.html as
they were before the tags (the include of the second pointed at its copy), named .tmpl so that
`make messages` does not read their messages into the reports catalogue. Both versions render
the same figures — edge cases made by hand (markup in every label, empty tables, rounding
halves, counts in the thousands with thousand separators on) and the demo data — in both
languages, with and without links, officers and recovery.
"""

from __future__ import annotations

import datetime
import io
import itertools
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from django.core.management import call_command
from django.template import Context, Engine, engines
from django.test import override_settings
from django.utils import timezone, translation

from cases.budget import BudgetStatus
from complaints.models import ComplaintStatus
from complaints.stats import MonthlyTable, MonthRow
from recovery.stats import RecoveryFigures, RecoveryRow
from reports.figures import Figures, Share, gather
from reports.periods import previous_quarter
from surveys.ikm import ElementResult, IkmResult
from units.models import ComplaintChannel, User, Violation

LOOPS = Path(__file__).parent / "templates"


@pytest.fixture(scope="module")
def templates():
    """(the loops, the tags): the loops' copy and the live template, by one engine's rules."""
    live = engines["django"].engine
    engine = Engine(dirs=[LOOPS], app_dirs=True, libraries=live.libraries)
    return engine.get_template("loops/_figures.tmpl"), live.get_template("reports/_figures.html")


def _render(template, figures, **flags) -> str:
    return template.render(Context({"f": figures, **flags}))


def _result(score, elements, respondents=12, legacy=False) -> IkmResult:
    return IkmResult(
        respondents=respondents,
        elements=elements,
        ikm=None if score is None else Fraction(score) / 25,
        score=score,
        grade="A" if score else "",
        label="Sangat <baik> & benar" if score else "",
        legacy_weight=legacy,
    )


def _profile_row(value, count, share, score):
    return {"value": value, "count": count, "share": share, "score": score}


def _made_up(big: bool) -> Figures:
    """Figures that touch every branch of the loops (markup in each label on purpose)."""
    weight = Fraction(1, 9)
    elements = [
        ElementResult("U1", "Persyaratan <b>&</b>", 32437, 9000, weight),
        ElementResult("U2", "Biaya \"tarif\" 'x'", 7, 2, weight),  # 3.5 exactly
        ElementResult("U3", "Waktu", 2675, 1000, Fraction(111, 1000)),
        ElementResult("U4", "Nol", 0, 3, weight),
    ]
    n = 1234 if big else 7
    months = [datetime.date(2025, 12, 1), datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)]
    channels = [
        ComplaintChannel(code="surat", name="Surat & <pos>"),
        ComplaintChannel(code="web", name="Laman"),
    ]
    statuses = list(ComplaintStatus.choices)
    rows = []
    for i, month in enumerate(months):
        row = MonthRow(month=month, total=n * (i + 1))
        row.channel_cells = [n * i, n]
        row.status_cells = [n * i + k for k in range(len(statuses))]
        rows.append(row)
    return Figures(
        unit=None,  # type: ignore[arg-type]
        start=datetime.date(2025, 12, 1),
        end=datetime.date(2026, 2, 28),
        ikm=_result(Decimal("89.35"), elements, respondents=n),
        previous_start=datetime.date(2025, 9, 1),
        previous_end=datetime.date(2025, 11, 30),
        previous_ikm=_result(None, []),
        monthly=[],
        by_service=[],
        by_officer=[],
        services_delivered=n * 3,
        sample_required=n,
        sample_adequate=False,
        profile=[
            {
                "field": "sex",
                "label": "Jenis <kelamin>",
                "rows": [
                    _profile_row("Perempuan & co", n, 66.665, 88.125),
                    _profile_row("<Laki-laki>", 0, 0.0, None),
                    _profile_row("", 3, 33.335, None),
                    _profile_row("Lain", 0, 0.0, None),  # the last row uncounted
                ],
            },
            {"field": "age", "label": "Usia", "rows": [_profile_row("", 0, 0.0, None)]},
            {
                "field": "job",
                "label": "Pekerjaan",
                "rows": [_profile_row("Guru", 2, 100.0, 76.6049), _profile_row("", 1, 0.005, 1)],
            },
        ],
        cases_by_state={"review": n, "closed": 2},
        decrees_on_time=Share(2, 3),
        compensations_on_time=Share(0, 0),
        overdue_cases=n,
        overdue_complaints=0,
        violations=[
            (Violation(code="v01", text='Menolak <tugas> & "lainnya"'), n),
            (Violation(code="v02", text="Lain"), 1),
        ],
        poor_by_service=[("Layanan <data> & rapor", n), ("Konsultasi", 3)],
        poor_by_officer=[
            (User(username="a", full_name="Dewi <Lestari> & S.Pd."), n),
            (User(username="b<c>"), 2),
        ],
        complaints_received=n,
        complaints_answered=n - 1,
        complaints_table=MonthlyTable(
            channels=channels, statuses=statuses, rows=rows, totals=MonthRow(month=months[0])
        ),
        budget=BudgetStatus(year=2026, amount=5_000_000, spent=750_000),
        recovery=RecoveryFigures(
            compensated=n,
            answered=3,
            recovered=2,
            median_days=10.95,
            by_kind=[
                RecoveryRow("Permohonan <maaf> & layanan", n, 3, 2),
                RecoveryRow("—", 1, 0, 0),
            ],
            by_service=[RecoveryRow('Layanan "data"', 2, 2, 2)],
        ),
    )


def _empty() -> Figures:
    figures = _made_up(big=False)
    figures.ikm = _result(None, [], respondents=0)
    figures.profile = []
    figures.violations = []
    figures.poor_by_service = []
    figures.poor_by_officer = []
    figures.cases_by_state = {}
    figures.complaints_table = MonthlyTable(
        channels=[], statuses=list(ComplaintStatus.choices), rows=[], totals=MonthRow(month=None)
    )
    figures.recovery = RecoveryFigures(0, 0, 0, None)
    return figures


FLAGS = [
    {"links": links, "show_officers": officers, "show_recovery": recovery}
    for links, officers, recovery in itertools.product([True, False], repeat=3)
]


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("separators", [False, True])
def test_tags_write_what_the_loops_wrote(templates, language, separators):
    loops, tags = templates
    with override_settings(USE_THOUSAND_SEPARATOR=separators), translation.override(language):
        for figures, flags in itertools.product(
            [_made_up(big=False), _made_up(big=True), _empty()], FLAGS
        ):
            expected = _render(loops, figures, **flags)
            assert _render(tags, figures, **flags) == expected, flags
    assert "&lt;Laki-laki&gt;" not in expected  # an uncounted answer is not shown
    assert "Dewi &lt;Lestari&gt; &amp; S.Pd." in _render(tags, _made_up(False), **FLAGS[0])


@pytest.mark.django_db
def test_tags_write_what_the_loops_wrote_for_the_demo_data(templates, unit):
    call_command("demo_data", password="demo-pass-123", stdout=io.StringIO())
    loops, tags = templates
    today = timezone.localdate()
    for start, end in [previous_quarter(today), (today - datetime.timedelta(days=400), today)]:
        for language in ("id", "en"):
            with translation.override(language):
                figures = gather(unit, start, end)
                assert figures.ikm.respondents and figures.complaints_table.rows
                for flags in FLAGS:
                    assert _render(tags, figures, **flags) == _render(loops, figures, **flags)
