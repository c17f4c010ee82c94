"""The report PDF and XLSX as background work (the Tasks API).

- `request_report(...)` writes a `ReportFile` row and enqueues `build_report`; the view sends
  the reader to the file's page, which refreshes until the file is ready.
- `build_report(pk)` renders the file from `figures.gather` with `render.report_pdf` /
  `report_xlsx` (the one way to make a report) and saves it through Django's storage API.
- `may_download(...)` is the reports' access rule applied to a stored file: a report reader of
  the file's unit who may read every part it shows (the officers' table, the recovery figures).
"""

from __future__ import annotations

import datetime
import logging

from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone, translation
from django_tasks import task

from surveys.access import reads_officer_figures

from .access import RECOVERY_FIGURE_READERS, REPORT_READERS
from .figures import gather
from .models import ReportFile
from .render import report_pdf, report_xlsx

logger = logging.getLogger(__name__)

# A second click on the same report while the first is still being built waits for that one.
PENDING_REUSE = datetime.timedelta(minutes=10)


def request_report(
    unit,
    *,
    actor,
    format: str,
    start: datetime.date,
    end: datetime.date,
    show_officers: bool,
    show_recovery: bool,
    language: str,
) -> ReportFile:
    """The file to wait for: one already pending for the same request, or a new one enqueued.
    Called outside a transaction (the row is committed before a worker can look for it)."""
    wanted = {
        "unit": unit,
        "requested_by": actor,
        "format": format,
        "start": start,
        "end": end,
        "show_officers": show_officers,
        "show_recovery": show_recovery,
        "language": language,
    }
    pending = (
        ReportFile.objects.filter(
            Q(state__in=[ReportFile.State.QUEUED, ReportFile.State.RUNNING]),
            requested_at__gte=timezone.now() - PENDING_REUSE,
            **wanted,
        )
        .order_by("-pk")
        .first()
    )
    if pending is not None:
        return pending
    report = ReportFile.objects.create(**wanted)
    try:
        build_report.enqueue(report.pk)
    except Exception:  # the queue is down: say so on the file's page rather than wait forever
        logger.exception("Could not enqueue report file %s", report.pk)
        ReportFile.objects.filter(pk=report.pk).update(
            state=ReportFile.State.FAILED, finished_at=timezone.now(), error="queue unavailable"
        )
        report.refresh_from_db()
    return report


def render_report(report: ReportFile) -> bytes:
    """The file's bytes, in the requester's language."""
    with translation.override(report.language):
        figures = gather(report.unit, report.start, report.end)
        show = {"show_officers": report.show_officers, "show_recovery": report.show_recovery}
        if report.format == ReportFile.Format.PDF:
            return report_pdf(figures, **show)
        return report_xlsx(figures, **show)


@task()
def build_report(report_id: int) -> str:
    """Render the file once and keep it in storage. A file already claimed or finished is
    left alone (a task delivered twice builds it once)."""
    claimed = ReportFile.objects.filter(pk=report_id, state=ReportFile.State.QUEUED).update(
        state=ReportFile.State.RUNNING
    )
    if not claimed:
        return "not-queued"
    report = ReportFile.objects.select_related("unit").get(pk=report_id)
    try:
        content = render_report(report)
    except Exception as exc:
        ReportFile.objects.filter(pk=report_id).update(
            state=ReportFile.State.FAILED,
            finished_at=timezone.now(),
            error=f"{type(exc).__name__}: {exc}"[:1000],
        )
        raise
    report.file.save(report.download_name, ContentFile(content), save=False)
    ReportFile.objects.filter(pk=report_id).update(
        file=report.file.name, state=ReportFile.State.READY, finished_at=timezone.now()
    )
    return ReportFile.State.READY


def may_download(user, roles, unit, report: ReportFile) -> bool:
    """The unit's report readers, for the parts they may read on the dashboard."""
    if report.unit_id != unit.pk or not (REPORT_READERS & set(roles)):
        return False
    if report.show_officers and not reads_officer_figures(user, unit):
        return False
    return not (report.show_recovery and not (RECOVERY_FIGURE_READERS & set(roles)))
