"""`{% outbox_for record %}`: the notifications a case or complaint caused, with their state."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

KIND_LABELS = {
    "case.next_step": _("Next step, to the staff who owe it"),
    "case.summons": _("Summons, to the officer"),
    "case.customer": _("Compensation, to the customer"),
    "complaint.answer": _("Answer, to the complainant"),
    "reminder": _("Reminder"),
}


@register.inclusion_tag("notifications/outbox.html")
def outbox_for(record) -> dict:
    messages = list(record.notifications.order_by("created_at", "pk")) if record.pk else []
    for message in messages:
        message.label = KIND_LABELS.get(message.kind, message.kind)
    return {"messages": messages}
