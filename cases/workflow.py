"""The case workflow of DESIGN §5: one table, one path that applies it, one function per action.

Every action function locks the case row, checks the actor against the table and the
segregation rules (cases.rules), validates its payload, writes its records, moves the state and
appends the event — all in one transaction, with the outbox rows of the mail it causes; the
mail goes out (notifications.services) only once that transaction commits.
The web views and the API call these functions and nothing else.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.models import Complaint
from pulih.lib.bounds import MAX_RUPIAH
from pulih.lib.errors import ActionForbidden, InvalidInput, StateConflict
from surveys.models import SurveyResponse
from units.access import has_role, roles_in
from units.models import (
    CompensationBudget,
    CompensationKind,
    Membership,
    Role,
    SanctionKind,
    Severity,
    Unit,
    User,
    most_severe,
)
from units.models import Violation as ViolationKind

from . import deadlines, issuing, notify, tally
from .attachments import store_attachments
from .budget import budget_status
from .models import (
    AttachmentPurpose,
    Case,
    CaseAction,
    CaseEvent,
    CaseState,
    Compensation,
    Decree,
    DecreeSequence,
    Delivery,
    Hearing,
    Objection,
    Proposal,
    SourceKind,
    Verification,
    days_between,
)
from .rules import segregation_for

S, A = CaseState, CaseAction
BACK_OFFICE, OFFICER, COORDINATOR = Role.BACK_OFFICE, Role.OFFICER, Role.COORDINATOR
PERSON_IN_CHARGE, HEAD = Role.PERSON_IN_CHARGE, Role.HEAD

# Outcomes of the two actions that branch.
APPROVE, RETURN = "approve", "return"
ISSUE, NO_DECREE = "issue", "no_decree"


@dataclass(frozen=True)
class Step:
    roles: frozenset[str]
    to: str | Mapping[str, str]  # the next state, or each outcome's next state

    def next_state(self, outcome: str | None = None) -> str:
        return self.to if isinstance(self.to, str) else self.to[outcome]


def step(roles: Iterable[str], to: str | Mapping[str, str]) -> Step:
    return Step(frozenset(roles), to)


# Whoever the unit names (Unit.objection_decider, the head by default) decides an objection.
OBJECTION_DECIDERS = frozenset({HEAD, PERSON_IN_CHARGE, Role.SUPERVISOR})

# state → action → (roles allowed, next state). Segregation of duties is in cases.rules.
OPENING = step({BACK_OFFICE, COORDINATOR}, S.REVIEW)
OPEN_BATCH = 1000  # cases (and their events) per INSERT when opening many
WORKFLOW: dict[str, dict[str, Step]] = {
    S.REVIEW: {
        A.REFER: step({BACK_OFFICE, COORDINATOR}, S.HEARING),
        A.DISMISS: step({BACK_OFFICE, COORDINATOR}, S.DISMISSED),
    },
    S.HEARING: {
        A.SUMMON: step({COORDINATOR}, S.HEARING),
        A.HEARING: step({COORDINATOR}, S.HEARING),
        A.DEFENCE: step({OFFICER}, S.HEARING),  # only the officer of the case (cases.rules)
        A.PROPOSE: step({COORDINATOR}, S.VERIFICATION),
    },
    S.VERIFICATION: {
        A.VERIFY: step({PERSON_IN_CHARGE}, {APPROVE: S.DECISION, RETURN: S.HEARING}),
    },
    S.DECISION: {
        A.DECIDE: step({HEAD}, {ISSUE: S.COMPENSATION, NO_DECREE: S.REVIEW}),
    },
    S.COMPENSATION: {
        A.COMPENSATE: step({COORDINATOR}, S.DELIVERY),
        A.OBJECT: step({OFFICER}, S.COMPENSATION),
        A.RULE_OBJECTION: step(OBJECTION_DECIDERS, S.COMPENSATION),
    },
    S.DELIVERY: {
        A.DELIVER: step({COORDINATOR}, S.CLOSED),
        A.OBJECT: step({OFFICER}, S.DELIVERY),
        A.RULE_OBJECTION: step(OBJECTION_DECIDERS, S.DELIVERY),
    },
    S.CLOSED: {
        A.OBJECT: step({OFFICER}, S.CLOSED),
        A.RULE_OBJECTION: step(OBJECTION_DECIDERS, S.CLOSED),
    },
    S.DISMISSED: {},
}

# Actions that only add to the record of the current state; they owe nothing to anybody. The
# objection is one: a side track beside the compensation, which it never holds up.
SIDE_ACTIONS = frozenset({A.SUMMON, A.HEARING, A.DEFENCE, A.OBJECT, A.RULE_OBJECTION})

# The objection's side track: each of its actions open only at its moment (409 otherwise).
SIDE_TRACK: dict[str, tuple[Callable[[Case], bool], Promise]] = {
    A.OBJECT: (
        lambda case: (
            Decree.objects.filter(case=case).exists()
            and not Objection.objects.filter(case=case).exists()
        ),
        gettext_lazy("There is no decree to object to, or an objection was already lodged."),
    ),
    A.RULE_OBJECTION: (
        lambda case: Objection.objects.filter(case=case, decided_at__isnull=True).exists(),
        gettext_lazy("There is no objection awaiting a decision."),
    ),
}

STATE_DESCRIPTIONS = {
    S.REVIEW: gettext_lazy(
        "The finding is being reviewed: refer it to a hearing if the officer is answerable, "
        "or dismiss it with a reason."
    ),
    S.HEARING: gettext_lazy(
        "The officer is summoned for an explanation and defence; once the hearing is recorded "
        "(or the officer missed the unit's number of summonses) the coordinator proposes a "
        "sanction."
    ),
    S.VERIFICATION: gettext_lazy("The person in charge verifies the coordinator's proposal."),
    S.DECISION: gettext_lazy("The head decides whether to issue the sanction decree."),
    S.COMPENSATION: gettext_lazy(
        "The decree is issued; the coordinator determines the compensation for the customer."
    ),
    S.DELIVERY: gettext_lazy("The compensation is being delivered to the customer."),
    S.CLOSED: gettext_lazy("Closed: the compensation was delivered to the customer."),
    S.DISMISSED: gettext_lazy("Dismissed: no sanction process was needed."),
}


def roles_for(action: str) -> frozenset[str]:
    """Every role the table lets take `action`, in any state."""
    if action == A.OPEN:
        return OPENING.roles
    return frozenset().union(*(s[action].roles for s in WORKFLOW.values() if action in s))


def owner_roles(state: str) -> frozenset[str]:
    """The roles that owe the next step of a case in `state`."""
    moves = [s for a, s in WORKFLOW[state].items() if a not in SIDE_ACTIONS]
    return frozenset().union(*(s.roles for s in moves))


def check_action(case: Case, action: str, actor: User) -> Step:
    """The table's step for `action` if `actor` may take it on `case` now; raises otherwise.

    Role first (403), then state (409), then the segregation of duties (403).
    """
    if action not in CaseAction.values or action == A.OPEN:
        raise InvalidInput(_("Unknown action."), fields={"action": [_("Unknown action.")]})
    roles = roles_in(actor, case.unit)
    if not roles & roles_for(action):
        raise ActionForbidden(_("Your role may not take this action."))
    move = WORKFLOW[case.state].get(action)
    if move is None:
        raise StateConflict(
            _("A case in state “%(state)s” does not allow this action.")
            % {"state": case.get_state_display()}
        )
    if not roles & move.roles:
        raise ActionForbidden(_("Your role may not take this action."))
    if action in SIDE_TRACK and not SIDE_TRACK[action][0](case):
        raise StateConflict(str(SIDE_TRACK[action][1]))
    if not segregation_for(action).test(actor, case):
        if action == A.VERIFY and case.officer_id != actor.pk:
            raise ActionForbidden(_("Whoever proposed the sanction may not also verify it."))
        if action == A.DECIDE and case.officer_id != actor.pk:
            raise ActionForbidden(
                _("Whoever proposed or verified the sanction may not also decide on it.")
            )
        if action == A.DEFENCE:
            raise ActionForbidden(_("Only the officer of the case submits their defence."))
        if action == A.OBJECT:
            raise ActionForbidden(_("Only the officer of the case lodges an objection."))
        if action == A.RULE_OBJECTION and case.officer_id != actor.pk:
            raise ActionForbidden(
                _("The unit names %(role)s to decide objections.")
                % {"role": Role(case.unit.objection_decider).label}
            )
        raise ActionForbidden(_("Nobody acts on a case about themselves."))
    return move


def may_take(case: Case, action: str, user: User) -> bool:
    try:
        check_action(case, action, user)
    except (ActionForbidden, StateConflict):
        return False
    return True


def available_actions(case: Case, user: User) -> list[str]:
    """The actions `user` may take on `case` now, in the table's order."""
    return [a for a in WORKFLOW[case.state] if may_take(case, a, user)]


