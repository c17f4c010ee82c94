from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET

from documents.xlsx import XLSX_TYPE
from pulih.lib.audit import exported
from pulih.lib.bounds import bad_filters_response
from pulih.lib.replica import reads_from_replica
from recovery.stats import recovery_share
from surveys.access import reads_officer_figures
from units.access import role_required
from units.models import Unit

from .access import RECOVERY_FIGURE_READERS, REPORT_READERS, SETTINGS_AUDIT_READERS
from .audit import AuditFilterForm, unit_events
from .figures import gather
from .files import may_download, request_report
from .forms import PeriodForm
from .models import ReportFile
from .public import public_results
from .render import report_context


def _show(request: HttpRequest) -> dict[str, bool]:
    """The parts of the report this reader may see (the dashboard, the PDF, the XLSX)."""
    return {
        "show_officers": reads_officer_figures(request.user, request.unit),
        "show_recovery": bool(RECOVERY_FIGURE_READERS & set(request.roles)),
    }


def _figures(request: HttpRequest):
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    return form, gather(request.unit, start, end), _show(request)


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


def _request_file(request: HttpRequest, format: str) -> HttpResponse:
    """Ask for the report file of the dashboard's period; its page shows it being prepared."""
    form = PeriodForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return bad_filters_response(form)
    start, end = form.period()
    report = request_report(
        request.unit,
        actor=request.user,
        format=format,
        start=start,
        end=end,
        **_show(request),
        language=translation.get_language() or "id",
    )
    if format == ReportFile.Format.XLSX:
        summary = report.download_name
        exported(
            "reports.xlsx", actor=request.user, unit=request.unit, summary=summary, request=request
        )
    return redirect("reports:file", pk=report.pk)


@role_required(*REPORT_READERS)
def download_pdf(request: HttpRequest) -> HttpResponse:
    return _request_file(request, ReportFile.Format.PDF)


@role_required(*REPORT_READERS)
def download_xlsx(request: HttpRequest) -> HttpResponse:
    return _request_file(request, ReportFile.Format.XLSX)


def _report_file(request: HttpRequest, pk: int) -> ReportFile:
    report = get_object_or_404(ReportFile.objects.select_related("unit"), pk=pk)
    if not may_download(request.user, request.roles, request.unit, report):
        raise Http404
    return report


@require_GET
@role_required(*REPORT_READERS)
def report_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The file's page: 'being prepared' (refreshing, or polled as JSON) until it is ready,
    then straight to the download."""
    report = _report_file(request, pk)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "state": report.state,
                "finished": report.finished,
                "url": reverse("reports:file-download", args=[report.pk])
                if report.state == ReportFile.State.READY
                else "",
            }
        )
    if report.state == ReportFile.State.READY:
        return redirect("reports:file-download", pk=report.pk)
    response = render(request, "reports/report_file.html", {"report": report})
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@role_required(*REPORT_READERS)
def report_file_download(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_file(request, pk)
    if report.state != ReportFile.State.READY or not report.file:
        return redirect("reports:file", pk=report.pk)
    content_type = "application/pdf" if report.format == ReportFile.Format.PDF else XLSX_TYPE
    response = FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=report.download_name,
        content_type=content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@reads_from_replica
def results(request: HttpRequest, code: str) -> HttpResponse:
    """The unit's published results (public): IKM per past quarter and complaints handled."""
    unit = get_object_or_404(Unit, code=code)
    quarters = public_results(unit)
    recovery = recovery_share(unit, quarters[-1].start, quarters[0].end) if quarters else None
    return render(
        request,
        "reports/public_results.html",
        {
            "unit": unit,
            "quarters": quarters,
            "recovery": recovery,
            "empty_quarters": [q for q in quarters if q.empty],
        },
    )


@require_GET
@role_required(*SETTINGS_AUDIT_READERS)
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
