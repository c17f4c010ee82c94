"""Server-rendered SVG charts: the same markup on screen and in WeasyPrint's PDFs.

Plain SVG with presentation attributes only (fill=, stroke=, font-size=): no style attributes
and no scripts, so they pass the strict CSP and print identically. Every label is escaped.
Values may be int, float, Decimal or Fraction; None means "no data" (no bar, a gap in a line).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from html import escape

from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe

Number = int | float | Decimal | Fraction
INK = "#1d2733"
MUTED = "#5b6775"
GRID = "#d9dee4"
BAR = "#0b6e4f"
LINE = "#0b6e4f"
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"


def _num(value: Number | None) -> float | None:
    return None if value is None else float(value)


def _fmt(value: Number | None, value_format: str) -> str:
    """`value` formatted, with the active language's decimal separator (91,48 in Indonesian)."""
    if value is None:
        return "–"
    return value_format.format(float(value)).replace(".", get_format("DECIMAL_SEPARATOR"))


def _ticks(low: float, high: float) -> list[float]:
    """Round values for the axis: steps of 1, 2, 2.5 or 5 times a power of ten."""
    raw = (high - low) / 4
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step) * step
    return [first + i * step for i in range(int((high - first) / step + 1e-9) + 1)]


def _short(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _svg(width: float, height: float, title: str, body: list[str], css_class: str) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{escape(css_class)}" role="img" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'font-family="{FONT}" aria-label="{escape(title)}">'
    )
    titled = [f"<title>{escape(title)}</title>"] if title else []
    return mark_safe(head + "".join(titled + body) + "</svg>")  # noqa: S308 (all escaped)


def bar_chart(
    labels: Sequence[str],
    values: Sequence[Number | None],
    *,
    title: str = "",
    max_value: Number | None = None,
    value_format: str = "{:.2f}",
    guides: Sequence[tuple[Number, str]] = (),
    width: int = 640,
    bar_height: int = 22,
    label_width: int = 210,
    css_class: str = "chart bar-chart",
) -> SafeString:
    """Horizontal bars, one per label, with the value printed at the bar's end.

    `max_value` fixes the scale (e.g. 100 for scores); `guides` draws dashed reference lines,
    e.g. [(88.31, "A")].
    """
    if len(labels) != len(values):
        raise ValueError("labels and values differ in length")
    nums = [_num(v) for v in values]
    top = _num(max_value) or max([n for n in nums if n is not None] or [1]) or 1
    gap, pad_top, value_room = 8, 14 + (18 if title else 0), 56
    plot_w = max(width - label_width - value_room, 40)
    height = pad_top + len(labels) * (bar_height + gap) + 22
    body: list[str] = []
    if title:
        body.append(
            f'<text x="0" y="14" font-size="13" font-weight="bold" fill="{INK}">'
            f"{escape(title)}</text>"
        )
    x0 = label_width
    chart_bottom = pad_top + len(labels) * (bar_height + gap)
    for fraction_of_top in (0, 0.25, 0.5, 0.75, 1):
        x = x0 + plot_w * fraction_of_top
        body.append(
            f'<line x1="{x:.1f}" y1="{pad_top - 4}" x2="{x:.1f}" y2="{chart_bottom}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(
            f'<text x="{x:.1f}" y="{chart_bottom + 14}" font-size="10" fill="{MUTED}" '
            f'text-anchor="middle">{escape(_fmt(top * fraction_of_top, "{:.0f}"))}</text>'
        )
    for value, name in guides:
        x = x0 + plot_w * min(float(value) / top, 1)
        body.append(
            f'<line x1="{x:.1f}" y1="{pad_top - 4}" x2="{x:.1f}" y2="{chart_bottom}" '
            f'stroke="{MUTED}" stroke-width="1" stroke-dasharray="4 3"/>'
            f'<text x="{x + 2:.1f}" y="{pad_top - 6}" font-size="9" fill="{MUTED}">'
            f"{escape(name)}</text>"
        )
    for i, (label, num) in enumerate(zip(labels, nums, strict=True)):
        y = pad_top + i * (bar_height + gap)
        text_y = y + bar_height / 2 + 4
        body.append(
            f'<g class="bar"><title>{escape(str(label))}: {_fmt(num, value_format)}</title>'
        )
        body.append(
            f'<text x="{label_width - 6}" y="{text_y:.1f}" font-size="11" fill="{INK}" '
            f'text-anchor="end">{escape(_short(str(label), 30))}</text>'
        )
        if num is not None:
            w = plot_w * max(min(num / top, 1), 0)
            body.append(
                f'<rect x="{x0}" y="{y}" width="{w:.1f}" height="{bar_height}" fill="{BAR}"/>'
            )
            body.append(
                f'<text x="{x0 + w + 4:.1f}" y="{text_y:.1f}" font-size="11" fill="{INK}">'
                f"{escape(_fmt(num, value_format))}</text>"
            )
        else:
            body.append(
                f'<text x="{x0 + 4}" y="{text_y:.1f}" font-size="11" fill="{MUTED}">–</text>'
            )
        body.append("</g>")
    return _svg(width, height, title, body, css_class)