# The workflow's clock. Only the demo data moves it (to build a past); everything else is now.
_clock: contextvars.ContextVar[datetime.datetime | None] = contextvars.ContextVar(
    "cases_clock", default=None
)


def now() -> datetime.datetime:
    return _clock.get() or timezone.now()


@contextlib.contextmanager
def acting_at(moment: datetime.datetime) -> Iterator[None]:
    token = _clock.set(moment)
    try:
        yield
    finally:
        _clock.reset(token)


def _begin(case: Case, action: str, actor: User) -> tuple[Case, Step]:
    """Lock the case row (two people acting at once: the second waits, then sees the new state)
    and check the move against the table."""
    rows = Case.objects.select_for_update(of=("self",)).select_related("unit", "officer")
    locked = rows.get(pk=case.pk)
    return locked, check_action(locked, action, actor)


def _advance(
    case: Case, action: str, *, actor: User | None, to_state: str, data: dict, original: Case
) -> CaseEvent:
    """Append the event, move the state and refresh the running deadline."""
    event = CaseEvent.objects.create(
        case=case,
        action=action,
        actor=actor,
        at=now(),
        from_state=case.state,
        to_state=to_state,
        data=data,
    )
    case.state = to_state
    case.due_rule, case.due_at = deadlines.running(case)
    case.save(update_fields=["state", "due_rule", "due_at"])
    tally.moved(case, event.from_state, to_state)
    for field in ("state", "due_rule", "due_at"):
        setattr(original, field, getattr(case, field))
    if to_state != event.from_state:
        # An outbox row, in this transaction: sent after the commit, never lost or doubled.
        notify.next_step(
            case, actor, owners=owner_roles(to_state), description=STATE_DESCRIPTIONS[to_state]
        )
    return event


