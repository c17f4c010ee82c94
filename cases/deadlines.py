"""A case's deadlines, derived from its events and the unit's rules — never typed in.

- `decree`: the head decides on the decree within the rule's length (default 7 calendar days)
  of the person in charge's approval of the proposal; ended by the decision: met when the
  decree is issued, *not issued* after "no decree".
- `compensation`: the compensation reaches the customer within the rule's length (default
  1 working day) of the decree; met by the delivery.

After a "no decree" decision the loop starts again: a later approval starts a new decree clock.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from units.deadlines import due_at

from .models import Case, CaseAction, CaseEvent

NAMES = {
    "decree": _("Issuing the sanction decree"),
    "compensation": _("Giving the compensation to the customer"),
}


@dataclass(frozen=True)
class Deadline:
    code: str
    start: datetime.datetime
    due: datetime.datetime
    met_at: datetime.datetime | None
    # The decree deadline ended by a "no decree" decision: answered in time or late, but no
    # decree was issued — never shown as met.
    not_issued: bool = False

    @property
    def name(self) -> Promise:
        return NAMES[self.code]

    @property
    def overdue(self) -> bool:
        """Still open and past due."""
        return self.met_at is None and timezone.now() > self.due

    @property
    def late(self) -> bool:
        """Met, but after it was due."""
        return self.met_at is not None and self.met_at > self.due


def _first_after(events: list[CaseEvent], index: int, action: str) -> CaseEvent | None:
    return next((e for e in events[index + 1 :] if e.action == action), None)


def _last_index(events: list[CaseEvent], predicate) -> int | None:
    for i in range(len(events) - 1, -1, -1):
        if predicate(events[i]):
            return i
    return None


def case_deadlines(case: Case, events: list[CaseEvent] | None = None) -> list[Deadline]:
    """The deadlines that have started on `case`, oldest first."""
    if events is None:
        events = list(case.events.order_by("at", "pk"))
    found = []
    approved = _last_index(
        events, lambda e: e.action == CaseAction.VERIFY and e.data.get("approved") is True
    )
    if approved is not None:
        start = events[approved].at
        decided = _first_after(events, approved, CaseAction.DECIDE)
        found.append(
            Deadline(
                "decree",
                start,
                due_at(case.unit, "decree", start),
                decided and decided.at,
                not_issued=bool(decided) and decided.data.get("issue_decree") is False,
            )
        )
    issued = _last_index(
        events, lambda e: e.action == CaseAction.DECIDE and e.data.get("issue_decree") is True
    )
    if issued is not None:
        start = events[issued].at
        delivered = _first_after(events, issued, CaseAction.DELIVER)
        found.append(
            Deadline(
                "compensation",
                start,
                due_at(case.unit, "compensation", start),
                delivered and delivered.at,
            )
        )
    return found


def running(case: Case) -> tuple[str, datetime.datetime | None]:
    """(rule code, due) of the deadline still open on `case`, or ("", None)."""
    for deadline in case_deadlines(case):
        if deadline.met_at is None:
            return deadline.code, deadline.due
    return "", None
