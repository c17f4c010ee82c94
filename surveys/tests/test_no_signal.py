"""No signal to the officer (issue 12.8) and one channel vocabulary (issue 18.6): once the
receipt is printed the officer's screens keep no survey link and never say whether it was
answered; service records take the unit's channel codes, as complaints do."""

from __future__ import annotations

import importlib
import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from rest_framework.test import APIClient

from api.tokens import issue_token
from surveys.models import ServiceRecord
from surveys.services import officer_codes, record_service, submit_survey
from units.models import ComplaintChannel

ALL_FOURS = {f"U{i}": 4 for i in range(1, 10)}


@pytest.fixture
def printed(client, unit, service_type, people):
    """A record the officer made and printed the receipt of; the customer then answered."""
    record = record_service(
        unit, actor=people["officer"], service_type=service_type, officer=people["officer"]
    )
    client.force_login(people["officer"])
    receipt = client.get(f"/layanan/{record.pk}/struk/").content.decode()
    assert record.survey_token in receipt  # printed once, with the link and its QR code
    return record


def test_once_printed_the_officers_screens_keep_no_link(client, printed, people):
    record = printed
    record.refresh_from_db()
    assert record.receipt_printed_at is not None
    before = client.get(f"/layanan/{record.pk}/").content.decode()
    submit_survey(record.survey_token, answers=ALL_FOURS)
    after = client.get(f"/layanan/{record.pk}/").content.decode()
    for page in (before, after):
        assert record.survey_token not in page
        assert 'id="survey-state"' not in page
        assert 'id="receipt-printed"' in page
    # Nothing on the officer's record page changes when the customer answers.
    csrf = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert csrf.sub("", before) == csrf.sub("", after)
    listing = client.get("/layanan/").content.decode()
    assert record.survey_token not in listing
    again = client.get(f"/layanan/{record.pk}/struk/")
    assert again.status_code == 302 and again["Location"] == f"/layanan/{record.pk}/"


def test_the_back_office_still_sees_the_state_and_reprints(client, printed, people):
    record = printed
    submit_survey(record.survey_token, answers=ALL_FOURS)
    client.force_login(people["back_office"])
    page = client.get(f"/layanan/{record.pk}/").content.decode()
    assert 'id="survey-state"' in page and record.survey_token in page
    assert record.survey_token in client.get(f"/layanan/{record.pk}/struk/").content.decode()


def test_before_printing_the_officer_has_the_link_to_print(client, unit, service_type, people):
    record = record_service(
        unit, actor=people["officer"], service_type=service_type, officer=people["officer"]
    )
    client.force_login(people["officer"])
    page = client.get(f"/layanan/{record.pk}/").content.decode()
    assert record.survey_token in page and 'id="survey-state"' not in page


def test_the_receipt_and_record_show_the_officer_code(client, printed, people):
    code = officer_codes(printed.unit)[people["officer"].pk]
    assert code in client.get(f"/layanan/{printed.pk}/").content.decode()
    page = client.get("/layanan/kode-petugas/").content.decode()
    assert code in page and "Oscar Officer" in page


# --- channels ---------------------------------------------------------------------------------


@pytest.fixture
def api():
    return APIClient()


def login(api, user):
    _row, token = issue_token(user)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")


def body(unit, service_type, officer, **extra):
    return {
        "unit": unit.code,
        "service_type": service_type.code,
        "officer": officer.username,
        **extra,
    }


def test_every_channel_the_standard_publishes_is_accepted(api, client, unit, service_type, people):
    published = [
        c["code"] for c in client.get(f"/api/v1/standard/?unit={unit.code}").json()["channels"]
    ]
    assert "web" in published
    login(api, people["back_office"])
    for code in published:
        created = api.post(
            "/api/v1/service-records/",
            body(unit, service_type, people["officer"], channel=code),
            format="json",
        )
        assert created.status_code == 201, code
        assert ServiceRecord.objects.get(pk=created.json()["id"]).channel.code == code


def test_an_unknown_or_retired_channel_is_a_400_naming_the_field(api, unit, service_type, people):
    login(api, people["back_office"])
    for code in ("online", "fax", ""):
        refused = api.post(
            "/api/v1/service-records/",
            body(unit, service_type, people["officer"], channel=code),
            format="json",
        )
        assert refused.status_code == 400 and "channel" in refused.json(), code
    ComplaintChannel.objects.filter(unit=unit, code="web").update(active=False)
    refused = api.post(
        "/api/v1/service-records/",
        body(unit, service_type, people["officer"], channel="web"),
        format="json",
    )
    assert refused.status_code == 400 and "channel" in refused.json()
    assert not ServiceRecord.objects.exists()


def test_the_record_form_offers_the_units_channels(client, unit, service_type, people):
    client.force_login(people["back_office"])
    form = client.get("/layanan/baru/").content.decode()
    for channel in ComplaintChannel.objects.filter(unit=unit, active=True):
        assert f'value="{channel.code}"' in form and channel.name in form
    data = {
        "service_type": service_type.pk,
        "officer": people["officer"].pk,
        "customer_kind": "external",
        "channel": "social_media",
        "served_at": timezone.now().astimezone(unit.zone).strftime("%Y-%m-%dT%H:%M"),
    }
    assert client.post("/layanan/baru/", data).status_code == 302
    assert ServiceRecord.objects.get().channel.code == "social_media"
    assert client.post("/layanan/baru/", {**data, "channel": "online"}).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_old_channels_onto_the_catalogue(unit, service_type, people):
    """Existing records keep their channel: "online" becomes the catalogue's "web", and a code
    the unit lacks is added to its catalogue (inactive)."""
    executor = MigrationExecutor(connection)
    before = [("surveys", "0004_report_indexes"), ("cases", "0007_report_indexes")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Record = old.get_model("surveys", "ServiceRecord")
    common = {
        "unit_id": unit.pk,
        "service_type_id": service_type.pk,
        "officer_id": people["officer"].pk,
        "served_at": timezone.now(),
    }
    online = Record.objects.create(channel="online", survey_token="tok-online-1234", **common)
    letter = Record.objects.create(channel="letter", survey_token="tok-letter-1234", **common)
    old.get_model("units", "ComplaintChannel").objects.filter(
        unit_id=unit.pk, code="letter"
    ).delete()
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert ServiceRecord.objects.get(pk=online.pk).channel.code == "web"
    added = ServiceRecord.objects.get(pk=letter.pk).channel
    assert (added.code, added.active) == ("letter", False)
    module = importlib.import_module("surveys.migrations.0005_intake_channels_improvements")
    assert module.OLD_TO_CODE == {"online": "web"}