class _Errors:
    """Collects field errors and raises them together as one InvalidInput (400)."""

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, []).append(str(message))

    def required(self, field: str, value: str) -> str:
        value = (value or "").strip()
        if not value:
            self.add(field, _("This field is required."))
        return value

    def yes_no(self, field: str, value: object, message: str) -> None:
        """A choice of two that must have been made: `value` is a bool."""
        if not isinstance(value, bool):
            self.add(field, message)

    def reason(self, field: str, value: str, *, needed: bool, message: str) -> str:
        """Free text, stripped; `message` when it is `needed` (the answer was "no") and empty."""
        value = (value or "").strip()
        if needed and not value:
            self.add(field, message)
        return value

    def raise_any(self) -> None:
        if self.fields:
            raise InvalidInput(_("Please correct the fields shown."), fields=self.fields)


def _catalogue(model, unit: Unit, codes: Iterable[str], field: str, errors: _Errors) -> list:
    """Active entries of the unit's catalogue `model` named by `codes`, in the given order."""
    codes = [str(c) for c in codes]
    found = {e.code: e for e in model.objects.filter(unit=unit, active=True, code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        errors.add(field, _("Unknown code: %(codes)s") % {"codes": ", ".join(unknown)})
    return [found[c] for c in dict.fromkeys(codes) if c in found]


def _aware(value, field: str, errors: _Errors) -> datetime.datetime | None:
    if not isinstance(value, datetime.datetime):
        errors.add(field, _("Enter a date and time."))
        return None
    if timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


# ---------------------------------------------------------------------------------------------
# Opening


@dataclass(frozen=True)
class Opening:
    """One case to open with `open_cases`: about `officer`, from a survey response, a
    complaint or neither (a manual opening, which needs a reason)."""

    officer: User
    survey_response: SurveyResponse | None = None
    complaint: Complaint | None = None
    reason: str = ""


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
    opening = Opening(officer, survey_response, complaint, reason)
    return open_cases(unit, [opening], actor=actor)[0]


@transaction.atomic
def open_cases(unit: Unit, openings: Sequence[Opening], *, actor: User | None) -> list[Case]:
    """Open one case in `review` per opening, with its opening event, all or none.

    The one way cases are opened: `open_case` opens one, the import opens a batch (a constant
    number of queries however many). Each opening is checked as `open_case` checks it; any
    failure raises (ActionForbidden or InvalidInput) and nothing is written.
    """
    openings = list(openings)
    if not openings:
        return []
    if actor is not None:
        if not has_role(actor, unit, *OPENING.roles):
            raise ActionForbidden(_("Your role may not open a case."))
        if any(actor.pk == o.officer.pk for o in openings):
            raise ActionForbidden(_("Nobody acts on a case about themselves."))
    errors = _Errors()
    officer_ids = {o.officer.pk for o in openings}
    # Only an officer of the unit can be the officer of a case: checked here, for every door
    # (the forms, the API, the daily check's referral and complaint triage).
    officers = set(
        Membership.objects.filter(
            unit=unit, role=Role.OFFICER, user_id__in=officer_ids
        ).values_list("user_id", flat=True)
    )
    at = now()
    cases, events = [], []
    for opening in openings:
        reason = opening.reason
        if opening.officer.pk not in officers:
            errors.add("officer", _("This person is not an officer of the unit."))
        if opening.survey_response is not None:
            kind = SourceKind.SURVEY
            if opening.survey_response.unit_id != unit.pk:
                errors.add("survey_response", _("The response belongs to another unit."))
        elif opening.complaint is not None:
            kind = SourceKind.COMPLAINT
            if opening.complaint.unit_id != unit.pk:
                errors.add("complaint", _("The complaint belongs to another unit."))
        else:
            kind = SourceKind.MANUAL
            reason = errors.required("reason", reason)
        cases.append(
            Case(
                unit=unit,
                officer=opening.officer,
                state=CaseState.REVIEW,
                source_kind=kind,
                survey_response=opening.survey_response,
                complaint=opening.complaint,
                reason=reason,
                opened_at=at,
                opened_by=actor,
            )
        )
        events.append({"source": kind, "reason": reason})
    errors.raise_any()
    if len(cases) == 1:
        cases[0].save()  # save() rather than a one-row bulk insert: the same as ever for one
    else:
        Case.objects.bulk_create(cases, batch_size=OPEN_BATCH)
        if any(case.pk is None for case in cases):  # a database that cannot return the ids
            raise RuntimeError("bulk_create returned no ids for the opened cases")
    tally.opened(unit, cases)
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(
                case=case,
                action=CaseAction.OPEN,
                actor=actor,
                at=at,
                from_state="",
                to_state=CaseState.REVIEW,
                data=data,
            )
            for case, data in zip(cases, events, strict=True)
        ],
        batch_size=OPEN_BATCH,
    )
    return cases


# ---------------------------------------------------------------------------------------------
# The actions of the table


