"""Every change to the unit's standard and settings (django-simple-history), newest first."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice

from units.models import CATALOGUES, CompensationBudget, Membership, Unit

AUDITED = [*CATALOGUES.values(), CompensationBudget, Membership]
LIMIT = 200


@dataclass(frozen=True)
class Change:
    at: object
    who: str
    what: str
    entry: str
    kind: str  # +, ~ or -
    fields: list[tuple[str, str, str]]  # (field, old, new)


def _describe(record, previous) -> list[tuple[str, str, str]]:
    if previous is None:
        return []
    delta = record.diff_against(previous)
    return [(c.field, str(c.old)[:200], str(c.new)[:200]) for c in delta.changes]


def unit_changes(unit: Unit, limit: int = LIMIT) -> list[Change]:
    """The latest `limit` changes, one query per audited model (a fixed number)."""
    changes = []
    sources = [(Unit, unit.history.all())]
    sources += [(m, m.history.filter(unit=unit)) for m in AUDITED]
    for model, records in sources:
        rows = list(records.select_related("history_user").order_by("-history_date")[: limit + 1])
        # Each row's previous version is the next older row of the same object in this slice.
        older: dict = {}
        for record in reversed(rows):
            previous = older.get(record.id)
            older[record.id] = record
            changes.append(
                Change(
                    at=record.history_date,
                    who=record.history_user.display_name if record.history_user else "—",
                    what=str(model._meta.verbose_name),
                    entry=str(record)[:120],
                    kind=record.history_type,
                    fields=_describe(record, previous) if record.history_type == "~" else [],
                )
            )
    changes.sort(key=lambda c: c.at, reverse=True)
    return list(islice(changes, limit))
