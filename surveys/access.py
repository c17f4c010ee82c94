"""Who reads and records what of the satisfaction domain: the one vocabulary used by the
screens, the API, the recap PDF, the reports and the home page alike.

- Services are recorded by the officer who delivered them (their own only), and by the back
  office and the coordinator for any officer. Whoever records reads the records; an officer only
  their own, and never whether the customer answered.
- The day's results (the daily check, the recap, the unit's IKM) are read by the back office,
  which checks them every day, and by the unit's readers (coordinator, person in charge, head,
  supervisor); the back office and the coordinator sign the day off.
- The respondent profile's lists (what the survey asks about sex, age, education and
  occupation) are a setting of the unit: its administrator edits them (DESIGN §2, the
  catalogue a unit administrator edits); no working role does.
- One officer's figures (IKM per officer, the officers' table of a report) are read by the
  unit's readers, who follow up on officers (DESIGN §4), and by that officer about
  themselves; not by the back office or the admin, and never by a colleague.
"""

from __future__ import annotations

from django.db.models import QuerySet

from units.access import READ_ALL_ROLES, has_role
from units.models import Role, Unit, User

from .models import ServiceRecord

RECORDERS = frozenset({Role.OFFICER, Role.BACK_OFFICE, Role.COORDINATOR})
RECORDS_FOR_OTHERS = frozenset({Role.BACK_OFFICE, Role.COORDINATOR})
RECORD_READERS = RECORDERS | READ_ALL_ROLES
DAY_SIGNERS = frozenset({Role.BACK_OFFICE, Role.COORDINATOR})
RESULT_READERS = frozenset({Role.BACK_OFFICE}) | READ_ALL_ROLES
OFFICER_FIGURE_READERS = READ_ALL_ROLES
PROFILE_EDITORS = frozenset({Role.ADMIN})


def records_for_others(user: User, unit: Unit | None) -> bool:
    return has_role(user, unit, *RECORDS_FOR_OTHERS)


def reads_all_records(user: User, unit: Unit | None) -> bool:
    """Reads every service record of the unit (and whether its survey was answered)."""
    return has_role(user, unit, *RECORDS_FOR_OTHERS, *READ_ALL_ROLES)


def service_records_for(user: User, unit: Unit | None) -> QuerySet[ServiceRecord]:
    """The service records of `unit` that `user` reads: all of them, or an officer's own."""
    if not has_role(user, unit, *RECORD_READERS):
        return ServiceRecord.objects.none()
    records = ServiceRecord.objects.filter(unit=unit)
    return records if reads_all_records(user, unit) else records.filter(officer=user)


def reads_results(user: User, unit: Unit | None) -> bool:
    """Reads the unit's daily results, recap and IKM."""
    return has_role(user, unit, *RESULT_READERS)


def reads_officer_figures(user: User, unit: Unit | None, officer: User | None = None) -> bool:
    """Reads the figures of `officer` (of every officer when None)."""
    if has_role(user, unit, *OFFICER_FIGURE_READERS):
        return True
    return officer is not None and officer.pk == user.pk and has_role(user, unit, Role.OFFICER)
