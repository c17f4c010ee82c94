"""Who reads which organisation: a role at an organisation reaches its whole subtree."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from units.models import Unit, User

from .models import Organisation, OrganisationMembership


def readable_organisations(user: User) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    paths = OrganisationMembership.objects.filter(user=user).values_list(
        "organisation__path", flat=True
    )
    clause = Q(pk__in=[])
    for path in paths:
        clause |= Q(path__startswith=path)
    return Organisation.objects.filter(clause)


def get_organisation_for_user(user: User, code: str) -> Organisation:
    """The organisation if `user` reads it; 404 otherwise (no hint that it exists)."""
    organisation = readable_organisations(user).filter(code=code).first()
    if organisation is None:
        raise Http404
    return organisation


def get_unit_below(organisation: Organisation, code: str) -> Unit:
    unit = organisation.units_below().filter(code=code).first()
    if unit is None:
        raise Http404
    return unit
