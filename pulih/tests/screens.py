"""Every page of Pulih, listed from the URL conf and filled in from the demo unit: the public
pages, and the staff pages each role has (those that answer it 200 with HTML).

Shared by the browser tests that measure the pages (overflow, accessibility). A URL pattern
that is neither listed as a page here nor named in NOT_PAGES fails `test_every_route_is_listed`,
so a new screen cannot escape the measuring.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

# Routes that are not screens: downloads, POST-only endpoints, files, plumbing.
NOT_PAGES = {
    "logout",
    "healthz",
    "favicon",
    "switch-unit",
    "daily-sign",
    "daily-recap",
    "complaints:export",
    "complaints:acknowledge",
    "complaints:triage",
    "complaints:answer",
    "complaints:attachment",
    "cases:action",
    "cases:defence",
    "cases:decree-pdf",
    "cases:apology-pdf",
    "cases:attachment",
    "cases:object",
    "cases:decree-preview",
    "cases:document-pdf",
    "cases:refer-flagged",
    "cases:decline-flagged",
    "cases:triage-complaint",
    "improvement-done",
    "survey-import-report",
    "survey-import-cancel",
    "reports:pdf",
    "reports:file-download",
    "reports:xlsx",
    "bench-floor",
}
# Pages listed but not measured, each with why.
UNMEASURED = {
    # An import's preview and progress need an uploaded file the demo does not make.
    "survey-import-preview",
    "survey-import-status",
    # A report file's "being prepared" page: with tasks run in place (the tests' setting) the
    # file is ready at once and the page redirects to the download.
    "reports:file",
}
# Pages anyone may open without logging in.
PUBLIC = {
    "login",
    "standard",
    "survey",
    "survey-walk-in",
    "complaints:public-form",
    "complaints:track-lookup",
    "complaints:track",
    "cases:track",
    "reports:results",
    "cases:verify",
    "recovery:followup",
    "organisations:public",
}
# The staff pages, each role seeing those of them it may open.
STAFF = {
    "home",
    "service-records",
    "service-record-new",
    "service-record",
    "service-record-receipt",
    "survey-poster",
    "daily-check",
    "ikm",
    "complaints:register",
    "complaints:record",
    "complaints:detail",
    "cases:list",
    "cases:open",
    "cases:mine",
    "cases:detail",
    "improvements",
    "officer-codes",
    "survey-import",
    "profile-settings",
    "reports:dashboard",
    "reports:audit",
    "organisations:index",
    "organisations:dashboard",
    "organisations:unit",
}
SKIPPED_PREFIXES = ("admin/", "api/", "i18n/")
ROLES_BY_DEMO_LOGIN = {
    "back_office": "backoffice",
    "officer": "petugas1",
    "coordinator": "koordinator",
    "person_in_charge": "pj",
    "head": "kepala",
    "supervisor": "kasubbag",
    "admin": "admin",
    "organisation_leader": "pimpinan",
}
WIDTHS = (390, 768, 1280)


def routes(patterns=None, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    """(name with namespace, route) of every URL pattern outside the admin and the API."""
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            if not route.startswith(SKIPPED_PREFIXES):
                ns = ":".join(filter(None, [namespace, p.namespace]))
                yield from routes(p.url_patterns, route, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield ":".join(filter(None, [namespace, p.name])), route


def samples(unit) -> dict[str, list[str]]:
    """Each page's paths on the demo unit: one per object kind it shows (a case per state)."""
    from cases.models import Case, Compensation, IssuedDocument
    from complaints.models import Complaint
    from organisations.models import OrganisationUnit
    from recovery.models import FollowUp
    from surveys.models import ServiceRecord
    from surveys.services import survey_state
    from units.models import ServiceType

    service = ServiceType.objects.filter(unit=unit).order_by("pk").first()
    open_record = next(
        r
        for r in ServiceRecord.objects.filter(unit=unit).order_by("-served_at")[:200]
        if survey_state(r) == "open"
    )
    cases = {c.state: c.pk for c in Case.objects.filter(unit=unit).order_by("pk")}
    complaints = {c.status: c for c in Complaint.objects.filter(unit=unit).order_by("pk")}
    compensation = Compensation.objects.filter(case__unit=unit).order_by("pk").first()
    record = ServiceRecord.objects.filter(unit=unit).order_by("pk").first()
    document = IssuedDocument.objects.filter(unit=unit).order_by("pk").first()
    followups = FollowUp.objects.filter(unit=unit, answered_at__isnull=True).order_by("-closes_at")
    followup = followups.first() or FollowUp.objects.filter(unit=unit).order_by("pk").first()
    placed = OrganisationUnit.objects.filter(unit=unit).select_related("organisation").first()
    org = placed.organisation if placed else None
    top = org
    while top is not None and top.parent_id:
        top = top.parent
    code = unit.code
    pages = {
        "login": ["/accounts/login/"],
        "home": ["/"],
        "standard": [f"/u/{code}/"],
        "survey": [f"/s/{open_record.survey_token}/"],
        "survey-walk-in": [f"/u/{code}/survey/{service.code}/"],
        "complaints:public-form": [f"/u/{code}/pengaduan/"],
        "complaints:track-lookup": ["/lacak/"],
        "complaints:track": [f"/lacak/{c.tracking_code}/" for c in complaints.values()][:2],
        "cases:track": [f"/kompensasi/{compensation.tracking_token}/"] if compensation else [],
        "reports:results": [f"/u/{code}/hasil/"],
        "cases:verify": [f"/verifikasi/{document.verification_code}/"] if document else [],
        "recovery:followup": [f"/tindak-lanjut/{followup.token}/"] if followup else [],
        "organisations:public": [f"/o/{top.code}/"] if top else [],
        "service-records": ["/layanan/"],
        "service-record-new": ["/layanan/baru/"],
        "service-record": [f"/layanan/{record.pk}/"],
        "service-record-receipt": [f"/layanan/{record.pk}/struk/"],
        "survey-poster": [f"/layanan/poster/{service.code}/"],
        "daily-check": ["/harian/"],
        "ikm": ["/ikm/"],
        "complaints:register": ["/pengaduan/"],
        "complaints:record": ["/pengaduan/catat/"],
        "complaints:detail": [f"/pengaduan/{c.pk}/" for c in complaints.values()],
        "cases:list": ["/kasus/"],
        "cases:open": ["/kasus/baru/"],
        "cases:mine": ["/kasus/saya/"],
        "cases:detail": [f"/kasus/{pk}/" for pk in cases.values()],
        "improvements": ["/perbaikan/"],
        "officer-codes": ["/layanan/kode-petugas/"],
        "survey-import": ["/impor-survei/"],
        "profile-settings": ["/pengaturan/profil-responden/"],
        "reports:dashboard": ["/laporan/"],
        "reports:audit": ["/laporan/audit/"],
        "organisations:index": ["/organisasi/"],
        "organisations:dashboard": [
            f"/organisasi/{o.code}/" for o in dict.fromkeys((top, org)) if o
        ],
        "organisations:unit": [f"/organisasi/{org.code}/unit/{code}/"] if org else [],
    }
    assert set(pages) == PUBLIC | STAFF
    return pages


def public_paths(unit) -> list[str]:
    pages = samples(unit)
    return [path for name in sorted(PUBLIC) for path in pages[name]]


def staff_paths(unit) -> list[str]:
    pages = samples(unit)
    return [path for name, paths in pages.items() if name not in PUBLIC for path in paths]


def paths_of(user, unit) -> list[str]:
    """The staff pages `user` has: those answering them 200 with HTML."""
    client = Client()
    client.force_login(user)
    mine = []
    for path in staff_paths(unit):
        resp = client.get(path, secure=True)
        if resp.status_code == 200 and resp["Content-Type"].startswith("text/html"):
            mine.append(path)
    return mine


def output_dir() -> Path:
    """Where the browser tests leave screenshots and results (kept out of git)."""
    path = Path(os.environ.get("SCREENS_OUTPUT", Path(settings.BASE_DIR) / "var" / "screens"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_results(name: str, results: dict) -> Path:
    path = output_dir() / f"{name}.json"
    path.write_text(json.dumps(results, indent=1, ensure_ascii=False, sort_keys=True))
    return path
