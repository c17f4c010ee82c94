"""The default data set: the standard of the ULT of BPMP Provinsi Kalimantan Tengah,
Keputusan Kepala BPMP Provinsi Kalimantan Tengah Nomor 0179/C7.22/OT.02.02/2023, Lampiran 7."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from .models import (
    CompensationKind,
    Competency,
    ComplaintChannel,
    DeadlineRule,
    Facility,
    LegalBasis,
    SanctionKind,
    Unit,
    Violation,
)

UNIT_CODE = "bpmp-kalteng"
ADDRESS = "Jl. Tjilik Riwut Km. 4,5 No. 74 Kota Palangka Raya"

UNIT = {
    "name": "BPMP Provinsi Kalimantan Tengah",
    "service_unit_name": "Unit Layanan Terpadu (ULT) BPMP Provinsi Kalimantan Tengah",
    "parent_organisation": "Kementerian Pendidikan, Kebudayaan, Riset, dan Teknologi",
    "address": "Jl. Tjilik Riwut Km. 4,5 No. 74",
    "city": "Palangka Raya",
    "phone": "08115234400",
    "email": "ult.bmpkalteng@kemdikbud.go.id",
    "website": "https://bmpkalteng.kemdikbud.go.id/ult",
    "head_title": "Kepala BPMP Provinsi Kalimantan Tengah",
    "head_name": "Tommy Haridjaya, S.Sos., M.M.",
    "head_nip": "197010192002121002",
    "letterhead_lines": "\n".join(
        [
            "KEMENTERIAN PENDIDIKAN, KEBUDAYAAN, RISET, DAN TEKNOLOGI",
            "BALAI PENJAMINAN MUTU PENDIDIKAN",
            "PROVINSI KALIMANTAN TENGAH",
            "Jl. Tjilik Riwut Km. 4,5 No. 74 Palangka Raya — Telepon/WhatsApp 08115234400",
            "Email ult.bmpkalteng@kemdikbud.go.id — Laman bmpkalteng.kemdikbud.go.id/ult",
        ]
    ),
    "time_zone": "Asia/Jakarta",
    "standard_decree_number": "0179/C7.22/OT.02.02/2023",
    "standard_decree_date": datetime.date(2023, 1, 13),
    "time_limit_text": (
        "Lama waktu yang diperlukan dalam penetapan pelaksana layanan publik dinyatakan "
        "melanggar hingga diberikan sanksi selambatnya 1 (satu) minggu."
    ),
    "cost_text": (
        "Biaya pemberian kompensasi disesuaikan dengan ketersediaan anggaran yang ada di lembaga"
    ),
    "compensation_intro": (
        "Jenis kompensasi yang diberikan oleh BPMP Provinsi Kalimantan Tengah sebagai penyedia "
        "layanan, adalah berupa ganti rugi non material. Kompensasi non material berupa :"
    ),
    "internal_supervision": "Pengawasan internal dilakukan oleh Kasubbag Umum",
    "staff_count_text": "6 (enam) orang.",
    "service_guarantee": "Pemberian Kompensasi dilakukan segera dengan skala prioritas.",
    "security_guarantee": (
        "Lingkungan pelaksanaan kegiatan dijaga oleh satuan pengamanan 1x24 jam;"
    ),
    "performance_evaluation": (
        "Back office setiap hari melakukan cek instrument kepuasan pelanggan"
    ),
}

_INST = "BPMP Provinsi Kalimantan Tengah"
VIOLATIONS = [
    ("moderate", f"Bersikap dan bertindak yang dapat merongrong, menjatuhkan nama baik {_INST};"),
    (
        "moderate",
        f"Merongrong kewibawaan pejabat di lingkungan {_INST} dalam menjalankan tugas "
        "dan kewajiban;",
    ),
    ("heavy", "Bertindak menyalahgunakan dan melampaui wewenang yang ada padanya;"),
    (
        "moderate",
        "Bertindak sewenang-wenang dan tidak adil baik terhadap internal costumer "
        "maupun external costumer;",
    ),
    (
        "heavy",
        "Melakukan pungutan tidak sah dalam bentuk apapun di dalam menjalankan tugas dan "
        "kewajibannya untuk kepentingan pribadi atau golongan;",
    ),
    ("moderate", "Melawan dan menolak tugas dari atasan;"),
    (
        "moderate",
        "Menghalangi dan mempersulit costumer dalam mendapatkan layanan yang telah "
        f"ditetapkan {_INST};",
    ),
    (
        "heavy",
        "Melakukan pengotoran/pengrusakan, berbuat curang serta memalsukan surat/dokumen "
        "yang sah seperti nilai, sertifikat, dan dokumen lain;",
    ),
    (
        "moderate",
        "Melakukan tindakan kesusilaan baik dalam sikap, perkataan, tulisan maupun "
        "gambar yang melukai perasaan costumer;",
    ),
    ("moderate", f"Menyalahgunakan nama, lambang, tanda {_INST};"),
    (
        "heavy",
        f"Memeras, berjudi, membawa, menyalahgunakan obat-obat terlarang di lingkungan {_INST};",
    ),
    ("moderate", f"Mengadu domba dan menghasut antar pegawai {_INST};"),
    ("light", "Dan lain-lain yang dilarang oleh peraturan dan perundang-undangan yang berlaku."),
]

_PP94 = "PP 94/2021 Pasal 8"
SANCTIONS = [
    ("teguran-lisan", "light", "Teguran lisan", f"{_PP94} ayat (2) huruf a"),
    ("teguran-tertulis", "light", "Teguran tertulis", f"{_PP94} ayat (2) huruf b"),
    (
        "pernyataan-tidak-puas",
        "light",
        "Pernyataan tidak puas secara tertulis",
        f"{_PP94} ayat (2) huruf c",
    ),
    (
        "potong-tukin-6",
        "moderate",
        "Pemotongan tunjangan kinerja sebesar 25% selama 6 (enam) bulan",
        f"{_PP94} ayat (3) huruf a",
    ),
    (
        "potong-tukin-9",
        "moderate",
        "Pemotongan tunjangan kinerja sebesar 25% selama 9 (sembilan) bulan",
        f"{_PP94} ayat (3) huruf b",
    ),
    (
        "potong-tukin-12",
        "moderate",
        "Pemotongan tunjangan kinerja sebesar 25% selama 12 (dua belas) bulan",
        f"{_PP94} ayat (3) huruf c",
    ),
    (
        "penurunan-jabatan",
        "heavy",
        "Penurunan jabatan setingkat lebih rendah selama 12 (dua belas) bulan",
        f"{_PP94} ayat (4) huruf a",
    ),
    (
        "pembebasan-jabatan",
        "heavy",
        "Pembebasan dari jabatannya menjadi jabatan pelaksana selama 12 (dua belas) bulan",
        f"{_PP94} ayat (4) huruf b",
    ),
    (
        "pemberhentian",
        "heavy",
        "Pemberhentian dengan hormat tidak atas permintaan sendiri sebagai PNS",
        f"{_PP94} ayat (4) huruf c",
    ),
]

COMPENSATIONS = [
    ("permintaan-maaf", "Penyampaian permohonan maaf oleh Koordinator ULT", ""),
    (
        "layanan-ulang-langsung",
        "Menerima layanan ulang secara langsung dan bersifat segera dengan skala prioritas",
        "",
    ),
    (
        "layanan-ulang-online",
        "Menerima layanan ulang secara online dan bersifat segera dengan "
        "skala prioritas yang meliputi penerimaan layanan informasi, konfirmasi, dan penerimaan "
        "hasil layanan di tempat atau alamat penerima layanan",
        "",
    ),
]

CHANNELS = [
    (
        "letter",
        "Surat",
        "Ditujukan kepada Kepala BPMP Provinsi Kalimantan Tengah d.a. BPMP "
        f"Provinsi Kalimantan Tengah {ADDRESS}",
    ),
    ("phone", "Telepon/pesan teks (sms)/Whatsapp", "08115234400"),
    (
        "social_media",
        "Media sosial",
        "https://www.facebook.com/bmpkalteng\nhttps://www.instagram.com/bmp_kalteng",
    ),
    ("email", "Email", "ult.bmpkalteng@kemdikbud.go.id"),
    ("web", "Laman", "https://bmpkalteng.kemdikbud.go.id/ult"),
    (
        "in_person",
        "Tatap muka langsung",
        f"di Gedung Unit Layanan Terpadu (ULT) BPMP Provinsi Kalimantan Tengah {ADDRESS}",
    ),
]


@dataclass(frozen=True)
class DeadlineDefault:
    code: str
    name: str
    start_event: str
    end_event: str
    length: int
    day_kind: str


DEADLINES = [
    DeadlineDefault(
        "decree",
        "Penerbitan SK sanksi (1 minggu)",
        "proposal_approved",
        "decree_decided",
        7,
        "calendar",
    ),
    DeadlineDefault(
        "compensation",
        "Pemberian kompensasi",
        "decree_issued",
        "compensation_delivered",
        1,
        "working",
    ),
    DeadlineDefault(
        "daily_check",
        "Cek harian instrumen kepuasan",
        "response_day",
        "daily_check_signed",
        1,
        "working",
    ),
    DeadlineDefault(
        "complaint_ack",
        "Tanda terima pengaduan",
        "complaint_received",
        "complaint_acknowledged",
        1,
        "working",
    ),
    DeadlineDefault(
        "complaint_answer",
        "Jawaban pengaduan",
        "complaint_received",
        "complaint_answered",
        14,
        "calendar",
    ),
]

LEGAL_BASIS = [
    "Undang-undang No. 25 Tahun 2009 Tentang Layanan Informasi Publik;",
    "Peraturan pemerintah Nomor 17 Tahun 2010 Tentang Pengelolaan dan Penyelenggaraan Pendidikan;",
    "Peraturan Pemerintah Nomor 4 Tahun 2022 tentang Perubahan Peraturan Pemerintah Nomor 57 "
    "Tahun 2021 tentang Standar Nasional Pendidikan;",
    "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 35 Tahun 2012 "
    "tentang Pedoman Penyusunan Standar Operasional Prosedur Administrasi Pemerintahan;",
    "Peraturan Menteri Pendidikan, Kebudayaan, Riset, dan Teknologi Republik Indonesia Nomor 28 "
    "Tahun 2021 tentang Organisasi dan Tata Kerja Kementerian Pendidikan, Kebudayaan, Riset, dan "
    "Teknologi;",
    "Permendikbudristek nomor 9 tahun 2022 tentang evaluasi sistem pendidikan oleh pemerintah "
    "pusat dan pemerintah daerah terhadap pendidikan anak usia dini, pendidikan dasar, dan "
    "pendidikan menengah;",
    "Peraturan Menteri Pendidikan, Kebudayaan, Riset, dan Teknologi Republik Indonesia Nomor 3 "
    "Tahun 2021 tentang Tata Naskah Dinas Kementerian Pendidikan dan Kebudayaan;",
    "Peraturan Menteri Pendidikan, Kebudayaan, Riset, dan Teknologi Republik Indonesia Nomor 11 "
    "Tahun 2022 tentang Organisasi dan Tata Kerja Balai Besar Penjaminan Mutu Pendidikan;",
    "Keputusan Menteri Pendidikan, Kebudayaan, Riset, dan Teknologi Republik Indonesia Nomor "
    "125/M/2021 tentang Prosedur Operasional Standar Administrasi Pemerintahan Generik "
    "Ketatausahaan Kementerian Pendidikan, Kebudayaan, Riset dan Teknologi;",
    "Keputusan Menteri Pendidikan, Kebudayaan, Riset, dan Teknologi Republik Indonesia Nomor "
    "263/O/2022 tentang Rincian Tugas Balai Besar Penjaminan Mutu Pendidikan dan Balai "
    "Penjaminan Mutu Pendidikan;",
    "Keputusan Menteri Pendidikan, Kebudayaan, Riset, dan Teknologi Republik Indonesia Nomor "
    "55/O/2022 tentang Peta Proses Bisnis Kementerian Pendidikan, Kebudayaan, Riset, dan "
    "Teknologi;",
    "Keputusan Direktur Jenderal Pendidikan Anak Usia Dini, Pendidikan Dasar, dan Pendidikan "
    "Menengah Nomor 6812/C/OT.02.00/2022 tentang Peta Proses Bisnis Direktorat Jenderal "
    "Pendidikan Anak Usia Dini, Pendidikan Dasar, dan Pendidikan Menengah.",
]

FACILITIES = ["Ruang Layanan", "Komputer dan Printer", "Jaringan Internet"]

COMPETENCIES = [
    "Mengetahui tugas dan fungsi tentang sistem dan prosedur layanan pengaduan ULT BPMP "
    "Kalimantan Tengah.",
    "Mengetahui tugas dan fungsi tentang layanan pengaduan ULT BPMP Kalimantan Tengah.",
    "Memahami secara umum jenis layanan yang ada di ULT BPMP Kalimantan Tengah.",
    "Mengetahui tentang Teknologi Informasi.",
    "Kominikatif, sopan dan ramah.",
]


def _ensure(model, unit: Unit, code: str, order: int, **fields) -> bool:
    """Create the entry if missing; never overwrite what the unit's admin has edited."""
    _, created = model.objects.get_or_create(
        unit=unit, code=code, defaults={"order": order, **fields}
    )
    return created


