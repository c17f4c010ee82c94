"""The report in its three forms — charts, PDF and XLSX — all from one `Figures`."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from documents.charts import bar_chart, line_chart
from documents.pdf import render_pdf
from documents.xlsx import (
    DATE,
    DECIMAL_2,
    DECIMAL_3,
    INTEGER,
    MONTH,
    RUPIAH,
    Formatted,
    Sheet,
    build_workbook,
)

from .figures import Figures

GRADE_GUIDES = [(88.31, "A"), (76.61, "B"), (65.00, "C")]


def _score(result) -> float | None:
    return float(result.score) if result.score is not None else None


# Chart widths in the viewBox's units: the PDF's text block is 468 pt wide (A4 less the
# letter margins) and draws them 1:1; the dashboard's cards start at a phone's width.
PDF_CHART_WIDTH = 468
SCREEN_CHART_WIDTH = 360
# The PDF prints each figure once: the element scores and cases by state are its tables.
PDF_CHARTS = ("trend", "services", "officers")


def month_labels(months) -> list[str]:
    """Short month names; the year on a second line under the first month and each January."""
    return [
        date_format(m, "M") + (f"\n{m.year}" if i == 0 or m.month == 1 else "")
        for i, m in enumerate(months)
    ]


def charts(
    figures: Figures,
    *,
    show_officers: bool,
    width: int = SCREEN_CHART_WIDTH,
    interactive: bool = True,
    only: tuple[str, ...] | None = None,
) -> dict:
    """The dashboard's charts (all of them), or those named in `only`."""
    out = {
        "trend": line_chart(
            month_labels([month for month, _r in figures.monthly]),
            [_score(r) for _m, r in figures.monthly],
            title=_("IKM per month"),
            min_value=25,
            max_value=100,
            guides=GRADE_GUIDES,
            width=width,
            interactive=interactive,
        ),
        "elements": bar_chart(
            [f"{e.code} {e.name}" for e in figures.ikm.elements],
            [float(e.nrr) for e in figures.ikm.elements],
            title=_("Mean score per element (1–4)"),
            max_value=4,
            width=width,
            interactive=interactive,
        ),
        "services": bar_chart(
            [s.name for s, _r in figures.by_service],
            [_score(r) for _s, r in figures.by_service],
            title=_("IKM per service type"),
            max_value=100,
            guides=GRADE_GUIDES,
            width=width,
            interactive=interactive,
        ),
        "cases": bar_chart(
            [label for _v, label, _n in figures.cases_rows],
            [n for _v, _l, n in figures.cases_rows],
            title=_("Cases by state"),
            value_format="{:.0f}",
            width=width,
            interactive=interactive,
        ),
    }
    if show_officers:
        out["officers"] = bar_chart(
            [u.display_name for u, _r in figures.by_officer],
            [_score(r) for _u, r in figures.by_officer],
            title=_("IKM per officer"),
            max_value=100,
            guides=GRADE_GUIDES,
            width=width,
            interactive=interactive,
        )
    return out if only is None else {k: v for k, v in out.items() if k in only}


def report_context(
    figures: Figures, *, show_officers: bool, show_recovery: bool = True, for_pdf: bool = False
) -> dict:
    return {
        "f": figures,
        "unit": figures.unit,
        "charts": charts(
            figures,
            show_officers=show_officers,
            width=PDF_CHART_WIDTH if for_pdf else SCREEN_CHART_WIDTH,
            interactive=not for_pdf,
            only=PDF_CHARTS if for_pdf else None,
        ),
        "show_officers": show_officers,
        "show_recovery": show_recovery,
    }


def report_pdf(
    figures: Figures, *, show_officers: bool = True, show_recovery: bool = True
) -> bytes:
    return render_pdf(
        "reports/report_pdf.html",
        report_context(
            figures, show_officers=show_officers, show_recovery=show_recovery, for_pdf=True
        ),
    )


def _fmt(value) -> float | None:
    return None if value is None else float(value)


def _recovery_rows(f: Figures) -> list[tuple]:
    r = f.recovery
    # Translated outside the f-strings, where xgettext (`make messages`) cannot see them.
    kind, service = _("Kind"), _("Service")
    rows = [
        (_("All compensated customers"), r.compensated, r.answered, r.recovered, r.percent),
        *(
            (f"{kind}: {k.label}", k.compensated, k.answered, k.recovered, k.percent)
            for k in r.by_kind
        ),
        *(
            (f"{service}: {s.label}", s.compensated, s.answered, s.recovered, s.percent)
            for s in r.by_service
        ),
    ]
    return rows


