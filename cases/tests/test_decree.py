"""Decree numbers: the unit's pattern, a sequence per unit and year, no gaps, no duplicates."""

from __future__ import annotations

import datetime
import io
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from pypdf import PdfReader

from cases import issuing, workflow
from cases.models import CaseState, Decree, DecreeSequence
from pulih.lib.errors import InvalidInput, StateConflict

S = CaseState
WIB = ZoneInfo("Asia/Jakarta")


def issue(case, head):
    return workflow.decide_decree(case, actor=head, issue_decree=True)


def test_numbers_follow_the_default_pattern_in_sequence(make_case, people):
    with time_machine.travel(datetime.datetime(2026, 8, 7, 10, tzinfo=WIB), tick=False):
        numbers = [issue(make_case(S.DECISION), people["head"]).number for _ in range(3)]
    assert numbers == [
        "0001/C7.22/OT.02.02/2026",
        "0002/C7.22/OT.02.02/2026",
        "0003/C7.22/OT.02.02/2026",
    ]


def test_the_sequence_starts_again_each_year_and_per_unit(make_case, people, unit):
    with time_machine.travel(datetime.datetime(2026, 12, 31, 20, tzinfo=WIB), tick=False):
        assert issue(make_case(S.DECISION), people["head"]).number.startswith("0001/")
        assert issue(make_case(S.DECISION), people["head"]).number.startswith("0002/")
    with time_machine.travel(datetime.datetime(2027, 1, 4, 9, tzinfo=WIB), tick=False):
        decree = issue(make_case(S.DECISION), people["head"])
    assert decree.number == "0001/C7.22/OT.02.02/2027"
    assert decree.date == datetime.date(2027, 1, 4)
    assert DecreeSequence.objects.get(unit=unit, year=2026).last == 2


def test_the_units_own_pattern_is_used(make_case, people, unit):
    unit.decree_number_pattern = "SK-{seq:03d}/ULT/{year}"
    unit.save()
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=WIB), tick=False):
        assert issue(make_case(S.DECISION), people["head"]).number == "SK-001/ULT/2026"


def test_a_pattern_without_sequence_is_refused_rather_than_repeated(make_case, people, unit):
    unit.decree_number_pattern = "SK/ULT/{year}"
    unit.save()
    issue(make_case(S.DECISION), people["head"])
    second = make_case(S.DECISION)
    with pytest.raises(InvalidInput):
        issue(second, people["head"])
    second.refresh_from_db()
    assert second.state == S.DECISION
    # The failed attempt consumed no number.
    assert DecreeSequence.objects.get(unit=unit).last == 1


def test_the_decree_records_the_signer_and_the_proposed_sanction(make_case, people):
    people["head"].nip = "197010192002121002"
    people["head"].save()
    decree = issue(make_case(S.DECISION), people["head"])
    assert decree.signer_name == "Hadi Kepala"
    assert decree.signer_nip == "197010192002121002"
    assert decree.sanction.code == "teguran-tertulis"


def test_the_decree_pdf_is_an_official_decree(make_case, people, unit):
    people["officer"].nip = "199005122015031002"
    people["officer"].save()
    people["head"].nip = "197010192002121002"
    people["head"].save()
    with time_machine.travel(datetime.datetime(2026, 8, 14, 9, tzinfo=WIB), tick=False):
        decree = issue(make_case(S.DECISION), people["head"])
    text = " ".join(
        page.extract_text()
        for page in PdfReader(
            io.BytesIO(issuing.document_bytes(decree.case.documents.get(kind="decree")))
        ).pages
    )
    text = " ".join(text.split())
    for expected in [
        "BALAI PENJAMINAN MUTU PENDIDIKAN",  # letterhead
        "KEPUTUSAN KEPALA BPMP PROVINSI KALIMANTAN TENGAH",
        "NOMOR 0001/C7.22/OT.02.02/2026",
        "TENTANG",
        "Menimbang",
        "Mengingat",
        "Undang-undang No. 25 Tahun 2009",  # the unit's legal basis
        "MEMUTUSKAN",
        "Menetapkan",
        "Oscar Officer",
        "199005122015031002",
        "Teguran tertulis",
        "Ditetapkan di Palangka Raya",
        "14 Agustus 2026",
        "Hadi Kepala",
        "NIP 197010192002121002",
    ]:
        assert expected in text, expected


pg_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="threads writing at once need a server database (SQLite's in-memory test database "
    "locks whole tables)",
)


def _in_threads(count: int, work) -> list:
    """Run work(i) in `count` threads started together; results or exceptions, in order."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pg_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_decrees_get_consecutive_numbers_without_gaps(make_case, people, unit):
    cases = [make_case(S.DECISION) for _ in range(6)]
    results = _in_threads(6, lambda i: issue(cases[i], people["head"]).sequence)
    assert sorted(results) == [1, 2, 3, 4, 5, 6], results
    assert Decree.objects.filter(unit=unit).values("number").distinct().count() == 6


@pg_only
@pytest.mark.django_db(transaction=True)
def test_two_heads_deciding_one_case_at_once_make_one_decree(make_case, people, unit):
    from conftest import make_member
    from units.models import Role

    second_head = make_member(unit, "wakil", Role.HEAD)
    case = make_case(S.DECISION)
    heads = [people["head"], second_head]
    results = _in_threads(2, lambda i: issue(case, heads[i]))
    assert sum(isinstance(r, Decree) for r in results) == 1
    assert sum(isinstance(r, StateConflict) for r in results) == 1
    assert Decree.objects.count() == 1
    assert case.events.filter(action="decide").count() == 1
