"""A compensated case about `oscar`, delivered through the workflow (cases' own fixtures)."""

from cases.tests.conftest import budget, make_case  # noqa: F401  (fixtures)


def recount(unit) -> None:
    """After a test moved deliveries or answers by hand (no path of Pulih changes them once
    written): the days the deliveries waited, as the database computes them, and the unit's
    recovery tallies, recounted from the rows."""
    from cases.models import DaysBetween, Delivery
    from recovery.tally import rebuild

    Delivery.objects.update(waited_days=DaysBetween("delivered_at", "origin_at"))
    rebuild([unit.pk])
