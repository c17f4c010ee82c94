"""The back office's daily check (A–B), the recap PDF, the IKM page, reminders, home."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from pypdf import PdfReader

from cases.models import Case
from surveys import reminders
from surveys.models import DailyCheck
from units.models import ELEMENT_CODES

GOOD = dict.fromkeys(ELEMENT_CODES, 4)
MONDAY = datetime.date(2026, 11, 2)  # a working day; Tuesday 3 November is the next one


def at(day: datetime.date, hour: int, zone) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=zone)


@pytest.fixture
def monday(unit, people, respond):
    """Three answers on Monday 2 November 2026, one rating Oscar poorly on U7."""
    respond(GOOD, officer=people["officer2"], at=at(MONDAY, 9, unit.zone))
    respond({**GOOD, "U7": 1, "U3": 2}, officer=people["officer"], at=at(MONDAY, 10, unit.zone))
    respond({**GOOD, "U8": 2}, at=at(MONDAY, 11, unit.zone))


def page(client, user, day=MONDAY):
    client.force_login(user)
    return client.get(f"/harian/?day={day.isoformat()}")


@time_machine.travel(datetime.datetime(2026, 11, 3, 8, tzinfo=datetime.UTC))
def test_back_office_sees_the_flagged_response_with_its_officer(client, people, monday):
    response = page(client, people["back_office"])
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cek harian hasil survei kepuasan" in html
    flagged = html[html.index('id="flagged"') : html.index('id="refer-form"')]
    assert "Oscar Officer" in flagged
    assert "Olive Officer" not in flagged  # rated well
    assert (
        "U7" in flagged and "Perilaku pelaksana" in flagged and "Tidak sopan dan ramah" in flagged
    )
    assert "U8" in flagged and "lembaga" in flagged  # the institution's element
    assert not Case.objects.exists()  # it waits here to be referred (cases.intake)
    assert 'id="refer-form"' in html and 'name="responses"' in flagged
    assert "Siti" not in html  # no customer identity on the page
    assert 'id="ikm-day"' in html and 'id="ikm-month"' in html
    assert "3 responden" in html


@time_machine.travel(datetime.datetime(2026, 11, 3, 8, tzinfo=datetime.UTC))
def test_back_office_signs_the_day_off(client, people, monday):
    client.force_login(people["back_office"])
    response = client.post("/harian/tanda-tangan/", {"day": MONDAY.isoformat(), "note": "Aman"})
    assert response.status_code == 302
    check = DailyCheck.objects.get()
    assert (check.day, check.signed_by, check.note) == (MONDAY, people["back_office"], "Aman")
    html = page(client, people["back_office"]).content.decode()
    assert "Diperiksa oleh Bella Back" in html
    assert 'id="sign-button"' not in html
    again = client.post("/harian/tanda-tangan/", {"day": MONDAY.isoformat()}, follow=True)
    assert "sudah ditandatangani" in again.content.decode()
    assert DailyCheck.objects.count() == 1


@pytest.mark.parametrize("role", ["coordinator", "person_in_charge", "head", "supervisor"])
def test_read_roles_view_the_daily_page(client, people, monday, role):
    response = page(client, people[role])
    assert response.status_code == 200
    can_sign = role == "coordinator"
    assert ('id="sign-button"' in response.content.decode()) is can_sign


@pytest.mark.parametrize("role", ["person_in_charge", "head", "supervisor"])
def test_read_only_roles_cannot_sign(client, people, role):
    client.force_login(people[role])
    response = client.post("/harian/tanda-tangan/", {"day": "2026-11-02"})
    assert response.status_code == 403
    assert not DailyCheck.objects.exists()


@pytest.mark.parametrize("role", ["officer", "admin"])
def test_officers_and_admins_do_not_see_the_daily_page(client, people, role):
    assert page(client, people[role]).status_code == 403
    client.force_login(people[role])
    assert client.get("/harian/rekap.pdf").status_code == 403
    assert client.get("/ikm/").status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    assert client.get("/harian/").status_code == 302


def test_outsider_sees_only_their_own_empty_unit(client, outsider, monday):
    html = page(client, outsider).content.decode()
    assert "Oscar Officer" not in html
    assert "Tidak ada jawaban pada hari ini" in html


def test_daily_page_queries_are_bounded(
    client, unit, people, respond, django_assert_max_num_queries
):
    for hour in range(8, 16):
        respond({**GOOD, "U6": 1}, officer=people["officer"], at=at(MONDAY, hour, unit.zone))
        respond(GOOD, officer=people["officer2"], at=at(MONDAY, hour, unit.zone))
    client.force_login(people["back_office"])
    with django_assert_max_num_queries(25):
        response = client.get(f"/harian/?day={MONDAY.isoformat()}")
    assert response.content.decode().count('class="flagged"') >= 8


def test_missed_and_late_days_are_listed(client, unit, people, respond):
    respond(GOOD, at=at(MONDAY, 9, unit.zone))
    friday = datetime.date(2026, 10, 30)
    respond(GOOD, at=at(friday, 9, unit.zone))
    thursday = datetime.date(2026, 10, 29)
    respond(GOOD, at=at(thursday, 9, unit.zone))
    # Friday's results were due at the end of Monday; signed on Tuesday morning: late.
    DailyCheck.objects.create(
        unit=unit,
        day=friday,
        signed_by=people["back_office"],
        signed_at=at(MONDAY, 30, unit.zone)
        if False
        else at(datetime.date(2026, 11, 3), 8, unit.zone),
    )
    DailyCheck.objects.create(
        unit=unit, day=thursday, signed_by=people["back_office"], signed_at=at(friday, 8, unit.zone)
    )
    with time_machine.travel(at(datetime.date(2026, 11, 3), 12, unit.zone)):
        html = page(client, people["back_office"], datetime.date(2026, 11, 3)).content.decode()
        missed = html[html.index('id="missed"') :]
        assert "30 Oktober 2026" in missed and "terlambat" in missed
        assert "2 November 2026" not in missed  # due by the end of today: not missed yet
        assert "29 Oktober 2026" not in missed  # signed on time
    with time_machine.travel(at(datetime.date(2026, 11, 4), 9, unit.zone)):
        html = page(client, people["back_office"], datetime.date(2026, 11, 4)).content.decode()
        missed = html[html.index('id="missed"') :]
        assert "2 November 2026" in missed and "belum ditandatangani" in missed


def test_reminders_go_to_the_back_office_then_escalate(unit, people, respond):
    respond(GOOD, at=at(MONDAY, 9, unit.zone))
    due_today = list(reminders.collect(datetime.date(2026, 11, 3)))
    assert [r.recipients for r in due_today] == [[people["back_office"]]]
    assert not due_today[0].escalation
    assert "2 November 2026" in due_today[0].subject
    overdue = list(reminders.collect(datetime.date(2026, 11, 4)))
    assert overdue[0].escalation
    assert set(overdue[0].recipients) == {people["back_office"], people["coordinator"]}
    assert overdue[0].key != due_today[0].key
    DailyCheck.objects.create(
        unit=unit, day=MONDAY, signed_by=people["back_office"], signed_at=at(MONDAY, 17, unit.zone)
    )
    assert list(reminders.collect(datetime.date(2026, 11, 4))) == []


def test_nothing_to_remind_on_the_day_itself(unit, respond):
    respond(GOOD, at=at(MONDAY, 9, unit.zone))
    assert list(reminders.collect(MONDAY)) == []


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


@time_machine.travel(datetime.datetime(2026, 11, 3, 8, tzinfo=datetime.UTC))
def test_recap_pdf_of_a_day_lists_the_flagged_and_the_charts(client, people, monday):
    client.force_login(people["back_office"])
    response = client.get("/harian/rekap.pdf?start=2026-11-02&end=2026-11-02")
    text = pdf_text(response)
    assert "REKAPITULASI SURVEI KEPUASAN MASYARAKAT" in text
    assert "Oscar Officer" in text
    assert "Perilaku pelaksana" in text
    assert "IKM per bulan" in text and "IKM per jenis layanan" in text
    assert "IKM per petugas" not in text  # not for the back office
    assert "Siti" not in text
    # a letter of the unit: its number from the unit's pattern, place and date, the signer
    assert "Nomor: 0001/" in text and "/PR.03.01/2026" in text
    assert "3 November 2026" in text and "Bella Back" in text
    second = pdf_text(client.get("/harian/rekap.pdf?start=2026-11-02&end=2026-11-02"))
    assert "Nomor: 0002/" in second  # each recap printed takes the next number
    client.force_login(people["head"])
    assert "IKM per petugas" in pdf_text(client.get("/harian/rekap.pdf?start=2026-11-01"))


@time_machine.travel(datetime.datetime(2026, 11, 20, 8, tzinfo=datetime.UTC))
def test_ikm_page_shows_the_worked_example_and_charts(client, people, worked_example):
    client.force_login(people["supervisor"])
    html = client.get("/ikm/?start=2026-11-01&end=2026-11-30").content.decode()
    assert "91,48" in html
    assert "Sangat baik" in html
    assert 'id="chart-officer"' in html
    assert html.count("<svg") >= 4
    assert "style=" not in html
    client.force_login(people["back_office"])
    html = client.get("/ikm/?start=2026-11-01&end=2026-11-30").content.decode()
    assert "91,48" in html
    assert 'id="chart-officer"' not in html


def test_ikm_page_survives_bad_dates(client, people):
    client.force_login(people["head"])
    assert client.get("/ikm/?start=kemarin&end=2026-13-45").status_code == 200
    assert client.get("/harian/?day=bukan-tanggal").status_code == 200
    assert client.get("/harian/rekap.pdf?start=x").status_code == 200


@time_machine.travel(datetime.datetime(2026, 11, 2, 8, tzinfo=datetime.UTC))
def test_home_shows_the_back_office_todays_flagged_count(client, people, monday):
    client.force_login(people["back_office"])
    html = client.get("/").content.decode()
    assert 'id="home-surveys-daily"' in html
    assert "2 ditandai" in html
    assert 'href="/harian/"' in html
    client.force_login(people["officer"])
    html = client.get("/").content.decode()
    assert 'id="home-surveys-daily"' not in html
    assert 'id="home-surveys-record"' in html
    assert 'href="/harian/"' not in html


def test_extreme_dates_do_not_break_the_pages(client, people):
    client.force_login(people["head"])
    assert client.get("/ikm/?start=0001-01-01&end=9999-12-31").status_code == 200
    assert client.get("/harian/?day=0001-01-01").status_code == 200
    assert client.get("/harian/rekap.pdf?start=0001-01-01&end=0001-01-02").status_code == 200


@time_machine.travel(datetime.datetime(2026, 11, 3, 8, tzinfo=datetime.UTC))
def test_a_busy_day_is_paged_fifty_answers_at_a_time(client, unit, people, respond):
    for minute in range(52):
        moment = at(MONDAY, 9, unit.zone) + datetime.timedelta(minutes=minute)
        respond(GOOD, officer=people["officer2"], at=moment)
    first = page(client, people["back_office"]).content.decode()
    table = first[first.index('id="responses"') :]
    assert table.count("<tr>") + table.count('<tr class="flagged">') == 1 + 50  # head + rows
    assert 'id="responses-pager"' in first and "Halaman 1 dari 2" in first
    assert '<p class="kpi">52</p>' in first  # the day's count is the whole day's
    second = client.get(f"/harian/?day={MONDAY.isoformat()}&page=2").content.decode()
    rows = second[second.index('id="responses"') :]
    assert rows.count("<tr>") == 1 + 2


@time_machine.travel(datetime.datetime(2026, 11, 3, 8, tzinfo=datetime.UTC))
def test_the_daily_check_costs_the_same_queries_however_busy_the_day(
    client, unit, people, respond, monday, django_assert_max_num_queries
):
    client.force_login(people["back_office"])
    url = f"/harian/?day={MONDAY.isoformat()}"
    client.get(url)
    with django_assert_max_num_queries(40) as quiet:
        client.get(url)
    for minute in range(30):
        poor = {**GOOD, "U7": 1} if minute % 3 == 0 else GOOD
        moment = at(MONDAY, 12, unit.zone) + datetime.timedelta(minutes=minute)
        respond(poor, officer=people["officer"], at=moment)
    with django_assert_max_num_queries(len(quiet.captured_queries)):
        busy = client.get(url)
    assert "33 responden" in busy.content.decode()


@time_machine.travel(datetime.datetime(2026, 11, 3, 8, tzinfo=datetime.UTC))
def test_the_daily_check_costs_the_same_queries_however_many_days_had_answers(
    client, unit, people, respond, monday, django_assert_max_num_queries
):
    """The missed-days list reads the unit's holidays once, not once per day with answers."""
    client.force_login(people["back_office"])
    url = f"/harian/?day={MONDAY.isoformat()}"
    client.get(url)
    with django_assert_max_num_queries(40) as few_days:
        client.get(url)
    for back in range(1, 31):
        day = MONDAY - datetime.timedelta(days=back)
        respond(GOOD, officer=people["officer"], at=at(day, 10, unit.zone))
    with django_assert_max_num_queries(len(few_days.captured_queries)):
        many = client.get(url)
    assert many.status_code == 200


