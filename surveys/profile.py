"""The respondent's optional profile (*profil responden*): sex, age group, education and
occupation, with lists the unit may edit (the defaults are those of the regulation's report)."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pulih.lib.compiled import CompiledRead, key_marker
from pulih.lib.errors import ActionForbidden, InvalidInput
from units.access import roles_in
from units.models import Unit, User

from .access import PROFILE_EDITORS
from .models import PROFILE_FIELDS, PROFILE_MAX_LENGTH, SurveyFormMapping

PROFILE_LABELS = {
    "sex": gettext_lazy("Sex"),
    "age_group": gettext_lazy("Age group"),
    "education": gettext_lazy("Education"),
    "occupation": gettext_lazy("Occupation"),
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
    return _with_defaults(_options_read().value(unit=unit.pk) or {})


@functools.cache
def _options_read() -> CompiledRead:
    rows = SurveyFormMapping.objects.filter(unit=key_marker(0)).order_by("pk")
    return CompiledRead(rows.values_list("profile_options")[:1], unit=key_marker(0))


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


MAX_OPTIONS = 20  # answers per list


def clean_options(options: Mapping[str, object]) -> dict[str, list[str]]:
    """The unit's lists as it typed them, checked: each field a list of 1–20 distinct answers
    (distinct also ignoring case and accents), each at most 60 characters. Raises InvalidInput
    naming each bad field."""
    cleaned: dict[str, list[str]] = {}
    errors: dict[str, list[str]] = {}
    for name in PROFILE_FIELDS:
        values = options.get(name)
        if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
            errors[name] = [_("Give a list of answers.")]
            continue
        values = [" ".join(v.split()) for v in values]
        values = [v for v in values if v]
        seen: dict[str, str] = {}
        problems = []
        for value in values:
            if len(value) > PROFILE_MAX_LENGTH:
                problems.append(
                    _("“%(value)s” is longer than %(max)s characters.")
                    % {"value": value[:30] + "…", "max": PROFILE_MAX_LENGTH}
                )
            elif _key(value) in seen:
                problems.append(
                    _("“%(value)s” is listed twice (as “%(first)s”).")
                    % {"value": value, "first": seen[_key(value)]}
                )
            else:
                seen[_key(value)] = value
        if not values:
            problems.append(_("List at least one answer."))
        elif len(values) > MAX_OPTIONS:
            problems.append(_("List at most %(max)s answers.") % {"max": MAX_OPTIONS})
        if problems:
            errors[name] = [str(p) for p in problems]
        else:
            cleaned[name] = values
    if errors:
        raise InvalidInput(_("The profile lists are not valid."), fields=errors)
    return cleaned


@transaction.atomic
def set_profile_options(unit: Unit, *, actor: User, options: Mapping[str, object]) -> None:
    """Store the unit's profile lists (the survey form offers them, imports read answers as
    them, the IKM page filters by them). Only the unit's administrator edits them; each change
    is kept in the mapping's history with who made it. A list equal to the default is stored
    as the default (so a later change of the defaults reaches it)."""
    if not roles_in(actor, unit) & PROFILE_EDITORS:
        raise ActionForbidden(_("Only the unit's administrator edits the profile lists."))
    cleaned = clean_options(options)
    own = {name: values for name, values in cleaned.items() if values != DEFAULT_OPTIONS[name]}
    mapping, _created = SurveyFormMapping.objects.select_for_update().get_or_create(unit=unit)
    if (mapping.profile_options or {}) == own:
        return
    mapping.profile_options = own
    mapping._history_user = actor
    mapping.save(update_fields=["profile_options"])


def options_history(unit: Unit, limit: int = 20) -> list[dict]:
    """The changes of the unit's profile lists, newest first: when, who, and per field the
    answers added and removed."""
    mapping = SurveyFormMapping.objects.filter(unit=unit).first()
    if mapping is None:
        return []
    records = list(mapping.history.select_related("history_user").order_by("-history_date"))
    changes = []
    for record, before in zip(records, [*records[1:], None], strict=True):
        after_lists = _with_defaults(record.profile_options)
        before_lists = _with_defaults(before.profile_options if before else {})
        fields = []
        for name in PROFILE_FIELDS:
            added = [v for v in after_lists[name] if v not in before_lists[name]]
            removed = [v for v in before_lists[name] if v not in after_lists[name]]
            if added or removed or (after_lists[name] != before_lists[name]):
                fields.append(
                    {
                        "label": PROFILE_LABELS[name],
                        "added": added,
                        "removed": removed,
                        "values": after_lists[name],
                    }
                )
        if fields:
            changes.append({"at": record.history_date, "by": record.history_user, "fields": fields})
        if len(changes) >= limit:
            break
    return changes


def _with_defaults(own: object) -> dict[str, list[str]]:
    own = own if isinstance(own, dict) else {}
    lists = {}
    for name in PROFILE_FIELDS:
        values = own.get(name)
        good = isinstance(values, list) and values and all(isinstance(v, str) for v in values)
        lists[name] = list(values) if good else list(DEFAULT_OPTIONS[name])
    return lists
