"""Writes of the satisfaction domain: service records, responses (with their flags,
improvement items and tallies), and the back office's daily sign-off.

One write path per answer: the web form and the API store through `submit_response`, the
import a batch at a time; all build their responses' values with `response_values` (the flag
rule; `new_response` makes the form's an instance) and store them with `store_responses` or,
an import's batches as plain values, `store_values` or `ValuesStore` (the insert,
`tally.add_tallies`: the daily tallies and the unit's day tallies, improvement items), in the
caller's transaction. A poor rating of an officer's element only flags the response; the back
office's daily check refers it to a case (the cases side).
"""

from __future__ import annotations

import datetime
import functools
import operator
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pulih.lib.bulk import (
    PreparedRows,
    insert_one,
    insert_prepared,
    insert_rows,
    prepare_values,
)
from pulih.lib.compiled import CompiledRead
from pulih.lib.errors import ActionForbidden, DomainError, InvalidInput, StateConflict
from pulih.lib.prepared import prepared
from units.access import members_with_role, roles_in
from units.models import ELEMENT_CODES, ComplaintChannel, Membership, Role, ServiceType, Unit, User

from . import record_tally, tally
from .access import DAY_SIGNERS, RECORDERS, RECORDS_FOR_OTHERS
from .ikm import ANSWER_LABELS, ELEMENT_NAMES
from .models import (
    COMMENT_MAX_LENGTH,
    DEFAULT_CHANNEL,
    PROFILE_FIELDS,
    PROFILE_MAX_LENGTH,
    CustomerKind,
    DailyCheck,
    ImprovementItem,
    ResponseSource,
    ServiceRecord,
    SurveyResponse,
)
from .profile import profile_values

# A receipt's survey link stays open this many days after the service.
SURVEY_VALID_DAYS = 30


class SurveyClosed(DomainError):
    """The survey link has expired (410)."""

    status = 410


def local_day(unit: Unit, moment: datetime.datetime) -> datetime.date:
    return unit.local_date(moment)


def unit_officers(unit: Unit) -> QuerySet[User]:
    return members_with_role(unit, [Role.OFFICER]).order_by("full_name", "username")


def officer_codes(unit: Unit) -> dict[int, str]:
    """Each officer's counter code in `unit` (user id → code such as "P007"): what the plate at
    their counter and their receipts show, and all the public walk-in survey names them by.
    It comes from the officer's membership of the unit, so it stays the same while they serve
    there and says nothing about who they are."""
    rows = Membership.objects.filter(unit=unit, role=Role.OFFICER).values_list("user_id", "pk")
    return {user_id: f"P{pk:03d}" for user_id, pk in rows}


def walk_in_officers(unit: Unit) -> dict[str, User]:
    """The officers a walk-in customer may name, by counter code, in code order."""
    codes = officer_codes(unit)
    officers = {codes[o.pk]: o for o in unit_officers(unit) if o.pk in codes}
    return dict(sorted(officers.items()))


def unit_channels(unit: Unit) -> QuerySet[ComplaintChannel]:
    """The unit's active channels: the one vocabulary of service records and complaints."""
    return ComplaintChannel.objects.filter(unit=unit, active=True).order_by("order", "code")


# --- service records -------------------------------------------------------------------------


@transaction.atomic
def record_service(
    unit: Unit,
    *,
    actor: User,
    service_type: ServiceType,
    officer: User,
    customer_name: str = "",
    customer_contact: str = "",
    customer_kind: str = CustomerKind.EXTERNAL,
    channel: str = DEFAULT_CHANNEL,
    served_at: datetime.datetime | None = None,
) -> ServiceRecord:
    """Record one service delivered. An officer records their own; back office and coordinator
    record for any officer of the unit."""
    roles = roles_in(actor, unit)
    if not roles & RECORDERS:
        raise ActionForbidden(_("You may not record services in this unit."))
    if officer != actor and not roles & RECORDS_FOR_OTHERS:
        raise ActionForbidden(_("An officer may only record the services they delivered."))
    errors: dict[str, list[str]] = {}
    if service_type.unit_id != unit.pk or not service_type.active:
        errors["service_type"] = [_("Unknown service type.")]
    if not unit_officers(unit).filter(pk=officer.pk).exists():
        errors["officer"] = [_("Not an officer of this unit.")]
    if customer_kind not in CustomerKind.values:
        errors["customer_kind"] = [_("Choose internal or external.")]
    found_channel = unit_channels(unit).filter(code=channel).first() if channel else None
    if found_channel is None:
        errors["channel"] = [_("Unknown channel; use a code of the unit's channels.")]
    now = timezone.now()
    served_at = served_at or now
    if served_at > now + datetime.timedelta(minutes=5):
        errors["served_at"] = [_("The service cannot be in the future.")]
    if errors:
        raise InvalidInput(_("The service record is not valid."), fields=errors)
    record = ServiceRecord(
        unit=unit,
        service_type=service_type,
        officer=officer,
        customer_name=customer_name.strip(),
        customer_contact=customer_contact.strip(),
        customer_kind=customer_kind,
        channel=found_channel,
        served_at=served_at,
        created_by=actor,
    )
    return store_records(unit, [record])[0]


