"""Demo: the unit inside a ministry's tree, and a read-only leader at the ministry."""

from __future__ import annotations

from pulih.lib.registry import demo_populators
from units.models import Role, User

from .models import Organisation, OrganisationMembership, OrganisationRole, OrganisationUnit

LEADER = "pimpinan"


@demo_populators.register(order=50)
def populate(unit, staff, rng, months) -> str:
    ministry, _ = Organisation.objects.get_or_create(
        code="kemendikdasmen", defaults={"name": "Kementerian Pendidikan Dasar dan Menengah"}
    )
    directorate, _ = Organisation.objects.get_or_create(
        code="ditjen-paud-dikdasmen",
        defaults={
            "name": "Direktorat Jenderal PAUD, Pendidikan Dasar dan Menengah",
            "parent": ministry,
        },
    )
    OrganisationUnit.objects.get_or_create(unit=unit, defaults={"organisation": directorate})
    head = staff.by_role[Role.HEAD][0]
    leader, created = User.objects.get_or_create(
        username=LEADER,
        defaults={"full_name": "Pimpinan Kementerian", "email": f"{LEADER}@pulih.test"},
    )
    if created:
        leader.password = head.password  # the demo password, already hashed
        leader.save(update_fields=["password"])
    OrganisationMembership.objects.get_or_create(
        user=leader, organisation=ministry, role=OrganisationRole.LEADER
    )
    return f"organisation {ministry.code} → {directorate.code} → {unit.code}; login {LEADER}"
