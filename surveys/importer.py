"""Import SKM responses from the files units have (see surveys/filereader.py and
surveys/headers.py), all or nothing, streaming.

One code for `manage.py import_skm` and the web import:

1. `inspect(path, unit, …)` reads the file once to find the header (the first rows may be a
   title), what each column means, and the date order of the date column (day or month first,
   decided from the whole column — never guessed); then once more to parse every row with
   `parse_row` (the one parser), collect each bad row, column and reason, the period, the
   respondents and the IKM the file alone gives. Nothing is written.
2. `import_file(...)` does the same in one transaction, and while no row has been bad it
   stores the parsed rows a batch at a time as it reads them (in a second thread, while it
   reads the next), through the service's own write path (`services.response_values` and
   `ValuesStore`: the same flag rule, tally rule and insert as a response from the form, in
   bulk). After the first bad row it stores
   nothing more but reads on to the end, to report every bad row; then the transaction is
   rolled back: nothing is written.

Memory stays flat: the file is streamed and at most one batch is held.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import gc
import operator
import queue
import re
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from units.models import ELEMENT_CODES, ServiceType, Unit

from .filereader import Table, Unreadable, open_table
from .headers import FIELDS, field_label, header_score, normalise, read_answer, read_header
from .ikm import compute_ikm
from .models import COMMENT_MAX_LENGTH, PROFILE_FIELDS, ResponseSource, SurveyFormMapping
from .profile import options_for, profile_values
from .services import ValuesStore, response_values, unit_officers

SEEN_NAMES = 10_000  # service and officer cells remembered as read
SEEN_ANSWERS = 100  # answer texts remembered as read per column, each up to
SEEN_ANSWER_CHARS = 60  # characters
SEEN_ANSWER_ROWS = 2_000  # rows' sets of such answers remembered as read
BATCH_SIZE = 5_000  # rows per insert; at most three batches are held in memory
MAX_ERRORS = 1000  # reported in full up to this many; the rest are counted
HEADER_SEARCH_ROWS = 10  # a title or merged rows may stand above the header
SAMPLE_ROWS = 5
# More than a zone's offset ever changed (UTC-12 to UTC+14): see parse_row.
SURELY_PAST = datetime.timedelta(days=2)
DATE_ORDERS = ("dmy", "mdy")
# While a batch is stored alongside the reading, the reading hands the interpreter over this
# often (seconds; Python's default is 0.005): the storing thread, back from each wait on the
# database, goes on within this rather than 5 ms later.
SWITCH_INTERVAL = 0.0005

Progress = Callable[[int, int], None]  # rows done, rows in all (0 while still counting)


@dataclass(frozen=True)
class RowError:
    row: int  # the file's row number, first row = 1
    column: str
    reason: str

    def __str__(self) -> str:
        return _("row %(row)s, column %(column)s: %(reason)s") % {
            "row": self.row,
            "column": self.column,
            "reason": self.reason,
        }


class ImportFailed(Exception):
    """Nothing was imported: the rows' errors, or one sentence about the whole file."""

    def __init__(self, errors: list[RowError], more: int = 0, *, needs_date_order: bool = False):
        super().__init__(f"{len(errors) + more} errors")
        self.errors = errors
        self.more = more
        self.needs_date_order = needs_date_order


# --- dates -----------------------------------------------------------------------------------

_NUMERIC_DATE = re.compile(
    r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})"
    r"(?:[ T,]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:[.,]\d+)?)?\s*([AaPp])?\.?[Mm]?\.?)?"
    r"\s*(?:(?:GMT|UTC)\s*([+-]\d{1,2})(?::?(\d{2}))?|([+-]\d{2}):?(\d{2})|Z)?\s*$"
)
_YEAR_FIRST = re.compile(
    r"^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})"
    r"(?:[ T,]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:[.,]\d+)?)?\s*([AaPp])?\.?[Mm]?\.?)?"
    r"\s*(?:(?:GMT|UTC)\s*([+-]\d{1,2})(?::?(\d{2}))?|([+-]\d{2}):?(\d{2})|Z)?\s*$"
)


