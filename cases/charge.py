"""What the officer of a case answers for, and their record: read by the officer's own page and
by the proposal, verification and decision screens. Never the customer's name or contact."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from surveys.ikm import ANSWER_LABELS, ELEMENT_NAMES

from .models import Case, CaseAction, Decree

RECORD_DAYS = 365  # the officer's sanctions shown beside a proposal: the last 12 months


@dataclass(frozen=True)
class Score:
    code: str
    name: str
    value: int | None
    flagged: bool
    label: str = ""  # the answer as the questionnaire words it ("Kurang sopan dan ramah")


@dataclass(frozen=True)
class Charge:
    service: str
    served_at: datetime.datetime | None
    scores: list[Score] = field(default_factory=list)
    comment: str = ""
    complaint_text: str = ""


def charge_for(case: Case) -> Charge | None:
    """The finding the officer answers for, once it is referred to a hearing (None before)."""
    if not case.events.filter(action=CaseAction.REFER).exists():
        return None
    return finding_of(case)


def finding_of(case: Case) -> Charge:
    """What caused the case, from its source: the survey answer's element scores and comment,
    the complaint's text, or the reason a case opened by hand was given. Never the customer."""
    response = case.survey_response
    if response is not None:
        record = response.service_record
        flagged = {c.strip() for c in (response.flagged_elements or "").split(",") if c.strip()}
        scores = []
        for code in ELEMENT_NAMES:
            value = getattr(response, code.lower())
            label = ANSWER_LABELS[code][value - 1] if value else ""
            scores.append(Score(code, str(ELEMENT_NAMES[code]), value, code in flagged, label))
        return Charge(
            service=str(response.service_type) if response.service_type_id else "",
            served_at=record.served_at if record else response.submitted_at,
            scores=scores,
            comment=response.comment,
        )
    complaint = case.complaint
    if complaint is not None:
        return Charge(
            service=str(complaint.service_type) if complaint.service_type_id else "",
            served_at=complaint.received_at,
            complaint_text=complaint.text,
        )
    return Charge(service="", served_at=None, comment=case.reason)


def recent_sanctions(case: Case) -> QuerySet[Decree]:
    """The officer's decrees of the last 12 months in the unit, other than this case's."""
    since = timezone.now() - datetime.timedelta(days=RECORD_DAYS)
    return (
        Decree.objects.filter(unit=case.unit, case__officer=case.officer, issued_at__gte=since)
        .exclude(case=case)
        .select_related("sanction")
        .order_by("-issued_at")
    )
