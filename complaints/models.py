"""One register for complaints, suggestions and input from every channel."""

from __future__ import annotations

import datetime
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pulih.lib.models import TimelineEvent
from units.models import ComplaintChannel, ServiceType, Unit


class ComplaintKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    SUGGESTION = "suggestion", _("Suggestion")
    INPUT = "input", _("Input")
    INFORMATION = "information", _("Information request")


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("complaint status", "Received")
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("complaint status", "Acknowledged")
    IN_PROGRESS = "in_progress", pgettext_lazy("complaint status", "In progress")
    ANSWERED = "answered", pgettext_lazy("complaint status", "Answered")


class TriageOutcome(models.TextChoices):
    CASE = "case", _("About an officer's conduct: open a case")
    IMPROVEMENT = "improvement", _("About service or facilities: improvement item")
    DIRECT = "direct", _("Answer directly")


def overdue_q(now: datetime.datetime) -> models.Q:
    """Not acknowledged by the acknowledgement deadline, or not answered by the answer one."""
    return models.Q(status=ComplaintStatus.RECEIVED, ack_due_at__lt=now) | (
        ~models.Q(status=ComplaintStatus.ANSWERED) & models.Q(answer_due_at__lt=now)
    )


class ComplaintQuerySet(models.QuerySet):
    def open(self) -> ComplaintQuerySet:
        return self.exclude(status=ComplaintStatus.ANSWERED)

    def awaiting_triage(self) -> ComplaintQuerySet:
        return self.filter(status__in=[ComplaintStatus.RECEIVED, ComplaintStatus.ACKNOWLEDGED])

    def awaiting_answer(self) -> ComplaintQuerySet:
        return self.filter(status=ComplaintStatus.IN_PROGRESS)

    def overdue(self, now: datetime.datetime | None = None) -> ComplaintQuerySet:
        return self.filter(overdue_q(now or timezone.now()))


class Complaint(models.Model):
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("unit")
    )
    channel = models.ForeignKey(
        ComplaintChannel, on_delete=models.PROTECT, related_name="+", verbose_name=_("channel")
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=ComplaintKind.choices, default=ComplaintKind.COMPLAINT
    )
    received_at = models.DateTimeField(_("received at"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    service_type = models.ForeignKey(
        ServiceType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service type"),
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints_about",
        verbose_name=_("officer concerned"),
    )
    text = models.TextField(_("text"))
    tracking_code = models.CharField(_("tracking code"), max_length=20, unique=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.RECEIVED,
    )
    # Deadlines are derived from the unit's rules when the complaint is received and kept,
    # so that the register, the home page and the reminders can filter on them in SQL.
    ack_due_at = models.DateTimeField(_("acknowledgement due"), null=True, blank=True)
    answer_due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)
    triage_outcome = models.CharField(
        _("triage outcome"), max_length=20, choices=TriageOutcome.choices, blank=True
    )
    triage_note = models.TextField(_("triage note"), blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["unit", "received_at"], name="complaint_unit_received"),
            # The coordinator's home page and the reminders: open complaints by deadline.
            models.Index(fields=["unit", "status", "answer_due_at"], name="complaint_unit_open"),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def is_answered(self) -> bool:
        return self.status == ComplaintStatus.ANSWERED

    @property
    def ack_overdue(self) -> bool:
        return (
            self.status == ComplaintStatus.RECEIVED
            and self.ack_due_at is not None
            and self.ack_due_at < timezone.now()
        )

    @property
    def answer_overdue(self) -> bool:
        return (
            not self.is_answered
            and self.answer_due_at is not None
            and self.answer_due_at < timezone.now()
        )

    @property
    def is_overdue(self) -> bool:
        return self.ack_overdue or self.answer_overdue

    @property
    def complainant_display(self) -> str:
        if self.anonymous:
            return str(_("Anonymous"))
        return self.name or "—"


class EventAction(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("complaint event", "Received")
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("complaint event", "Acknowledged")
    TRIAGED = "triaged", pgettext_lazy("complaint event", "Triaged")
    ANSWERED = "answered", pgettext_lazy("complaint event", "Answered")


class ComplaintEvent(TimelineEvent):
    """One entry of a complaint's timeline. Append-only: never edited, never deleted."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=20, choices=EventAction.choices)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20)

    class Meta(TimelineEvent.Meta):
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.action} {self.from_status}→{self.to_status}"

    @property
    def outcome_label(self) -> str:
        outcome = (self.data or {}).get("outcome")
        return TriageOutcome(outcome).label if outcome in TriageOutcome.values else ""


def attachment_path(instance: ComplaintAttachment, filename: str) -> str:
    """A random name under the unit's folder: the uploader's file name never reaches the disk."""
    ext = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    today = timezone.now()
    return f"complaints/{today:%Y/%m}/{uuid.uuid4().hex}{secrets.token_hex(4)}.{ext}"


class ComplaintAttachment(models.Model):
    """A file sent with a complaint (a scanned letter, a screenshot); staff-only download."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name
