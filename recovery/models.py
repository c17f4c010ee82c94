"""Did the compensation make the customer whole? One follow-up question per compensated case."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import Case
from units.models import ServiceType, Unit

RECOVERED_FROM = 3  # answers 3 (puas) and 4 (sangat puas) count as recovered


class RecoverySettings(models.Model):
    """A unit's follow-up rules; a unit without a row uses the defaults."""

    unit = models.OneToOneField(
        Unit, on_delete=models.CASCADE, related_name="recovery_settings", verbose_name=_("unit")
    )
    delay_days = models.PositiveSmallIntegerField(
        _("days after delivery before asking"),
        default=3,
        validators=[MaxValueValidator(60)],
    )
    valid_days = models.PositiveSmallIntegerField(
        _("days the follow-up link stays open"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("recovery follow-up settings")
        verbose_name_plural = _("recovery follow-up settings")

    def __str__(self) -> str:
        return str(self.unit)


class FollowUp(models.Model):
    """The one question asked of a compensated customer, through its own unguessable link."""

    case = models.OneToOneField(
        Case, on_delete=models.PROTECT, related_name="followup", verbose_name=_("case")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    token = models.CharField(max_length=43, unique=True)
    opens_at = models.DateTimeField(_("asked from"))
    closes_at = models.DateTimeField(_("link closes"))
    mailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(
        _("answer"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("recovery follow-up")
        verbose_name_plural = _("recovery follow-ups")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=1, score__lte=4),
                name="followup_score_1_to_4",
            ),
            models.CheckConstraint(
                condition=models.Q(answered_at__isnull=True, score__isnull=True)
                | models.Q(answered_at__isnull=False, score__isnull=False),
                name="followup_answer_complete",
            ),
        ]
        indexes = [
            # recovery_figures: the unit's follow-ups of compensations delivered in a period
            models.Index(fields=["unit", "opens_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.case} — {self.score or '-'}"

    @property
    def recovered(self) -> bool | None:
        return None if self.score is None else self.score >= RECOVERED_FROM


class RecoveryTally(models.Model):
    """Running counts of one unit's deliveries for one local day (the unit's time zone), service
    rated and set of compensation kinds delivered: how many, how many of their follow-ups were
    answered, and how many answered as recovered. Kept by recovery/tally.py in the transaction
    of the delivery and of the answer: the recovery figures add up a period's rows instead of
    joining its deliveries to their follow-ups and compensations."""

    # No index of its own: the unique constraint's and the index's first column serve it.
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", db_index=False)
    day = models.DateField()  # local date of the delivery in the unit's time zone
    # The delivery's service_type (NULL: the case's origin named none).
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The ids of the kinds of the compensation delivered, ascending, comma-separated ("3,7";
    # "": none): the names are read at the figures' time, so a renamed kind moves its counts.
    kinds = models.TextField(blank=True, default="")
    compensated = models.IntegerField(default=0)
    answered = models.IntegerField(default=0)  # the follow-up's answered_at set
    recovered = models.IntegerField(default=0)  # its score >= RECOVERED_FROM

    class Meta:
        verbose_name = _("recovery tally")
        verbose_name_plural = _("recovery tallies")
        constraints = [
            # One row per key; a NULL service counts as one key (COALESCE to 0).
            models.UniqueConstraint(
                "unit",
                "day",
                Coalesce("service_type", Value(0)),
                "kinds",
                name="recoverytally_one_per_key",
            )
        ]
        indexes = [
            # recovery_figures: a unit's period of days, read from the index alone.
            models.Index(
                fields=[
                    "unit",
                    "day",
                    "service_type",
                    "kinds",
                    "compensated",
                    "answered",
                    "recovered",
                ],
                name="recoverytally_unit_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day} {self.service_type_id} [{self.kinds}]"
