from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from documents.pdf import pdf_response
from documents.xlsx import xlsx_response
from pulih.lib.replica import reads_from_replica
from recovery.stats import recovery_share
from surveys.access import reads_officer_figures
from units.access import role_required
from units.models import Unit

from .access import RECOVERY_FIGURE_READERS, REPORT_READERS, SETTINGS_AUDIT_READERS
from .audit import unit_changes
from .figures import gather
from .forms import PeriodForm
from .public import public_results
from .render import report_context, report_pdf, report_xlsx


def _figures(request: HttpRequest):
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    show = {
        "show_officers": reads_officer_figures(request.user, request.unit),
        "show_recovery": bool(RECOVERY_FIGURE_READERS & set(request.roles)),
    }
    return form, gather(request.unit, start, end), show


@reads_from_replica
@role_required(*REPORT_READERS)
def dashboard(request: HttpRequest) -> HttpResponse:
    form, figures, show = _figures(request)
    context = report_context(figures, **show)
    return render(
        request,
        "reports/dashboard.html",
        {**context, "form": form, "query": request.GET.urlencode()},
    )


@reads_from_replica
@role_required(*REPORT_READERS)
def download_pdf(request: HttpRequest) -> HttpResponse:
    _form, figures, show = _figures(request)
    name = f"laporan-{figures.unit.code}-{figures.start}-{figures.end}.pdf"
    return pdf_response(report_pdf(figures, **show), name, inline=False)


@reads_from_replica
@role_required(*REPORT_READERS)
def download_xlsx(request: HttpRequest) -> HttpResponse:
    _form, figures, show = _figures(request)
    name = f"laporan-{figures.unit.code}-{figures.start}-{figures.end}.xlsx"
    return xlsx_response(report_xlsx(figures, **show), name)


@reads_from_replica
def results(request: HttpRequest, code: str) -> HttpResponse:
    """The unit's published results (public): IKM per past quarter and complaints handled."""
    unit = get_object_or_404(Unit, code=code)
    quarters = public_results(unit)
    recovery = recovery_share(unit, quarters[-1].start, quarters[0].end) if quarters else None
    return render(
        request,
        "reports/public_results.html",
        {"unit": unit, "quarters": quarters, "recovery": recovery},
    )


@require_GET
@role_required(*SETTINGS_AUDIT_READERS)
def audit(request: HttpRequest) -> HttpResponse:
    """Read-only: who changed what in the unit's standard and settings, and when."""
    return render(request, "reports/audit.html", {"changes": unit_changes(request.unit)})
