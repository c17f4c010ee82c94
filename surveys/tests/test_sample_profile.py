"""Sample adequacy (a stated population, Krejcie–Morgan) and the respondent profile, on the
IKM page, in `ikm --json` and the API."""

from __future__ import annotations

import datetime
import io
import json

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from surveys.models import SurveyPopulation, SurveyResponse
from surveys.sample import adequacy, ikm_for_profile, profile_table
from surveys.services import new_response, store_responses, submit_response

GOOD = {f"U{i}": 4 for i in range(1, 10)}
DAY = datetime.date(2026, 11, 2)


def _respond(unit, answers, **profile):
    at = datetime.datetime(2026, 11, 2, 9, tzinfo=unit.zone)
    return submit_response(unit, answers=answers, submitted_at=at, profile=profile)


def test_a_stated_population_sets_the_required_sample_and_flags_a_shortfall(unit):
    SurveyPopulation.objects.create(unit=unit, start=DAY, end=DAY, population=100)
    for _ in range(3):
        _respond(unit, GOOD)
    result = adequacy(unit, DAY, DAY, 3)
    assert (result.population, result.sample_required, result.sample_adequate) == (100, 80, False)
    assert result.shortfall == 77
    out = io.StringIO()
    call_command("ikm", "--unit", unit.code, "--start", "2026-11-02", "--end", "2026-11-02",
                 "--json", stdout=out)  # fmt: skip
    data = json.loads(out.getvalue())
    assert [data[k] for k in ("population", "sample_required", "sample_adequate")] == [
        100,
        80,
        False,
    ]
    assert data["population_stated"] is True


def test_without_a_population_adequacy_is_unknown(unit):
    assert adequacy(unit, DAY, DAY, 5).sample_adequate is None


def test_a_sample_that_meets_the_table_is_adequate(unit):
    SurveyPopulation.objects.create(unit=unit, start=DAY, end=DAY, population=3)
    for _ in range(3):
        _respond(unit, GOOD)
    assert adequacy(unit, DAY, DAY, 3).sample_adequate is True  # N=3 requires 3


def test_the_profile_is_kept_counted_and_filters_the_ikm(unit):
    _respond(unit, GOOD, sex="perempuan", education="S1")
    _respond(unit, dict.fromkeys(GOOD, 1), sex="Laki-laki")
    _respond(unit, GOOD, sex="tidak tahu")  # not in the unit's list: the form drops it
    table = {g["field"]: g["rows"] for g in profile_table(unit, DAY, DAY)}
    assert table["sex"][:2] == [
        {"value": "Laki-laki", "count": 1, "share": 33.33, "score": 25.0},
        {"value": "Perempuan", "count": 1, "share": 33.33, "score": 100.0},
    ]
    assert table["sex"][-1] == {"value": "", "count": 1, "share": 33.33, "score": 100.0}
    assert str(ikm_for_profile(unit, DAY, DAY, {"sex": "Perempuan"}).score) == "100.00"
    assert str(ikm_for_profile(unit, DAY, DAY, {"sex": "Laki-laki"}).score) == "25.00"


def test_the_ikm_page_shows_the_shortfall_and_the_profile(client, unit, people):
    SurveyPopulation.objects.create(unit=unit, start=DAY, end=DAY, population=1000)
    _respond(unit, GOOD, sex="Perempuan")
    client.force_login(people["coordinator"])
    html = client.get("/ikm/?start=2026-11-02&end=2026-11-02").content.decode()
    assert 'id="sample-short"' in html and "277" in html  # 278 required, 1 obtained
    assert 'id="profile-sex"' in html and "Perempuan" in html
    html = client.get("/ikm/?start=2026-11-02&end=2026-11-02&sex=Laki-laki").content.decode()
    kpi = html[html.index('id="ikm-period"') :]
    assert "Belum ada jawaban." in kpi[: kpi.index("</section>")]  # nobody with that profile


def test_the_api_gives_adequacy_and_profile(api, unit, people):
    SurveyPopulation.objects.create(unit=unit, start=DAY, end=DAY, population=100)
    _respond(unit, GOOD, sex="Perempuan")
    api.force_authenticate(people["coordinator"])
    data = api.get(f"/api/v1/ikm/?unit={unit.code}&start=2026-11-02&end=2026-11-02").json()
    assert [data[k] for k in ("population", "sample_required", "sample_adequate")] == [
        100,
        80,
        False,
    ]
    assert data["profile"][0]["field"] == "sex"
    filtered = api.get(
        f"/api/v1/ikm/?unit={unit.code}&start=2026-11-02&end=2026-11-02&sex=Laki-laki"
    ).json()
    assert filtered["respondents"] == 0


def test_the_survey_form_asks_the_optional_profile(client, unit, service_type):
    url = f"/u/{unit.code}/survey/{service_type.code}/"
    html = client.get(url).content.decode()
    assert 'id="profile"' in html and "Perempuan" in html and "S2 ke atas" in html
    one_answer = {"u1": "4", "profile_sex": "Perempuan", "profile_occupation": "Lainnya"}
    asked = client.post(url, one_answer).content.decode()  # 1 of 9: asked once, profile kept
    assert 'id="partial-question"' in asked and not SurveyResponse.objects.exists()
    assert '<option value="Perempuan" selected>' in asked
    client.post(url, {**one_answer, "partial_ok": "1"})
    stored = SurveyResponse.objects.get()
    assert (stored.sex, stored.occupation, stored.education) == ("Perempuan", "Lainnya", "")


