"""Intake: how a flagged survey response or a complaint becomes a case (DESIGN §3, §5).

The domains below (surveys, complaints) never import this app; the way from them into a case
runs only through here:

- the daily check (the standard's steps A → B → C): the back office or coordinator refers
  flagged responses into cases, one or several at once, or records why one is not referred.
  A response naming an officer without a receipt behind it is *unverified* and is referred only
  with a note;
- complaint triage: a case about an officer, an improvement item, or a direct answer.

Each is one transaction; the cases themselves are opened by `workflow.open_cases`, which
checks the actor and the officer named.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import services as complaint_services
from complaints.models import Complaint, TriageOutcome
from pulih.lib.errors import ActionForbidden, InvalidInput, StateConflict
from surveys.models import FlagReview, ImprovementItem, ReviewOutcome, SurveyResponse
from units.access import has_role
from units.models import User

from .models import Case
from .workflow import OPENING, Opening, open_case, open_cases
from .workflow import now as workflow_now

MAX_NOTE = 5000


def case_reason(codes: Iterable[str], note: str = "") -> str:
    """The reason a case opened from a survey response carries: the elements rated poorly and
    the referrer's note."""
    reason = _("Survey rating kurang/sangat kurang on %(elements)s") % {
        "elements": ", ".join(codes)
    }
    return f"{reason}. {note}" if note else reason


def officer_elements_poor(response: SurveyResponse) -> list[str]:
    """The flagged elements of `response` that its unit holds the officer answerable for."""
    mine = set(response.unit.officer_elements)
    return [c for c in response.flagged_elements.split(",") if c and c in mine]


def _check_referrer(actor: User, unit) -> None:
    if not has_role(actor, unit, *OPENING.roles):
        raise ActionForbidden(_("Only the back office or the coordinator refers responses."))


def _note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise InvalidInput(
            _("Please correct the fields shown."),
            fields={"note": [_("Keep the note under %(n)d characters.") % {"n": MAX_NOTE}]},
        )
    return note


def _not_decided(responses: Sequence[SurveyResponse]) -> None:
    """409 when any of `responses` was already referred (a case) or declined."""
    ids = [r.pk for r in responses]
    if (
        FlagReview.objects.filter(response_id__in=ids).exists()
        or Case.objects.filter(survey_response_id__in=ids).exists()
    ):
        raise StateConflict(_("A response selected has already been referred or declined."))


@transaction.atomic
def refer_flagged_responses(
    responses: Iterable[SurveyResponse],
    *,
    actor: User,
    note: str = "",
    officer: User | None = None,
) -> list[Case]:
    """Refer flagged responses into cases (one case each, in review), all or none.

    Each case is about the response's officer, or `officer` for a response that names none.
    A response must be flagged on an element the officer answers for, and not yet referred or
    declined (409). An unverified response (an officer named without a receipt) needs `note`.
    """
    responses = list(responses)
    if not responses:
        raise InvalidInput(
            _("Choose at least one response."),
            fields={"responses": [_("Choose at least one response.")]},
        )
    unit = responses[0].unit
    _check_referrer(actor, unit)
    note = _note(note)
    errors: dict[str, list[str]] = {}
    openings = []
    for response in responses:
        if response.unit_id != unit.pk:
            errors.setdefault("responses", []).append(
                _("Response #%(id)s belongs to another unit.") % {"id": response.pk}
            )
            continue
        codes = officer_elements_poor(response)
        if not response.flagged or not codes:
            errors.setdefault("responses", []).append(
                _("Response #%(id)s is not flagged for the officer.") % {"id": response.pk}
            )
            continue
        if response.unverified and not note:
            errors.setdefault("note", []).append(
                _(
                    "Response #%(id)s is unverified (no receipt): say why it is referred "
                    "all the same."
                )
                % {"id": response.pk}
            )
        about = response.officer or officer
        if about is None:
            errors.setdefault("officer", []).append(
                _("Response #%(id)s names no officer: choose the officer it is about.")
                % {"id": response.pk}
            )
            continue
        openings.append(Opening(about, survey_response=response, reason=case_reason(codes, note)))
    if errors:
        raise InvalidInput(_("Please correct the fields shown."), fields=errors)
    _not_decided(responses)
    _decide(responses, ReviewOutcome.REFERRED, actor=actor, note=note)
    return open_cases(unit, openings, actor=actor)


@transaction.atomic
def decline_flagged_response(response: SurveyResponse, *, actor: User, reason: str) -> FlagReview:
    """Record on a flagged response why it is not referred into a case (the daily check's
    "no" of step B). 409 when it was already referred or declined."""
    _check_referrer(actor, response.unit)
    reason = _note(reason)
    if not reason:
        raise InvalidInput(
            _("Please correct the fields shown."),
            fields={"reason": [_("Say why the response is not referred.")]},
        )
    if not response.flagged:
        raise InvalidInput(
            _("Please correct the fields shown."),
            fields={"response": [_("This response is not flagged.")]},
        )
    _not_decided([response])
    return _decide([response], ReviewOutcome.NOT_REFERRED, actor=actor, note=reason)[0]


def _decide(
    responses: Sequence[SurveyResponse], outcome: str, *, actor: User, note: str
) -> list[FlagReview]:
    """One decision per response: the unique response key makes a second, concurrent decision
    on the same response fail (409) rather than open a second case."""
    at = workflow_now()
    reviews = [
        FlagReview(response=r, outcome=outcome, note=note, decided_by=actor, decided_at=at)
        for r in responses
    ]
    try:
        with transaction.atomic():
            return FlagReview.objects.bulk_create(reviews)
    except IntegrityError as exc:
        raise StateConflict(
            _("A response selected has already been referred or declined.")
        ) from exc


@transaction.atomic
def triage_complaint(
    complaint: Complaint,
    *,
    actor: User,
    outcome: str,
    officer: User | None = None,
    note: str = "",
) -> Complaint:
    """The coordinator decides what a complaint is about, and what follows in one transaction:

    about an officer's conduct, a case about that officer linked to the complaint; about service
    or facilities, an improvement item; otherwise it is answered directly.
    """
    locked = complaint_services.lock_for_triage(
        complaint, actor=actor, outcome=outcome, officer=officer, note=note
    )
    note = (note or "").strip()
    follow_up: dict = {}
    if outcome == TriageOutcome.CASE:
        case = open_case(
            locked.unit,
            actor=actor,
            officer=officer,
            complaint=locked,
            reason=note or locked.text,
        )
        follow_up = {"officer": officer.username, "case": case.pk}
    elif outcome == TriageOutcome.IMPROVEMENT:
        item = ImprovementItem.objects.create(
            unit=locked.unit, complaint=locked, description=note, created_at=timezone.now()
        )
        follow_up = {"improvement_item": item.pk}
    complaint_services.record_triage(
        locked, actor=actor, outcome=outcome, officer=officer, note=note, follow_up=follow_up
    )
    complaint.refresh_from_db()
    return complaint
