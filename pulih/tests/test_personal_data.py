"""Customers' personal data (UU 27/2022): export on request, erasure on request that keeps
ratings, complaints and cases, and retention that anonymises only old records, once."""

from __future__ import annotations

import datetime
import json

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from cases.models import Case, SourceKind
from complaints.models import Complaint
from pulih.lib.errors import InvalidInput
from pulih.lib.personal_data import ERASED_NAME, PersonQuery, retention_cutoff
from pulih.lib.registry import PersonalDataSource, personal_data_sources
from pulih.personal_data import (
    apply_retention,
    erase_personal_data,
    export_personal_data,
    find_personal_data,
    sources,
)
from surveys.models import ServiceRecord, SurveyResponse
from units.models import ErasureKind, ErasureLog, ServiceType

NOW = datetime.datetime(2026, 11, 20, 3, 0, tzinfo=datetime.UTC)
SITI = {"name": "Siti Aminah", "contact": "0812-5555-0101"}


def _at(days_ago: int) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days_ago)


def _service(unit, service_type, officer, name, contact, days_ago, answers=None):
    record = ServiceRecord.objects.create(
        unit=unit,
        service_type=service_type,
        officer=officer,
        customer_name=name,
        customer_contact=contact,
        served_at=_at(days_ago),
    )
    if answers:
        SurveyResponse.objects.create(
            unit=unit,
            service_record=record,
            service_type=service_type,
            officer=officer,
            submitted_at=_at(days_ago),
            comment="Petugas kurang ramah",
            **{k.lower(): v for k, v in answers.items()},
        )
    return record


def _complaint(unit, name, contact, days_ago, code):
    from units.models import ComplaintChannel

    return Complaint.objects.create(
        unit=unit,
        channel=ComplaintChannel.objects.get(unit=unit, code="web"),
        received_at=_at(days_ago),
        name=name,
        contact=contact,
        text="Pelayanan lambat sekali.",
        tracking_code=code,
    )


@pytest.fixture
def held(unit, service_type, people, other_unit):
    """Siti's records in the unit (two services, one rated badly, one complaint, a case),
    someone else's, and a record with Siti's contact in another unit."""
    officer = people["officer"]
    rated = _service(unit, service_type, officer, *SITI.values(), 30, {"U6": 1, "U7": 2})
    second = _service(unit, service_type, officer, "SITI AMINAH", "siti@contoh.id", 10)
    other = _service(unit, service_type, officer, "Budi Santoso", "0813-1111-2222", 30, {"U1": 4})
    complaint = _complaint(unit, *SITI.values(), 20, "ADU-0001")
    case = Case.objects.create(
        unit=unit,
        officer=officer,
        source_kind=SourceKind.SURVEY,
        survey_response=rated.response,
        opened_at=_at(29),
    )
    foreign_type = ServiceType.objects.create(unit=other_unit, code="x", name="Lain")
    foreign = _service(
        other_unit, foreign_type, people["officer"], SITI["name"], SITI["contact"], 30
    )
    return {
        "rated": rated,
        "second": second,
        "other": other,
        "complaint": complaint,
        "case": case,
        "foreign": foreign,
    }


def test_the_sources_are_found_in_the_domains_privacy_modules():
    assert [s.name for s in sources()] == ["surveys.privacy", "complaints.privacy"]


def test_query_needs_a_contact_or_a_name():
    with pytest.raises(InvalidInput):
        PersonQuery(contact="  ", name="")
    with pytest.raises(InvalidInput):
        PersonQuery(name="dihapus")
    assert PersonQuery(name="  Siti   Aminah ").name == "Siti Aminah"


def test_find_by_contact_matches_exactly_within_the_unit(unit, held):
    found = find_personal_data(unit, PersonQuery(contact=SITI["contact"]))
    assert [r["id"] for r in found["surveys.privacy"]] == [held["rated"].pk]
    assert [r["id"] for r in found["complaints.privacy"]] == [held["complaint"].pk]
    assert find_personal_data(unit, PersonQuery(contact="0812-5555-010"))["surveys.privacy"] == []


def test_find_by_name_ignores_case(unit, held):
    found = find_personal_data(unit, PersonQuery(name="siti aminah"))
    ids = [r["id"] for r in found["surveys.privacy"]]
    assert ids == [held["rated"].pk, held["second"].pk]
    assert held["foreign"].pk not in ids


