"""Demo cases: every state of the workflow, on a believable timeline.

The surveys demo (run before this one) leaves flagged ratings on the daily check; the back
office refers some of them into cases here (and declines one, with its reason), as on the
daily check, and some of those are advanced. Cases that need a past (closed ones, the overdue
one, the no-decree loop) are referred here from flagged ratings dated in the past, with the
workflow's clock moved back.
"""

from __future__ import annotations

import datetime
import random
import secrets

from django.core.files.base import ContentFile
from django.test.utils import override_settings
from django.utils import timezone

from complaints import services as complaint_services
from complaints.models import Complaint, ComplaintKind, ComplaintStatus, TriageOutcome
from documents.signing import self_signed_pkcs12
from pulih.lib.registry import demo_populators
from pulih.lib.workdays import is_working_day
from surveys.models import ImprovementItem, ServiceRecord, SurveyResponse
from surveys.services import store_records, submit_response
from units.demo import DemoStaff
from units.models import CompensationBudget, CompensationKind, SanctionKind, ServiceType, Unit
from units.models import Violation as ViolationKind

from . import intake, workflow
from .models import Case, CaseAction, CaseEvent, CaseState

A, S = CaseAction, CaseState
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
BUDGET = 5_000_000

CUSTOMERS = [
    ("Ahmad Fauzi", "ahmad.fauzi@contoh.sch.id"),
    ("Sri Wahyuni", "0813-4921-7788"),
    ("Yusuf Maulana", "yusuf.maulana@contoh.sch.id"),
    ("Maria Magdalena", "0852 5012 3344"),
    ("Rudi Hartono", "rudi.hartono@contoh.go.id"),
    ("Intan Permatasari", "081250998877"),
    ("Gusti Ayu Ratna", "ratna@contoh.sch.id"),
    ("Samuel Tambunan", "0811-5200-6611"),
]
NOTES = {
    A.REFER: "Nilai kurang pada unsur perilaku pelaksana; petugas yang melayani jelas.",
    A.DISMISS: "Setelah ditelaah, keterlambatan disebabkan gangguan jaringan, bukan petugas.",
    A.HEARING: "Petugas mengakui kurang ramah karena antrean panjang.",
    A.DEFENCE: "Saya melayani sesuai prosedur, namun hari itu antrean sangat panjang.",
    A.PROPOSE: "Petugas terbukti bersikap tidak ramah dan mempersulit penerima layanan.",
}


def _response(unit: Unit, officer, service_type, at: datetime.datetime, customer) -> SurveyResponse:
    name, contact = customer
    (record,) = store_records(
        unit,
        [
            ServiceRecord(
                unit=unit,
                service_type=service_type,
                officer=officer,
                customer_name=name,
                customer_contact=contact,
                served_at=at - 2 * HOUR,
            )
        ],
    )
    # Through the one write path, so the tallies (the IKM, the roll-ups) count it too.
    return submit_response(
        unit,
        answers={"U1": 3, "U2": 3, "U3": 2, "U4": 4, "U5": 3, "U6": 3, "U7": 1, "U8": 3, "U9": 3},
        comment="Petugas kurang ramah dan tidak menjelaskan persyaratan.",
        submitted_at=at - HOUR,
        service_record=record,
    )


