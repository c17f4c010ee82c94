"""The staff page of one complaint, shared by the register's views and the cases side's triage
(cases.intake_views), which renders it again when a triage is refused."""

from __future__ import annotations

from django.http import HttpRequest

from .access import ACKNOWLEDGE_ROLES, HANDLE_ROLES, can
from .forms import AnswerForm, TriageForm
from .models import ComplaintStatus, TriageOutcome


def detail_context(request: HttpRequest, complaint, **forms) -> dict:
    handle = can(request, HANDLE_ROLES)
    ctx = {
        "complaint": complaint,
        "events": complaint.events.select_related("actor"),
        "attachments": complaint.attachments.all(),
        "cases": complaint.cases.all(),
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
