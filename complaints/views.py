"""Web faces of the register: the public form and tracking page, and the staff register.

Thin: parse, authorise, call services.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from documents.xlsx import xlsx_response
from pulih.lib.audit import exported
from pulih.lib.bounds import bad_filters_response
from pulih.lib.errors import DomainError, InvalidInput
from pulih.lib.forms import add_domain_errors, domain_error_messages
from pulih.lib.http import attachment_download, post_only
from units.access import role_required
from units.models import Unit

from . import antispam, services
from . import messages as msg
from .access import (
    ACKNOWLEDGE_ROLES,
    HANDLE_ROLES,
    READ_ROLES,
    RECORD_ROLES,
    can,
    get_complaint_for_user,
)
from .filters import ComplaintFilter
from .forms import (
    AnswerForm,
    PublicComplaintForm,
    RecordComplaintForm,
    TrackForm,
)
from .models import ComplaintAttachment, ComplaintStatus
from .pages import detail_context
from .register import export_workbook
from .stats import monthly_table
from .tracking import normalise_code

PAGE_SIZE = 50


def _throttled(request: HttpRequest, wait: int, template: str, context: dict) -> HttpResponse:
    context["throttle_message"] = str(msg.THROTTLED) % {"seconds": wait}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(wait)
    return response


# --- public -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def public_form(request: HttpRequest, code: str) -> HttpResponse:
    """The unit's complaint form: no login, works without JavaScript."""
    unit = get_object_or_404(Unit, code=code)
    if services.web_channel(unit) is None:
        raise Http404
    if request.method == "POST":
        form = PublicComplaintForm(request.POST, request.FILES, unit=unit)
        wait = antispam.throttle_wait(request, "complaint", "5/minute")
        if wait is not None:
            return _throttled(
                request,
                wait,
                "complaints/public_form.html",
                {"unit": unit, "form": form.render_again()},
            )
        if form.is_valid():
            data = form.cleaned_data
            try:
                complaint = services.submit_public_complaint(
                    unit,
                    text=data["text"],
                    kind=data["kind"],
                    name=data["name"],
                    contact=data["contact"],
                    anonymous=data["anonymous"],
                    service_type=data["service_type"],
                    attachments=data["attachments"],
                )
            except InvalidInput as exc:
                add_domain_errors(form, exc)
            else:
                text = _(
                    "Thank you. Your submission has been received. Note your tracking code: "
                    "%(code)s"
                )
                code = format_html('<span class="tracking-code">{}</span>', complaint.tracking_code)
                messages.success(request, mark_safe(conditional_escape(text) % {"code": code}))  # noqa: S308
                return redirect("complaints:track", complaint.tracking_code)
        return render(
            request,
            "complaints/public_form.html",
            {"unit": unit, "form": form.render_again()},
            status=400,
        )
    form = PublicComplaintForm(unit=unit)
    return render(request, "complaints/public_form.html", {"unit": unit, "form": form})


@require_GET
def track_lookup(request: HttpRequest) -> HttpResponse:
    """A form to type a tracking code (e.g. read out over the phone)."""
    form = TrackForm(request.GET or None)
    if form.is_bound:
        wait = antispam.throttle_wait(request, "public", "60/minute")
        if wait is not None:
            return _throttled(request, wait, "complaints/track_lookup.html", {"form": form})
        if form.is_valid():
            code = normalise_code(form.cleaned_data["code"])
            if code is not None and services.Complaint.objects.filter(tracking_code=code).exists():
                return redirect("complaints:track", code)
            form.add_error("code", msg.UNKNOWN_CODE)
        return render(request, "complaints/track_lookup.html", {"form": form}, status=404)
    return render(request, "complaints/track_lookup.html", {"form": form})


@require_GET
def track(request: HttpRequest, code: str) -> HttpResponse:
    """Status, dates and the unit's answer; nothing internal (no officer, notes or case)."""
    wait = antispam.throttle_wait(request, "public", "60/minute")
    if wait is not None:
        return _throttled(request, wait, "complaints/track_lookup.html", {"form": TrackForm()})
    normal = normalise_code(code)
    complaint = (
        services.Complaint.objects.select_related("unit", "channel")
        .filter(tracking_code=normal)
        .first()
        if normal
        else None
    )
    if complaint is None:
        form = TrackForm({"code": code})
        form.is_valid()
        form.add_error("code", msg.UNKNOWN_CODE)
        return render(request, "complaints/track_lookup.html", {"form": form}, status=404)
    if normal != code:
        return redirect("complaints:track", normal)
    steps = [
        (ComplaintStatus.RECEIVED.label, complaint.received_at),
        (ComplaintStatus.ACKNOWLEDGED.label, complaint.acknowledged_at),
        (ComplaintStatus.ANSWERED.label, complaint.answered_at),
    ]
    return render(
        request,
        "complaints/track.html",
        {"complaint": complaint, "unit": complaint.unit, "steps": steps},
    )