@transaction.atomic
def refer_case(case: Case, *, actor: User, note: str = "") -> Case:
    """Review → hearing: the finding is attributable to the officer."""
    locked, move = _begin(case, A.REFER, actor)
    data = {"note": (note or "").strip()}
    _advance(locked, A.REFER, actor=actor, to_state=move.next_state(), data=data, original=case)
    notify.referral(locked)  # an outbox row, in this transaction
    return locked


@transaction.atomic
def dismiss_case(case: Case, *, actor: User, reason: str) -> Case:
    """Review → dismissed, with the reason written down."""
    locked, move = _begin(case, A.DISMISS, actor)
    errors = _Errors()
    reason = errors.required("reason", reason)
    errors.raise_any()
    data = {"reason": reason}
    _advance(locked, A.DISMISS, actor=actor, to_state=move.next_state(), data=data, original=case)
    return locked


@transaction.atomic
def summon_officer(
    case: Case, *, actor: User, scheduled_at: datetime.datetime, place: str
) -> Hearing:
    """Summon the officer for an explanation: a new hearing with its date and place."""
    locked, move = _begin(case, A.SUMMON, actor)
    errors = _Errors()
    when = _aware(scheduled_at, "scheduled_at", errors)
    place = errors.required("place", place)
    if when is not None and when <= now():
        errors.add("scheduled_at", _("A summons is for a date and time in the future."))
    errors.raise_any()
    # A written defence sent before any summons opened a hearing without one: summon to it.
    hearing = locked.hearings.filter(recorded_at__isnull=True, scheduled_at__isnull=True).first()
    if hearing is None:
        hearing = Hearing(case=locked)
    hearing.scheduled_at, hearing.place = when, place
    hearing.summoned_by, hearing.summoned_at = actor, now()
    hearing.save()
    issuing.issue_summons(hearing, actor=actor)
    ordinal = locked.hearings.filter(scheduled_at__isnull=False).count()
    data = {"scheduled_at": when.isoformat(), "place": place, "summons": ordinal}
    _advance(locked, A.SUMMON, actor=actor, to_state=move.next_state(), data=data, original=case)
    notify.summons(locked, hearing)
    return hearing


def _open_hearing(case: Case) -> Hearing:
    """The hearing being prepared (summoned, not yet recorded), or a new one."""
    hearing = case.hearings.filter(recorded_at__isnull=True).order_by("-pk").first()
    return hearing or Hearing.objects.create(case=case)


@dataclass(frozen=True)
class DueProcess:
    """Where a case stands against the hearing a proposal needs (PP 94/2021 Pasal 27–29)."""

    heard: bool  # a hearing the officer attended is recorded
    absences: int  # recorded summonses the officer missed
    needed: int  # the unit's number of missed summonses after which the evidence suffices
    pending: Hearing | None  # the summons awaiting its outcome

    @property
    def on_evidence(self) -> bool:
        return not self.heard and self.absences >= self.needed

    @property
    def ready(self) -> bool:
        return self.heard or self.on_evidence

    def message(self) -> str:
        if self.heard:
            return _("The hearing is recorded: a sanction may be proposed.")
        if self.on_evidence:
            return _(
                "The officer missed %(n)s summonses: a sanction may be proposed on the "
                "evidence, and the record says so."
            ) % {"n": self.absences}
        return _(
            "No sanction may be proposed yet: summon the officer and record the hearing "
            "(missed summonses so far: %(absences)s of %(needed)s after which the evidence "
            "suffices)."
        ) % {"absences": self.absences, "needed": self.needed}


def due_process(case: Case) -> DueProcess:
    rows = list(case.hearings.filter(scheduled_at__isnull=False).order_by("pk"))
    return DueProcess(
        heard=any(h.recorded_at and h.attended for h in rows),
        absences=sum(1 for h in rows if h.recorded_at and h.attended is False),
        needed=case.unit.summonses_before_evidence,
        pending=next((h for h in reversed(rows) if h.recorded_at is None), None),
    )


@transaction.atomic
def record_hearing(
    case: Case,
    *,
    actor: User,
    attended: bool = True,
    held_at: datetime.datetime | None = None,
    explanation: str = "",
    defence: str = "",
    attachments: Iterable = (),
) -> Hearing:
    """Record the outcome of the pending summons: what the officer explained and their defence,
    or that they did not attend (then the coordinator summons them again)."""
    locked, move = _begin(case, A.HEARING, actor)
    hearing = due_process(locked).pending
    if hearing is None:
        raise StateConflict(_("Summon the officer first: a hearing is recorded against a summons."))
    errors = _Errors()
    errors.yes_no("attended", attended, _("Say whether the officer attended."))
    at = now()
    when = at if held_at is None else _aware(held_at, "held_at", errors)
    if attended is True:
        explanation = errors.required("explanation", explanation)
    else:
        explanation = (explanation or "").strip()
    if when is not None and when < hearing.scheduled_at:
        local = timezone.localtime(hearing.scheduled_at, locked.unit.zone)
        errors.add(
            "held_at",
            _("The hearing cannot be dated before its summons (%(when)s).")
            % {"when": local.strftime("%d-%m-%Y %H:%M")},
        )
    if when is not None and when > at + datetime.timedelta(minutes=5):
        errors.add("held_at", _("The hearing cannot be dated in the future."))
    errors.raise_any()
    hearing.attended = attended
    hearing.held_at = when
    hearing.explanation = explanation
    hearing.defence = (defence or "").strip() if attended else ""
    hearing.recorded_by = actor
    hearing.recorded_at = at
    hearing.save()
    files = store_attachments(
        locked, attachments, actor=actor, purpose=AttachmentPurpose.HEARING, hearing=hearing
    )
    issuing.issue_hearing_record(hearing, actor=actor)
    data = {
        "attended": attended,
        "held_at": when.isoformat(),
        "explanation": explanation,
        "defence": hearing.defence,
        "attachments": [f.original_name for f in files],
    }
    _advance(locked, A.HEARING, actor=actor, to_state=move.next_state(), data=data, original=case)
    return hearing