@transaction.atomic
def load_standard(code: str = UNIT_CODE) -> tuple[Unit, int]:
    """Load the default standard into unit `code`; returns the unit and how many rows were new."""
    unit, unit_created = Unit.objects.get_or_create(code=code, defaults=UNIT)
    created = int(unit_created)
    for i, (severity, text) in enumerate(VIOLATIONS, start=1):
        created += _ensure(Violation, unit, f"v{i:02d}", i, text=text, severity=severity)
    for i, (c, level, name, ref) in enumerate(SANCTIONS, start=1):
        created += _ensure(SanctionKind, unit, c, i, name=name, level=level, legal_reference=ref)
    for i, (c, name, description) in enumerate(COMPENSATIONS, start=1):
        created += _ensure(CompensationKind, unit, c, i, name=name, description=description)
    for i, (c, name, contact) in enumerate(CHANNELS, start=1):
        created += _ensure(ComplaintChannel, unit, c, i, name=name, contact=contact)
    for i, d in enumerate(DEADLINES, start=1):
        created += _ensure(
            DeadlineRule,
            unit,
            d.code,
            i,
            name=d.name,
            start_event=d.start_event,
            end_event=d.end_event,
            length=d.length,
            day_kind=d.day_kind,
        )
    for i, text in enumerate(LEGAL_BASIS, start=1):
        created += _ensure(LegalBasis, unit, f"dh{i:02d}", i, text=text)
    for i, name in enumerate(FACILITIES, start=1):
        created += _ensure(Facility, unit, f"f{i:02d}", i, name=name)
    for i, text in enumerate(COMPETENCIES, start=1):
        created += _ensure(Competency, unit, f"k{i:02d}", i, text=text)
    return unit, created
