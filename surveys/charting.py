"""The IKM charts (per month, element, service type, officer) from the tallies, as SVG."""

from __future__ import annotations

import datetime

from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from documents.charts import bar_chart, line_chart
from units.models import ServiceType, Unit, User

from .ikm import ikm_by, ikm_for

GRADE_GUIDES = [(88.31, "A"), (76.61, "B"), (65.00, "C")]


def _months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, month = [], start.replace(day=1)
    while month <= end and len(months) < 120:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def ikm_charts(
    unit: Unit,
    *,
    start: datetime.date,
    end: datetime.date,
    service_type: ServiceType | None = None,
    officer: User | None = None,
    with_officers: bool = False,
) -> dict[str, SafeString]:
    """SVG charts for the period; "officer" only when `with_officers` (never for officers)."""
    filters = {"start": start, "end": end, "service_type": service_type, "officer": officer}
    charts: dict[str, SafeString] = {}

    by_month = {_as_date(group): result for group, result in ikm_by(unit, "month", **filters)}
    months = _months(start, end)
    charts["month"] = line_chart(
        [date_format(m, "M Y") for m in months],
        [by_month[m].score if m in by_month else None for m in months],
        title=_("IKM per month (score 25–100)"),
        min_value=25,
        max_value=100,
        ticks=[25, 50, 75, 100],
        guides=GRADE_GUIDES,
    )

    overall = ikm_for(unit, **filters)
    charts["element"] = bar_chart(
        [f"{e.code} {e.name}" for e in overall.elements],
        [e.nrr for e in overall.elements],
        title=_("Average score per element (1–4)"),
        max_value=4,
        value_format="{:.2f}",
    )

    by_service = ikm_by(unit, "service_type", **filters)
    names = dict(
        ServiceType.objects.filter(pk__in=[g for g, _r in by_service]).values_list("pk", "name")
    )
    charts["service"] = bar_chart(
        [names.get(g, "?") for g, _r in by_service],
        [r.score for _g, r in by_service],
        title=_("IKM per service type (score)"),
        max_value=100,
        guides=GRADE_GUIDES,
    )

    if with_officers:
        by_officer = ikm_by(unit, "officer", **filters)
        people = {
            u.pk: u.display_name for u in User.objects.filter(pk__in=[g for g, _ in by_officer])
        }
        charts["officer"] = bar_chart(
            [people.get(g, "?") for g, _r in by_officer],
            [r.score for _g, r in by_officer],
            title=_("IKM per officer (score)"),
            max_value=100,
            guides=GRADE_GUIDES,
        )
    return charts


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value
