from html import escape

from django import template
from django.utils.formats import get_format, localize
from django.utils.safestring import SafeString, mark_safe

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
