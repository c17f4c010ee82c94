"""Screens of the satisfaction domain: thin — parse, authorise, call services.py."""

from __future__ import annotations

import datetime

import segno
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from documents.pdf import pdf_response, render_pdf
from pulih.lib import ratelimit
from pulih.lib.errors import DomainError, InvalidInput, StateConflict
from pulih.lib.forms import add_domain_errors, domain_error_messages
from pulih.lib.http import post_only
from units.access import role_required
from units.letters import letterhead, take_letter_number
from units.models import ELEMENT_CODES, FIRST_DAY, LAST_DAY, Role, ServiceType, Unit, User

from . import daily as daily_q
from .access import (
    DAY_SIGNERS,
    PROFILE_EDITORS,
    RECORD_READERS,
    RECORDERS,
    RESULT_READERS,
    reads_all_records,
    reads_officer_figures,
    records_for_others,
    service_records_for,
)
from .charting import ikm_charts
from .forms import (
    DayForm,
    PeriodForm,
    ProfileOptionsForm,
    ResolveImprovementForm,
    ServiceRecordForm,
    SignForm,
    SurveyForm,
)
from .ikm import (
    ANSWER_LABELS,
    ELEMENT_NAMES,
    day_bounds,
    ikm_for,
)
from .improvements import resolve_improvement
from .links import survey_url, walk_in_url
from .models import (
    PROFILE_FIELDS,
    DailyCheck,
    ImprovementItem,
    ImprovementStatus,
    ResponseSource,
    ServiceRecord,
    SurveyResponse,
)
from .profile import PROFILE_LABELS, options_for, options_history, set_profile_options
from .sample import adequacy, ikm_for_profile, profile_filter, profile_table
from .services import (
    SURVEY_VALID_DAYS,
    SurveyClosed,
    is_token,
    mark_receipt_printed,
    officer_codes,
    record_service,
    sign_daily_check,
    submit_response,
    submit_survey,
    survey_closes_at,
    survey_state,
    unit_officers,
    walk_in_officers,
)

# --- helpers ---------------------------------------------------------------------------------


def qr_svg(url: str) -> SafeString:
    """The QR code of `url` as inline SVG (segno; no external service, no style attribute).

    One unit per module and a viewBox, so CSS sizes it for screen, receipt or poster."""
    qr = segno.make(url, error="m")
    markup = qr.svg_inline(scale=1, svgclass="qr", lineclass=None, omitsize=True, light="#fff")
    return mark_safe(markup)  # noqa: S308 (segno's own markup of our URL)


def _parse_date(value: str | None, default: datetime.date) -> datetime.date:
    """A date from the query, within 1900–2999; `default` when absent or unreadable."""
    try:
        day = datetime.date.fromisoformat(value) if value else default
    except ValueError:
        return default
    return min(max(day, FIRST_DAY), LAST_DAY)


# --- service records -------------------------------------------------------------------------


@role_required(*RECORD_READERS)
def record_list(request: HttpRequest) -> HttpResponse:
    records = service_records_for(request.user, request.unit).select_related(
        "service_type", "officer", "channel"
    )
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/record_list.html",
        {
            "page": page,
            "can_record": bool(request.roles & RECORDERS),
            "service_types": ServiceType.objects.filter(unit=request.unit, active=True),
        },
    )


@role_required(*RECORDERS)
def record_new(request: HttpRequest) -> HttpResponse:
    unit = request.unit
    own_only = None if records_for_others(request.user, unit) else request.user
    form = ServiceRecordForm(request.POST or None, unit=unit, own_only=own_only)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        served_at = data["served_at"]
        if timezone.is_naive(served_at):
            served_at = served_at.replace(tzinfo=unit.zone)
        try:
            record = record_service(
                unit,
                actor=request.user,
                service_type=data["service_type"],
                officer=data["officer"],
                customer_name=data["customer_name"],
                customer_contact=data["customer_contact"],
                customer_kind=data["customer_kind"],
                channel=data["channel"],
                served_at=served_at,
            )
        except InvalidInput as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("Service recorded. Give the customer the receipt."))
            return redirect("service-record", pk=record.pk)
    return render(request, "surveys/record_form.html", {"form": form})


