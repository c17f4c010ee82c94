"""A person's request about their personal data, across every domain that holds some
(UU 27/2022): find it, export it, erase it, and stop keeping it longer than the unit's
retention period. The domains offer their part through `pulih.lib.registry`
(`personal_data_sources`); the shared helpers are in `pulih.lib.personal_data`.
"""

from __future__ import annotations

import datetime
import getpass
from typing import Any

from django.db import transaction
from django.utils import timezone

from pulih.lib.personal_data import PersonQuery, retention_cutoff
from pulih.lib.registry import personal_data_sources
from units.models import ErasureKind, ErasureLog


def sources() -> list:
    """The personal-data sources of the installed apps."""
    return list(personal_data_sources)


def _operator() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return ""


def find_personal_data(unit, query: PersonQuery) -> dict[str, list[dict]]:
    """Everything held about the person, per source."""
    return {source.name: source.find(unit, query) for source in sources()}


def export_personal_data(unit, query: PersonQuery) -> dict[str, Any]:
    """The JSON document given to the person who asked what the unit holds about them."""
    found = find_personal_data(unit, query)
    return {
        "unit": {"code": unit.code, "name": unit.name},
        "query": query.as_dict(),
        "exported_at": timezone.now().isoformat(),
        "total": sum(len(records) for records in found.values()),
        "sources": found,
    }


def erase_personal_data(unit, query: PersonQuery, *, actor=None):
    """Anonymise every record of the person in `unit`, in one transaction, and log the erasure
    (the log names the criterion kind, never the erased values). Returns the ErasureLog."""
    with transaction.atomic():
        counts = {source.name: source.erase(unit, query, actor=actor) for source in sources()}
        return ErasureLog.objects.create(
            unit=unit,
            kind=ErasureKind.REQUEST,
            actor=actor,
            operator=_operator(),
            matched_by=query.matched_by,
            counts=counts,
            total=sum(counts.values()),
        )


def apply_retention(unit, *, now: datetime.datetime | None = None):
    """Anonymise the unit's customers' data older than its retention period.

    Idempotent: returns the ErasureLog, or None when nothing was left to anonymise.
    """
    if unit.personal_data_retention_years < 1:
        return None
    cutoff = retention_cutoff(unit, now)
    with transaction.atomic():
        counts = {source.name: source.anonymise_before(unit, cutoff) for source in sources()}
        total = sum(counts.values())
        if not total:
            return None
        return ErasureLog.objects.create(
            unit=unit,
            kind=ErasureKind.RETENTION,
            operator=_operator(),
            cutoff=cutoff,
            counts=counts,
            total=total,
        )
