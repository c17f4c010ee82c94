"""manage.py ikm --unit CODE --start DATE --end DATE [--service CODE] [--officer USER] [--json]"""

from __future__ import annotations

import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from pulih.lib.errors import InvalidInput
from surveys.models import PROFILE_FIELDS
from surveys.sample import ikm_report_full, profile_filter
from surveys.services import unit_officers
from units.models import ServiceType, Unit


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from None


class Command(BaseCommand):
    help = "The IKM of a unit over a period (both dates inclusive, in the unit's time zone)."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True)
        parser.add_argument("--start", required=True, type=_date)
        parser.add_argument("--end", required=True, type=_date)
        parser.add_argument("--service", help="service type code")
        parser.add_argument("--officer", help="officer's username")
        for name in PROFILE_FIELDS:
            parser.add_argument(
                f"--{name.replace('_', '-')}", dest=name, help=f"only respondents with this {name}"
            )
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, unit, start, end, service, officer, json: bool, **options):
        target = Unit.objects.filter(code=unit).first()
        if target is None:
            raise CommandError(f"Unknown unit: {unit}")
        if start > end:
            raise CommandError("--start is after --end")
        service_type = person = None
        if service:
            service_type = ServiceType.objects.filter(unit=target, code=service).first()
            if service_type is None:
                raise CommandError(f"Unknown service type: {service}")
        if officer:
            person = unit_officers(target).filter(username=officer).first()
            if person is None:
                raise CommandError(f"Not an officer of {unit}: {officer}")
        try:
            profile = profile_filter(target, {name: options.get(name) for name in PROFILE_FIELDS})
        except InvalidInput as exc:
            raise CommandError(
                "; ".join(f"--{k.replace('_', '-')}: {' '.join(v)}" for k, v in exc.fields.items())
            ) from None
        data = ikm_report_full(target, start, end, service_type, person, profile)
        if json:
            self.stdout.write(_dumps(data))
            return
        self.stdout.write(f"IKM {data['unit']} {data['start']} .. {data['end']}")
        self.stdout.write(f"respondents: {data['respondents']}")
        self.stdout.write(f"{'code':<5} {'element':<42} {'NRR':>8} {'weighted':>9}")
        for e in data["elements"]:
            self.stdout.write(
                f"{e['code']:<5} {e['name']:<42} {e['nrr']:>8.4f} {e['weighted']:>9.4f}"
            )
        if data["ikm"] is None:
            self.stdout.write("no responses in this period")
            return
        sample = (
            "unknown population" if data["sample_adequate"] is None
            else "adequate" if data["sample_adequate"] else "TOO SMALL"
        )  # fmt: skip
        self.stdout.write(
            f"population: {data['population']}  sample required: {data['sample_required']}  "
            f"sample: {sample}"
        )
        if data["sample_adequate"] is False:
            self.stdout.write(f"shortfall: {data['sample_shortfall']} more respondents needed")
        self.stdout.write(f"IKM (1-4): {data['ikm']:.4f}")
        self.stdout.write(f"score: {data['score']:.2f}  grade: {data['grade']}  ({data['label']})")


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False)
