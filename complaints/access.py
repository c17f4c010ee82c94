"""Who may do what with the complaint register: the one vocabulary of the screens, the API,
the export and the home page.

The back office and the unit's readers (coordinator, person in charge, head, supervisor) read
the register; the back office and the coordinator record and acknowledge; the coordinator
triages and answers. Officers see nothing of it: they may be the subject of a complaint. A
complaint of a unit one does not belong to is not found (404); a member without a reading role
is refused (403) — on every face.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from units.access import READ_ALL_ROLES, has_role, units_for
from units.models import Role, Unit, User

from .models import Complaint

READ_ROLES = frozenset({Role.BACK_OFFICE}) | READ_ALL_ROLES
RECORD_ROLES = frozenset({Role.BACK_OFFICE, Role.COORDINATOR})
ACKNOWLEDGE_ROLES = RECORD_ROLES
HANDLE_ROLES = frozenset({Role.COORDINATOR})  # triage and answer


def complaints_for(unit: Unit) -> QuerySet[Complaint]:
    return Complaint.objects.filter(unit=unit)


def reads_complaints(user: User, unit: Unit | None) -> bool:
    return has_role(user, unit, *READ_ROLES)


def get_complaint_for_user(user: User, pk: int, *, unit: Unit | None = None) -> Complaint:
    """The complaint `pk` of one of the user's units (of `unit` when given): 404 for any other
    (no hint that it exists), 403 for a member without a reading role."""
    complaints = Complaint.objects.filter(unit__in=units_for(user))
    if unit is not None:
        complaints = complaints.filter(unit=unit)
    complaint = (
        complaints.select_related("unit", "channel", "service_type", "officer", "created_by")
        .filter(pk=pk)
        .first()
    )
    if complaint is None:
        raise Http404
    if not reads_complaints(user, complaint.unit):
        raise PermissionDenied
    return complaint


def can(request: HttpRequest, roles: frozenset[str]) -> bool:
    return bool(getattr(request, "roles", frozenset()) & roles)
