"""What a change to a unit tells the apps above it, which `units` never imports."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.dispatch import Signal

# Sent with `unit` after a unit's new time zone is saved, in the transaction that saves it.
time_zone_changed = Signal()


def recount_when_time_zone_changes(rebuild: Callable[[Iterable[int]], object], uid: str) -> None:
    """Have `rebuild(unit_ids)` recount what an app keeps per local day of a unit (its
    tallies) whenever the unit's time zone changes, in the same transaction: kept as they
    were, they would go on counting the old zone's days, and no longer equal a count of the
    rows. For an AppConfig's `ready()`."""

    def recount(sender, unit, **kwargs) -> None:
        rebuild([unit.pk])

    time_zone_changed.connect(recount, weak=False, dispatch_uid=uid)
