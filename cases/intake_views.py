"""Screens of intake (cases.intake): the daily check's referral of flagged responses and the
complaint's triage. Thin: parse, authorise, call cases.intake."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from complaints.access import HANDLE_ROLES, get_complaint_for_user
from complaints.forms import TriageForm
from complaints.models import TriageOutcome
from complaints.pages import detail_context
from pulih.lib.errors import ActionForbidden, DomainError, InvalidInput
from pulih.lib.forms import add_domain_errors, domain_error_messages
from pulih.lib.http import post_only
from surveys.models import SurveyResponse
from surveys.services import unit_officers
from units.access import role_required
from units.models import Role

from . import intake
from .access import can_view_case
from .workflow import OPENING


def _back_to_day(request: HttpRequest, day: datetime.date | None = None) -> HttpResponse:
    url = reverse("daily-check")
    if day is not None:
        url += "?" + urlencode({"day": day.isoformat()})
    return redirect(url)


def _day_of(request: HttpRequest) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(request.POST.get("day", ""))
    except ValueError:
        return None


def _ids(values: list[str]) -> list[int] | None:
    try:
        return [int(v) for v in values]
    except ValueError:
        return None


@post_only(lambda: reverse("daily-check"))
@role_required(*OPENING.roles)
def refer_flagged(request: HttpRequest) -> HttpResponse:
    """Refer the responses ticked on the daily check into cases (one or several at once)."""
    unit = request.unit
    day = _day_of(request)
    ids = _ids(request.POST.getlist("responses"))
    responses = (
        list(SurveyResponse.objects.filter(unit=unit, pk__in=ids).select_related("unit", "officer"))
        if ids
        else []
    )
    if ids and len(responses) != len(set(ids)):
        messages.error(request, _("A response selected is not one of this unit's."))
        return _back_to_day(request, day)
    officer = None
    officer_id = _ids([request.POST["officer"]]) if request.POST.get("officer") else []
    if officer_id is None:
        messages.error(request, _("Choose an officer from the list."))
        return _back_to_day(request, day)
    if officer_id:
        officer = unit.memberships.filter(user_id=officer_id[0], role=Role.OFFICER).first()
        if officer is None:
            messages.error(request, _("Choose an officer from the list."))
            return _back_to_day(request, day)
        officer = officer.user
    note = request.POST.get("note", "")
    try:
        cases = intake.refer_flagged_responses(
            responses, actor=request.user, note=note, officer=officer
        )
    except ActionForbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        # The selection stays as it was; the page says what is missing (e.g. the note an
        # unverified response needs) and refers again from there.
        errors = domain_error_messages(exc)
        return render(
            request,
            "cases/refer_flagged.html",
            {
                "responses": responses,
                "errors": errors,
                "note": note,
                "officer": officer,
                "officers": unit_officers(unit),
                "day": day,
            },
            status=exc.status,
        )
    messages.success(
        request,
        _("Referred into cases: %(cases)s.") % {"cases": ", ".join(f"#{c.pk}" for c in cases)},
    )
    # One case: its page, where it goes on. Several: the day, whose rows link each case.
    if len(cases) == 1 and can_view_case.test(request.user, cases[0]):
        return redirect("cases:detail", cases[0].pk)
    return _back_to_day(request, day)


@post_only(lambda pk: reverse("daily-check"))
@role_required(*OPENING.roles)
def decline_flagged(request: HttpRequest, pk: int) -> HttpResponse:
    """Record on a flagged response why it is not referred into a case."""
    response = get_object_or_404(
        SurveyResponse.objects.select_related("unit"), unit=request.unit, pk=pk
    )
    day = response.unit.local_date(response.submitted_at)
    try:
        intake.decline_flagged_response(
            response, actor=request.user, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        for message in domain_error_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("Recorded: not referred."))
    return _back_to_day(request, day)


@post_only(lambda pk: reverse("complaints:detail", args=[pk]))
@role_required(*HANDLE_ROLES)
def triage_complaint(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator's triage of a complaint: a case, an improvement item or an answer."""
    if request.unit is None:
        raise Http404
    complaint = get_complaint_for_user(request.user, pk, unit=request.unit)
    form = TriageForm(request.POST, unit=complaint.unit)
    status = 400
    if form.is_valid():
        try:
            triaged = intake.triage_complaint(
                complaint,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
                officer=form.cleaned_data["officer"],
                note=form.cleaned_data["note"],
            )
        except InvalidInput as exc:
            add_domain_errors(form, exc)
        except DomainError as exc:
            for message in domain_error_messages(exc):
                messages.error(request, message)
            status = exc.status
        else:
            messages.success(request, _("Triaged."))
            case = None
            if form.cleaned_data["outcome"] == TriageOutcome.CASE:
                case = triaged.cases.order_by("-pk").first()
            if case is not None and can_view_case.test(request.user, case):
                return redirect("cases:detail", case.pk)
            return redirect("complaints:detail", pk)
    context = detail_context(request, complaint, triage_form=form)
    return render(request, "complaints/detail.html", context, status=status)
