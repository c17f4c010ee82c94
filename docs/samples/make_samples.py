"""Render the sample letters committed beside this script: an SK, a summons, a hearing record
(BAP) and an apology letter of the demo unit, issued through the real workflow, as PNG.

    DATABASE_URL=sqlite:////tmp/pulih-samples.sqlite3 .venv/bin/python docs/samples/make_samples.py

(on a scratch database: it migrates it and writes demo people and one case).
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pulih.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

WIB = ZoneInfo("Asia/Jakarta")


def main() -> None:
    settings.MEDIA_ROOT = Path(tempfile.mkdtemp())
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    call_command("migrate", verbosity=0)
    from cases import demo as cases_demo
    from cases import workflow
    from cases.models import DocumentKind, IssuedDocument
    from cases.tests.conftest import flagged_response
    from units.demo import create_staff
    from units.models import CompensationBudget, ServiceType
    from units.standard import load_standard

    unit, _ = load_standard()
    staff = create_staff(unit, "sample-pass-123")
    cases_demo.demo_letters(unit)
    CompensationBudget.objects.get_or_create(unit=unit, year=2026, defaults={"amount": 10**7})
    service = ServiceType.objects.filter(unit=unit).first()
    officer = staff.officers[0]
    officer.position = "Pengelola Layanan Operasional"
    officer.save()
    coordinator, head = staff.one("coordinator"), staff.one("head")
    coordinator.position = "Koordinator ULT"
    coordinator.save()
    at = datetime.datetime(2026, 8, 10, 9, tzinfo=WIB)
    with workflow.acting_at(at):
        response = flagged_response(
            unit, service, officer, name="Sri Wahyuni", contact="sri@contoh.id"
        )
        response.submitted_at = at - datetime.timedelta(days=3)
        response.save(update_fields=["submitted_at"])
        case = workflow.open_case(unit, actor=None, officer=officer, survey_response=response)
        workflow.refer_case(case, actor=staff.one("back_office"))
        workflow.summon_officer(
            case,
            actor=coordinator,
            scheduled_at=datetime.datetime(2026, 8, 12, 9, 30, tzinfo=WIB),
            place="Ruang Koordinator ULT",
        )
    with workflow.acting_at(datetime.datetime(2026, 8, 12, 10, 15, tzinfo=WIB)):
        workflow.record_hearing(
            case,
            actor=coordinator,
            explanation="Pada hari itu antrean panjang dan saya melayani sambil menjawab telepon.",
            defence="Saya tidak bermaksud mempersulit; saya meminta maaf kepada pelanggan.",
        )
        workflow.propose_sanction(
            case,
            actor=coordinator,
            violations=["v04", "v07"],
            sanction="teguran-tertulis",
            reasoning="Petugas terbukti bersikap tidak ramah dan menunda layanan tanpa alasan",
        )
    with workflow.acting_at(datetime.datetime(2026, 8, 13, 9, tzinfo=WIB)):
        workflow.verify_proposal(case, actor=staff.one("person_in_charge"), approved=True)
    with workflow.acting_at(datetime.datetime(2026, 8, 14, 9, tzinfo=WIB)):
        workflow.decide_decree(case, actor=head, issue_decree=True)
        kinds = ["permintaan-maaf", "layanan-ulang-online"]
        workflow.decide_compensation(case, actor=coordinator, compensations=kinds, cost=0)
    names = {
        DocumentKind.DECREE: "sk",
        DocumentKind.SUMMONS: "surat-panggilan",
        DocumentKind.HEARING_RECORD: "bap",
        DocumentKind.APOLOGY: "surat-permohonan-maaf",
    }
    for document in IssuedDocument.objects.filter(case=case):
        stem = HERE / names[document.kind]
        pdf = stem.with_suffix(".pdf")
        pdf.write_bytes(document.read())
        subprocess.run(["pdftoppm", "-png", "-gray", "-r", "60", str(pdf), str(stem)], check=True)
        pdf.unlink()
        print(document.kind, document.number, document.sha256[:12])


if __name__ == "__main__":
    main()