@transaction.atomic
def submit_defence(case: Case, *, actor: User, defence: str, attachments: Iterable = ()) -> Hearing:
    """The officer of the case writes their own defence while the case is in hearing."""
    locked, move = _begin(case, A.DEFENCE, actor)
    errors = _Errors()
    defence = errors.required("defence", defence)
    errors.raise_any()
    hearing = _open_hearing(locked)
    hearing.written_defence = defence
    hearing.written_defence_at = now()
    hearing.save(update_fields=["written_defence", "written_defence_at"])
    files = store_attachments(
        locked, attachments, actor=actor, purpose=AttachmentPurpose.DEFENCE, hearing=hearing
    )
    data = {"defence": defence, "attachments": [f.original_name for f in files]}
    _advance(locked, A.DEFENCE, actor=actor, to_state=move.next_state(), data=data, original=case)
    return hearing


@transaction.atomic
def propose_sanction(
    case: Case,
    *,
    actor: User,
    violations: Iterable[str],
    sanction: str,
    reasoning: str,
    justification: str = "",
) -> Proposal:
    """Hearing → verification: the violations found and the sanction proposed.

    Needs due process (a recorded hearing, or the unit's number of missed summonses: 409
    otherwise) and a sanction of the most severe violation's level, or a written justification.
    """
    locked, move = _begin(case, A.PROPOSE, actor)
    process = due_process(locked)
    if not process.ready:
        raise StateConflict(process.message())
    errors = _Errors()
    found = _catalogue(ViolationKind, locked.unit, violations or [], "violations", errors)
    if not violations:
        errors.add("violations", _("Name at least one violation."))
    kinds = _catalogue(
        SanctionKind, locked.unit, [sanction] if sanction else [], "sanction", errors
    )
    if not sanction:
        errors.add("sanction", _("This field is required."))
    reasoning = errors.required("reasoning", reasoning)
    justification = (justification or "").strip()
    severity = most_severe(v.severity for v in found)
    if kinds and severity and kinds[0].level != severity and not justification:
        errors.add(
            "justification",
            _(
                "The sanction is of level “%(level)s” but the most severe violation found is "
                "“%(severity)s”: choose a sanction of that level or justify the difference here."
            )
            % {
                "level": Severity(kinds[0].level).label,
                "severity": Severity(severity).label,
            },
        )
    errors.raise_any()
    proposal = Proposal.objects.create(
        case=locked,
        sanction=kinds[0],
        reasoning=reasoning,
        justification=justification,
        on_evidence=process.on_evidence,
        proposed_by=actor,
        proposed_at=now(),
    )
    proposal.violations.set(found)
    data = {
        "violations": [v.code for v in found],
        "sanction": kinds[0].code,
        "reasoning": reasoning,
        "justification": justification,
        "on_evidence": process.on_evidence,
    }
    _advance(locked, A.PROPOSE, actor=actor, to_state=move.next_state(), data=data, original=case)
    return proposal


@transaction.atomic
def verify_proposal(case: Case, *, actor: User, approved: bool, note: str = "") -> Verification:
    """Verification → decision (approved) or back to hearing (returned with notes)."""
    locked, move = _begin(case, A.VERIFY, actor)
    errors = _Errors()
    errors.yes_no("approved", approved, _("Choose approve or return."))
    note = errors.reason(
        "note", note, needed=approved is False, message=_("Say what the coordinator should change.")
    )
    errors.raise_any()
    verification = Verification.objects.create(
        case=locked,
        proposal=locked.latest("proposals"),
        approved=approved,
        note=note,
        verified_by=actor,
        verified_at=now(),
    )
    to_state = move.next_state(APPROVE if approved else RETURN)
    data = {"approved": approved, "note": note}
    _advance(locked, A.VERIFY, actor=actor, to_state=to_state, data=data, original=case)
    return verification


def _take_decree_number(unit: Unit, year: int) -> tuple[int, str]:
    """The next number of the unit's year. The sequence row stays locked until the decree's
    transaction ends, so concurrent decrees queue: no gaps, no duplicates."""
    sequence, _created = DecreeSequence.objects.select_for_update().get_or_create(
        unit=unit, year=year
    )
    sequence.last += 1
    sequence.save(update_fields=["last"])
    try:
        number = unit.decree_number_pattern.format(seq=sequence.last, year=year)
    except (KeyError, IndexError, ValueError) as exc:
        raise InvalidInput(
            _("The unit's decree number pattern is invalid."),
            fields={"issue_decree": [_("The unit's decree number pattern is invalid.")]},
        ) from exc
    return sequence.last, number


