"""The case's letters as Tata Naskah Dinas writes them: the sanction decree (SK), the summons,
the hearing record (Berita Acara Pemeriksaan) and the apology letter to the customer.

Each letter is first written down as a snapshot — plain JSON holding every text it quotes
(letterhead, number, place and date, names, NIPs, positions, violations, sanction, legal
basis, tembusan) — and the PDF is rendered from that snapshot alone. cases.issuing stores the
snapshot beside the PDF bytes when the letter is issued, so an issued letter never depends on
the live catalogues again.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from documents.pdf import render_pdf
from documents.qr import qr_data_uri
from units.access import members_with_role
from units.letters import letterhead
from units.models import LegalBasis, Role, Unit, User

from .models import Case, Compensation, Decree, DocumentKind, Hearing, Proposal
from .notify import tracking_url

OFFICIAL_LANGUAGE = "id"  # decrees and letters are official Indonesian documents

TEMPLATES = {
    DocumentKind.DECREE: "cases/decree_pdf.html",
    DocumentKind.SUMMONS: "cases/summons_pdf.html",
    DocumentKind.HEARING_RECORD: "cases/hearing_record_pdf.html",
    DocumentKind.APOLOGY: "cases/apology_pdf.html",
}


def person(user: User | None, *, position: str = "") -> dict:
    if user is None:
        return {"name": "", "nip": "", "position": position}
    return {
        "name": user.display_name,
        "nip": user.nip,
        "position": user.position or position,
    }


def _base(unit: Unit, kind: str, number: str, date: datetime.date, signer: dict) -> dict:
    return {
        "kind": str(kind),
        "number": number,
        "date": date.isoformat(),
        "place": unit.city,
        "unit": {
            "name": unit.name,
            "service_unit_name": unit.service_unit_name,
            "address": unit.address,
            "city": unit.city,
            "phone": unit.phone,
            "email": unit.email,
        },
        "letterhead": letterhead(unit),
        "signer": signer,
        "copies_to": unit.copies_to,
    }


def _source(case: Case) -> str:
    """What the case is about, without naming the customer."""
    if case.survey_response_id:
        response = case.survey_response
        return _("the satisfaction survey of the service “%(service)s” of %(date)s") % {
            "service": response.service_type.name if response.service_type_id else "-",
            "date": date_format(case.unit.local_date(response.submitted_at)),
        }
    if case.complaint_id:
        return _("the complaint received on %(date)s") % {
            "date": date_format(case.unit.local_date(case.complaint.received_at))
        }
    return case.reason


# --- The sanction decree ----------------------------------------------------------------------


def decree_snapshot(
    case: Case,
    proposal: Proposal,
    *,
    number: str,
    date: datetime.date,
    signer: dict,
    head_title: str,
    legal_basis: list[LegalBasis],
) -> dict:
    officer = case.officer
    snapshot = _base(case.unit, DocumentKind.DECREE, number, date, signer)
    snapshot.update(
        {
            "head_title": head_title,
            "officer": person(officer, position=_("Service officer")),
            "reasoning": proposal.reasoning.strip().rstrip(".;"),
            "violations": [
                {"code": v.code, "text": v.text, "severity": v.severity}
                for v in proposal.violations.order_by("order", "code")
            ],
            "sanction": {
                "code": proposal.sanction.code,
                "name": proposal.sanction.name,
                "level": proposal.sanction.level,
                "legal_reference": proposal.sanction.legal_reference,
            },
            "legal_basis": [{"code": b.code, "text": b.text} for b in legal_basis],
        }
    )
    return snapshot


def current_legal_basis(unit: Unit) -> list[LegalBasis]:
    return list(LegalBasis.objects.filter(unit=unit, active=True).order_by("order", "code"))


def issued_decree_snapshot(decree: Decree) -> dict:
    """The snapshot of an issued decree (its number, date and signer as recorded)."""
    signer = {
        "name": decree.signer_name,
        "nip": decree.signer_nip,
        "position": decree.signer_title or decree.unit.head_title,
    }
    basis = list(decree.legal_basis.order_by("order", "code")) or current_legal_basis(decree.unit)
    return decree_snapshot(
        decree.case,
        decree.proposal,
        number=decree.number,
        date=decree.date,
        signer=signer,
        head_title=signer["position"],
        legal_basis=basis,
    )


def draft_decree_snapshot(case: Case, head: User) -> dict:
    """The decree as the head would issue it now, with its number still open."""
    unit = case.unit
    today = unit.today()
    signer = {"name": head.display_name, "nip": head.nip, "position": unit.head_title}
    return decree_snapshot(
        case,
        case.latest("proposals"),
        number=_("(number given when issued)"),
        date=today,
        signer=signer,
        head_title=unit.head_title,
        legal_basis=current_legal_basis(unit),
    )


def decree_filename(decree: Decree) -> str:
    return "SK-" + "".join(c if c.isalnum() else "-" for c in decree.number) + ".pdf"


# --- Summons and hearing record ---------------------------------------------------------------


def summons_snapshot(hearing: Hearing, *, number: str) -> dict:
    case = hearing.case
    unit = case.unit
    summoner = person(hearing.summoned_by, position=_("ULT coordinator"))
    when = timezone.localtime(hearing.scheduled_at, unit.zone)
    snapshot = _base(
        unit, DocumentKind.SUMMONS, number, unit.local_date(hearing.summoned_at), summoner
    )
    snapshot.update(
        {
            "addressee": person(case.officer, position=_("Service officer")),
            "examiner": summoner,
            "scheduled_at": when.isoformat(),
            "hearing_place": hearing.place,
            "about": _source(case),
            "case_id": case.pk,
        }
    )
    return snapshot


def hearing_record_snapshot(hearing: Hearing, *, number: str) -> dict:
    case = hearing.case
    unit = case.unit
    examiner = person(hearing.recorded_by, position=_("ULT coordinator"))
    held = hearing.held_at or hearing.scheduled_at or hearing.recorded_at
    summons = hearing.documents.filter(kind=DocumentKind.SUMMONS).first()
    snapshot = _base(
        unit, DocumentKind.HEARING_RECORD, number, unit.local_date(hearing.recorded_at), examiner
    )
    snapshot.update(
        {
            "examiner": examiner,
            "examined": person(case.officer, position=_("Service officer")),
            "held_at": timezone.localtime(held, unit.zone).isoformat(),
            "hearing_place": hearing.place or unit.service_unit_name,
            "summons_number": summons.number if summons else "",
            "about": _source(case),
            # An absence is recorded too: the record then says the officer did not attend.
            "attended": hearing.attended is not False,
            "explanation": hearing.explanation,
            "defence": hearing.defence,
            "written_defence": hearing.written_defence,
            "case_id": case.pk,
        }
    )
    return snapshot


# --- The apology letter -----------------------------------------------------------------------


def apology_signer(case: Case, compensation: Compensation) -> User:
    coordinator = compensation.decided_by
    if not case.unit.memberships.filter(user=coordinator, role=Role.COORDINATOR).exists():
        coordinator = members_with_role(case.unit, [Role.COORDINATOR]).first() or coordinator
    return coordinator


def apology_snapshot(compensation: Compensation, *, number: str) -> dict:
    case = compensation.case
    unit = case.unit
    name, contact = case.customer
    signer = person(apology_signer(case, compensation), position=_("ULT coordinator"))
    date = unit.local_date(compensation.decided_at)
    snapshot = _base(unit, DocumentKind.APOLOGY, number, date, signer)
    snapshot.update(
        {
            "addressee": {"name": name, "contact": contact},
            "compensations": [
                {"code": k.code, "name": k.name} for k in compensation.kinds.order_by("order")
            ],
            "tracking_url": tracking_url(compensation),
        }
    )
    return snapshot


# --- Rendering --------------------------------------------------------------------------------


def _readable(snapshot: dict) -> dict:
    """The snapshot with its ISO dates as dates, for the templates' date filters."""
    doc = dict(snapshot)
    doc["date"] = datetime.date.fromisoformat(snapshot["date"])
    for key in ("scheduled_at", "held_at"):
        if snapshot.get(key):
            doc[key] = datetime.datetime.fromisoformat(snapshot[key])
    return doc


def render_letter(snapshot: dict, *, verification_url: str = "", draft: bool = False) -> bytes:
    """The PDF of a letter from its snapshot; with its verification address and QR code when
    issued, marked as a draft when only previewed."""
    context = {
        "doc": _readable(snapshot),
        "letterhead": snapshot["letterhead"],
        "verification_url": verification_url,
        "qr": qr_data_uri(verification_url) if verification_url else "",
        "draft": draft,
    }
    return render_pdf(TEMPLATES[snapshot["kind"]], context, language=OFFICIAL_LANGUAGE)
