"""The complaints app's links on the unit's public pages: the form and tracking."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pulih.lib.registry import PublicLink, public_links

public_links.register(
    PublicLink(
        "complaints:public-form",
        _("Send a complaint, suggestion or input"),
        id="link-complaint-form",
    ),
    order=20,
)
public_links.register(
    PublicLink(
        "complaints:track-lookup",
        _("Follow a complaint"),
        id="link-complaint-track",
        takes_unit=False,
    ),
    order=21,
)