@transaction.atomic
def store_records(unit: Unit, records: Sequence[ServiceRecord]) -> Sequence[ServiceRecord]:
    """Store new service records of `unit` (checked by the caller) and count each in its
    local day's RecordTally, in one transaction: the one way a service record is written
    (`record_service`; the demo, the bench and the reliability runs, in bulk)."""
    ServiceRecord.objects.bulk_create(records, batch_size=2000)
    record_tally.add(unit, unit.local_dates(r.served_at for r in records))
    return records


_TOKEN = re.compile(r"[A-Za-z0-9_-]{8,64}")


def is_token(value: str) -> bool:
    """Whether `value` could be a survey token (anything else is unknown without a query)."""
    return bool(_TOKEN.fullmatch(value or ""))


def survey_closes_at(record: ServiceRecord) -> datetime.datetime:
    return record.served_at + datetime.timedelta(days=SURVEY_VALID_DAYS)


def mark_receipt_printed(record: ServiceRecord) -> None:
    """Note the first printing of the receipt (later printings change nothing)."""
    if record.receipt_printed_at is None:
        now = timezone.now()
        ServiceRecord.objects.filter(pk=record.pk, receipt_printed_at__isnull=True).update(
            receipt_printed_at=now
        )
        record.receipt_printed_at = now


def survey_state(record: ServiceRecord, now: datetime.datetime | None = None) -> str:
    """ "open", "answered" or "expired"."""
    if SurveyResponse.objects.filter(service_record=record).exists():
        return "answered"
    if (now or timezone.now()) > survey_closes_at(record):
        return "expired"
    return "open"


# --- answers, flags and tallies --------------------------------------------------------------


def parse_answers(raw: Mapping[str, object] | None) -> dict[str, int]:
    """{"U1": 4, ...} validated: known codes, integers 1–4, at least one answered.

    Raises InvalidInput naming each bad element (as `answers.U3`) — never a 500.
    """
    if not isinstance(raw, Mapping):
        raise InvalidInput(
            _("Answers must be an object of element codes."),
            fields={"answers": [_('Expected an object such as {"U1": 4}.')]},
        )
    answers: dict[str, int] = {}
    errors: dict[str, list[str]] = {}
    for key, value in raw.items():
        code = str(key).upper()
        if code not in ELEMENT_CODES:
            errors[f"answers.{key}"] = [_("Unknown element; use U1 to U9.")]
            continue
        if value is None or value == "":
            continue  # not answered
        if isinstance(value, bool) or not isinstance(value, int | str):
            errors[f"answers.{code}"] = [_("The answer must be a whole number from 1 to 4.")]
            continue
        try:
            score = int(value)
        except ValueError:
            errors[f"answers.{code}"] = [_("The answer must be a whole number from 1 to 4.")]
            continue
        if not 1 <= score <= 4:
            errors[f"answers.{code}"] = [_("The answer must be a whole number from 1 to 4.")]
            continue
        answers[code] = score
    if not errors and not answers:
        errors["answers"] = [_("Answer at least one question.")]
    if errors:
        raise InvalidInput(_("The answers are not valid."), fields=errors)
    return answers


def poor_elements(unit: Unit, answers: Mapping[str, int]) -> tuple[list[str], list[str]]:
    """(officer's elements, institution's elements) scored at or below the unit's threshold:
    the flag rule, the one copy of it."""
    threshold = unit.flag_threshold
    if not answers or min(answers.values()) > threshold:  # most answers: nothing poor
        return [], []
    poor = [c for c in ELEMENT_CODES if c in answers and answers[c] <= threshold]
    mine = set(unit.officer_elements)
    return [c for c in poor if c in mine], [c for c in poor if c not in mine]