class _Runner:
    """Takes actions on demo cases, on the clock (a past date) or now."""

    def __init__(self, unit: Unit, staff: DemoStaff, rng: random.Random):
        self.unit, self.staff, self.rng = unit, staff, rng
        self.actors = {
            A.REFER: staff.one("back_office"),
            A.DISMISS: staff.one("back_office"),
            A.VERIFY: staff.one("person_in_charge"),
            A.DECIDE: staff.one("head"),
        }
        self.coordinator = staff.one("coordinator")
        self.violations = list(
            ViolationKind.objects.filter(unit=unit, active=True).values_list("code", flat=True)
        )
        self.sanctions = list(
            SanctionKind.objects.filter(unit=unit, active=True, level="light").values_list(
                "code", flat=True
            )
        ) or list(
            SanctionKind.objects.filter(unit=unit, active=True).values_list("code", flat=True)
        )
        self.compensations = list(
            CompensationKind.objects.filter(unit=unit, active=True).values_list("code", flat=True)
        )

    def payload(self, action: str, at: datetime.datetime, outcome: bool = True) -> dict:
        rng = self.rng
        if action == A.SUMMON:
            return {"scheduled_at": at + DAY, "place": "Ruang Koordinator ULT"}
        if action == A.HEARING:
            return {"explanation": NOTES[A.HEARING], "defence": "Antrean panjang hari itu."}
        if action == A.DEFENCE:
            return {"defence": NOTES[A.DEFENCE]}
        if action == A.PROPOSE:
            return {
                "violations": rng.sample(self.violations[3:7], 2),
                "sanction": rng.choice(self.sanctions),
                "reasoning": NOTES[A.PROPOSE],
                "justification": "Pelanggaran pertama; petugas mengakui dan berjanji memperbaiki.",
            }
        if action == A.VERIFY:
            return {"approved": outcome, "note": "" if outcome else "Lengkapi bukti klarifikasi."}
        if action == A.DECIDE:
            return {"issue_decree": outcome, "reason": "" if outcome else "Bukti belum cukup."}
        if action == A.COMPENSATE:
            return {
                "compensations": [self.compensations[0], rng.choice(self.compensations[1:])],
                "cost": rng.choice([0, 0, 150_000, 250_000]),
                "note": "Diberikan segera dengan skala prioritas.",
            }
        if action == A.DELIVER:
            return {
                "delivered_at": at,
                "method": "Layanan ulang langsung di ULT dan permohonan maaf tertulis",
                "customer_acknowledged": True,
                "note": "",
            }
        return {"note": NOTES[A.REFER]} if action == A.REFER else {"reason": NOTES[A.DISMISS]}

    def actor(self, case: Case, action: str):
        if action == A.DEFENCE:
            return case.officer
        return self.actors.get(action, self.coordinator)

    def run(self, case: Case, steps, at: datetime.datetime | None, *, snap: bool = True) -> None:
        """Take `steps` ((action, hours after the previous one[, outcome])) on `case`; from `at`
        on the moved clock, or now when `at` is None."""
        for action, hours, *outcome in steps:
            if at is None:
                moment = timezone.now()
                data = self.payload(action, moment, *outcome)
                workflow.apply_action(case, action, actor=self.actor(case, action), **data)
                continue
            at = at + hours * HOUR
            at = self.office_hours(at) if snap else at
            with workflow.acting_at(at):
                data = self.payload(action, at, *outcome)
                workflow.apply_action(case, action, actor=self.actor(case, action), **data)

    def office_hours(self, at: datetime.datetime) -> datetime.datetime:
        """The same moment if it falls in office hours (08–16 on a working day), else the next
        working morning, so that the demo's timeline reads like an office's."""
        local = timezone.localtime(at, self.unit.zone)
        if local.hour >= 16:
            local = (local + DAY).replace(hour=8, minute=self.rng.randint(0, 50))
        elif local.hour < 8:
            local = local.replace(hour=8, minute=self.rng.randint(0, 50))
        while not is_working_day(local.date()):
            local += DAY
        return local

    def new_case(self, at: datetime.datetime, customer, *, snap: bool = True) -> Case:
        officer = self.rng.choice(self.staff.officers)
        service_type = ServiceType.objects.filter(unit=self.unit).first()
        at = self.office_hours(at) if snap else at
        with workflow.acting_at(at):
            response = _response(self.unit, officer, service_type, at, customer)
            (case,) = intake.refer_flagged_responses(
                [response], actor=self.actors[A.REFER], note=NOTES[A.REFER]
            )
            return case

    def refer_from_daily_check(self, count: int) -> list[Case]:
        """Refer the newest `count` flagged ratings with a receipt into cases, and record one
        more as not referred, as the back office does on the daily check."""
        waiting = list(
            SurveyResponse.objects.filter(
                unit=self.unit,
                flagged=True,
                service_record__isnull=False,
                review__isnull=True,
                cases__isnull=True,
            )
            .select_related("unit", "officer")
            .order_by("-submitted_at", "-pk")[: count + 1]
        )
        waiting = [r for r in waiting if intake.officer_elements_poor(r)]
        back_office = self.actors[A.REFER]
        if len(waiting) > count:
            intake.decline_flagged_response(
                waiting.pop(), actor=back_office, reason=NOTES[A.DISMISS]
            )
        if not waiting:
            return []
        cases = intake.refer_flagged_responses(
            waiting[::-1], actor=back_office, note=NOTES[A.REFER]
        )
        return sorted(cases, key=lambda c: (c.survey_response.submitted_at, c.pk))


