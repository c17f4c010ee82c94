"""An organisation reader sees the roll-up of exactly the units below them, never anything
personal; the organisation's IKM, both ways, equals a hand count over every unit's answers."""

from __future__ import annotations

import datetime
import math
import random
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from django.utils import timezone

from conftest import make_member
from organisations.models import (
    Organisation,
    OrganisationMembership,
    OrganisationRole,
    OrganisationUnit,
)
from organisations.rollup import rollup
from reports.periods import previous_quarter
from surveys.services import submit_response
from units.models import ELEMENT_CODES, Unit


@pytest.fixture
def tree(unit, other_unit):
    """ministry → dg-a → (unit, other_unit); ministry → dg-b → unit-c; unit-d outside."""
    ministry = Organisation.objects.create(code="kemdikdasmen", name="Kementerian")
    dg_a = Organisation.objects.create(code="dg-a", name="Ditjen A", parent=ministry)
    dg_b = Organisation.objects.create(code="dg-b", name="Ditjen B", parent=ministry)
    unit_c = Unit.objects.create(code="unit-c", name="Unit C")
    unit_d = Unit.objects.create(code="unit-d", name="Unit D di luar")
    for org, u in ((dg_a, unit), (dg_a, other_unit), (dg_b, unit_c)):
        OrganisationUnit.objects.create(organisation=org, unit=u)
    return {"ministry": ministry, "dg_a": dg_a, "dg_b": dg_b, "c": unit_c, "d": unit_d}


def reader(organisation, username, role=OrganisationRole.LEADER):
    user = make_member(Unit.objects.create(code=f"home-{username}", name="x"), username)
    user.memberships.all().delete()
    OrganisationMembership.objects.create(user=user, organisation=organisation, role=role)
    return user


def answer(unit, scores, *, when=None, comment="", officer=None):
    return submit_response(
        unit,
        answers=dict(zip(ELEMENT_CODES, scores, strict=False)),
        comment=comment,
        submitted_at=when or timezone.now() - datetime.timedelta(hours=1),
        officer=officer,
    )


def hand_score(answer_lists) -> Decimal:
    """PermenPANRB 14/2017 by hand: mean per element, weight 1/k, × 25, half-up to 2."""
    k = len(ELEMENT_CODES)
    ikm = sum(
        Fraction(sum(a[i] for a in answer_lists), len(answer_lists)) * Fraction(1, k)
        for i in range(k)
    )
    hundredths = math.floor(ikm * 25 * 100 + Fraction(1, 2))
    return Decimal(hundredths) / 100


def test_a_reader_sees_exactly_the_units_below(client, tree, unit, other_unit):
    user = reader(tree["dg_a"], "dirjen")
    client.force_login(user)
    page = client.get("/organisasi/dg-a/")
    assert page.status_code == 200
    units = [row.unit for row in page.context["r"].units]
    assert set(units) == {unit, other_unit}
    html = page.content.decode()
    assert "Unit C" not in html and "Unit D di luar" not in html
    # Above, beside and outside the reader's organisation: as if it did not exist.
    for url in (
        "/organisasi/kemdikdasmen/",
        "/organisasi/dg-b/",
        "/organisasi/dg-a/unit/unit-c/",
        "/organisasi/dg-a/unit/unit-d/",
    ):
        assert client.get(url).status_code == 404
    assert client.get(f"/organisasi/dg-a/unit/{other_unit.code}/").status_code == 200


def test_the_ministry_reads_every_unit_of_its_tree_and_none_outside(client, tree, unit):
    client.force_login(reader(tree["ministry"], "menteri"))
    units = {row.unit.code for row in client.get("/organisasi/kemdikdasmen/").context["r"].units}
    assert units == {unit.code, "other-unit", "unit-c"}
    assert client.get("/organisasi/dg-b/").status_code == 200
    assert client.get("/organisasi/kemdikdasmen/unit/unit-d/").status_code == 404


def test_a_unit_staff_member_reads_no_organisation(client, tree, people):
    client.force_login(people["head"])
    assert client.get("/organisasi/dg-a/").status_code == 404


def test_nothing_personal_reaches_the_organisation(client, tree, unit, people, service_type):
    officer = people["officer"]
    answer(unit, [1, 1, 1, 1, 1, 1, 1, 1, 1], comment="Komentar pribadi Budi", officer=officer)
    client.force_login(reader(tree["dg_a"], "dirjen"))
    for url in ("/organisasi/dg-a/", f"/organisasi/dg-a/unit/{unit.code}/", "/o/dg-a/"):
        html = client.get(url).content.decode()
        assert "Komentar pribadi Budi" not in html
        assert officer.full_name not in html  # officers stay anonymous by default
    Organisation.objects.filter(pk=tree["dg_a"].pk).update(show_officer_names=True)
    html = client.get(f"/organisasi/dg-a/unit/{unit.code}/").content.decode()
    assert officer.full_name in html


