"""The unit (tenant), its people and roles, and its standard as editable catalogues."""

from __future__ import annotations

import datetime
import uuid
import zoneinfo
from collections.abc import Iterable

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pulih.lib.models import AppendOnly
from pulih.lib.money import rupiah

from .signals import time_zone_changed

ELEMENT_CODES = [f"U{i}" for i in range(1, 10)]


class Role(models.TextChoices):
    BACK_OFFICE = "back_office", _("Back office")
    OFFICER = "officer", _("Officer")
    COORDINATOR = "coordinator", _("ULT coordinator")
    PERSON_IN_CHARGE = "person_in_charge", _("ULT person in charge")
    HEAD = "head", _("Head")
    SUPERVISOR = "supervisor", _("Internal supervisor")
    ADMIN = "admin", _("Unit administrator")


class Severity(models.TextChoices):
    LIGHT = "light", _("Light")
    MODERATE = "moderate", _("Moderate")
    HEAVY = "heavy", _("Heavy")


# PP 94/2021's order of severity: a sanction matches the most severe violation found.
SEVERITY_ORDER = [Severity.LIGHT, Severity.MODERATE, Severity.HEAVY]


def most_severe(levels) -> str | None:
    """The highest of `levels` (light < moderate < heavy), or None for none."""
    levels = list(levels)
    return max(levels, key=SEVERITY_ORDER.index) if levels else None


class DayKind(models.TextChoices):
    CALENDAR = "calendar", _("Calendar days")
    WORKING = "working", _("Working days")


class IkmWeight(models.TextChoices):
    EXACT = "exact", _("Exact 1/k")
    LEGACY = "legacy", _("Legacy 0.111")


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone: %(value)s"), params={"value": value})


def validate_elements(value: str) -> None:
    for code in (c.strip() for c in value.split(",") if c.strip()):
        if code not in ELEMENT_CODES:
            raise ValidationError(_("Unknown survey element: %(code)s"), params={"code": code})


LOGO_MAX_BYTES = 512 * 1024


def validate_logo(value) -> None:
    if value.size > LOGO_MAX_BYTES:
        raise ValidationError(_("The logo may be at most 512 KB."))
    head = value.read(8)
    value.seek(0)
    if not (head.startswith(b"\x89PNG") or head.startswith(b"\xff\xd8")):
        raise ValidationError(_("The logo must be a PNG or JPEG image."))


def unit_file_path(instance: Unit, filename: str) -> str:
    # The stored name is random; these files are never served from MEDIA_URL.
    extension = filename.rsplit(".", 1)[-1].lower()[:5] if "." in filename else "bin"
    return f"units/{instance.code}/{uuid.uuid4().hex}.{extension}"


