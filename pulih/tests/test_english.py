"""Issue 15.6, English mode complete: no template holds Indonesian outside the i18n tags, and the
pages a person reads with English chosen show no Indonesian beyond the data they display (names,
the unit's standard, a customer's words) and the regulation's own terms.

What counts as Indonesian: a word of an Indonesian translation that no English msgid uses
("Triwulan", "Jumlah", "kerja"), so the test follows the catalogues as they grow."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from surveys.ikm import ANSWER_LABELS, ELEMENT_NAMES
from surveys.profile import DEFAULT_OPTIONS

from .test_translations import CATALOGUES, parse_po

WORD = re.compile(r"[A-Za-z]{4,}")
# Deliberately in both languages: rendered when the database or the i18n machinery may be down.
BILINGUAL_TEMPLATES = {"pulih/templates/500.html"}
TEMPLATE_CODE = [
    re.compile(r"{%\s*blocktrans(late)?\b.*?{%\s*endblocktrans(late)?\s*%}", re.S),
    re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S),
    re.compile(r"{#.*?#}", re.S),
    re.compile(r"{%.*?%}", re.S),
    re.compile(r"{{.*?}}", re.S),
]
MARKUP = [
    re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I),
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"<[^>]*>", re.S),
]


def words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


def indonesian_words() -> set[str]:
    english, indonesian = set(), set()
    for po in CATALOGUES:
        for key, forms in parse_po(po).items():
            english |= words(key.split("\x04")[-1])
            for form in forms:
                indonesian |= words(form)
    return indonesian - english


def regulation_terms() -> set[str]:
    """The questionnaire's elements and answers and the respondent profile's default lists:
    terms of the regulation, kept in Indonesian (the profile's lists are the unit's to edit)."""
    found = set()
    for options in DEFAULT_OPTIONS.values():
        for option in options:
            found |= words(option)
    for name in ELEMENT_NAMES.values():
        found |= words(name)
    for labels in ANSWER_LABELS.values():
        for label in labels:
            found |= words(label)
    return found


def data_words() -> set[str]:
    """Every word stored in a text column: shown as entered, in whatever language."""
    found = set()
    for model in apps.get_models():
        columns = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField))
        ]
        if not columns:
            continue
        for row in model._base_manager.values_list(*columns):
            for value in row:
                if value:
                    found |= words(str(value))
    return found


def visible_text(page: str) -> str:
    for pattern in MARKUP:
        page = pattern.sub(" ", page)
    return html.unescape(page)


def test_no_template_holds_indonesian_outside_the_i18n_tags():
    marker = indonesian_words()
    base = Path(settings.BASE_DIR)
    found = {}
    for path in sorted(base.glob("*/templates/**/*.*")):
        relative = str(path.relative_to(base))
        if relative in BILINGUAL_TEMPLATES:
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in TEMPLATE_CODE + MARKUP:
            text = pattern.sub(" ", text)
        leftovers = words(text) & marker
        if leftovers:
            found[relative] = sorted(leftovers)
    assert found == {}, found


@pytest.fixture
def walked(unit, people, service_type):
    """A flagged answer referred into a case, and a complaint triaged into another."""
    from cases import intake, workflow
    from complaints.services import record_complaint
    from surveys.services import submit_response

    response = submit_response(
        unit,
        answers={f"U{i}": 1 for i in range(1, 10)},
        service_type=service_type,
        officer=people["officer"],
        comment="Lama sekali.",
    )
    case = workflow.open_case(unit, actor=None, officer=people["officer"], survey_response=response)
    complaint = record_complaint(
        unit,
        actor=people["back_office"],
        channel="in_person",
        text="Petugas membentak saya.",
        name="Rina",
        contact="rina@contoh.id",
    )
    intake.triage_complaint(
        complaint, actor=people["coordinator"], outcome="case", officer=people["officer"]
    )
    return {"case": case, "complaint": complaint, "service": service_type}


def test_pages_in_english_show_no_indonesian_but_their_data(client, unit, people, walked):
    code, service = unit.code, walked["service"].code
    public = [
        "/accounts/login/",
        f"/u/{code}/",
        f"/u/{code}/hasil/",
        f"/u/{code}/pengaduan/",
        f"/u/{code}/survey/{service}/",
        "/lacak/",
        f"/lacak/{walked['complaint'].tracking_code}/",
    ]
    staff = [
        "/",
        "/layanan/",
        "/layanan/baru/",
        "/harian/",
        "/ikm/",
        "/pengaduan/",
        "/pengaduan/catat/",
        f"/pengaduan/{walked['complaint'].pk}/",
        "/kasus/",
        "/kasus/baru/",
        f"/kasus/{walked['case'].pk}/",
        "/perbaikan/",
        "/laporan/",
    ]
    marker = indonesian_words() - data_words() - regulation_terms()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    found = {}
    for who, paths in (
        (None, public),
        ("coordinator", staff),
        ("officer", ["/kasus/saya/"]),
        ("supervisor", ["/laporan/audit/"]),
    ):
        if who:
            client.force_login(people[who])
        for path in paths:
            response = client.get(path, secure=True)
            assert response.status_code == 200, path
            assert response["Content-Language"] == "en"
            leftovers = words(visible_text(response.content.decode())) & marker
            if leftovers:
                found[path] = sorted(leftovers)
    assert found == {}, found
