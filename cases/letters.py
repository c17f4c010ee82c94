"""The case's documents: the sanction decree (SK) and the coordinator's apology letter, as PDF
in the Indonesian official letter layout (documents/letter_base.html)."""

from __future__ import annotations

from documents.pdf import render_pdf
from units.access import members_with_role
from units.models import LegalBasis, Role

from .models import Case, Compensation, Decree
from .notify import tracking_url

OFFICIAL_LANGUAGE = "id"  # decrees and letters to customers are official Indonesian documents


def decree_context(decree: Decree) -> dict:
    case = decree.case
    unit = case.unit
    proposal = decree.proposal
    return {
        "unit": unit,
        "case": case,
        "decree": decree,
        "officer": case.officer,
        "violations": list(proposal.violations.order_by("order", "code")),
        "reasoning": proposal.reasoning.strip().rstrip(".;"),
        "legal_basis": list(LegalBasis.objects.filter(unit=unit, active=True)),
        "head_title": decree.signer_title or unit.head_title,
    }


def decree_pdf(decree: Decree) -> bytes:
    return render_pdf("cases/decree_pdf.html", decree_context(decree), language=OFFICIAL_LANGUAGE)


def decree_filename(decree: Decree) -> str:
    return "SK-" + "".join(c if c.isalnum() else "-" for c in decree.number) + ".pdf"


def apology_pdf(case: Case, compensation: Compensation) -> bytes:
    name, contact = case.customer
    coordinator = compensation.decided_by
    if not case.unit.memberships.filter(user=coordinator, role=Role.COORDINATOR).exists():
        coordinator = members_with_role(case.unit, [Role.COORDINATOR]).first() or coordinator
    context = {
        "unit": case.unit,
        "case": case,
        "compensation": compensation,
        "kinds": list(compensation.kinds.all()),
        "customer_name": name,
        "customer_contact": contact,
        "coordinator": coordinator,
        "tracking_url": tracking_url(compensation),
    }
    return render_pdf("cases/apology_pdf.html", context, language=OFFICIAL_LANGUAGE)