def report_xlsx(
    figures: Figures, *, show_officers: bool = True, show_recovery: bool = True
) -> bytes:
    """The report's tables, one sheet each: Indonesian headers (the channels' and statuses'
    names, never their codes), months as dates, NRR to 3 decimals, IKM to 2, Rupiah."""
    f = figures
    ikm = f.ikm.score

    def score(value) -> Formatted:
        return Formatted(_fmt(value), DECIMAL_2)

    not_stated = _("not stated")  # (outside the f-string, where xgettext cannot see it)
    summary = [
        (_("Unit"), f.unit.name),
        (_("Period start"), Formatted(f.start, DATE)),
        (_("Period end"), Formatted(f.end, DATE)),
        (_("IKM score"), score(ikm)),
        (_("Grade"), f.ikm.grade),
        (_("Respondents"), Formatted(f.ikm.respondents, INTEGER)),
        (_("Previous quarter score"), score(f.previous_ikm.score)),
        (_("Services delivered (N)"), Formatted(f.services_delivered, INTEGER)),
        (_("Required sample"), Formatted(f.sample_required, INTEGER)),
        (
            _("Sample adequate"),
            "—" if f.sample_adequate is None else _("yes") if f.sample_adequate else _("no"),
        ),
        *(
            (
                f"{group['label']}: {row['value'] or not_stated}",
                f"{row['count']} ({row['share']}%)"
                + (f", IKM {row['score']:.2f}" if row.get("score") is not None else ""),
            )
            for group in f.profile
            for row in group["rows"]
        ),
        (_("Decrees issued"), f.decrees_on_time.whole),
        (_("Decrees within the deadline"), f.decrees_on_time.part),
        (_("Compensations delivered"), f.compensations_on_time.whole),
        (_("Compensations on time"), f.compensations_on_time.part),
        (_("Overdue cases"), f.overdue_cases),
        (_("Overdue complaints"), f.overdue_complaints),
        (_("Complaints received"), f.complaints_received),
        (_("Complaints answered"), f.complaints_answered),
        (_("Compensation budget"), Formatted(f.budget.amount, RUPIAH)),
        (_("Compensation spent"), Formatted(f.budget.spent, RUPIAH)),
        (_("IKM weight"), "0,111" if f.ikm.legacy_weight else "1/k"),
    ]
    scored = [None, INTEGER, DECIMAL_2, None]
    table = f.complaints_table
    sheets = {
        _("Summary"): Sheet([_("Figure"), _("Value")], summary),
        _("IKM elements"): Sheet(
            [
                _("Element"),
                _("Name"),
                _("Sum"),
                pgettext("number of people who answered", "Answered"),
                "NRR",
                _("Weighted"),
            ],
            [(e.code, e.name, e.total, e.count, e.nrr, e.weighted) for e in f.ikm.elements],
            [None, None, INTEGER, INTEGER, DECIMAL_3, DECIMAL_3],
        ),
        _("IKM per month"): Sheet(
            [_("Month"), _("Respondents"), _("Score"), _("Grade")],
            [(m, r.respondents, r.score, r.grade) for m, r in f.monthly],
            [MONTH, INTEGER, DECIMAL_2, None],
        ),
        _("IKM per service"): Sheet(
            [_("Service type"), _("Respondents"), _("Score"), _("Grade")],
            [(s.name, r.respondents, r.score, r.grade) for s, r in f.by_service],
            scored,
        ),
        _("Cases"): Sheet(
            [_("State"), _("Cases")], [(label, n) for _v, label, n in f.cases_rows], [None, INTEGER]
        ),
        _("Violations"): Sheet(
            [_("Code"), _("Violation"), _("Decrees")],
            [(v.code, v.text, n) for v, n in f.violations],
            [None, None, INTEGER],
        ),
        _("Complaints"): Sheet(
            [
                _("Month"),
                *[c.name for c in table.channels],
                *[label for _code, label in table.statuses],
                _("Total"),
            ],
            [(row.month, *row.channel_cells, *row.status_cells, row.total) for row in table.rows],
            [MONTH] + [INTEGER] * (len(table.channels) + len(table.statuses) + 1),
        ),
    }
    if show_officers:
        sheets[_("IKM per officer")] = Sheet(
            [_("Officer"), _("Respondents"), _("Score"), _("Grade")],
            [(u.display_name, r.respondents, r.score, r.grade) for u, r in f.by_officer],
            scored,
        )
        sheets[_("Poor ratings")] = Sheet(
            [_("Officer"), _("Flagged responses")],
            [(u.display_name, n) for u, n in f.poor_by_officer],
            [None, INTEGER],
        )
    if show_recovery:
        sheets[_("Customer recovery")] = Sheet(
            [
                _("Group"),
                _("Compensated"),
                pgettext("number of people who answered", "Answered"),
                _("Recovered"),
                _("Recovered (%)"),
            ],
            [
                *_recovery_rows(f),
                (_("Median days from the poor rating to delivery"), f.recovery.median_days),
            ],
            [None, INTEGER, INTEGER, INTEGER, "0.0"],
        )
    return build_workbook(sheets)
