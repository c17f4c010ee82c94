"""Figures for `make bench`: percentiles, tables with target, ratio and whether it is met,
the machine they were measured on, and docs/benchmarks.md sections."""

from __future__ import annotations

import datetime
import math
import os
import platform
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
DOC_TITLE = "# Benchmarks"


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) with linear interpolation between closest ranks
    (NumPy's default, `statistics.quantiles(method="inclusive")`)."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"q must be within 0..100, not {q}")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = math.floor(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def summarize_ms(samples_ms: Sequence[float]) -> dict:
    """p50, p95 and count of a list of durations in milliseconds."""
    return {
        "p50_ms": round(percentile(samples_ms, 50), 1),
        "p95_ms": round(percentile(samples_ms, 95), 1),
        "n": len(samples_ms),
    }


@dataclass
class Figure:
    """One measured figure. `reference` names what it is compared with (a floor or the
    peer) and `ratio` is this figure's p50 over the reference's; `met` is None when the
    figure has no target of its own (a floor, the peer)."""

    name: str
    p50_ms: float
    p95_ms: float
    target: str = ""
    reference: str = ""
    ratio: float | None = None
    met: bool | None = None
    note: str = ""


def ratio(value: float, reference: float) -> float | None:
    """value / reference, or None if the reference is zero."""
    return None if reference == 0 else value / reference


def fmt_ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def fmt_ratio(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}×" if value < 10 else f"{value:.1f}×"


def fmt_met(met: bool | None) -> str:
    return "—" if met is None else ("yes" if met else "**NO**")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def format_table(figures: Iterable[Figure]) -> str:
    """A Markdown table: figure, median, p95, target, compared with, ratio, met."""
    lines = [
        "| figure | median (ms) | p95 (ms) | target | compared with | ratio | met |",
        "|---|--:|--:|---|---|--:|:-:|",
    ]
    for f in figures:
        name = f"{f.name} ({f.note})" if f.note else f.name
        lines.append(
            "| "
            + " | ".join(
                _cell(c)
                for c in (
                    name,
                    fmt_ms(f.p50_ms),
                    fmt_ms(f.p95_ms),
                    f.target or "—",
                    f.reference or "—",
                    fmt_ratio(f.ratio),
                    fmt_met(f.met),
                )
            )
            + " |"
        )
    return "\n".join(lines)


def format_console(figures: Iterable[Figure]) -> str:
    """The same figures as aligned plain text for the terminal."""
    rows = [("figure", "p50 ms", "p95 ms", "target", "ratio", "met")]
    for f in figures:
        met = "—" if f.met is None else ("yes" if f.met else "NO")
        rows.append(
            (f.name, fmt_ms(f.p50_ms), fmt_ms(f.p95_ms), f.target or "—", fmt_ratio(f.ratio), met)
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(
            c.rjust(w) if i in (1, 2, 4) else c.ljust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ).rstrip()
        for r in rows
    )


def machine_info() -> dict:
    """nproc, memory, CPU model and OS of this machine."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    except OSError:
        pass
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = None
    return {
        "nproc": os.cpu_count(),
        "load": load,
        "memory_gib": mem_gib,
        "cpu": cpu,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }


def format_machine(info: dict) -> str:
    mem = f"{info['memory_gib']} GiB" if info.get("memory_gib") is not None else "? GiB"
    text = (
        f"{info['nproc']} CPUs ({info['cpu']}), {mem} memory, {info['os']}, Python {info['python']}"
    )
    if info.get("load"):
        text += f", load average {' / '.join(str(x) for x in info['load'])} when it started"
    return text


def today() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")


def replace_section(document: str, title: str, body: str) -> str:
    """Put `## title` followed by body into document, replacing that section (up to the
    next `## ` heading) if it is there, else appending it."""
    section = f"## {title}\n\n{body.strip()}\n"
    heading = re.compile(rf"^## {re.escape(title)}[ \t]*$", re.MULTILINE)
    match = heading.search(document)
    if not match:
        base = document.rstrip("\n")
        return f"{base}\n\n{section}" if base else section
    nxt = re.compile(r"^## ", re.MULTILINE).search(document, match.end())
    end = nxt.start() if nxt else len(document)
    tail = document[end:]
    return document[: match.start()] + section + ("\n" + tail if tail else "")


def write_section(title: str, body: str, path: Path = DOC) -> Path:
    """Write one section of docs/benchmarks.md, keeping the others."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = path.read_text() if path.exists() else f"{DOC_TITLE}\n"
    path.write_text(replace_section(document, title, body))
    return path