def date_evidence(value: object) -> str:
    """What one date cell says of the column's order: "dmy", "mdy", "" (a day-or-month
    ambiguous cell such as 11/3/2026) or "-" (no order needed: ISO, year first, a real date)."""
    if not isinstance(value, str):
        return "-"
    match = _NUMERIC_DATE.match(value.strip())
    if not match:
        return "-"
    first, second = int(match.group(1)), int(match.group(2))
    if first > 12 >= second:
        return "dmy"
    if second > 12 >= first:
        return "mdy"
    return ""


def _moment(groups: tuple, year: int, month: int, day: int) -> datetime.datetime:
    hour, minute, second = (int(g) if g else 0 for g in groups[3:6])
    half = (groups[6] or "").lower()
    if half:
        if not 1 <= hour <= 12:
            raise ValueError
        hour = hour % 12 + (12 if half == "p" else 0)
    if year < 100:
        year += 2000
    moment = datetime.datetime(year, month, day, hour, minute, second)  # noqa: DTZ001
    hours, minutes = groups[7] or groups[9], groups[8] or groups[10]
    if hours:
        sign = -1 if hours.startswith("-") else 1
        delta = datetime.timedelta(hours=abs(int(hours)), minutes=int(minutes or 0))
        moment = moment.replace(tzinfo=datetime.timezone(sign * delta))
    return moment


def _is_plain_iso(text: str) -> bool:
    return len(text) == 19 and text[4] == "-" and text[7] == "-" and text[10] == " "


def parse_moment(value: object, zone: datetime.tzinfo, order: str | None) -> datetime.datetime:
    """A cell's date and time, aware: an offset written in the cell is kept, a naive time is
    the unit's. `order` ("dmy"/"mdy") reads numeric dates such as 11/3/2026. Raises
    ValueError with the reason."""
    if type(value) is str and _is_plain_iso(value):
        # "2026-11-03 09:14:22", what Pulih's own layout and most exports write (the text
        # as it is: no spaces around it to strip), read in C; anything else it could be is
        # read (and its reason given) below.
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if moment.tzinfo is not None:
                return moment
            # The unit's time: built with its zone rather than `replace(tzinfo=…)`, which
            # costs three times as much (its keyword arguments).
            return datetime.datetime(
                moment.year,
                moment.month,
                moment.day,
                moment.hour,
                moment.minute,
                moment.second,
                moment.microsecond,
                zone,
            )
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, datetime.time.min)
    else:
        text = str(value if value is not None else "").strip()
        if not text:
            raise ValueError(_("empty"))
        plain = _is_plain_iso(text)
        match = None if plain else _NUMERIC_DATE.match(text)
        if plain:
            # "2026-11-03 09:14:22", what Pulih's own layout and most exports write: the same
            # reading as the year-first pattern below, in C.
            try:
                moment = datetime.datetime.fromisoformat(text)
            except ValueError:
                raise ValueError(_("not a date: %(value)r") % {"value": text[:40]}) from None
        elif match:
            a, b, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
            if order not in DATE_ORDERS:
                raise ValueError(_("day or month first? (choose the date order)"))
            day, month = (a, b) if order == "dmy" else (b, a)
            try:
                moment = _moment(match.groups(), year, month, day)
            except ValueError:
                raise ValueError(_("not a date: %(value)r") % {"value": text[:40]}) from None
            if text.rstrip().endswith("Z"):
                moment = moment.replace(tzinfo=datetime.UTC)
        else:
            match = _YEAR_FIRST.match(text)
            if match:
                year, month, day = (int(match.group(i)) for i in (1, 2, 3))
                try:
                    moment = _moment(match.groups(), year, month, day)
                except ValueError:
                    raise ValueError(_("not a date: %(value)r") % {"value": text[:40]}) from None
                if text.rstrip().endswith("Z"):
                    moment = moment.replace(tzinfo=datetime.UTC)
            else:
                try:
                    moment = datetime.datetime.fromisoformat(text)
                except ValueError:
                    raise ValueError(_("not a date: %(value)r") % {"value": text[:40]}) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment


