"""The complaint register's business rules: record, submit, acknowledge, triage, answer.

Triage is the cases side's command (cases.intake), which uses `lock_for_triage` and
`record_triage` here for the complaint's own part.

Each function runs in one transaction and appends its event to the complaint's timeline in that
same transaction. Attachments are validated before anything is written; if the transaction
fails, the files already written are removed again, so nothing is ever half-saved.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.services import queue_mail
from pulih.lib.errors import ActionForbidden, InvalidInput, StateConflict
from units.access import has_role, members_with_role
from units.deadlines import due_at
from units.models import ComplaintChannel, Role, ServiceType, Unit, User

from . import messages as msg
from .access import ACKNOWLEDGE_ROLES, HANDLE_ROLES, RECORD_ROLES
from .models import (
    Complaint,
    ComplaintAttachment,
    ComplaintEvent,
    ComplaintKind,
    ComplaintStatus,
    EventAction,
    TriageOutcome,
)
from .tracking import new_tracking_code
from .uploads import CheckedFile, check_attachments

logger = logging.getLogger(__name__)

MAX_TEXT = 5000
MAX_NAME = 200
WEB_CHANNEL = "web"
EARLIEST_YEAR = 2000  # older dates are typing mistakes, not complaints


# --- reading helpers -------------------------------------------------------------------------


def web_channel(unit: Unit) -> ComplaintChannel | None:
    """The unit's web channel; without it (deactivated) the public form is closed."""
    return ComplaintChannel.objects.filter(unit=unit, code=WEB_CHANNEL, active=True).first()


def officers_of(unit: Unit):
    return members_with_role(unit, [Role.OFFICER]).order_by("full_name", "username")


def is_email(contact: str) -> bool:
    try:
        validate_email(contact.strip())
    except ValidationError:
        return False
    return True


# --- writing -------------------------------------------------------------------------------


def _resolve_channel(unit: Unit, channel: ComplaintChannel | str | None, errors: dict):
    if isinstance(channel, ComplaintChannel):
        if channel.unit_id == unit.pk and channel.active:
            return channel
    elif channel:
        found = ComplaintChannel.objects.filter(unit=unit, code=channel, active=True).first()
        if found is not None:
            return found
    errors["channel"] = [_("Choose one of the unit's channels.")]
    return None


def _resolve_service(unit: Unit, service: ServiceType | str | None, errors: dict):
    if service is None or service == "":
        return None
    if isinstance(service, ServiceType):
        if service.unit_id == unit.pk:
            return service
    else:
        found = ServiceType.objects.filter(unit=unit, code=service, active=True).first()
        if found is not None:
            return found
    errors["service_type"] = [str(msg.UNKNOWN_SERVICE)]
    return None


def _check_officer(unit: Unit, officer: User | None, errors: dict, field: str = "officer"):
    if officer is None:
        return None
    if not has_role(officer, unit, Role.OFFICER):
        errors[field] = [_("Choose an officer of this unit.")]
        return None
    return officer


def _check_person(
    *, text: str, kind: str, name: str, contact: str, errors: dict
) -> tuple[str, str, str]:
    text = (text or "").strip()
    if not text:
        errors["text"] = [_("Write your complaint, suggestion or input.")]
    elif len(text) > MAX_TEXT:
        errors["text"] = [_("Keep the text under %(n)d characters.") % {"n": MAX_TEXT}]
    if kind not in ComplaintKind.values:
        errors["kind"] = [_("Choose a kind.")]
    name, contact = (name or "").strip(), (contact or "").strip()
    if len(name) > MAX_NAME:
        errors["name"] = [_("Keep the name under %(n)d characters.") % {"n": MAX_NAME}]
    if len(contact) > MAX_NAME:
        errors["contact"] = [_("Keep the contact under %(n)d characters.") % {"n": MAX_NAME}]
    return text, name, contact


