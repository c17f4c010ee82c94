"""The admin keeps a unit admin inside their own unit: list, change, delete, history and revert."""

from __future__ import annotations

import pytest

from conftest import make_member
from units.models import CompensationBudget, Membership, Role, Unit, Violation


@pytest.fixture
def unit_admin(client, people):
    admin_user = people["admin"]
    admin_user.is_staff = True
    admin_user.save()
    client.force_login(admin_user)
    return admin_user


@pytest.fixture
def other_head(other_unit):
    return make_member(other_unit, "bambang", Role.HEAD, full_name="Bambang Kepala Lain")


def other_urls(obj, app_model: str) -> list[str]:
    version = obj.history.latest("history_date").history_id
    base = f"/admin/{app_model}/{obj.pk}"
    return [
        f"{base}/change/",
        f"{base}/delete/",
        f"{base}/history/",
        f"{base}/history/{version}/",
    ]


def assert_refused(response) -> None:
    # 404 (or Django admin's redirect to the index for a missing object), never the object.
    assert response.status_code in (302, 403, 404), response.status_code
    if response.status_code == 302:
        assert response["Location"].rstrip("/").endswith("/admin")


def test_unit_admin_cannot_open_another_units_object_or_its_history(client, unit_admin, other_unit):
    violation = Violation.objects.create(unit=other_unit, code="x1", text="Rahasia unit lain")
    for url in other_urls(other_unit, "units/unit") + other_urls(violation, "units/violation"):
        response = client.get(url)
        assert_refused(response)
        assert "Rahasia unit lain" not in response.content.decode()
        assert "Unit Lain" not in response.content.decode()


def test_unit_admin_cannot_revert_another_units_unit(client, unit_admin, other_unit):
    version = other_unit.history.latest("history_date").history_id
    response = client.post(
        f"/admin/units/unit/{other_unit.pk}/history/{version}/",
        {"code": other_unit.code, "name": "Diganti lewat revert", "time_zone": "Asia/Jakarta"},
    )
    assert_refused(response)
    other_unit.refresh_from_db()
    assert other_unit.name == "Unit Lain"


def test_unit_admin_cannot_move_another_units_head_into_their_unit(
    client, unit_admin, unit, other_unit, other_head
):
    membership = Membership.objects.get(user=other_head)
    version = membership.history.latest("history_date").history_id
    for url in (
        f"/admin/units/membership/{membership.pk}/history/{version}/",
        f"/admin/units/membership/{membership.pk}/change/",
    ):
        response = client.post(url, {"user": other_head.pk, "unit": unit.pk, "role": Role.HEAD})
        assert_refused(response)
    membership.refresh_from_db()
    assert membership.unit == other_unit


def test_an_object_once_in_another_unit_keeps_its_history_closed(
    client, unit_admin, unit, other_unit
):
    budget = CompensationBudget.objects.create(unit=other_unit, year=2026, amount=1_000_000)
    budget.unit = unit
    budget.save()
    version = budget.history.earliest("history_date").history_id
    assert_refused(client.get(f"/admin/units/compensationbudget/{budget.pk}/history/"))
    assert_refused(
        client.post(
            f"/admin/units/compensationbudget/{budget.pk}/history/{version}/",
            {"unit": unit.pk, "year": 2026, "amount": 5},
        )
    )
    budget.refresh_from_db()
    assert budget.amount == 1_000_000


def test_unit_admin_still_reads_and_reverts_their_own_units_history(client, unit_admin, unit):
    violation = Violation.objects.get(unit=unit, code="v06")
    original = violation.text
    violation.text = "Teks yang salah"
    violation.save()
    first = violation.history.order_by("history_date").first().history_id
    page = client.get(f"/admin/units/violation/{violation.pk}/history/")
    assert page.status_code == 200
    assert "Teks yang salah" in page.content.decode()
    response = client.post(
        f"/admin/units/violation/{violation.pk}/history/{first}/",
        {
            "unit": unit.pk,
            "code": "v06",
            "order": violation.order,
            "active": "on",
            "text": original,
            "severity": violation.severity,
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    violation.refresh_from_db()
    assert violation.text == original


def test_unit_admin_cannot_grant_a_role_to_themselves(client, unit_admin, unit):
    before = set(Membership.objects.filter(user=unit_admin).values_list("role", flat=True))
    for role in (Role.HEAD, Role.COORDINATOR, Role.PERSON_IN_CHARGE):
        response = client.post(
            "/admin/units/membership/add/", {"user": unit_admin.pk, "unit": unit.pk, "role": role}
        )
        assert response.status_code == 200
        assert "diri sendiri" in response.content.decode()
    after = set(Membership.objects.filter(user=unit_admin).values_list("role", flat=True))
    assert after == before


def test_unit_admin_can_grant_a_role_to_a_colleague(client, unit_admin, unit, people):
    colleague = people["officer"]
    response = client.post(
        "/admin/units/membership/add/", {"user": colleague.pk, "unit": unit.pk, "role": Role.HEAD}
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    assert Membership.objects.filter(user=colleague, unit=unit, role=Role.HEAD).exists()


def test_unit_admin_cannot_turn_another_membership_into_their_own(client, unit_admin, unit, people):
    membership = Membership.objects.get(user=people["head"], role=Role.HEAD)
    response = client.post(
        f"/admin/units/membership/{membership.pk}/change/",
        {"user": unit_admin.pk, "unit": unit.pk, "role": Role.HEAD},
    )
    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.user == people["head"]


def test_a_superuser_still_sees_every_unit(client, other_unit, db):
    from units.models import User

    root = User.objects.create_superuser("root", "root@pulih.test", "x")
    client.force_login(root)
    assert client.get(f"/admin/units/unit/{other_unit.pk}/history/").status_code == 200
    assert Unit.objects.filter(pk=other_unit.pk).exists()