def test_organisation_ikm_both_ways_equals_a_hand_count(tree, unit, other_unit):
    rng = random.Random(17)
    per_unit = {}
    for u, n in ((unit, 23), (other_unit, 7), (tree["c"], 11)):
        lists = [[rng.randint(1, 4) for _ in ELEMENT_CODES] for _ in range(n)]
        for scores in lists:
            answer(u, scores)
        per_unit[u.pk] = lists
    answer(tree["d"], [1] * 9)  # outside the tree: must not count
    today = timezone.localdate()
    r = rollup(tree["ministry"], today - datetime.timedelta(days=7), today)
    everyone = [a for lists in per_unit.values() for a in lists]
    assert r.pooled.respondents == 41
    assert r.pooled.score == hand_score(everyone)
    unit_scores = [hand_score(lists) for lists in per_unit.values()]
    mean = (sum(unit_scores) / 3).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert r.mean_of_units == mean
    assert {row.unit.pk: row.ikm.score for row in r.units} == {
        pk: hand_score(lists) for pk, lists in per_unit.items()
    }
    scores = [row.ikm.score for row in r.units]
    assert scores == sorted(scores, reverse=True)  # ranked


def test_rollup_reads_a_fixed_number_of_queries(tree, unit, django_assert_max_num_queries):
    answer(unit, [3] * 9)
    today = timezone.localdate()
    with django_assert_max_num_queries(14):
        rollup(tree["ministry"], today - datetime.timedelta(days=30), today)


def test_public_page_ranks_the_units_of_the_last_quarter(client, tree, unit, other_unit):
    start, end = previous_quarter(timezone.localdate())
    when = timezone.make_aware(datetime.datetime.combine(start, datetime.time(10)))
    answer(unit, [4] * 9, when=when)
    answer(other_unit, [2] * 9, when=when)
    answer(tree["c"], [3] * 9, when=when)
    html = client.get("/o/kemdikdasmen/").content.decode()
    order = [
        html.index(name) for name in ("BPMP Provinsi Kalimantan Tengah", "Unit C", "Unit Lain")
    ]
    assert order == sorted(order)
    assert "Unit D di luar" not in html
    assert client.get("/o/nope/").status_code == 404


def test_org_dashboard_totals_cases_and_budget(client, tree, unit):
    from units.models import CompensationBudget

    CompensationBudget.objects.create(unit=unit, year=timezone.localdate().year, amount=2_000_000)
    client.force_login(reader(tree["ministry"], "menteri", OrganisationRole.SUPERVISOR))
    r = client.get("/organisasi/kemdikdasmen/").context["r"]
    assert r.budget == 2_000_000 and r.spent == 0


def test_a_unit_admin_cannot_place_units_in_organisations(client, people):
    admin_user = people["admin"]
    admin_user.is_staff = True
    admin_user.save()
    client.force_login(admin_user)
    assert client.get("/admin/organisations/organisation/").status_code == 403


def test_cases_per_state_and_decrees_on_time_are_counted_in_each_units_own_days(tree, unit, people):
    """Cases opened and decrees issued just inside and just outside the period, in units of
    two time zones, in every state, decrees late or without a deadline, written as rows (as
    an import of old records or a repair would find them) and their tallies recounted: the
    roll-up's counts equal those of the rows themselves, each unit read in its own local days."""
    from cases.models import Case, CaseState, Decree, Proposal
    from cases.tally import rebuild
    from units.models import SanctionKind

    other = tree["c"]
    other.time_zone = "Asia/Jayapura"  # two hours ahead of the default unit's Jakarta
    other.save(update_fields=["time_zone"])
    start, end = datetime.date(2026, 10, 1), datetime.date(2026, 12, 31)
    sanction = SanctionKind.objects.filter(unit=unit).first()
    officer, head = people["officer"], people["head"]
    expected: dict[str, int] = {}
    decrees = on_time = 0
    n = 0
    for u in (unit, other):
        since, until = u.day_bounds(start, end)
        edges = [
            since,
            since - datetime.timedelta(seconds=1),
            until - datetime.timedelta(seconds=1),
        ]
        edges += [until, since + datetime.timedelta(days=40)]
        for at in edges:
            for i, state in enumerate(CaseState.values):
                n += 1
                case = Case.objects.create(
                    unit=u, officer=officer, source_kind="manual", opened_at=at, state=state
                )
                inside = since <= at < until
                expected[state] = expected.get(state, 0) + inside
                if i % 3:
                    continue
                proposal = Proposal.objects.create(
                    case=case, sanction=sanction, reasoning="x", proposed_by=head, proposed_at=at
                )
                # On time, late, or held to no deadline, in turn.
                due = [at, at - datetime.timedelta(minutes=1), None][n % 3]
                Decree.objects.create(
                    case=case,
                    unit=u,
                    proposal=proposal,
                    year=2026,
                    sequence=n,
                    number=f"SK-{n}",
                    date=at.date(),
                    sanction=sanction,
                    signer=head,
                    signer_name="Kepala",
                    issued_at=at,
                    due_at=due,
                )
                decrees += inside
                on_time += inside and due is not None and at <= due
    rebuild()
    r = rollup(tree["ministry"], start, end)
    assert r.cases_by_state == {s: c for s, c in expected.items() if c}
    assert (r.decrees_total, r.decrees_on_time) == (decrees, on_time)
    assert 0 < on_time < decrees
