"""Fuzz of the reader: random bytes and mutated real files (every fixture variant) never
raise anything but ImportFailed — a row-and-column report or one sentence, no traceback —
and never store a response."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys import importer
from surveys.models import SurveyResponse

from . import skmfiles

TRIED = {"inputs": 0}
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
SUFFIXES = [".csv", ".xlsx", ".xls", ".ods", ".txt"]


@pytest.fixture(scope="module")
def originals() -> list[bytes]:
    with tempfile.TemporaryDirectory() as directory:
        return [skmfiles.write(v, Path(directory)).read_bytes() for v in skmfiles.VARIANTS]


def _read(data: bytes, suffix: str, unit) -> None:
    TRIED["inputs"] += 1
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"fuzz{suffix}"
        path.write_bytes(data)
        for attempt in (None, "dmy"):
            try:
                importer.inspect(path, unit, date_order=attempt)
            except importer.ImportFailed as exc:
                assert importer.error_report(exc)


@FUZZ
@given(data=st.binary(max_size=4096), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_never_escape(data, suffix, unit, people, service_type):
    _read(data, suffix, unit)


@FUZZ
@given(
    which=st.integers(min_value=0, max_value=len(skmfiles.VARIANTS) - 1),
    edits=st.lists(
        st.tuples(st.integers(min_value=0, max_value=10**6), st.binary(min_size=0, max_size=8)),
        min_size=1,
        max_size=6,
    ),
    cut=st.one_of(st.none(), st.integers(min_value=0, max_value=10**6)),
    suffix=st.sampled_from(SUFFIXES),
)
def test_mutated_real_files_never_escape(
    which, edits, cut, suffix, originals, unit, people, service_type
):
    data = bytearray(originals[which])
    for offset, replacement in edits:
        at = offset % (len(data) + 1)
        data[at : at + len(replacement)] = replacement
    if cut is not None:
        data = data[: cut % (len(data) + 1)]
    _read(bytes(data), suffix, unit)


def test_the_fuzz_stored_nothing_and_counts_its_inputs(db, capsys):
    assert not SurveyResponse.objects.exists()
    with capsys.disabled():
        print(f"\nfuzz: {TRIED['inputs']} inputs read without an escaping exception")
