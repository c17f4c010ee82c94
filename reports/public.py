"""What the public sees: IKM of each past quarter and the complaints received and answered."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncQuarter
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint, ComplaintStatus
from pulih.lib.registry import PublicLink, public_links
from recovery.stats import RecoveryRow, recovery_share
from surveys.ikm import IkmResult, day_bounds, ikm_for
from surveys.sample import Adequacy, adequacy

from .periods import past_quarters, quarter_label, quarter_of

QUARTERS_SHOWN = 8  # finished quarters looked at, besides the current one

public_links.register(PublicLink("reports:results", _("Service results")), order=30)


@dataclass(frozen=True)
class QuarterResult:
    start: datetime.date
    end: datetime.date
    ikm: IkmResult
    complaints_received: int
    complaints_answered: int
    recovery: RecoveryRow
    provisional: bool = False  # the current quarter: its figures still move
    sample: Adequacy | None = None

    @property
    def label(self) -> str:
        return quarter_label(self.start)

    @property
    def empty(self) -> bool:
        return not (self.ikm.respondents or self.complaints_received or self.recovery.answered)


def public_results(unit, today: datetime.date | None = None) -> list[QuarterResult]:
    """The current quarter (provisional) and the last finished ones, newest first: one IKM
    query per quarter (a fixed nine) and one query for all complaint counts."""
    today = today or timezone.localdate()
    quarters = [quarter_of(today), *past_quarters(today, QUARTERS_SHOWN)]
    since, until = day_bounds(unit, quarters[-1][0], quarters[0][1])
    rows = (
        Complaint.objects.filter(unit=unit, received_at__gte=since, received_at__lt=until)
        .annotate(quarter=TruncQuarter("received_at", tzinfo=unit.zone))
        .values("quarter")
        .order_by("quarter")
        .annotate(
            received=Count("pk"), answered=Count("pk", filter=Q(status=ComplaintStatus.ANSWERED))
        )
    )
    counts = {_as_date(r["quarter"]): (r["received"], r["answered"]) for r in rows}
    results = []
    for start, end in quarters:
        until_day = min(end, today)
        ikm = ikm_for(unit, start=start, end=until_day)
        results.append(
            QuarterResult(
                start,
                end,
                ikm,
                *counts.get(start, (0, 0)),
                recovery=recovery_share(unit, start, until_day),
                provisional=end >= today,
                sample=adequacy(unit, start, until_day, ikm.respondents),
            )
        )
    return results


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value
