"""Import SKM responses from CSV or XLSX, all or nothing, streaming.

Two layouts are accepted:
- Pulih's own header: submitted_at,service,officer,U1..U9,comment (in any order);
- a Google Forms export, whose question columns are matched to elements by their text
  (the unit's SurveyFormMapping, or the standard questionnaire's texts by default), whose
  answers may be the labelled options ("Sangat sesuai") or numbers, and whose service and
  officer columns may hold names instead of codes.

The file is read twice and never held in memory: the first pass validates every row and
collects each bad row, column and reason (the import stops there if any); the second inserts
in batches inside one transaction, with the same flags, cases, improvement items and tallies
as a response from the form. Imported rows with an officer and a poor score on the officer's
elements open a case, because those are exactly what the back office must review.
"""

from __future__ import annotations

import csv
import datetime
import io
import operator
import pickle
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from units.models import ELEMENT_CODES, ServiceType, Unit

from .ikm import ANSWER_LABELS
from .models import COMMENT_MAX_LENGTH, ResponseSource, SurveyFormMapping, SurveyResponse
from .services import act_on_flags_many, add_tallies, poor_elements, unit_officers

STANDARD_HEADER = ["submitted_at", "service", "officer", *ELEMENT_CODES, "comment"]
REQUIRED = ["submitted_at", "service", *ELEMENT_CODES]
BATCH_SIZE = 10_000  # rows per insert; one batch at most is held in memory
PROGRESS_EVERY = 10_000
MAX_ERRORS = 1000  # reported in full up to this many; the rest are counted

# The nine questions of the usual SKM questionnaire (PermenPANRB 14/2017 appendix).
DEFAULT_QUESTIONS = {
    "U1": [
        "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis "
        "pelayanannya?",
        "Persyaratan",
    ],
    "U2": [
        "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
        "Sistem, mekanisme, dan prosedur",
        "Prosedur",
    ],
    "U3": [
        "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
        "Waktu penyelesaian",
    ],
    "U4": [
        "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
        "Biaya/tarif",
    ],
    "U5": [
        "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum "
        "dalam standar pelayanan dengan hasil yang diberikan?",
        "Produk spesifikasi jenis pelayanan",
    ],
    "U6": [
        "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
        "Kompetensi pelaksana",
    ],
    "U7": [
        "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait "
        "kesopanan dan keramahan?",
        "Perilaku pelaksana",
    ],
    "U8": [
        "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
        "Sarana dan prasarana",
    ],
    "U9": [
        "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
        "Penanganan pengaduan, saran dan masukan",
    ],
}
DEFAULT_COLUMNS = {
    "submitted_at": ["Timestamp", "Stempel waktu", "Cap waktu", "Tanggal"],
    "service": ["Jenis layanan", "Layanan", "Jenis layanan yang diterima"],
    "officer": ["Petugas", "Nama petugas", "Petugas yang melayani"],
    "comment": ["Saran", "Saran dan masukan", "Komentar", "Kritik dan saran"],
}
_DATE_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y/%m/%d %I:%M:%S %p",
    "%Y/%m/%d %H:%M:%S",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y",
]
_GMT = re.compile(r"\s*(GMT|UTC)([+-]\d{1,2})(?::?(\d{2}))?\s*$", re.IGNORECASE)


def normalise(text: object) -> str:
    """Header/answer text for matching: case, accents, punctuation and numbering ignored."""
    value = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    value = re.sub(r"^\s*(\d+|[a-z])[.)]\s+", "", value.lower())
    return re.sub(r"[^a-z0-9]+", " ", value).strip()


@dataclass(frozen=True)
class RowError:
    row: int  # the file's row number, header = 1
    column: str
    reason: str

    def __str__(self) -> str:
        return _("row %(row)s, column %(column)s: %(reason)s") % {
            "row": self.row,
            "column": self.column,
            "reason": self.reason,
        }


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError], more: int = 0):
        super().__init__(f"{len(errors) + more} errors")
        self.errors = errors
        self.more = more


