"""Sanction-and-compensation cases and their append-only timeline."""

from __future__ import annotations

import datetime
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint
from pulih.lib.bounds import validate_rupiah
from pulih.lib.models import AppendOnly, TimelineEvent
from surveys.models import SurveyResponse
from units.models import (
    CompensationKind,
    LegalBasis,
    SanctionKind,
    ServiceType,
    Severity,
    Unit,
    Violation,
    most_severe,
)


class CaseState(models.TextChoices):
    REVIEW = "review", _("Under review")
    HEARING = "hearing", _("Hearing")
    VERIFICATION = "verification", _("Verification")
    DECISION = "decision", _("Decision")
    COMPENSATION = "compensation", _("Compensation")
    DELIVERY = "delivery", _("Delivery")
    CLOSED = "closed", _("Closed")
    DISMISSED = "dismissed", _("Dismissed")


class CaseAction(models.TextChoices):
    OPEN = "open", _("Case opened")
    REFER = "refer", _("Refer to a hearing")
    DISMISS = "dismiss", _("Dismiss")
    SUMMON = "summon", _("Summon the officer")
    HEARING = "hearing", _("Record the hearing")
    DEFENCE = "defence", _("Submit a written defence")
    PROPOSE = "propose", _("Propose a sanction")
    VERIFY = "verify", _("Verify the proposal")
    DECIDE = "decide", _("Decide on the decree")
    COMPENSATE = "compensate", _("Determine the compensation")
    DELIVER = "deliver", _("Deliver the compensation")
    OBJECT = "object", _("Lodge an objection")
    RULE_OBJECTION = "rule_objection", _("Decide on the objection")


class SourceKind(models.TextChoices):
    SURVEY = "survey", _("Survey response")
    COMPLAINT = "complaint", _("Complaint")
    MANUAL = "manual", _("Manual")


class Case(models.Model):
    """One sanction-and-compensation process about one officer."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="cases", verbose_name=_("unit")
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cases_about",
        verbose_name=_("officer"),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=CaseState.choices, default=CaseState.REVIEW
    )
    source_kind = models.CharField(_("source"), max_length=20, choices=SourceKind.choices)
    survey_response = models.ForeignKey(
        SurveyResponse, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    reason = models.TextField(_("reason"), blank=True)
    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    # The running deadline of the current step, derived by cases.deadlines from the events and
    # the unit's rules at every transition and kept here so that lists and reminders can filter
    # on it in SQL. Null when no deadline runs (review, hearing, verification, closed...).
    due_rule = models.CharField(_("deadline"), max_length=50, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_at"]
        indexes = [
            # A unit's cases in a state, newest first (the case list's state filter, the
            # home page's counts).
            models.Index(fields=["unit", "state", "opened_at"], name="case_unit_state_opened"),
            # The overdue filter of the case list and send_reminders: due_at < now.
            models.Index(fields=["unit", "due_at"], name="case_unit_due"),
            # The case list, newest first, and its period filter.
            models.Index(fields=["unit", "opened_at", "state"], name="case_unit_opened"),
            # A unit's cases but those about the reader (the case list's count, from the index
            # alone) and an officer's cases in a unit.
            models.Index(fields=["unit", "officer"], name="case_unit_officer"),
        ]

    def __str__(self) -> str:
        return _("Case #%(id)s") % {"id": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.pk])

    @staticmethod
    def origin_at_expression(prefix: str = "") -> Coalesce:
        """When the case's customer rated the service poorly or complained (the case's opening
        for one of neither), as an expression over cases (`prefix`: the path to the case)."""
        return Coalesce(
            f"{prefix}survey_response__submitted_at",
            f"{prefix}complaint__received_at",
            f"{prefix}opened_at",
        )

    @staticmethod
    def origin_service_expression(prefix: str = "") -> Coalesce:
        """The service type the case's customer rated or complained about (None for neither,
        or when the answer or complaint named none), as an expression over cases."""
        return Coalesce(
            f"{prefix}survey_response__service_type", f"{prefix}complaint__service_type"
        )

    def origin_at(self) -> datetime.datetime:
        return self.origin()[0]

    def origin(self) -> tuple[datetime.datetime, int | None]:
        """(when, service type id) of the customer's poor rating or complaint, in one query."""
        return (
            Case.objects.filter(pk=self.pk)
            .values_list(Case.origin_at_expression(), Case.origin_service_expression())
            .get()
        )

    @property
    def is_overdue(self) -> bool:
        return self.due_at is not None and self.due_at < timezone.now()

    @property
    def customer(self) -> tuple[str, str]:
        """(name, contact) of the customer, from the case's source. Never shown to the officer."""
        if self.survey_response_id and self.survey_response.service_record_id:
            record = self.survey_response.service_record
            return record.customer_name, record.customer_contact
        if self.complaint_id and not self.complaint.anonymous:
            return self.complaint.name, self.complaint.contact
        return "", ""

    @property
    def source_id(self) -> int | None:
        return self.survey_response_id or self.complaint_id

    def latest(self, related: str):
        """The newest row of a related record (hearings, proposals, verifications)."""
        return getattr(self, related).order_by("-pk").first()


