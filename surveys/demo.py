"""Demo data: a few months of services, survey answers (about 8% flagged) and daily checks."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from pulih.lib.registry import demo_populators
from pulih.lib.workdays import is_working_day
from units.demo import DemoStaff
from units.models import ELEMENT_CODES, ServiceType, Unit

from .daily import check_due
from .models import CustomerKind, DailyCheck, ResponseSource, ServiceRecord
from .services import record_service, submit_response

FIRST = [
    "Ahmad",
    "Budi",
    "Citra",
    "Dian",
    "Eka",
    "Fitri",
    "Gusti",
    "Hana",
    "Indah",
    "Joko",
    "Kartika",
    "Lestari",
    "Made",
    "Nanda",
    "Putu",
    "Rizky",
    "Sri",
    "Teguh",
    "Wahyu",
    "Yuni",
]
LAST = [
    "Saputra",
    "Wijaya",
    "Lestari",
    "Pratama",
    "Hidayat",
    "Siregar",
    "Nugroho",
    "Rahayu",
    "Kusuma",
    "Santoso",
    "Harahap",
    "Simanjuntak",
    "Anggraini",
    "Purba",
]
GOOD_COMMENTS = [
    "Pelayanan cepat dan ramah, terima kasih.",
    "Petugas sangat membantu.",
    "Informasi jelas.",
    "",
]
POOR_COMMENTS = [
    "Saya menunggu terlalu lama.",
    "Petugas kurang ramah saat melayani.",
    "Penjelasan petugas membingungkan.",
    "Ruang tunggu panas dan sempit.",
    "",
]


def _good_answers(rng: random.Random) -> dict[str, int]:
    return {c: rng.choice((3, 3, 4, 4, 4)) for c in ELEMENT_CODES}


def _answers(rng: random.Random, unit: Unit) -> tuple[dict[str, int], str]:
    answers = _good_answers(rng)
    roll = rng.random()
    if roll < 0.06:  # a poor rating of the officer
        for code in rng.sample(unit.officer_elements, k=rng.choice((1, 1, 2))):
            answers[code] = rng.choice((1, 2, 2))
        return answers, rng.choice(POOR_COMMENTS[:3])
    if roll < 0.08:  # a poor rating of the facilities or the tariff
        answers[rng.choice(("U8", "U8", "U4"))] = 2
        return answers, POOR_COMMENTS[3]
    if rng.random() < 0.05:
        del answers["U4"]  # some leave the tariff question out
    return answers, rng.choice(GOOD_COMMENTS)


@transaction.atomic
@demo_populators.register(order=10)
def populate(unit: Unit, staff: DemoStaff, rng: random.Random, months: int) -> str:
    if ServiceRecord.objects.filter(unit=unit).exists():
        return ""
    services = list(ServiceType.objects.filter(unit=unit, active=True))
    officers = staff.officers
    back_office = staff.one("back_office")
    zone = unit.zone
    now = timezone.now()
    today = unit.local_date(now)
    start = today - datetime.timedelta(days=30 * months)
    records = responses = 0
    response_days: set[datetime.date] = set()
    day = start
    while day <= today:
        if is_working_day(day):
            for _ in range(rng.randint(2, 5)):
                officer = rng.choice(officers)
                served_at = datetime.datetime.combine(
                    day, datetime.time(rng.randint(8, 14), rng.randint(0, 59)), tzinfo=zone
                )
                if served_at >= now:
                    continue
                record = record_service(
                    unit,
                    actor=officer,
                    service_type=rng.choice(services),
                    officer=officer,
                    customer_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    customer_contact=f"08{rng.randint(11, 13)}{rng.randint(10**7, 10**8 - 1)}",
                    customer_kind=rng.choice(
                        (CustomerKind.EXTERNAL,) * 4 + (CustomerKind.INTERNAL,)
                    ),
                    channel=rng.choice(("in_person",) * 4 + ("web", "phone")),
                    served_at=served_at,
                )
                records += 1
                submitted_at = served_at + datetime.timedelta(minutes=rng.randint(5, 120))
                if rng.random() < 0.8 and submitted_at < now:
                    answers, comment = _answers(rng, unit)
                    submit_response(
                        unit,
                        answers=answers,
                        comment=comment,
                        submitted_at=submitted_at,
                        service_type=record.service_type,
                        officer=record.officer,
                        service_record=record,
                        source=ResponseSource.WEB,
                    )
                    responses += 1
                    response_days.add(unit.local_date(submitted_at))
            if rng.random() < 0.3:  # a walk-in customer answers at the counter poster
                submitted_at = datetime.datetime.combine(day, datetime.time(11, 30), tzinfo=zone)
                if submitted_at < now:
                    answers, comment = _answers(rng, unit)
                    submit_response(
                        unit,
                        answers=answers,
                        comment=comment,
                        submitted_at=submitted_at,
                        service_type=rng.choice(services),
                        officer=rng.choice([*officers, None]),
                    )
                    responses += 1
                    response_days.add(day)
        day += datetime.timedelta(days=1)
    # The back office signed most past days the next morning; a couple were missed.
    past = sorted(d for d in response_days if d < today)
    missed = set(rng.sample(past[:-5], k=min(2, max(len(past) - 5, 0))))
    checks = []
    for d in past[:-1]:
        if d in missed:
            continue
        due = check_due(unit, d)
        signed_at = datetime.datetime.combine(
            due.astimezone(zone).date(), datetime.time(8, rng.randint(0, 59)), tzinfo=zone
        )
        if signed_at >= now:
            continue
        # Seed data written directly: sign_daily_check stamps "now", the demo needs the past.
        checks.append(DailyCheck(unit=unit, day=d, signed_by=back_office, signed_at=signed_at))
    DailyCheck.objects.bulk_create(checks)
    return (
        f"{records} service records, {responses} survey responses, "
        f"{len(checks)} daily checks ({len(missed)} days missed)"
    )