def decide_date_order(cells: Iterator[object]) -> tuple[str | None, bool]:
    """(order, decidable) from the whole column: "dmy" when some day is above 12, "mdy" when
    some month position is; (None, True) when no cell needs an order; (None, False) when
    every numeric date could be either. A column with both kinds is decided by neither and
    its rows are reported."""
    seen = set()
    for value in cells:
        seen.add(date_evidence(value))
    if "dmy" in seen and "mdy" not in seen:
        return "dmy", True
    if "mdy" in seen and "dmy" not in seen:
        return "mdy", True
    if "" in seen and not {"dmy", "mdy"} & seen:
        return None, False
    return None, True


# --- the plan --------------------------------------------------------------------------------


def _officer_key(name: str) -> str:
    """A person's name without academic and religious titles: "Dr. Budi Santoso, S.Kom., M.T."
    and "budi santoso" are the same key."""
    text = str(name or "").split(",")[0]
    words = normalise(text).split()
    titles = {"dr", "drs", "dra", "ir", "h", "hj", "prof", "kh", "apt", "ns", "drg", "st"}
    while words and words[0] in titles:
        words = words[1:]
    return " ".join(words)


_UNSEEN = object()  # a name not read yet


@dataclass
class Plan:
    """What each column means and what the rows' names refer to."""

    header_row: int  # the file's row number of the header (1-based)
    header: list[str]  # the header's texts
    fields: list[str]  # the field each column is read as ("" = not used)
    date_order: str | None = None
    needs_date_order: bool = False
    rows: int | None = None  # data rows, when the date column has been read whole
    services: dict[str, int] = field(default_factory=dict)
    officers: dict[str, int] = field(default_factory=dict)
    profile_options: dict[str, list[str]] = field(default_factory=dict)
    column_of: dict[str, int] = field(default_factory=dict)

    answer_columns: list[tuple[str, int]] = field(default_factory=list)
    profile_columns: list[tuple[str, int]] = field(default_factory=list)
    zone: datetime.tzinfo = datetime.UTC  # the unit's: a naive time in the file is its time
    width: int = 0  # the cells a row needs to hold every column read
    # What the cells read as, each text once: service and officer names (see `service_of`),
    # the answers per answer column (`answer_of`) and rows' sets of answers (`answers_of`).
    _service_ids: dict[str, int | None] = field(default_factory=dict, repr=False)
    _officer_ids: dict[str, int | None] = field(default_factory=dict, repr=False)
    _answers: dict[str, dict[str | None, int | str]] = field(default_factory=dict, repr=False)
    _answer_rows: dict[tuple, tuple] = field(default_factory=dict, repr=False)
    _answer_cells: Callable[[list], tuple] = field(default=lambda cells: (), repr=False)
    # `now`, and a time in the unit's zone surely before it (see `parse_row`).
    _now: datetime.datetime | None = field(default=None, repr=False)
    _past: datetime.datetime | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.column_of = {name: i for i, name in enumerate(self.fields) if name}
        self.answer_columns = [(c, self.column_of[c]) for c in ELEMENT_CODES if c in self.column_of]
        self.profile_columns = [
            (name, self.column_of[name]) for name in PROFILE_FIELDS if name in self.column_of
        ]
        self.width = max(self.column_of.values(), default=-1) + 1
        indexes = [i for _code, i in self.answer_columns]
        if len(indexes) > 1:
            self._answer_cells = operator.itemgetter(*indexes)
        elif indexes:
            self._answer_cells = lambda cells, i=indexes[0]: (cells[i],)
        self._answers = {code: dict(_PLAIN_ANSWERS) for code, _i in self.answer_columns}

    def service_of(self, text: str) -> int | None:
        """The service type a cell names (a file repeats a handful of names: each is read
        once)."""
        found = self._service_ids.get(text, _UNSEEN)
        if found is _UNSEEN:
            found = self._remember(self._service_ids, text, self.services.get(normalise(text)))
        return found

    def officer_of(self, text: str) -> int | None:
        """The officer a cell names: username or name, with or without titles."""
        found = self._officer_ids.get(text, _UNSEEN)
        if found is _UNSEEN:
            found = self.officers.get(normalise(text)) or self.officers.get(_officer_key(text))
            self._remember(self._officer_ids, text, found)
        return found

    def _remember(self, seen: dict, text: str, value: int | None) -> int | None:
        if len(self._service_ids) + len(self._officer_ids) < SEEN_NAMES:  # endless names:
            seen[text] = value  # memory stays flat
        return value

    def answers_of(self, cells: tuple) -> tuple[Mapping[str, int], tuple[tuple[str, str], ...]]:
        """(scores, errors) of a row's answer cells (`_answer_cells`: in the order of
        `answer_columns`). Rows repeat a limited set of answers: each set is read once, its
        scores shared by the rows that give it (a Mapping: read, never changed)."""
        scores: dict[str, int] = {}
        errors = []
        for (code, _i), value in zip(self.answer_columns, cells, strict=True):
            read = self.answer_of(code, value)
            if type(read) is int:
                if read:
                    scores[code] = read
            else:
                errors.append((code, read))
        if not scores and not errors:
            errors.append((self.answer_columns[0][0], _("no question answered")))
        result = (scores, tuple(errors))
        # Only short texts are remembered (memory stays flat): a spreadsheet's True equals
        # its 1 as a key, but is no answer.
        if len(self._answer_rows) < SEEN_ANSWER_ROWS and all(
            type(value) is str and len(value) <= SEEN_ANSWER_CHARS for value in cells
        ):
            self._answer_rows[cells] = result
        return result

    def answer_of(self, code: str, value: object) -> int | str:
        """What a cell of element `code` answers: its score, 0 when unanswered, or the reason
        it is no answer (`read_answer`'s). A column repeats a handful of texts (1–4 or the
        labels of a form): each is read once."""
        read = self._answers[code].get(value) if type(value) is str else None
        if read is not None:
            return read
        try:
            read = read_answer(value, code) or 0
        except ValueError as exc:
            read = str(exc)
        if (
            type(value) is str
            and len(value) <= SEEN_ANSWER_CHARS
            and len(self._answers[code]) < SEEN_ANSWERS
        ):
            self._answers[code][value] = read
        return read

    def column_name(self, name: str) -> str:
        i = self.column_of.get(name)
        if i is None:
            return name
        text = self.header[i]
        if normalise(text) == normalise(name):  # Pulih's own layout: the header says it
            return text
        return f"{_column_letter(i)} ({text[:40] or name})"


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _find_header(table: Table, unit: Unit) -> tuple[int, list[str], list[str]]:
    mapping = SurveyFormMapping.objects.filter(unit=unit).first()
    confirmed = (mapping.headers or {}) if mapping else {}
    custom: dict[str, list[str]] = {}
    if mapping:
        for code, texts in (mapping.questions or {}).items():
            custom[code] = [texts] if isinstance(texts, str) else list(texts or [])
        for name, texts in (mapping.columns or {}).items():
            custom[name] = [texts] if isinstance(texts, str) else list(texts or [])
    best = None
    for number, cells in enumerate(table.rows(), start=1):
        if number > HEADER_SEARCH_ROWS:
            break
        header = [str(c if c is not None else "").strip() for c in cells]
        fields = read_header(header, confirmed=confirmed, custom=custom)
        score = header_score(fields)
        if score and (best is None or score > best[0]):
            best = (score, number, header, fields)
        if score >= 11:  # all nine and the date: no better row can follow
            break
    if best is None:
        raise ImportFailed(
            [
                RowError(
                    1,
                    "-",
                    _(
                        "no header row found in the first %(rows)s rows: a survey file needs "
                        "a row naming its questions (U1–U9 or their wording)."
                    )
                    % {"rows": HEADER_SEARCH_ROWS},
                )
            ]
        )
    return best[1], best[2], best[3]


