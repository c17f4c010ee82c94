"""Demo staff and service types for a unit, so that `make run` shows a living system."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from .models import Membership, Role, ServiceType, Unit, User

STAFF = [
    ("backoffice", "Rina Oktaviani, S.Kom.", Role.BACK_OFFICE, "199103152019032001"),
    ("petugas1", "Andi Pratama, S.Pd.", Role.OFFICER, "199005122015031002"),
    ("petugas2", "Siti Rahmawati, S.E.", Role.OFFICER, "199208082018012003"),
    ("petugas3", "Yohanes Dedi Saputra, S.T.", Role.OFFICER, "198811202014021001"),
    ("petugas4", "Nurul Hidayah, S.Sos.", Role.OFFICER, "199402142020122004"),
    ("petugas5", "Bambang Setiawan, A.Md.", Role.OFFICER, "198703302010011005"),
    ("petugas6", "Dewi Lestari, S.Pd.", Role.OFFICER, "199511052022032006"),
    ("koordinator", "Hendra Gunawan, S.Pd., M.Pd.", Role.COORDINATOR, "198004172005011003"),
    ("pj", "Dr. Maria Ulfah, M.Pd.", Role.PERSON_IN_CHARGE, "197709092003122002"),
    ("kepala", "Tommy Haridjaya, S.Sos., M.M.", Role.HEAD, "197010192002121002"),
    ("kasubbag", "Agus Salim, S.H.", Role.SUPERVISOR, "197906062006041004"),
    ("admin", "Admin Pulih", Role.ADMIN, ""),
]

SERVICE_TYPES = [
    ("informasi", "Layanan informasi publik"),
    ("konsultasi", "Konsultasi penjaminan mutu pendidikan"),
    ("data-pendidikan", "Layanan data dan rapor pendidikan"),
    ("surat-keterangan", "Surat keterangan dan legalisasi"),
    ("fasilitas", "Peminjaman fasilitas dan ruang"),
]


@dataclass
class DemoStaff:
    by_role: dict[str, list[User]] = field(default_factory=dict)

    def one(self, role: str) -> User:
        return self.by_role[role][0]

    @property
    def officers(self) -> list[User]:
        return self.by_role[Role.OFFICER]


@transaction.atomic
def create_staff(unit: Unit, password: str) -> DemoStaff:
    staff = DemoStaff()
    for username, name, role, nip in STAFF:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "full_name": name,
                "nip": nip,
                "email": f"{username}@pulih.test",
                "is_staff": role == Role.ADMIN,
            },
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(user=user, unit=unit, role=role)
        staff.by_role.setdefault(role, []).append(user)
    for order, (code, name) in enumerate(SERVICE_TYPES, start=1):
        ServiceType.objects.get_or_create(
            unit=unit, code=code, defaults={"name": name, "order": order}
        )
    return staff
