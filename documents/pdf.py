"""PDF from HTML templates (WeasyPrint), rendered in the reader's language."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

_pause_lock = threading.Lock()
_pauses = 0  # renders under way with the collector paused
_resume = False  # whether the collector was on when the first of them began


@contextmanager
def garbage_collected_once() -> Iterator[None]:
    """Run the block with Python's cyclic garbage collector paused, then collect the young
    generation once.

    A render allocates some hundred thousand objects, many in reference cycles (WeasyPrint's
    boxes point to their parents). With the collector on, the objects still alive mid-render
    are scanned again and again and promoted to the oldest generation, where they die and wait
    for a full collection, which then scans every object of the process (Django's included):
    measured in the bench process, collections took about a third of a report's render. Paused,
    they stay young and one collection of the young generation frees them, inside the render's
    own time. Re-entrant and thread-safe: the collector resumes when the last render ends, and
    only if it was on before the first."""
    global _pauses, _resume
    with _pause_lock:
        if _pauses == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            last = _pauses == 0
            if last and _resume:
                gc.enable()
        if last:
            gc.collect(0)


def render_pdf(template_name: str, context: dict, *, language: str | None = None) -> bytes:
    """Render `template_name` (extending documents/letter_base.html) to PDF bytes."""
    # WeasyPrint costs about a second to import; only the PDF paths pay for it.
    from weasyprint import HTML

    with translation.override(language or translation.get_language() or "id"):
        html = render_to_string(template_name, context)
    with garbage_collected_once():
        return HTML(string=html, base_url=None).write_pdf()


def pdf_response(pdf: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
