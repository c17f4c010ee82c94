from __future__ import annotations

from django import template
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from cases.models import CaseAction, CaseState, NotifyChannel, SourceKind

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
        items.append((EVENT_FIELDS.get(key, key), _event_text(key, value)))
    return items


def _event_text(key: str, value) -> str:
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if key == "source" and value in SourceKind.values:
        return str(SourceKind(value).label)
    if key == "customer_told_by" and value in NotifyChannel.values:
        return str(NotifyChannel(value).label)
    if key in ("scheduled_at", "delivered_at") and (moment := parse_datetime(str(value))):
        return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    if key == "date" and (day := parse_date(str(value))):
        return formats.date_format(day, "DATE_FORMAT")
    if key == "cost":
        return rupiah(value)
    return str(value)


@register.inclusion_tag("cases/_home_content.html", takes_context=True)
def cases_home(context) -> dict:
    from cases.home import home_panels

    request = context["request"]
    return {"panels": home_panels(request), "now": timezone.now()}
