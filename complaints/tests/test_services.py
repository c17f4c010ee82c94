import datetime
import zoneinfo

import pytest
import time_machine

from cases.models import Case, CaseState, ImprovementItem
from complaints import services
from complaints.models import (
    Complaint,
    ComplaintAttachment,
    ComplaintEvent,
    ComplaintStatus,
    TriageOutcome,
)
from complaints.tests.conftest import PDF, media_files, upload
from pulih.lib.errors import ActionForbidden, InvalidInput, StateConflict
from units.models import ComplaintChannel, DeadlineRule

JKT = zoneinfo.ZoneInfo("Asia/Jakarta")


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=JKT)


@time_machine.travel(at(2026, 3, 13, 10, 0), tick=False)  # a Friday
def test_back_office_records_a_complaint_with_its_deadlines(unit, people, service_type):
    complaint = services.record_complaint(
        unit,
        actor=people["back_office"],
        channel="phone",
        kind="suggestion",
        received_at=at(2026, 3, 13, 9, 0),
        name="Sri",
        contact="0812000111",
        service_type="informasi",
        officer=people["officer"],
        text="  Mohon jam layanan diperpanjang.  ",
    )
    assert complaint.channel.code == "phone"
    assert complaint.kind == "suggestion"
    assert complaint.text == "Mohon jam layanan diperpanjang."
    assert complaint.service_type == service_type
    assert complaint.officer == people["officer"]
    assert complaint.created_by == people["back_office"]
    # 1 working day: Friday -> Monday; 14 calendar days -> Friday 27 March, end of day.
    assert complaint.ack_due_at == at(2026, 3, 16, 23, 59, 59)
    assert complaint.answer_due_at == at(2026, 3, 27, 23, 59, 59)
    event = complaint.events.get()
    assert (event.action, event.actor, event.to_status) == (
        "received",
        people["back_office"],
        "received",
    )


@time_machine.travel(at(2026, 3, 13, 10, 0), tick=False)
def test_the_units_own_rule_sets_the_deadline(unit, people):
    DeadlineRule.objects.filter(unit=unit, code="complaint_answer").update(
        length=5, day_kind="working"
    )
    complaint = services.record_complaint(
        unit, actor=people["coordinator"], channel="email", text="Tolong dibalas."
    )
    # Five working days from Friday 13 March 2026: 16, 17, then Nyepi (18 joint leave, 19)
    # and Lebaran (20, 23, 24 joint leave), then 25, 26, 27.
    assert complaint.answer_due_at == at(2026, 3, 27, 23, 59, 59)


@pytest.mark.parametrize("role", ["officer", "supervisor", "head", "person_in_charge", "admin"])
def test_only_back_office_and_coordinator_record(unit, people, role):
    with pytest.raises(ActionForbidden):
        services.record_complaint(unit, actor=people[role], channel="phone", text="x")
    assert not Complaint.objects.exists()


def test_outsider_cannot_record_in_our_unit(unit, outsider):
    with pytest.raises(ActionForbidden):
        services.record_complaint(unit, actor=outsider, channel="phone", text="x")


def test_bad_fields_are_named(unit, people, other_unit):
    foreign = ComplaintChannel.objects.create(unit=other_unit, code="phone", name="Telepon")
    with pytest.raises(InvalidInput) as exc:
        services.record_complaint(
            unit,
            actor=people["back_office"],
            channel=foreign,
            text="   ",
            kind="rant",
            service_type="nope",
            officer=people["supervisor"],
            received_at=datetime.datetime.now(tz=JKT) + datetime.timedelta(days=2),
        )
    assert set(exc.value.fields) == {
        "channel",
        "text",
        "kind",
        "service_type",
        "officer",
        "received_at",
    }
    assert not Complaint.objects.exists()


def test_a_received_time_in_the_distant_past_is_a_mistake(unit, people):
    with pytest.raises(InvalidInput) as exc:
        services.record_complaint(
            unit,
            actor=people["back_office"],
            channel="phone",
            text="x",
            received_at=datetime.datetime(1, 1, 2, tzinfo=datetime.UTC),
        )
    assert "received_at" in exc.value.fields


