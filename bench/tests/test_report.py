import statistics

import pytest

from bench.report import (
    Figure,
    format_console,
    format_machine,
    format_table,
    percentile,
    ratio,
    replace_section,
    summarize_ms,
    write_section,
)


def test_percentile_interpolates_between_closest_ranks():
    assert percentile([4, 1, 3, 2], 50) == 2.5
    assert percentile([1, 2, 3, 4], 95) == pytest.approx(3.85)
    assert percentile([1, 2, 3, 4], 0) == 1
    assert percentile([1, 2, 3, 4], 100) == 4
    assert percentile([7.0], 95) == 7.0


def test_percentile_agrees_with_the_standard_library():
    values = [((i * 37) % 101) / 3 for i in range(30)]
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    assert percentile(values, 50) == pytest.approx(cuts[49])
    assert percentile(values, 95) == pytest.approx(cuts[94])


def test_percentile_refuses_no_values_or_a_q_out_of_range():
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_summary_gives_median_p95_and_count():
    samples = [float(ms) for ms in range(100, -1, -1)]
    assert summarize_ms(samples) == {"p50_ms": 50.0, "p95_ms": 95.0, "n": 101}


def test_ratio_of_a_zero_reference_is_none():
    assert ratio(5, 50) == 0.1
    assert ratio(5, 0) is None


def test_table_shows_target_ratio_and_whether_it_is_met():
    table = format_table(
        [
            Figure("case list, sqlite", 8.04, 11.6, "p50 ≤ 98.6 ms", "peer", 0.0815, True),
            Figure("dashboard", 1234.4, 2500, "p95 ≤ 100 ms", "", None, False, note="a|b"),
            Figure("peer ticket list", 986.2, 1147.0),
        ]
    ).splitlines()
    assert table[0].startswith("| figure | median (ms) | p95 (ms) | target |")
    assert table[2] == "| case list, sqlite | 8.0 | 11.6 | p50 ≤ 98.6 ms | peer | 0.08× | yes |"
    assert table[3] == "| dashboard (a\\|b) | 1,234 | 2,500 | p95 ≤ 100 ms | — | — | **NO** |"
    assert table[4] == "| peer ticket list | 986 | 1,147 | — | — | — | — |"


def test_console_lines_up_the_same_figures():
    lines = format_console([Figure("a", 1.0, 2.0, "t", met=True), Figure("longer", 150, 300)])
    assert lines.splitlines()[1].split() == ["a", "1.0", "2.0", "t", "—", "yes"]
    assert lines.splitlines()[2].split() == ["longer", "150", "300", "—", "—", "—"]


def test_machine_line_names_cpus_memory_and_load():
    line = format_machine(
        {
            "nproc": 2,
            "cpu": "Some CPU",
            "memory_gib": 23.4,
            "os": "Linux 6",
            "python": "3.11.7",
            "load": [1.5, 1.0, 0.5],
        }
    )
    assert line == (
        "2 CPUs (Some CPU), 23.4 GiB memory, Linux 6, Python 3.11.7, "
        "load average 1.5 / 1.0 / 0.5 when it started"
    )


def test_a_missing_section_is_appended():
    doc = replace_section("# Benchmarks\n", "Peer", "figures")
    assert doc == "# Benchmarks\n\n## Peer\n\nfigures\n"


def test_a_section_is_replaced_and_the_others_kept_in_place():
    doc = "# Benchmarks\n\n## IKM\n\nold ikm\n\n## Peer\n\nold peer\n\n## PDF\n\npdf\n"
    new = replace_section(doc, "Peer", "new peer")
    assert new == "# Benchmarks\n\n## IKM\n\nold ikm\n\n## Peer\n\nnew peer\n\n## PDF\n\npdf\n"
    assert replace_section(new, "Peer", "new peer") == new
    last = replace_section(doc, "PDF", "new pdf")
    assert last.endswith("## Peer\n\nold peer\n\n## PDF\n\nnew pdf\n")


def test_writing_a_section_creates_the_document(tmp_path):
    path = tmp_path / "docs" / "benchmarks.md"
    write_section("Peer: django-helpdesk ticket list", "one", path)
    write_section("Pulih", "two", path)
    write_section("Peer: django-helpdesk ticket list", "three", path)
    assert path.read_text() == (
        "# Benchmarks\n\n## Peer: django-helpdesk ticket list\n\nthree\n\n## Pulih\n\ntwo\n"
    )
