"""The surveys app's piece of the home page: today's figures for whoever checks them."""

from __future__ import annotations

import datetime

from django import template
from django.db.models import Count, Q
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..access import RECORDERS, reads_results
from ..models import DailyCheck, SurveyResponse

register = template.Library()


@register.simple_tag(takes_context=True)
def surveys_home(context) -> dict:
    request = context.get("request")
    unit = getattr(request, "unit", None)
    roles = getattr(request, "roles", frozenset())
    info: dict = {"daily": False, "record": bool(roles & RECORDERS)}
    if unit is None or not reads_results(request.user, unit):
        return info
    today = unit.today()
    since, until = unit.day_bounds(today, today)
    counts = SurveyResponse.objects.filter(
        unit=unit, submitted_at__gte=since, submitted_at__lt=until
    ).aggregate(n=Count("pk"), flagged=Count("pk", filter=Q(flagged=True)))
    yesterday = today - datetime.timedelta(days=1)
    y_since, y_until = unit.day_bounds(yesterday, yesterday)
    had_yesterday = SurveyResponse.objects.filter(
        unit=unit, submitted_at__gte=y_since, submitted_at__lt=y_until
    ).exists()
    info.update(
        daily=True,
        today_count=counts["n"],
        flagged_count=counts["flagged"],
        unsigned_yesterday=had_yesterday
        and not DailyCheck.objects.filter(unit=unit, day=yesterday).exists(),
    )
    return info


@register.filter
def get_item(mapping: dict, key: str):
    """{{ mapping|get_item:key }}: a dict's value by a variable key (None when absent)."""
    return mapping.get(key) if hasattr(mapping, "get") else None


# An answer's cell is one of five: built once, not escaped again for every cell of a page.
_CELLS = {
    v: format_html('<td class="score-{}">{}</td>', v, "·" if v is None else v)
    for v in (None, 1, 2, 3, 4)
}


@register.filter
def answer_cells(values) -> str:
    """{{ answers|answer_cells }}: U1..U9 (a response's values in order, None where not
    answered) as table cells, each classed by its score and "·" where not answered. One
    filter per row of the day's table rather than eighteen variables."""
    return mark_safe(  # noqa: S308 (the cells are built by format_html)
        "".join(
            _CELLS[v] if v in _CELLS else format_html('<td class="score-{}">{}</td>', v, v)
            for v in values
        )
    )