def new_response(
    unit: Unit,
    scores: Mapping[str, int],
    *,
    submitted_at: datetime.datetime,
    comment: str = "",
    service_type_id: int | None = None,
    officer_id: int | None = None,
    service_record: ServiceRecord | None = None,
    source: str = ResponseSource.WEB,
    profile: Mapping[str, str] | None = None,
) -> SurveyResponse:
    """An unsaved response of validated `scores`, flagged by the unit's rule (form, API and
    import all build theirs with `response_values`)."""
    # Positional arguments in the model's column order: Model.__init__ takes them several
    # times faster than keywords.
    response = SurveyResponse(
        *response_values(
            unit,
            scores,
            submitted_at=submitted_at,
            comment=comment,
            service_type_id=service_type_id,
            officer_id=officer_id,
            service_record_id=service_record.pk if service_record is not None else None,
            source=source,
            profile=profile,
        )
    )
    response.unit = unit
    if service_record is not None:
        response.service_record = service_record
    return response


def response_values(
    unit: Unit,
    scores: Mapping[str, int],
    *,
    submitted_at: datetime.datetime,
    comment: str = "",
    service_type_id: int | None = None,
    officer_id: int | None = None,
    service_record_id: int | None = None,
    source: str = ResponseSource.WEB,
    profile: Mapping[str, str] | None = None,
) -> tuple:
    """A new response's column values in the model's column order (`SurveyResponse(*values)`
    builds it; the import stores a batch of them as they are): validated `scores`, flagged
    by the unit's rule; id and the answers not given None."""
    officer_poor, institution_poor = poor_elements(unit, scores)
    at = _slots()
    values = at.blank.copy()  # None, and "" for each profile answer not stated
    values[at.unit_id] = unit.id
    values[at.service_record_id] = service_record_id
    values[at.service_type_id] = service_type_id
    values[at.officer_id] = officer_id
    values[at.submitted_at] = submitted_at
    values[at.comment] = comment.strip()[:COMMENT_MAX_LENGTH] if comment else ""
    values[at.source] = source
    if officer_poor or institution_poor:
        poor = set(officer_poor) | set(institution_poor)
        values[at.flagged] = True
        values[at.flagged_elements] = ",".join(c for c in ELEMENT_CODES if c in poor)
    else:
        values[at.flagged] = False
        values[at.flagged_elements] = ""
    values[at.answer_columns] = map(scores.get, ELEMENT_CODES)  # None where not answered
    if profile:
        for name, i in at.profile:
            values[i] = str(profile.get(name) or "")[:PROFILE_MAX_LENGTH]
    return tuple(values)


@dataclass(frozen=True)
class _Slots:
    """Where each of SurveyResponse's columns stands in its values (Model.__init__'s order)."""

    columns: tuple[str, ...]
    blank: list  # a response's values before any is set: None, profile answers ""
    unit_id: int
    service_record_id: int
    service_type_id: int
    officer_id: int
    submitted_at: int
    comment: int
    source: int
    flagged: int
    flagged_elements: int
    answer: dict[str, int]  # element code -> index
    answer_columns: slice  # U1..U9, one after the other
    tallied: Callable[[Sequence], tuple]  # a row's U1..U9 then its flag: what the tallies count
    profile: tuple[tuple[str, int], ...]  # (profile field, index), in PROFILE_FIELDS order
    profiles: Callable[[Sequence], tuple]  # a row's profile answers, in that order


@functools.cache
def _slots() -> _Slots:
    columns = tuple(f.attname for f in SurveyResponse._meta.concrete_fields)
    index = {name: i for i, name in enumerate(columns)}
    answer = {code: index[code.lower()] for code in ELEMENT_CODES}
    first = answer[ELEMENT_CODES[0]]
    if list(answer.values()) != list(range(first, first + len(ELEMENT_CODES))):
        raise ImproperlyConfigured("SurveyResponse's answers must be its columns U1..U9 in turn")
    named = (
        "unit_id",
        "service_record_id",
        "service_type_id",
        "officer_id",
        "submitted_at",
        "comment",
        "source",
        "flagged",
        "flagged_elements",
    )
    blank = [None] * len(columns)
    for name in PROFILE_FIELDS:
        blank[index[name]] = ""
    return _Slots(
        columns=columns,
        blank=blank,
        **{name: index[name] for name in named},
        answer=answer,
        answer_columns=slice(first, first + len(ELEMENT_CODES)),
        tallied=operator.itemgetter(*answer.values(), index["flagged"]),
        profile=tuple((name, index[name]) for name in PROFILE_FIELDS),
        profiles=operator.itemgetter(*(index[name] for name in PROFILE_FIELDS)),
    )


