"""The public tracking page: status, dates and the answer; nothing internal."""

import pytest
import time_machine

from cases import intake
from complaints import services


def test_a_new_complaint_shows_its_status_and_expected_answer_date(client, complaint):
    response = client.get(f"/lacak/{complaint.tracking_code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert complaint.tracking_code in html
    assert 'id="status">Diterima<' in html
    assert "Jawaban diharapkan paling lambat" in html
    assert "Belum ada jawaban" in html


def test_the_answer_shows_but_nothing_internal(client, complaint, people):
    complaint = intake.triage_complaint(
        complaint,
        actor=people["coordinator"],
        outcome="case",
        officer=people["officer"],
        note="CATATAN-INTERNAL petugas kasar",
    )
    services.answer_complaint(
        complaint, actor=people["coordinator"], answer="Kami mohon maaf dan sedang menindaklanjuti."
    )
    html = client.get(f"/lacak/{complaint.tracking_code}/").content.decode()
    assert 'id="status">Dijawab<' in html
    assert "Kami mohon maaf dan sedang menindaklanjuti." in html
    for secret in (
        "CATATAN-INTERNAL",
        "Oscar",
        "oscar",
        "Kasus",
        "Rahmat",
        "rahmat@contoh.id",
        "Pelayanan lambat sekali.",  # not even the complaint's own text
        "Cici",
    ):
        assert secret not in html


def test_codes_are_case_and_dash_insensitive(client, complaint):
    code = complaint.tracking_code
    loose = code.replace("-", "").lower()
    response = client.get(f"/lacak/{loose}/")
    assert response.status_code == 302
    assert response["Location"] == f"/lacak/{code}/"
    response = client.get("/lacak/", {"code": f" {code.lower()} "})
    assert response.status_code == 302
    assert response["Location"] == f"/lacak/{code}/"


@pytest.mark.parametrize("code", ["AAAAA-AAAAA", "zzz", "<b>x</b>"])
def test_unknown_codes_say_so(client, complaint, code):
    response = client.get("/lacak/", {"code": code})
    assert response.status_code == 404
    assert "Tidak ada pengaduan dengan kode lacak ini" in response.content.decode()


def test_unknown_code_in_the_address_is_404(client, db):
    response = client.get("/lacak/AAAAA-AAAAA/")
    assert response.status_code == 404
    assert "Tidak ada pengaduan dengan kode lacak ini" in response.content.decode()


def test_the_lookup_form_opens(client, db):
    response = client.get("/lacak/")
    assert response.status_code == 200
    assert "Lacak pengaduan" in response.content.decode()


@time_machine.travel("2026-03-02 03:00:10+00:00", tick=False)
def test_lookups_are_rate_limited(client, complaint, settings):
    for _ in range(60):
        client.get("/lacak/", {"code": "AAAAA-AAAAA"})
    response = client.get(f"/lacak/{complaint.tracking_code}/")
    assert response.status_code == 429
    assert "Terlalu banyak" in response.content.decode()
