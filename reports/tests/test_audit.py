from units.models import Violation


def test_supervisor_reads_every_change_with_who_and_old_and_new(client, unit, people):
    violation = Violation.objects.get(unit=unit, code="v06")
    violation._history_user = people["admin"]
    violation.text = "Menolak tugas dari atasan tanpa alasan sah;"
    violation.save()
    client.force_login(people["supervisor"])
    page = client.get("/laporan/audit/").content.decode()
    assert "Menolak tugas dari atasan tanpa alasan sah;" in page
    assert "Melawan dan menolak tugas dari atasan;" in page  # the old value
    assert "Adam Admin" in page


def test_audit_is_read_only_and_for_the_overseers(client, unit, people, outsider):
    client.force_login(people["supervisor"])
    assert client.post("/laporan/audit/").status_code == 405
    for role in ("officer", "back_office", "coordinator"):
        client.force_login(people[role])
        assert client.get("/laporan/audit/").status_code == 403
    Violation.objects.filter(unit=unit, code="v01").update(text="x")
    client.force_login(outsider)
    assert "Bersikap dan bertindak" not in client.get("/laporan/audit/").content.decode()


def test_money_and_times_read_as_the_reader_writes_them(client, unit, people):
    import datetime

    from django.utils import timezone, translation

    from units.models import CompensationBudget

    budget = CompensationBudget.objects.create(unit=unit, year=2026, amount=5_000_000)
    budget.amount = 7_500_000
    budget.save()
    client.force_login(people["supervisor"])
    page = client.get("/laporan/audit/").content.decode()
    assert "Rp 5.000.000" in page and "Rp 7.500.000" in page
    assert "5,000,000" not in page and "7500000" not in page

    from reports.audit import shown

    at = datetime.datetime(2026, 12, 1, 20, 7, 10, 721447, tzinfo=datetime.UTC)
    with translation.override("id"), timezone.override("Asia/Jakarta"):
        assert shown(CompensationBudget, "updated_at", at) == "2 Desember 2026 03.07"
    with translation.override("en"), timezone.override("Asia/Jakarta"):
        assert "Dec" in shown(CompensationBudget, "updated_at", at)
    assert shown(CompensationBudget, "amount", None) == "—"


# --- the unit's security events (issue 13) ------------------------------------------------

import pytest  # noqa: E402
from django.test import Client  # noqa: E402

from conftest import PASSWORD  # noqa: E402
from reports.models import AuditEntry, AuditKind  # noqa: E402
from units.models import Membership, Role  # noqa: E402


def audit_page(client, people, **query) -> str:
    client.force_login(people["supervisor"])
    return client.get("/laporan/audit/", query).content.decode()


def test_logins_failures_and_lockouts_reach_the_units_audit(client, people):
    browser = Client()
    assert (
        browser.post("/accounts/login/", {"username": "bella", "password": PASSWORD}).status_code
        == 302
    )
    for _ in range(5):
        Client().post("/accounts/login/", {"username": "cici", "password": "salah"})
    kinds = list(AuditEntry.objects.values_list("kind", "username"))
    assert (AuditKind.LOGIN, "bella") in kinds
    assert kinds.count((AuditKind.LOGIN_FAILED, "cici")) >= 4
    assert (AuditKind.LOCKOUT, "cici") in kinds
    page = audit_page(client, people)
    assert "Login gagal" in page and "Terkunci" in page and "Bella Back" in page


def test_role_grants_and_revocations_through_the_admin_are_recorded(client, people, unit):
    admin_user = people["admin"]
    admin_user.is_staff = True
    admin_user.save()
    client.force_login(admin_user)
    response = client.post(
        "/admin/units/membership/add/",
        {"user": people["officer"].pk, "unit": unit.pk, "role": Role.COORDINATOR},
    )
    assert response.status_code == 302
    granted = Membership.objects.get(user=people["officer"], role=Role.COORDINATOR)
    client.post(f"/admin/units/membership/{granted.pk}/delete/", {"post": "yes"})
    kinds = set(AuditEntry.objects.filter(unit=unit).values_list("kind", flat=True))
    assert {AuditKind.ROLE_GRANTED, AuditKind.ROLE_REVOKED, AuditKind.ADMIN_ACTION} <= kinds
    granted_entry = AuditEntry.objects.get(kind=AuditKind.ROLE_GRANTED, actor=admin_user)
    assert granted_entry.actor == admin_user and "oscar" in granted_entry.summary


def test_exports_of_personal_data_are_recorded(client, people, unit):
    client.force_login(people["head"])
    assert client.get("/pengaduan/ekspor.xlsx").status_code == 200
    entry = AuditEntry.objects.get(kind=AuditKind.EXPORT)
    assert entry.actor == people["head"] and entry.unit == unit


def test_the_audit_filters_by_date_person_and_kind(client, people, unit):
    Client().post("/accounts/login/", {"username": "bella", "password": PASSWORD})
    Client().post("/accounts/login/", {"username": "cici", "password": "salah"})
    page = audit_page(client, people, kind="login_failed")
    assert "Cici Koordinator" in page and "Bella Back" not in page
    page = audit_page(client, people, person="bella")
    assert "Bella Back" in page and "Cici Koordinator" not in page
    page = audit_page(client, people, start="2001-01-01", end="2001-01-31")
    assert "Bella Back" not in page
    page = audit_page(client, people, start="0001-01-01")
    assert "2000-01-01" in page  # a form error, not a 500


def test_the_audit_is_for_the_unit_only(client, people, outsider):
    Client().post("/accounts/login/", {"username": "ursula", "password": PASSWORD})
    assert "Ursula" not in audit_page(client, people)


def test_entries_are_never_changed_or_deleted(people):
    Client().post("/accounts/login/", {"username": "bella", "password": PASSWORD})
    entry = AuditEntry.objects.get(kind=AuditKind.LOGIN)
    entry.summary = "x"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(summary="x")