def tally_key(unit: Unit, response: SurveyResponse) -> tally.TallyKey:
    return (local_day(unit, response.submitted_at), response.service_type_id, response.officer_id)


def store_responses(unit: Unit, responses: list[SurveyResponse]) -> None:
    """Insert new responses of `unit` (one by `insert_one`; several go as `store_values`
    stores an import's batch, their instances left unsaved), open an improvement item for
    each that rates an institution's element poor and add them to their tallies (per service
    type and officer, per unit and day, per profile answer: surveys/tally.py). Call inside a
    transaction. A poor rating of an officer's element only flags the response: the back
    office's daily check refers it."""
    if len(responses) != 1:
        columns = _slots().columns
        store_values(unit, [[getattr(r, name) for name in columns] for r in responses])
        return
    response = responses[0]
    insert_one(response)
    if response.flagged:
        open_improvement_items(unit, [response])
    counters = tally.Counters()
    counters.add(
        tally_key(unit, response),
        response.answers(),
        [getattr(response, name) for name in PROFILE_FIELDS],
        flagged=response.flagged,
    )
    tally.add_tallies(unit, counters)


def store_values(unit: Unit, rows: list[Sequence]) -> None:
    """`store_responses` for new responses of `unit` given as their column values
    (`response_values`)."""
    store = ValuesStore(unit)
    store.add(rows)
    store.finish()


class PreparedBatch(NamedTuple):
    """`ValuesStore.prepare`'s batch: the rows inserted as they are, and the responses that
    open an improvement item (stored with their primary key)."""

    plain: PreparedRows
    improving: list[SurveyResponse]


class ValuesStore:
    """`store_values` a batch at a time (the import's): `add(rows)` (or `count` and
    `insert`, or `count`, `prepare` and `insert_prepared`: the last in another thread) per
    batch, `finish()` after the last, in one transaction. Most rows are
    inserted as they come; the few that open an improvement item wait for `HELD_ROWS` of
    them (or the end) and go together, and the tallies are summed over all batches and
    written once, at the end (each row written once, and locked from there to the commit).
    Memory: at most `HELD_ROWS` rows and a tally row per key (the days, service types and
    officers), never all the rows."""

    HELD_ROWS = 500

    def __init__(self, unit: Unit) -> None:
        self.unit = unit
        self.improving: list[SurveyResponse] = []
        self.totals = tally.Totals()

    def add(self, rows: Sequence[Sequence]) -> None:
        """Store a batch: `count` it, `insert` it."""
        self.count(rows)
        self.insert(rows)

    def count(self, rows: Sequence[Sequence]) -> None:
        """Add a batch to the tallies' sums (no database: the import counts a batch while
        another thread inserts the one before)."""
        at = _slots()
        counters = tally.Counters()
        # A column at a time (each row's DailyTally key: its local day, service type and
        # officer), the rows' answers and flag and profile answers as they stand in the row.
        days = self.unit.local_dates([row[at.submitted_at] for row in rows])
        service_types = [row[at.service_type_id] for row in rows]
        officers = [row[at.officer_id] for row in rows]
        counters.add_many(
            zip(days, service_types, officers, strict=True),
            map(at.tallied, rows),
            map(at.profiles, rows),
        )
        self.totals.absorb(counters)

    def insert(self, rows: Sequence[Sequence]) -> None:
        """Insert a batch's responses (those that open an improvement item when `HELD_ROWS`
        of them wait, or at `finish`)."""
        self.insert_prepared(self.prepare(rows))

    def prepare(self, rows: Sequence[Sequence]) -> PreparedBatch:
        """A batch made ready for `insert_prepared`, with no database I/O (the import
        prepares a batch while another thread inserts the one before)."""
        unit, at = self.unit, _slots()
        # A response that rates an institution's element poor gets an improvement item,
        # which refers to it: those are built and come back with their primary key. The
        # rest, most of an import (a flagged one's case comes later, from the daily check),
        # go as they are in one executemany of the ORM-compiled INSERT (COPY on PostgreSQL),
        # ten times cheaper than bulk_create.
        plain, improving = [], []
        for row in rows:
            if row[at.flagged]:
                response = SurveyResponse(*row)
                if poor_elements(unit, response.answers())[1]:
                    improving.append(response)
                    continue
            plain.append(row)
        return PreparedBatch(prepare_values(SurveyResponse, plain), improving)

    def insert_prepared(self, batch: PreparedBatch) -> None:
        """Insert a `prepare`d batch."""
        insert_prepared(batch.plain)
        self.improving.extend(batch.improving)
        if len(self.improving) >= self.HELD_ROWS:
            self._store_improving()

    def finish(self) -> None:
        self._store_improving()
        # The tallies last: their rows are shared by every answer of the unit's day (the
        # whole-day row by all of them), and a row lock is held until the commit.
        tally.add_tallies(self.unit, self.totals)
        self.totals = tally.Totals()

    def _store_improving(self) -> None:
        if self.improving:
            SurveyResponse.objects.bulk_create(self.improving)
            open_improvement_items(self.unit, self.improving)
            self.improving = []