def _record_for(request: HttpRequest, pk: int) -> ServiceRecord:
    return get_object_or_404(
        service_records_for(request.user, request.unit).select_related(
            "service_type", "officer", "unit", "channel"
        ),
        pk=pk,
    )


def _oversees_records(request: HttpRequest) -> bool:
    """Back office, coordinator and the readers: they see a survey's state and reprint."""
    return reads_all_records(request.user, request.unit)


def _link_shown(request: HttpRequest, record: ServiceRecord) -> bool:
    """Whether this person's screens still show the record's survey link. The officer must
    never learn whether (or how) this customer rated them: once the receipt is printed, no
    screen of theirs keeps the link (visiting it would tell answered from still open)."""
    return _oversees_records(request) or record.receipt_printed_at is None


@role_required(*RECORD_READERS)
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record_for(request, pk)
    shown = _link_shown(request, record)
    url = survey_url(record) if shown else None
    return render(
        request,
        "surveys/record_detail.html",
        {
            "record": record,
            "officer_code": officer_codes(record.unit).get(record.officer_id, ""),
            "survey_url": url,
            "qr": qr_svg(url) if shown else None,
            "closes_at": survey_closes_at(record),
            "state": survey_state(record) if _oversees_records(request) else None,
        },
    )


@role_required(*RECORD_READERS)
def record_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record_for(request, pk)
    if not _link_shown(request, record):
        messages.info(
            request,
            _(
                "The receipt has been printed. Ask the back office or the coordinator "
                "if it must be printed again."
            ),
        )
        return redirect("service-record", pk=record.pk)
    mark_receipt_printed(record)
    url = survey_url(record)
    return render(
        request,
        "surveys/receipt.html",
        {
            "record": record,
            "unit": record.unit,
            "officer_code": officer_codes(record.unit).get(record.officer_id, ""),
            "survey_url": url,
            "qr": qr_svg(url),
            "closes_at": survey_closes_at(record),
        },
    )


@role_required(*RECORD_READERS)
def officer_code_list(request: HttpRequest) -> HttpResponse:
    """Each officer's counter code, to print on the plate at their counter: the walk-in
    survey names an officer by this code, never by name."""
    unit = request.unit
    codes = officer_codes(unit)
    officers = [(codes[o.pk], o) for o in unit_officers(unit) if o.pk in codes]
    return render(
        request, "surveys/officer_codes.html", {"unit": unit, "officers": sorted(officers)}
    )


@role_required(*RECORD_READERS)
def poster(request: HttpRequest, code: str) -> HttpResponse:
    service_type = get_object_or_404(ServiceType, unit=request.unit, code=code)
    url = walk_in_url(request.unit, service_type)
    return render(
        request,
        "surveys/poster.html",
        {
            "unit": request.unit,
            "service_type": service_type,
            "url": url,
            "qr": qr_svg(url),
        },
    )


# --- the public survey -----------------------------------------------------------------------


def _closed(request: HttpRequest, state: str, status: int, unit: Unit | None = None):
    """The page of a link that takes no answer. An answered link and an expired one give the
    same page, status and text: whoever holds the link (the officer who printed it) cannot
    tell whether the customer answered."""
    if state in ("answered", "expired"):
        state, status = "closed", 410
    return render(
        request,
        "surveys/survey_closed.html",
        {"state": state, "unit": unit, "days": SURVEY_VALID_DAYS},
        status=status,
    )


def survey(request: HttpRequest, token: str) -> HttpResponse:
    """The customer's survey for one service record (link or QR on the receipt)."""
    record = (
        ServiceRecord.objects.select_related("unit", "service_type", "officer")
        .filter(survey_token=token)
        .first()
        if is_token(token)
        else None
    )
    if record is None:
        return _closed(request, "unknown", 404)
    state = survey_state(record)
    if state != "open":
        return _closed(request, state, 410, record.unit)
    form = SurveyForm(request.POST or None, profile_options=options_for(record.unit))
    if request.method == "POST" and form.is_valid() and not form.needs_confirmation():
        try:
            response = submit_survey(
                token,
                answers=form.answers(),
                comment=form.cleaned_data["comment"],
                profile=form.profile(),
                source=ResponseSource.WEB,
            )
        except StateConflict:
            return _closed(request, "answered", 409, record.unit)
        except SurveyClosed:
            return _closed(request, "expired", 410, record.unit)
        except InvalidInput as exc:
            add_domain_errors(form, exc)
        else:
            return _survey_done(request, record.unit, response)
    return render(
        request,
        "surveys/survey_form.html",
        {
            "form": form,
            "unit": record.unit,
            "service_type": record.service_type,
            "served_at": record.served_at,
            "closes_at": survey_closes_at(record),
            **_partial_question(form),
        },
    )


