from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from documents.pdf import pdf_response
from documents.xlsx import xlsx_response
from pulih.lib.audit import exported
from pulih.lib.bounds import bad_filters_response
from units.access import role_required
from units.models import Role, Unit

from .audit import AuditFilterForm, unit_events
from .figures import gather
from .forms import PeriodForm
from .public import public_results
from .render import report_context, report_pdf, report_xlsx

READERS = (Role.HEAD, Role.PERSON_IN_CHARGE, Role.SUPERVISOR, Role.COORDINATOR)
# Figures per officer are for the head, the person in charge and the supervisor only.
OFFICER_FIGURE_READERS = {Role.HEAD, Role.PERSON_IN_CHARGE, Role.SUPERVISOR}


def _figures(request: HttpRequest):
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    show_officers = bool(OFFICER_FIGURE_READERS & set(request.roles))
    return form, gather(request.unit, start, end), show_officers


@role_required(*READERS)
def dashboard(request: HttpRequest) -> HttpResponse:
    form, figures, show_officers = _figures(request)
    context = report_context(figures, show_officers=show_officers)
    return render(
        request,
        "reports/dashboard.html",
        {**context, "form": form, "query": request.GET.urlencode()},
    )


@role_required(*READERS)
def download_pdf(request: HttpRequest) -> HttpResponse:
    form, figures, show_officers = _figures(request)
    if form.is_bound and not form.is_valid():
        return bad_filters_response(form)
    name = f"laporan-{figures.unit.code}-{figures.start}-{figures.end}.pdf"
    return pdf_response(report_pdf(figures, show_officers=show_officers), name, inline=False)


@role_required(*READERS)
def download_xlsx(request: HttpRequest) -> HttpResponse:
    form, figures, show_officers = _figures(request)
    if form.is_bound and not form.is_valid():
        return bad_filters_response(form)
    name = f"laporan-{figures.unit.code}-{figures.start}-{figures.end}.xlsx"
    exported("reports.xlsx", actor=request.user, unit=request.unit, summary=name, request=request)
    return xlsx_response(report_xlsx(figures, show_officers=show_officers), name)


def results(request: HttpRequest, code: str) -> HttpResponse:
    """The unit's published results (public): IKM per past quarter and complaints handled."""
    unit = get_object_or_404(Unit, code=code)
    return render(
        request, "reports/public_results.html", {"unit": unit, "quarters": public_results(unit)}
    )


@require_GET
@role_required(Role.SUPERVISOR, Role.HEAD, Role.PERSON_IN_CHARGE)
def audit(request: HttpRequest) -> HttpResponse:
    """Read-only: logins, lockouts, roles, admin actions, exports and every change to the unit's
    standard and settings; filterable by date, person and kind."""
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    changes = unit_events(
        request.unit,
        start=filters.get("start"),
        end=filters.get("end"),
        person=filters.get("person", ""),
        kind=filters.get("kind", ""),
    )
    return render(request, "reports/audit.html", {"changes": changes, "form": form})
