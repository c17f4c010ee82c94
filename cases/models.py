"""Sanction-and-compensation cases, their append-only timeline, and improvement items."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint
from surveys.models import SurveyResponse
from units.models import Unit


class CaseState(models.TextChoices):
    REVIEW = "review", _("Under review")
    HEARING = "hearing", _("Hearing")
    VERIFICATION = "verification", _("Verification")
    DECISION = "decision", _("Decision")
    COMPENSATION = "compensation", _("Compensation")
    DELIVERY = "delivery", _("Delivery")
    CLOSED = "closed", _("Closed")
    DISMISSED = "dismissed", _("Dismissed")


class SourceKind(models.TextChoices):
    SURVEY = "survey", _("Survey response")
    COMPLAINT = "complaint", _("Complaint")
    MANUAL = "manual", _("Manual")


class Case(models.Model):
    """One sanction-and-compensation process about one officer."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="cases", verbose_name=_("unit")
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cases_about",
        verbose_name=_("officer"),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=CaseState.choices, default=CaseState.REVIEW
    )
    source_kind = models.CharField(_("source"), max_length=20, choices=SourceKind.choices)
    survey_response = models.ForeignKey(
        SurveyResponse, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    reason = models.TextField(_("reason"), blank=True)
    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["unit", "state"], name="case_unit_state")]

    def __str__(self) -> str:
        return _("Case #%(id)s") % {"id": self.pk}


class CaseEvent(models.Model):
    """One entry of a case's timeline. Append-only: never edited, never deleted."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    at = models.DateTimeField(_("at"))
    from_state = models.CharField(_("from"), max_length=20, blank=True)
    to_state = models.CharField(_("to"), max_length=20)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.action} {self.from_state}→{self.to_state}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Case events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Case events are append-only.")


class ImprovementStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class ImprovementItem(models.Model):
    """A finding about the institution (facilities, procedure, tariffs), not about an officer."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="improvement_items", verbose_name=_("unit")
    )
    survey_response = models.ForeignKey(
        SurveyResponse,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="improvement_items",
    )
    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, null=True, blank=True, related_name="improvement_items"
    )
    elements = models.CharField(_("elements"), max_length=40, blank=True)
    description = models.TextField(_("description"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ImprovementStatus.choices,
        default=ImprovementStatus.OPEN,
    )
    resolution = models.TextField(_("resolution"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("improvement item")
        verbose_name_plural = _("improvement items")
        ordering = ["status", "-created_at"]

    def __str__(self) -> str:
        return self.description[:60]