@transaction.atomic
def decide_decree(
    case: Case, *, actor: User, issue_decree: bool, reason: str = ""
) -> Decree | None:
    """Decision → compensation with a numbered decree, or back to review without one."""
    locked, move = _begin(case, A.DECIDE, actor)
    errors = _Errors()
    errors.yes_no("issue_decree", issue_decree, _("Choose whether to issue the decree."))
    reason = errors.reason(
        "reason",
        reason,
        needed=issue_decree is False,
        message=_("Give the reason for not issuing a decree."),
    )
    errors.raise_any()
    if not issue_decree:
        data = {"issue_decree": False, "reason": reason}
        to_state = move.next_state(NO_DECREE)
        _advance(locked, A.DECIDE, actor=actor, to_state=to_state, data=data, original=case)
        notify.decision(locked, None)  # an outbox row, in this transaction
        return None
    at = now()
    today = locked.unit.local_date(at)
    proposal = locked.latest("proposals")
    sequence, number = _take_decree_number(locked.unit, today.year)
    try:
        with transaction.atomic():
            decree = Decree.objects.create(
                case=locked,
                unit=locked.unit,
                proposal=proposal,
                year=today.year,
                sequence=sequence,
                number=number,
                date=today,
                sanction=proposal.sanction,
                signer=actor,
                signer_name=actor.display_name,
                signer_nip=actor.nip,
                signer_title=locked.unit.head_title,
                issued_at=at,
                due_at=locked.due_at,
            )
    except IntegrityError as exc:  # a pattern without {seq} repeats numbers
        message = _("The unit's decree number pattern does not give a new number.")
        raise InvalidInput(message, fields={"issue_decree": [message]}) from exc
    issuing.issue_decree(decree, actor=actor)
    tally.decree_issued(decree, proposal.violations.values_list("pk", flat=True))
    data = {
        "issue_decree": True,
        "number": number,
        "date": today.isoformat(),
        "sanction": proposal.sanction.code,
    }
    _advance(
        locked, A.DECIDE, actor=actor, to_state=move.next_state(ISSUE), data=data, original=case
    )
    notify.decision(locked, decree)  # an outbox row, in this transaction
    return decree


@transaction.atomic
def decide_compensation(
    case: Case,
    *,
    actor: User,
    compensations: Iterable[str],
    cost: int,
    note: str = "",
    confirm_over_budget: bool = False,
) -> Compensation:
    """Compensation → delivery: what the customer receives and its cost against the budget.

    A cost beyond what remains of the year's budget needs `confirm_over_budget`; the
    compensation is then flagged for the head.
    """
    locked, move = _begin(case, A.COMPENSATE, actor)
    errors = _Errors()
    kinds = _catalogue(CompensationKind, locked.unit, compensations or [], "compensations", errors)
    if not compensations:
        errors.add("compensations", _("Choose at least one kind of compensation."))
    if isinstance(cost, bool) or not isinstance(cost, int) or cost < 0:
        errors.add("cost", _("Enter the cost in whole rupiah, zero or more."))
    elif cost > MAX_RUPIAH:
        errors.add(
            "cost",
            _("Enter an amount between 0 and %(max)s rupiah.") % {"max": _rupiah(MAX_RUPIAH)},
        )
    errors.raise_any()
    at = now()
    year = timezone.localtime(at, locked.unit.zone).year
    # Lock the year's budget: two compensations decided at once must not both fit in its rest.
    list(CompensationBudget.objects.select_for_update().filter(unit=locked.unit, year=year))
    budget = budget_status(locked.unit, year)
    over_budget = cost > 0 and cost > budget.remaining
    if over_budget and not confirm_over_budget:
        errors.add(
            "confirm_over_budget",
            _(
                "The cost of Rp %(cost)s exceeds the Rp %(remaining)s left in the %(year)s "
                "compensation budget; confirm to go over budget."
            )
            % {"cost": _rupiah(cost), "remaining": _rupiah(budget.remaining), "year": year},
        )
        errors.raise_any()
    customer_name, contact = locked.customer
    compensation = Compensation.objects.create(
        case=locked,
        unit=locked.unit,
        cost=cost,
        budget_year=year,
        over_budget=over_budget,
        note=(note or "").strip(),
        decided_by=actor,
        decided_at=at,
        notify_channel=notify.channel_for(contact),
    )
    compensation.kinds.set(kinds)
    tally.compensation_decided(compensation)
    issuing.issue_apology(compensation, actor=actor)
    data = {
        "compensations": [k.code for k in kinds],
        "cost": cost,
        "note": compensation.note,
        "over_budget": over_budget,
        "customer_told_by": compensation.notify_channel,
    }
    to_state = move.next_state()
    _advance(locked, A.COMPENSATE, actor=actor, to_state=to_state, data=data, original=case)
    notify.customer(locked, compensation)
    return compensation


