from django.core.management.base import BaseCommand, CommandError

from pulih.personal_data import erase_personal_data, find_personal_data
from units.models import User

from ._personal import add_person_arguments, unit_and_query


class Command(BaseCommand):
    help = (
        "Erase one customer's personal data on their request (UU 27/2022): names and contacts "
        "are anonymised in one transaction, files they sent are deleted; ratings, complaints "
        "and cases are kept. Without --yes, only shows what would be erased."
    )

    def add_arguments(self, parser):
        add_person_arguments(parser)
        parser.add_argument("--yes", action="store_true", help="really erase")
        parser.add_argument("--actor", help="username of the staff member handling the request")

    def handle(self, *args, **options):
        unit, query = unit_and_query(options)
        actor = None
        if options["actor"]:
            actor = User.objects.filter(username=options["actor"]).first()
            if actor is None:
                raise CommandError(f"No user {options['actor']!r}.")
        if not options["yes"]:
            found = find_personal_data(unit, query)
            for source, records in found.items():
                self.stdout.write(f"{source}: {len(records)} records would be anonymised")
            raise CommandError("Nothing erased: pass --yes to erase.")
        log = erase_personal_data(unit, query, actor=actor)
        for source, count in log.counts.items():
            self.stdout.write(f"{source}: {count} records anonymised")
        self.stdout.write(f"{log.total} records anonymised in total (erasure log #{log.pk})")
