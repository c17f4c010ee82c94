"""The cases app's panels on each role's home page: what this person owes today."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pulih.lib.registry import HomeSection, home_sections
from surveys.models import ImprovementItem, ImprovementStatus
from units.models import Role

from .access import visible_cases
from .budget import budget_status
from .models import Case, CaseState, Compensation

S = CaseState

home_sections.register(HomeSection("cases/_home.html"), order=20)


def _counts(request: HttpRequest) -> dict[str, int]:
    """Cases per state and overdue, in one query."""
    aggregates = {state: Count("pk", filter=Q(state=state)) for state in S.values}
    aggregates["overdue"] = Count("pk", filter=Q(due_at__lt=timezone.now()))
    return visible_cases(request.user, request.unit).aggregate(**aggregates)


def home_panels(request: HttpRequest) -> list[dict]:
    roles, unit = request.roles, request.unit
    if unit is None:
        return []
    panels = []
    list_url = reverse("cases:list")
    counts = _counts(request) if roles & {*Role.values} - {Role.OFFICER, Role.ADMIN} else {}
    if Role.BACK_OFFICE in roles or Role.COORDINATOR in roles:
        panels.append(
            {
                "id": "cases-review",
                "title": _("Cases to review"),
                "count": counts[S.REVIEW],
                "url": f"{list_url}?state={S.REVIEW}",
            }
        )
    if Role.COORDINATOR in roles:
        for state, title in (
            (S.HEARING, _("Cases in hearing")),
            (S.COMPENSATION, _("Compensation to determine")),
            (S.DELIVERY, _("Compensation to deliver")),
        ):
            panels.append(
                {
                    "id": f"cases-{state}",
                    "title": title,
                    "count": counts[state],
                    "url": f"{list_url}?state={state}",
                }
            )
        panels.append(
            {
                "id": "improvements-open",
                "title": _("Open improvement items"),
                "count": ImprovementItem.objects.filter(
                    unit=unit, status=ImprovementStatus.OPEN
                ).count(),
                "url": reverse("improvements"),
            }
        )
    if Role.PERSON_IN_CHARGE in roles:
        panels.append(
            {
                "id": "cases-verification",
                "title": _("Proposals to verify"),
                "count": counts[S.VERIFICATION],
                "url": f"{list_url}?state={S.VERIFICATION}",
            }
        )
    if Role.HEAD in roles:
        panels.append(
            {
                "id": "cases-decision",
                "title": _("Decrees to decide"),
                "count": counts[S.DECISION],
                "url": f"{list_url}?state={S.DECISION}",
            }
        )
        year = unit.today().year
        over = Compensation.objects.filter(
            unit=unit, budget_year=year, over_budget=True
        ).select_related("case")
        panels.append(
            {
                "id": "compensation-budget",
                "title": _("Compensation budget %(year)s") % {"year": year},
                "budget": budget_status(unit, year),
                "over_budget": list(over),
            }
        )
    if roles & {Role.PERSON_IN_CHARGE, Role.HEAD, Role.SUPERVISOR, Role.COORDINATOR}:
        panels.append(
            {
                "id": "cases-overdue",
                "title": _("Overdue cases"),
                "count": counts["overdue"],
                "url": f"{list_url}?overdue=on",
                "alert": counts["overdue"] > 0,
            }
        )
    if Role.OFFICER in roles:
        mine = Case.objects.filter(unit=unit, officer=request.user).exclude(
            state__in=[S.CLOSED, S.DISMISSED]
        )
        panels.append(
            {
                "id": "cases-mine",
                "title": _("My open cases"),
                "count": mine.count(),
                "url": reverse("cases:mine"),
            }
        )
    return panels
