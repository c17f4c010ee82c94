"""The public addresses of the satisfaction domain, for screens, receipts and the API."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from units.models import ServiceType, Unit

from .models import ServiceRecord


def survey_url(record: ServiceRecord) -> str:
    """The customer's survey link for one service (receipt, QR code, API answer)."""
    return settings.SITE_URL + reverse("survey", args=[record.survey_token])


def walk_in_url(unit: Unit, service_type: ServiceType) -> str:
    """The counter poster's survey link (no receipt)."""
    return settings.SITE_URL + reverse("survey-walk-in", args=[unit.code, service_type.code])
