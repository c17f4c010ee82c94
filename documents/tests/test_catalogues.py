"""No catalogue overrides another's meaning: a msgid (with its context) translates the same in
every app's catalogue; ambiguous words carry a pgettext context instead (issue 15.1)."""

from __future__ import annotations

import gettext
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import pgettext

ROOT = Path(settings.BASE_DIR)


def catalogues() -> dict[str, dict[str, str]]:
    found = {}
    for mo in sorted(ROOT.glob("*/locale/id/LC_MESSAGES/django.mo")):
        with mo.open("rb") as handle:
            found[mo.parts[-5]] = gettext.GNUTranslations(handle)._catalog
    return found


def test_every_msgid_means_the_same_in_every_catalogue():
    meanings: dict[str, dict[str, str]] = {}
    for app, catalogue in catalogues().items():
        for key, value in catalogue.items():
            if key:
                meanings.setdefault(key, {})[app] = value
    conflicts = {k: v for k, v in meanings.items() if len(set(v.values())) > 1}
    assert conflicts == {}


def test_the_ambiguous_words_have_their_own_contexts():
    with translation.override("id"):
        assert pgettext("letter addressee", "To") == "Yth."
        assert pgettext("end of a date range", "To") == "Sampai"
        assert pgettext("row number", "No.") == "No."
        assert pgettext("yes/no answer", "No") == "Tidak"
    for app, catalogue in catalogues().items():
        for bare in ("To", "No", "No."):
            assert bare not in catalogue, (app, bare)
