import random

from django.core.management.base import BaseCommand

from pulih.lib.registry import demo_populators
from units.demo import STAFF, create_staff
from units.standard import UNIT_CODE, load_standard


class Command(BaseCommand):
    help = "Create demo staff (one account per role) and a few months of activity."

    def add_arguments(self, parser):
        parser.add_argument("--password", required=True)
        parser.add_argument("--unit", default=UNIT_CODE)
        parser.add_argument("--months", type=int, default=4)
        parser.add_argument("--seed", type=int, default=2023)

    def handle(self, *args, password, unit, months, seed, **options):
        loaded, _ = load_standard(unit)
        staff = create_staff(loaded, password)
        rng = random.Random(seed)
        for populate in demo_populators:  # each app's demo.py, in its registered order
            summary = populate(loaded, staff, rng, months)
            if summary:
                app = populate.__module__.split(".")[0]
                self.stdout.write(f"{app}: {summary}")
        self.stdout.write(f"Demo logins for unit {loaded.code} (password: {password}):")
        for username, name, role, _nip in STAFF:
            self.stdout.write(f"  {username:<12} {role.label:<24} {name}")