def _checked_content(
    *,
    text: str,
    kind: str,
    name: str,
    contact: str,
    attachments: Sequence[UploadedFile],
    errors: dict,
) -> tuple[str, str, str, list]:
    """The complaint's text, person and files checked; every error found so far (`errors`)
    raised together, whichever channel the complaint came through."""
    text, name, contact = _check_person(
        text=text, kind=kind, name=name, contact=contact, errors=errors
    )
    files: list = []
    try:
        files = check_attachments(list(attachments))
    except InvalidInput as exc:
        errors.update(exc.fields)
    if errors:
        raise InvalidInput(_("Please correct the marked fields."), fields=errors)
    return text, name, contact, files


def _unique_tracking_code() -> str:
    for _attempt in range(5):
        code = new_tracking_code()
        if not Complaint.objects.filter(tracking_code=code).exists():
            return code
    raise RuntimeError("Could not draw an unused tracking code.")  # 2^50 codes: never happens


def _create(
    unit: Unit,
    *,
    actor: User | None,
    channel: ComplaintChannel,
    kind: str,
    received_at: datetime.datetime,
    name: str,
    contact: str,
    anonymous: bool,
    service_type: ServiceType | None,
    officer: User | None,
    text: str,
    files: list[CheckedFile],
) -> Complaint:
    written: list[str] = []
    try:
        with transaction.atomic():
            complaint = Complaint.objects.create(
                unit=unit,
                channel=channel,
                kind=kind,
                received_at=received_at,
                # Anonymous means anonymous: no name and no contact are kept.
                name="" if anonymous else name,
                contact="" if anonymous else contact,
                anonymous=anonymous,
                service_type=service_type,
                officer=officer,
                text=text,
                tracking_code=_unique_tracking_code(),
                ack_due_at=due_at(unit, "complaint_ack", received_at),
                answer_due_at=due_at(unit, "complaint_answer", received_at),
                created_by=actor,
            )
            for checked in files:
                attachment = ComplaintAttachment(
                    complaint=complaint,
                    original_name=checked.original_name,
                    content_type=checked.content_type,
                    size=checked.size,
                )
                checked.upload.seek(0)
                attachment.file.save(f"x.{checked.extension}", checked.upload, save=False)
                written.append(attachment.file.name)
                attachment.save()
            ComplaintEvent.objects.create(
                complaint=complaint,
                action=EventAction.RECEIVED,
                actor=actor,
                at=timezone.now(),
                from_status="",
                to_status=ComplaintStatus.RECEIVED,
                data={
                    "channel": channel.code,
                    "attachments": len(files),
                    "public": actor is None,
                },
            )
    except BaseException:
        for stored in written:
            default_storage.delete(stored)
        raise
    if complaint.contact and is_email(complaint.contact):
        send_receipt_email(complaint.pk)  # an outbox row, delivered once the complaint commits
    return complaint


def record_complaint(
    unit: Unit,
    *,
    actor: User,
    channel: ComplaintChannel | str | None,
    text: str,
    kind: str = ComplaintKind.COMPLAINT,
    received_at: datetime.datetime | None = None,
    name: str = "",
    contact: str = "",
    anonymous: bool = False,
    service_type: ServiceType | str | None = None,
    officer: User | None = None,
    attachments: Sequence[UploadedFile] = (),
) -> Complaint:
    """Staff record a complaint that reached the unit through any of its channels."""
    if not has_role(actor, unit, *RECORD_ROLES):
        raise ActionForbidden(_("Only the back office and the coordinator record complaints."))
    errors: dict[str, list[str]] = {}
    now = timezone.now()
    received_at = received_at or now
    if received_at > now + datetime.timedelta(minutes=5):
        errors["received_at"] = [_("The time received cannot be in the future.")]
    elif received_at.year < EARLIEST_YEAR:
        errors["received_at"] = [_("Check the time received: it is too far in the past.")]
    channel_obj = _resolve_channel(unit, channel, errors)
    service = _resolve_service(unit, service_type, errors)
    officer = _check_officer(unit, officer, errors)
    text, name, contact, files = _checked_content(
        text=text, kind=kind, name=name, contact=contact, attachments=attachments, errors=errors
    )
    return _create(
        unit,
        actor=actor,
        channel=channel_obj,
        kind=kind,
        received_at=received_at,
        name=name,
        contact=contact,
        anonymous=anonymous,
        service_type=service,
        officer=officer,
        text=text,
        files=files,
    )