def open_improvement_items(unit: Unit, flagged: Iterable[SurveyResponse]) -> list:
    """One improvement item per saved response that rates an institution's element poor (the
    items of a batch come back without their primary key)."""
    items = []
    created_at = timezone.now()
    for response in flagged:
        _mine, institution_poor = poor_elements(unit, response.answers())
        if institution_poor:
            items.append(
                ImprovementItem(
                    unit=unit,
                    survey_response=response,
                    elements=",".join(institution_poor),
                    description=improvement_description(response, institution_poor),
                    created_at=created_at,
                )
            )
    if len(items) == 1:
        items[0].save()
    elif items:
        insert_rows(ImprovementItem, items)  # nothing refers to them yet: no keys needed
    return items


def improvement_description(response: SurveyResponse, codes: Iterable[str]) -> str:
    answers = response.answers()
    parts = [
        f"{c} {ELEMENT_NAMES[c]}: {answers[c]} ({ANSWER_LABELS[c][answers[c] - 1]})" for c in codes
    ]
    text = _("Poor survey rating: %(parts)s.") % {"parts": "; ".join(parts)}
    if response.comment:
        text += " " + _("Comment: %(comment)s") % {"comment": response.comment[:500]}
    return text


def submit_response(
    unit: Unit,
    *,
    answers: Mapping[str, object],
    comment: str = "",
    submitted_at: datetime.datetime | None = None,
    service_type: ServiceType | None = None,
    officer: User | None = None,
    service_record: ServiceRecord | None = None,
    source: str = ResponseSource.WEB,
    profile: Mapping[str, str] | None = None,
) -> SurveyResponse:
    """Store one response, its tally and what it flags, in one transaction.

    Validation and the flags are worked out before the transaction starts, so the write
    transaction (on SQLite: the database's one write lock) is held only for the writes.
    Raises InvalidInput (bad answers), StateConflict (the service record already answered).
    """
    service_type_id = service_type.pk if service_type else None
    officer_id = officer.pk if officer else None
    if service_record is not None:
        service_type_id = service_type_id or service_record.service_type_id
        officer_id = officer_id or service_record.officer_id
    response = new_response(
        unit,
        parse_answers(answers),
        submitted_at=submitted_at or timezone.now(),
        comment=comment,
        service_type_id=service_type_id,
        officer_id=officer_id,
        service_record=service_record,
        source=source,
        profile=profile_values(unit, profile or {}, strict=True),
    )
    # One atomic block: on its own the transaction (a failed insert rolls it all back); inside
    # a caller's transaction a savepoint, so that transaction keeps working after a 409.
    # Its statements are the same for every answer: prepared once per connection.
    try:
        with prepared(), transaction.atomic():
            store_responses(unit, [response])
    except IntegrityError as exc:  # the one-to-one on service_record: answered meanwhile
        raise StateConflict(_("This survey has already been answered.")) from exc
    return response


# What storing a customer's answer reads of its service record and of its unit: the keys the
# response copies, the survey's closing time, the flag rule and the tally's local day.
RECORD_FIELDS = ("id", "unit_id", "service_type_id", "officer_id", "served_at")
UNIT_FIELDS = ("flag_threshold", "flag_elements", "time_zone")


