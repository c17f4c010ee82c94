"""Files as Google Forms, Google Sheets (both locales) and Excel write them: each imported by
`import_skm` and by the web upload gives the IKM of its answers, to the hundredth; their
officers, comments and profiles are kept; dates are never guessed; bad files get a sentence."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from surveys import importer
from surveys.ikm import compute_ikm, ikm_for
from surveys.models import ImportJob, SurveyFormMapping, SurveyResponse

from . import skmfiles

NOVEMBER = (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _score(unit) -> Decimal:
    return ikm_for(unit, start=NOVEMBER[0], end=NOVEMBER[1]).score


def _command(path, unit, *extra) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_skm", str(path), "--unit", unit.code, *extra, stdout=out, stderr=err)
    return out.getvalue()


def test_the_fixtures_expected_scores_are_their_answers_ikm():
    def score(rows, codes):
        totals = {c: (sum(r["scores"][c] for r in rows), len(rows)) for c in codes}
        return str(compute_ikm(totals, respondents=len(rows)).score)

    assert score(skmfiles.responses(), skmfiles.CODES) == skmfiles.EXPECTED_SCORE
    short = [c for c in skmfiles.CODES if c != "U4"]
    assert score(skmfiles.responses(), short) == skmfiles.SHORT_SCORE
    assert score(skmfiles.responses(True), skmfiles.CODES) == skmfiles.AMBIGUOUS_SCORE


@pytest.mark.parametrize("variant", skmfiles.VARIANTS)
def test_each_variant_imports_by_command_with_its_ikm(
    variant, tmp_path, unit, people, service_type
):
    path = skmfiles.write(variant, tmp_path)
    assert _command(path, unit).startswith("12 rows imported")
    assert str(_score(unit)) == skmfiles.EXPECTED_SCORE
    stored = SurveyResponse.objects.order_by("submitted_at")
    first = stored.first()
    assert first.submitted_at.astimezone(unit.zone).replace(second=0) == datetime.datetime(
        2026, 11, 3, 9, 14, tzinfo=unit.zone
    )  # Excel's CSV drops the seconds
    # Officers by name with academic titles or by username; blank stays blank.
    officers = [r.officer.username if r.officer else "" for r in stored]
    assert officers == ["oscar", "olive", "olive", ""] * 3
    assert stored.filter(comment__startswith="Ruang tunggu nyaman").count() == 3
    assert "café" in stored.exclude(comment="").first().comment
    assert (first.sex, first.age_group, first.education, first.occupation) == (
        "Laki-laki",
        "20–29 tahun",
        "SMA",
        "Pegawai swasta",
    )
    assert stored.filter(service_type=service_type).count() == 8


@pytest.mark.parametrize("variant", skmfiles.VARIANTS)
def test_each_variant_imports_by_web_upload_with_its_ikm(
    variant, tmp_path, client, unit, people, service_type
):
    client.force_login(people["back_office"])
    path = skmfiles.write(variant, tmp_path)
    with path.open("rb") as handle:
        response = client.post("/impor-survei/", {"file": handle})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == f"/impor-survei/{job.pk}/"
    preview = client.get(response.url).content.decode()
    assert 'id="confirm-button"' in preview
    assert skmfiles.EXPECTED_SCORE.replace(".", ",") in preview  # the IKM of the file alone
    assert not SurveyResponse.objects.exists()  # nothing written by the preview
    assert default_storage.exists(job.path)  # kept in the storage every server shares
    response = client.post(f"/impor-survei/{job.pk}/", {"confirm": "1"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE, job.report
    assert not default_storage.exists(job.path)  # kept only until the import ends
    assert job.imported == 12
    assert str(_score(unit)) == skmfiles.EXPECTED_SCORE
    report = client.get(f"/impor-survei/{job.pk}/laporan.txt")
    assert "12" in report.content.decode()


def test_a_form_without_u4_leaves_it_unanswered(tmp_path, unit, people, service_type):
    _command(skmfiles.write("short_u4", tmp_path), unit)
    assert SurveyResponse.objects.filter(u4__isnull=False).count() == 0
    assert str(_score(unit)) == skmfiles.SHORT_SCORE


def test_an_ambiguous_date_column_stops_and_asks(tmp_path, unit, people, service_type):
    path = skmfiles.write("ambiguous", tmp_path)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_skm", str(path), "--unit", unit.code, stderr=err, stdout=io.StringIO())
    assert "--date-order" in err.getvalue()
    assert not SurveyResponse.objects.exists()
    assert _command(path, unit, "--date-order", "mdy").startswith("13 rows imported")
    assert str(_score(unit)) == skmfiles.AMBIGUOUS_SCORE
    days = {r.submitted_at.astimezone(unit.zone).day for r in SurveyResponse.objects.all()}
    assert days == set(range(1, 13))


def test_the_en_us_sheet_is_read_month_first_from_the_whole_column(tmp_path, unit, people):
    """11/3/2026 is 3 November because 11/13/2026 is in the same column."""
    path = skmfiles.write("sheets_en", tmp_path)
    table = importer.open_table(path)
    plan = importer.make_plan(table, unit)
    assert plan.date_order == "mdy"


def test_an_unknown_officer_is_reported_by_row(tmp_path, unit, people, service_type):
    path = tmp_path / "x.csv"
    path.write_text(
        "Timestamp,Nama Petugas yang melayani,Persyaratan\n"
        "2026-11-03 09:00,Budi Santoso,4\n2026-11-03 10:00,Oscar Officer,4\n",
        encoding="utf-8",
    )
    with pytest.raises(importer.ImportFailed) as caught:
        importer.import_file(path, unit)
    (error,) = caught.value.errors
    assert error.row == 2 and error.column.startswith("B (Nama Petugas")
    assert "Budi Santoso" in error.reason


def test_a_confirmed_mapping_is_remembered_for_the_unit(tmp_path, client, unit, people):
    client.force_login(people["coordinator"])
    path = tmp_path / "odd.csv"
    path.write_text(
        "Timestamp,Pertanyaan satu,Persyaratan\n2026-11-03 09:00,3,4\n", encoding="utf-8"
    )
    with path.open("rb") as handle:
        client.post("/impor-survei/", {"file": handle})
    job = ImportJob.objects.get()
    url = f"/impor-survei/{job.pk}/"
    client.post(url, {"columns": "3", "col0": "submitted_at", "col1": "U2", "col2": "U1"})
    client.post(url, {"columns": "3", "col0": "submitted_at", "col1": "U2", "col2": "U1",
                      "confirm": "1"})  # fmt: skip
    assert SurveyResponse.objects.get().answers() == {"U1": 4, "U2": 3}
    assert SurveyFormMapping.objects.get(unit=unit).headers["pertanyaan satu"] == "U2"
    # Next month's export of the same form imports in one step.
    path.write_text(
        "Timestamp,Pertanyaan satu,Persyaratan\n2026-11-04 09:00,2,4\n", encoding="utf-8"
    )
    assert importer.import_file(path, unit) == 1
    assert SurveyResponse.objects.filter(u2=2).count() == 1


def test_only_back_office_and_coordinator_import(client, unit, people):
    for role, status in (("officer", 403), ("head", 403), ("back_office", 200)):
        client.force_login(people[role])
        assert client.get("/impor-survei/").status_code == status


BAD_FILES = {
    "empty.csv": b"",
    "binary.csv": bytes(range(256)) * 40,
    "bad-utf16.csv": b"\xff\xfeT\x00i\x00m\x00\x00",
    "pdf.xlsx": b"%PDF-1.4\n" + b"\x00\x01\x02" * 100,
    "wide.csv": (",".join(f"c{i}" for i in range(2000)) + "\n").encode(),
    "formula.csv": b'Timestamp,Persyaratan\n2026-11-03 09:00,"=HYPERLINK(""x"")"\n',
    "no-header.csv": b"a,b,c\n1,2,3\n",
    "long-line.csv": b"Timestamp," + b"x" * 1_200_000 + b"\n",
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_get_a_sentence_and_import_nothing(name, tmp_path, unit, people):
    path = tmp_path / name
    path.write_bytes(BAD_FILES[name])
    with pytest.raises(importer.ImportFailed) as caught:
        importer.import_file(path, unit)
    text = importer.error_report(caught.value)
    assert text and "Traceback" not in text
    assert not SurveyResponse.objects.exists()


def test_a_zip_that_is_no_spreadsheet_gets_a_sentence(tmp_path, unit, people):
    with pytest.raises(importer.ImportFailed) as caught:
        importer.import_file(skmfiles.zip_bomb_free_garbage(tmp_path), unit)
    assert "spreadsheet" in caught.value.errors[0].reason.lower() or caught.value.errors


def test_a_title_row_above_the_header_is_skipped(tmp_path, unit, people, service_type):
    path = skmfiles.write("xlsx", tmp_path)  # "REKAP SKM 2026" merged over the columns
    plan = importer.make_plan(importer.open_table(path), unit)
    assert plan.header_row == 3


def test_a_fifty_megabyte_file_is_refused_in_one_sentence(tmp_path, unit, people):
    path = tmp_path / "big.csv"
    with path.open("wb") as handle:
        handle.truncate(51 * 1024 * 1024)
    with pytest.raises(importer.ImportFailed) as caught:
        importer.import_file(path, unit)
    assert "50 MB" in caught.value.errors[0].reason
