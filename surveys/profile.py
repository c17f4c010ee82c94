"""The respondent's optional profile (*profil responden*): sex, age group, education and
occupation, with lists the unit may edit (the defaults are those of the regulation's report)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

from units.models import Unit

from .models import PROFILE_FIELDS, PROFILE_MAX_LENGTH, SurveyFormMapping

PROFILE_LABELS = {
    "sex": _("Sex"),
    "age_group": _("Age group"),
    "education": _("Education"),
    "occupation": _("Occupation"),
}
# The answers as the regulation's questionnaire and report list them (PermenPANRB 14/2017).
DEFAULT_OPTIONS: dict[str, list[str]] = {
    "sex": ["Laki-laki", "Perempuan"],
    "age_group": ["< 20 tahun", "20–29 tahun", "30–39 tahun", "40–49 tahun", "≥ 50 tahun"],
    "education": ["SD ke bawah", "SMP", "SMA", "D1-D3-D4", "S1", "S2 ke atas"],
    "occupation": [
        "PNS/TNI/Polri",
        "Pegawai swasta",
        "Wiraswasta/Usahawan",
        "Pelajar/Mahasiswa",
        "Lainnya",
    ],
}


def _key(text: object) -> str:
    value = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", value.lower()).strip()


def options_for(unit: Unit) -> dict[str, list[str]]:
    """The unit's lists (its own where it set them, the defaults elsewhere)."""
    mapping = SurveyFormMapping.objects.filter(unit=unit).only("profile_options").first()
    own = (mapping.profile_options or {}) if mapping else {}
    options = {}
    for name in PROFILE_FIELDS:
        values = own.get(name)
        good = isinstance(values, list) and values and all(isinstance(v, str) for v in values)
        options[name] = list(values) if good else list(DEFAULT_OPTIONS[name])
    return options


def profile_values(
    unit: Unit, raw: Mapping[str, object], *, strict: bool, options: dict | None = None
) -> dict[str, str]:
    """The profile answers of `raw`, each read as the unit's own wording of it. With `strict`
    (the form and the API) an answer not in the unit's list is left out; without (imports)
    it is kept as written, cut to the column's length."""
    if not raw:
        return {}
    options = options or options_for(unit)
    values = {}
    for name in PROFILE_FIELDS:
        text = str(raw.get(name) or "").strip()
        if not text:
            continue
        known = {_key(v): v for v in options[name]}
        if _key(text) in known:
            values[name] = known[_key(text)]
        elif not strict:
            values[name] = text[:PROFILE_MAX_LENGTH]
    return values
