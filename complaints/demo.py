"""Demo complaints: about forty over the past months, from all six channels and of every kind.

Most are answered; a few are open, some of them overdue; one was triaged into a case about an
officer and one into an improvement item (both through services.py, as the coordinator would).
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from pulih.lib.registry import demo_populators
from units.deadlines import due_at
from units.demo import DemoStaff
from units.models import ComplaintChannel, ServiceType, Unit

from . import services
from .models import (
    Complaint,
    ComplaintEvent,
    ComplaintKind,
    ComplaintStatus,
    EventAction,
    TriageOutcome,
)
from .tracking import new_tracking_code

TEXTS = {
    ComplaintKind.COMPLAINT: [
        "Permohonan legalisasi saya belum selesai padahal sudah lewat waktu yang dijanjikan.",
        "Antrean di ruang layanan sangat lama dan tidak ada nomor antrean.",
        "Telepon ULT tidak diangkat selama jam kerja pada hari Senin.",
        "Surat keterangan yang saya terima salah penulisan nama sekolah.",
        "Pesan WhatsApp saya tidak dibalas sudah tiga hari.",
        "Email permohonan data rapor pendidikan tidak mendapat balasan.",
    ],
    ComplaintKind.SUGGESTION: [
        "Mohon disediakan formulir permohonan yang bisa diunduh dari laman.",
        "Sebaiknya jam layanan diperpanjang sampai sore pada hari Jumat.",
        "Mohon ada petunjuk arah ke ruang ULT dari gerbang depan.",
        "Akan lebih baik bila status permohonan bisa dilihat secara daring.",
    ],
    ComplaintKind.INPUT: [
        "Ruang tunggu kurang kursi ketika ramai pengunjung.",
        "Jaringan internet tamu sering terputus di ruang layanan.",
        "Informasi persyaratan di media sosial berbeda dengan di laman.",
    ],
    ComplaintKind.INFORMATION: [
        "Apa saja persyaratan untuk meminjam aula BPMP?",
        "Bagaimana cara memperoleh data rapor pendidikan sekolah kami?",
        "Berapa lama proses konsultasi penjaminan mutu untuk satuan pendidikan?",
    ],
}

ANSWERS = [
    "Terima kasih atas masukan Anda. Permohonan Anda telah kami selesaikan dan dapat diambil "
    "di ruang ULT.",
    "Terima kasih. Kami telah menindaklanjuti hal ini bersama bagian terkait.",
    "Terima kasih atas sarannya; akan kami pertimbangkan dalam perbaikan layanan.",
    "Persyaratan lengkap telah kami kirimkan melalui kontak yang Anda berikan.",
    "Mohon maaf atas ketidaknyamanan ini. Petugas kami telah menghubungi Anda.",
]

NAMES = [
    "Rahmat Hidayat",
    "Sri Wahyuni",
    "Yulius Ngabut",
    "Fitri Handayani",
    "Agustinus Lambung",
    "Nur Aini",
    "Dedy Kurniawan",
    "Maria Goreti",
]

TOTAL = 40


def _contact(rng: random.Random, channel: str) -> str:
    # Demo contacts are phone numbers (no demo email is ever sent to a stranger's address).
    return f"0812{rng.randint(10_000_000, 99_999_999)}" if channel != "letter" else ""


def _maybe_service(rng: random.Random, services_list: list[ServiceType]) -> ServiceType | None:
    return rng.choice(services_list) if services_list and rng.random() < 0.7 else None


def _history(
    complaint: Complaint,
    staff: DemoStaff,
    rng: random.Random,
    *,
    answered: bool,
    late: bool,
) -> None:
    """Walk an old complaint through acknowledge, triage and answer at past times."""
    back_office, coordinator = staff.one("back_office"), staff.one("coordinator")
    received = complaint.received_at
    ack = received + datetime.timedelta(hours=rng.randint(1, 20))
    triaged = ack + datetime.timedelta(hours=rng.randint(2, 48))
    events = [
        (EventAction.RECEIVED, complaint.created_by, received, "", ComplaintStatus.RECEIVED, {}),
        (EventAction.ACKNOWLEDGED, back_office, ack, "received", "acknowledged", {"note": ""}),
        (
            EventAction.TRIAGED,
            coordinator,
            triaged,
            "acknowledged",
            "in_progress",
            {"outcome": TriageOutcome.DIRECT, "note": ""},
        ),
    ]
    complaint.acknowledged_at, complaint.triaged_at = ack, triaged
    complaint.triage_outcome = TriageOutcome.DIRECT
    complaint.status = ComplaintStatus.IN_PROGRESS
    if answered:
        days = rng.randint(15, 20) if late else rng.randint(1, 12)
        complaint.answered_at = received + datetime.timedelta(days=days, hours=rng.randint(0, 6))
        complaint.answer = rng.choice(ANSWERS)
        complaint.status = ComplaintStatus.ANSWERED
        events.append(
            (
                EventAction.ANSWERED,
                coordinator,
                complaint.answered_at,
                "in_progress",
                "answered",
                {"emailed": False},
            )
        )
    complaint.save()
    ComplaintEvent.objects.bulk_create(
        ComplaintEvent(
            complaint=complaint, action=a, actor=who, at=at, from_status=f, to_status=t, data=d
        )
        for a, who, at, f, t, d in events
    )


@transaction.atomic
@demo_populators.register(order=20)
def populate(unit: Unit, staff: DemoStaff, rng: random.Random, months: int) -> str:
    if Complaint.objects.filter(unit=unit).exists():
        return "demo complaints already present"
    now = timezone.now()
    channels = list(ComplaintChannel.objects.filter(unit=unit, active=True).order_by("order"))
    services_list = list(ServiceType.objects.filter(unit=unit, active=True))
    kinds = list(ComplaintKind)
    back_office = staff.one("back_office")
    span_days = max(30, months * 30)
    created = 0
    # Old ones: spread over the months, walked through to an answer (two answered late,
    # one still unanswered and so overdue).
    old_count = TOTAL - 6
    for i in range(old_count):
        channel = channels[i % len(channels)]
        kind = kinds[(i // len(channels) + i) % len(kinds)]
        received = now - datetime.timedelta(
            days=rng.randint(16, span_days), hours=rng.randint(0, 8)
        )
        anonymous = channel.code == "web" and rng.random() < 0.4
        complaint = Complaint.objects.create(
            unit=unit,
            channel=channel,
            kind=kind,
            received_at=received,
            name="" if anonymous else rng.choice(NAMES),
            contact="" if anonymous else _contact(rng, channel.code),
            anonymous=anonymous,
            service_type=_maybe_service(rng, services_list),
            text=rng.choice(TEXTS[kind]),
            tracking_code=new_tracking_code(),
            ack_due_at=due_at(unit, "complaint_ack", received),
            answer_due_at=due_at(unit, "complaint_answer", received),
            created_by=None if channel.code == "web" else back_office,
        )
        _history(complaint, staff, rng, answered=i != 3, late=i in (5, 11))
        created += 1
    # Recent ones through the services, as the staff would handle them today.
    coordinator = staff.one("coordinator")
    recent = []
    for days_ago, channel_code, kind in [
        (6, "phone", ComplaintKind.COMPLAINT),  # not even acknowledged: overdue
        (3, "in_person", ComplaintKind.COMPLAINT),  # -> case about an officer
        (2, "social_media", ComplaintKind.INPUT),  # -> improvement item
        (1, "email", ComplaintKind.SUGGESTION),
        (0, "letter", ComplaintKind.INFORMATION),
    ]:
        complaint = services.record_complaint(
            unit,
            actor=back_office,
            channel=channel_code,
            kind=kind,
            received_at=now - datetime.timedelta(days=days_ago, hours=1),
            name=rng.choice(NAMES),
            contact=_contact(rng, channel_code),
            text=rng.choice(TEXTS[kind]),
        )
        recent.append(complaint)
    web = services.submit_public_complaint(
        unit, text=TEXTS[ComplaintKind.COMPLAINT][1], anonymous=True
    )
    recent.append(web)
    created += len(recent)
    officer = staff.officers[0]
    case_complaint = services.triage_complaint(
        recent[1],
        actor=coordinator,
        outcome=TriageOutcome.CASE,
        officer=officer,
        note="Pelapor menyatakan petugas bersikap tidak sopan saat melayani.",
    )
    services.answer_complaint(
        case_complaint,
        actor=coordinator,
        answer="Terima kasih. Pengaduan Anda sedang kami tindak lanjuti sesuai standar "
        "pelayanan sanksi dan kompensasi; kami akan menghubungi Anda kembali.",
    )
    services.triage_complaint(
        recent[2],
        actor=coordinator,
        outcome=TriageOutcome.IMPROVEMENT,
        note="Tambah kursi ruang tunggu dan perbaiki jaringan internet tamu.",
    )
    services.acknowledge_complaint(recent[3], actor=back_office)
    return (
        f"{created} complaints over {months} months; 1 triaged into a case, "
        "1 into an improvement item"
    )