def make_plan(
    table: Table,
    unit: Unit,
    *,
    fields: list[str] | None = None,
    date_order: str | None = None,
    require_order: bool = True,
) -> Plan:
    """Find the header and read each column (or take `fields`, a mapping confirmed in the
    preview); decide the date order from the whole date column unless `date_order` is given.
    Raises ImportFailed when a required column is missing or (with `require_order`) the
    order cannot be decided; without, `plan.needs_date_order` says so."""
    header_row, header, found = _find_header(table, unit)
    if fields is not None:
        fields = [f if f in FIELDS else "" for f in fields[: len(header)]]
        fields += [""] * (len(header) - len(fields))
    plan = Plan(header_row, header, fields if fields is not None else found, zone=unit.zone)
    missing = []
    if "submitted_at" not in plan.column_of:
        missing.append(RowError(header_row, _("date"), _("no column holds the date and time")))
    if not any(code in plan.column_of for code in ELEMENT_CODES):
        missing.append(RowError(header_row, "U1–U9", _("no column holds a question's answers")))
    if missing:
        raise ImportFailed(missing)
    plan.services = {}
    for st in ServiceType.objects.filter(unit=unit):
        plan.services[normalise(st.code)] = st.pk
        plan.services[normalise(st.name)] = st.pk
    plan.officers = {}
    for user in unit_officers(unit):
        plan.officers[normalise(user.username)] = user.pk
        if user.full_name:
            plan.officers.setdefault(_officer_key(user.full_name), user.pk)
    plan.profile_options = options_for(unit)
    if date_order in DATE_ORDERS:
        plan.date_order = date_order
    else:
        column = plan.column_of["submitted_at"]
        plan.rows = 0

        def dates() -> Iterator[object]:
            for _n, cells in _data_rows(table, plan):
                plan.rows += 1
                yield cells[column] if column < len(cells) else None

        order, decidable = decide_date_order(dates())
        plan.needs_date_order = not decidable
        if not decidable and require_order:
            raise ImportFailed(
                [
                    RowError(
                        header_row,
                        plan.column_name("submitted_at"),
                        _(
                            "every date could be day-first or month-first (no day above 12); "
                            "say which: --date-order dmy or mdy"
                        ),
                    )
                ],
                needs_date_order=True,
            )
        plan.date_order = order
    return plan