def test_anonymous_keeps_no_name_or_contact(unit, make_complaint):
    complaint = make_complaint(name="Budi", contact="budi@contoh.id", anonymous=True)
    assert (complaint.name, complaint.contact, complaint.anonymous) == ("", "", True)


def test_public_complaints_come_through_the_web_channel(unit, make_complaint):
    complaint = make_complaint()
    assert complaint.channel.code == "web"
    assert complaint.created_by is None
    assert complaint.status == ComplaintStatus.RECEIVED
    assert complaint.events.get().data["public"] is True


def test_a_unit_without_web_channel_takes_no_public_complaints(unit):
    ComplaintChannel.objects.filter(unit=unit, code="web").update(active=False)
    with pytest.raises(InvalidInput) as exc:
        services.submit_public_complaint(unit, text="Halo")
    assert "unit" in exc.value.fields


def test_attachments_are_stored_with_their_sniffed_type(unit, make_complaint, settings):
    complaint = make_complaint(attachments=[upload("scan.PDF", PDF, "image/png")])
    stored = complaint.attachments.get()
    assert stored.content_type == "application/pdf"
    assert stored.original_name == "scan.PDF"
    assert stored.file.name.endswith(".pdf")
    assert "scan" not in stored.file.name
    assert len(media_files(settings)) == 1