class User(AbstractUser):
    """A member of staff. Customers never log in."""

    full_name = models.CharField(_("full name with titles"), max_length=200, blank=True)
    nip = models.CharField(_("NIP"), max_length=30, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


# The days a unit's dates may take (a client-sent date outside them is clamped or refused).
FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(2999, 12, 31)
ONE_DAY = datetime.timedelta(days=1)


class Unit(models.Model):
    """A public service unit running its own standard."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    service_unit_name = models.CharField(
        _("service desk name"), max_length=200, default="Unit Layanan Terpadu (ULT)"
    )
    parent_organisation = models.CharField(_("parent organisation"), max_length=300, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    head_title = models.CharField(_("head's title"), max_length=200, blank=True)
    head_name = models.CharField(_("head's name"), max_length=200, blank=True)
    head_nip = models.CharField(_("head's NIP"), max_length=30, blank=True)
    letterhead_lines = models.TextField(
        _("letterhead lines"), blank=True, help_text=_("One line per row, top to bottom.")
    )
    logo = models.FileField(
        _("logo"),
        upload_to=unit_file_path,
        blank=True,
        validators=[validate_logo],
        help_text=_("PNG or JPEG, at most 512 KB; printed at the left of the letterhead."),
    )
    copy_recipients = models.TextField(
        _("copies to (tembusan)"),
        blank=True,
        help_text=_("One recipient per line; printed as the tembusan of the unit's letters."),
    )
    letter_number_pattern = models.CharField(
        _("letter number pattern"),
        max_length=100,
        default="{seq:04d}/C7.22/{code}/{year}",
        help_text=_(
            "Numbers the unit's other letters (summons, hearing record, apology letter, recap). "
            "Placeholders: {seq} (sequence of that kind of letter within the year), {code} "
            "(the letter's classification code) and {year}."
        ),
    )
    signing_certificate = models.FileField(
        _("signing certificate (PKCS#12)"),
        upload_to=unit_file_path,
        blank=True,
        help_text=_(
            "A .p12/.pfx file with the key and certificate that seal issued documents "
            "(PAdES). Leave empty to issue unsealed documents."
        ),
    )
    signing_passphrase = models.CharField(
        _("passphrase of the signing certificate"), max_length=200, blank=True
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Jakarta", validators=[validate_timezone]
    )
    # The standard's own decree (the document that sets this standard).
    standard_decree_number = models.CharField(
        _("decree number of the standard"), max_length=100, blank=True
    )
    standard_decree_date = models.DateField(_("date of the standard"), null=True, blank=True)
    # Free-text components of the standard, shown as the document shows them.
    time_limit_text = models.TextField(_("service time limit"), blank=True)
    cost_text = models.TextField(_("cost/tariff"), blank=True)
    compensation_intro = models.TextField(_("service product (compensation)"), blank=True)
    internal_supervision = models.TextField(_("internal supervision"), blank=True)
    staff_count_text = models.CharField(_("number of officers"), max_length=100, blank=True)
    service_guarantee = models.TextField(_("service guarantee"), blank=True)
    security_guarantee = models.TextField(_("security and safety guarantee"), blank=True)
    performance_evaluation = models.TextField(_("performance evaluation"), blank=True)
    # Settings of the satisfaction method and the decree.
    api_token_days = models.PositiveSmallIntegerField(
        _("API tokens last (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text=_("An API token stops working this many days after it was issued."),
    )
    flag_elements = models.CharField(
        _("elements the officer answers for"),
        max_length=40,
        default="U3,U6,U7",
        validators=[validate_elements],
        help_text=_("Comma-separated element codes; a poor score on these opens a case."),
    )
    flag_threshold = models.PositiveSmallIntegerField(
        _("flagging threshold"),
        default=2,
        validators=[MinValueValidator(1)],
        help_text=_("A score at or below this value flags the response (2 = kurang)."),
    )
    ikm_weight = models.CharField(
        _("IKM weight"), max_length=10, choices=IkmWeight.choices, default=IkmWeight.EXACT
    )
    decree_number_pattern = models.CharField(
        _("decree number pattern"),
        max_length=100,
        default="{seq:04d}/C7.22/OT.02.02/{year}",
        help_text=_("Placeholders: {seq} (sequence within the year) and {year}."),
    )
    personal_data_retention_years = models.PositiveSmallIntegerField(
        _("personal data retention (years)"),
        default=5,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Customers' names and contacts older than this are anonymised by "
            "`manage.py apply_retention` (UU 27/2022 on personal data protection: keep "
            "personal data no longer than needed). Ratings, complaints and cases are kept."
        ),
    )
    # Due process (PP 94/2021 Pasal 27–29 and the objection of Pasal 35 ff.): unit settings.
    summonses_before_evidence = models.PositiveSmallIntegerField(
        _("summonses before a proposal on the evidence"),
        default=2,
        validators=[MinValueValidator(1)],
        help_text=_(
            "When the officer misses this many summonses, the coordinator may propose a "
            "sanction on the evidence without a hearing (PP 94/2021: after the second)."
        ),
    )
    objection_days = models.PositiveSmallIntegerField(
        _("days to lodge an objection"),
        default=14,
        validators=[MinValueValidator(1)],
        help_text=_("Calendar days after the decree within which the officer may object."),
    )
    objection_decider = models.CharField(
        _("who decides an objection"),
        max_length=20,
        choices=[(r.value, r.label) for r in (Role.HEAD, Role.PERSON_IN_CHARGE, Role.SUPERVISOR)],
        default=Role.HEAD,
    )
    history = HistoricalRecords(excluded_fields=["signing_passphrase"])

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        """Save; when the time zone changes, every app recounts what it keeps per local day
        of the unit in the same transaction (`units.signals.time_zone_changed`). A queryset's
        `update()` of the zone bypasses this, as it bypasses every save."""
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        fields = kwargs.get("update_fields")
        with transaction.atomic(using=using):
            before = None
            if not self._state.adding and (fields is None or "time_zone" in fields):
                saved = type(self)._base_manager.using(using).filter(pk=self.pk)
                before = saved.values_list("time_zone", flat=True).first()
            super().save(*args, **kwargs)
            if before is not None and before != self.time_zone:
                time_zone_changed.send(sender=type(self), unit=self)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    # --- the unit's local day: every "today", day and period is counted in its time zone ---

    def local_time(self, moment: datetime.datetime | None = None) -> datetime.datetime:
        """`moment` (default: now) on the unit's clock."""
        return timezone.localtime(moment or timezone.now(), self.zone)

    def local_date(self, moment: datetime.datetime) -> datetime.date:
        """The unit's calendar day at `moment`."""
        return self.local_time(moment).date()

    def local_dates(self, moments: Iterable[datetime.datetime]) -> list[datetime.date]:
        """`local_date` of each of `moments` (an import's batch): the zone looked up once, and
        a moment already on the unit's clock (a time read from its file) read as it is."""
        zone = self.zone
        return [
            (moment if moment.tzinfo is zone else timezone.localtime(moment, zone)).date()
            for moment in moments
        ]

    def today(self) -> datetime.date:
        return self.local_time().date()

    def day_start(self, day: datetime.date) -> datetime.datetime:
        """00:00 of `day` on the unit's clock (days clamped to FIRST_DAY..LAST_DAY, so no
        client-sent date overflows a datetime)."""
        day = min(max(day, FIRST_DAY), LAST_DAY)
        return datetime.datetime.combine(day, datetime.time.min, tzinfo=self.zone)

    def end_of_day(self, day: datetime.date) -> datetime.datetime:
        """23:59:59 of `day` on the unit's clock: when a deadline falling on `day` ends."""
        return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=self.zone)

    def day_bounds(
        self, start: datetime.date, end: datetime.date
    ) -> tuple[datetime.datetime, datetime.datetime]:
        """[since, until): aware datetimes covering the local days start..end."""
        after = min(max(end, FIRST_DAY), LAST_DAY) + ONE_DAY
        return self.day_start(start), datetime.datetime.combine(after, datetime.time.min, self.zone)

    def period_bounds(
        self, start: datetime.date | None, end: datetime.date | None
    ) -> tuple[datetime.datetime | None, datetime.datetime | None]:
        """`day_bounds` for an open period: None where a bound is not given."""
        since = self.day_start(start) if start else None
        until = self.day_bounds(end, end)[1] if end else None
        return since, until

    @property
    def officer_elements(self) -> list[str]:
        return [c.strip() for c in self.flag_elements.split(",") if c.strip()]

    def _certificate_opens(self) -> bool:
        from cryptography.hazmat.primitives.serialization import pkcs12

        try:
            self.signing_certificate.open("rb")
            data = self.signing_certificate.read()
            self.signing_certificate.seek(0)
            passphrase = self.signing_passphrase.encode() if self.signing_passphrase else None
            key, certificate, _more = pkcs12.load_key_and_certificates(data, passphrase)
        except (OSError, ValueError, TypeError):
            return False
        return key is not None and certificate is not None

    @property
    def copies_to(self) -> list[str]:
        return [line.strip() for line in self.copy_recipients.splitlines() if line.strip()]

    def clean(self) -> None:
        errors = {}
        try:
            self.decree_number_pattern.format(seq=1, year=2000)
        except (KeyError, IndexError, ValueError):
            errors["decree_number_pattern"] = _("Invalid pattern.")
        try:
            self.letter_number_pattern.format(seq=1, year=2000, code="X")
        except (KeyError, IndexError, ValueError):
            errors["letter_number_pattern"] = _("Invalid pattern.")
        if self.signing_certificate and not self._certificate_opens():
            errors["signing_certificate"] = _(
                "This PKCS#12 file does not open with the passphrase given."
            )
        if errors:
            raise ValidationError(errors)


