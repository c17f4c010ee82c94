"""Who reads a case: the one vocabulary of DESIGN §4, used by the screens, the API, the PDFs and
the home page alike.

- The coordinator, person in charge, head and supervisor read every case of their unit.
- The back office reads the cases it may refer or dismiss: those in review.
- The officer named in a case never reads it in full (it names the customer), whatever other
  role they hold; they read their own case through their own view (state, summons, decree).
- Anyone else, and anyone of another unit, learns nothing of a case: 404, on every face.

`can_view_case` / `can_view_own_case` answer for one case (`rules` predicates); `cases_for_user`
/ `own_cases` give the same answer as querysets; `get_case_for_user` / `get_case_or_own` fetch
one case for a request (404 otherwise). An action on a case first fetches it through these, so
a case one cannot read is 404 whatever one POSTs; the workflow then answers 403 or 409.
"""

from __future__ import annotations

import rules
from django.db.models import Q, QuerySet
from django.http import Http404

from units.access import has_role, roles_in
from units.models import Membership, Role, Unit, User

from .models import Case, CaseState

# Read every case of the unit and its audit trail (DESIGN §4, last row).
CASE_READERS = frozenset({Role.COORDINATOR, Role.PERSON_IN_CHARGE, Role.HEAD, Role.SUPERVISOR})
# Read the cases in review, which they refer or dismiss.
CASE_TRIAGERS = frozenset({Role.BACK_OFFICE})
# Who uses the staff case screens at all (the list, improvement items).
CASE_STAFF = CASE_READERS | CASE_TRIAGERS


@rules.predicate
def is_case_officer(user, case) -> bool:
    """The user is the officer the case is about."""
    return case.officer_id == user.pk


@rules.predicate
def reads_all_cases(user, case) -> bool:
    return has_role(user, case.unit, *CASE_READERS)


@rules.predicate
def triages_case(user, case) -> bool:
    return case.state == CaseState.REVIEW and has_role(user, case.unit, *CASE_TRIAGERS)


# Staff reading a case in full (with the customer's identity).
can_view_case = ~is_case_officer & (reads_all_cases | triages_case)
# The officer's own view of a case about them: state, summons, decree; no customer.
can_view_own_case = is_case_officer

rules.add_perm("cases.view_case", can_view_case)
rules.add_perm("cases.view_own_case", can_view_own_case)


def _read_in_full(user: User) -> Q:
    """`can_view_case` as a filter over cases."""
    mine = Membership.objects.filter(user=user)
    read_all = mine.filter(role__in=list(CASE_READERS)).values("unit")
    triage = mine.filter(role__in=list(CASE_TRIAGERS)).values("unit")
    return (Q(unit__in=read_all) | Q(unit__in=triage, state=CaseState.REVIEW)) & ~Q(officer=user)


def _own(user: User) -> Q:
    """`can_view_own_case` as a filter: cases about the user, in a unit they belong to."""
    return Q(officer=user, unit__in=Membership.objects.filter(user=user).values("unit"))


def _scoped(cases: QuerySet[Case], unit: Unit | None) -> QuerySet[Case]:
    return cases if unit is None else cases.filter(unit=unit)


def _read_in_full_at(user: User, unit: Unit) -> QuerySet[Case]:
    """`can_view_case` over one unit, the user's roles there already known (`roles_in`, read
    once per request): a plain filter on the unit's own columns, which the database answers
    from an index, where `_read_in_full`'s membership subqueries are checked row by row (the
    case list's count over a large unit's cases: about 3x faster on PostgreSQL)."""
    roles = roles_in(user, unit)
    if roles & CASE_READERS:
        cases = Case.objects.filter(unit=unit)
    elif roles & CASE_TRIAGERS:
        cases = Case.objects.filter(unit=unit, state=CaseState.REVIEW)
    else:
        return Case.objects.none()
    return cases.exclude(officer=user)


def visible_cases(user: User, unit: Unit | None = None) -> QuerySet[Case]:
    """The cases `user` reads in full: of `unit`, or of all their units when None."""
    if not user.is_authenticated:
        return Case.objects.none()
    if unit is not None:
        return _read_in_full_at(user, unit)
    return Case.objects.filter(_read_in_full(user))


def cases_for_user(user: User, unit: Unit | None = None) -> QuerySet[Case]:
    """The cases `user` reads, in full or as the officer they are about."""
    if not user.is_authenticated:
        return Case.objects.none()
    return _scoped(Case.objects.filter(_read_in_full(user) | _own(user)), unit)


def own_cases(user: User, unit: Unit | None = None) -> QuerySet[Case]:
    """The cases about `user` (their officer view)."""
    if not user.is_authenticated:
        return Case.objects.none()
    return _scoped(Case.objects.filter(_own(user)), unit)


def _fetch(cases: QuerySet[Case], pk: int) -> Case:
    case = cases.select_related("unit", "officer").filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def get_case_for_user(user: User, pk: int, *, unit: Unit | None = None) -> Case:
    """The case `pk` if `user` reads it in full; 404 otherwise (another unit's case, a case in
    a state the back office does not read, a case about the user)."""
    return _fetch(visible_cases(user, unit), pk)


def get_case_or_own(user: User, pk: int, *, unit: Unit | None = None) -> Case:
    """The case `pk` if `user` reads it in full or it is about them; 404 otherwise."""
    return _fetch(cases_for_user(user, unit), pk)


def get_own_case(user: User, pk: int, *, unit: Unit | None = None) -> Case:
    """A case about `user` themselves (their officer view); 404 otherwise."""
    return _fetch(own_cases(user, unit), pk)