@time_machine.travel(datetime.datetime(2026, 11, 3, 8, tzinfo=datetime.UTC))
def test_the_most_recent_missed_days_are_listed_and_the_earlier_ones_counted(
    client, unit, people, respond
):
    """A unit that never signed has a missed day for every day with answers: the list shows
    the ten most recent and counts the rest, linking to the earliest."""
    days = [MONDAY - datetime.timedelta(days=back) for back in range(1, 16)]  # 15 missed days
    for day in days:
        respond(GOOD, at=at(day, 10, unit.zone))
    html = page(client, people["back_office"]).content.decode()
    listed = html[html.index('id="missed"') : html.index("</ul>", html.index('id="missed"'))]
    assert listed.count("<li>") == 10
    assert f"?day={days[0].isoformat()}" in listed  # the most recent
    assert f"?day={days[9].isoformat()}" in listed
    assert f"?day={days[10].isoformat()}" not in listed
    earlier = html[html.index('id="missed-earlier"') :]
    assert "Dan 5 hari terlewat sebelumnya" in earlier
    assert f"?day={days[-1].isoformat()}" in earlier  # the earliest


@time_machine.travel(datetime.datetime(2026, 11, 3, 8, tzinfo=datetime.UTC))
def test_a_referred_response_shows_its_case_and_state_on_the_page_and_the_recap(
    client, people, monday
):
    from cases import intake
    from surveys.models import SurveyResponse

    poor = SurveyResponse.objects.get(flagged=True, officer=people["officer"])
    (case,) = intake.refer_flagged_responses([poor], actor=people["back_office"], note="Pola")
    html = page(client, people["back_office"]).content.decode()
    row = html[html.index(f'id="response-{poor.pk}"') :]
    row = row[: row.index("</tr>")]
    assert f"Kasus #{case.pk}" in row and case.get_state_display() in row
    text = pdf_text(client.get("/harian/rekap.pdf?start=2026-11-02&end=2026-11-02"))
    assert f"Kasus #{case.pk} ({case.get_state_display()})" in text


