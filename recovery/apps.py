from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from units.signals import recount_when_time_zone_changes


class RecoveryConfig(AppConfig):
    name = "recovery"
    verbose_name = _("Customer recovery")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from cases.models import Delivery

        from . import tally
        from .services import issue_followup_for_delivery

        recount_when_time_zone_changes(tally.rebuild, "recovery.tally")

        # The follow-up is issued, and the delivery counted in the recovery tallies, in the
        # same transaction as the delivery that causes it.
        post_save.connect(
            issue_followup_for_delivery, sender=Delivery, dispatch_uid="recovery-followup"
        )
