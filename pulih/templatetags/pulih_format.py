"""Template filters shared by every app's screens."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from pulih.lib.money import rupiah as _rupiah

register = template.Library()


@register.filter
def rupiah(value) -> str:
    """{{ amount|rupiah }} → "Rp 5.000.000" in either language."""
    try:
        return _rupiah(value)
    except (TypeError, ValueError):
        return "—"


@register.filter
def tracking_code(value) -> str:
    """A code people read out and type: kept on one line (CSS `.tracking-code`)."""
    return format_html('<span class="tracking-code">{}</span>', value)
