"""Services delivered and the customers' answers to the SKM instrument."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from units.models import ELEMENT_CODES, ServiceType, Unit


class CustomerKind(models.TextChoices):
    INTERNAL = "internal", _("Internal customer")
    EXTERNAL = "external", _("External customer")


class ServiceChannel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    PHONE = "phone", _("Phone/SMS/WhatsApp")
    EMAIL = "email", _("Email")
    LETTER = "letter", _("Letter")


class ResponseSource(models.TextChoices):
    WEB = "web", _("Survey form")
    API = "api", _("API")
    IMPORT = "import", _("Import")


def new_survey_token() -> str:
    return secrets.token_urlsafe(18)


class ServiceRecord(models.Model):
    """One service delivered to one customer by one officer."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="service_records", verbose_name=_("unit")
    )
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, related_name="+", verbose_name=_("service type")
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="services_delivered",
        verbose_name=_("officer"),
    )
    customer_name = models.CharField(_("customer name"), max_length=200, blank=True)
    customer_contact = models.CharField(_("customer contact"), max_length=200, blank=True)
    customer_kind = models.CharField(
        _("customer kind"),
        max_length=10,
        choices=CustomerKind.choices,
        default=CustomerKind.EXTERNAL,
    )
    channel = models.CharField(
        _("channel"),
        max_length=20,
        choices=ServiceChannel.choices,
        default=ServiceChannel.IN_PERSON,
    )
    served_at = models.DateTimeField(_("served at"))
    survey_token = models.CharField(
        _("survey token"), max_length=40, unique=True, default=new_survey_token, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["-served_at"]
        indexes = [models.Index(fields=["unit", "served_at"], name="servicerecord_unit_served")]

    def __str__(self) -> str:
        return f"{self.service_type} — {self.served_at:%Y-%m-%d %H:%M}"


class SurveyResponse(models.Model):
    """One customer's answers; each element 1–4 or null when not answered."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="survey_responses", verbose_name=_("unit")
    )
    service_record = models.OneToOneField(
        ServiceRecord, on_delete=models.PROTECT, null=True, blank=True, related_name="response"
    )
    service_type = models.ForeignKey(
        ServiceType,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("service type"),
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ratings",
        verbose_name=_("officer"),
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    u1 = models.PositiveSmallIntegerField(null=True, blank=True)
    u2 = models.PositiveSmallIntegerField(null=True, blank=True)
    u3 = models.PositiveSmallIntegerField(null=True, blank=True)
    u4 = models.PositiveSmallIntegerField(null=True, blank=True)
    u5 = models.PositiveSmallIntegerField(null=True, blank=True)
    u6 = models.PositiveSmallIntegerField(null=True, blank=True)
    u7 = models.PositiveSmallIntegerField(null=True, blank=True)
    u8 = models.PositiveSmallIntegerField(null=True, blank=True)
    u9 = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=ResponseSource.choices, default=ResponseSource.WEB
    )
    flagged = models.BooleanField(_("flagged"), default=False)
    flagged_elements = models.CharField(_("flagged elements"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-submitted_at"]
        indexes = [
            # IKM over a unit and period; the daily check's day listing.
            models.Index(fields=["unit", "submitted_at"], name="response_unit_submitted"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(**{f"{c.lower()}__isnull": True})
                | models.Q(**{f"{c.lower()}__gte": 1, f"{c.lower()}__lte": 4}),
                name=f"response_{c.lower()}_1_to_4",
            )
            for c in ELEMENT_CODES
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.submitted_at:%Y-%m-%d}"

    def answers(self) -> dict[str, int]:
        return {
            c: getattr(self, c.lower())
            for c in ELEMENT_CODES
            if getattr(self, c.lower()) is not None
        }