TO_HEARING = [(A.REFER, 18), (A.SUMMON, 2), (A.DEFENCE, 20)]
TO_VERIFICATION = [*TO_HEARING, (A.HEARING, 24), (A.PROPOSE, 3)]
TO_DECISION = [*TO_VERIFICATION, (A.VERIFY, 20)]
TO_COMPENSATION = [*TO_DECISION, (A.DECIDE, 46)]
TO_DELIVERY = [*TO_COMPENSATION, (A.COMPENSATE, 4)]
TO_CLOSED = [*TO_DELIVERY, (A.DELIVER, 20)]
NO_DECREE_LOOP = [
    *TO_DECISION,
    (A.DECIDE, 30, False),
    (A.REFER, 20),
    (A.PROPOSE, 48),
    (A.VERIFY, 4, False),
    (A.SUMMON, 2),
    (A.HEARING, 26),
    (A.PROPOSE, 3),
    (A.VERIFY, 18),
    (A.DECIDE, 50),
    (A.COMPENSATE, 3),
    (A.DELIVER, 22),
]

# For cases the surveys demo opened (advanced now) and for new ones (on a past clock).
NOW_PLANS = [
    (S.HEARING, TO_HEARING[:2]),
    (S.DISMISSED, [(A.DISMISS, 0)]),
]
# Cases past their hearing: heard a few days ago (on the past clock), the rest now.
HEARD_THEN = [(A.REFER, 1), (A.SUMMON, 1), (A.HEARING, 26), (A.PROPOSE, 2)]
HEARD_PLANS = [
    (S.VERIFICATION, []),
    (S.DECISION, [(A.VERIFY, 0)]),
    (S.COMPENSATION, [(A.VERIFY, 0), (A.DECIDE, 0)]),
    (S.DELIVERY, [(A.VERIFY, 0), (A.DECIDE, 0), (A.COMPENSATE, 0)]),
]
PAST_PLANS = [
    ("closed", 70, TO_CLOSED),
    ("closed", 38, TO_CLOSED),
    ("no-decree loop, then closed", 55, NO_DECREE_LOOP),
    ("overdue decision", 16, TO_DECISION),
]


@demo_populators.register(order=30)
def populate(unit: Unit, staff: DemoStaff, rng: random.Random, months: int) -> str:
    """Advance and add demo cases so that every state shows; idempotent."""
    if CaseEvent.objects.filter(case__unit=unit).exclude(action=A.OPEN).exists():
        return ""
    demo_letters(unit)
    year = unit.today().year
    CompensationBudget.objects.get_or_create(unit=unit, year=year, defaults={"amount": BUDGET})
    runner = _Runner(unit, staff, rng)
    customers = iter(CUSTOMERS * 4)
    now = timezone.now()
    # Nobody is mailed for demo data.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        opened = runner.refer_from_daily_check(len(NOW_PLANS) + 1)
        if opened:
            opened.pop()  # the newest stays in review
        else:
            runner.new_case(now - 2 * HOUR, next(customers), snap=False)
        # The past first, so that decree numbers follow the calendar.
        for _name, days_ago, steps in PAST_PLANS:
            start = now - days_ago * DAY
            runner.run(runner.new_case(start, next(customers)), steps, start)
        for _state, steps in NOW_PLANS:
            if opened:
                runner.run(opened.pop(0), steps, None)
            else:  # the surveys demo opened too few: open one now
                case = runner.new_case(now - HOUR, next(customers), snap=False)
                runner.run(case, steps, None)
        for _state, steps in HEARD_PLANS:
            start = now - 6 * DAY
            case = runner.new_case(start, next(customers), snap=False)
            runner.run(case, HEARD_THEN, start, snap=False)
            runner.run(case, steps, None)
        _improvements(unit, staff, now)
        _triage_complaints(unit, staff)
    states = dict.fromkeys(S.values, 0)
    for state in Case.objects.filter(unit=unit).values_list("state", flat=True):
        states[state] += 1
    overdue = Case.objects.filter(unit=unit, due_at__lt=timezone.now()).count()
    return ", ".join(
        f"{count} {state}" for state, count in states.items()
    ) + f"; {overdue} overdue; budget {year}: Rp {BUDGET:,}".replace(",", ".")


