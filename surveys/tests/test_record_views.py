"""Service records on the web: who may record, list and print what."""

from __future__ import annotations

import pytest
from django.utils import timezone

from surveys.models import ServiceRecord
from surveys.services import record_service, submit_survey


def form_data(service_type, officer, **extra):
    return {
        "service_type": service_type.pk,
        "officer": officer.pk,
        "customer_name": "Budi Pelanggan",
        "customer_contact": "0812",
        "customer_kind": "external",
        "channel": "in_person",
        "served_at": timezone.now().astimezone(service_type.unit.zone).strftime("%Y-%m-%dT%H:%M"),
        **extra,
    }


def test_officer_records_a_service_and_gets_the_receipt(client, people, service_type):
    client.force_login(people["officer"])
    form = client.get("/layanan/baru/").content.decode()
    assert "Catat layanan" in form
    assert "Olive Officer" not in form  # only themselves
    response = client.post("/layanan/baru/", form_data(service_type, people["officer"]))
    record = ServiceRecord.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/layanan/{record.pk}/"
    assert record.officer == people["officer"]
    detail = client.get(f"/layanan/{record.pk}/").content.decode()
    assert record.survey_token in detail
    assert 'class="qr"' in detail  # the QR code, inline SVG


def test_officer_cannot_record_for_a_colleague(client, people, service_type):
    client.force_login(people["officer"])
    response = client.post("/layanan/baru/", form_data(service_type, people["officer2"]))
    assert response.status_code == 200
    assert not ServiceRecord.objects.exists()


def test_back_office_records_for_any_officer(client, people, service_type):
    client.force_login(people["back_office"])
    client.post("/layanan/baru/", form_data(service_type, people["officer2"]))
    assert ServiceRecord.objects.get().officer == people["officer2"]


@pytest.mark.parametrize("role", ["head", "supervisor", "person_in_charge", "admin"])
def test_roles_that_do_not_serve_cannot_record(client, people, role, service_type):
    client.force_login(people[role])
    assert client.get("/layanan/baru/").status_code == 403
    response = client.post("/layanan/baru/", form_data(service_type, people["officer"]))
    assert response.status_code == 403
    assert not ServiceRecord.objects.exists()


def test_officer_sees_only_their_own_records(client, unit, people, record, service_type):
    other = record_service(
        unit, actor=people["officer2"], service_type=service_type, officer=people["officer2"]
    )
    client.force_login(people["officer"])
    html = client.get("/layanan/").content.decode()
    assert f"/layanan/{record.pk}/" in html
    assert f"/layanan/{other.pk}/" not in html
    assert client.get(f"/layanan/{other.pk}/").status_code == 404
    assert client.get(f"/layanan/{other.pk}/struk/").status_code == 404


def test_the_officer_never_learns_whether_the_customer_answered(client, people, record):
    submit_survey(record.survey_token, answers={"U7": 1})
    client.force_login(people["officer"])
    html = client.get(f"/layanan/{record.pk}/").content.decode()
    assert 'id="survey-state"' not in html
    client.force_login(people["back_office"])
    assert "Sudah diisi" in client.get(f"/layanan/{record.pk}/").content.decode()


def test_supervisor_reads_the_records_without_recording(client, people, record):
    client.force_login(people["supervisor"])
    html = client.get("/layanan/").content.decode()
    assert f"/layanan/{record.pk}/" in html
    assert 'id="record-new"' not in html


def test_outsider_sees_nothing_of_the_unit(client, outsider, record):
    client.force_login(outsider)
    assert f"/layanan/{record.pk}/" not in client.get("/layanan/").content.decode()
    assert client.get(f"/layanan/{record.pk}/").status_code == 404
    assert client.get(f"/layanan/{record.pk}/struk/").status_code == 404


def test_anonymous_is_sent_to_login(client, record):
    response = client.get("/layanan/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_receipt_is_printable_with_the_qr_and_link(client, people, record):
    client.force_login(people["officer"])
    response = client.get(f"/layanan/{record.pk}/struk/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bukti layanan" in html
    assert f"/s/{record.survey_token}/" in html
    assert "<svg" in html
    assert "print.css" in html
    assert "style=" not in html


def test_poster_per_service_type_links_the_walk_in_survey(client, unit, people, service_type):
    client.force_login(people["back_office"])
    html = client.get(f"/layanan/poster/{service_type.code}/").content.decode()
    assert f"/u/{unit.code}/survey/{service_type.code}/" in html
    assert service_type.name in html
    assert "<svg" in html


def test_poster_of_another_units_service_is_404(client, outsider, service_type):
    client.force_login(outsider)
    assert client.get(f"/layanan/poster/{service_type.code}/").status_code == 404


def test_record_list_queries_are_bounded(
    client, unit, people, service_type, django_assert_max_num_queries
):
    for _ in range(30):
        record_service(
            unit, actor=people["back_office"], service_type=service_type, officer=people["officer"]
        )
    client.force_login(people["back_office"])
    with django_assert_max_num_queries(12):
        response = client.get("/layanan/")
    assert response.content.decode().count("/layanan/") >= 30
