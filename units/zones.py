"""The units grouped by time zone, as every tally's recount reads them: its days are the units'
local days, so it runs one INSERT … SELECT … GROUP BY per zone."""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps as django_apps


def unit_ids_by_zone(
    unit_ids: Iterable[int] | None = None, *, apps=django_apps
) -> dict[str, list[int]]:
    """{time zone: the ids of these units (all when None) in it}, read through `apps` (a
    migration's historical models, or the project's own)."""
    units = apps.get_model("units", "Unit").objects.all()
    if unit_ids is not None:
        units = units.filter(pk__in=list(unit_ids))
    zones: dict[str, list[int]] = {}
    for pk, zone in units.values_list("pk", "time_zone"):
        zones.setdefault(zone, []).append(pk)
    return zones
