"""Who may do what with the complaint register.

Officers see nothing of it: they may be the subject of a complaint.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest

from units.models import Role, Unit, User

from .models import Complaint

READ_ROLES = frozenset(
    {Role.BACK_OFFICE, Role.COORDINATOR, Role.PERSON_IN_CHARGE, Role.HEAD, Role.SUPERVISOR}
)
RECORD_ROLES = frozenset({Role.BACK_OFFICE, Role.COORDINATOR})
ACKNOWLEDGE_ROLES = RECORD_ROLES
HANDLE_ROLES = frozenset({Role.COORDINATOR})  # triage and answer


def complaints_for(unit: Unit):
    return Complaint.objects.filter(unit=unit)


def get_complaint_for_user(user: User, unit: Unit | None, pk: int) -> Complaint:
    """The complaint `pk` of the user's current unit; 404 for any other unit's (no hint)."""
    if unit is None:
        raise Http404
    complaint = (
        complaints_for(unit)
        .select_related("unit", "channel", "service_type", "officer", "created_by")
        .filter(pk=pk)
        .first()
    )
    if complaint is None:
        raise Http404
    return complaint


def can(request: HttpRequest, roles: frozenset[str]) -> bool:
    return bool(getattr(request, "roles", frozenset()) & roles)