@time_machine.travel(datetime.datetime(2026, 11, 3, 8, tzinfo=datetime.UTC))
def test_a_flagged_row_offers_referral_or_a_reason_then_shows_the_decision(client, people, monday):
    """The row's checkbox and its "do not refer" form (with the page's CSRF token, posting
    to that response), then, once declined, who declined it and why, and no form."""
    from django.urls import reverse

    from cases import intake
    from surveys.models import SurveyResponse

    poor = SurveyResponse.objects.get(flagged=True, officer=people["officer"])
    html = page(client, people["back_office"]).content.decode()
    row = html[html.index(f'id="response-{poor.pk}"') :]
    row = row[: row.index("</tr>")]
    assert f'<input type="checkbox" name="responses" value="{poor.pk}"' in row
    decline = reverse("cases:decline-flagged", args=[poor.pk])
    assert f'<form method="post" action="{decline}"><input type="hidden"' in row
    assert 'name="csrfmiddlewaretoken"' in row and f'id="decline-{poor.pk}"' in row
    intake.decline_flagged_response(poor, actor=people["back_office"], reason="Salah <isi>")
    html = page(client, people["back_office"]).content.decode()
    row = html[html.index(f'id="response-{poor.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Tidak diteruskan (Bella Back): Salah &lt;isi&gt;" in row
    assert "<form" not in row and 'name="responses"' not in row
