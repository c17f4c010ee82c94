"""Issuing a case's documents: rendered once, stored, never rendered again.

`issue_document` renders a letter from its snapshot (cases.letters), seals it with the unit's
certificate when one is configured (PAdES, documents.signing), and stores the bytes on the
default storage with their SHA-256, the snapshot and an unguessable verification code. Every
download afterwards serves those bytes (`document_bytes`).

Decrees and apology letters issued before documents were stored are frozen at their first
download (`decree_document`, `apology_document`): see README "Issued documents".
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from documents.signing import SigningError, seal_pdf
from units.letters import take_letter_number
from units.models import Unit, User

from . import letters
from .models import Case, Compensation, Decree, DecreeLegalBasis, DocumentKind, Hearing
from .models import IssuedDocument as Document
from .notify import site_url

log = logging.getLogger(__name__)


def _official(function):
    """Build the snapshot and render in the official language, whatever the reader's."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with translation.override(letters.OFFICIAL_LANGUAGE):
            return function(*args, **kwargs)

    return wrapper


def verification_url(code: str) -> str:
    return site_url(reverse("cases:verify", args=[code]))


def _sealed(unit: Unit, pdf: bytes, reason: str) -> tuple[bytes, bool]:
    if not unit.signing_certificate:
        return pdf, False
    try:
        with unit.signing_certificate.open("rb") as handle:
            pkcs12 = handle.read()
        return seal_pdf(pdf, pkcs12, unit.signing_passphrase, reason=reason), True
    except (OSError, SigningError):
        # A broken certificate must not stop a decree: it is issued unsealed, and said so
        # on the verification page; the log tells the administrator.
        log.exception("unit %s: the signing certificate could not seal a document", unit.code)
        return pdf, False


@transaction.atomic
def issue_document(
    case: Case,
    snapshot: dict,
    *,
    actor: User | None,
    at: datetime.datetime,
    hearing: Hearing | None = None,
) -> Document:
    """Render, seal and store the letter of `snapshot` as an issued document of `case`."""
    document = Document(
        unit=case.unit,
        case=case,
        hearing=hearing,
        kind=snapshot["kind"],
        number=snapshot["number"],
        date=datetime.date.fromisoformat(snapshot["date"]),
        snapshot=snapshot,
        issued_by=actor,
        issued_at=at,
    )
    url = verification_url(document.verification_code)
    pdf = letters.render_letter(snapshot, verification_url=url)
    label = DocumentKind(snapshot["kind"]).label
    pdf, document.signed = _sealed(case.unit, pdf, f"{label} {snapshot['number']}")
    document.sha256 = hashlib.sha256(pdf).hexdigest()
    document.size = len(pdf)
    document.file.save(f"{snapshot['kind']}.pdf", ContentFile(pdf), save=False)
    document.save()
    return document


def document_bytes(document: Document) -> bytes:
    """The stored bytes, checked against the SHA-256 recorded at issue."""
    data = document.read()
    if hashlib.sha256(data).hexdigest() != document.sha256:
        raise RuntimeError(f"issued document {document.pk}: stored bytes do not match SHA-256")
    return data


# --- Each document of the workflow -----------------------------------------------------------


@_official
def issue_decree(decree: Decree, *, actor: User | None) -> Document:
    """Freeze the decree just numbered: the legal basis it quotes, and its PDF."""
    basis = letters.current_legal_basis(decree.unit)
    DecreeLegalBasis.objects.bulk_create(
        [DecreeLegalBasis(decree=decree, legal_basis=b) for b in basis]
    )
    snapshot = letters.issued_decree_snapshot(decree)
    return issue_document(decree.case, snapshot, actor=actor, at=decree.issued_at)


@_official
def issue_summons(hearing: Hearing, *, actor: User) -> Document:
    unit = hearing.case.unit
    at = hearing.summoned_at
    number = take_letter_number(unit, DocumentKind.SUMMONS, unit.local_date(at).year)
    snapshot = letters.summons_snapshot(hearing, number=number)
    return issue_document(hearing.case, snapshot, actor=actor, at=at, hearing=hearing)


@_official
def issue_hearing_record(hearing: Hearing, *, actor: User) -> Document:
    unit = hearing.case.unit
    at = hearing.recorded_at
    year = unit.local_date(at).year
    number = take_letter_number(unit, DocumentKind.HEARING_RECORD, year)
    snapshot = letters.hearing_record_snapshot(hearing, number=number)
    return issue_document(hearing.case, snapshot, actor=actor, at=at, hearing=hearing)


@_official
def issue_apology(compensation: Compensation, *, actor: User | None) -> Document:
    case = compensation.case
    at = compensation.decided_at
    year = case.unit.local_date(at).year
    number = take_letter_number(case.unit, DocumentKind.APOLOGY, year)
    snapshot = letters.apology_snapshot(compensation, number=number)
    return issue_document(case, snapshot, actor=actor, at=at)


def _freeze_late(case: Case, kind: str, issue) -> Document:
    """The stored document of `kind`, or (for one issued before documents were stored) the
    document frozen now, once: concurrent first downloads store one and serve it to both."""
    found = Document.objects.filter(case=case, kind=kind).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return issue()
    except IntegrityError:
        return Document.objects.get(case=case, kind=kind)


@_official
def decree_document(decree: Decree) -> Document:
    def issue() -> Document:
        snapshot = letters.issued_decree_snapshot(decree)
        snapshot["frozen_at_first_download"] = True
        return issue_document(decree.case, snapshot, actor=None, at=timezone.now())

    return _freeze_late(decree.case, DocumentKind.DECREE, issue)


@_official
def apology_document(compensation: Compensation) -> Document:
    def issue() -> Document:
        case = compensation.case
        at = timezone.now()
        year = case.unit.local_date(at).year
        number = take_letter_number(case.unit, DocumentKind.APOLOGY, year)
        snapshot = letters.apology_snapshot(compensation, number=number)
        snapshot["frozen_at_first_download"] = True
        return issue_document(case, snapshot, actor=None, at=at)

    return _freeze_late(compensation.case, DocumentKind.APOLOGY, issue)


@_official
def decree_preview(case: Case, head: User) -> bytes:
    """The SK as `head` would issue it now, marked as a draft; nothing is stored or numbered."""
    return letters.render_letter(letters.draft_decree_snapshot(case, head), draft=True)
