"""Staff screens of the case workflow, the officer's own view, and the customer's tracking page.

Views parse, authorise (cases.access) and call cases.workflow; they hold no rules.
"""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlsplit, urlunsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from complaints.access import READ_ROLES as COMPLAINT_READERS
from documents.pdf import pdf_response
from pulih.lib.errors import ActionForbidden, InvalidInput, StateConflict
from pulih.lib.forms import add_domain_errors
from pulih.lib.http import attachment_download, post_only
from surveys.access import RESULT_READERS
from units.access import role_required
from units.models import Role

from . import issuing, letters, notify, workflow
from .access import (
    CASE_STAFF,
    can_view_case,
    get_case_for_user,
    get_case_or_own,
    get_own_case,
    own_cases,
    visible_cases,
)
from .budget import budget_status
from .charge import charge_for, finding_of, recent_sanctions
from .deadlines import case_deadlines
from .filters import UnitCaseFilter
from .forms import (
    ACTION_FORMS,
    FIELD_FOR_PAYLOAD,
    OpenCaseForm,
)
from .models import (
    AttachmentPurpose,
    Case,
    CaseAction,
    CaseEvent,
    CaseState,
    Compensation,
    DocumentKind,
    Hearing,
    IssuedDocument,
    Objection,
)

PAGE_SIZE = 50


