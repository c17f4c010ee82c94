"""Sample adequacy and the respondent profile of a period.

The population N of a period is what the unit stated for it (SurveyPopulation, when it does
not record every service in Pulih), else the services recorded in Pulih. The sample N
requires is Krejcie–Morgan's (ikm.sample_size); a period whose respondents fall short of
it is flagged wherever its IKM is shown.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Sum

from units.models import ELEMENT_CODES, ServiceType, Unit, User

from .ikm import IkmResult, compute_ikm, day_bounds, ikm_report, sample_size
from .models import PROFILE_FIELDS, ServiceRecord, SurveyPopulation, SurveyResponse
from .profile import PROFILE_LABELS, options_for


@dataclass(frozen=True)
class Adequacy:
    population: int
    stated: bool  # stated by the unit (else counted from Pulih's service records)
    sample_required: int
    respondents: int

    @property
    def sample_adequate(self) -> bool | None:
        """None when the population is unknown (nothing recorded or stated)."""
        if not self.population:
            return None
        return self.respondents >= self.sample_required

    @property
    def shortfall(self) -> int:
        return max(self.sample_required - self.respondents, 0) if self.population else 0

    def as_json(self) -> dict:
        return {
            "population": self.population,
            "population_stated": self.stated,
            "sample_required": self.sample_required,
            "sample_adequate": self.sample_adequate,
        }


def adequacy(
    unit: Unit,
    start: datetime.date,
    end: datetime.date,
    respondents: int,
    service_type: ServiceType | None = None,
    officer: User | None = None,
) -> Adequacy:
    """The population of start..end, the sample it requires and whether `respondents` meet
    it. A stated population counts for the unit as a whole (no service or officer filter):
    the sum of the stated periods lying within start..end."""
    stated = None
    if service_type is None and officer is None:
        stated = SurveyPopulation.objects.filter(
            unit=unit, start__gte=start, end__lte=end
        ).aggregate(n=Sum("population"))["n"]
    if stated is not None:
        return Adequacy(stated, True, sample_size(stated), respondents)
    since, until = day_bounds(unit, start, end)
    records = ServiceRecord.objects.filter(unit=unit, served_at__gte=since, served_at__lt=until)
    if service_type is not None:
        records = records.filter(service_type=service_type)
    if officer is not None:
        records = records.filter(officer=officer)
    population = records.count()
    return Adequacy(population, False, sample_size(population), respondents)


# --- the respondent profile ------------------------------------------------------------------


def _responses(unit: Unit, start: datetime.date, end: datetime.date):
    since, until = day_bounds(unit, start, end)
    return SurveyResponse.objects.filter(unit=unit, submitted_at__gte=since, submitted_at__lt=until)


def profile_table(unit: Unit, start: datetime.date, end: datetime.date) -> list[dict]:
    """Per profile field: each answer's count and share of the period's respondents (the
    unit's list first, in its order, then anything imported otherwise, then "not stated")."""
    qs = _responses(unit, start, end)
    total = qs.count()
    options = options_for(unit)
    table = []
    for name in PROFILE_FIELDS:
        counts = dict(qs.values_list(name).annotate(n=Count("pk")).order_by())
        labels = list(options[name]) + sorted(k for k in counts if k and k not in options[name])
        rows = [(label, counts.get(label, 0)) for label in labels]
        rows.append(("", counts.get("", 0)))
        table.append(
            {
                "field": name,
                "label": str(PROFILE_LABELS[name]),
                "rows": [
                    {
                        "value": value,
                        "count": n,
                        "share": round(100 * n / total, 2) if total else 0.0,
                    }
                    for value, n in rows
                ],
            }
        )
    return table


def ikm_for_profile(
    unit: Unit, start: datetime.date, end: datetime.date, profile: dict[str, str]
) -> IkmResult:
    """The IKM of the period's respondents with the given profile answers (e.g. sex), summed
    in SQL over the responses themselves (the tallies carry no profile)."""
    qs = _responses(unit, start, end).filter(
        **{k: v for k, v in profile.items() if k in PROFILE_FIELDS}
    )
    aggregates: dict = {"respondents": Count("pk")}
    for code in ELEMENT_CODES:
        aggregates[f"{code}_sum"] = Sum(code.lower())
        aggregates[f"{code}_n"] = Count(code.lower())
    row = qs.aggregate(**aggregates)
    totals = {c: (row[f"{c}_sum"] or 0, row[f"{c}_n"]) for c in ELEMENT_CODES}
    return compute_ikm(
        totals, respondents=row["respondents"], legacy_weight=unit.ikm_weight == "legacy"
    )


def ikm_report_full(
    unit: Unit,
    start: datetime.date,
    end: datetime.date,
    service_type: ServiceType | None = None,
    officer: User | None = None,
    profile: dict[str, str] | None = None,
) -> dict:
    """The object of `manage.py ikm --json` and GET /api/v1/ikm/: the IKM (of the respondents
    with `profile`, if given), the sample's adequacy and the respondent profile table."""
    profile = {k: v for k, v in (profile or {}).items() if k in PROFILE_FIELDS and v}
    data = ikm_report(unit, start, end, service_type, officer)
    if profile and service_type is None and officer is None:
        data.update(ikm_for_profile(unit, start, end, profile).as_json())
        data["profile_filter"] = profile
    whole = adequacy(unit, start, end, data["respondents"], service_type, officer)
    data.update(whole.as_json())
    data["profile"] = profile_table(unit, start, end)
    return data
