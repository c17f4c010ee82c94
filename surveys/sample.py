"""Sample adequacy and the respondent profile of a period.

The population N of a period is what the unit stated for it (SurveyPopulation, when it does
not record every service in Pulih), else the services recorded in Pulih (their daily counts,
RecordTally; of one service type or officer, the records themselves). The sample N
requires is Krejcie–Morgan's (ikm.sample_size); a period whose respondents fall short of
it is flagged wherever its IKM is shown.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from pulih.lib.compiled import CompiledRead, date_marker, key_marker, moment_marker
from pulih.lib.errors import InvalidInput
from units.models import ELEMENT_CODES, IkmWeight, ServiceType, Unit, User

from . import record_tally
from .ikm import (
    EMPTY,
    IkmResult,
    compute_ikm,
    day_bounds,
    ikm_report,
    period_sums,
    sample_size,
)
from .models import (
    PROFILE_FIELDS,
    PROFILE_MAX_LENGTH,
    WHOLE_DAY,
    ServiceRecord,
    SurveyPopulation,
    SurveyResponse,
    UnitDayTally,
)
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
            "sample_shortfall": self.shortfall,
        }


def _stated(start: object, end: object, **units: object):
    """Per unit of `units`, the sum (n) of the populations it stated for periods lying
    within start..end (no row for a unit that stated none)."""
    stated = SurveyPopulation.objects.filter(**units, start__gte=start, end__lte=end)
    return stated.order_by().values("unit").annotate(n=Sum("population"))


@functools.cache
def _stated_read() -> CompiledRead:
    """The sum of the populations the unit stated for periods lying within start..end (no
    row when it stated none)."""
    rows = _stated(date_marker(0), date_marker(1), unit=key_marker(0)).values_list("n")
    return CompiledRead(rows, unit=key_marker(0), start=date_marker(0), end=date_marker(1))


@functools.cache
def _records_read(by_service: bool, by_officer: bool) -> CompiledRead:
    """The unit's service records of [since, until), of one service type or officer (the
    unit's whole population is its RecordTally's: record_tally.population)."""
    markers: dict = {"unit": key_marker(0), "since": moment_marker(0), "until": moment_marker(1)}
    lookups = {"unit": markers["unit"], "served_at__gte": markers["since"]}
    lookups["served_at__lt"] = markers["until"]
    if by_service:
        markers["service_type"] = lookups["service_type"] = key_marker(1)
    if by_officer:
        markers["officer"] = lookups["officer"] = key_marker(2)
    return CompiledRead(ServiceRecord.objects.filter(**lookups).values_list("pk"), **markers)


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
    if service_type is None and officer is None:
        stated = _stated_read().value(unit=unit.pk, start=start, end=end)
        if stated is not None:
            return Adequacy(stated, True, sample_size(stated), respondents)
        recorded = record_tally.population(unit, start, end)
        return Adequacy(recorded, False, sample_size(recorded), respondents)
    since, until = day_bounds(unit, start, end)
    keys = {"unit": unit.pk, "since": since, "until": until}
    if service_type is not None:
        keys["service_type"] = service_type.pk
    if officer is not None:
        keys["officer"] = officer.pk
    population = _records_read(service_type is not None, officer is not None).count(**keys)
    return Adequacy(population, False, sample_size(population), respondents)


def populations(unit_ids: Sequence[int], start: datetime.date, end: datetime.date) -> dict:
    """{unit id: its population of start..end as `adequacy` takes it for the whole unit:
    the populations it stated for periods within start..end, else the services it recorded}
    (units with neither left out), in two queries whatever the number of units."""
    stated = _stated(start, end, unit_id__in=unit_ids).values_list("unit", "n")
    return {**record_tally.populations(unit_ids, start, end), **dict(stated)}


# --- the respondent profile ------------------------------------------------------------------


def _responses(unit: Unit, start: datetime.date, end: datetime.date):
    since, until = day_bounds(unit, start, end)
    return SurveyResponse.objects.filter(unit=unit, submitted_at__gte=since, submitted_at__lt=until)


def _element_sums() -> dict:
    aggregates: dict = {"respondents": Count("pk")}
    for code in ELEMENT_CODES:
        aggregates[f"{code}_sum"] = Sum(code.lower())
        aggregates[f"{code}_n"] = Count(code.lower())
    return aggregates


def _result(unit: Unit, row: dict) -> IkmResult:
    totals = {c: (row[f"{c}_sum"] or 0, row[f"{c}_n"]) for c in ELEMENT_CODES}
    return compute_ikm(
        totals, respondents=row["respondents"], legacy_weight=unit.ikm_weight == IkmWeight.LEGACY
    )


def profile_table(unit: Unit, start: datetime.date, end: datetime.date) -> list[dict]:
    """Per profile field: each answer's count, share of the period's respondents and the IKM
    score of those who gave it (the unit's list first, in its order, then anything imported
    otherwise, then "not stated"), from the unit's monthly and edge-day tallies
    (`period_sums`). "Not stated" is the period's whole-day totals minus the stated answers'
    (every count and sum subtracted exactly); the shares are of all the period's respondents."""
    groups = period_sums(
        start,
        end,
        ("profile_field", "profile_value"),
        unit=unit,
        profile_field__in=[WHOLE_DAY, *PROFILE_FIELDS],
    )
    total, whole = groups.get((WHOLE_DAY, ""), EMPTY)
    legacy = unit.ikm_weight == IkmWeight.LEGACY
    options = options_for(unit)
    table = []
    for name in PROFILE_FIELDS:
        stated = {value: sums for (field, value), sums in groups.items() if field == name}
        labels = list(options[name]) + sorted(k for k in stated if k not in options[name])
        not_stated = (
            total - sum(n for n, _totals in stated.values()),
            {
                c: (
                    whole[c][0] - sum(t[c][0] for _n, t in stated.values()),
                    whole[c][1] - sum(t[c][1] for _n, t in stated.values()),
                )
                for c in ELEMENT_CODES
            },
        )
        rows = []
        for value, (n, totals) in [
            *((v, stated.get(v, (0, {}))) for v in labels),
            ("", not_stated),
        ]:
            score = compute_ikm(totals, respondents=n, legacy_weight=legacy).score if n else None
            rows.append(
                {
                    "value": value,
                    "count": n,
                    "share": round(100 * n / total, 2) if total else 0.0,
                    "score": float(score) if score is not None else None,
                }
            )
        table.append({"field": name, "label": str(PROFILE_LABELS[name]), "rows": rows})
    return table


