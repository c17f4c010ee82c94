"""Which cases a person reads: one query helper per kind of reader (DESIGN §4).

The coordinator, person in charge, head and supervisor read every case of their unit; the back
office reads the cases it may refer or dismiss (those in review); the officer named in a case
reads it only through their own view, never with the customer's identity.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from units.access import READ_ALL_ROLES, roles_in
from units.models import Membership, Role, Unit, User

from .models import Case, CaseState
from .rules import can_view_case, can_view_own_case

CASE_READERS = (*READ_ALL_ROLES, Role.BACK_OFFICE)


def visible_cases(user: User, unit: Unit | None) -> QuerySet[Case]:
    """Cases of `unit` that `user` reads in full (mirrors cases.rules.can_view_case)."""
    roles = roles_in(user, unit)
    cases = Case.objects.filter(unit=unit).exclude(officer=user)
    if roles & READ_ALL_ROLES:
        return cases
    if Role.BACK_OFFICE in roles:
        return cases.filter(state=CaseState.REVIEW)
    return cases.none()


def api_cases(user: User) -> QuerySet[Case]:
    """Every case `user` may read through the API, in any of their units: in full, or their
    own cases as the officer."""
    mine = Membership.objects.filter(user=user)
    read_all = mine.filter(role__in=list(READ_ALL_ROLES)).values("unit")
    triage = mine.filter(role=Role.BACK_OFFICE).values("unit")
    full = (Q(unit__in=read_all) | Q(unit__in=triage, state=CaseState.REVIEW)) & ~Q(officer=user)
    return Case.objects.filter(full | Q(officer=user, unit__in=mine.values("unit")))


def get_case_for_user(user: User, unit: Unit | None, pk: int) -> Case:
    """The case `pk` of `unit` if `user` reads it in full; 404 otherwise (also for another
    unit's case, and for a case about the user)."""
    case = Case.objects.select_related("unit", "officer").filter(unit=unit, pk=pk).first()
    if case is None or not can_view_case.test(user, case):
        raise Http404
    return case


def get_own_case(user: User, unit: Unit | None, pk: int) -> Case:
    """A case about `user` themselves (their officer view); 404 otherwise."""
    case = Case.objects.select_related("unit", "officer").filter(unit=unit, pk=pk).first()
    if case is None or not can_view_own_case.test(user, case):
        raise Http404
    return case
