"""The units app's link on the unit's public pages: its published standard."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pulih.lib.registry import PublicLink, public_links

public_links.register(PublicLink("standard", _("Standard")), order=10)