@dataclass
class Plan:
    """Which column holds what; `labels` is set for a Google Forms layout."""

    columns: dict[str, int]
    names: dict[str, str]  # field -> header text, for error messages
    google: bool
    services: dict[str, int] = field(default_factory=dict)
    officers: dict[str, int] = field(default_factory=dict)
    users: dict[int, object] = field(default_factory=dict)  # officer id -> User
    score_columns: list[tuple[str, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.score_columns = [(c, self.columns.get(c, 10**6)) for c in ELEMENT_CODES]


# --- reading ---------------------------------------------------------------------------------


def read_rows(path: str | Path) -> Iterator[list[object]]:
    """Rows of a CSV (UTF-8, comma or semicolon) or XLSX file, one at a time."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        try:
            for row in book.worksheets[0].iter_rows(values_only=True):
                yield list(row)
        finally:
            book.close()
        return
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        sample = handle.read(4096)
        handle.seek(0)
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        yield from csv.reader(handle, delimiter=delimiter)


def _mapping(unit: Unit) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    questions = {k: list(v) for k, v in DEFAULT_QUESTIONS.items()}
    columns = {k: list(v) for k, v in DEFAULT_COLUMNS.items()}
    custom = SurveyFormMapping.objects.filter(unit=unit).first()
    if custom is not None:
        for code, texts in (custom.questions or {}).items():
            if code in questions:
                questions[code] = [texts] if isinstance(texts, str) else list(texts)
        for name, texts in (custom.columns or {}).items():
            if name in columns:
                columns[name] = [texts] if isinstance(texts, str) else list(texts)
    return questions, columns


def make_plan(unit: Unit, header: list[object]) -> Plan:
    """Map the header to fields; raise ImportFailed naming what is missing or unknown."""
    cells = [str(h or "").strip() for h in header]
    lowered = [c.lower() for c in cells]
    users = {u.pk: u for u in unit_officers(unit)}
    officers = {u.username.lower(): u.pk for u in users.values()}
    services = {s.code.lower(): s.pk for s in ServiceType.objects.filter(unit=unit)}
    if {"submitted_at", "service"} <= set(lowered):
        columns = {
            name: lowered.index(name.lower()) for name in STANDARD_HEADER if name.lower() in lowered
        }
        names = {name: name for name in columns}
        plan = Plan(columns, names, False, services, officers, users)
    else:
        questions, others = _mapping(unit)
        wanted = {**questions, **others}
        columns, names = {}, {}
        normalised = [normalise(c) for c in cells]
        for name, texts in wanted.items():
            targets = [normalise(t) for t in texts] + [normalise(name)]
            for i, cell in enumerate(normalised):
                if not cell or i in columns.values():
                    continue
                if cell in targets or any(len(t) > 25 and t in cell for t in targets):
                    columns[name], names[name] = i, cells[i]
                    break
        for st in ServiceType.objects.filter(unit=unit):
            services[normalise(st.name)] = st.pk
            services[normalise(st.code)] = st.pk
        for user in users.values():
            officers[normalise(user.username)] = user.pk
            if user.full_name:
                officers[normalise(user.full_name)] = user.pk
        plan = Plan(columns, names, True, services, officers, users)
    missing = [name for name in REQUIRED if name not in plan.columns]
    if missing:
        raise ImportFailed(
            [RowError(1, name, _("column missing from the header")) for name in missing]
        )
    return plan


# --- parsing one row -------------------------------------------------------------------------


def parse_moment(value: object, unit: Unit) -> datetime.datetime:
    """An ISO date or datetime (or a spreadsheet's), aware in the unit's zone if naive."""
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, datetime.time.min)
    else:
        text = str(value or "").strip()
        if not text:
            raise ValueError(_("empty"))
        offset = None
        match = _GMT.search(text)
        if match:
            hours, minutes = int(match.group(2)), int(match.group(3) or 0)
            sign = -1 if hours < 0 else 1
            offset = datetime.timezone(sign * datetime.timedelta(hours=abs(hours), minutes=minutes))
            text = text[: match.start()]
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            for fmt in _DATE_FORMATS:
                try:
                    moment = datetime.datetime.strptime(text, fmt)  # noqa: DTZ007 (zone set below)
                    break
                except ValueError:
                    continue
            else:
                raise ValueError(
                    _("not a date or date-time: %(value)r") % {"value": text}
                ) from None
        if offset is not None and moment.tzinfo is None:
            moment = moment.replace(tzinfo=offset)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=unit.zone)
    return moment


def parse_score(value: object, code: str, google: bool) -> int | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        if 1 <= value <= 4:
            return value
        raise ValueError(_("must be a whole number from 1 to 4, not %(value)s") % {"value": value})
    text = str(value).strip()
    if not text:
        return None
    if re.fullmatch(r"[1-4]", text):
        return int(text)
    if google:
        lead = re.match(r"^([1-4])\s*[-.):]\s*\S", text)
        if lead:
            return int(lead.group(1))
        wanted = normalise(text)
        for score, label in enumerate(ANSWER_LABELS[code], start=1):
            if normalise(label) == wanted:
                return score
    raise ValueError(_("must be a whole number from 1 to 4, not %(value)r") % {"value": text})


@dataclass
class Parsed:
    submitted_at: datetime.datetime
    service_type_id: int
    officer_id: int | None
    scores: dict[str, int]
    comment: str


_FAST_SCORES: dict[str, int | None] = {"1": 1, "2": 2, "3": 3, "4": 4, "": None}
_MISSING = object()


def parse_row(
    plan: Plan, cells: list[object], unit: Unit, now: datetime.datetime
) -> tuple[Parsed | None, list[tuple[str, str]]]:
    """(parsed row, []) or (None, [(column, reason), ...])."""
    width = len(cells)
    columns = plan.columns

    def cell(name: str) -> object:
        i = columns.get(name, width)
        return cells[i] if i < width else None

    errors: list[tuple[str, str]] = []
    submitted_at = None
    try:
        submitted_at = parse_moment(cell("submitted_at"), unit)
        if submitted_at > now:
            errors.append(("submitted_at", _("in the future")))
    except ValueError as exc:
        errors.append(("submitted_at", str(exc)))
    service_text = str(cell("service") or "").strip()
    key = normalise(service_text) if plan.google else service_text.lower()
    service_type_id = plan.services.get(key)
    if service_type_id is None:
        reason = _("unknown service type %(value)r") % {"value": service_text}
        errors.append(("service", reason if service_text else _("empty")))
    officer_text = str(cell("officer") or "").strip()
    officer_id = None
    if officer_text:
        key = normalise(officer_text) if plan.google else officer_text.lower()
        officer_id = plan.officers.get(key)
        if officer_id is None:
            errors.append(
                ("officer", _("not an officer of this unit: %(value)r") % {"value": officer_text})
            )
    scores: dict[str, int] = {}
    bad_score = False
    for code, i in plan.score_columns:
        value = cells[i] if i < width else None
        score = _FAST_SCORES.get(value, _MISSING) if value.__class__ is str else _MISSING
        if score is _MISSING:
            try:
                score = parse_score(value, code, plan.google)
            except ValueError as exc:
                errors.append((code, str(exc)))
                bad_score = True
                continue
        if score is not None:
            scores[code] = score
    if not scores and not bad_score:
        errors.append(("U1", _("no question answered")))
    if errors:
        return None, errors
    comment = str(cell("comment") or "").strip()[:COMMENT_MAX_LENGTH]
    return Parsed(submitted_at, service_type_id, officer_id, scores, comment), []


# --- the import ------------------------------------------------------------------------------


def _fast_row(
    plan: Plan, cells: list[object], zone: datetime.tzinfo, now: datetime.datetime
) -> tuple | None:
    """A row of Pulih's own layout whose every cell is in the usual form, parsed without
    `parse_row`'s generality: (local moment, service id, officer id, scores, comment), or None
    for anything else (parse_row then parses it, and names whatever is wrong)."""
    columns = plan.columns
    try:
        text = cells[columns["submitted_at"]]
        moment = datetime.datetime.fromisoformat(text.strip())
        service_type_id = plan.services[cells[columns["service"]].strip().lower()]
        i = columns.get("officer")
        officer_text = cells[i].strip() if i is not None else ""
        officer_id = plan.officers[officer_text.lower()] if officer_text else None
        scores = tuple([_FAST_SCORES[cells[i]] for _c, i in plan.score_columns])
        i = columns.get("comment")
        comment = cells[i].strip()[:COMMENT_MAX_LENGTH] if i is not None else ""
    except (KeyError, IndexError, ValueError, TypeError, AttributeError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    if moment > now or scores.count(None) == len(scores):
        return None
    return moment, service_type_id, officer_id, scores, comment


def validate_file(
    path: str | Path,
    unit: Unit,
    *,
    progress: Callable[[str], None] | None = None,
    spill: BinaryIO | None = None,
    counters: dict | None = None,
    batch_size: int = BATCH_SIZE,
) -> int:
    """First pass: the number of data rows, or ImportFailed with each bad row/column/reason.

    With `spill`, the parsed rows are also written there, `batch_size` at a time (pickled
    lists, see `_Chunk`), so that the insert pass need not parse the file again; with
    `counters`, the tallies' increments are summed. Only one batch is held in memory.
    """
    rows = read_rows(path)
    header = next(rows, None)
    if header is None:
        raise ImportFailed([RowError(1, "-", _("the file is empty"))])
    plan = make_plan(unit, header)
    now = timezone.now()
    zone = unit.zone
    fast = not plan.google
    chunk = _Chunk(unit)
    errors: list[RowError] = []
    more = count = 0
    for number, cells in enumerate(rows, start=2):
        row = _fast_row(plan, cells, zone, now) if fast else None
        if row is None and not any(str(c or "").strip() for c in cells):
            continue  # blank line
        count += 1
        if row is None:
            parsed, problems = parse_row(plan, cells, unit, now)
            for column, reason in problems:
                if len(errors) < MAX_ERRORS:
                    errors.append(RowError(number, plan.names.get(column, column), reason))
                else:
                    more += 1
            if parsed is not None:
                scores = tuple(parsed.scores.get(c) for c in ELEMENT_CODES)
                row = (parsed.submitted_at, parsed.service_type_id, parsed.officer_id)
                row += (scores, parsed.comment)
        if row is not None and not errors and spill is not None:
            moment, service_type_id, officer_id, scores, comment = row
            chunk.add(moment, service_type_id, officer_id, scores, comment)
            if counters is not None:
                local = moment if moment.tzinfo is zone else moment.astimezone(zone)
                day = local.date().toordinal()
                _count(counters, (day, service_type_id, officer_id), scores)
            if len(chunk) >= batch_size:
                chunk.dump(spill)
        if progress and count % PROGRESS_EVERY == 0:
            progress(_("checked %(count)s rows") % {"count": count})
    if errors:
        raise ImportFailed(errors, more)
    if spill is not None:
        chunk.dump(spill)
    return count


def import_file(
    path: str | Path,
    unit: Unit,
    *,
    progress: Callable[[str], None] | None = None,
    batch_size: int = BATCH_SIZE,
) -> int:
    """Validate the whole file, then insert it in one transaction; returns rows imported."""
    counters: dict[tuple, list[int]] = {}
    with tempfile.TemporaryFile() as spill:
        total = validate_file(
            path, unit, progress=progress, spill=spill, counters=counters, batch_size=batch_size
        )
        if total == 0:
            return 0
        spill.seek(0)
        users = {u.pk: u for u in unit_officers(unit)}
        imported = 0
        with transaction.atomic():
            while True:
                try:
                    plain, flagged = pickle.load(spill)  # noqa: S301 (our own temporary file)
                except EOFError:
                    break
                imported += _insert(unit, users, plain, flagged)
                if progress and imported % PROGRESS_EVERY < batch_size:
                    progress(
                        _("imported %(count)s of %(total)s rows")
                        % {"count": imported, "total": total}
                    )
            tallies = {
                (datetime.date.fromordinal(day), st, off): counts
                for (day, st, off), counts in counters.items()
            }
            add_tallies(unit, tallies)
    return imported


def _count(counters: dict, key: tuple, scores: tuple) -> None:
    counts = counters.get(key)
    if counts is None:
        counts = counters[key] = [0] * 19
    counts[0] += 1
    i = 1
    for score in scores:
        if score is not None:
            counts[i] += score
            counts[i + 1] += 1
        i += 2


_PLAIN_FIELDS = [
    "unit",
    "service_type",
    "officer",
    "submitted_at",
    *(c.lower() for c in ELEMENT_CODES),
    "comment",
    "source",
    "flagged",
    "flagged_elements",
]


def _insert_sql() -> str:
    meta = SurveyResponse._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(f).column) for f in _PLAIN_FIELDS)
    marks = ", ".join(["%s"] * len(_PLAIN_FIELDS))
    # Identifiers from the model's own meta; every value is a parameter.
    return f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608


def _insert_plain(rows: list[tuple]) -> None:
    """Insert rows of `_PLAIN_FIELDS` values: PostgreSQL's COPY (one stream, no statement per
    row), elsewhere one executemany."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            meta = SurveyResponse._meta
            quote = connection.ops.quote_name
            columns = ", ".join(quote(meta.get_field(f).column) for f in _PLAIN_FIELDS)
            sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(_insert_sql(), rows)


def datetime_adapter() -> Callable[[datetime.datetime], object]:
    """The database's value of an aware datetime, as the connection's
    adapt_datetimefield_value gives it; on SQLite without its per-value checks (the text of
    the time in the connection's zone, here always UTC)."""
    adapt = connection.ops.adapt_datetimefield_value
    if connection.vendor != "sqlite" or not settings.USE_TZ:
        return adapt
    zone = connection.timezone

    def fast(moment: datetime.datetime) -> str:
        return str(moment.astimezone(zone).replace(tzinfo=None))

    return fast


class _Chunk:
    """One batch of parsed rows on its way to the spill file.

    Unflagged rows (the vast majority) are kept as the very parameters of one executemany,
    their time already adapted for the database; flagged ones as (aware moment, service,
    officer, scores, comment), to become SurveyResponse objects at insert time."""

    def __init__(self, unit: Unit):
        self.unit_id, self.threshold = unit.pk, unit.flag_threshold
        self.adapt = datetime_adapter()
        self.plain: list[tuple] = []
        self.flagged: list[tuple] = []

    def __len__(self) -> int:
        return len(self.plain) + len(self.flagged)

    def add(self, moment, service_type_id, officer_id, scores: tuple, comment: str) -> None:
        if min([s for s in scores if s is not None]) > self.threshold:
            self.plain.append(
                (
                    self.unit_id,
                    service_type_id,
                    officer_id,
                    self.adapt(moment),
                    *scores,
                    comment,
                    _IMPORT,
                    False,
                    "",
                )
            )
        else:
            self.flagged.append((moment, service_type_id, officer_id, scores, comment))

    def dump(self, spill: BinaryIO) -> None:
        # In time order: the rows then go into the (unit, submitted_at) index side by side
        # rather than a year apart (about a fifth less insert time on SQLite).
        self.plain.sort(key=_SUBMITTED_AT)
        if len(self):
            pickle.dump((self.plain, self.flagged), spill, protocol=pickle.HIGHEST_PROTOCOL)
        self.plain, self.flagged = [], []


_IMPORT = ResponseSource.IMPORT.value
_SUBMITTED_AT = operator.itemgetter(_PLAIN_FIELDS.index("submitted_at"))


def _insert(unit: Unit, users: dict, plain: list[tuple], flagged: list[tuple]) -> int:
    """Insert one batch: the unflagged rows with one executemany; the flagged ones with a bulk
    insert that returns their ids, then their cases and improvement items through
    `act_on_flags_many`, exactly as a response from the form would open them."""
    if plain:
        _insert_plain(plain)
    if flagged:
        acted = []
        for moment, service_type_id, officer_id, scores, comment in flagged:
            answers = {c: s for c, s in zip(ELEMENT_CODES, scores, strict=True) if s is not None}
            officer_poor, institution_poor = poor_elements(unit, answers)
            poor = set(officer_poor) | set(institution_poor)
            response = SurveyResponse(
                unit=unit,
                service_type_id=service_type_id,
                officer=users.get(officer_id),
                submitted_at=moment,
                comment=comment,
                source=ResponseSource.IMPORT,
                flagged=True,
                flagged_elements=",".join(c for c in ELEMENT_CODES if c in poor),
                **{c.lower(): v for c, v in answers.items()},
            )
            acted.append((response, officer_poor, institution_poor))
        responses = [r for r, _o, _i in acted]
        SurveyResponse.objects.bulk_create(responses)
        if any(r.pk is None for r in responses):  # a database that cannot return the ids
            raise RuntimeError("bulk_create returned no ids for the flagged responses")
        act_on_flags_many(unit, acted)
    return len(plain) + len(flagged)


def error_report(exc: ImportFailed) -> str:
    lines = [str(e) for e in exc.errors]
    if exc.more:
        lines.append(_("… and %(count)s more errors") % {"count": exc.more})
    return "\n".join(lines)


def csv_text(rows: list[list[object]]) -> str:
    """A CSV in Pulih's own layout (tests and the demo)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(STANDARD_HEADER)
    writer.writerows(rows)
    return out.getvalue()