def line_chart(
    labels: Sequence[str],
    values: Sequence[Number | None],
    *,
    title: str = "",
    min_value: Number | None = None,
    max_value: Number | None = None,
    value_format: str = "{:.2f}",
    guides: Sequence[tuple[Number, str]] = (),
    ticks: Sequence[Number] | None = None,
    width: int = 640,
    height: int = 260,
    css_class: str = "chart line-chart",
) -> SafeString:
    """A line through the points in label order; a None value breaks the line.

    `ticks` fixes the labelled values of the vertical axis (default: round steps).
    """
    if len(labels) != len(values):
        raise ValueError("labels and values differ in length")
    nums = [_num(v) for v in values]
    present = [n for n in nums if n is not None]
    low = _num(min_value) if min_value is not None else min(present or [0])
    high = _num(max_value) if max_value is not None else max(present or [1])
    if high <= low:
        high = low + 1
    left, right, top_pad, bottom = 44, 30, 14 + (18 if title else 0), 34
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    step = plot_w / max(len(labels) - 1, 1)

    def x_at(i: int) -> float:
        return left + (step * i if len(labels) > 1 else plot_w / 2)

    def y_at(v: float) -> float:
        return top_pad + plot_h * (1 - (v - low) / (high - low))

    body: list[str] = []
    if title:
        body.append(
            f'<text x="0" y="14" font-size="13" font-weight="bold" fill="{INK}">'
            f"{escape(title)}</text>"
        )
    for v in [float(t) for t in ticks] if ticks is not None else _ticks(low, high):
        y = y_at(v)
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="{GRID}" '
            f'stroke-width="1"/><text x="{left - 6}" y="{y + 4:.1f}" font-size="10" '
            f'fill="{MUTED}" text-anchor="end">{escape(_fmt(v, "{:.0f}"))}</text>'
        )
    for value, name in guides:
        if low <= float(value) <= high:
            y = y_at(float(value))
            body.append(
                f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
                f'stroke="{MUTED}" stroke-width="1" stroke-dasharray="4 3"/>'
                f'<text x="{left + plot_w - 2}" y="{y - 3:.1f}" font-size="9" fill="{MUTED}" '
                f'text-anchor="end">{escape(name)}</text>'
            )
    segments: list[list[tuple[float, float]]] = [[]]
    for i, num in enumerate(nums):
        if num is None:
            segments.append([])
        else:
            segments[-1].append((x_at(i), y_at(num)))
    for segment in segments:
        if len(segment) > 1:
            points = " ".join(f"{x:.1f},{y:.1f}" for x, y in segment)
            body.append(
                f'<polyline points="{points}" fill="none" stroke="{LINE}" stroke-width="2.5"/>'
            )
    for i, (label, num) in enumerate(zip(labels, nums, strict=True)):
        x = x_at(i)
        body.append(
            f'<g class="point"><title>{escape(str(label))}: {_fmt(num, value_format)}</title>'
        )
        if num is not None:
            y = y_at(num)
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{LINE}"/>')
            body.append(
                f'<text x="{x:.1f}" y="{y - 8:.1f}" font-size="10" fill="{INK}" '
                f'text-anchor="middle">{escape(_fmt(num, value_format))}</text>'
            )
        body.append(
            f'<text x="{x:.1f}" y="{height - bottom + 16}" font-size="10" fill="{MUTED}" '
            f'text-anchor="middle">{escape(_short(str(label), 12))}</text></g>'
        )
    return _svg(width, height, title, body, css_class)
