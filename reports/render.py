"""The report in its three forms — charts, PDF and XLSX — all from one `Figures`."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from documents.charts import bar_chart, line_chart
from documents.pdf import render_pdf
from documents.xlsx import build_workbook

from .figures import Figures

GRADE_GUIDES = [(88.31, "A"), (76.61, "B"), (65.00, "C")]


def _score(result) -> float | None:
    return float(result.score) if result.score is not None else None


def charts(figures: Figures, *, show_officers: bool) -> dict:
    out = {
        "trend": line_chart(
            [date_format(month, "YEAR_MONTH_FORMAT") for month, _r in figures.monthly],
            [_score(r) for _m, r in figures.monthly],
            title=_("IKM per month"),
            min_value=25,
            max_value=100,
            guides=GRADE_GUIDES,
        ),
        "elements": bar_chart(
            [f"{e.code} {e.name}" for e in figures.ikm.elements],
            [float(e.nrr) for e in figures.ikm.elements],
            title=_("Mean score per element (1–4)"),
            max_value=4,
        ),
        "services": bar_chart(
            [s.name for s, _r in figures.by_service],
            [_score(r) for _s, r in figures.by_service],
            title=_("IKM per service type"),
            max_value=100,
            guides=GRADE_GUIDES,
        ),
        "cases": bar_chart(
            [label for _v, label, _n in figures.cases_rows],
            [n for _v, _l, n in figures.cases_rows],
            title=_("Cases by state"),
            value_format="{:.0f}",
        ),
    }
    if show_officers:
        out["officers"] = bar_chart(
            [u.display_name for u, _r in figures.by_officer],
            [_score(r) for _u, r in figures.by_officer],
            title=_("IKM per officer"),
            max_value=100,
            guides=GRADE_GUIDES,
        )
    return out


def report_context(figures: Figures, *, show_officers: bool, show_recovery: bool = True) -> dict:
    return {
        "f": figures,
        "unit": figures.unit,
        "charts": charts(figures, show_officers=show_officers),
        "show_officers": show_officers,
        "show_recovery": show_recovery,
    }


def report_pdf(
    figures: Figures, *, show_officers: bool = True, show_recovery: bool = True
) -> bytes:
    return render_pdf(
        "reports/report_pdf.html",
        report_context(figures, show_officers=show_officers, show_recovery=show_recovery),
    )


def _fmt(value) -> float | None:
    return None if value is None else float(value)


def _recovery_rows(f: Figures) -> list[tuple]:
    r = f.recovery
    rows = [
        (_("All compensated customers"), r.compensated, r.answered, r.recovered, r.percent),
        *(
            (f"{_('Kind')}: {k.label}", k.compensated, k.answered, k.recovered, k.percent)
            for k in r.by_kind
        ),
        *(
            (f"{_('Service')}: {s.label}", s.compensated, s.answered, s.recovered, s.percent)
            for s in r.by_service
        ),
    ]
    return rows


def report_xlsx(
    figures: Figures, *, show_officers: bool = True, show_recovery: bool = True
) -> bytes:
    f = figures
    summary = [
        (_("Unit"), f.unit.name),
        (_("Period"), f"{f.start.isoformat()} – {f.end.isoformat()}"),
        (_("IKM score"), _fmt(f.ikm.score)),
        (_("Grade"), f.ikm.grade),
        (_("Respondents"), f.ikm.respondents),
        (_("Previous quarter score"), _fmt(f.previous_ikm.score)),
        (_("Services delivered (N)"), f.services_delivered),
        (_("Required sample"), f.sample_required),
        (
            _("Sample adequate"),
            "—" if f.sample_adequate is None else _("yes") if f.sample_adequate else _("no"),
        ),
        *(
            (
                f"{group['label']}: {row['value'] or _('not stated')}",
                f"{row['count']} ({row['share']}%)",
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
        (_("Compensation budget"), f.budget.amount),
        (_("Compensation spent"), f.budget.spent),
        (_("IKM weight"), "0,111" if f.ikm.legacy_weight else "1/k"),
    ]
    sheets = {
        _("Summary"): ([_("Figure"), _("Value")], summary),
        _("IKM elements"): (
            [_("Element"), _("Name"), _("Sum"), _("Answered"), "NRR", _("Weighted")],
            [
                (e.code, e.name, e.total, e.count, float(e.nrr), float(e.weighted))
                for e in f.ikm.elements
            ],
        ),
        _("IKM per month"): (
            [_("Month"), _("Respondents"), _("Score"), _("Grade")],
            [(m.isoformat(), r.respondents, _fmt(r.score), r.grade) for m, r in f.monthly],
        ),
        _("IKM per service"): (
            [_("Service type"), _("Respondents"), _("Score"), _("Grade")],
            [(s.name, r.respondents, _fmt(r.score), r.grade) for s, r in f.by_service],
        ),
        _("Cases"): ([_("State"), _("Cases")], [(label, n) for _v, label, n in f.cases_rows]),
        _("Violations"): (
            [_("Code"), _("Violation"), _("Decrees")],
            [(v.code, v.text, n) for v, n in f.violations],
        ),
        _("Complaints"): (
            [
                _("Month"),
                *f.complaints_table.channel_codes,
                *f.complaints_table.status_codes,
                _("Total"),
            ],
            [
                (row.month.isoformat(), *row.channel_cells, *row.status_cells, row.total)
                for row in f.complaints_table.rows
            ],
        ),
    }
    if show_officers:
        sheets[_("IKM per officer")] = (
            [_("Officer"), _("Respondents"), _("Score"), _("Grade")],
            [(u.display_name, r.respondents, _fmt(r.score), r.grade) for u, r in f.by_officer],
        )
        sheets[_("Poor ratings")] = (
            [_("Officer"), _("Flagged responses")],
            [(u.display_name, n) for u, n in f.poor_by_officer],
        )
    if show_recovery:
        sheets[_("Customer recovery")] = (
            [_("Group"), _("Compensated"), _("Answered"), _("Recovered"), _("Recovered (%)")],
            [
                *_recovery_rows(f),
                (_("Median days from the poor rating to delivery"), f.recovery.median_days),
            ],
        )
    return build_workbook(sheets)