def _partial_question(form: SurveyForm) -> dict:
    """Asks once, on the page itself (no script): "you answered 3 of 9 — send anyway?"."""
    if not (form.is_bound and form.is_valid() and form.needs_confirmation()):
        return {}
    answered = set(form.answers())
    missing = [code for code in ELEMENT_CODES if code not in answered]
    return {
        "ask_partial": True,
        "answered_count": len(answered),
        "question_count": len(ELEMENT_CODES),
        "first_missing": missing[0],
    }


def _survey_done(request: HttpRequest, unit: Unit, response) -> HttpResponse:
    """Thanks; after a poor rating, the way to complain and what the unit does next."""
    return render(
        request,
        "surveys/survey_done.html",
        {"unit": unit, "poor": bool(getattr(response, "flagged", False))},
    )


def survey_walk_in(request: HttpRequest, code: str, service: str) -> HttpResponse:
    """The counter poster's survey: no receipt; the customer may name the officer."""
    unit = get_object_or_404(Unit, code=code)
    service_type = get_object_or_404(ServiceType, unit=unit, code=service, active=True)
    form = SurveyForm(
        request.POST or None, officers=walk_in_officers(unit), profile_options=options_for(unit)
    )
    if request.method == "POST":
        if ratelimit.hit("survey", request) is not None:
            return render(request, "surveys/rate_limited.html", {"unit": unit}, status=429)
        if form.is_valid() and not form.needs_confirmation():
            try:
                response = submit_response(
                    unit,
                    answers=form.answers(),
                    comment=form.cleaned_data["comment"],
                    profile=form.profile(),
                    service_type=service_type,
                    officer=form.cleaned_data.get("officer"),
                    source=ResponseSource.WEB,
                )
            except InvalidInput as exc:
                add_domain_errors(form, exc)
            else:
                return _survey_done(request, unit, response)
    return render(
        request,
        "surveys/survey_form.html",
        {
            "form": form,
            "unit": unit,
            "service_type": service_type,
            "walk_in": True,
            **_partial_question(form),
        },
    )


# --- the daily check -------------------------------------------------------------------------


def _choice_labels(model, field: str) -> dict:
    """A choice field's labels by value in the request's language: translated once per page,
    not once per row (what `get_<field>_display` answers: the value itself when unknown)."""
    return {value: str(label) for value, label in model._meta.get_field(field).flatchoices}


def _display_names(ids) -> dict[int, str]:
    """The display names of the people a page names (a handful), by id: one query."""
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    people = User.objects.filter(pk__in=ids).only(
        "full_name", "first_name", "last_name", "username"
    )
    return {person.pk: person.display_name for person in people}


# What a flagged response's row shows, read as plain values (no model instances: a page or
# a month's recap lists many).
FLAG_COLUMNS = (
    "pk",
    "submitted_at",
    "service_type__name",
    "officer_id",
    "service_record_id",
    "flagged_elements",
    "comment",
    *(code.lower() for code in ELEMENT_CODES),
    "review__outcome",
    "review__note",
    "review__decided_by",
)


def _flagged_values(responses) -> list[tuple]:
    """The FLAG_COLUMNS of the flagged responses (a queryset, in order)."""
    return list(responses.values_list(*FLAG_COLUMNS))


def _people_of_flagged(found: list[tuple]) -> list[int]:
    """Who the flagged rows name: their officers and the daily check's deciders."""
    return [row[3] for row in found] + [row[-1] for row in found]


