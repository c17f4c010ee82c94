"""Every response carries a strict Content-Security-Policy and the usual security headers,
and no template relies on inline script or inline style (which that policy would block)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings


def _directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.parametrize(
    "path",
    ["/accounts/login/", "/u/bpmp-kalteng/", "/api/v1/standard/?unit=bpmp-kalteng", "/nowhere/"],
)
def test_responses_carry_a_strict_policy_and_security_headers(client, unit, path):
    response = client.get(path)
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_staff_pages_carry_the_policy(client, people):
    client.force_login(people["coordinator"])
    response = client.get("/")
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


# --- templates stay CSP-clean -------------------------------------------------------------

COMMENT = re.compile(r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S)
SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.S | re.I)
OPEN_SCRIPT = re.compile(r"<script\b", re.I)
STYLE_BLOCK = re.compile(r"<style\b", re.I)
TAG = re.compile(r"<[a-zA-Z][^<>]*>", re.S)
STYLE_ATTR = re.compile(r"\sstyle\s*=", re.I)
EVENT_ATTR = re.compile(r"\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.I)
EXTENDS_LETTER = re.compile(r"""{%\s*extends\s+["']documents/letter_base\.html["']\s*%}""")


def is_pdf_template(path: Path, text: str) -> bool:
    """Templates WeasyPrint renders to PDF: no browser, so CSP does not apply to them."""
    parts = path.parts
    in_pdf_dir = any(
        parts[i] == "templates" and "pdf" in parts[i + 2 : -1] for i in range(len(parts) - 2)
    )
    return (
        in_pdf_dir
        or path.name.endswith("_pdf.html")
        or path.name == "letter_base.html"
        or bool(EXTENDS_LETTER.search(text))
    )


def csp_violations(path: Path, text: str) -> list[str]:
    """What in this template a strict CSP (script-src/style-src 'self') would block."""
    text = COMMENT.sub("", text)
    found = []
    scripts = list(SCRIPT.finditer(text))
    for match in scripts:
        if match.group("body").strip():
            found.append("inline <script> with a body")
        elif not re.search(r"\ssrc\s*=", match.group("attrs"), re.I):
            found.append("<script> without src")
    if len(OPEN_SCRIPT.findall(text)) != len(scripts):
        found.append("<script> without a closing </script>")
    for tag in TAG.findall(text):
        if EVENT_ATTR.search(tag):
            found.append(f"inline event handler in {tag[:60]!r}")
        if JS_URL.search(tag):
            found.append(f"javascript: URL in {tag[:60]!r}")
    if not is_pdf_template(path, text):
        if STYLE_BLOCK.search(text):
            found.append("<style> block (allowed only in PDF templates)")
        for tag in TAG.findall(text):
            if STYLE_ATTR.search(tag):
                found.append(f"style= attribute in {tag[:60]!r}")
    return found


def all_templates() -> list[Path]:
    base = Path(settings.BASE_DIR)
    return sorted(
        p for p in base.glob("*/templates/**/*.htm*") if ".venv" not in p.relative_to(base).parts
    )


def test_there_are_templates_to_scan():
    names = {p.name for p in all_templates()}
    assert {"base.html", "login.html", "letter_base.html"} <= names


def test_no_template_uses_inline_script_or_style():
    base = Path(settings.BASE_DIR)
    problems = []
    for path in all_templates():
        for problem in csp_violations(path, path.read_text(encoding="utf-8")):
            problems.append(f"{path.relative_to(base)}: {problem}")
    assert problems == []


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="/static/x.js"></script>',
        "<script defer src=\"{% static 'app/app.js' %}\"></script>",
        '<link rel="stylesheet" href="/static/x.css"><p class="note">Styled by class</p>',
        "<p>{% if a %}one{% endif %}</p>{# <script>alert(1)</script> #}",
        '{% comment %}<div style="x"></div>{% endcomment %}',
        '<input name="onion" value="stylesheet">',
    ],
)
def test_scanner_accepts_csp_clean_markup(snippet):
    assert csp_violations(Path("app/templates/app/page.html"), snippet) == []


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<script type="text/javascript">\n  var x = 1;\n</script>',
        "<script></script>",
        '<script src="/x.js">',
        '<div style="color: red">x</div>',
        "<p\n  class='a' style='margin:0'>x</p>",
        "<style>p { color: red }</style>",
        '<button onclick="go()">Go</button>',
        '<a href="javascript:void(0)">x</a>',
    ],
)
def test_scanner_finds_what_csp_would_block(snippet):
    assert csp_violations(Path("app/templates/app/page.html"), snippet) != []


@pytest.mark.parametrize(
    "path,text",
    [
        ("documents/templates/documents/letter_base.html", "<style>p{}</style>"),
        ("cases/templates/cases/pdf/decree.html", "<style>p{}</style>"),
        ("cases/templates/cases/decree_pdf.html", '<p style="margin:0">x</p>'),
        ("cases/templates/cases/decree.html", '{% extends "documents/letter_base.html" %}<style>'),
    ],
)
def test_pdf_templates_may_carry_styles(path, text):
    assert csp_violations(Path(path), text) == []


def test_pdf_templates_may_not_carry_scripts():
    path = Path("cases/templates/cases/pdf/decree.html")
    assert csp_violations(path, "<script>x()</script>") != []


def test_a_page_named_like_pdf_elsewhere_is_not_exempt():
    assert csp_violations(Path("cases/templates/cases/pdf_help.html"), "<style>") != []
