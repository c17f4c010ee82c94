from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from units.signals import recount_when_time_zone_changes


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Satisfaction surveys")

    def ready(self) -> None:
        from . import record_tally, tally

        recount_when_time_zone_changes(tally.rebuild, "surveys.tally")
        recount_when_time_zone_changes(record_tally.rebuild, "surveys.record_tally")
