"""Demo: customers answer the follow-ups that have opened, most of them recovered."""

from __future__ import annotations

from django.utils import timezone

from pulih.lib.registry import demo_populators

from . import tally
from .models import FollowUp


@demo_populators.register(order=40)
def populate(unit, staff, rng, months) -> str:
    now = timezone.now()
    answered = 0
    for followup in FollowUp.objects.filter(unit=unit, answered_at__isnull=True, opens_at__lte=now):
        if rng.random() < 0.8:
            score = rng.choice([4, 4, 3, 3, 3, 2, 1])
            FollowUp.objects.filter(pk=followup.pk).update(
                answered_at=min(now, followup.opens_at + (now - followup.opens_at) / 2),
                score=score,
            )
            answered += 1
    # The answers go in on the demo's past clock, past the service's open-link rule: the
    # unit's recovery tallies are recounted from them (as the service would have kept them).
    tally.rebuild([unit.pk])
    return f"{answered} follow-ups answered"
