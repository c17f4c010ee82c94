"""Template pieces other apps' pages include without importing this app's code."""

from __future__ import annotations

from django import template
from django.urls import reverse

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