def submit_public_complaint(
    unit: Unit,
    *,
    text: str,
    kind: str = ComplaintKind.COMPLAINT,
    name: str = "",
    contact: str = "",
    anonymous: bool = False,
    service_type: ServiceType | str | None = None,
    attachments: Sequence[UploadedFile] = (),
) -> Complaint:
    """A member of the public files a complaint on the unit's web page (channel: web)."""
    errors: dict[str, list[str]] = {}
    channel = web_channel(unit)
    if channel is None:
        raise InvalidInput(
            _("This unit does not take complaints through its web page."),
            fields={"unit": [_("This unit does not take complaints through its web page.")]},
        )
    service = _resolve_service(unit, service_type, errors)
    text, name, contact, files = _checked_content(
        text=text, kind=kind, name=name, contact=contact, attachments=attachments, errors=errors
    )
    return _create(
        unit,
        actor=None,
        channel=channel,
        kind=kind,
        received_at=timezone.now(),
        name=name,
        contact=contact,
        anonymous=anonymous,
        service_type=service,
        officer=None,
        text=text,
        files=files,
    )


def _lock(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().select_related("unit").get(pk=complaint.pk)


def _event(complaint: Complaint, action: str, actor: User, old: str, data: dict) -> None:
    ComplaintEvent.objects.create(
        complaint=complaint,
        action=action,
        actor=actor,
        at=timezone.now(),
        from_status=old,
        to_status=complaint.status,
        data=data,
    )


@transaction.atomic
def acknowledge_complaint(complaint: Complaint, *, actor: User, note: str = "") -> Complaint:
    """Confirm to the complainant that the complaint was received and is being handled."""
    if not has_role(actor, complaint.unit, *ACKNOWLEDGE_ROLES):
        raise ActionForbidden(_("Only the back office and the coordinator acknowledge complaints."))
    complaint = _lock(complaint)
    if complaint.status != ComplaintStatus.RECEIVED:
        raise StateConflict(_("This complaint has already been acknowledged."))
    old = complaint.status
    complaint.status = ComplaintStatus.ACKNOWLEDGED
    complaint.acknowledged_at = timezone.now()
    complaint.save(update_fields=["status", "acknowledged_at"])
    _event(complaint, EventAction.ACKNOWLEDGED, actor, old, {"note": note.strip()})
    return complaint


def lock_for_triage(
    complaint: Complaint,
    *,
    actor: User,
    outcome: str,
    officer: User | None = None,
    note: str = "",
) -> Complaint:
    """Check a triage (role, fields, state) and lock the complaint for it; the caller's
    transaction then records the follow-up and `record_triage`.

    The triage itself is the cases side's command (`cases.intake.triage_complaint`): a case
    about an officer, an improvement item, or a direct answer. This domain keeps the
    complaint's own rules and timeline and never imports `cases`.
    """
    if not has_role(actor, complaint.unit, *HANDLE_ROLES):
        raise ActionForbidden(_("Only the coordinator triages complaints."))
    errors: dict[str, list[str]] = {}
    note = (note or "").strip()
    if outcome not in TriageOutcome.values:
        errors["outcome"] = [_("Choose an outcome.")]
    if outcome == TriageOutcome.CASE:
        if officer is None:
            errors["officer"] = [_("Name the officer the complaint is about.")]
        else:
            _check_officer(complaint.unit, officer, errors)
    if outcome == TriageOutcome.IMPROVEMENT and not note:
        errors["note"] = [_("Describe what should be improved.")]
    if errors:
        raise InvalidInput(_("Please correct the marked fields."), fields=errors)
    locked = _lock(complaint)
    if locked.status not in (ComplaintStatus.RECEIVED, ComplaintStatus.ACKNOWLEDGED):
        raise StateConflict(_("This complaint has already been triaged."))
    return locked


def record_triage(
    locked: Complaint,
    *,
    actor: User,
    outcome: str,
    officer: User | None = None,
    note: str = "",
    follow_up: dict | None = None,
) -> Complaint:
    """Write the triage checked by `lock_for_triage` on the locked complaint, with its event;
    `follow_up` names what it led to (the case or improvement item), for the timeline."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_triage runs in the transaction of lock_for_triage")
    now = timezone.now()
    old = locked.status
    note = (note or "").strip()
    data: dict = {"outcome": outcome, "note": note, **(follow_up or {})}
    if outcome == TriageOutcome.CASE:
        locked.officer = officer
    locked.status = ComplaintStatus.IN_PROGRESS
    locked.acknowledged_at = locked.acknowledged_at or now
    locked.triaged_at = now
    locked.triage_outcome = outcome
    locked.triage_note = note
    locked.save(
        update_fields=[
            "status",
            "acknowledged_at",
            "triaged_at",
            "triage_outcome",
            "triage_note",
            "officer",
        ]
    )
    _event(locked, EventAction.TRIAGED, actor, old, data)
    return locked


@transaction.atomic
def answer_complaint(complaint: Complaint, *, actor: User, answer: str) -> Complaint:
    """The unit's answer, shown on the tracking page and emailed when the contact is an email."""
    if not has_role(actor, complaint.unit, *HANDLE_ROLES):
        raise ActionForbidden(_("Only the coordinator answers complaints."))
    answer = (answer or "").strip()
    if not answer:
        raise InvalidInput(
            _("Please correct the marked fields."), fields={"answer": [_("Write the answer.")]}
        )
    if len(answer) > MAX_TEXT:
        raise InvalidInput(
            _("Please correct the marked fields."),
            fields={"answer": [_("Keep the text under %(n)d characters.") % {"n": MAX_TEXT}]},
        )
    complaint = _lock(complaint)
    if complaint.status == ComplaintStatus.ANSWERED:
        raise StateConflict(_("This complaint has already been answered."))
    if complaint.status != ComplaintStatus.IN_PROGRESS:
        raise StateConflict(_("Triage the complaint before answering it."))
    old = complaint.status
    complaint.status = ComplaintStatus.ANSWERED
    complaint.answer = answer
    complaint.answered_at = timezone.now()
    complaint.save(update_fields=["status", "answer", "answered_at"])
    emailed = bool(complaint.contact) and is_email(complaint.contact)
    _event(complaint, EventAction.ANSWERED, actor, old, {"emailed": emailed})
    if emailed:
        send_answer_email(complaint.pk)  # an outbox row, committed with the answer
    return complaint


def tracking_url(complaint: Complaint) -> str:
    return settings.SITE_URL + reverse("complaints:track", args=[complaint.tracking_code])


def send_receipt_email(complaint_id: int) -> None:
    """Acknowledge a complaint to the e-mail it gave, with its tracking code (in Indonesian,
    like the answer), through the outbox like the answer."""
    complaint = Complaint.objects.select_related("unit").get(pk=complaint_id)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your complaint is received: %(code)s") % {"code": complaint.tracking_code}
        body = render_to_string(
            "complaints/email/receipt.txt",
            {"complaint": complaint, "unit": complaint.unit, "url": tracking_url(complaint)},
        )
    queue_mail("complaint.receipt", [complaint.contact.strip()], subject, body, complaint=complaint)


def send_answer_email(complaint_id: int) -> None:
    """Queue the unit's answer to the complainant (in Indonesian: we do not know their
    language) in the outbox; it is delivered after the transaction commits, retried while the
    mail server is down, and shown on the complaint's timeline with its state."""
    complaint = Complaint.objects.select_related("unit").get(pk=complaint_id)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Answer to your complaint %(code)s") % {"code": complaint.tracking_code}
        body = render_to_string(
            "complaints/email/answer.txt",
            {"complaint": complaint, "unit": complaint.unit, "url": tracking_url(complaint)},
        )
    queue_mail("complaint.answer", [complaint.contact.strip()], subject, body, complaint=complaint)
