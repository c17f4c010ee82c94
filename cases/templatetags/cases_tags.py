from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import CaseAction, CaseState

register = template.Library()

EVENT_FIELDS = {
    "note": _("Note"),
    "reason": _("Reason"),
    "source": _("Source"),
    "scheduled_at": _("Date and time"),
    "place": _("Place"),
    "explanation": _("Explanation"),
    "defence": _("Defence"),
    "attachments": _("Attachments"),
    "violations": _("Violations"),
    "sanction": _("Sanction"),
    "reasoning": _("Reasoning"),
    "approved": _("Approved"),
    "issue_decree": _("Decree issued"),
    "number": _("Number"),
    "date": _("Date"),
    "compensations": _("Compensation"),
    "cost": _("Cost (rupiah)"),
    "over_budget": _("Over budget"),
    "customer_told_by": _("Customer told by"),
    "delivered_at": _("Delivered at"),
    "method": _("How"),
    "customer_acknowledged": _("Customer acknowledged"),
    "evidence": _("Evidence"),
}


@register.filter
def rupiah(value) -> str:
    try:
        return "Rp " + f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return ""


@register.filter
def action_label(value: str) -> str:
    return CaseAction(value).label if value in CaseAction.values else value


@register.filter
def state_label(value: str) -> str:
    return CaseState(value).label if value in CaseState.values else value


@register.filter
def event_items(data: dict) -> list[tuple[str, str]]:
    """An event's payload as (label, text) pairs for the timeline."""
    items = []
    for key, value in (data or {}).items():
        if value in ("", None, [], {}):
            continue
        if isinstance(value, bool):
            text = _("yes") if value else _("no")
        elif isinstance(value, list):
            text = ", ".join(str(v) for v in value)
        else:
            text = str(value)
        items.append((EVENT_FIELDS.get(key, key), text))
    return items


@register.inclusion_tag("cases/_home_content.html", takes_context=True)
def cases_home(context) -> dict:
    from cases.home import home_panels

    request = context["request"]
    return {"panels": home_panels(request), "now": timezone.now()}