def _flag_rows(unit: Unit, found: list[tuple], names: dict[int, str]) -> list[dict]:
    """The flagged responses (`_flagged_values`) with their poor elements and follow-up
    (cases, improvement items, the daily check's decision; `names`: `_display_names` of
    `_people_of_flagged`): their cases and their improvement items read in one query each.
    Ids and scores are labels, not quantities: given as text, which a template prints as it
    is (a number it would format for the language, at some cost, on every row)."""
    ids = [row[0] for row in found]
    follow_up: dict[int, tuple[list, list]] = {pk: ([], []) for pk in ids}
    if ids:
        # The cases that followed, through the reverse relation (the cases app sits above).
        case_model = SurveyResponse._meta.get_field("cases").related_model
        states = _choice_labels(case_model, "state")
        cases = case_model.objects.filter(survey_response_id__in=ids)
        for response_id, pk, state in cases.values_list("survey_response_id", "pk", "state"):
            follow_up[response_id][0].append((str(pk), states.get(state, state)))
        statuses = _choice_labels(ImprovementItem, "status")
        items = ImprovementItem.objects.filter(survey_response_id__in=ids)
        for response_id, pk, status in items.values_list("survey_response_id", "pk", "status"):
            follow_up[response_id][1].append((str(pk), statuses.get(status, status)))
    officer_elements = set(unit.officer_elements)
    rows = []
    for pk, at, service, officer_id, record_id, flagged_elements, comment, *rest in found:
        values, (outcome, note, decided_by) = rest[:-3], rest[-3:]
        answers = {c: v for c, v in zip(ELEMENT_CODES, values, strict=True) if v is not None}
        cases, items = follow_up[pk]
        rows.append(
            {
                "pk": str(pk),
                "submitted_at": at,
                "service": service,
                "officer": names.get(officer_id) if officer_id is not None else None,
                "unverified": SurveyResponse.is_unverified(record_id, officer_id),
                "comment": comment,
                "elements": [
                    {
                        "code": c,
                        "name": ELEMENT_NAMES[c],
                        "score": str(answers[c]) if c in answers else None,
                        "label": ANSWER_LABELS[c][answers[c] - 1] if c in answers else "",
                        "officer_element": c in officer_elements,
                    }
                    for c in flagged_elements.split(",")
                    if c
                ],
                "cases": cases,
                "items": items,
                "review": None
                if outcome is None
                else {"outcome": outcome, "note": note, "decided_by": names.get(decided_by)},
            }
        )
    return rows


DAY_PAGE_SIZE = 50
# What the table of the day's responses shows: a thousand a day are paged, each row read as
# plain values of these columns.
DAY_TABLE_COLUMNS = (
    "submitted_at",
    "flagged",
    "source",
    *(code.lower() for code in ELEMENT_CODES),
    "service_type__name",
    "officer_id",
)
# The missed days listed: the most recent ones, which the back office can still act on; the
# older ones of the three months are counted, with a link to the earliest.
MISSED_SHOWN = 10


def _page(rows, count: int, number):
    """Page `number` of `rows`, whose total `count` is already known."""
    paginator = Paginator(rows, DAY_PAGE_SIZE)
    paginator.count = count  # a cached property: the paginator does not count again
    return paginator.get_page(number)


def _day_table(found: list[tuple], names: dict[int, str]) -> list[dict]:
    sources = _choice_labels(SurveyResponse, "source")
    return [
        {
            # Hours and minutes on the clock the page shows, as the template's `time:"H:i"`.
            "time": timezone.localtime(at).strftime("%H:%M"),
            "flagged": flagged,
            "service": service,
            "officer": names.get(officer_id),
            "answers": values,
            "source": sources.get(source, source),
        }
        for at, flagged, source, *values, service, officer_id in found
    ]


