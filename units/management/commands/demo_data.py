import importlib
import importlib.util
import random

from django.core.management.base import BaseCommand

from units.demo import STAFF, create_staff
from units.standard import UNIT_CODE, load_standard

# Each domain app may offer `demo.populate(unit, staff, rng, months)`; called in this order.
DOMAIN_DEMOS = ["surveys", "complaints", "cases", "recovery", "organisations"]


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
        for app in DOMAIN_DEMOS:
            if importlib.util.find_spec(f"{app}.demo") is None:
                continue
            summary = importlib.import_module(f"{app}.demo").populate(loaded, staff, rng, months)
            if summary:
                self.stdout.write(f"{app}: {summary}")
        self.stdout.write(f"Demo logins for unit {loaded.code} (password: {password}):")
        for username, name, role, _nip in STAFF:
            self.stdout.write(f"  {username:<12} {role.label:<24} {name}")
