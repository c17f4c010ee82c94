"""The case workflow. Opening a case is the entry point the survey and complaint domains use."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from complaints.models import Complaint
from surveys.models import SurveyResponse
from units.models import Unit, User

from .models import Case, CaseEvent, CaseState, SourceKind


@transaction.atomic
def open_case(
    unit: Unit,
    *,
    actor: User | None,
    officer: User,
    survey_response: SurveyResponse | None = None,
    complaint: Complaint | None = None,
    reason: str = "",
) -> Case:
    """Open a case in `review` about `officer`; `actor` None means the system (a flagged rating)."""
    if survey_response is not None:
        kind = SourceKind.SURVEY
    elif complaint is not None:
        kind = SourceKind.COMPLAINT
    else:
        kind = SourceKind.MANUAL
    now = timezone.now()
    case = Case.objects.create(
        unit=unit,
        officer=officer,
        state=CaseState.REVIEW,
        source_kind=kind,
        survey_response=survey_response,
        complaint=complaint,
        reason=reason,
        opened_at=now,
        opened_by=actor,
    )
    CaseEvent.objects.create(
        case=case,
        action="open",
        actor=actor,
        at=now,
        from_state="",
        to_state=CaseState.REVIEW,
        data={"source": kind, "reason": reason},
    )
    return case