@role_required(*RESULT_READERS)
def daily(request: HttpRequest) -> HttpResponse:
    unit = request.unit
    today = unit.today()
    day = min(_parse_date(request.GET.get("day"), today), today)
    # A busy unit gets over a thousand answers a day: both tables are paged, their totals
    # counted together.
    answers, flagged_total = daily_q.day_totals(unit, day)
    responses = _page(
        daily_q.responses_on(unit, day).values_list(*DAY_TABLE_COLUMNS),
        answers,
        request.GET.get("page"),
    )
    flagged_page = _page(
        daily_q.flagged_responses(unit, day), flagged_total, request.GET.get("flagged_page")
    )
    flagged_found = _flagged_values(flagged_page.object_list)
    found = list(responses.object_list)
    # The people both tables name, in one query.
    names = _display_names([*_people_of_flagged(flagged_found), *(row[-1] for row in found)])
    flagged = _flag_rows(unit, flagged_found, names)
    for row in flagged:
        row["referable"] = (
            not row["cases"]
            and row["review"] is None
            and any(e["officer_element"] for e in row["elements"])
        )
    day_rows = _day_table(found, names)
    status = daily_q.day_check(unit, day, today=today)
    check, missed = status.check, status.missed
    can_sign = bool(request.roles & DAY_SIGNERS)
    context = {
        "day": day,
        "today": today,
        "previous": day - datetime.timedelta(days=1),
        "next": day + datetime.timedelta(days=1) if day < today else None,
        "day_form": DayForm(initial={"day": day}),
        "responses": responses,
        "day_rows": day_rows,
        "day_query": urlencode({"day": day.isoformat()}),
        "codes": ELEMENT_CODES,
        "flagged": flagged,
        "flagged_page": flagged_page,
        "ikm_day": ikm_for(unit, start=day, end=day),
        "ikm_month": ikm_for(unit, start=day.replace(day=1), end=day),
        "check": check,
        "due": status.due,
        "can_sign": can_sign and check is None,
        # Referring a flagged response into a case, or recording why not (steps B → C).
        "can_refer": can_sign,
        # Offered only to whoever may refer (the form is shown to them alone).
        "refer_officers": unit_officers(unit) if can_sign else (),
        "sign_form": SignForm(initial={"day": day}),
        "missed": missed[:MISSED_SHOWN],
        "missed_earlier": len(missed) - MISSED_SHOWN if len(missed) > MISSED_SHOWN else 0,
        "missed_earliest": missed[-1].day if missed else None,
        "recap_day": reverse("daily-recap") + "?" + urlencode({"start": day, "end": day}),
        "recap_month": reverse("daily-recap")
        + "?"
        + urlencode({"start": day.replace(day=1), "end": day}),
    }
    return render(request, "surveys/daily.html", context)


@post_only(lambda: reverse("daily-check"))
@role_required(*DAY_SIGNERS)
def daily_sign(request: HttpRequest) -> HttpResponse:
    form = SignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid date."))
        return redirect("daily-check")
    day = form.cleaned_data["day"]
    try:
        sign_daily_check(request.unit, actor=request.user, day=day, note=form.cleaned_data["note"])
    except DomainError as exc:
        for message in domain_error_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("The day's results are signed off as checked."))
    return redirect(reverse("daily-check") + "?" + urlencode({"day": day.isoformat()}))


def _period(request: HttpRequest, unit: Unit, with_officers: bool):
    today = unit.today()
    data = request.GET.copy()
    data.setdefault("start", today.replace(month=1, day=1).isoformat())
    data.setdefault("end", today.isoformat())
    form = PeriodForm(data, unit=unit, with_officers=with_officers)
    if form.is_valid():
        d = form.cleaned_data
        return form, d["start"], d["end"], d.get("service"), d.get("officer")
    return form, today.replace(month=1, day=1), today, None, None


@role_required(*RESULT_READERS)
def ikm_page(request: HttpRequest) -> HttpResponse:
    unit = request.unit
    with_officers = reads_officer_figures(request.user, unit)
    form, start, end, service_type, officer = _period(request, unit, with_officers)
    filters = {"start": start, "end": end, "service_type": service_type, "officer": officer}
    result = ikm_for(unit, **filters)
    options = options_for(unit)
    # The sample is drawn from all the period's respondents, whatever the profile shown.
    sample = adequacy(unit, start, end, result.respondents, service_type, officer)
    profile_errors: dict[str, list[str]] = {}
    try:
        chosen = profile_filter(unit, request.GET)
    except InvalidInput as exc:
        chosen, profile_errors = {}, exc.fields
    if chosen:
        result = ikm_for_profile(unit, start, end, chosen, service_type, officer)
    return render(
        request,
        "surveys/ikm.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "result": result,
            "sample": sample,
            "profile": profile_table(unit, start, end),
            "profile_options": [(n, PROFILE_LABELS[n], options[n]) for n in PROFILE_FIELDS],
            "profile_chosen": chosen,
            "profile_errors": profile_errors,
            "charts": ikm_charts(unit, with_officers=with_officers, **filters),
            "recap_url": reverse("daily-recap") + "?" + urlencode({"start": start, "end": end}),
            "posters": ServiceType.objects.filter(unit=unit, active=True),
        },
        status=400 if profile_errors else 200,
    )


