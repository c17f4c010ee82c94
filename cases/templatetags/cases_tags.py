from __future__ import annotations

from django import template
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from cases.models import CaseAction, CaseEvent, CaseState, NotifyChannel, SourceKind
from cases.workflow import ACTIONS, Show
from units.models import CompensationKind, SanctionKind, Violation

register = template.Library()


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
def event_items(event: CaseEvent) -> list[tuple[str, str]]:
    """An event's data as (label, text) pairs for the timeline, as the workflow declares its
    fields: labels and names, never codes or usernames."""
    spec = ACTIONS.get(event.action)
    fields = spec.fields if spec else {}
    items = []
    for key, value in (event.data or {}).items():
        if value in ("", None, [], {}):
            continue
        declared = fields.get(key)
        if declared is None:
            continue  # not declared with the action: not shown (cases/tests/test_table.py)
        items.append((str(declared.label), _event_text(event, declared.show, value)))
    return items


def _names(model, event: CaseEvent, codes, text) -> list[str]:
    codes = [str(c) for c in (codes if isinstance(codes, list) else [codes])]
    found = {e.code: e for e in model.objects.filter(unit_id=event.case.unit_id, code__in=codes)}
    return [text(found[c]) if c in found else c for c in codes]


def _event_text(event: CaseEvent, show: str, value) -> str:
    if show == Show.YES_NO or isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if show == Show.VIOLATIONS:
        return "\n".join(_names(Violation, event, value, lambda v: f"{v.code.upper()} — {v.text}"))
    if show == Show.SANCTION:
        return ", ".join(_names(SanctionKind, event, value, lambda s: s.name))
    if show == Show.COMPENSATIONS:
        return ", ".join(_names(CompensationKind, event, value, lambda k: k.name))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if show == Show.SOURCE and value in SourceKind.values:
        return str(SourceKind(value).label)
    if show == Show.CHANNEL and value in NotifyChannel.values:
        return str(NotifyChannel(value).label)
    if show == Show.MOMENT and (moment := parse_datetime(str(value))):
        return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    if show == Show.DAY and (day := parse_date(str(value))):
        return formats.date_format(day, "DATE_FORMAT")
    if show == Show.RUPIAH:
        return rupiah(value)
    return str(value)


@register.inclusion_tag("cases/_home_content.html", takes_context=True)
def cases_home(context) -> dict:
    from cases.home import home_panels

    request = context["request"]
    return {"panels": home_panels(request), "now": timezone.now()}
