"""The unit administrator edits the respondent profile's lists on a staff screen, checked and
with their history; the survey, the import and the IKM page then use them."""

from __future__ import annotations

import pytest

from pulih.lib.errors import ActionForbidden, InvalidInput
from surveys.profile import DEFAULT_OPTIONS, options_for, options_history, set_profile_options

URL = "/pengaturan/profil-responden/"


def _post(client, **lists):
    data = {name: "\n".join(values) for name, values in DEFAULT_OPTIONS.items()}
    data.update(lists)
    return client.post(URL, data)


def test_the_admin_edits_a_list_and_the_survey_offers_it(client, unit, people, service_type):
    client.force_login(people["admin"])
    page = client.get(URL).content.decode()
    assert "Profil responden" in page and "Laki-laki" in page
    response = _post(client, occupation="PNS\nTNI/Polri\nPetani / nelayan\n\nLainnya")
    assert response.status_code == 302
    assert options_for(unit)["occupation"] == ["PNS", "TNI/Polri", "Petani / nelayan", "Lainnya"]
    assert options_for(unit)["sex"] == DEFAULT_OPTIONS["sex"]
    survey = client.get(f"/u/{unit.code}/survey/{service_type.code}/").content.decode()
    assert "Petani / nelayan" in survey


def test_each_change_is_kept_with_who_made_it(client, unit, people):
    client.force_login(people["admin"])
    _post(client, sex="Laki-laki\nPerempuan\nTidak menjawab")
    _post(client, sex="Laki-laki\nPerempuan")
    history = options_history(unit)
    assert [(c["by"], c["fields"][0]["added"], c["fields"][0]["removed"]) for c in history] == [
        (people["admin"], [], ["Tidak menjawab"]),
        (people["admin"], ["Tidak menjawab"], []),
    ]
    page = client.get(URL).content.decode()
    assert "Tidak menjawab" in page[page.index('id="profile-history"') :]
    assert "Adam Admin" in page


def test_a_bad_list_is_refused_beside_its_field_and_nothing_changes(client, unit, people):
    client.force_login(people["admin"])
    response = _post(client, sex="Laki-laki\nlaki laki", education="x" * 61, age_group="  \n ")
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"sex", "education", "age_group"}
    assert "dua kali" in errors["sex"][0]
    assert options_for(unit) == DEFAULT_OPTIONS
    assert options_history(unit) == []


@pytest.mark.parametrize(
    "role", ["back_office", "officer", "coordinator", "person_in_charge", "head", "supervisor"]
)
def test_only_the_admin_edits_the_lists(client, unit, people, role):
    client.force_login(people[role])
    assert client.get(URL).status_code == 403
    assert _post(client, sex="A\nB").status_code == 403
    with pytest.raises(ActionForbidden):
        set_profile_options(unit, actor=people[role], options={"sex": ["A"]})
    assert options_for(unit)["sex"] == DEFAULT_OPTIONS["sex"]


def test_an_outsider_edits_nothing(client, unit, outsider):
    client.force_login(outsider)
    client.post(URL, {"sex": "A"})
    assert options_for(unit) == DEFAULT_OPTIONS


def test_the_service_checks_the_lists_itself(unit, people):
    with pytest.raises(InvalidInput) as caught:
        set_profile_options(unit, actor=people["admin"], options={"sex": "Laki-laki"})
    assert set(caught.value.fields) == {"sex", "age_group", "education", "occupation"}
