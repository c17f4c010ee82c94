"""What a survey file's columns and answers mean.

A header is read by what it says, not by where it stands or how exactly it is worded: the
regulation's question texts (with or without "tentang"), the short element names, common
variants in Indonesian and English, and Google Forms grid columns such as
`Penilaian terhadap pelayanan kami [Persyaratan]`. An answer is an element's own label, one
of the generic four-point labels (Tidak/Kurang baik/Baik/Sangat baik, … puas), in any case,
or a number 1–4.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext_lazy as _

from units.models import ELEMENT_CODES

from .ikm import ANSWER_LABELS, ELEMENT_NAMES
from .models import PROFILE_FIELDS
from .profile import PROFILE_LABELS

# What a column may be read as ("" = not used).
OTHER_FIELDS = ("submitted_at", "service", "officer", "comment")
FIELDS = (*OTHER_FIELDS, *ELEMENT_CODES, *PROFILE_FIELDS)


def field_label(name: str) -> str:
    labels = {
        "": _("(not used)"),
        "submitted_at": _("Date and time"),
        "service": _("Service type"),
        "officer": _("Officer"),
        "comment": _("Comments and suggestions"),
        **{c: f"{c} {ELEMENT_NAMES[c]}" for c in ELEMENT_CODES},
        **PROFILE_LABELS,
    }
    return str(labels.get(name, name))


def normalise(text: object) -> str:
    """Text for matching: case, accents, punctuation and leading numbering ignored."""
    value = unicodedata.normalize("NFKD", str(text if text is not None else ""))
    value = value.encode("ascii", "ignore").decode().lower()
    value = re.sub(r"^\s*(\d+|[a-z])\s*[.)]\s+", "", value)
    return re.sub(r"[^a-z0-9]+", " ", value).strip()


_TIMESTAMP = re.compile(
    r"^(timestamp|stempel waktu|cap waktu|tanggal|tgl|waktu|date|date time|datetime|"
    r"submitted at|waktu pengisian|tanggal pengisian|tanggal survei|tanggal survey|"
    r"waktu survei|tanggal dan waktu|tanggal waktu)$"
)
_ELEMENTS = {
    "U1": r"\bpersyaratan\b|\bsyarat\b|\brequirements?\b",
    "U2": r"\bprosedur\b|\bmekanisme\b|\bprocedures?\b|\bkemudahan\b",
    "U3": r"\bkecepatan\b|\bwaktu (penyelesaian|pelayanan|layanan)\b|\bjangka waktu\b|"
    r"\bketepatan waktu\b|\bspeed\b|\b(completion|service|processing) time\b|\btimeliness\b",
    "U4": r"\bbiaya\b|\btarif\b|\bcosts?\b|\bfees?\b|\btariff\b",
    "U5": r"\bproduk\b|\bspesifikasi\b|\bproducts?\b|\bhasil pelayanan\b",
    "U6": r"\bkompetensi\b|\bkemampuan\b|\bcompeten(ce|cy)\b",
    "U7": r"\bperilaku\b|\bkesopanan\b|\bkeramahan\b|\bsopan\b|\bramah\b|\bbehaviou?r\b|"
    r"\bcourtesy\b|\battitude\b",
    "U8": r"\bsarana\b|\bprasarana\b|\bfasilitas\b|\bfacilit(y|ies)\b",
    "U9": r"\bpengaduan\b|\bcomplaints?\b",
}
_ELEMENT_PATTERNS = {code: re.compile(p) for code, p in _ELEMENTS.items()}
_OFFICER = re.compile(
    r"\bnama petugas\b|\bpetugas yang melayani\b|^petugas( layanan| pelayanan)?$|\bofficer\b|"
    r"\bnama pegawai\b|\bpegawai yang melayani\b|\bstaff?\b|\bdilayani oleh\b|\bserved by\b"
)
_COMMENT = re.compile(
    r"\bsaran\b|\bmasukan\b|\bkomentar\b|\bkritik\b|\bcomments?\b|\bsuggestions?\b|"
    r"\bfeedback\b|\bcatatan\b|\bharapan\b"
)
_PROFILE = {
    "sex": re.compile(r"\bjenis kelamin\b|\bkelamin\b|\bgender\b|^sex$"),
    "age_group": re.compile(r"\busia\b|\bumur\b|\bage\b"),
    "education": re.compile(r"\bpendidikan\b|\beducation\b"),
    "occupation": re.compile(r"\bpekerjaan\b|\boccupation\b|\bprofesi\b|\bjob\b"),
}
_SERVICE = re.compile(
    r"\bjenis (layanan|pelayanan)\b|^(layanan|pelayanan)\b|\b(layanan|pelayanan) yang\b|"
    r"^service( type)?$|\btype of service\b|\bservice received\b"
)
_GRID = re.compile(r"\[([^\]]+)\]\s*$")


def _element_of(text: str) -> str:
    hits = [code for code, p in _ELEMENT_PATTERNS.items() if p.search(text)]
    return hits[0] if len(hits) == 1 else ""


def meaning_of(header: object) -> str:
    """The field a header means by its wording, or "" when it means none of them."""
    raw = str(header if header is not None else "").strip()
    text = normalise(raw)
    if not text:
        return ""
    if text in FIELDS_LOWER:
        return FIELDS_LOWER[text]
    grid = _GRID.search(raw)
    if grid:
        inner = normalise(grid.group(1))
        code = _element_of(inner) or _exact_element(inner)
        if code:
            return code
    if _TIMESTAMP.match(text):
        return "submitted_at"
    code = _exact_element(text) or _element_of(text)
    if code:
        return code
    for name, pattern in _PROFILE.items():
        if pattern.search(text):
            return name
    if _OFFICER.search(text):
        return "officer"
    if _COMMENT.search(text):
        return "comment"
    if _SERVICE.search(text):
        return "service"
    return ""


FIELDS_LOWER = {name.lower(): name for name in FIELDS} | {"submitted at": "submitted_at"}
FIELDS_LOWER |= {"age group": "age_group"}


def _exact_element(text: str) -> str:
    for code in ELEMENT_CODES:
        if text == normalise(ELEMENT_NAMES[code]):
            return code
    return ""


def read_header(
    header: list[object],
    *,
    confirmed: dict[str, str] | None = None,
    custom: dict[str, list[str]] | None = None,
) -> list[str]:
    """The field each column means. `confirmed` (normalised header -> field, from the unit's
    last confirmed import) and `custom` (field -> header texts, the unit's own) come first;
    then the wording. A field claimed by two columns keeps the first."""
    confirmed = confirmed or {}
    by_text = {}
    for name, texts in (custom or {}).items():
        for text in [texts] if isinstance(texts, str) else texts or []:
            by_text[normalise(text)] = name
    fields, seen = [], set()
    for cell in header:
        key = normalise(cell)
        if key in confirmed:
            name = confirmed[key]
        elif key in by_text:
            name = by_text[key]
        else:
            name = meaning_of(cell)
        if name not in FIELDS or name in seen:
            name = ""
        if name:
            seen.add(name)
        fields.append(name)
    return fields


def header_score(fields: list[str]) -> int:
    """How much a row looks like a survey header: the elements it names, plus the date."""
    return sum(1 for f in fields if f in ELEMENT_CODES) + (2 if "submitted_at" in fields else 0)


# --- answers ---------------------------------------------------------------------------------

_GENERIC = [
    ["tidak baik", "kurang baik", "baik", "sangat baik"],
    ["sangat kurang", "kurang", "baik", "sangat baik"],
    ["tidak puas", "kurang puas", "puas", "sangat puas"],
    ["very poor", "poor", "good", "very good"],
    ["very dissatisfied", "dissatisfied", "satisfied", "very satisfied"],
    ["tidak memuaskan", "kurang memuaskan", "memuaskan", "sangat memuaskan"],
]


def _answer_tables() -> dict[str, dict[str, int]]:
    generic: dict[str, int] = {}
    for labels in _GENERIC:
        for score, label in enumerate(labels, start=1):
            generic.setdefault(label, score)
    tables = {}
    for code in ELEMENT_CODES:
        own = {normalise(label): score for score, label in enumerate(ANSWER_LABELS[code], 1)}
        tables[code] = {**generic, **own}
    return tables


ANSWERS = _answer_tables()
_LEADING_NUMBER = re.compile(r"^\(?([1-4])\)?\s*(?:[-.):=]\s*|\s+)\S")


def read_answer(value: object, code: str) -> int | None:
    """The 1–4 score `value` gives element `code`; None when unanswered. Raises ValueError
    with the reason for anything else."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(_("not an answer: %(value)s") % {"value": value})
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        if 1 <= value <= 4:
            return value
        raise ValueError(_("must be from 1 to 4, not %(value)s") % {"value": value})
    text = str(value).strip()
    if not text:
        return None
    if text in ("1", "2", "3", "4"):
        return int(text)
    key = normalise(text)
    score = ANSWERS[code].get(key)
    if score is not None:
        return score
    lead = _LEADING_NUMBER.match(text)
    if lead:
        return int(lead.group(1))
    raise ValueError(
        _("%(value)r is not an answer to this question (1–4 or its label)") % {"value": text[:60]}
    )
