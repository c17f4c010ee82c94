"""Who may see which unit: every staff query is scoped through these helpers."""

from __future__ import annotations

from collections.abc import Iterable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from .models import Membership, Role, Unit, User

READ_ALL_ROLES = frozenset({Role.COORDINATOR, Role.PERSON_IN_CHARGE, Role.HEAD, Role.SUPERVISOR})


def units_for(user: User) -> QuerySet[Unit]:
    if not user.is_authenticated:
        return Unit.objects.none()
    return Unit.objects.filter(memberships__user=user).distinct()


def roles_in(user: User, unit: Unit | None) -> frozenset[str]:
    """The roles `user` holds in `unit`, cached on the user object for the request."""
    if unit is None or not user.is_authenticated:
        return frozenset()
    cache = user.__dict__.setdefault("_pulih_roles", {})
    if unit.pk not in cache:
        cache[unit.pk] = frozenset(
            Membership.objects.filter(user=user, unit=unit).values_list("role", flat=True)
        )
    return cache[unit.pk]


def member_unit(user: User, code: str) -> Unit | None:
    """The unit with `code` if `user` holds a role in it, else None; its roles are read in
    the same query and kept for the request, as `roles_in` keeps them."""
    if not user.is_authenticated:
        return None
    rows = list(Membership.objects.filter(user=user, unit__code=code).select_related("unit"))
    if not rows:
        return None
    unit = rows[0].unit
    user.__dict__.setdefault("_pulih_roles", {})[unit.pk] = frozenset(m.role for m in rows)
    return unit


def has_role(user: User, unit: Unit | None, *roles: str) -> bool:
    return bool(roles_in(user, unit) & set(roles))


def get_unit_for_user(user: User, code: str) -> Unit:
    """The unit with `code` if `user` belongs to it; 404 otherwise (no hint that it exists)."""
    unit = member_unit(user, code)
    if unit is None:
        raise Http404
    return unit


def require_role(request: HttpRequest, *roles: str) -> Unit:
    unit = getattr(request, "unit", None)
    if unit is None or not has_role(request.user, unit, *roles):
        raise PermissionDenied
    return unit


def role_required(*roles: str):
    """View decorator: the current unit must grant one of `roles`; sets request.unit."""

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            require_role(request, *roles)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def members_with_role(unit: Unit, roles: Iterable[str]) -> QuerySet[User]:
    return User.objects.filter(
        memberships__unit=unit, memberships__role__in=list(roles), is_active=True
    ).distinct()