class CaseEvent(TimelineEvent):
    """One entry of a case's timeline. Append-only: never edited, never deleted."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=30)
    from_state = models.CharField(_("from"), max_length=20, blank=True)
    to_state = models.CharField(_("to"), max_length=20)

    class Meta(TimelineEvent.Meta):
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.action} {self.from_state}→{self.to_state}"


class DecreeSequence(models.Model):
    """The last decree number issued by a unit in a year; locked while the next one is taken."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="unique_decree_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.last}"


class Hearing(models.Model):
    """A summons and what came of it: the officer's explanation and defence."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="hearings")
    scheduled_at = models.DateTimeField(_("scheduled at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    summoned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    summoned_at = models.DateTimeField(_("summoned at"), null=True, blank=True)
    written_defence = models.TextField(_("written defence"), blank=True)
    written_defence_at = models.DateTimeField(_("defence submitted at"), null=True, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    defence = models.TextField(_("defence"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    # When the hearing was held (or the officer was due and did not come); never before the
    # summons' date. `attended` is None until the outcome is recorded.
    held_at = models.DateTimeField(_("held at"), null=True, blank=True)
    attended = models.BooleanField(_("the officer attended"), null=True, blank=True)

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.scheduled_at or ''} {self.place}"


class AttachmentPurpose(models.TextChoices):
    HEARING = "hearing", _("Hearing")
    DEFENCE = "defence", _("Written defence")
    DELIVERY = "delivery", _("Evidence of delivery")


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name is random: the original name is kept in a field, never used on disk.
    return f"cases/{instance.case_id}/{uuid.uuid4().hex}.{instance.extension}"


class Attachment(models.Model):
    """An uploaded PDF or image, stored under MEDIA_ROOT and served only through a checked view."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    hearing = models.ForeignKey(
        Hearing, on_delete=models.PROTECT, null=True, blank=True, related_name="attachments"
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=AttachmentPurpose.choices)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def extension(self) -> str:
        return {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(
            self.content_type, "bin"
        )


class Proposal(models.Model):
    """The coordinator's proposal: the violations found and the sanction proposed."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="proposals")
    violations = models.ManyToManyField(
        Violation,
        through="ProposalViolation",
        related_name="+",
        verbose_name=_("violations"),
    )
    sanction = models.ForeignKey(
        SanctionKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("sanction")
    )
    reasoning = models.TextField(_("reasoning"))
    # Why the sanction's level differs from the most severe violation's (required then).
    justification = models.TextField(_("justification of the sanction's level"), blank=True)
    # Proposed without a hearing: the officer missed the unit's number of summonses.
    on_evidence = models.BooleanField(_("proposed on the evidence"), default=False)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.sanction}"

    @property
    def severity(self) -> str | None:
        """The most severe violation's severity (the sanction's level should match it)."""
        return most_severe(v.severity for v in self.violations.all())

    def get_severity_display(self) -> str:
        return Severity(self.severity).label if self.severity else ""

    @property
    def level_differs(self) -> bool:
        return self.severity is not None and self.sanction.level != self.severity


class ProposalViolation(models.Model):
    """A violation found in a proposal. The catalogue entry cannot be deleted while a proposal
    names it (PROTECT): it can only be retired."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE)
    violation = models.ForeignKey(Violation, on_delete=models.PROTECT)

    class Meta:
        db_table = "cases_proposal_violations"
        verbose_name = _("violation found")
        verbose_name_plural = _("violations found")
        unique_together = [("proposal", "violation")]  # as the table was created

    def __str__(self) -> str:
        return _("Case #%(id)s") % {"id": self.proposal.case_id}