def _rupiah(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


@transaction.atomic
def deliver_compensation(
    case: Case,
    *,
    actor: User,
    delivered_at: datetime.datetime,
    method: str,
    customer_acknowledged: bool,
    unacknowledged_reason: str = "",
    note: str = "",
    evidence: Iterable = (),
) -> Delivery:
    """Delivery → closed: when and how the customer got it, and their acknowledgement or why
    there is none (e.g. unreachable after three attempts)."""
    locked, move = _begin(case, A.DELIVER, actor)
    errors = _Errors()
    when = _aware(delivered_at, "delivered_at", errors)
    method = errors.required("method", method)
    errors.yes_no(
        "customer_acknowledged",
        customer_acknowledged,
        _("Say whether the customer acknowledged it."),
    )
    reason = errors.reason(
        "unacknowledged_reason",
        unacknowledged_reason,
        needed=customer_acknowledged is False,
        message=_(
            "Without the customer's acknowledgement, record why (e.g. unreachable after "
            "three attempts)."
        ),
    )
    if when is not None and when > now() + datetime.timedelta(minutes=5):
        errors.add("delivered_at", _("The delivery cannot be in the future."))
    compensation, decided = Compensation.objects.filter(case=locked).values_list(
        "pk", "decided_at"
    ).first() or (None, None)
    if when is not None and decided is not None and when < decided:
        errors.add("delivered_at", _("The delivery cannot be before the compensation was decided."))
    errors.raise_any()
    origin_at, origin_service = locked.origin()
    delivery = Delivery.objects.create(
        case=locked,
        unit=locked.unit,
        delivered_at=when,
        method=method,
        customer_acknowledged=customer_acknowledged,
        unacknowledged_reason="" if customer_acknowledged else reason,
        note=(note or "").strip(),
        recorded_by=actor,
        recorded_at=now(),
        due_at=locked.due_at,
        origin_at=origin_at,
        service_type_id=origin_service,
        compensation_id=compensation,
        waited_days=days_between(when, origin_at),
    )
    # The number the database computed (the instance holds the expression until read back).
    delivery.refresh_from_db(fields=["waited_days"])
    tally.delivered(delivery)
    files = store_attachments(locked, evidence, actor=actor, purpose=AttachmentPurpose.DELIVERY)
    data = {
        "delivered_at": when.isoformat(),
        "method": method,
        "customer_acknowledged": customer_acknowledged,
        "unacknowledged_reason": delivery.unacknowledged_reason,
        "note": delivery.note,
        "evidence": [f.original_name for f in files],
    }
    _advance(locked, A.DELIVER, actor=actor, to_state=move.next_state(), data=data, original=case)
    return delivery


@transaction.atomic
def lodge_objection(case: Case, *, actor: User, text: str) -> Objection:
    """The officer objects to the decree (keberatan) within the unit's period; a side track
    that leaves the compensation to go on."""
    locked, move = _begin(case, A.OBJECT, actor)
    decree = getattr(locked, "decree", None)
    if decree is None:
        raise StateConflict(_("There is no decree to object to."))
    if Objection.objects.filter(case=locked).exists():
        raise StateConflict(_("An objection to this decree was already lodged."))
    at = now()
    until = decree.issued_at + datetime.timedelta(days=locked.unit.objection_days)
    if at > until:
        raise StateConflict(
            _("The %(days)s days to object to the decree ended on %(until)s.")
            % {
                "days": locked.unit.objection_days,
                "until": timezone.localtime(until, locked.unit.zone).strftime("%d-%m-%Y"),
            }
        )
    errors = _Errors()
    text = errors.required("text", text)
    errors.raise_any()
    objection = Objection.objects.create(
        case=locked, decree=decree, text=text, lodged_by=actor, lodged_at=at
    )
    data = {"text": text, "decree": decree.number}
    _advance(locked, A.OBJECT, actor=actor, to_state=move.next_state(), data=data, original=case)
    notify.objection_lodged(locked, objection)  # an outbox row, in this transaction
    return objection


@transaction.atomic
def rule_objection(case: Case, *, actor: User, upheld: bool, reason: str) -> Objection:
    """The head (or the official the unit names) decides the officer's objection, with a reason."""
    locked, move = _begin(case, A.RULE_OBJECTION, actor)
    objection = Objection.objects.filter(case=locked, decided_at__isnull=True).first()
    if objection is None:
        raise StateConflict(_("There is no objection awaiting a decision."))
    errors = _Errors()
    errors.yes_no("upheld", upheld, _("Choose whether the objection is upheld."))
    reason = errors.required("reason", reason)
    errors.raise_any()
    objection.upheld, objection.reason = upheld, reason
    objection.decided_by, objection.decided_at = actor, now()
    objection.save(update_fields=["upheld", "reason", "decided_by", "decided_at"])
    data = {"upheld": upheld, "reason": reason}
    to_state = move.next_state()
    _advance(locked, A.RULE_OBJECTION, actor=actor, to_state=to_state, data=data, original=case)
    notify.objection_ruled(locked, objection)  # an outbox row, in this transaction
    return objection


# ---------------------------------------------------------------------------------------------
# Each action declared once: its service function, how its event reads on the timeline, and
# whether the officer of the case sees that event's content. The web form (cases.forms) and the
# API payload (api.cases) of each action are checked against this by cases/tests/test_table.py.


class Show:
    """How one field of an event's data reads on the timeline."""

    TEXT = "text"
    YES_NO = "yes_no"
    MOMENT = "moment"
    DAY = "day"
    RUPIAH = "rupiah"
    FILES = "files"
    VIOLATIONS = "violations"  # codes → "V04 — <text>"
    SANCTION = "sanction"  # code → the sanction's name
    COMPENSATIONS = "compensations"  # codes → names
    SOURCE = "source"
    CHANNEL = "channel"
    NUMBER = "number"


@dataclass(frozen=True)
class Field:
    label: Promise
    show: str = Show.TEXT


# Every key of an event's data and how it reads on the timeline: one label per key, whichever
# action records it (a note is a note, a reason a reason, in every event).
EVENT_FIELDS: dict[str, Field] = {
    "source": Field(gettext_lazy("Source"), Show.SOURCE),
    "reason": Field(gettext_lazy("Reason")),
    "note": Field(gettext_lazy("Note")),
    "summons": Field(gettext_lazy("Summons number"), Show.NUMBER),
    "scheduled_at": Field(gettext_lazy("Date and time"), Show.MOMENT),
    "place": Field(gettext_lazy("Place")),
    "attended": Field(gettext_lazy("The officer attended"), Show.YES_NO),
    "held_at": Field(gettext_lazy("Held at"), Show.MOMENT),
    "explanation": Field(gettext_lazy("Explanation")),
    "defence": Field(gettext_lazy("Defence")),
    "attachments": Field(gettext_lazy("Attachments"), Show.FILES),
    "violations": Field(gettext_lazy("Violations"), Show.VIOLATIONS),
    "sanction": Field(gettext_lazy("Sanction"), Show.SANCTION),
    "reasoning": Field(gettext_lazy("Reasoning")),
    "justification": Field(gettext_lazy("Justification of the sanction's level")),
    "on_evidence": Field(gettext_lazy("Proposed on the evidence, without a hearing"), Show.YES_NO),
    "approved": Field(gettext_lazy("Approved"), Show.YES_NO),
    "issue_decree": Field(gettext_lazy("Decree issued"), Show.YES_NO),
    "number": Field(gettext_lazy("Number")),
    "date": Field(gettext_lazy("Date"), Show.DAY),
    "compensations": Field(gettext_lazy("Compensation"), Show.COMPENSATIONS),
    "cost": Field(gettext_lazy("Cost (rupiah)"), Show.RUPIAH),
    "over_budget": Field(gettext_lazy("Over budget"), Show.YES_NO),
    "customer_told_by": Field(gettext_lazy("Customer told by"), Show.CHANNEL),
    "delivered_at": Field(gettext_lazy("Delivered at"), Show.MOMENT),
    "method": Field(gettext_lazy("How")),
    "customer_acknowledged": Field(gettext_lazy("Customer acknowledged"), Show.YES_NO),
    "unacknowledged_reason": Field(gettext_lazy("Why not acknowledged")),
    "evidence": Field(gettext_lazy("Evidence"), Show.FILES),
    "decree": Field(gettext_lazy("Decree")),
    "text": Field(gettext_lazy("Objection")),
    "upheld": Field(gettext_lazy("Objection upheld"), Show.YES_NO),
}


@dataclass(frozen=True)
class Action:
    run: Callable | None  # None for the opening, which open_cases takes
    keys: tuple[str, ...]  # the keys of the event's data (EVENT_FIELDS), in the order they read
    officer_sees: bool = False  # the officer of the case sees this event's content

    @property
    def fields(self) -> dict[str, Field]:
        return {key: EVENT_FIELDS[key] for key in self.keys}


ACTIONS: dict[str, Action] = {
    A.OPEN: Action(None, ("source", "reason")),
    A.REFER: Action(refer_case, ("note",)),
    A.DISMISS: Action(dismiss_case, ("reason",)),
    A.SUMMON: Action(summon_officer, ("summons", "scheduled_at", "place"), officer_sees=True),
    A.HEARING: Action(
        record_hearing,
        ("attended", "held_at", "explanation", "defence", "attachments"),
        officer_sees=True,
    ),
    A.DEFENCE: Action(submit_defence, ("defence", "attachments"), officer_sees=True),
    A.PROPOSE: Action(
        propose_sanction,
        ("violations", "sanction", "reasoning", "justification", "on_evidence"),
    ),
    A.VERIFY: Action(verify_proposal, ("approved", "note")),
    A.DECIDE: Action(
        decide_decree,
        ("issue_decree", "number", "date", "sanction", "reason"),
        officer_sees=True,
    ),
    A.COMPENSATE: Action(
        decide_compensation,
        ("compensations", "cost", "note", "over_budget", "customer_told_by"),
    ),
    A.DELIVER: Action(
        deliver_compensation,
        (
            "delivered_at",
            "method",
            "customer_acknowledged",
            "unacknowledged_reason",
            "note",
            "evidence",
        ),
    ),
    A.OBJECT: Action(lodge_objection, ("decree", "text"), officer_sees=True),
    A.RULE_OBJECTION: Action(rule_objection, ("upheld", "reason"), officer_sees=True),
}

# The actions the officer of the case takes on their own page (never on the staff screen).
OFFICER_ACTIONS = frozenset({A.DEFENCE, A.OBJECT})


def apply_action(case: Case, action: str, *, actor: User, **payload):
    """Take `action` (a name of the table) on `case` with its payload: the one entry point of
    the web screens and the API."""
    spec = ACTIONS.get(action)
    if spec is None or spec.run is None:
        raise InvalidInput(_("Unknown action."), fields={"action": [_("Unknown action.")]})
    return spec.run(case, actor=actor, **payload)
