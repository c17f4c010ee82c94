"""Services delivered, the customers' answers to the SKM instrument, the back office's review
of the flagged ones, and the improvement items about the institution they raise."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from complaints.models import Complaint
from units.models import ELEMENT_CODES, ComplaintChannel, ServiceType, Unit


class CustomerKind(models.TextChoices):
    INTERNAL = "internal", _("Internal customer")
    EXTERNAL = "external", _("External customer")


# The channel a service is recorded under when none is named: a code of the unit's channel
# catalogue (the codes /api/v1/standard/ publishes, shared with complaints).
DEFAULT_CHANNEL = "in_person"


class ResponseSource(models.TextChoices):
    WEB = "web", _("Survey form")
    API = "api", _("API")
    IMPORT = "import", _("Import")


# The longest comment kept with an answer (form, API, import): longer ones are cut or refused.
COMMENT_MAX_LENGTH = 4000
# The respondent's optional profile (PermenPANRB 14/2017's *profil responden*).
PROFILE_FIELDS = ("sex", "age_group", "education", "occupation")
PROFILE_MAX_LENGTH = 60


def new_survey_token() -> str:
    return secrets.token_urlsafe(18)


class ServiceRecord(models.Model):
    """One service delivered to one customer by one officer."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="service_records", verbose_name=_("unit")
    )
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, related_name="+", verbose_name=_("service type")
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="services_delivered",
        verbose_name=_("officer"),
    )
    customer_name = models.CharField(_("customer name"), max_length=200, blank=True)
    customer_contact = models.CharField(_("customer contact"), max_length=200, blank=True)
    customer_kind = models.CharField(
        _("customer kind"),
        max_length=10,
        choices=CustomerKind.choices,
        default=CustomerKind.EXTERNAL,
    )
    # An entry of the unit's channel catalogue, the one vocabulary of channels (complaints use
    # it too). Every record made through record_service names one; null only for records
    # written otherwise (fixtures, benchmarks) that never said.
    channel = models.ForeignKey(
        ComplaintChannel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("channel"),
    )
    served_at = models.DateTimeField(_("served at"))
    survey_token = models.CharField(
        _("survey token"), max_length=40, unique=True, default=new_survey_token, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When the receipt (with the survey link) was first printed. From then on an officer's
    # screens no longer show the link: nothing they keep tells them whether it was used.
    receipt_printed_at = models.DateTimeField(_("receipt printed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["-served_at"]
        indexes = [models.Index(fields=["unit", "served_at"], name="servicerecord_unit_served")]

    def __str__(self) -> str:
        return f"{self.service_type} — {self.served_at:%Y-%m-%d %H:%M}"


class SurveyResponse(models.Model):
    """One customer's answers; each element 1–4 or null when not answered."""

    # No index of its own: response_unit_submitted (unit, submitted_at) serves every lookup
    # by unit (a second index on the same leading column only costs each insert).
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="survey_responses",
        verbose_name=_("unit"),
        db_index=False,
    )
    service_record = models.OneToOneField(
        ServiceRecord, on_delete=models.PROTECT, null=True, blank=True, related_name="response"
    )
    service_type = models.ForeignKey(
        ServiceType,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("service type"),
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ratings",
        verbose_name=_("officer"),
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    u1 = models.PositiveSmallIntegerField(null=True, blank=True)
    u2 = models.PositiveSmallIntegerField(null=True, blank=True)
    u3 = models.PositiveSmallIntegerField(null=True, blank=True)
    u4 = models.PositiveSmallIntegerField(null=True, blank=True)
    u5 = models.PositiveSmallIntegerField(null=True, blank=True)
    u6 = models.PositiveSmallIntegerField(null=True, blank=True)
    u7 = models.PositiveSmallIntegerField(null=True, blank=True)
    u8 = models.PositiveSmallIntegerField(null=True, blank=True)
    u9 = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=ResponseSource.choices, default=ResponseSource.WEB
    )
    flagged = models.BooleanField(_("flagged"), default=False)
    flagged_elements = models.CharField(_("flagged elements"), max_length=40, blank=True)
    sex = models.CharField(_("sex"), max_length=PROFILE_MAX_LENGTH, blank=True)
    age_group = models.CharField(_("age group"), max_length=PROFILE_MAX_LENGTH, blank=True)
    education = models.CharField(_("education"), max_length=PROFILE_MAX_LENGTH, blank=True)
    occupation = models.CharField(_("occupation"), max_length=PROFILE_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-submitted_at"]
        indexes = [
            # IKM over a unit and period; the daily check's day listing.
            models.Index(fields=["unit", "submitted_at"], name="response_unit_submitted"),
            # The flagged few of a day or period (the daily check, the recap). (The report's
            # poor ratings, for which it has its columns, now come from the tallies.)
            models.Index(
                fields=["unit", "submitted_at", "service_type", "officer"],
                condition=models.Q(flagged=True),
                name="response_flagged_unit_at",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(**{f"{c.lower()}__isnull": True})
                | models.Q(**{f"{c.lower()}__gte": 1, f"{c.lower()}__lte": 4}),
                name=f"response_{c.lower()}_1_to_4",
            )
            for c in ELEMENT_CODES
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.submitted_at:%Y-%m-%d}"

    @property
    def unverified(self) -> bool:
        """A response that names an officer without a receipt behind it (the walk-in poster,
        an imported form): anybody could have written it, so it is referred only with a note."""
        return self.is_unverified(self.service_record_id, self.officer_id)

    @staticmethod
    def is_unverified(service_record_id: int | None, officer_id: int | None) -> bool:
        """`unverified` of a response read as plain values."""
        return service_record_id is None and officer_id is not None

    def answers_row(self) -> list[int | None]:
        """U1..U9 in order, None where not answered."""
        return [getattr(self, c.lower()) for c in ELEMENT_CODES]

    def answers(self) -> dict[str, int]:
        return {
            c: getattr(self, c.lower())
            for c in ELEMENT_CODES
            if getattr(self, c.lower()) is not None
        }


TALLY_FIELDS = [f"{c.lower()}_{part}" for c in ELEMENT_CODES for part in ("sum", "n")]


class TallyCounts(models.Model):
    """The running totals a tally row keeps of the responses under its key: how many
    responded, per element N the sum of the scores given to it (`uN_sum`) and how many
    answered it (`uN_n`), and how many of them were flagged (a poor rating: `flagged`, set
    when the response is stored and never changed). Kept by surveys/tally.py, in the
    transaction of every response."""

    respondents = models.PositiveIntegerField(default=0)
    u1_sum = models.PositiveIntegerField(default=0)
    u1_n = models.PositiveIntegerField(default=0)
    u2_sum = models.PositiveIntegerField(default=0)
    u2_n = models.PositiveIntegerField(default=0)
    u3_sum = models.PositiveIntegerField(default=0)
    u3_n = models.PositiveIntegerField(default=0)
    u4_sum = models.PositiveIntegerField(default=0)
    u4_n = models.PositiveIntegerField(default=0)
    u5_sum = models.PositiveIntegerField(default=0)
    u5_n = models.PositiveIntegerField(default=0)
    u6_sum = models.PositiveIntegerField(default=0)
    u6_n = models.PositiveIntegerField(default=0)
    u7_sum = models.PositiveIntegerField(default=0)
    u7_n = models.PositiveIntegerField(default=0)
    u8_sum = models.PositiveIntegerField(default=0)
    u8_n = models.PositiveIntegerField(default=0)
    u9_sum = models.PositiveIntegerField(default=0)
    u9_n = models.PositiveIntegerField(default=0)
    # Also a default in the database: a statement that names only the columns of its time
    # (migrations 0008 and 0009's backfills, which their tests run on today's tables) leaves
    # it 0; migration 0011 recounts it.
    flagged = models.PositiveIntegerField(default=0, db_default=0)

    class Meta:
        abstract = True


class DailyTally(TallyCounts):
    """Exact running totals of one unit's responses for one local day, service type and officer.

    Updated in the same transaction as every response stored (form, API, import). What is
    read per service type or officer sums these; everything else sums the coarser
    UnitDayTally.
    """

    # No index of its own: the key's unique index (unit, day, …) serves every read by unit
    # and period (ikm.ikm_for, ikm.ikm_by), as a second index on the same leading columns
    # would, and a tally row is updated with every response stored.
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", db_index=False)
    day = models.DateField()  # local date in the unit's time zone
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("daily tally")
        verbose_name_plural = _("daily tallies")
        constraints = [
            # One row per key; NULL service/officer count as one key (COALESCE to 0).
            models.UniqueConstraint(
                "unit",
                "day",
                Coalesce("service_type", Value(0)),
                Coalesce("officer", Value(0)),
                name="dailytally_one_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day} {self.service_type_id} {self.officer_id}"


# UnitDayTally.profile_field of the row of a whole day.
WHOLE_DAY = ""


class UnitDayTally(TallyCounts):
    """Exact running totals of one unit's responses for one local day: of all of them (the
    *whole-day* row: `profile_field` and `profile_value` empty), and of those who gave one
    profile answer (one row per field and answer stated; "not stated" is the whole day minus
    the stated answers of that field).

    Kept with DailyTally, in the same transaction, by the same upsert module (surveys/tally.py).
    Every IKM that does not filter by service type or officer reads these: one row per unit
    and day instead of one per service type and officer.
    """

    # No index of its own: the unique constraint's first column serves the foreign key.
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", db_index=False)
    day = models.DateField()  # local date in the unit's time zone
    profile_field = models.CharField(max_length=20, blank=True, default=WHOLE_DAY)
    profile_value = models.CharField(max_length=PROFILE_MAX_LENGTH, blank=True, default="")

    class Meta:
        verbose_name = _("unit's daily tally")
        verbose_name_plural = _("units' daily tallies")
        constraints = [
            # One row per key, and the index of every read: the field before the day, so a
            # period's whole-day rows of some units (`unit IN (…) AND profile_field = '' AND
            # day BETWEEN …`: ikm_for, ikm_of_units) and one field's rows of a unit's period
            # (the profile table) are each one range of it.
            models.UniqueConstraint(
                fields=["unit", "profile_field", "day", "profile_value"],
                name="unitdaytally_one_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day} {self.profile_field}={self.profile_value}"


class UnitMonthTally(TallyCounts):
    """The unit's day tallies of one local month added up: the same rows as UnitDayTally
    (whole month, one per profile answer), keyed by the month's first day.

    Kept with them by the same upsert (surveys/tally.py; on PostgreSQL in the same
    statement), so it is exact whenever a response arrives, a late import included. A
    period's reads (surveys.ikm.period_rows) take the whole months within it from here and
    only the days outside them from UnitDayTally: a year is a dozen rows per unit, not 365.
    """

    # No index of its own: the unique constraint's first column serves the foreign key.
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", db_index=False)
    month = models.DateField()  # the first day of a local month in the unit's time zone
    profile_field = models.CharField(max_length=20, blank=True, default=WHOLE_DAY)
    profile_value = models.CharField(max_length=PROFILE_MAX_LENGTH, blank=True, default="")

    class Meta:
        verbose_name = _("unit's monthly tally")
        verbose_name_plural = _("units' monthly tallies")
        constraints = [
            # As unitdaytally_one_per_key: some units' whole months, or one field's rows of a
            # unit's months, are each one range of it.
            models.UniqueConstraint(
                fields=["unit", "profile_field", "month", "profile_value"],
                name="unitmonthtally_one_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%Y-%m} {self.profile_field}={self.profile_value}"


class RecordTally(models.Model):
    """How many services one unit recorded on one local day. The population of a period's
    sample (surveys.sample.adequacy, the organisation's roll-up) is the sum of its days'
    rows, not a count of the records themselves, which grows with every service.

    Kept by surveys.services.store_records, in the transaction that stores the records;
    surveys.record_tally.rebuild recounts it from them."""

    # No index of its own: the unique constraint's first column serves the foreign key.
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", db_index=False)
    day = models.DateField()  # local date in the unit's time zone
    records = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("unit's daily service count")
        verbose_name_plural = _("units' daily service counts")
        constraints = [
            # One row per unit and day, and the index of every read (a period's days of a
            # unit or of some units).
            models.UniqueConstraint(fields=["unit", "day"], name="recordtally_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day} {self.records}"


class DailyCheck(models.Model):
    """The back office's sign-off that one day's satisfaction results were checked (A–B)."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="daily_checks", verbose_name=_("unit")
    )
    day = models.DateField(_("day"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signed by"),
    )
    signed_at = models.DateTimeField(_("signed at"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("daily check")
        verbose_name_plural = _("daily checks")
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "day"], name="dailycheck_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day}"


class SurveyFormMapping(models.Model):
    """How a unit's survey files name their columns, and the unit's profile lists.

    `questions` maps an element code to the question texts used for it; `columns` maps
    `submitted_at`, `service`, `officer`, `comment` and the profile fields to their header
    texts. A header found in neither is read by what it means (surveys.headers). `headers`
    is the mapping last confirmed in the web import: normalised header text -> field (or ""
    for a column to ignore), applied first next time. `profile_options` maps a profile field
    to the unit's list of answers (surveys.profile.DEFAULT_OPTIONS when absent).
    """

    unit = models.OneToOneField(
        Unit, on_delete=models.CASCADE, related_name="survey_form_mapping", verbose_name=_("unit")
    )
    questions = models.JSONField(_("question texts per element"), default=dict, blank=True)
    columns = models.JSONField(_("other column headers"), default=dict, blank=True)
    headers = models.JSONField(_("confirmed header mapping"), default=dict, blank=True)
    profile_options = models.JSONField(_("respondent profile lists"), default=dict, blank=True)
    # The profile lists are a setting of the unit: who changed them and when is kept.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("survey form mapping")
        verbose_name_plural = _("survey form mappings")

    def __str__(self) -> str:
        return str(self.unit)


class ReviewOutcome(models.TextChoices):
    REFERRED = "referred", _("Referred into a case")
    NOT_REFERRED = "not_referred", _("Not referred")


class FlagReview(models.Model):
    """The daily check's decision on one flagged response: referred into a case, or not
    (with the reason). One per response, so the same response is never referred twice."""

    response = models.OneToOneField(
        SurveyResponse, on_delete=models.PROTECT, related_name="review", verbose_name=_("response")
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=ReviewOutcome.choices)
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        verbose_name = _("review of a flagged response")
        verbose_name_plural = _("reviews of flagged responses")

    def __str__(self) -> str:
        return f"{self.response_id}: {self.outcome}"


class ImprovementStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class ImprovementItem(models.Model):
    """A finding about the institution (facilities, procedure, tariffs), not about an officer:
    from a survey's poor rating of an institution's element, or a complaint triaged so."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="improvement_items", verbose_name=_("unit")
    )
    survey_response = models.ForeignKey(
        SurveyResponse,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="improvement_items",
    )
    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, null=True, blank=True, related_name="improvement_items"
    )
    elements = models.CharField(_("elements"), max_length=40, blank=True)
    description = models.TextField(_("description"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ImprovementStatus.choices,
        default=ImprovementStatus.OPEN,
    )
    resolution = models.TextField(_("resolution"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("improvement item")
        verbose_name_plural = _("improvement items")
        ordering = ["status", "-created_at"]

    def __str__(self) -> str:
        return self.description[:60]


class SurveyPopulation(models.Model):
    """The services a unit delivered in a period, stated by the unit when it does not record
    every service in Pulih: the population N against which the sample is judged."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="survey_populations", verbose_name=_("unit")
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    population = models.PositiveIntegerField(_("services delivered"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("stated population")
        verbose_name_plural = _("stated populations")
        ordering = ["-start"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "start", "end"], name="population_one_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="population_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.start}–{self.end}: {self.population}"


class ImportJob(models.Model):
    """One web import: the uploaded file, the mapping confirmed in the preview, its progress
    and its report. The file is kept until the import ends."""

    class State(models.TextChoices):
        PREVIEW = "preview", _("Awaiting confirmation")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("unit")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(_("file name"), max_length=200)
    path = models.CharField(max_length=500)
    mapping = models.JSONField(default=dict, blank=True)  # column index (str) -> field or ""
    date_order = models.CharField(max_length=3, blank=True)  # "dmy", "mdy" or ""
    state = models.CharField(max_length=10, choices=State.choices, default=State.PREVIEW)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    report = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("survey import")
        verbose_name_plural = _("survey imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.file_name} ({self.state})"
