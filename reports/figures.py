"""The figures the head, the person in charge and the supervisor watch, for one unit and period.

One function gathers them with a fixed number of aggregate queries (whatever the data size);
the dashboard, the PDF and XLSX reports and the public results page all read this object, so
they cannot disagree.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field

from django.utils import timezone

from cases.budget import BudgetStatus, budget_status
from cases.models import CaseState
from cases.stats import case_figures
from cases.stats import overdue_count as overdue_cases
from complaints.models import Complaint, ComplaintStatus
from complaints.stats import MonthlyTable, monthly_table
from complaints.stats import overdue_count as overdue_complaints
from pulih.lib.compiled import CompiledRead, key_marker, whole_rows
from pulih.lib.replica import read_connection
from recovery.stats import RecoveryFigures, recovery_figures
from surveys.ikm import IkmResult, day_bounds, ikm_by, ikm_for, service_and_officer_figures
from surveys.sample import adequacy, profile_table
from units.models import ServiceType, Unit, User, Violation

from .periods import months_back, previous_quarter

TOP = 5


@dataclass(frozen=True)
class Share:
    """`part` of `whole` (e.g. decrees issued within the deadline of all decrees issued)."""

    part: int
    whole: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.part / self.whole, 1) if self.whole else None


@dataclass
class Figures:
    unit: Unit
    start: datetime.date
    end: datetime.date
    ikm: IkmResult
    previous_start: datetime.date
    previous_end: datetime.date
    previous_ikm: IkmResult
    monthly: list[tuple[datetime.date, IkmResult]]
    by_service: list[tuple[ServiceType, IkmResult]]
    by_officer: list[tuple[User, IkmResult]]
    services_delivered: int
    sample_required: int
    sample_adequate: bool | None
    profile: list[dict]
    cases_by_state: dict[str, int]
    decrees_on_time: Share
    compensations_on_time: Share
    overdue_cases: int
    overdue_complaints: int
    violations: list[tuple[Violation, int]]
    poor_by_service: list[tuple[str, int]]
    poor_by_officer: list[tuple[User, int]]
    complaints_received: int
    complaints_answered: int
    complaints_table: MonthlyTable
    budget: BudgetStatus
    recovery: RecoveryFigures
    extra: dict = field(default_factory=dict)

    @property
    def cases_total(self) -> int:
        return sum(self.cases_by_state.values())

    @property
    def cases_rows(self) -> list[tuple[str, str, int]]:
        return [(s.value, s.label, self.cases_by_state.get(s.value, 0)) for s in CaseState]


def _names(model, ids) -> dict:
    return {obj.pk: obj for obj in model.objects.filter(pk__in=list(ids))}


@functools.cache
def _service_types_read() -> CompiledRead:
    rows = ServiceType.objects.filter(unit=key_marker(0)).order_by("name", "pk")
    return CompiledRead(whole_rows(rows), unit=key_marker(0))


def _service_types(unit: Unit) -> list[ServiceType]:
    """The unit's service types (those no longer offered too), by name."""
    return _service_types_read().instances(unit=unit.pk)


def _ranked(pairs, lookup):
    return [(lookup[key], result) for key, result in pairs if key in lookup]


@functools.cache
def _complaints_sql() -> str:
    """The period's complaints received and those answered (the (unit, received_at) index)."""
    return (
        "SELECT COUNT(CASE WHEN status = %s THEN 1 END), COUNT(*)"  # noqa: S608
        f" FROM {Complaint._meta.db_table}"
        " WHERE unit_id = %s AND received_at >= %s AND received_at < %s"
    )


def _complaint_counts(
    unit: Unit, since: datetime.datetime, until: datetime.datetime
) -> tuple[int, int]:
    """(answered, received) of the complaints received in [since, until)."""
    connection = read_connection()
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            _complaints_sql(),
            [ComplaintStatus.ANSWERED.value, unit.pk, adapt(since), adapt(until)],
        )
        answered, received = cursor.fetchone()
    return int(answered), int(received)


def gather(unit: Unit, start: datetime.date, end: datetime.date) -> Figures:
    since, until = day_bounds(unit, start, end)
    ikm = ikm_for(unit, start=start, end=end)
    sample = adequacy(unit, start, end, ikm.respondents)
    previous_start, previous_end = previous_quarter(start)
    # The IKM per service and per officer and the period's poor ratings (flagged responses)
    # of each, from the daily tallies in one statement.
    per = service_and_officer_figures(unit, start=start, end=end)
    by_service, by_officer = per.by_service, per.by_officer
    poor_by_service, poor_by_officer = per.flagged_by_service, per.flagged_by_officer
    # In the database's order of their names: the poor ratings' ties are ranked by name.
    wanted = {*(k for k, _ in by_service), *poor_by_service}
    services = {s.pk: s for s in _service_types(unit) if s.pk in wanted}
    officers = _names(User, {*(k for k, _ in by_officer), *poor_by_officer})
    # Per service name, as the report names them (two types of one name count as one).
    poor_by_name: dict[str, int] = {}
    for service in services.values():
        if service.pk in poor_by_service:
            poor_by_name[service.name] = (
                poor_by_name.get(service.name, 0) + poor_by_service[service.pk]
            )
    rank = {name: i for i, name in enumerate(poor_by_name)}
    poor_services = sorted(poor_by_name.items(), key=lambda r: (-r[1], rank[r[0]]))[:TOP]
    poor_officers = sorted(poor_by_officer.items(), key=lambda r: (-r[1], r[0]))[:TOP]
    cases = case_figures([unit.pk], start, end)
    answered, received = _complaint_counts(unit, since, until)
    now = timezone.now()
    violations = _names(Violation, (violation for violation, _n in cases.violations))
    return Figures(
        unit=unit,
        start=start,
        end=end,
        ikm=ikm,
        previous_start=previous_start,
        previous_end=previous_end,
        previous_ikm=ikm_for(unit, start=previous_start, end=previous_end),
        monthly=ikm_by(unit, "month", start=months_back(end, 12), end=end),
        by_service=_ranked(by_service, services),
        by_officer=_ranked(by_officer, officers),
        services_delivered=sample.population,
        sample_required=sample.sample_required,
        sample_adequate=sample.sample_adequate,
        profile=profile_table(unit, start, end),
        cases_by_state=cases.by_state,
        decrees_on_time=Share(*cases.decrees),
        compensations_on_time=Share(*cases.deliveries),
        overdue_cases=overdue_cases(unit.pk, now),
        overdue_complaints=overdue_complaints(unit.pk, now),
        violations=[(violations[violation], n) for violation, n in cases.violations],
        poor_by_service=poor_services,
        poor_by_officer=[(officers[officer], n) for officer, n in poor_officers],
        complaints_received=received,
        complaints_answered=answered,
        complaints_table=monthly_table(unit, start=start, end=end),
        budget=budget_status(unit, end.year),
        recovery=recovery_figures(unit, start, end),
    )
