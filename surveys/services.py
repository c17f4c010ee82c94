"""Writes of the satisfaction domain: service records, responses (with their flags, cases,
improvement items and tallies), and the back office's daily sign-off.

The web form, the API and `import_skm` all store responses through `submit_response` (or its
bulk twin in `importer.py`), so a response, its tally and whatever it flags are written in one
transaction whatever door it came in by.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterable, Mapping

from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pulih.lib.errors import ActionForbidden, DomainError, InvalidInput, StateConflict
from units.access import members_with_role, roles_in
from units.models import ELEMENT_CODES, Role, ServiceType, Unit, User

from .access import DAY_SIGNERS, RECORDERS, RECORDS_FOR_OTHERS
from .models import (
    COMMENT_MAX_LENGTH,
    CustomerKind,
    DailyCheck,
    DailyTally,
    ResponseSource,
    ServiceChannel,
    ServiceRecord,
    SurveyResponse,
)

# A receipt's survey link stays open this many days after the service.
SURVEY_VALID_DAYS = 30


class SurveyClosed(DomainError):
    """The survey link has expired (410)."""

    status = 410


def local_day(unit: Unit, moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(unit.zone).date()


def unit_officers(unit: Unit) -> QuerySet[User]:
    return members_with_role(unit, [Role.OFFICER]).order_by("full_name", "username")


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
    channel: str = ServiceChannel.IN_PERSON,
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
    if channel not in ServiceChannel.values:
        errors["channel"] = [_("Unknown channel.")]
    now = timezone.now()
    served_at = served_at or now
    if served_at > now + datetime.timedelta(minutes=5):
        errors["served_at"] = [_("The service cannot be in the future.")]
    if errors:
        raise InvalidInput(_("The service record is not valid."), fields=errors)
    return ServiceRecord.objects.create(
        unit=unit,
        service_type=service_type,
        officer=officer,
        customer_name=customer_name.strip(),
        customer_contact=customer_contact.strip(),
        customer_kind=customer_kind,
        channel=channel,
        served_at=served_at,
        created_by=actor,
    )


_TOKEN = re.compile(r"[A-Za-z0-9_-]{8,64}")


def is_token(value: str) -> bool:
    """Whether `value` could be a survey token (anything else is unknown without a query)."""
    return bool(_TOKEN.fullmatch(value or ""))


def survey_closes_at(record: ServiceRecord) -> datetime.datetime:
    return record.served_at + datetime.timedelta(days=SURVEY_VALID_DAYS)


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
    """(officer's elements, institution's elements) scored at or below the unit's threshold."""
    poor = [c for c in ELEMENT_CODES if c in answers and answers[c] <= unit.flag_threshold]
    mine = set(unit.officer_elements)
    return [c for c in poor if c in mine], [c for c in poor if c not in mine]


def tally_increments(answers: Mapping[str, int]) -> list[int]:
    """[respondents, u1_sum, u1_n, ..., u9_sum, u9_n] of one response."""
    row = [1]
    for code in ELEMENT_CODES:
        score = answers.get(code)
        row += [score, 1] if score is not None else [0, 0]
    return row


_TALLY_COLUMNS = ["respondents"] + [
    f"{c.lower()}_{part}" for c in ELEMENT_CODES for part in ("sum", "n")
]
TallyKey = tuple[datetime.date, int | None, int | None]  # day, service type id, officer id


def _upsert_tally(unit: Unit, key: TallyKey, counts: list[int]) -> None:
    """Add one key's counts: one INSERT … ON CONFLICT DO UPDATE on the key's unique index
    (SQLite and PostgreSQL), so no read, no savepoint and no retry when two responses of a
    new key arrive together."""
    with connection.cursor() as cursor:
        cursor.execute(
            _tally_upsert_sql(connection.vendor), _tally_upsert_params(unit, key, counts)
        )


def _tally_upsert_params(unit: Unit, key: TallyKey, counts: list[int]) -> list:
    day, service_type_id, officer_id = key
    adapt = connection.ops.adapt_datefield_value
    return [unit.pk, adapt(day), service_type_id, officer_id, *counts]


