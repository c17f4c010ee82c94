"""The bench's own floors (bench/pages.py): a signed-in page on the base template, and a fixed
one-page letter rendered by WeasyPrint, served only under the bench's settings."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from bench.pages import pdf_pages, render_reference_letter
from bench.settings import TEMPLATES
from units.models import User

pytestmark = pytest.mark.django_db

BENCH = override_settings(ROOT_URLCONF="bench.urls", TEMPLATES=TEMPLATES)


def test_the_reference_letter_is_one_page():
    pdf = render_reference_letter()
    assert pdf.startswith(b"%PDF-")
    assert pdf_pages(pdf) == 1


@BENCH
def test_the_framework_floor_is_a_signed_in_page_on_the_base_template():
    client = Client()
    assert client.get("/bench/page/").status_code == 302  # to the login
    client.force_login(User.objects.create(username="someone"))
    resp = client.get("/bench/page/")
    assert resp.status_code == 200
    assert "base.html" in [t.name for t in resp.templates]


def test_the_product_urls_do_not_serve_the_floors():
    client = Client()
    client.force_login(User.objects.create(username="someone"))
    assert client.get("/bench/page/").status_code == 404
