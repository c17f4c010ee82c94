"""Issue 15.4 and 15.6: a favicon, ISO values in date pickers, and a GET on an action URL sends
the reader to the page with the form instead of a blank 405."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders


def test_the_favicon_answers_and_every_page_links_it(client, db):
    resp = client.get("/favicon.ico", secure=True)
    assert resp.status_code == 301
    assert resp["Location"].endswith("pulih/favicon.ico")
    assert finders.find("pulih/favicon.ico") and finders.find("pulih/favicon.svg")
    page = client.get("/accounts/login/", secure=True).content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page


def test_the_daily_checks_date_picker_gets_an_iso_value(client, people):
    client.force_login(people["head"])
    page = client.get("/harian/?day=2026-12-02", secure=True).content.decode()
    assert 'type="date"' in page
    assert 'value="2026-12-02"' in page
    assert "02-12-2026" not in page


@pytest.mark.parametrize(
    ("path", "form_page"),
    [
        ("/kasus/{case}/aksi/refer/", "/kasus/{case}/"),
        ("/kasus/saya/{case}/pembelaan/", "/kasus/saya/"),
        ("/pengaduan/{complaint}/konfirmasi/", "/pengaduan/{complaint}/"),
        ("/pengaduan/{complaint}/triase/", "/pengaduan/{complaint}/"),
        ("/pengaduan/{complaint}/jawab/", "/pengaduan/{complaint}/"),
        ("/harian/tanda-tangan/", "/harian/"),
        ("/harian/rujuk/", "/harian/"),
        ("/harian/respons/{response}/tidak-dirujuk/", "/harian/"),
        ("/perbaikan/1/selesai/", "/perbaikan/"),
    ],
)
def test_a_get_on_an_action_url_goes_to_the_page_with_the_form(
    client, people, unit, path, form_page
):
    ids = {"case": 7, "complaint": 9, "response": 5}
    client.force_login(people["head"])
    resp = client.get(path.format(**ids), secure=True)
    assert resp.status_code == 302
    assert resp["Location"] == form_page.format(**ids)
    assert client.put(path.format(**ids), secure=True).status_code == 405
