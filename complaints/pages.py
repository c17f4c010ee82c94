"""The staff page of one complaint, shared by the register's views and the cases side's triage
(cases.intake_views), which renders it again when a triage is refused."""

from __future__ import annotations

from django.http import HttpRequest

from units.models import User

from .access import ACKNOWLEDGE_ROLES, HANDLE_ROLES, can
from .forms import AnswerForm, TriageForm
from .models import ComplaintStatus, TriageOutcome


def detail_context(request: HttpRequest, complaint, **forms) -> dict:
    handle = can(request, HANDLE_ROLES)
    cases = list(complaint.cases.select_related("officer"))
    ctx = {
        "complaint": complaint,
        "events": _events(complaint),
        "attachments": complaint.attachments.all(),
        "cases": cases,
        # Every reference to a case is a link for whoever may open it (the cases' own rule).
        "readable_cases": {c.pk for c in cases if request.user.has_perm("cases.view_case", c)},
        "improvements": complaint.improvement_items.all(),
        "can_acknowledge": can(request, ACKNOWLEDGE_ROLES)
        and complaint.status == ComplaintStatus.RECEIVED,
        "can_triage": handle
        and complaint.status in (ComplaintStatus.RECEIVED, ComplaintStatus.ACKNOWLEDGED),
        "can_answer": handle and complaint.status == ComplaintStatus.IN_PROGRESS,
        "TriageOutcome": TriageOutcome,
    }
    if ctx["can_triage"]:
        ctx["triage_form"] = forms.get("triage_form") or TriageForm(unit=complaint.unit)
    if ctx["can_answer"]:
        ctx["answer_form"] = forms.get("answer_form") or AnswerForm()
    return ctx


def _events(complaint) -> list:
    """The complaint's history, each officer a triage names given by name, not username."""
    events = list(complaint.events.select_related("actor"))
    usernames = {(e.data or {}).get("officer") for e in events} - {None, ""}
    names = {u.username: u.display_name for u in User.objects.filter(username__in=usernames)}
    for e in events:
        officer = (e.data or {}).get("officer")
        e.officer_name = names.get(officer, officer) if officer else ""
    return events
