"""Every role, anonymous and an outsider against every page and API list without parameters.

Pages with object ids are covered beside their app (cases, complaints, surveys tests); this
matrix guards the whole surface: nobody gets a 500, anonymous never gets a staff page, the
roles of DESIGN.md §4 get what they need and no more, and an outsider sees nothing of the unit.
"""

from __future__ import annotations

import pytest
from django.urls import URLResolver, get_resolver

from surveys.services import submit_response

PUBLIC = {
    "/accounts/login/",
    "/healthz",
    "/lacak/",
    "/api/v1/schema/",
    "/api/v1/docs/",
    "/api/v1/standard/",
    "/api/v1/auth/token/",
    "/api/v1/complaints/form-token/",
}
# Served to everyone as a permanent redirect to the static file (browsers ask for it unbidden).
PUBLIC_FILES = {"/favicon.ico"}
SKIP = {"/i18n/setlang/", "/accounts/logout/"}
ALL_ROLES = {
    "back_office",
    "officer",
    "coordinator",
    "person_in_charge",
    "head",
    "supervisor",
    "admin",
}
READERS = {"coordinator", "person_in_charge", "head", "supervisor"}
# Pages whose audience DESIGN.md §4 fixes: role -> allowed (200), everyone else 403.
EXPECTED = {
    "/": ALL_ROLES,
    "/kasus/": READERS | {"back_office"},
    "/pengaduan/": READERS | {"back_office"},
    "/laporan/": READERS,
    "/harian/": READERS | {"back_office"},
}
NEVER_FOR_OFFICER = [
    "/kasus/",
    "/pengaduan/",
    "/laporan/",
    "/harian/",
    "/perbaikan/",
    "/laporan/unduh.xlsx",
    "/pengaduan/ekspor.xlsx",
    "/api/v1/complaints/",
    "/api/v1/recap/?unit=bpmp-kalteng&date=2026-01-05",
]


def _routes(patterns=None, prefix="/"):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        route = str(p.pattern)
        if isinstance(p, URLResolver):
            if not route.startswith("admin"):
                yield from _routes(p.url_patterns, prefix + route)
        elif "<" not in route and "(?P" not in route and "^" not in route:
            yield prefix + route


ROUTES = sorted(set(_routes()) - SKIP)


def test_the_matrix_covers_every_area():
    for area in (
        "/kasus/",
        "/pengaduan/",
        "/laporan/",
        "/harian/",
        "/layanan/",
        "/api/v1/cases/",
        "/api/v1/service-records/",
    ):
        assert area in ROUTES


@pytest.fixture
def populated(unit, people, service_type):
    poor = {f"U{i}": 1 for i in range(1, 10)}
    submit_response(
        unit,
        answers=poor,
        service_type=service_type,
        officer=people["officer"],
        comment="Pelayanan lambat sekali",
    )
    return unit


@pytest.mark.parametrize("url", ROUTES)
def test_anonymous_gets_public_pages_only(client, populated, url):
    response = client.get(url)
    assert response.status_code < 500
    if url in PUBLIC:
        assert response.status_code in (200, 400, 405)
    elif url in PUBLIC_FILES:
        assert response.status_code == 301
        assert response["Location"].startswith("/static/")
    elif url.startswith("/api/"):
        assert response.status_code in (401, 403, 405)
    else:
        # A staff page sends to the login; an action URL (POST only) sends a GET to the page
        # with its form, which sends to the login in turn.
        hops = client.get(url, follow=True).redirect_chain
        assert hops and all(status == 302 for _, status in hops), hops
        assert hops[-1][0].startswith("/accounts/login/"), hops


@pytest.mark.parametrize("role", sorted(ALL_ROLES))
def test_every_role_gets_an_answer_never_an_error(client, populated, people, role):
    client.force_login(people[role])
    for url in ROUTES:
        status = client.get(url).status_code
        assert status < 500, f"{role} {url}: {status}"
        if url in EXPECTED:
            expected = 200 if role in EXPECTED[url] else 403
            assert status == expected, f"{role} {url}: {status}, expected {expected}"


def test_the_officer_sees_no_register_report_or_other_officers(client, populated, people):
    client.force_login(people["officer"])
    for url in NEVER_FOR_OFFICER:
        assert client.get(url).status_code in (403, 404), url


def test_an_outsider_sees_nothing_of_the_unit(client, populated, outsider, unit):
    client.force_login(outsider)
    for url in ROUTES:
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code == 200 and url not in PUBLIC and "pdf" not in url:
            body = response.content.decode(errors="ignore")
            assert unit.name not in body, url
            assert "Oscar Officer" not in body, url
            assert "Pelayanan lambat sekali" not in body, url


