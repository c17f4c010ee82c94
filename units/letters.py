"""The unit's letters: their letterhead (with the logo) and their numbers from the unit's
pattern, a sequence per unit, kind of letter and year."""

from __future__ import annotations

import base64

from django.db import transaction
from django.utils.translation import gettext as _

from pulih.lib.errors import InvalidInput

from .models import LetterSequence, Unit

# Classification codes (kode klasifikasi arsip) printed in the number of each kind of letter.
CLASSIFICATION = {
    "summons": "KP.07.02",
    "hearing_record": "KP.07.03",
    "apology": "HM.02.01",
    "recap": "PR.03.01",
}


def format_letter_number(unit: Unit, kind: str, seq: int, year: int) -> str:
    return unit.letter_number_pattern.format(
        seq=seq, year=year, code=CLASSIFICATION.get(kind, kind.upper())
    )


@transaction.atomic
def take_letter_number(unit: Unit, kind: str, year: int) -> str:
    """The next number of `kind` of letter in the unit's `year`. The sequence row stays locked
    until the caller's transaction ends: concurrent letters queue, no gaps, no duplicates."""
    sequence, _created = LetterSequence.objects.select_for_update().get_or_create(
        unit=unit, kind=kind, year=year
    )
    sequence.last += 1
    sequence.save(update_fields=["last"])
    try:
        return format_letter_number(unit, kind, sequence.last, year)
    except (KeyError, IndexError, ValueError) as exc:
        message = _("The unit's letter number pattern is invalid.")
        raise InvalidInput(message, fields={"letter_number_pattern": [message]}) from exc


def logo_data_uri(unit: Unit) -> str:
    """The unit's logo as a data URI (kept whole in a document's snapshot), or ""."""
    if not unit.logo:
        return ""
    try:
        with unit.logo.open("rb") as handle:
            data = handle.read()
    except OSError:
        return ""
    kind = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
    return f"data:{kind};base64," + base64.b64encode(data).decode()


def letterhead(unit: Unit) -> dict:
    """What the letterhead (kop surat) prints: its lines, top to bottom, and the logo."""
    lines = [line.strip() for line in unit.letterhead_lines.splitlines() if line.strip()]
    if not lines:
        lines = [unit.name, " ".join(p for p in [unit.address, unit.city] if p)]
    return {"lines": lines, "logo": logo_data_uri(unit)}
