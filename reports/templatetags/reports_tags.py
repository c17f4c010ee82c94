"""The report's tables' rows, printed in Python: one tag per table of reports/_figures.html.

Each tag writes exactly what the template's loop wrote before (reports/tests/test_report_tags.py
renders both and compares them): the same markup, every value printed as `{{ value }}` or
`|floatformat` prints it (pulih.lib.printed.Printer) and so escaped where the template escaped
it. The loop's template cost each cell a variable lookup, a localization and an escape through
the template engine; a dashboard has a few hundred cells. Headings, captions and the "no data"
rows stay in the template, and so do their translations (a tag is given the one translated word
it prints, so no message moves out of the templates' catalogue).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django import template
from django.template import Context
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from pulih.lib.printed import Printer, printer_for

register = template.Library()


def _current_app(context: Context) -> str | None:
    """The namespace {% url %} reverses in (the request's, if any)."""
    request = getattr(context, "request", None)
    try:
        return request.current_app  # type: ignore[union-attr]
    except AttributeError:
        try:
            return request.resolver_match.namespace  # type: ignore[union-attr]
        except AttributeError:
            return None


@register.simple_tag(takes_context=True)
def profile_rows(context: Context, profile: Iterable[dict], not_stated: str) -> SafeString:
    """The respondent profile: per field, "value: count (share%) — IKM score; …"."""
    p = printer_for(context)
    not_stated = conditional_escape(not_stated)
    out = []
    for group in profile:
        rows = group["rows"]
        last = len(rows) - 1
        cell = []
        for i, r in enumerate(rows):
            if not r["count"]:
                continue
            cell.append(
                f"{p(r['value']) if r['value'] else not_stated}: {p(r['count'])} "
                f"({p.fixed(r['share'], 2)}%)"
            )
            score = r.get("score")
            if score is not None:
                cell.append(f" — IKM {p.fixed(score, 2)}")
            if i != last:  # forloop.last: the list's last row, counted or not
                cell.append("; ")
        out.append(f"<tr><th>{p(group['label'])}</th><td>{''.join(cell)}</td></tr>")
    return mark_safe("".join(out))  # noqa: S308 (every value printed escaped)


@register.simple_tag(takes_context=True)
def element_rows(context: Context, elements: Iterable) -> SafeString:
    """IKM per element: code and name, NRR and weighted NRR to 3 decimals."""
    p = printer_for(context)
    return mark_safe(  # noqa: S308 (every value printed escaped)
        "".join(
            f'<tr><td>{p(e.code)} {p(e.name)}</td><td class="num">{p.fixed(e.nrr, 3)}</td>'
            f'<td class="num">{p.fixed(e.weighted, 3)}</td></tr>'
            for e in elements
        )
    )


@register.simple_tag(takes_context=True)
def case_rows(context: Context, rows: Iterable[tuple], links: bool) -> SafeString:
    """Cases by state: (value, label, count) rows, each label linking to its cases if `links`."""
    p = printer_for(context)
    out = []
    if links:
        url = conditional_escape(reverse("cases:list", current_app=_current_app(context)))
        for value, label, n in rows:
            v = p(value)
            out.append(
                f'<tr><td><a href="{url}?state={v}">{p(label)}</a></td>'
                f'<td class="num" data-state="{v}">{p(n)}</td></tr>'
            )
    else:
        for value, label, n in rows:
            out.append(
                f'<tr><td>{p(label)}</td><td class="num" data-state="{p(value)}">{p(n)}</td></tr>'
            )
    return mark_safe("".join(out))  # noqa: S308 (every value printed escaped)


def _counted(labels: Iterable[str], counts: Iterable, p: Printer) -> SafeString:
    return mark_safe(  # noqa: S308 (every label given escaped, every count printed)
        "".join(
            f'<tr><td>{label}</td><td class="num">{p(n)}</td></tr>'
            for label, n in zip(labels, counts, strict=True)
        )
    )


@register.simple_tag(takes_context=True)
def violation_rows(context: Context, violations: Sequence[tuple]) -> SafeString:
    """Violations found in decrees: "code — text" and how many decrees found it."""
    p = printer_for(context)
    return _counted(
        (f"{p(v.code)} — {p(v.text)}" for v, _n in violations), (n for _v, n in violations), p
    )


@register.simple_tag(takes_context=True)
def count_rows(context: Context, pairs: Sequence[tuple]) -> SafeString:
    """(name, count) rows: the services with most poor ratings."""
    p = printer_for(context)
    return _counted((p(name) for name, _n in pairs), (n for _name, n in pairs), p)


@register.simple_tag(takes_context=True)
def officer_rows(context: Context, pairs: Sequence[tuple]) -> SafeString:
    """(officer, count) rows: the officers with most poor ratings, by their display names."""
    p = printer_for(context)
    return _counted((p(u.display_name) for u, _n in pairs), (n for _u, n in pairs), p)


@register.simple_tag(takes_context=True)
def month_heads(context: Context, table, by: str) -> SafeString:
    """The complaints table's column heads: the unit's channels' names (`by` "channel") or the
    statuses' labels ("status")."""
    p = printer_for(context)
    names = (
        (c.name for c in table.channels)
        if by == "channel"
        else (label for _code, label in table.statuses)
    )
    return mark_safe("".join(f"<th>{p(name)}</th>" for name in names))  # noqa: S308


@register.simple_tag(takes_context=True)
def month_rows(context: Context, table, by: str) -> SafeString:
    """The complaints table's rows: the month, its count per channel (`by` "channel") or per
    status ("status"), and its total."""
    p = printer_for(context)
    out = []
    for row in table.rows:
        cells = row.channel_cells if by == "channel" else row.status_cells
        out.append(
            f'<tr><td class="month">{p.date(row.month, "YEAR_MONTH_FORMAT")}</td>'
            + "".join(f'<td class="num">{p(n)}</td>' for n in cells)
            + f'<td class="num">{p(row.total)}</td></tr>'
        )
    return mark_safe("".join(out))  # noqa: S308 (every value printed escaped)
