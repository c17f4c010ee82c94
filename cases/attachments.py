"""Uploaded evidence (PDF, JPEG, PNG): checked by content, not by name, and size-limited."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from pulih.lib import filetypes
from pulih.lib.errors import InvalidInput
from units.models import User

from .models import Attachment, Case, Hearing

MAX_BYTES = 5 * 1024 * 1024
MAX_FILES = 5


def sniff(head: bytes) -> str | None:
    """The content type the file's first bytes prove, or None."""
    kind = filetypes.detect(head)
    return kind[0] if kind else None


def check_upload(upload) -> str:
    """The content type of an accepted upload; InvalidInput otherwise."""
    name = getattr(upload, "name", "") or "file"
    if upload.size > MAX_BYTES:
        raise InvalidInput(
            _("%(name)s is larger than 5 MB.") % {"name": name},
            fields={"attachments": [_("%(name)s is larger than 5 MB.") % {"name": name}]},
        )
    data = filetypes.read_all(upload)
    kind = sniff(data[:16])
    if kind is None:
        message = _("%(name)s is not a PDF, JPEG or PNG file.") % {"name": name}
        raise InvalidInput(message, fields={"attachments": [message]})
    if filetypes.is_polyglot(data):
        message = _(
            "“%(name)s” is also readable as another kind of file (a web page or program)."
        ) % {"name": name}
        raise InvalidInput(message, fields={"attachments": [message]})
    return kind


def store_attachments(
    case: Case,
    uploads: Iterable,
    *,
    actor: User,
    purpose: str,
    hearing: Hearing | None = None,
) -> list[Attachment]:
    uploads = [u for u in uploads or () if u]
    if len(uploads) > MAX_FILES:
        message = _("Attach at most %(n)s files.") % {"n": MAX_FILES}
        raise InvalidInput(message, fields={"attachments": [message]})
    kinds = [check_upload(u) for u in uploads]
    stored = []
    for upload, kind in zip(uploads, kinds, strict=True):
        attachment = Attachment(
            case=case,
            hearing=hearing,
            purpose=purpose,
            original_name=(upload.name or "file")[-200:],
            content_type=kind,
            size=upload.size,
            uploaded_by=actor,
            uploaded_at=timezone.now(),
        )
        attachment.file.save(attachment.extension, upload, save=False)
        attachment.save()
        stored.append(attachment)
    return stored
