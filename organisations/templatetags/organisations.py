from html import escape

from django import template
from django.conf import settings
from django.template.defaultfilters import floatformat
from django.utils.formats import get_format, localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from pulih.lib.printed import escaped as _e
from pulih.lib.urls import url_for_each

from ..access import readable_organisations

register = template.Library()


@register.simple_tag(takes_context=True)
def my_organisations(context) -> list:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    return list(readable_organisations(request.user)[:20])


@register.simple_tag
def ranking_rows(ranked) -> SafeString:
    """The public ranking's rows, from (unit, IKM result, results URL) in rank order, written
    in one pass: the template's loop resolved, escaped and localised eight variables a row,
    half the page's time for a ministry's 500 units. A score (two decimals, under 100) takes
    the language's decimal separator, as `{{ score }}` would print it."""
    decimal = get_format("DECIMAL_SEPARATOR")
    rows = []
    for rank, (unit, result, url) in enumerate(ranked, 1):
        score = "—" if result.score is None else str(result.score).replace(".", decimal)
        rows.append(
            f'<tr data-unit="{escape(unit.code)}"><td>{rank}</td>'
            f'<td><a href="{escape(url)}">{escape(unit.name)}</a></td>'
            f'<td class="score">{score}</td>'
            f"<td>{escape(result.grade)} ({escape(result.label)})</td>"
            f'<td class="num">{localize(result.respondents)}</td></tr>'
        )
    return mark_safe("".join(rows))  # noqa: S308 (every value escaped or a number)


@register.simple_tag
def unit_rows(rows, organisation, period_query: str) -> SafeString:
    """The organisation dashboard's ranked units (`Rollup.units`), each linked to its
    dashboard for the period (`period_query`), written in one pass as the template's loop
    wrote them: every value localised and escaped as `{{ }}` would, sums as `floatformat:"0g"`
    writes them, the unit's URL reversed once for all."""
    unit_url = url_for_each("organisations:unit", organisation.code)
    query = conditional_escape(period_query)
    adequate = _e(gettext("adequate"))
    short = _e(gettext("short"))  # (outside the f-string, where xgettext cannot see it)
    short = f'<b class="overdue">{short}</b>'
    out = []
    for rank, row in enumerate(rows, 1):
        unit, ikm = row.unit, row.ikm
        score = "—" if ikm.score is None else _n(ikm.score)
        sample = row.sample_adequate
        sample = "—" if sample is None else adequate if sample else short
        budget = f" / Rp {floatformat(row.budget, '0g')}" if row.budget else ""
        out.append(
            f'<tr data-unit="{_e(unit.code)}"><td>{_n(rank)}</td>'
            f'<td><a href="{_e(unit_url(unit.code))}?{query}">{_e(unit.name)}</a></td>'
            f'<td class="score">{score}</td><td>{_e(ikm.grade or "—")}</td>'
            f'<td class="num respondents">{_n(ikm.respondents)}</td>'
            f'<td class="num">{_n(row.population)} / {_n(row.sample_required)}</td>'
            f'<td class="sample">{sample}</td>'
            f'<td class="num">Rp {floatformat(row.spent, "0g")}{budget}</td></tr>'
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped or a number)


def _n(value) -> str:
    """A number as `{{ value }}` prints it: in the language's format, escaped. A whole number
    without thousands separators is its digits (what `localize` returns then, after looking
    up three formats: a hundred times a page)."""
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return _e(localize(value))