def test_a_failure_after_files_were_written_leaves_nothing(unit, settings, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(ComplaintEvent.objects, "create", boom)
    with pytest.raises(RuntimeError):
        services.submit_public_complaint(
            unit,
            text="Dengan dua lampiran",
            attachments=[upload("a.pdf", PDF), upload("b.pdf", PDF)],
        )
    assert not Complaint.objects.exists()
    assert not ComplaintAttachment.objects.exists()
    assert media_files(settings) == []


def test_acknowledge_once(complaint, people):
    done = services.acknowledge_complaint(complaint, actor=people["back_office"])
    assert done.status == ComplaintStatus.ACKNOWLEDGED
    assert done.acknowledged_at is not None
    with pytest.raises(StateConflict):
        services.acknowledge_complaint(done, actor=people["coordinator"])
    with pytest.raises(ActionForbidden):
        services.acknowledge_complaint(complaint, actor=people["supervisor"])


def test_triage_about_an_officer_opens_a_case(complaint, people):
    done = services.triage_complaint(
        complaint,
        actor=people["coordinator"],
        outcome=TriageOutcome.CASE,
        officer=people["officer"],
        note="Petugas tidak sopan.",
    )
    case = Case.objects.get()
    assert (case.complaint, case.officer, case.state) == (done, people["officer"], CaseState.REVIEW)
    assert case.source_kind == "complaint"
    assert case.opened_by == people["coordinator"]
    assert done.status == ComplaintStatus.IN_PROGRESS
    assert done.officer == people["officer"]
    assert done.acknowledged_at is not None
    event = done.events.last()
    assert event.action == "triaged"
    assert event.data == {
        "outcome": "case",
        "note": "Petugas tidak sopan.",
        "officer": "oscar",
        "case": case.pk,
    }


def test_a_case_needs_an_officer_of_the_unit(complaint, people, outsider):
    for officer in (None, people["head"], outsider):
        with pytest.raises(InvalidInput) as exc:
            services.triage_complaint(
                complaint, actor=people["coordinator"], outcome="case", officer=officer
            )
        assert "officer" in exc.value.fields
    assert not Case.objects.exists()
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RECEIVED


def test_triage_about_facilities_creates_an_improvement_item(complaint, people, unit):
    services.triage_complaint(
        complaint, actor=people["coordinator"], outcome="improvement", note="Tambah kursi."
    )
    item = ImprovementItem.objects.get()
    assert (item.unit, item.complaint, item.description) == (unit, complaint, "Tambah kursi.")
    assert not Case.objects.exists()


def test_an_improvement_needs_a_description(complaint, people):
    with pytest.raises(InvalidInput) as exc:
        services.triage_complaint(complaint, actor=people["coordinator"], outcome="improvement")
    assert "note" in exc.value.fields


def test_only_the_coordinator_triages_and_only_once(complaint, people):
    for role in ("back_office", "supervisor", "officer", "person_in_charge", "head"):
        with pytest.raises(ActionForbidden):
            services.triage_complaint(complaint, actor=people[role], outcome="direct")
    services.triage_complaint(complaint, actor=people["coordinator"], outcome="direct")
    with pytest.raises(StateConflict):
        services.triage_complaint(complaint, actor=people["coordinator"], outcome="direct")
    assert not Case.objects.exists() and not ImprovementItem.objects.exists()


def test_answer_needs_triage_first(complaint, people):
    with pytest.raises(StateConflict):
        services.answer_complaint(complaint, actor=people["coordinator"], answer="Sudah.")


def test_answer_is_emailed_on_commit_when_the_contact_is_an_email(
    complaint, people, mailoutbox, django_capture_on_commit_callbacks
):
    services.triage_complaint(complaint, actor=people["coordinator"], outcome="direct")
    with django_capture_on_commit_callbacks(execute=True):
        done = services.answer_complaint(
            complaint, actor=people["coordinator"], answer="Permohonan Anda sudah selesai."
        )
    assert done.status == ComplaintStatus.ANSWERED
    assert done.answered_at is not None
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["rahmat@contoh.id"]
    assert complaint.tracking_code in mail.subject
    assert "Jawaban" in mail.subject
    assert "Permohonan Anda sudah selesai." in mail.body
    assert f"/lacak/{complaint.tracking_code}/" in mail.body
    assert done.events.last().data == {"emailed": True}


def test_no_email_for_a_phone_contact_and_no_second_answer(
    make_complaint, people, mailoutbox, django_capture_on_commit_callbacks
):
    complaint = make_complaint(contact="0812000111")
    services.triage_complaint(complaint, actor=people["coordinator"], outcome="direct")
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_complaint(complaint, actor=people["coordinator"], answer="Sudah.")
    assert mailoutbox == []
    with pytest.raises(StateConflict):
        services.answer_complaint(complaint, actor=people["coordinator"], answer="Lagi.")
    with pytest.raises(InvalidInput):
        services.answer_complaint(make_complaint(), actor=people["coordinator"], answer=" ")


def test_only_the_coordinator_answers(complaint, people):
    services.triage_complaint(complaint, actor=people["coordinator"], outcome="direct")
    for role in ("back_office", "supervisor", "officer"):
        with pytest.raises(ActionForbidden):
            services.answer_complaint(complaint, actor=people[role], answer="x")


def test_timeline_events_are_append_only(complaint):
    event = complaint.events.get()
    event.data = {"changed": True}
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


def test_overdue_follows_the_deadlines(unit, people):
    with time_machine.travel(at(2026, 3, 13, 10, 0), tick=False):
        complaint = services.submit_public_complaint(unit, text="Tolong.")
    with time_machine.travel(at(2026, 3, 16, 20, 0), tick=False):  # Monday: ack due tonight
        assert not complaint.is_overdue
        assert not Complaint.objects.overdue().exists()
    with time_machine.travel(at(2026, 3, 17, 8, 0), tick=False):
        assert complaint.ack_overdue and complaint.is_overdue
        assert list(Complaint.objects.overdue()) == [complaint]
        complaint = services.acknowledge_complaint(complaint, actor=people["back_office"])
        assert not complaint.is_overdue
    with time_machine.travel(at(2026, 3, 28, 0, 1), tick=False):
        assert complaint.answer_overdue
        complaint = services.triage_complaint(
            complaint, actor=people["coordinator"], outcome="direct"
        )
        complaint = services.answer_complaint(complaint, actor=people["coordinator"], answer="Ok")
        assert not complaint.is_overdue
        assert not Complaint.objects.overdue().exists()