@role_required(*CASE_STAFF)
def case_list(request: HttpRequest) -> HttpResponse:
    unit = request.unit
    cases = visible_cases(request.user, unit).select_related("officer", "decree")
    filters = UnitCaseFilter(request.GET or None, cases, unit=unit)
    page = Paginator(filters.qs.order_by("-opened_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/list.html",
        {
            "filters": filters.form,
            "page": page,
            "query": query.urlencode(),
            "now": timezone.now(),
            "can_open": bool(request.roles & workflow.OPENING.roles),
        },
    )


@role_required(*workflow.OPENING.roles)
def open_manual_case(request: HttpRequest) -> HttpResponse:
    form = OpenCaseForm(request.POST or None, unit=request.unit, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            case = workflow.open_case(
                request.unit,
                actor=request.user,
                officer=form.cleaned_data["officer"],
                reason=form.cleaned_data["reason"],
            )
        except InvalidInput as exc:
            add_domain_errors(form, exc, field_for=FIELD_FOR_PAYLOAD)
        else:
            messages.success(request, _("Case #%(id)s opened.") % {"id": case.pk})
            return redirect("cases:detail", case.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "cases/open.html", {"form": form}, status=status)


def _detail_context(request: HttpRequest, case: Case, bound: dict | None = None) -> dict:
    events = list(case.events.select_related("actor").order_by("at", "pk"))
    actions = workflow.available_actions(case, request.user)
    forms = {}
    for action in actions:
        if bound and action in bound:
            forms[action] = bound[action]
        else:
            forms[action] = ACTION_FORMS[action](unit=case.unit, prefix=action)
    compensation = Compensation.objects.filter(case=case).prefetch_related("kinds").first()
    name, contact = case.customer
    proposals = list(
        case.proposals.select_related("sanction", "proposed_by").prefetch_related("violations")
    )
    context = {
        "case": case,
        "events": events,
        "deadlines": case_deadlines(case, events),
        "description": workflow.STATE_DESCRIPTIONS[case.state],
        "owners": [Role(r).label for r in sorted(workflow.owner_roles(case.state))],
        "forms": forms,
        "hearings": case.hearings.prefetch_related("attachments", "documents"),
        "proposals": proposals,
        "due_process": workflow.due_process(case) if case.state == CaseState.HEARING else None,
        "recent_sanctions": (
            list(recent_sanctions(case))
            if {CaseAction.PROPOSE, CaseAction.VERIFY, CaseAction.DECIDE} & set(actions)
            or case.state in (CaseState.VERIFICATION, CaseState.DECISION)
            else None
        ),
        "objection": Objection.objects.filter(case=case).select_related("decided_by").first(),
        "verifications": case.verifications.select_related("verified_by"),
        "decree": getattr(case, "decree", None),
        "compensation": compensation,
        "delivery": getattr(case, "delivery", None),
        "evidence": case.attachments.filter(purpose=AttachmentPurpose.DELIVERY),
        "customer_name": name,
        "customer_contact": contact,
        "finding": finding_of(case),
        # Where an action that takes the case out of the reader's sight sends them back to.
        "came_from": _came_from(
            request, request.POST.get("next") or request.headers.get("Referer")
        ),
        "source_url": source_url(request, case),
        "whatsapp": notify.whatsapp_link(case, compensation) if compensation else None,
        "tracking_url": notify.tracking_url(compensation) if compensation else None,
    }
    if CaseAction.COMPENSATE in actions:
        context["budget"] = budget_status(case.unit, case.unit.today().year)
    return context


def source_url(request: HttpRequest, case: Case) -> str:
    """Where the reader opens what caused the case: the survey answer on its day's check, or the
    complaint's page; "" when the reader's role does not read that page."""
    roles = getattr(request, "roles", set())
    response = case.survey_response
    if response is not None and roles & RESULT_READERS:
        day = timezone.localtime(response.submitted_at, case.unit.zone).date()
        query = urlencode({"day": day.isoformat()})
        return f"{reverse('daily-check')}?{query}#response-{response.pk}"
    if case.complaint_id and roles & COMPLAINT_READERS:
        return reverse("complaints:detail", args=[case.complaint_id])
    return ""


CASE_PAGE = re.compile(r"^/kasus/\d+/")


def _came_from(request: HttpRequest, url: str | None) -> str:
    """`url` when it is a page of this site other than a case page (which the reader may no
    longer open after acting); "" otherwise."""
    if not url or not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    path = urlsplit(url)
    if CASE_PAGE.match(path.path):
        return ""
    return urlunsplit(("", "", path.path, path.query, ""))


def _unit(request: HttpRequest):
    """The current unit: a case is read through the unit the person works in now."""
    if request.unit is None:
        raise Http404
    return request.unit


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, unit=_unit(request))
    return render(request, "cases/detail.html", _detail_context(request, case))


@post_only(lambda pk, action: reverse("cases:detail", args=[pk]))
@login_required
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTION_FORMS or action in workflow.OFFICER_ACTIONS:
        raise Http404
    case = get_case_for_user(request.user, pk, unit=_unit(request))
    form = ACTION_FORMS[action](request.POST, request.FILES, unit=case.unit, prefix=action)
    try:
        workflow.check_action(case, action, request.user)  # 403 / 409 before the payload
        if form.is_valid():
            workflow.apply_action(case, action, actor=request.user, **form.payload())
            saved = _("Saved: %(action)s.") % {"action": CaseAction(action).label}
            if can_view_case.test(request.user, case):
                messages.success(request, saved)
                return redirect("cases:detail", case.pk)
            messages.success(
                request,
                saved
                + " "
                + _("Case #%(id)s has moved on to a step your role does not follow.")
                % {"id": case.pk},
            )
            return redirect(_came_from(request, request.POST.get("next")) or "cases:list")
    except ActionForbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except StateConflict as exc:
        case.refresh_from_db()
        messages.error(request, exc.message)
        return render(request, "cases/detail.html", _detail_context(request, case), status=409)
    except InvalidInput as exc:
        add_domain_errors(form, exc, field_for=FIELD_FOR_PAYLOAD)
    context = _detail_context(request, case, bound={action: form})
    return render(request, "cases/detail.html", context, status=400)


def _document_response(document: IssuedDocument, filename: str) -> HttpResponse:
    response = pdf_response(issuing.document_bytes(document), filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def decree_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The SK exactly as issued (the stored bytes)."""
    case = get_case_or_own(request.user, pk, unit=_unit(request))
    decree = getattr(case, "decree", None)
    if decree is None:
        raise Http404
    return _document_response(issuing.decree_document(decree), letters.decree_filename(decree))


@login_required
def apology_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The apology letter exactly as issued (the stored bytes)."""
    case = get_case_for_user(request.user, pk, unit=_unit(request))
    compensation = Compensation.objects.filter(case=case).first()
    if compensation is None:
        raise Http404
    document = issuing.apology_document(compensation)
    return _document_response(document, f"surat-maaf-{case.pk}.pdf")


@login_required
def document_pdf(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    """A summons or hearing record of the case, as issued; the officer reads their own."""
    case = get_case_or_own(request.user, pk, unit=_unit(request))
    document = get_object_or_404(
        case.documents.filter(kind__in=[DocumentKind.SUMMONS, DocumentKind.HEARING_RECORD]),
        pk=document_id,
    )
    name = {DocumentKind.SUMMONS: "surat-panggilan", DocumentKind.HEARING_RECORD: "bap"}
    return _document_response(document, f"{name[document.kind]}-{case.pk}-{document.pk}.pdf")


@role_required(Role.HEAD)
def decree_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The SK as the head would issue it now, marked as a draft: rendered, never stored."""
    case = get_case_for_user(request.user, pk, unit=_unit(request))
    if not workflow.may_take(case, CaseAction.DECIDE, request.user):
        raise Http404
    response = pdf_response(issuing.decree_preview(case, request.user), f"draf-sk-{case.pk}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def attachment(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    case = get_case_or_own(request.user, pk, unit=_unit(request))
    files = case.attachments.all()
    if not can_view_case.test(request.user, case):
        files = files.filter(uploaded_by=request.user)  # the officer: only their own uploads
    return attachment_download(get_object_or_404(files, pk=attachment_id))


# --- The officer's own view: never the customer, never another officer's case. ---------------


@role_required(Role.OFFICER)
def my_cases(request: HttpRequest) -> HttpResponse:
    cases = (
        own_cases(request.user, _unit(request))
        .select_related(
            "unit",
            "decree__sanction",
            "objection",
            "survey_response__service_record",
            "survey_response__service_type",
            "complaint__service_type",
        )
        .prefetch_related(
            Prefetch(
                "hearings",
                queryset=Hearing.objects.order_by("pk").prefetch_related("attachments"),
            ),
            Prefetch("events", queryset=CaseEvent.objects.order_by("at", "pk")),
        )
        .order_by("-opened_at")
    )
    entries = []
    for case in cases:
        actions = [
            a for a in sorted(workflow.OFFICER_ACTIONS) if workflow.may_take(case, a, request.user)
        ]
        if CaseAction.OBJECT in actions and not _may_object(case):
            actions.remove(CaseAction.OBJECT)
        entries.append(
            {
                "case": case,
                "charge": charge_for(case),
                "events": [e for e in case.events.all() if workflow.ACTIONS[e.action].officer_sees],
                "forms": {a: ACTION_FORMS[a](unit=request.unit, prefix=a) for a in actions},
            }
        )
    return render(
        request,
        "cases/mine.html",
        {
            "open_cases": [e for e in entries if e["case"].state not in FINISHED],
            "past_cases": [e for e in entries if e["case"].state in FINISHED],
            "descriptions": workflow.STATE_DESCRIPTIONS,
        },
    )


FINISHED = (CaseState.CLOSED, CaseState.DISMISSED)


def _may_object(case: Case) -> bool:
    """An objection is open to the officer: a decree, none lodged yet, within the period."""
    decree = getattr(case, "decree", None)
    if decree is None or hasattr(case, "objection"):
        return False
    until = decree.issued_at + datetime.timedelta(days=case.unit.objection_days)
    return timezone.now() <= until


OWN_ACTION_SAVED = {
    CaseAction.DEFENCE: _("Your defence was submitted."),
    CaseAction.OBJECT: _("Your objection was lodged."),
}


@post_only(lambda pk, action: reverse("cases:mine"))
@role_required(Role.OFFICER)
def own_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The officer's own steps on a case about them: the defence and the objection."""
    if action not in workflow.OFFICER_ACTIONS:
        raise Http404
    case = get_own_case(request.user, pk, unit=_unit(request))
    form = ACTION_FORMS[action](request.POST, request.FILES, unit=case.unit, prefix=action)
    try:
        workflow.check_action(case, action, request.user)
        if form.is_valid():
            workflow.apply_action(case, action, actor=request.user, **form.payload())
            messages.success(request, str(OWN_ACTION_SAVED[action]))
            return redirect("cases:mine")
    except ActionForbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except StateConflict as exc:
        messages.error(request, exc.message)
        return redirect("cases:mine")
    except InvalidInput as exc:
        add_domain_errors(form, exc, field_for=FIELD_FOR_PAYLOAD)
    context = {"case": case, "form": form, "url_name": OWN_ACTION_URLS[action]}
    return render(request, "cases/defence.html", context, status=400)


OWN_ACTION_URLS = {CaseAction.DEFENCE: "cases:defence", CaseAction.OBJECT: "cases:object"}


# --- Public -----------------------------------------------------------------------------------


def verify_document(request: HttpRequest, code: str) -> HttpResponse:
    """Anyone holding a printed document checks it here: the unit, the number, the date, the
    signer's position and the SHA-256 of the bytes issued. Nothing about the customer, the
    officer or the case."""
    document = get_object_or_404(
        IssuedDocument.objects.select_related("unit"), verification_code=code
    )
    response = render(
        request,
        "cases/verify.html",
        {
            "document": document,
            "unit": document.unit,
            "signer_position": document.snapshot.get("signer", {}).get("position", ""),
        },
    )
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


def track_compensation(request: HttpRequest, token: str) -> HttpResponse:
    """The customer follows their compensation: its kinds and status, nothing about the officer
    or the sanction."""
    compensation = get_object_or_404(
        Compensation.objects.select_related("case__unit").prefetch_related("kinds"),
        tracking_token=token,
    )
    case = compensation.case
    delivery = getattr(case, "delivery", None)
    response = render(
        request,
        "cases/track.html",
        {
            "unit": case.unit,
            "compensation": compensation,
            "kinds": list(compensation.kinds.all()),
            "delivered_at": delivery.delivered_at if delivery else None,
        },
    )
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response
