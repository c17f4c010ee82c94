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