_TALLY_KEY = ["unit", "day", "service_type", "officer"]
_TALLY_TYPES = ["bigint", "date", "bigint", "bigint"] + ["integer"] * len(_TALLY_COLUMNS)


@functools.cache
def _tally_upsert_sql(vendor: str, arrays: bool = False) -> str:
    """INSERT keys' counts into their tally rows, or add them to the rows already there.
    The conflict target spells the unique constraint dailytally_one_per_key. With `arrays`
    (PostgreSQL), the rows come as one array parameter per column, unnested: many keys in
    one statement."""
    meta = DailyTally._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)

    def col(name: str) -> str:
        return quote(meta.get_field(name).column)

    fields = [*_TALLY_KEY, *_TALLY_COLUMNS]
    columns = ", ".join(col(f) for f in fields)
    if arrays:
        typed = ", ".join(f"%s::{t}[]" for t in _TALLY_TYPES)
        rows = f"SELECT * FROM unnest({typed})"  # noqa: S608 (a constant)
    else:
        rows = "VALUES (" + ", ".join(["%s"] * len(fields)) + ")"
    target = f"{col('unit')}, {col('day')}, COALESCE({col('service_type')}, 0), "
    target += f"COALESCE({col('officer')}, 0)"
    sets = ", ".join(f"{col(c)} = {table}.{col(c)} + EXCLUDED.{col(c)}" for c in _TALLY_COLUMNS)
    return (
        f"INSERT INTO {table} ({columns}) {rows}"  # noqa: S608 (identifiers from meta)
        f" ON CONFLICT ({target}) DO UPDATE SET {sets}"
    )


def add_tallies(unit: Unit, counters: Mapping[TallyKey, list[int]]) -> None:
    """Add many keys' counts at once (the import) by the same upsert as one response's:
    executemany on SQLite, one statement over unnested arrays on PostgreSQL. The keys go in
    one order, so two imports touching the same rows lock them in the same order."""
    rows = [
        _tally_upsert_params(unit, key, counters[key])
        for key in sorted(counters, key=lambda k: (k[0], k[1] or 0, k[2] or 0))
    ]
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            columns = [list(column) for column in zip(*rows, strict=True)]
            cursor.execute(_tally_upsert_sql(connection.vendor, arrays=True), columns)
        else:
            cursor.executemany(_tally_upsert_sql(connection.vendor), rows)


def act_on_flags(response: SurveyResponse, officer_poor: list[str], institution_poor: list[str]):
    """Open a case for the officer's poor elements, an improvement item for the institution's."""
    cases, items = act_on_flags_many(response.unit, [(response, officer_poor, institution_poor)])
    return (cases[0] if cases else None), (items[0] if items else None)


Flagged = tuple[SurveyResponse, list[str], list[str]]  # response, officer's and institution's


def act_on_flags_many(unit: Unit, flagged: Iterable[Flagged]) -> tuple[list, list]:
    """`act_on_flags` for many saved responses of `unit` at once (the import): the cases
    through `cases.workflow.open_cases`, the improvement items in one bulk insert.

    Returns (cases opened, improvement items created), in the responses' order.
    """
    from cases.models import ImprovementItem
    from cases.workflow import Opening, open_cases

    openings, items = [], []
    created_at = timezone.now()
    for response, officer_poor, institution_poor in flagged:
        if officer_poor and response.officer_id is not None:
            openings.append(
                Opening(
                    response.officer, survey_response=response, reason=case_reason(officer_poor)
                )
            )
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
    cases = open_cases(unit, openings, actor=None)
    if len(items) == 1:
        items[0].save()
    elif items:
        ImprovementItem.objects.bulk_create(items, batch_size=1000)
    return cases, items


def case_reason(codes: Iterable[str]) -> str:
    return _("Survey rating kurang/sangat kurang on %(elements)s") % {"elements": ", ".join(codes)}


