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
