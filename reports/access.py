"""Who reads the unit's reports: the dashboard, its PDF and XLSX, and the audit of settings.

The report is read by the unit's readers (coordinator, person in charge, head, supervisor).
Its table per officer follows the satisfaction domain's rule for one officer's figures
(surveys.access.reads_officer_figures), so the dashboard, the IKM page, the recap and the API
agree. The audit of the standard's and settings' changes is for those who answer for the unit:
the person in charge, the head and the supervisor.
"""

from __future__ import annotations

from units.access import READ_ALL_ROLES
from units.models import Role

REPORT_READERS = READ_ALL_ROLES
SETTINGS_AUDIT_READERS = frozenset({Role.PERSON_IN_CHARGE, Role.HEAD, Role.SUPERVISOR})
# The customers' recovery figures (recovery.stats) are for the head and the supervisor; the
# coordinator sees each answer on its case instead, the officer never.
RECOVERY_FIGURE_READERS = frozenset({Role.HEAD, Role.SUPERVISOR})
