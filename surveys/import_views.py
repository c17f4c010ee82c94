"""The web import of survey files: upload → preview (nothing written) → confirm → the import
runs in the background (surveys.tasks.run_import) with a progress bar → the report."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from units.access import role_required
from units.models import Role

from .filereader import MAX_FILE_BYTES
from .headers import FIELDS, field_label
from .importer import DATE_ORDERS, ImportFailed, describe_fields, inspect, remember_mapping
from .models import ImportJob
from .tasks import discard_upload, local_copy, read_progress, run_import, store_upload

IMPORT_ROLES = (Role.BACK_OFFICE, Role.COORDINATOR)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Survey file"),
        help_text=gettext_lazy(
            "CSV, XLSX, XLS or ODS: a Google Forms export, a spreadsheet recap or Pulih's layout."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(max)s MB; split it into smaller files.")
                % {"max": MAX_FILE_BYTES // (1024 * 1024)}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload


DATE_ORDER_LABELS = {
    "dmy": gettext_lazy("Day first (31/12/2026)"),
    "mdy": gettext_lazy("Month first (12/31/2026)"),
}


@role_required(*IMPORT_ROLES)
def import_upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = ImportJob.objects.create(
            unit=request.unit,
            created_by=request.user,
            file_name=Path(upload.name).name[:200],
            path=store_upload(upload),
        )
        return redirect("survey-import-preview", pk=job.pk)
    jobs = ImportJob.objects.filter(unit=request.unit).exclude(state=ImportJob.State.PREVIEW)[:10]
    return render(request, "surveys/import_upload.html", {"form": form, "jobs": jobs})


def _job(request: HttpRequest, pk: int) -> ImportJob:
    return get_object_or_404(ImportJob, pk=pk, unit=request.unit)


def _fields_from(request: HttpRequest, count: int) -> list[str]:
    fields = []
    for i in range(count):
        name = request.POST.get(f"col{i}", "")
        fields.append(name if name in FIELDS else "")
    return fields


@role_required(*IMPORT_ROLES)
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    if job.state != ImportJob.State.PREVIEW:
        return redirect("survey-import-status", pk=job.pk)
    fields = [job.mapping.get(str(i), "") for i in range(len(job.mapping))] or None
    order = job.date_order or None
    if request.method == "POST":
        try:
            count = int(request.POST.get("columns", "0"))
        except ValueError:
            count = 0
        if 0 < count <= 1000:
            job.mapping = {str(i): f for i, f in enumerate(_fields_from(request, count))}
        chosen = request.POST.get("date_order", "")
        job.date_order = chosen if chosen in DATE_ORDERS else job.date_order
        job.save(update_fields=["mapping", "date_order"])
        if "confirm" not in request.POST:
            return redirect("survey-import-preview", pk=job.pk)
        fields = [job.mapping.get(str(i), "") for i in range(len(job.mapping))] or None
        order = job.date_order or None
    try:
        with local_copy(job.path) as path:
            scan = inspect(path, request.unit, fields=fields, date_order=order)
    except ImportFailed as exc:
        return render(
            request, "surveys/import_preview.html", {"job": job, "failed": exc.errors}, status=200
        )
    plan = scan.plan
    ready = scan.ok and not plan.needs_date_order and scan.rows > 0
    if request.method == "POST" and "confirm" in request.POST and ready:
        remember_mapping(request.unit, plan.header, plan.fields)
        job.mapping = {str(i): f for i, f in enumerate(plan.fields)}
        job.date_order = plan.date_order or ""
        job.state = ImportJob.State.QUEUED
        job.total = scan.rows
        job.save()
        run_import.enqueue(job.pk)
        return redirect("survey-import-status", pk=job.pk)
    zone = request.unit.zone
    context = {
        "job": job,
        "scan": scan,
        "plan": plan,
        "ready": ready,
        "columns": [
            {
                "index": i,
                "letter": letter,
                "header": header,
                "field": plan.fields[i],
                "label": label,
            }
            for i, letter, header, label in describe_fields(plan)
        ],
        "choices": [("", field_label(""))] + [(f, field_label(f)) for f in FIELDS],
        "date_orders": [(o, DATE_ORDER_LABELS[o]) for o in DATE_ORDERS],
        "sample": [
            {
                "row": number,
                "at": parsed.submitted_at.astimezone(zone),
                "scores": [parsed.scores.get(f"U{i}", "") for i in range(1, 10)],
                "service": plan_name(plan.services, parsed.service_type_id),
                "officer": plan_name(plan.officers, parsed.officer_id),
                "comment": parsed.comment,
                "profile": " · ".join(parsed.profile.values()),
            }
            for number, parsed in scan.sample
        ],
        "first": scan.first.astimezone(zone) if scan.first else None,
        "last": scan.last.astimezone(zone) if scan.last else None,
        "ikm": scan.ikm(request.unit.ikm_weight == "legacy") if scan.rows else None,
    }
    return render(request, "surveys/import_preview.html", context)


def plan_name(names: dict[str, int], pk: int | None) -> str:
    if pk is None:
        return ""
    keys = [k for k, v in names.items() if v == pk]
    return max(keys, key=len) if keys else str(pk)


@role_required(*IMPORT_ROLES)
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    if job.state == ImportJob.State.PREVIEW:
        return redirect("survey-import-preview", pk=job.pk)
    progress = _progress(job)
    if request.GET.get("format") == "json":
        return JsonResponse(progress)
    return render(request, "surveys/import_status.html", {"job": job, "progress": progress})


def _progress(job: ImportJob) -> dict:
    finished = job.state in (ImportJob.State.DONE, ImportJob.State.FAILED)
    seen = read_progress(job) if not finished else {"done": job.done, "total": job.total}
    total = seen.get("total") or job.total
    done = seen.get("done", 0) if seen.get("total") else 0
    percent = 100 if finished else (int(done * 100 / total) if total else 0)
    return {
        "state": job.state,
        "state_label": str(job.get_state_display()),
        "done": done,
        "total": total,
        "percent": percent,
        "finished": finished,
        "imported": job.imported,
        "report_url": reverse("survey-import-report", args=[job.pk]) if finished else "",
    }


@role_required(*IMPORT_ROLES)
def import_report(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    if job.state not in (ImportJob.State.DONE, ImportJob.State.FAILED):
        raise Http404
    lines = [
        _("Survey import #%(pk)s: %(file)s") % {"pk": job.pk, "file": job.file_name},
        _("Unit: %(unit)s") % {"unit": job.unit.name},
        _("Result: %(state)s") % {"state": job.get_state_display()},
        "",
        job.report,
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-report.txt"'
    return response


@require_POST
@role_required(*IMPORT_ROLES)
def import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    if job.state == ImportJob.State.PREVIEW:
        discard_upload(job)
        job.delete()
    return redirect("survey-import")