def _data_rows(table: Table, plan: Plan) -> Iterator[tuple[int, list]]:
    for number, cells in enumerate(table.rows(), start=1):
        if number <= plan.header_row:
            continue
        first = cells[0] if cells else None
        if not (type(first) is str and first.strip()) and not any(
            str(c).strip() for c in cells if c is not None
        ):
            continue  # a blank line
        yield number, cells


# --- one row ---------------------------------------------------------------------------------


class Parsed(NamedTuple):
    submitted_at: datetime.datetime
    service_type_id: int | None
    officer_id: int | None
    scores: Mapping[str, int]
    comment: str
    profile: dict[str, str]


# A Parsed of its six values in order, without the named tuple's Python-level __new__ (a
# tenth of a row's parsing).
_parsed = functools.partial(tuple.__new__, Parsed)


def parse_row(
    plan: Plan, cells: list, unit: Unit, now: datetime.datetime
) -> tuple[Parsed | None, list[tuple[str, str]]]:
    """The one parser of an imported row: (parsed row, []) or (None, [(field, reason), …])."""
    width = len(cells)
    if width < plan.width:  # the reader drops a row's trailing empty cells: read as empty
        cells = [*cells, *[""] * (plan.width - width)]
        width = plan.width
    column_of = plan.column_of
    errors: list[tuple[str, str]] = []
    submitted_at = None
    i = column_of.get("submitted_at", width)
    if plan._now is not now:
        plan._now, plan._past = now, now.astimezone(plan.zone) - SURELY_PAST
    try:
        submitted_at = parse_moment(cells[i] if i < width else None, plan.zone, plan.date_order)
        # Two times of one zone compare by their clock (no offset to look up, many times
        # faster); a time more than SURELY_PAST on the clock before now's is before now
        # whatever the offsets, and only a later one is compared with now itself.
        if submitted_at > plan._past and submitted_at > now:
            errors.append(("submitted_at", _("in the future")))
    except (ValueError, OverflowError) as exc:
        errors.append(("submitted_at", str(exc)))
    service_type_id = None
    service_text = _text(cells, column_of.get("service", width), width)
    if service_text:
        service_type_id = plan._service_ids.get(service_text, _UNSEEN)
        if service_type_id is _UNSEEN:
            service_type_id = plan.service_of(service_text)
        if service_type_id is None:
            errors.append(
                ("service", _("unknown service type %(value)r") % {"value": service_text[:60]})
            )
    officer_id = None
    officer_text = _text(cells, column_of.get("officer", width), width)
    if officer_text:
        officer_id = plan._officer_ids.get(officer_text, _UNSEEN)
        if officer_id is _UNSEEN:
            officer_id = plan.officer_of(officer_text)
        if officer_id is None:
            errors.append(
                (
                    "officer",
                    _("no officer of this unit is named %(value)r") % {"value": officer_text[:60]},
                )
            )
    answers = plan._answer_cells(cells)
    read = plan._answer_rows.get(answers)
    if read is None:
        read = plan.answers_of(answers)
    scores, answer_errors = read
    if answer_errors:
        errors += answer_errors
    if errors:
        return None, errors
    profile = {}
    if plan.profile_columns:
        raw_profile = {name: _text(cells, i, width) for name, i in plan.profile_columns}
        profile = profile_values(unit, raw_profile, strict=False, options=plan.profile_options)
    comment = _text(cells, column_of.get("comment", width), width)[:COMMENT_MAX_LENGTH]
    return _parsed((submitted_at, service_type_id, officer_id, scores, comment, profile)), []


