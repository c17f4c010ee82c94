"""Template helpers for the complaints partials on every page and on the home page."""

from __future__ import annotations

from django import template
from django.db.models import Count, Q
from django.utils import timezone

from ..access import HANDLE_ROLES, READ_ROLES, RECORD_ROLES
from ..models import Complaint, ComplaintStatus, overdue_q

register = template.Library()


@register.filter
def reads_complaints(roles) -> bool:
    return bool(set(roles or ()) & READ_ROLES)


@register.filter
def records_complaints(roles) -> bool:
    return bool(set(roles or ()) & RECORD_ROLES)


@register.filter
def handles_complaints(roles) -> bool:
    return bool(set(roles or ()) & HANDLE_ROLES)


@register.simple_tag
def complaint_summary(unit) -> dict:
    """Counts for the coordinator's home page, in one aggregate query."""
    if unit is None:
        return {}
    return Complaint.objects.filter(unit=unit).aggregate(
        awaiting_triage=Count(
            "pk", filter=Q(status__in=[ComplaintStatus.RECEIVED, ComplaintStatus.ACKNOWLEDGED])
        ),
        awaiting_answer=Count("pk", filter=Q(status=ComplaintStatus.IN_PROGRESS)),
        overdue=Count("pk", filter=overdue_q(timezone.now())),
    )