@functools.cache
def _loaded(model: type, names: tuple[str, ...]) -> tuple[str, ...]:
    """`names` in the model's column order, as `Model.from_db` takes them."""
    return tuple(f.attname for f in model._meta.concrete_fields if f.attname in names)


_ANSWER_KEY = "response__id"
# Where the token goes in record_for_token's read: no token can be this (is_token).
_TOKEN_MARKER = "\x00token"


@functools.cache
def _token_read() -> tuple[tuple[str, ...], CompiledRead]:
    """The names and the read of `record_for_token`'s one row, which the ORM compiles once
    per connection (compiling its two joins and nine columns cost more than running it)."""
    names = (
        *_loaded(ServiceRecord, RECORD_FIELDS),
        *(f"unit__{name}" for name in UNIT_FIELDS),
        _ANSWER_KEY,
    )
    rows = ServiceRecord.objects.values_list(*names).filter(survey_token=_TOKEN_MARKER)
    return names, CompiledRead(rows, token=_TOKEN_MARKER)


def record_for_token(token: str) -> tuple[ServiceRecord, bool]:
    """(the service record of `token` with its unit, whether it has been answered).

    One query reads what storing an answer needs (RECORD_FIELDS, UNIT_FIELDS) and the key of
    the record's response (the reverse one-to-one: NULL while unanswered). The record and its
    unit are built from that row by `Model.from_db`, as the ORM builds any partly loaded
    instance: a field not read here loads when first used (a query more, never a wrong
    value). select_related with only() reads the same row at half as much CPU again (it walks
    every field of the wide Unit to compile the query and to build the instance).

    Raises ServiceRecord.DoesNotExist.
    """
    if not is_token(token):
        raise ServiceRecord.DoesNotExist
    names, read = _token_read()
    found = read.rows(token=token)  # survey_token is unique: one row or none
    if not found:
        raise ServiceRecord.DoesNotExist
    values = dict(zip(names, found[0], strict=True))
    db = read.db
    record_fields = _loaded(ServiceRecord, RECORD_FIELDS)
    record = ServiceRecord.from_db(db, record_fields, [values[f] for f in record_fields])
    unit_fields = _loaded(Unit, ("id", *UNIT_FIELDS))
    values["unit__id"] = record.unit_id
    record.unit = Unit.from_db(db, unit_fields, [values[f"unit__{f}"] for f in unit_fields])
    return record, values[_ANSWER_KEY] is not None


def submit_survey(
    token: str,
    *,
    answers: Mapping[str, object],
    comment: str = "",
    source: str = ResponseSource.WEB,
    profile: Mapping[str, str] | None = None,
) -> SurveyResponse:
    """The customer's answers for the service record of `token` (one response per token).

    Raises ServiceRecord.DoesNotExist (unknown), SurveyClosed (expired), StateConflict (used).
    The one-to-one between response and record (a unique column) is what guarantees one
    answer per token when two arrive at once: the second insert fails and answers 409.
    """
    with prepared():
        record, answered = record_for_token(token)
    if answered:
        raise StateConflict(_("This survey has already been answered. Thank you!"))
    if timezone.now() > survey_closes_at(record):
        raise SurveyClosed(_("This survey link has expired."))
    try:
        return submit_response(
            record.unit,
            answers=answers,
            comment=comment,
            service_record=record,
            source=source,
            profile=profile,
        )
    except StateConflict:
        raise StateConflict(_("This survey has already been answered. Thank you!")) from None


# --- the daily check -------------------------------------------------------------------------


@transaction.atomic
def sign_daily_check(unit: Unit, *, actor: User, day: datetime.date, note: str = "") -> DailyCheck:
    """The back office (or coordinator) signs that `day`'s results were checked."""
    if not roles_in(actor, unit) & DAY_SIGNERS:
        raise ActionForbidden(_("Only the back office or the coordinator signs the daily check."))
    if day > unit.today():
        raise InvalidInput(
            _("A day in the future cannot be checked."),
            fields={"day": [_("A day in the future cannot be checked.")]},
        )
    if DailyCheck.objects.filter(unit=unit, day=day).exists():
        raise StateConflict(_("This day has already been signed off."))
    try:
        with transaction.atomic():
            return DailyCheck.objects.create(
                unit=unit, day=day, signed_by=actor, signed_at=timezone.now(), note=note.strip()
            )
    except IntegrityError as exc:
        raise StateConflict(_("This day has already been signed off.")) from exc
