"""Template pieces other apps' pages include without importing this app's code."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.template import Context
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from pulih.lib.printed import printer_for
from units.models import Role

from ..models import FollowUp
from ..services import followup_state

register = template.Library()

# Who sees a customer's answer tied to the case (never the officer).
ANSWER_READERS = {Role.COORDINATOR}


@register.inclusion_tag("recovery/_tracking.html")
def followup_question(case) -> dict:
    """On the customer's tracking page: the question, once it is open."""
    followup = FollowUp.objects.filter(case=case).first()
    state = followup_state(followup) if followup else None
    url = reverse("recovery:followup", args=[followup.token]) if state == "open" else None
    return {"url": url}


@register.inclusion_tag("recovery/_case_answer.html", takes_context=True)
def followup_answer(context, case) -> dict:
    """On the case page, for the coordinator: whether the customer recovered."""
    request = context.get("request")
    roles = set(getattr(request, "roles", ()) or ())
    if not (ANSWER_READERS & roles):
        return {"show": False}
    followup = FollowUp.objects.filter(case=case).first()
    return {"show": followup is not None, "followup": followup}


@register.simple_tag(takes_context=True)
def recovery_rows(context: Context, rows: Iterable) -> SafeString:
    """The recovery table's rows (per kind of compensation or per service): label, compensated,
    answered, recovered and the recovered share ("—" when nobody answered), printed in Python
    as the template's loop printed them (reports/tests/test_report_tags.py compares the two)."""
    p = printer_for(context)
    return mark_safe(  # noqa: S308 (every value printed escaped)
        "".join(
            f'<tr><td>{p(r.label)}</td><td class="num">{p(r.compensated)}</td>'
            f'<td class="num">{p(r.answered)}</td><td class="num">{p(r.recovered)}</td>'
            f'<td class="num">{"—" if r.percent is None else p(r.percent)}</td></tr>'
            for r in rows
        )
    )
