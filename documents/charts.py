"""Server-rendered SVG charts: the same markup on screen and in WeasyPrint's PDFs.

Plain SVG with presentation attributes only (fill=, stroke=, font-size=): no style attributes
and no scripts, so they pass the strict CSP and print identically. Every label is escaped.
Values may be int, float, Decimal or Fraction; None means "no data" (no bar, a gap in a line).

Sizes are in user units of the viewBox. The caller picks `width` for where the chart goes: the
PDF draws it 1:1 in points across the text block (so no text is under `MIN_FONT` pt), the
dashboard at a phone's card width (so it only ever grows on a wider card). Labels that do not
fit their room are shortened with "…" and given whole in the element's <title>.
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
MUTED = "#4f5b69"
GRID = "#d9dee4"
BAR = "#0b6e4f"
LINE = "#0b6e4f"
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
MIN_FONT = 10  # the smallest text drawn (ticks, guide names)
LABEL_FONT = 11
TITLE_FONT = 13
# Average advance of a DejaVu Sans glyph, as a share of the font size (wide enough for digits).
CHAR_WIDTH = 0.62


def _num(value: Number | None) -> float | None:
    return None if value is None else float(value)


def _fmt(value: Number | None, value_format: str, decimal_sep: str) -> str:
    """`value` formatted, with the active language's decimal separator (91,48 in Indonesian).

    A chart reads the separator once and passes it here: looking it up (the language, then
    its formats) cost more than the formatting itself, a hundred times per dashboard."""
    if value is None:
        return "–"
    return value_format.format(float(value)).replace(".", decimal_sep)


def _text_width(text: str, font_size: float) -> float:
    return len(text) * font_size * CHAR_WIDTH


def nice_ticks(low: float, high: float, *, whole: bool = False, count: int = 4) -> list[float]:
    """Round values from `low` to at least `high`: steps of 1, 2, 2.5 or 5 times a power of ten
    (never 2.5 and never below 1 when `whole`, so counts read 0 1 2 3, not 0 1 2 2 3)."""
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    steps = (1, 2, 5, 10) if whole else (1, 2, 2.5, 5, 10)
    step = next(m * magnitude for m in steps if m * magnitude >= raw)
    if whole:
        step = max(1, round(step))
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    return [first + i * step for i in range(int(round((last - first) / step)) + 1)]


def _tick_format(ticks: Sequence[float]) -> str:
    return "{:.0f}" if all(float(t).is_integer() for t in ticks) else "{:.1f}"


def _short(label: str, limit: int) -> str:
    limit = max(limit, 2)
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _fit(label: str, room: float, font_size: float) -> str:
    return _short(label, int(room / (font_size * CHAR_WIDTH)))


def _svg(width: float, height: float, title: str, body: list[str], css_class: str) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{escape(css_class)}" role="img" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'font-family="{FONT}" aria-label="{escape(title)}">'
    )
    titled = [f"<title>{escape(title)}</title>"] if title else []
    return mark_safe(head + "".join(titled + body) + "</svg>")  # noqa: S308 (all escaped)


def _title(title: str, width: float) -> list[str]:
    if not title:
        return []
    return [
        f'<text x="0" y="{TITLE_FONT + 1}" font-size="{TITLE_FONT}" font-weight="bold" '
        f'fill="{INK}">{escape(_fit(title, width, TITLE_FONT * 1.05))}</text>'
    ]


def bar_chart(
    labels: Sequence[str],
    values: Sequence[Number | None],
    *,
    title: str = "",
    max_value: Number | None = None,
    value_format: str = "{:.2f}",
    guides: Sequence[tuple[Number, str]] = (),
    width: int = 360,
    bar_height: int = 14,
    css_class: str = "chart bar-chart",
    interactive: bool = True,
) -> SafeString:
    """Horizontal bars, one per label: the label above its bar (the whole width is its room),
    the value at the bar's end, whole-number ticks when the values are counts.

    `max_value` fixes the scale (e.g. 100 for scores); `guides` draws dashed reference lines,
    e.g. [(88.31, "A")]. `interactive` groups each bar with a <title> (a tooltip on screen);
    a PDF has no use for it.
    """
    if len(labels) != len(values):
        raise ValueError("labels and values differ in length")
    sep = get_format("DECIMAL_SEPARATOR")
    nums = [_num(v) for v in values]
    whole = value_format == "{:.0f}" or all(float(n).is_integer() for n in nums if n is not None)
    biggest = max([n for n in nums if n is not None] or [0])
    ticks = nice_ticks(0, _num(max_value) or biggest or 1, whole=whole)
    top = ticks[-1] or 1
    tick_format = _tick_format(ticks)
    value_room = _text_width(_fmt(top, value_format, sep), LABEL_FONT) + 8
    row = LABEL_FONT + 4 + bar_height + 9
    pad_top = (TITLE_FONT + 10 if title else 0) + (MIN_FONT + 4 if guides else 0)
    plot_w = max(width - value_room, 40)
    chart_bottom = pad_top + len(labels) * row
    height = chart_bottom + MIN_FONT + 8
    body = _title(title, width)
    grid = " ".join(
        f"M{plot_w * t / top:.1f} {pad_top}V{chart_bottom}" for t in ticks
    )  # one path: each element costs the PDF renderer a style cascade
    body.append(f'<path d="{grid}" stroke="{GRID}" stroke-width="1" fill="none"/>')
    for tick in ticks:
        x = plot_w * tick / top
        anchor = "start" if tick == ticks[0] else ("end" if x > plot_w - 10 else "middle")
        body.append(
            f'<text x="{x:.1f}" y="{chart_bottom + MIN_FONT + 4}" font-size="{MIN_FONT}" '
            f'fill="{MUTED}" text-anchor="{anchor}">{escape(_fmt(tick, tick_format, sep))}</text>'
        )
    for value, name in guides:
        x = plot_w * min(float(value) / top, 1)
        body.append(
            f'<line x1="{x:.1f}" y1="{pad_top - 2}" x2="{x:.1f}" y2="{chart_bottom}" '
            f'stroke="{MUTED}" stroke-width="1" stroke-dasharray="4 3"/>'
            f'<text x="{x:.1f}" y="{pad_top - 4}" font-size="{MIN_FONT}" fill="{MUTED}" '
            f'text-anchor="middle">{escape(name)}</text>'
        )
    for i, (label, num) in enumerate(zip(labels, nums, strict=True)):
        y = pad_top + i * row
        bar_y = y + LABEL_FONT + 4
        text = str(label)
        shown = _fmt(num, value_format, sep)
        if interactive:
            body.append(f'<g class="bar"><title>{escape(text)}: {shown}</title>')
        body.append(
            f'<text x="0" y="{y + LABEL_FONT:.1f}" font-size="{LABEL_FONT}" fill="{INK}">'
            f"{escape(_fit(text, width, LABEL_FONT))}</text>"
        )
        value_y = bar_y + bar_height / 2 + LABEL_FONT * 0.35
        if num is not None:
            w = plot_w * max(min(num / top, 1), 0)
            body.append(
                f'<rect x="0" y="{bar_y:.1f}" width="{w:.1f}" height="{bar_height}" '
                f'fill="{BAR}"/>'
                f'<text x="{w + 4:.1f}" y="{value_y:.1f}" font-size="{LABEL_FONT}" '
                f'fill="{INK}">{escape(shown)}</text>'
            )
        else:
            body.append(
                f'<text x="4" y="{value_y:.1f}" font-size="{LABEL_FONT}" fill="{MUTED}">–</text>'
            )
        if interactive:
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
    width: int = 360,
    height: int = 230,
    css_class: str = "chart line-chart",
    interactive: bool = True,
) -> SafeString:
    """A line through the points in label order; a None value breaks the line.

    A label may hold a second line after "\\n" (the year under the month). `ticks` fixes the
    labelled values of the vertical axis (default: round steps). Values are printed above
    their points where there is room for them.
    """
    if len(labels) != len(values):
        raise ValueError("labels and values differ in length")
    sep = get_format("DECIMAL_SEPARATOR")
    nums = [_num(v) for v in values]
    present = [n for n in nums if n is not None]
    low = _num(min_value) if min_value is not None else min(present or [0])
    high = _num(max_value) if max_value is not None else max(present or [1])
    if high <= low:
        high = low + 1
    axis = [float(t) for t in ticks] if ticks is not None else nice_ticks(low, high)
    axis = [t for t in axis if low - 1e-9 <= t <= high + 1e-9]
    tick_format = _tick_format(axis)
    two_lines = any("\n" in str(label) for label in labels)
    left = max([_text_width(_fmt(t, tick_format, sep), MIN_FONT) for t in axis] or [0]) + 8
    right = 14
    top_pad = (TITLE_FONT + 10 if title else 0) + LABEL_FONT + 6
    bottom = (MIN_FONT + 4) * (2 if two_lines else 1) + 8
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    step = plot_w / max(len(labels) - 1, 1)
    show_values = step >= _text_width(_fmt(high, value_format, sep), MIN_FONT) + 4

    def x_at(i: int) -> float:
        return left + (step * i if len(labels) > 1 else plot_w / 2)

    def y_at(v: float) -> float:
        return top_pad + plot_h * (1 - (v - low) / (high - low))

    body = _title(title, width)
    grid = " ".join(f"M{left:.1f} {y_at(v):.1f}H{left + plot_w:.1f}" for v in axis)
    body.append(f'<path d="{grid}" stroke="{GRID}" stroke-width="1" fill="none"/>')
    for v in axis:
        body.append(
            f'<text x="{left - 5:.1f}" y="{y_at(v) + MIN_FONT * 0.35:.1f}" '
            f'font-size="{MIN_FONT}" fill="{MUTED}" '
            f'text-anchor="end">{escape(_fmt(v, tick_format, sep))}</text>'
        )
    for value, name in guides:
        if low <= float(value) <= high:
            y = y_at(float(value))
            body.append(
                f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{left + plot_w:.1f}" y2="{y:.1f}" '
                f'stroke="{MUTED}" stroke-width="1" stroke-dasharray="4 3"/>'
                f'<text x="{left + plot_w + 3:.1f}" y="{y + MIN_FONT * 0.35:.1f}" '
                f'font-size="{MIN_FONT}" fill="{MUTED}">{escape(name)}</text>'
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
    room = max(step, 24) if len(labels) > 1 else plot_w
    for i, (label, num) in enumerate(zip(labels, nums, strict=True)):
        x = x_at(i)
        lines = str(label).split("\n")
        anchor = "middle"  # the outermost labels and values stay inside the plot's width
        if len(labels) > 1 and i == 0:
            anchor = "start"
        elif len(labels) > 1 and i == len(labels) - 1:
            anchor = "end"
        shown = _fmt(num, value_format, sep)
        if interactive:
            body.append(f'<g class="point"><title>{escape(" ".join(lines))}: {shown}</title>')
        if num is not None:
            y = y_at(num)
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{LINE}"/>')
            if show_values:
                body.append(
                    f'<text x="{x:.1f}" y="{y - 7:.1f}" font-size="{MIN_FONT}" fill="{INK}" '
                    f'text-anchor="{anchor}">{escape(shown)}</text>'
                )
        for n, line in enumerate(lines[:2]):
            body.append(
                f'<text x="{x:.1f}" y="{height - bottom + 8 + (n + 1) * (MIN_FONT + 3)}" '
                f'font-size="{MIN_FONT}" fill="{MUTED}" text-anchor="{anchor}">'
                f"{escape(_fit(line, room - 2, MIN_FONT))}</text>"
            )
        if interactive:
            body.append("</g>")
    return _svg(width, height, title, body, css_class)