# --- Web and API side by side: the same question gets the same answer on both faces ---------

FACE_ROLES = sorted(ALL_ROLES)  # oscar ("officer") is not the officer of these cases


@pytest.fixture
def records(populated, people):
    """A case in review and one in hearing, about olive; a complaint; the day's poor rating."""

    from cases import workflow
    from complaints.services import record_complaint
    from units.models import ComplaintChannel

    review = workflow.open_case(
        populated, actor=people["coordinator"], officer=people["officer2"], reason="U7 = 1"
    )
    hearing = workflow.open_case(
        populated, actor=people["coordinator"], officer=people["officer2"], reason="U6 = 1"
    )
    workflow.refer_case(hearing, actor=people["coordinator"], note="jelas")
    complaint = record_complaint(
        populated,
        actor=people["back_office"],
        channel=ComplaintChannel.objects.filter(unit=populated).first(),
        text="Pelayanan lambat",
    )
    today = populated.today()
    return {"review": review, "hearing": hearing, "complaint": complaint, "today": today}


def _status(client, url: str) -> int:
    return client.get(url).status_code


def _pairs(unit, records) -> dict[str, tuple[str, str]]:
    day, code = records["today"].isoformat(), unit.code
    period = f"unit={code}&start={day}&end={day}"
    return {
        "case in review": (
            f"/kasus/{records['review'].pk}/",
            f"/api/v1/cases/{records['review'].pk}/",
        ),
        "case in hearing": (
            f"/kasus/{records['hearing'].pk}/",
            f"/api/v1/cases/{records['hearing'].pk}/",
        ),
        "complaint": (
            f"/pengaduan/{records['complaint'].pk}/",
            f"/api/v1/complaints/{records['complaint'].pk}/",
        ),
        "complaint register": ("/pengaduan/", f"/api/v1/complaints/?unit={code}"),
        "daily recap": (
            f"/harian/rekap.pdf?start={day}&end={day}",
            f"/api/v1/recap/?unit={code}&date={day}",
        ),
        "unit IKM": (f"/ikm/?start={day}&end={day}", f"/api/v1/ikm/?{period}"),
    }


@pytest.mark.parametrize("role", FACE_ROLES)
def test_each_read_answers_the_same_on_the_web_and_in_the_api(client, people, records, role):
    unit = records["review"].unit
    client.force_login(people[role])
    answers = {
        name: (_status(client, web), _status(client, api))
        for name, (web, api) in _pairs(unit, records).items()
    }
    assert {name: web for name, (web, _api) in answers.items()} == {
        name: api for name, (_web, api) in answers.items()
    }, answers


@pytest.mark.parametrize("role", FACE_ROLES)
def test_who_reads_one_officers_figures_is_the_same_on_every_face(client, people, records, role):
    """surveys.access.reads_officer_figures: the IKM page's officer chart, the dashboard's
    officer table and the API's ?officer= answer alike."""
    unit = records["review"].unit
    day = records["today"].isoformat()
    client.force_login(people[role])
    page = client.get(f"/ikm/?start={day}&end={day}")
    web = page.status_code == 200 and 'id="chart-officer"' in page.content.decode()
    api = client.get(
        f"/api/v1/ikm/?unit={unit.code}&start={day}&end={day}&officer=olive"
    ).status_code
    report = client.get(f"/laporan/?start={day}&end={day}")
    dashboard = report.status_code == 200 and "Oscar Officer" in report.content.decode()
    expected = role in READERS
    assert (web, api == 200) == (expected, expected)
    if report.status_code == 200:
        assert dashboard == expected


@pytest.mark.parametrize("role", FACE_ROLES)
def test_the_case_lists_show_the_same_cases_on_both_faces(client, people, records, role):
    client.force_login(people[role])
    page = client.get("/kasus/")
    html = page.content.decode() if page.status_code == 200 else ""
    on_web = {k for k in ("review", "hearing") if f'id="case-{records[k].pk}"' in html}
    listed = {c["id"] for c in client.get("/api/v1/cases/").json()["results"]}
    in_api = {k for k in ("review", "hearing") if records[k].pk in listed}
    assert on_web == in_api
    expected = {
        "back_office": {"review"},
        **{r: {"review", "hearing"} for r in READERS},
    }.get(role, set())
    assert on_web == expected