@role_required(*RESULT_READERS)
def daily_recap(request: HttpRequest) -> HttpResponse:
    """The printable recap of a day or period (step A), official layout, with the charts."""
    unit = request.unit
    today = unit.today()
    start = min(_parse_date(request.GET.get("start"), today), today)
    end = min(max(_parse_date(request.GET.get("end"), start), start), today)
    if (end - start).days > 366:
        raise Http404
    with_officers = reads_officer_figures(request.user, unit)
    since, until = day_bounds(unit, start, end)
    flagged = _flagged_values(
        unit.survey_responses.filter(
            submitted_at__gte=since, submitted_at__lt=until, flagged=True
        ).order_by("submitted_at")
    )
    checks = DailyCheck.objects.filter(unit=unit, day__gte=start, day__lte=end).select_related(
        "signed_by"
    )
    context = {
        "unit": unit,
        "start": start,
        "end": end,
        "result": ikm_for(unit, start=start, end=end),
        "flagged": _flag_rows(unit, flagged, _display_names(_people_of_flagged(flagged))),
        "checks": checks,
        "statuses": daily_q.day_statuses(unit, start=start, end=end),
        "charts": ikm_charts(unit, start=start, end=end, with_officers=with_officers),
        "printed_at": timezone.now(),
        "printed_by": request.user,
        "letterhead": letterhead(unit),  # with the unit's logo
        # Each recap printed is a letter of the unit: its own number from the unit's pattern.
        "number": take_letter_number(unit, "recap", today.year),
    }
    pdf = render_pdf("surveys/recap_pdf.html", context)
    return pdf_response(pdf, f"rekap-skm-{unit.code}-{start}-{end}.pdf")


# --- improvement items -----------------------------------------------------------------------

IMPROVEMENT_PAGE_SIZE = 50


@role_required(*RESULT_READERS)
def improvement_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", ImprovementStatus.OPEN)
    if status not in ImprovementStatus.values:
        status = ImprovementStatus.OPEN
    items = (
        ImprovementItem.objects.filter(unit=request.unit, status=status)
        .select_related("resolved_by")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(items, IMPROVEMENT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/improvements.html",
        {
            "page": page,
            "status": status,
            "statuses": ImprovementStatus.choices,
            "can_resolve": Role.COORDINATOR in request.roles,
            "form": ResolveImprovementForm(),
        },
    )


@post_only(lambda pk: reverse("improvements"))
@role_required(Role.COORDINATOR)
def improvement_done(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ImprovementItem, unit=request.unit, pk=pk)
    form = ResolveImprovementForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what was done."))
        return redirect("improvements")
    try:
        resolve_improvement(item, actor=request.user, resolution=form.cleaned_data["resolution"])
    except StateConflict as exc:
        for message in domain_error_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("Marked done."))
    return redirect("improvements")


# --- settings: the respondent profile's lists ------------------------------------------------


@role_required(*PROFILE_EDITORS)
def profile_settings(request: HttpRequest) -> HttpResponse:
    """The unit's respondent profile lists (sex, age group, education, occupation): what the
    survey asks, what imports are read as, what the IKM page filters by; with their history."""
    unit = request.unit
    form = ProfileOptionsForm(request.POST or None, options=options_for(unit))
    if form.is_valid():
        try:
            set_profile_options(unit, actor=request.user, options=form.cleaned_data["options"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The respondent profile lists are saved."))
            return redirect("profile-settings")
    return render(
        request,
        "surveys/profile_settings.html",
        {"form": form, "history": options_history(unit)},
        status=400 if form.is_bound else 200,
    )
