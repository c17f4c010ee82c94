"""Every screen is Indonesian by default: each catalogue is complete and compiled."""

from __future__ import annotations

import ast
import gettext
import shutil
import subprocess
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
    changed = [k for k, forms in entries.items() if compiled.get(k, forms[0]) != forms[0]]
    assert not changed, f"{mo} is stale (translations changed since): {changed[:5]}"


def test_every_app_with_templates_has_a_catalogue():
    apps = {p.parts[-5] for p in CATALOGUES}
    for app in ["pulih", "units", "surveys", "complaints", "cases"]:
        assert app in apps


APPS_WITH_STRINGS = sorted({p.parts[-5] for p in CATALOGUES} | {"api"})
XGETTEXT = [
    "xgettext",
    "--language=Python",
    "--from-code=UTF-8",
    "--keyword=gettext_noop",
    "--keyword=gettext_lazy",
    "--keyword=ngettext_lazy:1,2",
    "--keyword=pgettext:1c,2",
    "--keyword=npgettext:1c,2,3",
    "--keyword=pgettext_lazy:1c,2",
    "--keyword=npgettext_lazy:1c,2,3",
    "--output=-",
]


def strings_in_the_code(workdir: Path) -> set[str]:
    """Every msgid (with its context) the modules and templates mark for translation, found the
    way `makemessages` finds them (templates through Django's templatize, then xgettext)."""
    from django.utils.translation.template import templatize

    base = Path(settings.BASE_DIR)
    sources: list[Path] = []
    for app in APPS_WITH_STRINGS:
        for path in sorted((base / app).rglob("*")):
            relative = path.relative_to(base)
            if {"tests", "migrations", "locale", "static"} & set(relative.parts):
                continue
            if path.suffix == ".py":
                sources.append(path)
            elif path.suffix in (".html", ".txt") and "templates" in relative.parts:
                work = workdir / (str(relative).replace("/", "__") + ".py")
                work.write_text(templatize(path.read_text(encoding="utf-8"), origin=str(path)))
                sources.append(work)
    listing = workdir / "files.txt"
    listing.write_text("\n".join(str(s) for s in sources))
    found = workdir / "found.po"
    found.write_text(
        subprocess.run(  # noqa: S603 - fixed arguments over this project's files
            [*XGETTEXT, f"--files-from={listing}"], capture_output=True, check=True, text=True
        ).stdout,
        encoding="utf-8",
    )
    return set(parse_po(found))


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs GNU gettext's xgettext")
def test_every_string_in_the_code_is_translated_into_indonesian(tmp_path):
    """A string marked for translation in any template or module that no catalogue translates
    shows in English on an Indonesian screen: `make messages` and translate it."""
    translated: set[str] = set()
    for po in CATALOGUES:
        translated |= {k for k, forms in parse_po(po).items() if all(forms)}
    missing = sorted(strings_in_the_code(tmp_path) - translated)
    assert not missing, f"{len(missing)} strings without an Indonesian translation: {missing[:20]}"


TRANSLATING = {"_", "gettext", "gettext_lazy", "pgettext", "ngettext", "npgettext"}


def test_no_string_is_translated_inside_an_f_string():
    """xgettext, which `make messages` runs, does not look inside an f-string: a string
    translated there is dropped from its catalogue at the next `make messages` and shows in
    English. Translate it before, into a name the f-string uses."""
    base = Path(settings.BASE_DIR)
    found = []
    for app in APPS_WITH_STRINGS:
        for path in sorted((base / app).rglob("*.py")):
            if {"tests", "migrations"} & set(path.relative_to(base).parts):
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.JoinedStr):
                    continue
                for call in ast.walk(node):
                    name = getattr(getattr(call, "func", None), "id", None)
                    if isinstance(call, ast.Call) and name in TRANSLATING:
                        found.append(f"{path.relative_to(base)}:{call.lineno}")
    assert not found, f"translated inside an f-string: {found}"