DEMO_COPIES = "Inspektorat Jenderal Kementerian Pendidikan Dasar dan Menengah\nArsip"


def demo_letters(unit: Unit) -> None:
    """The demo unit's tembusan, and a self-signed certificate that seals its issued documents
    (PAdES). A real unit uploads the certificate its CA issued instead."""
    if not unit.copy_recipients:
        unit.copy_recipients = DEMO_COPIES
    if not unit.signing_certificate:
        passphrase = secrets.token_urlsafe(12)
        pkcs12 = self_signed_pkcs12(unit.head_title or unit.name, unit.name, passphrase)
        unit.signing_certificate.save("segel-demo.p12", ContentFile(pkcs12), save=False)
        unit.signing_passphrase = passphrase
    unit.save(update_fields=["copy_recipients", "signing_certificate", "signing_passphrase"])


def _improvements(unit: Unit, staff: DemoStaff, now: datetime.datetime) -> None:
    if ImprovementItem.objects.filter(unit=unit).exists():
        return
    ImprovementItem.objects.create(
        unit=unit,
        elements="U8",
        description="Kursi ruang tunggu ULT kurang dan sebagian rusak.",
        created_at=now - 20 * DAY,
        status="done",
        resolution="Kursi diganti dan ditambah enam buah.",
        resolved_at=now - 12 * DAY,
        resolved_by=staff.one("coordinator"),
    )
    ImprovementItem.objects.create(
        unit=unit,
        elements="U8",
        description="Jaringan internet di ruang layanan sering terputus.",
        created_at=now - 3 * DAY,
    )


def _triage_complaints(unit: Unit, staff: DemoStaff) -> None:
    """The coordinator triages the complaints demo's newest in-person complaint into a case
    (and answers it) and its newest input into an improvement item."""
    coordinator = staff.one("coordinator")
    waiting = Complaint.objects.filter(
        unit=unit, status=ComplaintStatus.RECEIVED, anonymous=False
    ).order_by("-received_at", "-pk")
    about_officer = waiting.filter(kind=ComplaintKind.COMPLAINT, channel__code="in_person").first()
    if about_officer is not None:
        triaged = intake.triage_complaint(
            about_officer,
            actor=coordinator,
            outcome=TriageOutcome.CASE,
            officer=staff.officers[0],
            note="Pelapor menyatakan petugas bersikap tidak sopan saat melayani.",
        )
        complaint_services.answer_complaint(
            triaged,
            actor=coordinator,
            answer="Terima kasih. Pengaduan Anda sedang kami tindak lanjuti sesuai standar "
            "pelayanan sanksi dan kompensasi; kami akan menghubungi Anda kembali.",
        )
    about_facilities = waiting.filter(kind=ComplaintKind.INPUT).first()
    if about_facilities is not None:
        intake.triage_complaint(
            about_facilities,
            actor=coordinator,
            outcome=TriageOutcome.IMPROVEMENT,
            note="Tambah kursi ruang tunggu dan perbaiki jaringan internet tamu.",
        )
