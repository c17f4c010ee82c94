from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from units.signals import recount_when_time_zone_changes


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Sanction and compensation cases")

    def ready(self) -> None:
        from . import tally

        recount_when_time_zone_changes(tally.rebuild, "cases.tally")
