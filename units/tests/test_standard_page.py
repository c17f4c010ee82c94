import re

import pytest

from units.models import Violation


def test_published_standard_shows_every_catalogue(client, unit):
    response = client.get(f"/u/{unit.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    section = lambda anchor: html.split(f'id="{anchor}"')[1].split("</tr>")[0]  # noqa: E731
    assert len(re.findall(r"<li data-code=", section("violations"))) == 13
    assert len(re.findall(r"<li data-code=", section("compensations"))) == 3
    assert len(re.findall(r"<li data-code=", section("channels"))) == 6
    assert len(re.findall(r"<li data-code=", section("legal-basis"))) == 12
    assert "08115234400" in html
    assert "Tommy Haridjaya" in html


def test_it_is_in_indonesian_by_default_with_indonesian_dates(client, unit):
    html = client.get(f"/u/{unit.code}/").content.decode()
    assert "Standar Pelayanan Sanksi dan Kompensasi" in html
    assert "13 Januari 2023" in html


def test_english_is_available(client, unit):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(f"/u/{unit.code}/").content.decode()
    assert "Service standard for sanctions and compensation" in html
    assert "13 January 2023" in html


def test_an_edit_in_admin_shows_on_the_page_and_in_history(client, unit, people):
    admin_user = people["admin"]
    admin_user.is_staff = True
    admin_user.save()
    client.force_login(admin_user)
    v = Violation.objects.get(unit=unit, code="v06")
    response = client.post(
        f"/admin/units/violation/{v.pk}/change/",
        {
            "unit": unit.pk,
            "code": "v06",
            "order": 6,
            "active": "on",
            "text": "Menolak tugas dari atasan tanpa alasan sah;",
            "severity": "heavy",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(f"/u/{unit.code}/").content.decode()
    assert "Menolak tugas dari atasan tanpa alasan sah;" in page
    latest, previous = v.history.order_by("-history_date")[:2]
    assert latest.history_user == admin_user
    assert latest.text == "Menolak tugas dari atasan tanpa alasan sah;"
    assert previous.text == "Melawan dan menolak tugas dari atasan;"
    history_page = client.get(f"/admin/units/violation/{v.pk}/history/")
    assert history_page.status_code == 200


def test_unit_admin_cannot_edit_another_units_catalogue(client, people, other_unit):
    other = Violation.objects.create(
        unit=other_unit, code="x1", text="Pelanggaran khusus unit lain"
    )
    admin_user = people["admin"]
    admin_user.is_staff = True
    admin_user.save()
    client.force_login(admin_user)
    assert client.get(f"/admin/units/violation/{other.pk}/change/").status_code == 302
    listing = client.get("/admin/units/violation/").content.decode()
    assert "Pelanggaran khusus unit lain" not in listing
    assert "Unit Lain" not in listing


@pytest.mark.parametrize("code", ["nope", "other-unit-x"])
def test_unknown_unit_is_404(client, db, code):
    assert client.get(f"/u/{code}/").status_code == 404


def test_an_english_browser_still_gets_indonesian(client, unit):
    html = client.get(f"/u/{unit.code}/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Standar Pelayanan Sanksi dan Kompensasi" in html