def test_export_holds_everything_about_the_person(unit, held, tmp_path):
    output = tmp_path / "siti.json"
    call_command("export_personal_data", unit=unit.code, name="Siti Aminah", output=str(output))
    assert output.stat().st_mode & 0o077 == 0
    document = json.loads(output.read_text(encoding="utf-8"))
    assert document["unit"]["code"] == unit.code
    assert document["query"] == {"name": "Siti Aminah"}
    assert document["total"] == 3
    service = document["sources"]["surveys.privacy"][0]
    assert service["personal"] == {
        "customer_name": "Siti Aminah",
        "customer_contact": "0812-5555-0101",
    }
    assert service["data"]["survey_response"]["answers"] == {"U6": 1, "U7": 2}
    assert service["data"]["survey_response"]["comment"] == "Petugas kurang ramah"
    complaint = document["sources"]["complaints.privacy"][0]
    assert complaint["data"]["tracking_code"] == "ADU-0001"
    assert complaint["data"]["text"] == "Pelayanan lambat sekali."
    assert "Budi" not in output.read_text(encoding="utf-8")
    # The officer's identity is not the customer's data.
    assert "oscar" not in output.read_text(encoding="utf-8").lower()


def test_export_to_stdout(unit, held, capsys):
    call_command("export_personal_data", unit=unit.code, contact=SITI["contact"])
    document = json.loads(capsys.readouterr().out)
    assert document["total"] == 2


def test_erasure_anonymises_and_keeps_ratings_complaints_and_cases(unit, held, people):
    log = erase_personal_data(unit, PersonQuery(name="Siti Aminah"), actor=people["coordinator"])
    assert log.counts == {"surveys.privacy": 2, "complaints.privacy": 1}
    assert log.total == 3
    for key in ("rated", "second"):
        record = ServiceRecord.objects.get(pk=held[key].pk)
        assert (record.customer_name, record.customer_contact) == (ERASED_NAME, "")
    response = SurveyResponse.objects.get(service_record=held["rated"])
    assert response.answers() == {"U6": 1, "U7": 2}
    complaint = Complaint.objects.get(pk=held["complaint"].pk)
    assert (complaint.name, complaint.contact) == (ERASED_NAME, "")
    assert complaint.text == "Pelayanan lambat sekali."
    assert Case.objects.get(pk=held["case"].pk).survey_response == response
    # Others, and the same person's record in another unit, are untouched.
    assert ServiceRecord.objects.get(pk=held["other"].pk).customer_name == "Budi Santoso"
    assert ServiceRecord.objects.get(pk=held["foreign"].pk).customer_name == "Siti Aminah"
    assert find_personal_data(unit, PersonQuery(name="Siti Aminah"))["surveys.privacy"] == []


def test_erasure_log_holds_no_erased_data(unit, held, people):
    erase_personal_data(unit, PersonQuery(contact=SITI["contact"]), actor=people["coordinator"])
    log = ErasureLog.objects.get()
    assert log.kind == ErasureKind.REQUEST
    assert log.actor == people["coordinator"]
    assert log.matched_by == "contact"
    stored = json.dumps(
        {f.attname: str(getattr(log, f.attname)) for f in ErasureLog._meta.concrete_fields}
    )
    assert "Siti" not in stored
    assert "0812" not in stored
    with pytest.raises(PermissionError):
        log.save()
    with pytest.raises(PermissionError):
        log.delete()


def test_erase_command_needs_yes_and_prints_counts(unit, held, capsys):
    with pytest.raises(CommandError, match="--yes"):
        call_command("erase_personal_data", unit=unit.code, contact=SITI["contact"])
    assert ServiceRecord.objects.get(pk=held["rated"].pk).customer_name == "Siti Aminah"
    assert "surveys.privacy: 1 records would be anonymised" in capsys.readouterr().out

    call_command("erase_personal_data", unit=unit.code, contact=SITI["contact"], yes=True)
    out = capsys.readouterr().out
    assert "surveys.privacy: 1 records anonymised" in out
    assert "complaints.privacy: 1 records anonymised" in out
    assert "2 records anonymised in total" in out
    assert ServiceRecord.objects.get(pk=held["rated"].pk).customer_name == ERASED_NAME
    # The other record with her name but another contact is not hers by this criterion.
    assert ServiceRecord.objects.get(pk=held["second"].pk).customer_name == "SITI AMINAH"


def test_erasure_is_one_transaction(unit, held, monkeypatch):
    def broken(unit, query, *, actor):
        raise RuntimeError("disk full")

    source = PersonalDataSource("broken", find=None, erase=broken, anonymise_before=None)
    monkeypatch.setitem(personal_data_sources._parts, "broken", (99, source))
    with pytest.raises(RuntimeError):
        erase_personal_data(unit, PersonQuery(name="Siti Aminah"), actor=None)
    assert ServiceRecord.objects.get(pk=held["rated"].pk).customer_name == "Siti Aminah"
    assert not ErasureLog.objects.exists()


def test_erase_command_rejects_unknown_unit_and_missing_person(db):
    with pytest.raises(CommandError, match="No unit"):
        call_command("erase_personal_data", unit="nope", contact="x", yes=True)
    with pytest.raises(CommandError):
        call_command("erase_personal_data", unit="nope", yes=True)


