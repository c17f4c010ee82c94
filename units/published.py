"""The unit's standard as published: every catalogue, active entries only, in order."""

from __future__ import annotations

from .models import CATALOGUES, Unit


def published_standard(unit: Unit) -> dict[str, list]:
    return {
        name: list(model.objects.filter(unit=unit, active=True).order_by("order", "code"))
        for name, model in CATALOGUES.items()
    }
