"""PDF from HTML templates (WeasyPrint), rendered in the reader's language."""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation


def render_pdf(template_name: str, context: dict, *, language: str | None = None) -> bytes:
    """Render `template_name` (extending documents/letter_base.html) to PDF bytes."""
    # WeasyPrint costs about a second to import; only the PDF paths pay for it.
    from weasyprint import HTML

    with translation.override(language or translation.get_language() or "id"):
        html = render_to_string(template_name, context)
    return HTML(string=html, base_url=None).write_pdf()


def pdf_response(pdf: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