def improvement_description(response: SurveyResponse, codes: Iterable[str]) -> str:
    from .ikm import ANSWER_LABELS, ELEMENT_NAMES

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
) -> SurveyResponse:
    """Store one response, its tally and what it flags, in one transaction."""
    return _store_response(
        unit,
        answers=answers,
        comment=comment,
        submitted_at=submitted_at,
        service_type_id=service_type.pk if service_type else None,
        officer_id=officer.pk if officer else None,
        service_record=service_record,
        source=source,
    )


def _store_response(
    unit: Unit,
    *,
    answers: Mapping[str, object],
    comment: str,
    submitted_at: datetime.datetime | None,
    service_type_id: int | None,
    officer_id: int | None,
    service_record: ServiceRecord | None,
    source: str,
) -> SurveyResponse:
    """submit_response by ids. Everything that needs no database (validation, flags, the
    tally's increments) is done before the transaction starts, so the write transaction (on
    SQLite: the database's one write lock) is held only for the writes."""
    scores = parse_answers(answers)
    officer_poor, institution_poor = poor_elements(unit, scores)
    flagged = officer_poor + institution_poor
    response = SurveyResponse(
        unit=unit,
        service_record=service_record,
        service_type_id=service_type_id,
        officer_id=officer_id,
        submitted_at=submitted_at or timezone.now(),
        comment=(comment or "").strip()[:COMMENT_MAX_LENGTH],
        source=source,
        flagged=bool(flagged),
        flagged_elements=",".join(c for c in ELEMENT_CODES if c in flagged),
        **{c.lower(): v for c, v in scores.items()},
    )
    key = (local_day(unit, response.submitted_at), service_type_id, officer_id)
    increments = tally_increments(scores)
    nested = connection.in_atomic_block
    if not flagged and not nested and connection.vendor == "postgresql":
        # Response and tally in one statement: one transaction, one round trip.
        try:
            _insert_with_tally(response, unit, key, increments)
        except IntegrityError as exc:  # the one-to-one on service_record: answered meanwhile
            raise StateConflict(_("This survey has already been answered.")) from exc
        return response
    # A caller's own transaction keeps working after a 409: then (only) the insert gets a
    # savepoint; otherwise a failed insert simply rolls the whole transaction back.
    with transaction.atomic():
        try:
            with transaction.atomic(savepoint=nested):
                _insert(response)
        except IntegrityError as exc:  # the one-to-one on service_record: answered meanwhile
            raise StateConflict(_("This survey has already been answered.")) from exc
        _upsert_tally(unit, key, increments)
        if flagged:
            act_on_flags(response, officer_poor, institution_poor)
    return response


@functools.cache
def _insert_sql(vendor: str, model: type) -> tuple[str, list]:
    meta = model._meta
    quote = connection.ops.quote_name
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    return f"{sql} RETURNING {quote(meta.pk.column)}", fields


def _insert(obj: SurveyResponse) -> None:
    """obj.save() for a new response, as one prepared INSERT … RETURNING: what the ORM's
    insert does (pre_save, prepare each field, take the new key) without compiling the
    statement again for every response. The model has no save() override or signals."""
    sql, fields = _insert_sql(connection.vendor, type(obj))
    _execute_insert(obj, sql, fields)


def _insert_with_tally(
    obj: SurveyResponse, unit: Unit, key: TallyKey, increments: list[int]
) -> None:
    """PostgreSQL: insert the response and add it to its tally in one statement (a
    data-modifying WITH), which is atomic on its own."""
    vendor = connection.vendor
    insert, fields = _insert_sql(vendor, type(obj))
    pk = connection.ops.quote_name(type(obj)._meta.pk.column)
    sql = f"WITH r AS ({insert}), t AS ({_tally_upsert_sql(vendor)}) SELECT {pk} FROM r"  # noqa: S608
    _execute_insert(obj, sql, fields, _tally_upsert_params(unit, key, increments))


def _execute_insert(
    obj: SurveyResponse, sql: str, fields: list, extra: Iterable[object] = ()
) -> None:
    """Run an INSERT … RETURNING of `obj`'s `fields` (then `extra` parameters) and mark
    `obj` saved with its new key, as Model.save() would."""
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *extra])
        obj.pk = cursor.fetchone()[0]
    obj._state.adding = False
    obj._state.db = connection.alias


