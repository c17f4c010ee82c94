"""The surveys app's piece of the home page: today's figures for whoever checks them."""

from __future__ import annotations

import datetime

from django import template
from django.db.models import Count, Q
from django.template.defaulttags import CsrfTokenNode
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

from pulih.lib.printed import escaped as _e
from pulih.lib.urls import url_for_each

from ..access import RECORDERS, reads_results
from ..models import DailyCheck, SurveyResponse

register = template.Library()


@register.simple_tag(takes_context=True)
def surveys_home(context) -> dict:
    request = context.get("request")
    unit = getattr(request, "unit", None)
    roles = getattr(request, "roles", frozenset())
    info: dict = {"daily": False, "record": bool(roles & RECORDERS)}
    if unit is None or not reads_results(request.user, unit):
        return info
    today = unit.today()
    since, until = unit.day_bounds(today, today)
    counts = SurveyResponse.objects.filter(
        unit=unit, submitted_at__gte=since, submitted_at__lt=until
    ).aggregate(n=Count("pk"), flagged=Count("pk", filter=Q(flagged=True)))
    yesterday = today - datetime.timedelta(days=1)
    y_since, y_until = unit.day_bounds(yesterday, yesterday)
    had_yesterday = SurveyResponse.objects.filter(
        unit=unit, submitted_at__gte=y_since, submitted_at__lt=y_until
    ).exists()
    info.update(
        daily=True,
        today_count=counts["n"],
        flagged_count=counts["flagged"],
        unsigned_yesterday=had_yesterday
        and not DailyCheck.objects.filter(unit=unit, day=yesterday).exists(),
    )
    return info


@register.filter
def get_item(mapping: dict, key: str):
    """{{ mapping|get_item:key }}: a dict's value by a variable key (None when absent)."""
    return mapping.get(key) if hasattr(mapping, "get") else None


# An answer's cell is one of five: built once, not escaped again for every cell of a page.
_CELLS = {
    v: format_html('<td class="score-{}">{}</td>', v, "·" if v is None else v)
    for v in (None, 1, 2, 3, 4)
}


@register.filter
def answer_cells(values) -> str:
    """{{ answers|answer_cells }}: U1..U9 (a response's values in order, None where not
    answered) as table cells, each classed by its score and "·" where not answered. One
    filter per row of the day's table rather than eighteen variables."""
    return mark_safe(  # noqa: S308 (the cells are built by format_html)
        "".join(
            _CELLS[v] if v in _CELLS else format_html('<td class="score-{}">{}</td>', v, v)
            for v in values
        )
    )


@register.simple_tag
def day_rows(rows) -> SafeString:
    """The rows of the daily check's table of the day's responses (the view's `_day_table`),
    written in one pass as its template loop wrote them (half a hundred rows of six values
    each, resolved and escaped one by one), every value escaped as `{{ }}` would."""
    if not rows:
        none = _e(gettext("No responses on this day."))
        return mark_safe(f'\n<tr><td colspan="13" class="muted">{none}</td></tr>\n')  # noqa: S308
    out = []
    for r in rows:
        flagged = ' class="flagged"' if r["flagged"] else ""
        out.append(
            f"\n<tr{flagged}><td>{_e(r['time'])}</td>"
            f"<td>{_e(r['service'] or '—')}</td><td>{_e(r['officer'] or '—')}</td>\n"
            f"{answer_cells(r['answers'])}<td>{_e(r['source'])}</td></tr>\n"
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped)