class Membership(models.Model):
    """One role of one user in one unit; a user may hold several."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("unit")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_membership_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.unit.code})"


class CatalogueEntry(models.Model):
    """An entry of one of the unit's catalogues, named by a stable code."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("unit")
    )
    code = models.SlugField(
        _("code"), max_length=50, validators=[RegexValidator(r"^[a-z0-9][a-z0-9_-]*$")]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return getattr(self, "name", None) or getattr(self, "text", self.code)


def _unique_code(model: str):
    return [models.UniqueConstraint(fields=["unit", "code"], name=f"unique_{model}_code")]


class ServiceType(CatalogueEntry):
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("service type")
        verbose_name_plural = _("service types")
        constraints = _unique_code("servicetype")


class Violation(CatalogueEntry):
    text = models.TextField(_("text"))
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.MODERATE
    )
    history = HistoricalRecords()

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        constraints = _unique_code("violation")


class SanctionKind(CatalogueEntry):
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=Severity.choices)
    legal_reference = models.CharField(_("legal reference"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("sanction kind")
        verbose_name_plural = _("sanction kinds")
        constraints = _unique_code("sanctionkind")


class CompensationKind(CatalogueEntry):
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("compensation kind")
        verbose_name_plural = _("compensation kinds")
        constraints = _unique_code("compensationkind")


class ComplaintChannel(CatalogueEntry):
    """How complaints reach the unit: letter, phone/SMS/WA, social media, email, web, in person."""

    name = models.CharField(_("name"), max_length=200)
    contact = models.TextField(_("contact details"), blank=True)
    history = HistoricalRecords()

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("complaint channel")
        verbose_name_plural = _("complaint channels")
        constraints = _unique_code("complaintchannel")


class DeadlineRule(CatalogueEntry):
    """A deadline: `length` days of `day_kind` from `start_event` until `end_event` is due."""

    name = models.CharField(_("name"), max_length=200)
    start_event = models.CharField(_("starts at"), max_length=50)
    end_event = models.CharField(_("ends at"), max_length=50)
    length = models.PositiveSmallIntegerField(_("length"))
    day_kind = models.CharField(
        _("days"), max_length=10, choices=DayKind.choices, default=DayKind.CALENDAR
    )
    history = HistoricalRecords()

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        constraints = _unique_code("deadlinerule")


class LegalBasis(CatalogueEntry):
    text = models.TextField(_("text"))
    history = HistoricalRecords()

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal basis")
        constraints = _unique_code("legalbasis")


class Facility(CatalogueEntry):
    name = models.CharField(_("name"), max_length=200)
    history = HistoricalRecords()

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        constraints = _unique_code("facility")


class Competency(CatalogueEntry):
    text = models.TextField(_("text"))
    history = HistoricalRecords()

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("officer competency")
        verbose_name_plural = _("officer competencies")
        constraints = _unique_code("competency")


class CompensationBudget(models.Model):
    """The unit's yearly budget for compensation, in rupiah."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="budgets", verbose_name=_("unit")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.PositiveBigIntegerField(_("amount (rupiah)"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("compensation budget")
        verbose_name_plural = _("compensation budgets")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="unique_budget_year")]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.year}: {rupiah(self.amount)}"


class UnitHoliday(models.Model):
    """A day the unit does not work beyond the national calendar: a regional holiday, an office
    closure. Working-day deadlines skip it (units.deadlines)."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="holidays", verbose_name=_("unit")
    )
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit holiday")
        verbose_name_plural = _("unit holidays")
        ordering = ["unit", "date"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "date"], name="unique_unit_holiday_date")
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


