"""pulih.lib.urls: a route reversed once for many values gives what reverse gives each."""

from __future__ import annotations

from django.urls import reverse

from pulih.lib.urls import url_for_each


def test_a_route_reversed_once_gives_each_value_its_own_url():
    case_url = url_for_each("cases:detail")
    for pk in (1, 9, 10, 918273645, 12345678901):
        assert case_url(pk) == reverse("cases:detail", args=[pk])
    results_url = url_for_each("reports:results")
    for code in ("satuan-01", "dinas-kesehatan", "a"):
        assert results_url(code) == reverse("reports:results", args=[code])