def _text(cells: list, i: int, width: int) -> str:
    """Cell `i` of a row `width` long as text (a whole float as an integer; "" if absent)."""
    if i >= width:
        return ""
    value = cells[i]
    if type(value) is str:  # a CSV's every cell
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value if value is not None else "").strip()


# The common texts of an answer column, before read_answer's rules: 0 = unanswered.
_PLAIN_ANSWERS: dict[str | None, int | str] = {"1": 1, "2": 2, "3": 3, "4": 4, "": 0}


# --- reading the whole file ------------------------------------------------------------------


@dataclass
class Scan:
    """What a pass over the file found: the rows and their errors; when nothing is stored
    (the preview), also the period, the answers' sums and the first rows as read."""

    table: Table
    plan: Plan
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    more: int = 0
    first: datetime.datetime | None = None
    last: datetime.datetime | None = None
    sums: dict[str, list[int]] = field(default_factory=lambda: {c: [0, 0] for c in ELEMENT_CODES})
    sample: list[tuple[int, Parsed]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def ikm(self, legacy_weight: bool = False):
        totals = {c: (s, n) for c, (s, n) in self.sums.items()}
        return compute_ikm(totals, respondents=self.rows, legacy_weight=legacy_weight)


def _scan(
    table: Table,
    plan: Plan,
    unit: Unit,
    *,
    store: Callable[[list[tuple]], None] | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
    total: int = 0,
) -> Scan:
    """Parse every row; with `store`, hand it the rows' response values a batch at a time
    while no row has been bad (reporting `progress` after each batch)."""
    scan = Scan(table, plan)
    now = timezone.now()
    batch: list[tuple] = []
    stored = 0
    sums = scan.sums
    source = ResponseSource.IMPORT
    for number, cells in _data_rows(table, plan):
        scan.rows += 1
        parsed, problems = parse_row(plan, cells, unit, now)
        if parsed is None:
            for name, reason in problems:
                if len(scan.errors) < MAX_ERRORS:
                    scan.errors.append(RowError(number, plan.column_name(name), reason))
                else:
                    scan.more += 1
            continue
        if store is None:
            if len(scan.sample) < SAMPLE_ROWS:
                scan.sample.append((number, parsed))
            moment = parsed.submitted_at
            if scan.first is None or moment < scan.first:
                scan.first = moment
            if scan.last is None or moment > scan.last:
                scan.last = moment
            for code, score in parsed.scores.items():
                element = sums[code]
                element[0] += score
                element[1] += 1
            if progress and scan.rows % 1000 == 0:
                progress(scan.rows, 0)
        elif not scan.errors:
            submitted_at, service_type_id, officer_id, scores, comment, profile = parsed
            batch.append(
                response_values(
                    unit,
                    scores,
                    submitted_at=submitted_at,
                    comment=comment,
                    service_type_id=service_type_id,
                    officer_id=officer_id,
                    source=source,
                    profile=profile,
                )
            )
            if len(batch) >= batch_size:
                store(batch)
                stored += len(batch)
                batch = []
                if progress:
                    progress(stored, total)
    if store is not None and batch and not scan.errors:
        store(batch)
        stored += len(batch)
        if progress:
            progress(stored, total)
    return scan


def inspect(
    path: str | Path,
    unit: Unit,
    *,
    fields: list[str] | None = None,
    date_order: str | None = None,
) -> Scan:
    """Read the file without writing anything: the plan, the rows' errors, the period, the
    respondents, the IKM of the file alone and the first rows as read. When the date order
    cannot be decided, the scan is empty and `scan.plan.needs_date_order` is set. Raises
    ImportFailed for a file that cannot be read at all or has no usable header."""
    table = _open(path)
    try:
        plan = make_plan(table, unit, fields=fields, date_order=date_order, require_order=False)
        if plan.needs_date_order:
            return Scan(table, plan)
        return _scan(table, plan, unit)
    except Unreadable as exc:
        raise ImportFailed([RowError(0, "-", str(exc))]) from None


def _open(path: str | Path) -> Table:
    try:
        return open_table(path)
    except Unreadable as exc:
        raise ImportFailed([RowError(0, "-", str(exc))]) from None


def import_file(
    path: str | Path,
    unit: Unit,
    *,
    fields: list[str] | None = None,
    date_order: str | None = None,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
) -> int:
    """Validate and store the whole file in one transaction; returns rows imported.
    Raises ImportFailed (nothing written) for any bad row or an unreadable file."""
    table = _open(path)
    try:
        plan = make_plan(table, unit, fields=fields, date_order=date_order)
        total = plan.rows
        if total is None:  # the date order was given: count the rows for the progress
            total = sum(1 for _row in _data_rows(table, plan))
        store = ValuesStore(unit)
        with transaction.atomic(), _collector_skips_what_is_held():
            with _stored_alongside(store.insert_prepared) as insert_next:

                def store_batch(batch: list[tuple]) -> None:
                    # Counted and made ready here (Python's work, to the last byte of the
                    # COPY): the inserting thread has only the database's wait.
                    store.count(batch)
                    insert_next(store.prepare(batch))

                scan = _scan(
                    table,
                    plan,
                    unit,
                    store=store_batch,
                    batch_size=batch_size,
                    progress=progress,
                    total=total,
                )
            if scan.errors:
                raise ImportFailed(scan.errors, scan.more)  # rolls back what was stored
            store.finish()
    except Unreadable as exc:
        raise ImportFailed([RowError(0, "-", str(exc))]) from None
    return scan.rows


Batch = TypeVar("Batch")


@contextlib.contextmanager
def _stored_alongside(store: Callable[[Batch], None]) -> Iterator[Callable[[Batch], None]]:
    """A `store` that stores each batch in a second thread while this one reads the next.

    On a database server (PostgreSQL) storing a batch is mostly waiting for the server
    (inserting the rows, their indexes, their foreign key checks), and reading is this
    process's own work, so the two overlap: the import takes about the longer of the two,
    not their sum. SQLite stores in this process, on the same interpreter: there the batch
    is stored here, in turn with the reading.

    One batch waits at most (memory stays flat) and batches are stored in order. The thread
    uses this thread's connection, in its transaction (this thread does no I/O on it
    meanwhile: it reads only its adapters, to write the next batch's COPY). The first
    error in storing is raised here, at the next batch or at the end,
    and nothing more is stored: the caller's transaction is rolled back."""
    wrapper = connections[DEFAULT_DB_ALIAS]
    if wrapper.vendor == "sqlite":
        yield store
        return
    pending: queue.Queue[Batch | None] = queue.Queue(maxsize=1)
    failed: list[BaseException] = []

    def work() -> None:
        connections[DEFAULT_DB_ALIAS] = wrapper
        try:
            while (batch := pending.get()) is not None:
                if not failed:
                    try:
                        store(batch)
                    except BaseException as exc:  # noqa: BLE001 (raised in the reading thread)
                        failed.append(exc)
        finally:
            del connections[DEFAULT_DB_ALIAS]

    def store_next(batch: Batch) -> None:
        if failed:
            raise failed[0]
        pending.put(batch)

    wrapper.inc_thread_sharing()
    writer = threading.Thread(target=work, name="import-store", daemon=True)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL)
    writer.start()
    try:
        yield store_next
    finally:
        pending.put(None)
        writer.join()
        sys.setswitchinterval(interval)
        wrapper.dec_thread_sharing()
    if failed:
        raise failed[0]


