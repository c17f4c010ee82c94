"""import_skm and ikm commands: all or nothing, streaming, the worked example end to end."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from cases.models import Case
from surveys import importer
from surveys.ikm import ikm_for, raw_totals
from surveys.importer import STANDARD_HEADER, csv_text
from surveys.models import (
    DailyTally,
    ImprovementItem,
    ResponseSource,
    SurveyFormMapping,
    SurveyResponse,
)
from units.models import IkmWeight

from .conftest import worked_example_rows


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write_csv(tmp_path, rows, name="skm.csv"):
    path = tmp_path / name
    path.write_text(csv_text(rows), encoding="utf-8")
    return path


def row(at="2026-11-02T09:00:00", service="informasi", officer="oscar", scores=(4,) * 9, c=""):
    return [at, service, officer, *scores, c]


def worked_csv(tmp_path):
    rows = [row(scores=[a[f"U{i}"] for i in range(1, 10)]) for a in worked_example_rows()]
    return write_csv(tmp_path, rows)


def test_import_then_ikm_command_reproduces_the_worked_example(
    tmp_path, unit, people, service_type
):
    out, _err = run("import_skm", str(worked_csv(tmp_path)), "--unit", unit.code)
    assert out.strip() == f"29 rows imported into {unit.code}."
    out, _err = run(
        "ikm", "--unit", unit.code, "--start", "2026-11-02", "--end", "2026-11-02", "--json"
    )
    data = json.loads(out)
    assert list(data) == [
        "unit",
        "start",
        "end",
        "respondents",
        "elements",
        "ikm",
        "score",
        "grade",
        "label",
        "population",
        "population_stated",
        "sample_required",
        "sample_adequate",
        "sample_shortfall",
        "profile_filter",
        "profile",
    ]
    assert data["unit"] == unit.code
    assert (data["start"], data["end"]) == ("2026-11-02", "2026-11-02")
    assert data["respondents"] == 29
    assert data["elements"][0] == {
        "code": "U1",
        "name": "Persyaratan",
        "nrr": 3.6207,
        "weighted": 0.4023,
    }
    assert [e["code"] for e in data["elements"]] == [f"U{i}" for i in range(1, 10)]
    assert (data["ikm"], data["score"], data["grade"], data["label"]) == (
        3.659,
        91.48,
        "A",
        "Sangat baik",
    )
    unit.ikm_weight = IkmWeight.LEGACY
    unit.save()
    out, _err = run(
        "ikm", "--unit", unit.code, "--start", "2026-11-02", "--end", "2026-11-02", "--json"
    )
    assert json.loads(out)["score"] == 91.38


def test_ikm_command_prints_a_readable_table(tmp_path, unit, people, service_type):
    run("import_skm", str(worked_csv(tmp_path)), "--unit", unit.code)
    out, _err = run("ikm", "--unit", unit.code, "--start", "2026-11-01", "--end", "2026-11-30")
    assert "U7    Perilaku pelaksana" in out
    assert "score: 91.48  grade: A  (Sangat baik)" in out


def test_ikm_command_filters_by_service_and_officer(tmp_path, unit, people, service_type):
    rows = [row(scores=[4] * 9), row(officer="olive", scores=[3] * 9), row(officer="", c="x")]
    run("import_skm", str(write_csv(tmp_path, rows)), "--unit", unit.code)
    base = ["ikm", "--unit", unit.code, "--start", "2026-11-02", "--end", "2026-11-02", "--json"]
    assert json.loads(run(*base, "--officer", "olive")[0])["score"] == 75.0
    assert json.loads(run(*base, "--service", "informasi")[0])["respondents"] == 3
    with pytest.raises(CommandError):
        run(*base, "--officer", "hadi")
    with pytest.raises(CommandError):
        run(*base, "--service", "nope")


def test_one_bad_cell_imports_nothing_and_names_row_and_column(
    tmp_path, unit, people, service_type
):
    rows = [row() for _ in range(5)]
    rows[2][3 + 4] = "5"  # U5 of the file's row 4 (the header is row 1)
    path = write_csv(tmp_path, rows)
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 kesalahan; tidak ada yang diimpor"):
        call_command("import_skm", str(path), "--unit", unit.code, stderr=err, stdout=io.StringIO())
    assert "baris 4, kolom U5" in err.getvalue()
    assert "'5'" in err.getvalue()
    assert not SurveyResponse.objects.exists()
    assert not DailyTally.objects.exists()


def test_every_bad_row_is_reported(tmp_path, unit, people, service_type):
    rows = [
        row(at="kemarin"),
        row(service="nope"),
        row(officer="hadi"),
        row(scores=["", ""] + [""] * 7),
        row(at="2999-01-01"),
        row(),
    ]
    path = write_csv(tmp_path, rows)
    with pytest.raises(importer.ImportFailed) as caught:
        importer.import_file(path, unit)
    found = {(e.row, e.column) for e in caught.value.errors}
    assert found == {
        (2, "submitted_at"),
        (3, "service"),
        (4, "officer"),
        (5, "U1"),
        (6, "submitted_at"),
    }
    assert not SurveyResponse.objects.exists()


def test_a_bad_row_after_batches_were_stored_leaves_nothing_and_every_bad_row_is_reported(
    tmp_path, unit, people, service_type
):
    """The import stores while it reads: a bad row after several batches rolls them back,
    and the rows after it are still checked and reported."""
    rows = [row(at=f"2026-11-02 09:{minute:02d}:00") for minute in range(40)]
    rows[30][1] = "nope"  # the file's row 32
    rows[35][3] = "9"  # row 37, U1
    path = write_csv(tmp_path, rows)
    progress = []
    with pytest.raises(importer.ImportFailed) as caught:
        importer.import_file(path, unit, batch_size=7, progress=lambda *a: progress.append(a))
    assert {(e.row, e.column) for e in caught.value.errors} == {(32, "service"), (37, "U1")}
    assert (28, 40) in progress  # four batches had been stored
    assert not SurveyResponse.objects.exists()
    assert not DailyTally.objects.exists()


def test_a_file_unreadable_near_its_end_imports_nothing(tmp_path, unit, people, service_type):
    rows = [row(at=f"2026-11-02 {9 + i // 60}:{i % 60:02d}:00") for i in range(300)]
    path = tmp_path / "skm.csv"
    text = csv_text(rows) + "2026-11-02 15:00:00,informasi,\x00oscar\n"  # beyond the first 8 KB
    path.write_text(text, encoding="utf-8")
    progress = []
    for order in (None, "dmy"):  # the date column read whole, or only the rows counted
        with pytest.raises(importer.ImportFailed) as caught:
            importer.import_file(
                path, unit, date_order=order, batch_size=7, progress=lambda *a: progress.append(a)
            )
        assert [e.row for e in caught.value.errors] == [0]  # one sentence about the file
    assert progress == []  # found by the first reading, before any batch is stored
    assert not SurveyResponse.objects.exists()
    assert not DailyTally.objects.exists()


def test_a_missing_date_column_is_reported(tmp_path, unit, people, service_type):
    path = tmp_path / "bad.csv"
    path.write_text("service,U1,U2\ninformasi,4,4\n", encoding="utf-8")
    with pytest.raises(importer.ImportFailed) as caught:
        importer.import_file(path, unit)
    assert [(e.row, e.column) for e in caught.value.errors] == [(1, "tanggal")]


def test_a_form_with_fewer_elements_leaves_the_others_unanswered(
    tmp_path, unit, people, service_type
):
    path = tmp_path / "short.csv"
    path.write_text("submitted_at,service,U1,U2\n2026-11-02,informasi,4,3\n", encoding="utf-8")
    assert importer.import_file(path, unit) == 1
    assert SurveyResponse.objects.get().answers() == {"U1": 4, "U2": 3}


def test_poor_ratings_imported_are_flagged_and_facilities_become_items(
    tmp_path, unit, people, service_type
):
    rows = [
        row(scores=[4, 4, 1, 4, 4, 4, 4, 4, 4]),  # U3: the officer's
        row(officer="", scores=[4, 4, 1, 4, 4, 4, 4, 4, 4]),  # no officer named
        row(scores=[4, 4, 4, 4, 4, 4, 4, 2, 4]),  # U8: the institution's
        row(),
    ]
    importer.import_file(write_csv(tmp_path, rows), unit)
    assert SurveyResponse.objects.filter(flagged=True).count() == 3
    assert not Case.objects.exists()  # the daily check refers them (cases.intake)
    named = SurveyResponse.objects.get(flagged=True, officer=people["officer"], u3=1)
    assert named.source == ResponseSource.IMPORT and named.unverified  # no receipt behind it
    assert ImprovementItem.objects.get().elements == "U8"


def test_large_files_go_in_batches_with_progress(tmp_path, unit, people, service_type, monkeypatch):
    start = datetime.datetime(2026, 1, 1, 8)
    rows = [
        row(
            at=(start + datetime.timedelta(hours=7 * i)).isoformat(),
            officer=["oscar", "olive", ""][i % 3],
            scores=[(i + k) % 4 + 1 for k in range(9)],
        )
        for i in range(95)
    ]
    messages = []
    count = importer.import_file(
        write_csv(tmp_path, rows), unit, progress=lambda *a: messages.append(a), batch_size=7
    )
    assert count == 95
    assert messages[-1] == (95, 95) and (7, 95) in messages
    assert DailyTally.objects.count() > 20  # the bulk path of add_tallies
    first, last = datetime.date(2026, 1, 1), datetime.date(2026, 1, 31)
    respondents, totals = raw_totals(unit, start=first, end=last)
    tallied = ikm_for(unit, start=first, end=last)
    assert tallied.respondents == respondents == 95
    assert {e.code: (e.total, e.count) for e in tallied.elements} == totals
    # A second import adds to the existing tallies.
    importer.import_file(write_csv(tmp_path, rows[:40]), unit)
    assert (
        ikm_for(unit, start=first, end=last).respondents
        == raw_totals(unit, start=first, end=last)[0]
        == 135
    )


def test_xlsx_with_spreadsheet_dates_and_numbers(tmp_path, unit, people, service_type):
    book = Workbook()
    sheet = book.active
    sheet.append(STANDARD_HEADER)
    sheet.append([datetime.datetime(2026, 11, 2, 10, 0), "informasi", "oscar", *[4.0] * 9, None])
    sheet.append([datetime.date(2026, 11, 3), "informasi", None, *[3] * 8, None, "ok"])
    path = tmp_path / "skm.xlsx"
    book.save(path)
    out, _err = run("import_skm", str(path), "--unit", unit.code)
    assert out.startswith("2 rows imported")
    second = SurveyResponse.objects.get(officer=None)
    assert second.u9 is None
    assert second.comment == "ok"
    assert second.submitted_at.astimezone(unit.zone).date() == datetime.date(2026, 11, 3)


GOOGLE_HEADER = [
    "Stempel waktu",
    "Jenis layanan",
    "Nama petugas",
    "1. Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis "
    "pelayanannya?",
    "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
    "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
    "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
    "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum "
    "dalam standar pelayanan dengan hasil yang diberikan?",
    "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
    "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan "
    "dan keramahan?",
    "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
    "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
    "Saran dan masukan",
]


def test_google_forms_export_is_matched_by_question_text(tmp_path, unit, people, service_type):
    import csv

    path = tmp_path / "google.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(GOOGLE_HEADER)
        writer.writerow(
            [
                "02/11/2026 10:15:23",
                "Layanan informasi",
                "Oscar Officer",
                "Sangat sesuai",
                "Mudah",
                "Kurang cepat",
                "Gratis",
                "Sesuai",
                "4",
                "Sangat sopan dan ramah",
                "Baik",
                "Dikelola dengan baik",
                "Mantap",
            ]
        )
    with pytest.raises(importer.ImportFailed) as caught:  # 02/11: day or month first?
        importer.import_file(path, unit)
    assert caught.value.needs_date_order
    assert importer.import_file(path, unit, date_order="dmy") == 1
    response = SurveyResponse.objects.get()
    assert response.answers() == {
        "U1": 4,
        "U2": 3,
        "U3": 2,
        "U4": 4,
        "U5": 3,
        "U6": 4,
        "U7": 4,
        "U8": 3,
        "U9": 4,
    }
    assert response.officer == people["officer"]
    assert response.comment == "Mantap"
    assert response.submitted_at.astimezone(unit.zone) == datetime.datetime(
        2026, 11, 2, 10, 15, 23, tzinfo=unit.zone
    )
    assert response.flagged_elements == "U3"  # "Kurang cepat"


def test_a_units_own_question_texts_are_used(tmp_path, unit, people, service_type):
    SurveyFormMapping.objects.create(
        unit=unit,
        questions={f"U{i}": f"Pertanyaan nomor {i} dari formulir kami" for i in range(1, 10)},
        columns={"submitted_at": "Waktu isi"},
    )
    path = tmp_path / "own.csv"
    header = ["Waktu isi", "Jenis layanan"] + [
        f"Pertanyaan nomor {i} dari formulir kami" for i in range(1, 10)
    ]
    path.write_text(
        ",".join(header) + "\n2026-11-02 08:00,informasi," + ",".join(["3"] * 9) + "\n",
        encoding="utf-8",
    )
    assert importer.import_file(path, unit) == 1
    assert SurveyResponse.objects.get().u9 == 3


def test_unknown_unit_or_file_is_a_command_error(tmp_path, unit):
    with pytest.raises(CommandError):
        run("import_skm", str(tmp_path / "none.csv"), "--unit", unit.code)
    path = write_csv(tmp_path, [row()])
    with pytest.raises(CommandError):
        run("import_skm", str(path), "--unit", "nope")


def test_unit_admin_edits_the_form_mapping_in_the_admin(client, unit, people):
    from units.models import User

    User.objects.filter(pk=people["admin"].pk).update(is_staff=True)
    client.force_login(people["admin"])
    response = client.post(
        "/admin/surveys/surveyformmapping/add/",
        {"unit": unit.pk, "questions": '{"U1": ["Syarat?"]}', "columns": "{}"},
    )
    assert response.status_code == 302
    mapping = SurveyFormMapping.objects.get()
    assert mapping.questions == {"U1": ["Syarat?"]}
    assert client.get(f"/admin/surveys/surveyformmapping/{mapping.pk}/change/").status_code == 200


# --- the bulk path: batches, flags as the form's, the fast path for well-formed rows ----------


def mixed_rows(n=40):
    """Rows with poor officer and institution ratings, blanks, comments, no officer."""
    start = datetime.datetime(2026, 10, 1, 8)
    rows = []
    for i in range(n):
        scores = [(i + k) % 2 + 3 for k in range(9)]
        if i % 5 == 0:
            scores[2] = 1  # U3, the officer's
        if i % 7 == 0:
            scores[7] = 2  # U8, the institution's
        if i % 6 == 0:
            scores[4] = ""
        rows.append(
            row(
                at=(start + datetime.timedelta(hours=13 * i)).isoformat(sep=" "),
                officer=["oscar", "olive", ""][i % 3],
                scores=scores,
                c="Antrean lama." if i % 4 == 0 else "",
            )
        )
    return rows


def stored() -> dict:
    """What an import left, without ids: responses, cases, events, items, tallies."""
    from cases.models import CaseEvent

    response_fields = ["submitted_at", "officer_id", "service_type_id", "comment", "source"]
    response_fields += ["flagged", "flagged_elements", *(f"u{i}" for i in range(1, 10))]
    responses = {r.pk: tuple(getattr(r, f) for f in response_fields)
                 for r in SurveyResponse.objects.all()}  # fmt: skip
    cases = sorted(
        (responses[c.survey_response_id], c.officer_id, c.state, c.source_kind, c.reason,
         c.opened_at, c.opened_by_id, c.due_rule, c.due_at)
        for c in Case.objects.all()
    )  # fmt: skip
    events = sorted(
        (responses[e.case.survey_response_id], e.action, e.actor_id, e.at, e.from_state,
         e.to_state, tuple(sorted(e.data.items())))
        for e in CaseEvent.objects.select_related("case")
    )  # fmt: skip
    items = sorted(
        (responses[i.survey_response_id], i.elements, i.description, i.status, i.created_at)
        for i in ImprovementItem.objects.all()
    )
    tallies = sorted(
        DailyTally.objects.values_list(
            "day", "service_type_id", "officer_id", "respondents",
            *(f"u{i}_{p}" for i in range(1, 10) for p in ("sum", "n")),
        ),
        key=repr,
    )  # fmt: skip
    return {
        "responses": sorted(responses.values(), key=repr),
        "cases": cases,
        "events": events,
        "items": items,
        "tallies": tallies,
    }


def test_an_import_in_many_batches_equals_one_in_a_single_batch(
    tmp_path, unit, people, service_type, monkeypatch
):
    """However the rows are batched, and however many rows that open an improvement item
    are held before they are stored, the same rows, items and tallies."""
    import time_machine
    from django.db import transaction

    from surveys.services import ValuesStore

    path = write_csv(tmp_path, mixed_rows())
    results = []
    for batch_size, held in ((1000, 2000), (3, 2000), (3, 1)):
        monkeypatch.setattr(ValuesStore, "HELD_ROWS", held)
        with (
            time_machine.travel(
                datetime.datetime(2026, 11, 20, 9, tzinfo=datetime.UTC), tick=False
            ),
            transaction.atomic(),
        ):
            assert importer.import_file(path, unit, batch_size=batch_size) == 40
            results.append(stored())
            transaction.set_rollback(True)
    single, batched, held_one = results
    assert single["cases"] == []  # flagged only: the daily check refers them
    assert single["items"] and single["tallies"]
    assert batched == single
    assert held_one == single


def test_an_error_while_storing_a_batch_leaves_nothing(
    tmp_path, unit, people, service_type, monkeypatch
):
    """A batch is stored while the next is read (on PostgreSQL, in a second thread): an
    error in storing one stops the import with that error, and nothing stays written."""
    from surveys.services import ValuesStore

    stored_batches = []
    insert = ValuesStore.insert_prepared

    def failing_insert(self, batch):
        if len(stored_batches) == 2:
            raise RuntimeError("disk full")
        insert(self, batch)
        stored_batches.append(batch.plain.count + len(batch.improving))

    monkeypatch.setattr(ValuesStore, "insert_prepared", failing_insert)
    rows = [row(at=f"2026-11-02 09:{minute:02d}:00") for minute in range(40)]
    with pytest.raises(RuntimeError, match="disk full"):
        importer.import_file(write_csv(tmp_path, rows), unit, batch_size=7)
    assert stored_batches == [7, 7]  # nothing stored after the failing batch
    assert not SurveyResponse.objects.exists()
    assert not DailyTally.objects.exists()


def test_imported_flags_open_what_the_form_opens(tmp_path, unit, people, service_type):
    """The same answers imported and submitted through the form: the same flags, improvement
    item and tally (one write path)."""
    import time_machine
    from django.db import transaction

    from surveys.services import submit_response

    scores = [4, 4, 1, 4, 4, 4, 4, 2, 4]  # U3 the officer's, U8 the institution's
    at = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=unit.zone)
    results = []
    with time_machine.travel(datetime.datetime(2026, 11, 20, 9, tzinfo=datetime.UTC), tick=False):
        for how in ("import", "form"):
            with transaction.atomic():
                if how == "import":
                    rows = [row(at=at.replace(tzinfo=None).isoformat(), scores=scores, c="Lambat")]
                    importer.import_file(write_csv(tmp_path, rows), unit)
                else:
                    answers = dict(zip([f"U{i}" for i in range(1, 10)], scores, strict=True))
                    submit_response(unit, answers=answers, comment="Lambat", submitted_at=at,
                                    service_type=service_type, officer=people["officer"],
                                    source=ResponseSource.IMPORT)  # fmt: skip
                results.append(stored())
                transaction.set_rollback(True)
    imported, form = results
    assert len(imported["items"]) == 1 and imported["cases"] == imported["events"] == []
    assert imported == form


def test_unusual_cells_store_the_same_as_plain_ones(tmp_path, unit, people, service_type):
    """The same values written otherwise store the same."""
    plain = [
        row(at="2026-11-02 09:00:00", officer="oscar", scores=[4, 3, 4, 3, 4, 3, 4, 3, ""]),
        row(at="2026-11-02T10:30:00+07:00", officer="", scores=[3] * 9, c="Bagus"),
    ]
    unusual = [
        row(at=" 02/11/2026 09:00:00 ", service=" INFORMASI ", officer=" Oscar ",
            scores=[" 4", "3 ", 4, 3, 4, 3, 4, 3, " "]),
        row(at="2026-11-02 10:30:00 GMT+7", officer=" ", scores=["3"] * 9, c="  Bagus "),
    ]  # fmt: skip
    results = []
    for rows in (plain, unusual):
        from django.db import transaction

        with transaction.atomic():
            path = write_csv(tmp_path, rows)
            assert importer.import_file(path, unit, date_order="dmy") == 2
            results.append(stored())
            transaction.set_rollback(True)
    assert results[0] == results[1]
    assert len(results[0]["responses"]) == 2