# --- staff --------------------------------------------------------------------------------


@role_required(*READ_ROLES)
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    unit = request.unit
    filters = ComplaintFilter(request.GET or None, unit=unit)
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    start, end = filters.period()
    table = monthly_table(unit, start=start, end=end)
    return render(
        request,
        "complaints/register.html",
        {
            "form": filters.form,
            "page": page,
            "query": query.urlencode(),
            "table": table,
            "can_record": can(request, RECORD_ROLES),
        },
    )


@role_required(*READ_ROLES)
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    unit = request.unit
    filters = ComplaintFilter(request.GET or None, unit=unit)
    if filters.is_bound and not filters.is_valid():
        return bad_filters_response(filters.form)
    content = export_workbook(filters.qs, unit)
    exported(
        "complaints.export",
        actor=request.user,
        unit=unit,
        summary=f"/pengaduan/ekspor.xlsx?{request.GET.urlencode()}"[:300],
        request=request,
    )
    stamp = unit.local_time()
    return xlsx_response(content, f"pengaduan-{unit.code}-{stamp:%Y%m%d-%H%M}.xlsx")


@role_required(*RECORD_ROLES)
@require_http_methods(["GET", "POST"])
def record(request: HttpRequest) -> HttpResponse:
    unit = request.unit
    with timezone.override(unit.zone):
        if request.method == "POST":
            form = RecordComplaintForm(request.POST, request.FILES, unit=unit)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    complaint = services.record_complaint(
                        unit,
                        actor=request.user,
                        channel=data["channel"],
                        kind=data["kind"],
                        received_at=data["received_at"],
                        name=data["name"],
                        contact=data["contact"],
                        anonymous=data["anonymous"],
                        service_type=data["service_type"],
                        officer=data["officer"],
                        text=data["text"],
                        attachments=data["attachments"],
                    )
                except InvalidInput as exc:
                    add_domain_errors(form, exc)
                else:
                    messages.success(
                        request,
                        _("Complaint %(code)s recorded.") % {"code": complaint.tracking_code},
                    )
                    return redirect("complaints:detail", complaint.pk)
            return render(request, "complaints/record.html", {"form": form}, status=400)
        form = RecordComplaintForm(
            unit=unit, initial={"received_at": timezone.localtime().replace(second=0)}
        )
        return render(request, "complaints/record.html", {"form": form})


def _complaint(request: HttpRequest, pk: int):
    if request.unit is None:
        raise Http404
    return get_complaint_for_user(request.user, pk, unit=request.unit)


@role_required(*READ_ROLES)
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _complaint(request, pk)
    return render(request, "complaints/detail.html", detail_context(request, complaint))


def _domain_error_page(request, complaint, exc: DomainError, **forms) -> HttpResponse:
    for message in domain_error_messages(exc):
        messages.error(request, message)
    return render(
        request,
        "complaints/detail.html",
        detail_context(request, complaint, **forms),
        status=exc.status,
    )


@post_only(lambda pk: reverse("complaints:detail", args=[pk]))
@role_required(*ACKNOWLEDGE_ROLES)
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _complaint(request, pk)
    try:
        services.acknowledge_complaint(complaint, actor=request.user)
    except DomainError as exc:
        return _domain_error_page(request, complaint, exc)
    messages.success(request, _("Acknowledged."))
    return redirect("complaints:detail", pk)


@post_only(lambda pk: reverse("complaints:detail", args=[pk]))
@role_required(*HANDLE_ROLES)
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _complaint(request, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_complaint(
                complaint, actor=request.user, answer=form.cleaned_data["answer"]
            )
        except InvalidInput as exc:
            add_domain_errors(form, exc)
        except DomainError as exc:
            return _domain_error_page(request, complaint, exc, answer_form=form)
        else:
            messages.success(
                request, _("Answer saved; the complainant sees it on the tracking page.")
            )
            return redirect("complaints:detail", pk)
    return render(
        request,
        "complaints/detail.html",
        detail_context(request, complaint, answer_form=form),
        status=400,
    )


@role_required(*READ_ROLES)
@require_GET
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """An attachment, for staff who may read the register; always as a download."""
    complaint = _complaint(request, pk)
    item = get_object_or_404(ComplaintAttachment, complaint=complaint, pk=attachment_pk)
    return attachment_download(item)
