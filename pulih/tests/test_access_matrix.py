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
    elif url.startswith("/api/"):
        assert response.status_code in (401, 403, 405)
    elif response.status_code != 405:  # POST-only actions refuse a GET before anything else
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


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
