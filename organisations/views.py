"""Organisation screens: the readers' roll-up and drill-down (login), the public ranking."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from pulih.lib.replica import reads_from_replica
from pulih.lib.urls import url_for_each
from reports.figures import gather
from reports.forms import PeriodForm
from reports.periods import previous_quarter
from reports.render import report_context
from surveys.ikm import ikm_of_units, mean_score

from .access import get_organisation_for_user, get_unit_below, readable_organisations
from .models import Organisation
from .rollup import rollup


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "organisations/index.html",
        {"organisations": readable_organisations(request.user)},
    )


@reads_from_replica
@require_GET
@login_required
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    organisation = get_organisation_for_user(request.user, code)
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    return render(
        request,
        "organisations/dashboard.html",
        {
            "organisation": organisation,
            "children": organisation.children.all(),
            "form": form,
            "r": rollup(organisation, start, end),
            # Each unit's link carries the period: written once, not once per unit.
            "period_query": urlencode({"start": start.isoformat(), "end": end.isoformat()}),
        },
    )


@reads_from_replica
@require_GET
@login_required
def unit_dashboard(request: HttpRequest, code: str, unit_code: str) -> HttpResponse:
    """A unit's dashboard as its head sees it, read-only, for a reader of an organisation
    above it; officers stay anonymous unless the organisation's settings allow names."""
    organisation = get_organisation_for_user(request.user, code)
    unit = get_unit_below(organisation, unit_code)
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    context = report_context(
        gather(unit, start, end), show_officers=organisation.show_officer_names
    )
    return render(
        request,
        "organisations/unit_dashboard.html",
        {**context, "organisation": organisation, "form": form},
    )


@reads_from_replica
@require_GET
def public_page(request: HttpRequest, code: str) -> HttpResponse:
    """The transparency page a ministry links to: every unit's IKM of the last complete
    quarter, ranked, with the organisation's own figure both ways."""
    organisation = get_object_or_404(Organisation, code=code)
    start, end = previous_quarter(timezone.localdate())
    units = list(
        organisation.units_below().only("pk", "code", "name", "ikm_weight").order_by("name")
    )
    pooled, per_unit = ikm_of_units(units, start=start, end=end)
    # A unit's code is a slug, written as it is in a URL.
    results_url = url_for_each("reports:results")
    ranked = sorted(
        (
            (unit, per_unit[unit.pk], results_url(unit.code))
            for unit in units
            if unit.pk in per_unit
        ),
        key=lambda row: (-(row[1].score or 0), row[0].name),
    )
    return render(
        request,
        "organisations/public.html",
        {
            "organisation": organisation,
            "start": start,
            "end": end,
            "ranked": ranked,
            "pooled": pooled,
            "mean_of_units": mean_score(result for _u, result, _url in ranked),
            "units_without_answers": [u for u in units if u.pk not in per_unit],
        },
    )