CATALOGUES = {
    "service_types": ServiceType,
    "violations": Violation,
    "sanctions": SanctionKind,
    "compensations": CompensationKind,
    "channels": ComplaintChannel,
    "deadline_rules": DeadlineRule,
    "legal_basis": LegalBasis,
    "facilities": Facility,
    "competencies": Competency,
}


class LetterSequence(models.Model):
    """The last number a unit gave a kind of letter in a year; locked while the next is taken."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "year"], name="unique_letter_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.kind}/{self.year}: {self.last}"


class SentReminder(models.Model):
    """A reminder already sent; `send_reminders` skips keys it finds here."""

    key = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.key


class ErasureKind(models.TextChoices):
    REQUEST = "request", _("On the customer's request")
    RETENTION = "retention", _("Retention period ended")


class ErasureLog(AppendOnly, models.Model):
    """An erasure of customers' personal data: when, by whom, why and how many records.

    It never holds what was erased (no name, no contact), only which criterion matched.
    Append-only, like a case's timeline.
    """

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="erasures", verbose_name=_("unit")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ErasureKind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    operator = models.CharField(
        _("operator"), max_length=150, blank=True, help_text=_("The system account that ran it.")
    )
    matched_by = models.CharField(
        _("matched by"), max_length=20, blank=True, help_text=_("contact or name; never its value")
    )
    cutoff = models.DateTimeField(_("data older than"), null=True, blank=True)
    counts = models.JSONField(_("records anonymised per source"), default=dict, blank=True)
    total = models.PositiveIntegerField(_("records anonymised"), default=0)

    class Meta:
        verbose_name = _("personal data erasure")
        verbose_name_plural = _("personal data erasures")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.get_kind_display()} {self.at:%Y-%m-%d}: {self.total}"
