"""Compensation: the budget it draws on, telling the customer, and the public tracking page."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from cases import workflow
from cases.budget import budget_status, spending_against_budget
from cases.models import CaseState, NotifyChannel
from cases.notify import whatsapp_number
from pulih.lib.errors import InvalidInput
from units.models import CompensationBudget

S = CaseState


def compensate(case, people, cost, **extra):
    return workflow.decide_compensation(
        case,
        actor=people["coordinator"],
        compensations=["permintaan-maaf", "layanan-ulang-langsung"],
        cost=cost,
        **extra,
    )


def test_cost_draws_on_the_years_budget(make_case, people, unit, budget):
    compensate(make_case(S.COMPENSATION), people, 250_000)
    compensate(make_case(S.COMPENSATION), people, 100_000)
    status = budget_status(unit, timezone.localdate().year)
    assert (status.amount, status.spent, status.remaining) == (1_000_000, 350_000, 650_000)
    assert not status.exceeded


def test_going_over_budget_needs_an_explicit_confirmation(make_case, people, unit, budget):
    compensate(make_case(S.COMPENSATION), people, 900_000)
    case = make_case(S.COMPENSATION)
    with pytest.raises(InvalidInput) as error:
        compensate(case, people, 200_000)
    assert "confirm_over_budget" in error.value.fields
    assert "100.000" in error.value.fields["confirm_over_budget"][0]  # what remains
    case.refresh_from_db()
    assert case.state == S.COMPENSATION
    compensation = compensate(case, people, 200_000, confirm_over_budget=True)
    assert compensation.over_budget
    assert case.state == S.DELIVERY
    assert case.events.order_by("-pk").first().data["over_budget"] is True
    assert budget_status(unit, timezone.localdate().year).exceeded


def test_without_a_budget_any_cost_is_over_budget_but_free_compensation_is_not(make_case, people):
    assert not compensate(make_case(S.COMPENSATION), people, 0).over_budget
    with pytest.raises(InvalidInput):
        compensate(make_case(S.COMPENSATION), people, 1)


def test_spending_against_budget_per_year(make_case, people, unit, budget):
    CompensationBudget.objects.create(unit=unit, year=2020, amount=500_000)
    compensate(make_case(S.COMPENSATION), people, 1_200_000, confirm_over_budget=True)
    compensate(make_case(S.COMPENSATION), people, 0)
    rows = spending_against_budget(unit)
    year = timezone.localdate().year
    assert [(r.year, r.amount, r.spent, r.over_budget_count) for r in rows] == [
        (year, 1_000_000, 1_200_000, 1),
        (2020, 500_000, 0, 0),
    ]
    assert rows[0].percent_spent == 120.0


def test_the_head_sees_compensation_over_budget_on_their_home(client, make_case, people, budget):
    case = make_case(S.COMPENSATION)
    compensate(case, people, 2_000_000, confirm_over_budget=True)
    client.force_login(people["head"])
    html = client.get("/").content.decode()
    assert 'id="compensation-budget"' in html
    assert f'href="/kasus/{case.pk}/"' in html
    assert "Rp 2.000.000" in html
    client.force_login(people["back_office"])
    assert 'id="compensation-budget"' not in client.get("/").content.decode()


# --- Telling the customer ---------------------------------------------------------------------


def test_a_customer_with_an_email_is_mailed_the_tracking_link(
    make_case, people, django_capture_on_commit_callbacks
):
    case = make_case(S.COMPENSATION, contact="budi@contoh.id")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        compensation = compensate(case, people, 0)
    to_customer = [m for m in mail.outbox if m.to == ["budi@contoh.id"]]
    assert len(to_customer) == 1
    body = to_customer[0].body
    assert f"/kompensasi/{compensation.tracking_token}/" in body
    assert "Penyampaian permohonan maaf oleh Koordinator ULT" in body
    assert "Oscar" not in body and "Teguran" not in body
    assert compensation.notify_channel == NotifyChannel.EMAIL


def test_a_customer_with_a_phone_gets_a_whatsapp_link_for_staff(
    client, make_case, people, django_capture_on_commit_callbacks
):
    case = make_case(S.COMPENSATION, contact="0812-3456-7890")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        compensation = compensate(case, people, 0)
    assert all("0812" not in ",".join(m.to) for m in mail.outbox)
    assert compensation.notify_channel == NotifyChannel.WHATSAPP
    client.force_login(people["coordinator"])
    html = client.get(f"/kasus/{case.pk}/").content.decode()
    assert 'href="https://wa.me/6281234567890?text=' in html


@pytest.mark.parametrize(
    ("contact", "number"),
    [
        ("0812 3456 7890", "6281234567890"),
        ("+62 812-3456-7890", "6281234567890"),
        ("81234567890", "6281234567890"),
        ("budi@contoh.id", None),
        ("12", None),
        ("", None),
    ],
)
def test_phone_numbers_become_international_for_whatsapp(contact, number):
    assert whatsapp_number(contact) == number


def test_the_tracking_page_shows_status_and_kinds_only(client, make_case, people):
    case = make_case(S.COMPENSATION, name="Budi Santoso")
    compensation = compensate(case, people, 0)
    url = f"/kompensasi/{compensation.tracking_token}/"
    html = client.get(url).content.decode()
    assert "Penyampaian permohonan maaf oleh Koordinator ULT" in html
    assert "akan menghubungi" in html  # decided, not yet given
    for hidden in ("Oscar", "oscar", "Teguran", "teguran", "0001/C7.22", "Budi"):
        assert hidden not in html, hidden
    workflow.deliver_compensation(
        case,
        actor=people["coordinator"],
        delivered_at=timezone.now(),
        method="Langsung",
        customer_acknowledged=True,
    )
    assert "Diberikan kepada Anda pada" in client.get(url).content.decode()


def test_an_unknown_tracking_token_is_not_found(client, db):
    assert client.get("/kompensasi/tidak-ada/").status_code == 404


HUGE = 10**20


def test_an_absurd_cost_is_a_form_error_even_with_the_over_budget_box(
    client, make_case, people, budget
):
    case = make_case(S.COMPENSATION)
    client.force_login(people["coordinator"])
    data = {
        "compensate-compensations": ["permintaan-maaf"],
        "compensate-cost": str(HUGE),
        "compensate-confirm_over_budget": "on",
    }
    response = client.post(f"/kasus/{case.pk}/aksi/compensate/", data)
    assert response.status_code == 400
    assert "1000000000000" in response.content.decode().replace(".", "")
    case.refresh_from_db()
    assert case.state == S.COMPENSATION


def test_the_api_refuses_an_absurd_cost_naming_the_field(make_case, people, budget):
    from rest_framework.test import APIClient

    case = make_case(S.COMPENSATION)
    api = APIClient()
    api.force_authenticate(people["coordinator"])
    body = {"compensations": ["permintaan-maaf"], "cost": HUGE, "confirm_over_budget": True}
    response = api.post(f"/api/v1/cases/{case.pk}/compensate/", body, format="json")
    assert response.status_code == 400
    assert "cost" in response.json()


def test_the_service_and_the_model_keep_the_bound(make_case, people, budget):
    from django.core.exceptions import ValidationError

    from cases.models import Compensation

    with pytest.raises(InvalidInput) as error:
        compensate(make_case(S.COMPENSATION), people, HUGE, confirm_over_budget=True)
    assert "cost" in error.value.fields
    with pytest.raises(ValidationError):
        Compensation._meta.get_field("cost").run_validators(HUGE)