def profile_filter(unit: Unit, values: Mapping[str, object]) -> dict[str, str]:
    """The profile answers to filter the IKM by, from a query (`sex=Perempuan`, …): each must
    be an answer of the unit's list or one its responses hold (imports keep their own
    wording: the unit's day tallies have a row of it). Raises InvalidInput naming each bad field."""
    given = {n: str(values.get(n) or "").strip() for n in PROFILE_FIELDS}
    if not any(given.values()):
        return {}
    options = options_for(unit)
    chosen: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for name, value in given.items():
        if not value:
            continue
        if value in options[name] or (
            len(value) <= PROFILE_MAX_LENGTH
            and UnitDayTally.objects.filter(
                unit=unit, profile_field=name, profile_value=value
            ).exists()
        ):
            chosen[name] = value
        else:
            errors[name] = [
                _("Unknown answer for %(field)s: use one of the unit's list (%(values)s).")
                % {"field": PROFILE_LABELS[name], "values": ", ".join(options[name])}
            ]
    if errors:
        raise InvalidInput(_("The profile filter is not valid."), fields=errors)
    return chosen


def ikm_for_profile(
    unit: Unit,
    start: datetime.date,
    end: datetime.date,
    profile: dict[str, str],
    service_type: ServiceType | None = None,
    officer: User | None = None,
) -> IkmResult:
    """The IKM of the period's respondents with the given profile answers (e.g. sex), of one
    service or officer if given. One answer of one field, for the whole unit, sums that
    answer's day tallies; a combination of several fields, or one with a service or officer,
    is summed in SQL over the responses themselves (no tally is kept per combination)."""
    profile = {k: v for k, v in profile.items() if k in PROFILE_FIELDS}
    if len(profile) == 1 and service_type is None and officer is None:
        ((name, value),) = profile.items()
        if value:
            respondents, totals = period_sums(
                start, end, unit=unit, profile_field=name, profile_value=value
            ).get((), EMPTY)
            return compute_ikm(
                totals, respondents=respondents, legacy_weight=unit.ikm_weight == IkmWeight.LEGACY
            )
    qs = _responses(unit, start, end).filter(**profile)
    if service_type is not None:
        qs = qs.filter(service_type=service_type)
    if officer is not None:
        qs = qs.filter(officer=officer)
    return _result(unit, qs.aggregate(**_element_sums()))


def ikm_report_full(
    unit: Unit,
    start: datetime.date,
    end: datetime.date,
    service_type: ServiceType | None = None,
    officer: User | None = None,
    profile: dict[str, str] | None = None,
) -> dict:
    """The object of `manage.py ikm --json` and GET /api/v1/ikm/: the IKM (of the respondents
    with `profile`, if given: check it with `profile_filter` first), the sample's adequacy
    (of all the period's respondents: the sample is drawn from them all) and the respondent
    profile table."""
    profile = {k: v for k, v in (profile or {}).items() if k in PROFILE_FIELDS and v}
    data = ikm_report(unit, start, end, service_type, officer)
    whole = adequacy(unit, start, end, data["respondents"], service_type, officer)
    if profile:
        data.update(ikm_for_profile(unit, start, end, profile, service_type, officer).as_json())
    data.update(whole.as_json())
    data["profile_filter"] = profile
    data["profile"] = profile_table(unit, start, end)
    return data
