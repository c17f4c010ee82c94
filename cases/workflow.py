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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.models import Complaint
from pulih.lib.errors import ActionForbidden, InvalidInput, StateConflict
from surveys.models import SurveyResponse
from units.access import has_role, roles_in
from units.models import (
    CompensationBudget,
    CompensationKind,
    Membership,
    Role,
    SanctionKind,
    Unit,
    User,
)
from units.models import Violation as ViolationKind

from . import deadlines, issuing, notify
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
    Proposal,
    SourceKind,
    Verification,
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
    S.COMPENSATION: {A.COMPENSATE: step({COORDINATOR}, S.DELIVERY)},
    S.DELIVERY: {A.DELIVER: step({COORDINATOR}, S.CLOSED)},
    S.CLOSED: {},
    S.DISMISSED: {},
}

# Actions that only add to the record of the current state; they owe nothing to anybody.
SIDE_ACTIONS = frozenset({A.SUMMON, A.HEARING, A.DEFENCE})

STATE_DESCRIPTIONS = {
    S.REVIEW: gettext_lazy(
        "The finding is being reviewed: refer it to a hearing if the officer is answerable, "
        "or dismiss it with a reason."
    ),
    S.HEARING: gettext_lazy(
        "The officer is summoned for an explanation and defence; the coordinator then proposes "
        "a sanction."
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
    if not segregation_for(action).test(actor, case):
        if action == A.VERIFY and case.officer_id != actor.pk:
            raise ActionForbidden(_("Whoever proposed the sanction may not also verify it."))
        if action == A.DECIDE and case.officer_id != actor.pk:
            raise ActionForbidden(_("Whoever verified the proposal may not also decide on it."))
        if action == A.DEFENCE:
            raise ActionForbidden(_("Only the officer of the case submits their defence."))
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
    members = set(
        Membership.objects.filter(unit=unit, user_id__in=officer_ids).values_list(
            "user_id", flat=True
        )
    )
    at = now()
    cases, events = [], []
    for opening in openings:
        reason = opening.reason
        if opening.officer.pk not in members:
            errors.add("officer", _("This person is not a member of the unit."))
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
    errors.raise_any()
    hearing = Hearing.objects.create(
        case=locked, scheduled_at=when, place=place, summoned_by=actor, summoned_at=now()
    )
    issuing.issue_summons(hearing, actor=actor)
    data = {"scheduled_at": when.isoformat(), "place": place}
    _advance(locked, A.SUMMON, actor=actor, to_state=move.next_state(), data=data, original=case)
    notify.summons(locked, hearing)
    return hearing


def _open_hearing(case: Case) -> Hearing:
    """The hearing being prepared (summoned, not yet recorded), or a new one."""
    hearing = case.hearings.filter(recorded_at__isnull=True).order_by("-pk").first()
    return hearing or Hearing.objects.create(case=case)


@transaction.atomic
def record_hearing(
    case: Case, *, actor: User, explanation: str, defence: str = "", attachments: Iterable = ()
) -> Hearing:
    """Record what the officer explained and their defence at the hearing."""
    locked, move = _begin(case, A.HEARING, actor)
    errors = _Errors()
    explanation = errors.required("explanation", explanation)
    errors.raise_any()
    hearing = _open_hearing(locked)
    hearing.explanation = explanation
    hearing.defence = (defence or "").strip()
    hearing.recorded_by = actor
    hearing.recorded_at = now()
    hearing.save()
    files = store_attachments(
        locked, attachments, actor=actor, purpose=AttachmentPurpose.HEARING, hearing=hearing
    )
    issuing.issue_hearing_record(hearing, actor=actor)
    data = {
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
    case: Case, *, actor: User, violations: Iterable[str], sanction: str, reasoning: str
) -> Proposal:
    """Hearing → verification: the violations found and the sanction proposed."""
    locked, move = _begin(case, A.PROPOSE, actor)
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
    errors.raise_any()
    proposal = Proposal.objects.create(
        case=locked, sanction=kinds[0], reasoning=reasoning, proposed_by=actor, proposed_at=now()
    )
    proposal.violations.set(found)
    data = {
        "violations": [v.code for v in found],
        "sanction": kinds[0].code,
        "reasoning": reasoning,
    }
    _advance(locked, A.PROPOSE, actor=actor, to_state=move.next_state(), data=data, original=case)
    return proposal


@transaction.atomic
def verify_proposal(case: Case, *, actor: User, approved: bool, note: str = "") -> Verification:
    """Verification → decision (approved) or back to hearing (returned with notes)."""
    locked, move = _begin(case, A.VERIFY, actor)
    errors = _Errors()
    if not isinstance(approved, bool):
        errors.add("approved", _("Choose approve or return."))
    note = (note or "").strip()
    if approved is False and not note:
        errors.add("note", _("Say what the coordinator should change."))
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
    if not isinstance(issue_decree, bool):
        errors.add("issue_decree", _("Choose whether to issue the decree."))
    reason = (reason or "").strip()
    if issue_decree is False and not reason:
        errors.add("reason", _("Give the reason for not issuing a decree."))
    errors.raise_any()
    if not issue_decree:
        data = {"issue_decree": False, "reason": reason}
        to_state = move.next_state(NO_DECREE)
        _advance(locked, A.DECIDE, actor=actor, to_state=to_state, data=data, original=case)
        return None
    at = now()
    today = timezone.localtime(at, locked.unit.zone).date()
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
    data = {
        "issue_decree": True,
        "number": number,
        "date": today.isoformat(),
        "sanction": proposal.sanction.code,
    }
    _advance(
        locked, A.DECIDE, actor=actor, to_state=move.next_state(ISSUE), data=data, original=case
    )
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
    note: str = "",
    evidence: Iterable = (),
) -> Delivery:
    """Delivery → closed: when and how the customer got it, and whether they acknowledged it."""
    locked, move = _begin(case, A.DELIVER, actor)
    errors = _Errors()
    when = _aware(delivered_at, "delivered_at", errors)
    method = errors.required("method", method)
    if not isinstance(customer_acknowledged, bool):
        errors.add("customer_acknowledged", _("Say whether the customer acknowledged it."))
    if when is not None and when > now() + datetime.timedelta(minutes=5):
        errors.add("delivered_at", _("The delivery cannot be in the future."))
    errors.raise_any()
    delivery = Delivery.objects.create(
        case=locked,
        unit=locked.unit,
        delivered_at=when,
        method=method,
        customer_acknowledged=customer_acknowledged,
        note=(note or "").strip(),
        recorded_by=actor,
        recorded_at=now(),
        due_at=locked.due_at,
    )
    files = store_attachments(locked, evidence, actor=actor, purpose=AttachmentPurpose.DELIVERY)
    data = {
        "delivered_at": when.isoformat(),
        "method": method,
        "customer_acknowledged": customer_acknowledged,
        "note": delivery.note,
        "evidence": [f.original_name for f in files],
    }
    _advance(locked, A.DELIVER, actor=actor, to_state=move.next_state(), data=data, original=case)
    return delivery


ACTIONS: dict[str, Callable] = {
    A.REFER: refer_case,
    A.DISMISS: dismiss_case,
    A.SUMMON: summon_officer,
    A.HEARING: record_hearing,
    A.DEFENCE: submit_defence,
    A.PROPOSE: propose_sanction,
    A.VERIFY: verify_proposal,
    A.DECIDE: decide_decree,
    A.COMPENSATE: decide_compensation,
    A.DELIVER: deliver_compensation,
}


def apply_action(case: Case, action: str, *, actor: User, **payload):
    """Take `action` (a name of the table) on `case` with its payload: the one entry point of
    the web screens and the API."""
    if action not in ACTIONS:
        raise InvalidInput(_("Unknown action."), fields={"action": [_("Unknown action.")]})
    return ACTIONS[action](case, actor=actor, **payload)
