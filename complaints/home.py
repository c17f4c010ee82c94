"""The complaints app's part of the staff home page (its template decides what each role sees)."""

from __future__ import annotations

from pulih.lib.registry import HomeSection, home_sections

home_sections.register(HomeSection("complaints/_home.html"), order=30)
