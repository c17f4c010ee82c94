"""Every screen is Indonesian by default: each catalogue is complete and compiled."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

import pytest
from django.conf import settings

CATALOGUES = sorted(Path(settings.BASE_DIR).glob("*/locale/id/LC_MESSAGES/django.po"))


def parse_po(path: Path) -> dict[str, list[str]]:
    """msgid (with context, as gettext keys it) -> msgstr forms; skips the header."""
    entries: dict[str, list[str]] = {}
    fuzzy: set[str] = set()
    current: dict[str, str] = {}
    field = None
    is_fuzzy = False

    def flush():
        nonlocal current, is_fuzzy
        if current.get("msgid"):
            key = current["msgid"]
            if "msgctxt" in current:
                key = f"{current['msgctxt']}\x04{key}"
            entries[key] = [v for k, v in sorted(current.items()) if k.startswith("msgstr")]
            if is_fuzzy:
                fuzzy.add(key)
        current, is_fuzzy = {}, False

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            flush()
            field = None
        elif line.startswith("#,") and "fuzzy" in line:
            is_fuzzy = True
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[field] += ast.literal_eval(line)
        else:
            field, _, value = line.partition(" ")
            current[field] = ast.literal_eval(value)
    assert not fuzzy, f"{path}: fuzzy entries {sorted(fuzzy)[:5]}"
    return entries


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parts[-5])
def test_catalogue_is_complete_and_compiled(po: Path):
    entries = parse_po(po)
    untranslated = [msgid for msgid, forms in entries.items() if not all(forms)]
    assert not untranslated, f"{po}: untranslated {untranslated[:10]}"
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} missing: run `make messages`"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog  # noqa: SLF001
    compiled_ids = {k[0] if isinstance(k, tuple) else k for k in compiled if k}
    assert set(entries) <= compiled_ids, f"{mo} is stale: run `make messages`"


def test_every_app_with_templates_has_a_catalogue():
    apps = {p.parts[-5] for p in CATALOGUES}
    for app in ["pulih", "units", "surveys", "complaints", "cases"]:
        assert app in apps
