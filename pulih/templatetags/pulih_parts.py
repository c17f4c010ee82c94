"""The parts the domains register (pulih.lib.registry), for templates: the public links."""

from __future__ import annotations

from django import template
from django.urls import reverse

from pulih.lib.registry import public_links as registered_links

register = template.Library()


@register.inclusion_tag("_public_links.html")
def public_links(unit) -> dict:
    """The links of the unit's public pages, each app's in its registered order."""
    links = [
        {
            "url": reverse(link.url_name, args=[unit.code] if link.takes_unit else []),
            "label": link.label,
            "id": link.id,
        }
        for link in registered_links
    ]
    return {"links": links}
