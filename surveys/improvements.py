"""Improvement items: findings about the institution (facilities, procedure, tariffs) that the
coordinator follows up and marks done. They come from a survey's poor rating of an
institution's element (surveys.services) or a complaint triaged as such (cases.intake)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pulih.lib.errors import ActionForbidden, InvalidInput, StateConflict
from units.access import has_role
from units.models import Role, User

from .models import ImprovementItem, ImprovementStatus


@transaction.atomic
def resolve_improvement(item: ImprovementItem, *, actor: User, resolution: str) -> ImprovementItem:
    if not has_role(actor, item.unit, Role.COORDINATOR):
        raise ActionForbidden(_("Only the coordinator marks improvements done."))
    resolution = (resolution or "").strip()
    if not resolution:
        raise InvalidInput(
            _("Say what was done."), fields={"resolution": [_("This field is required.")]}
        )
    # Conditional update on the old status: of two people marking it at once, one wins.
    done = ImprovementItem.objects.filter(pk=item.pk, status=ImprovementStatus.OPEN).update(
        status=ImprovementStatus.DONE,
        resolution=resolution,
        resolved_at=timezone.now(),
        resolved_by=actor,
    )
    if not done:
        raise StateConflict(_("This item is already done."))
    item.refresh_from_db()
    return item