class Verification(models.Model):
    """The person in charge's verdict on a proposal: approved, or returned with notes."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="verifications")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="verifications")
    approved = models.BooleanField(_("approved"))
    note = models.TextField(_("note"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField()

    class Meta:
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.approved}"


class Decree(models.Model):
    """The sanction decree (SK), numbered by the unit's pattern and signed by the head."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="decree")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("number"), max_length=100)
    date = models.DateField(_("date"))
    sanction = models.ForeignKey(
        SanctionKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("sanction")
    )
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # As signed: the document must read the same after the signer's account changes.
    signer_name = models.CharField(_("signed by"), max_length=200)
    signer_nip = models.CharField(_("NIP"), max_length=30, blank=True)
    signer_title = models.CharField(_("title"), max_length=200, blank=True)
    issued_at = models.DateTimeField()
    # The legal basis the decree quotes ("Mengingat"); PROTECTed like the other catalogues.
    legal_basis = models.ManyToManyField(
        LegalBasis, through="DecreeLegalBasis", related_name="+", verbose_name=_("legal basis")
    )
    # The deadline the decree was held to, kept so reports count "within 7 days" in SQL.
    due_at = models.DateTimeField(_("due"), null=True, blank=True)

    class Meta:
        verbose_name = _("decree")
        verbose_name_plural = _("decrees")
        # A unit's decrees of a period (an officer's earlier sanctions, cases/charge.py); the
        # report's and the roll-up's counts read the case tallies (CaseTally).
        indexes = [models.Index(fields=["unit", "issued_at"], name="decree_unit_issued")]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="unique_decree_number"),
            models.UniqueConstraint(
                fields=["unit", "year", "sequence"], name="unique_decree_sequence_number"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class DecreeLegalBasis(models.Model):
    decree = models.ForeignKey(Decree, on_delete=models.CASCADE)
    legal_basis = models.ForeignKey(LegalBasis, on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("legal basis quoted")
        verbose_name_plural = _("legal basis quoted")
        constraints = [
            models.UniqueConstraint(fields=["decree", "legal_basis"], name="unique_decree_basis")
        ]

    def __str__(self) -> str:
        return str(self.decree)


def new_tracking_token() -> str:
    return secrets.token_urlsafe(18)


class NotifyChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    WHATSAPP = "whatsapp", _("WhatsApp")
    NONE = "none", _("No contact")


class Compensation(models.Model):
    """What the customer receives, and what it costs against the year's budget."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="compensation")
    # The case's unit, kept here so a unit's spending is summed from one index.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    kinds = models.ManyToManyField(
        CompensationKind,
        through="CompensationItem",
        related_name="+",
        verbose_name=_("kinds"),
    )
    cost = models.PositiveBigIntegerField(
        _("cost (rupiah)"), default=0, validators=[validate_rupiah]
    )
    budget_year = models.PositiveSmallIntegerField(_("budget year"))
    over_budget = models.BooleanField(_("over budget"), default=False)
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()
    tracking_token = models.CharField(
        max_length=40, unique=True, default=new_tracking_token, editable=False
    )
    notify_channel = models.CharField(
        _("customer told by"), max_length=10, choices=NotifyChannel.choices
    )

    class Meta:
        verbose_name = _("compensation")
        verbose_name_plural = _("compensations")
        # A unit's spending of a year summed from the index alone.
        indexes = [
            models.Index(fields=["unit", "budget_year", "cost"], name="compensation_unit_year_cost")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: Rp {self.cost:,}"


class CompensationItem(models.Model):
    """A kind of compensation decided for a case; the catalogue entry is PROTECTed."""

    compensation = models.ForeignKey(Compensation, on_delete=models.CASCADE)
    compensationkind = models.ForeignKey(CompensationKind, on_delete=models.PROTECT)

    class Meta:
        db_table = "cases_compensation_kinds"
        verbose_name = _("compensation decided")
        verbose_name_plural = _("compensations decided")
        unique_together = [("compensation", "compensationkind")]  # as the table was created

    def __str__(self) -> str:
        return _("Case #%(id)s") % {"id": self.compensation.case_id}


class DaysBetween(models.Func):
    """(later − earlier) in days, as a float, in each database's own date arithmetic: the
    expression the recovery figures' median read before the delivery stored it (SQLite's
    julianday difference, PostgreSQL's epoch seconds / 86400), so the stored value is the
    very number it computed, to the last bit."""

    arity = 2
    output_field = models.FloatField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="(julianday(%(expressions)s))",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0)",
            arg_joiner=" - ",
            **extra,
        )


def days_between(later: datetime.datetime, earlier: datetime.datetime) -> DaysBetween:
    """`DaysBetween` of two moments given as values (an insert has no column to refer to),
    each adapted as its column stores it, so the database computes the number it would from
    the stored row."""
    return DaysBetween(
        models.Value(later, output_field=models.DateTimeField()),
        models.Value(earlier, output_field=models.DateTimeField()),
    )


class Delivery(models.Model):
    """The compensation handed to the customer: when, how, and whether they acknowledged it."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="delivery")
    # The case's unit, kept here so the report reads a unit's deliveries from one index.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    delivered_at = models.DateTimeField(_("delivered at"))
    method = models.CharField(_("method"), max_length=200)
    customer_acknowledged = models.BooleanField(_("customer acknowledged"), default=False)
    # Required when the customer did not acknowledge (e.g. unreachable after three attempts).
    unacknowledged_reason = models.TextField(_("why not acknowledged"), blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    # The deadline the delivery was held to (1 working day after the decree by default).
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    # When the customer's poor rating or complaint reached the unit (`Case.origin_at`), kept
    # so the days from it to the delivery (the recovery figures' median) are read from the
    # delivery alone.
    origin_at = models.DateTimeField(_("rated or complained at"))
    # The service that rating or complaint was about (`Case.origin`), kept so the recovery
    # figures per service read the delivery alone (no join through the case to the answer
    # or the complaint). Neither changes once recorded.
    service_type = models.ForeignKey(
        ServiceType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service rated or complained about"),
    )
    # The compensation delivered (the case's), so the recovery figures per kind of
    # compensation go from the delivery to its kinds without a join through the case.
    compensation = models.ForeignKey(
        Compensation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("compensation"),
    )
    # Days from `origin_at` to `delivered_at` (fractional), computed by the database as the
    # row is written (`DaysBetween`: the workflow inserts it as an expression of the two
    # moments; a bulk load updates it from the columns): the recovery figures' median reads
    # it from the period's index alone instead of computing it per row. A plain column, not
    # a generated one: SQLite reads no generated column from an index alone.
    waited_days = models.FloatField(_("days waited"), editable=False)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        # The deliveries made in a period: the case tallies' recount (on time: due_at) and the
        # recovery figures' median (waited_days) read from the index alone.
        indexes = [
            models.Index(
                fields=["unit", "delivered_at", "due_at", "waited_days"],
                name="delivery_unit_delivered_wait",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.delivered_at}"


class Objection(models.Model):
    """The officer's objection (keberatan) to a decree, and its decision. A side track: it never
    holds up the customer's compensation."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="objection")
    decree = models.ForeignKey(Decree, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("objection"))
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    lodged_at = models.DateTimeField(_("lodged at"))
    upheld = models.BooleanField(_("objection upheld"), null=True, blank=True)
    reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.upheld}"


class DocumentKind(models.TextChoices):
    DECREE = "decree", _("Sanction decree")
    SUMMONS = "summons", _("Summons letter")
    HEARING_RECORD = "hearing_record", _("Hearing record")
    APOLOGY = "apology", _("Apology letter")


def new_verification_code() -> str:
    return secrets.token_urlsafe(18)  # 144 random bits: not guessable


def issued_document_path(instance: IssuedDocument, filename: str) -> str:
    return f"issued/{instance.unit_id}/{instance.kind}/{uuid.uuid4().hex}.pdf"


class IssuedDocument(AppendOnly, models.Model):
    """A document as issued: its PDF bytes (stored once), their SHA-256, a snapshot of every
    text it quotes, and the code of its public verification page. Never changed, never deleted;
    every download serves these bytes."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    hearing = models.ForeignKey(
        Hearing, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    number = models.CharField(_("number"), max_length=100)
    date = models.DateField(_("date"))
    file = models.FileField(_("file"), upload_to=issued_document_path, max_length=200)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    snapshot = models.JSONField(_("snapshot"))
    signed = models.BooleanField(_("sealed with the unit's certificate"), default=False)
    verification_code = models.CharField(
        max_length=40, unique=True, default=new_verification_code, editable=False
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"))

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["issued_at", "pk"]
        constraints = [
            # One SK and one apology letter per case; one summons and one record per hearing.
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=models.Q(kind__in=["decree", "apology"]),
                name="unique_case_document",
            ),
            models.UniqueConstraint(
                fields=["hearing", "kind"],
                condition=models.Q(hearing__isnull=False),
                name="unique_hearing_document",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def read(self) -> bytes:
        with self.file.open("rb") as handle:
            return handle.read()


class CaseTally(models.Model):
    """Running counts of one unit's case figures for one local day (the unit's time zone),
    kept by cases/tally.py in the transaction of every change they count: the dashboard and
    the roll-ups add up a period's days instead of counting its cases, decrees and deliveries
    (a large unit's quarter holds thousands of each)."""

    class Figure(models.TextChoices):
        # key: a state; n: the cases opened on the day that are in that state now.
        OPENED = "opened"
        # n: the decrees issued on the day; part: those issued by their deadline.
        DECREES = "decrees"
        # n: the compensations delivered on the day; part: those delivered on time.
        DELIVERIES = "deliveries"
        # key: a violation's id; n: the decrees issued on the day whose proposal found it.
        VIOLATION = "violation"
        # day: 1 January of a budget year; n: its compensations decided; part: their cost.
        SPENT = "spent"

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    figure = models.CharField(max_length=12, choices=Figure.choices)
    key = models.CharField(max_length=20, blank=True, default="")
    n = models.BigIntegerField(default=0)
    part = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("case tally")
        verbose_name_plural = _("case tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "figure", "key", "day"], name="casetally_one_per_key"
            )
        ]
        # A period's figures of one unit or of an organisation's units: day ranges per unit.
        indexes = [
            models.Index(
                fields=["unit", "day", "figure", "key", "n", "part"], name="casetally_unit_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day} {self.figure} {self.key}: {self.n} {self.part}"
