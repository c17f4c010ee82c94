"""Sample adequacy (a stated population, Krejcie–Morgan) and the respondent profile, on the
IKM page, in `ikm --json` and the API."""

from __future__ import annotations

import datetime
import io
import json

from django.core.management import call_command

from surveys.models import SurveyPopulation, SurveyResponse
from surveys.sample import adequacy, ikm_for_profile, profile_table
from surveys.services import submit_response

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
        {"value": "Laki-laki", "count": 1, "share": 33.33},
        {"value": "Perempuan", "count": 1, "share": 33.33},
    ]
    assert table["sex"][-1] == {"value": "", "count": 1, "share": 33.33}
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