def test_a_profile_answer_the_unit_does_not_know_is_refused_naming_the_field(
    client, api, unit, people
):
    _respond(unit, GOOD, sex="Perempuan")
    client.force_login(people["coordinator"])
    page = client.get("/ikm/?start=2026-11-02&end=2026-11-02&sex=Robot&education=S1")
    assert page.status_code == 400
    assert 'id="pf-sex-errors"' in page.content.decode()
    api.force_authenticate(people["coordinator"])
    answer = api.get(f"/api/v1/ikm/?unit={unit.code}&start=2026-11-02&end=2026-11-02&sex=Robot")
    assert answer.status_code == 400
    assert set(answer.json()) == {"sex", "code", "detail"}
    out = io.StringIO()
    with pytest.raises(CommandError, match="--sex"):
        call_command("ikm", "--unit", unit.code, "--start", "2026-11-02", "--end", "2026-11-02",
                     "--sex", "Robot", stdout=out)  # fmt: skip


def test_an_imported_wording_outside_the_list_still_filters(api, unit, people):
    at = datetime.datetime(2026, 11, 2, 9, tzinfo=unit.zone)
    store_responses(unit, [new_response(unit, GOOD, submitted_at=at, profile={"sex": "Wanita"})])
    store_responses(unit, [new_response(unit, dict.fromkeys(GOOD, 2), submitted_at=at)])
    api.force_authenticate(people["coordinator"])
    data = api.get(
        f"/api/v1/ikm/?unit={unit.code}&start=2026-11-02&end=2026-11-02&sex=Wanita"
    ).json()
    assert (data["respondents"], data["score"], data["profile_filter"]) == (
        1,
        100.0,
        {"sex": "Wanita"},
    )


def test_the_profile_filter_combines_with_a_service_and_keeps_the_whole_sample(
    api, unit, people, service_type
):
    SurveyPopulation.objects.create(unit=unit, start=DAY, end=DAY, population=10)
    at = datetime.datetime(2026, 11, 2, 9, tzinfo=unit.zone)
    submit_response(unit, answers=GOOD, submitted_at=at, service_type=service_type,
                    profile={"sex": "Perempuan"})  # fmt: skip
    _respond(unit, GOOD, sex="Perempuan")  # no service
    _respond(unit, dict.fromkeys(GOOD, 1), sex="Laki-laki")
    api.force_authenticate(people["coordinator"])
    base = f"/api/v1/ikm/?unit={unit.code}&start=2026-11-02&end=2026-11-02"
    data = api.get(base + f"&service={service_type.code}&sex=Perempuan").json()
    assert (data["respondents"], data["score"]) == (1, 100.0)
    whole = api.get(base + "&sex=Laki-laki").json()
    assert (whole["respondents"], whole["score"]) == (1, 25.0)
    # The sample is all three respondents against the 10 required: 7 short.
    assert (whole["sample_required"], whole["sample_adequate"], whole["sample_shortfall"]) == (
        10,
        False,
        7,
    )


def test_the_report_gives_the_profile_with_each_answers_ikm(client, unit, people):
    from reports.figures import gather
    from reports.render import report_xlsx

    _respond(unit, GOOD, sex="Perempuan")
    _respond(unit, dict.fromkeys(GOOD, 1), sex="Laki-laki")
    figures = gather(unit, DAY, DAY)
    sex = {r["value"]: r for r in figures.profile[0]["rows"]}
    assert (sex["Perempuan"]["score"], sex["Laki-laki"]["score"]) == (100.0, 25.0)
    client.force_login(people["coordinator"])
    html = client.get("/laporan/?start=2026-11-02&end=2026-11-02").content.decode()
    profile = html[html.index('id="kpi-profile"') :]
    assert "Perempuan: 1 (50,00%) — IKM 100,00" in profile[: profile.index("</table>")]
    sheet = openpyxl.load_workbook(io.BytesIO(report_xlsx(figures))).worksheets[0]
    cells = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
    assert cells["Jenis kelamin: Perempuan"] == "1 (50.0%), IKM 100.00"


def test_a_shortfall_is_flagged_in_the_report_and_on_the_public_page(client, unit, people):
    from django.utils import timezone

    from reports.figures import gather
    from reports.periods import past_quarters
    from reports.render import report_xlsx

    start, end = past_quarters(timezone.localdate(), 1)[0]
    SurveyPopulation.objects.create(unit=unit, start=start, end=end, population=100)
    at = datetime.datetime.combine(start, datetime.time(9), tzinfo=unit.zone)
    submit_response(unit, answers=GOOD, submitted_at=at)
    client.force_login(people["coordinator"])
    html = client.get(f"/laporan/?start={start}&end={end}").content.decode()
    kpi = html[html.index('id="kpi-sample"') :]
    assert "100 / 80" in kpi[:200] and "sampel kurang" in kpi[:200]
    sheet = openpyxl.load_workbook(io.BytesIO(report_xlsx(gather(unit, start, end)))).worksheets[0]
    cells = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
    assert (cells["Sampel yang diperlukan"], cells["Sampel memadai"]) == (80, "tidak")
    client.logout()
    public = client.get(f"/u/{unit.code}/hasil/").content.decode()
    row = public[public.index(f'data-start="{start}"') :]
    assert "kurang (diperlukan 80)" in row[: row.index("</tr>")]