# What storing a response needs of its unit; the rest of the unit is loaded only if used.
_UNIT_FIELDS = ("flag_threshold", "flag_elements", "time_zone")


@functools.cache
def _record_by_token_sql(vendor: str) -> str:
    """The service record of a token, whether it is answered and what storing a response
    needs of its unit, in one statement (written once from the models' metadata: the ORM
    would compile the same query again on every submission)."""
    quote = connection.ops.quote_name
    rec, unit, resp = ServiceRecord._meta, Unit._meta, SurveyResponse._meta
    columns = [f"r.{quote(f.column)}" for f in rec.concrete_fields]
    columns += [
        f"u.{quote(unit.get_field(n).column)} AS {quote('unit_' + n)}" for n in _UNIT_FIELDS
    ]
    answered = (
        f"EXISTS (SELECT 1 FROM {quote(resp.db_table)} a"  # noqa: S608 (identifiers from meta)
        f" WHERE a.{quote(resp.get_field('service_record').column)} = r.{quote(rec.pk.column)})"
    )
    return (
        f"SELECT {', '.join(columns)}, {answered} AS {quote('answered')}"  # noqa: S608 (meta)
        f" FROM {quote(rec.db_table)} r JOIN {quote(unit.db_table)} u"
        f" ON u.{quote(unit.pk.column)} = r.{quote(rec.get_field('unit').column)}"
        f" WHERE r.{quote(rec.get_field('survey_token').column)} = %s"
    )


def record_for_token(token: str) -> tuple[ServiceRecord, bool]:
    """(the service record of `token` with its unit, whether it has been answered).

    The unit carries only what a response needs (threshold, flagged elements, time zone);
    its other fields, the service type and the officer load if something reads them.
    Raises ServiceRecord.DoesNotExist.
    """
    if not is_token(token):
        raise ServiceRecord.DoesNotExist
    rows = list(ServiceRecord.objects.raw(_record_by_token_sql(connection.vendor), [token]))
    if not rows:
        raise ServiceRecord.DoesNotExist
    record = rows[0]
    loaded = {"id": record.unit_id, **{n: getattr(record, f"unit_{n}") for n in _UNIT_FIELDS}}
    names = [f.attname for f in Unit._meta.concrete_fields if f.attname in loaded]
    record.unit = Unit.from_db(record._state.db, names, [loaded[n] for n in names])
    return record, bool(record.answered)


def submit_survey(
    token: str,
    *,
    answers: Mapping[str, object],
    comment: str = "",
    source: str = ResponseSource.WEB,
) -> SurveyResponse:
    """The customer's answers for the service record of `token` (one response per token).

    Raises ServiceRecord.DoesNotExist (unknown), SurveyClosed (expired), StateConflict (used).
    The record and its state are read in one query outside the write transaction; the
    one-to-one between response and record (a unique column) is what guarantees one answer
    per token when two arrive at once: the second insert fails and answers 409.
    """
    record, answered = record_for_token(token)
    if answered:
        raise StateConflict(_("This survey has already been answered. Thank you!"))
    if timezone.now() > survey_closes_at(record):
        raise SurveyClosed(_("This survey link has expired."))
    try:
        return _store_response(
            record.unit,
            answers=answers,
            comment=comment,
            submitted_at=None,
            service_type_id=record.service_type_id,
            officer_id=record.officer_id,
            service_record=record,
            source=source,
        )
    except StateConflict:
        raise StateConflict(_("This survey has already been answered. Thank you!")) from None


# --- the daily check -------------------------------------------------------------------------


@transaction.atomic
def sign_daily_check(unit: Unit, *, actor: User, day: datetime.date, note: str = "") -> DailyCheck:
    """The back office (or coordinator) signs that `day`'s results were checked."""
    if not roles_in(actor, unit) & DAY_SIGNERS:
        raise ActionForbidden(_("Only the back office or the coordinator signs the daily check."))
    if day > timezone.now().astimezone(unit.zone).date():
        raise InvalidInput(
            _("A day in the future cannot be checked."), fields={"day": [_("In the future.")]}
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