def test_retention_cutoff_follows_the_unit_setting(unit):
    unit.personal_data_retention_years = 2
    assert retention_cutoff(unit, NOW).date() == datetime.date(2024, 11, 20)
    leap = datetime.datetime(2028, 2, 29, 5, 0, tzinfo=datetime.UTC)
    assert retention_cutoff(unit, leap).date() == datetime.date(2026, 2, 28)


def test_retention_touches_only_old_records_and_only_once(unit, service_type, people, held):
    officer = people["officer"]
    unit.personal_data_retention_years = 1
    unit.save()
    old = _service(unit, service_type, officer, "Rina", "0811", 400, {"U7": 1})
    old_complaint = _complaint(unit, "Rina", "0811", 500, "ADU-0002")
    anonymous_old = _service(unit, service_type, officer, "", "", 800)
    with time_machine.travel(NOW, tick=False):
        log = apply_retention(unit)
        assert log.kind == ErasureKind.RETENTION
        assert log.counts == {"surveys.privacy": 1, "complaints.privacy": 1}
        assert apply_retention(unit) is None
    assert ErasureLog.objects.count() == 1
    old.refresh_from_db()
    assert (old.customer_name, old.customer_contact) == (ERASED_NAME, "")
    assert old.response.answers() == {"U7": 1}
    old_complaint.refresh_from_db()
    assert (old_complaint.name, old_complaint.contact) == (ERASED_NAME, "")
    assert ServiceRecord.objects.get(pk=anonymous_old.pk).customer_name == ""
    for key in ("rated", "second", "other"):
        assert ServiceRecord.objects.get(pk=held[key].pk).customer_name != ERASED_NAME
    assert Complaint.objects.get(pk=held["complaint"].pk).name == "Siti Aminah"
    # Another unit keeps its own setting (5 years by default): its 30-day-old record stays.
    assert ServiceRecord.objects.get(pk=held["foreign"].pk).customer_name == "Siti Aminah"


def test_apply_retention_command_is_idempotent(unit, service_type, people, capsys):
    _service(unit, service_type, people["officer"], "Rina", "0811", 6 * 366)
    with time_machine.travel(NOW, tick=False):
        call_command("apply_retention")
        first = capsys.readouterr().out
        call_command("apply_retention")
        second = capsys.readouterr().out
    assert f"{unit.code}: 1 records older than 5 years anonymised" in first
    assert f"{unit.code}: 0 records older than 5 years anonymised" in second
    assert second.strip().endswith("0 records anonymised")


def test_export_after_erasure_holds_nothing_identifying(unit, held):
    erase_personal_data(unit, PersonQuery(contact=SITI["contact"]), actor=None)
    document = export_personal_data(unit, PersonQuery(contact=SITI["contact"]))
    assert document["total"] == 0


@pytest.fixture
def attachment_model(monkeypatch):
    """A throwaway attachment table: the complaints app's own attachment model (if it has one)
    is found by field type, so any model with a FileField and a key to Complaint will do."""
    from django.db import connection, models
    from django.test.utils import isolate_apps

    import complaints.privacy

    with isolate_apps("complaints"):

        class TestAttachment(models.Model):
            complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+")
            file = models.FileField(upload_to="complaints/")

            class Meta:
                app_label = "complaints"

            def __str__(self) -> str:
                return self.file.name

    with connection.schema_editor() as editor:
        editor.create_model(TestAttachment)
    found = complaints.privacy.file_fields()
    monkeypatch.setattr(
        complaints.privacy, "file_fields", lambda: [*found, (TestAttachment, "complaint", ["file"])]
    )
    yield TestAttachment
    with connection.schema_editor() as editor:
        editor.delete_model(TestAttachment)


@pytest.mark.django_db(transaction=True)
def test_erasure_deletes_the_files_a_complainant_sent(unit, attachment_model, settings):
    from django.core.files.base import ContentFile

    complaint = _complaint(unit, *SITI.values(), 20, "ADU-0003")
    kept = _complaint(unit, "Budi", "0813", 20, "ADU-0004")
    mine = attachment_model(complaint=complaint)
    mine.file.save("ktp.jpg", ContentFile(b"\xff\xd8 photo of an ID card"))
    theirs = attachment_model(complaint=kept)
    theirs.file.save("foto.jpg", ContentFile(b"\xff\xd8 another photo"))
    path = settings.MEDIA_ROOT / mine.file.name

    found = find_personal_data(unit, PersonQuery(contact=SITI["contact"]))
    assert found["complaints.privacy"][0]["data"]["files"] == [
        {"field": "testattachment.file", "file": mine.file.name}
    ]
    assert path.exists()
    erase_personal_data(unit, PersonQuery(contact=SITI["contact"]), actor=None)
    assert not path.exists()
    assert attachment_model.objects.get(pk=mine.pk).file.name == ""
    assert (settings.MEDIA_ROOT / theirs.file.name).exists()
    assert attachment_model.objects.get(pk=theirs.pk).file.name == theirs.file.name