@register.simple_tag(takes_context=True)
def flagged_rows(context) -> SafeString:
    """The rows of the daily check's flagged responses (`flagged`: the view's `_flag_rows`;
    `can_refer`: whether the reader may refer or decline them), written in one pass as the
    table's template loop wrote them: the loop resolved, escaped and localised some twenty
    variables, two URLs and three translations a row, two thirds of the page's rendering.
    Every value is escaped as the template's `{{ }}` would; URLs reversed once a page."""
    rows = context.get("flagged") or []
    if not rows:
        none = _e(gettext("No flagged responses."))
        return mark_safe(f'\n<tr><td colspan="6" class="muted">{none}</td></tr>\n')  # noqa: S308
    can_refer = context.get("can_refer")
    case_url = url_for_each("cases:detail")
    decline_url = url_for_each("cases:decline-flagged")
    csrf = CsrfTokenNode().render(context) if can_refer else ""
    # What the template translated once a page ({% translate … as … %}) or once a row.
    not_named = _e(gettext("not named"))
    unverified_title = _e(
        gettext("No receipt: anybody could have named this officer. Refer only with a note.")
    )
    unverified = _e(gettext("unverified"))
    institution = _e(gettext("institution"))
    select = _e(gettext("Select for referral"))
    case_text = gettext("Case #%(id)s")
    item_text = gettext("Improvement item #%(id)s")
    declined_text = gettext("Not referred (%(who)s)")
    do_not_refer = _e(gettext("Do not refer"))
    why = _e(gettext("Why it is not referred"))
    record = _e(gettext("Record: not referred"))

    not_named = f'<span class="muted">{not_named}</span>'
    unverified = f' <span class="badge unverified" title="{unverified_title}">{unverified}</span>'
    institution = f' <span class="badge">{institution}</span>'
    out = []
    for row in rows:
        pk = _e(row["pk"])
        out.append(f'\n<tr class="flagged" id="response-{pk}" data-response="{pk}">\n  ')
        if can_refer:
            out.append('<td class="pick">')
            if row["referable"]:
                out.append(
                    f'<input type="checkbox" name="responses" value="{pk}" form="refer-form"'
                    f' id="refer-{pk}" aria-label="{select}">'
                )
            out.append("</td>")
        at = date_format(template_localtime(row["submitted_at"]), "DATETIME_FORMAT")
        officer = row["officer"]
        out.append(
            f"\n  <td>{_e(at)}</td>\n  <td>{_e(row['service'] or '—')}</td>\n"
            f'  <td class="officer">{not_named if officer is None else _e(officer)}'
            f"{unverified if row['unverified'] else ''}</td>\n"
            '  <td class="elements">'
        )
        for e in row["elements"]:
            score = _e(e["score"])
            out.append(
                f'<div><b>{_e(e["code"])}</b> {_e(e["name"])}: <span class="score-{score}">'
                f"{score} ({_e(e['label'])})</span>"
                f"{'' if e['officer_element'] else institution}</div>"
            )
        out.append("\n    ")
        if row["comment"]:
            out.append(f'<div class="muted">“{_e(row["comment"])}”</div>')
        out.append('</td>\n  <td class="follow-up">')
        for case, state in row["cases"]:
            out.append(
                f'<div><a href="{_e(case_url(case))}">{case_text % {"id": _e(case)}}</a>'
                f' <span class="badge">{_e(state)}</span></div>'
            )
        out.append("\n    ")
        for item, status in row["items"]:
            label = item_text % {"id": _e(item)}
            out.append(f'<div>{label} <span class="badge">{_e(status)}</span></div>')
        out.append("\n    ")
        review = row["review"]
        if review and review["outcome"] == "not_referred":
            who = declined_text % {"who": _e(review["decided_by"])}
            out.append(f'<div class="not-referred">{who}: {_e(review["note"])}</div>')
        out.append("\n    ")
        if can_refer and row["referable"]:
            out.append(
                f'<details class="decline"><summary>{do_not_refer}</summary>\n'
                f'      <form method="post" action="{_e(decline_url(row["pk"]))}">{csrf}\n'
                f'        <label for="decline-{pk}">{why}</label>\n'
                f'        <textarea name="reason" id="decline-{pk}" rows="2" required></textarea>\n'
                f'        <button type="submit">{record}</button>\n'
                "      </form></details>\n    "
            )
        elif not row["cases"] and not row["items"] and not review:
            out.append('<span class="muted">—</span>')
        out.append("</td>\n</tr>\n")
    return mark_safe("".join(out))  # noqa: S308 (every value escaped)