@contextlib.contextmanager
def _collector_skips_what_is_held() -> Iterator[None]:
    """What the process holds already (Django, the apps) lives on through the import: the
    garbage collector's full passes, each walking all of it, leave it out meanwhile (0.2 s of
    CPU in 100,000 rows). Objects made meanwhile are collected as ever. A process that froze
    its own already (pulih/wsgi.py) is left as it is."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def remember_mapping(unit: Unit, plan_header: list[str], fields: list[str]) -> None:
    """Keep the mapping a unit confirmed (header text -> field), so next month's export of the
    same form is read the same way."""
    mapping, _created = SurveyFormMapping.objects.get_or_create(unit=unit)
    headers = dict(mapping.headers or {})
    for text, name in zip(plan_header, fields, strict=False):
        key = normalise(text)
        if key:
            headers[key] = name
    mapping.headers = headers
    mapping.save(update_fields=["headers"])


def error_report(exc: ImportFailed) -> str:
    lines = [str(e) if e.row else e.reason for e in exc.errors]
    if exc.more:
        lines.append(_("… and %(count)s more errors") % {"count": exc.more})
    return "\n".join(lines)


def describe_fields(plan: Plan) -> list[tuple[int, str, str, str]]:
    """(column index, letter, header text, label of what it is read as) per column."""
    return [
        (i, _column_letter(i), text, field_label(plan.fields[i]))
        for i, text in enumerate(plan.header)
    ]


STANDARD_HEADER = ["submitted_at", "service", "officer", *ELEMENT_CODES, "comment"]


def csv_text(rows: list[list[object]]) -> str:
    """A CSV in Pulih's own layout (tests and the demo)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(STANDARD_HEADER)
    writer.writerows(rows)
    return out.getvalue()
