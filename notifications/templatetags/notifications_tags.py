"""`{% outbox_for record %}`: the notifications a case or complaint caused, with their state."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

KIND_LABELS = {
    "case.next_step": _("Next step, to the staff who owe it"),
    "case.summons": _("Summons, to the officer"),
    "case.customer": _("Compensation, to the customer"),
    "case.referral": _("Referral, to the officer"),
    "case.decision": _("Decision on the decree, to the officer"),
    "case.objection": _("Objection, to whoever decides it"),
    "case.objection_ruled": _("Decision on the objection, to the officer"),
    "complaint.answer": _("Answer, to the complainant"),
    "complaint.receipt": _("Receipt with the tracking code, to the complainant"),
    "recovery_followup": _("Follow-up question, to the customer"),
    "reminder": _("Reminder"),
}


@register.inclusion_tag("notifications/outbox.html")
def outbox_for(record) -> dict:
    messages = list(record.notifications.order_by("created_at", "pk")) if record.pk else []
    for message in messages:
        message.label = KIND_LABELS.get(message.kind, message.kind)
    return {"messages": messages}
