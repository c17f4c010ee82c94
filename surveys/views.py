"""Screens of the satisfaction domain: thin — parse, authorise, call services.py."""

from __future__ import annotations

import datetime

import segno
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from documents.pdf import pdf_response, render_pdf
from pulih.lib import ratelimit
from pulih.lib.errors import DomainError, InvalidInput, StateConflict
from pulih.lib.http import post_only
from units.access import role_required
from units.letters import letterhead
from units.models import ELEMENT_CODES, ServiceType, Unit

from . import daily as daily_q
from .access import (
    DAY_SIGNERS,
    RECORD_READERS,
    RECORDERS,
    RESULT_READERS,
    reads_all_records,
    reads_officer_figures,
    records_for_others,
    service_records_for,
)
from .charting import ikm_charts
from .forms import DayForm, PeriodForm, ServiceRecordForm, SignForm, SurveyForm
from .ikm import (
    ANSWER_LABELS,
    ELEMENT_NAMES,
    FIRST_DAY,
    LAST_DAY,
    day_bounds,
    ikm_for,
    sample_size,
)
from .links import survey_url, walk_in_url
from .models import DailyCheck, ResponseSource, ServiceRecord
from .services import (
    SURVEY_VALID_DAYS,
    SurveyClosed,
    is_token,
    record_service,
    sign_daily_check,
    submit_response,
    submit_survey,
    survey_closes_at,
    survey_state,
    unit_officers,
)

# --- helpers ---------------------------------------------------------------------------------


def qr_svg(url: str) -> SafeString:
    """The QR code of `url` as inline SVG (segno; no external service, no style attribute).

    One unit per module and a viewBox, so CSS sizes it for screen, receipt or poster."""
    qr = segno.make(url, error="m")
    markup = qr.svg_inline(scale=1, svgclass="qr", lineclass=None, omitsize=True, light="#fff")
    return mark_safe(markup)  # noqa: S308 (segno's own markup of our URL)


def case_link(case) -> str | None:
    """The case's page, whatever the cases app names it (None while it has none)."""
    if hasattr(case, "get_absolute_url"):
        return case.get_absolute_url()
    for name in ("case-detail", "case"):
        try:
            return reverse(name, args=[case.pk])
        except NoReverseMatch:
            continue
    return None


def rate_limited(request: HttpRequest, scope: str = "survey") -> bool:
    """True when this address has used up its `scope` rate in the current window."""
    return ratelimit.hit(scope, request) is not None


def _today(unit: Unit) -> datetime.date:
    return timezone.now().astimezone(unit.zone).date()


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
        "service_type", "officer"
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
            for name, errors in exc.fields.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
        else:
            messages.success(request, _("Service recorded. Give the customer the receipt."))
            return redirect("service-record", pk=record.pk)
    return render(request, "surveys/record_form.html", {"form": form})


def _record_for(request: HttpRequest, pk: int) -> ServiceRecord:
    return get_object_or_404(
        service_records_for(request.user, request.unit).select_related(
            "service_type", "officer", "unit"
        ),
        pk=pk,
    )


@role_required(*RECORD_READERS)
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record_for(request, pk)
    url = survey_url(record)
    # The officer must never learn whether (or how) this customer rated them.
    show_state = reads_all_records(request.user, request.unit)
    return render(
        request,
        "surveys/record_detail.html",
        {
            "record": record,
            "survey_url": url,
            "qr": qr_svg(url),
            "closes_at": survey_closes_at(record),
            "state": survey_state(record) if show_state else None,
        },
    )


@role_required(*RECORD_READERS)
def record_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record_for(request, pk)
    url = survey_url(record)
    return render(
        request,
        "surveys/receipt.html",
        {
            "record": record,
            "unit": record.unit,
            "survey_url": url,
            "qr": qr_svg(url),
            "closes_at": survey_closes_at(record),
        },
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
    if state == "answered":
        status = 409 if request.method == "POST" else 200
        return _closed(request, "answered", status, record.unit)
    if state == "expired":
        return _closed(request, "expired", 410, record.unit)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not form.needs_confirmation():
        try:
            response = submit_survey(
                token,
                answers=form.answers(),
                comment=form.cleaned_data["comment"],
                source=ResponseSource.WEB,
            )
        except StateConflict:
            return _closed(request, "answered", 409, record.unit)
        except SurveyClosed:
            return _closed(request, "expired", 410, record.unit)
        except InvalidInput as exc:
            form.add_error(None, exc.message)
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
    officers = unit_officers(unit)
    form = SurveyForm(request.POST or None, officers=officers)
    if request.method == "POST":
        if rate_limited(request, "survey"):
            return render(request, "surveys/rate_limited.html", {"unit": unit}, status=429)
        if form.is_valid() and not form.needs_confirmation():
            try:
                response = submit_response(
                    unit,
                    answers=form.answers(),
                    comment=form.cleaned_data["comment"],
                    service_type=service_type,
                    officer=form.cleaned_data.get("officer"),
                    source=ResponseSource.WEB,
                )
            except InvalidInput as exc:
                form.add_error(None, exc.message)
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


def _flag_rows(unit: Unit, responses) -> list[dict]:
    rows = []
    for r in responses:
        answers = r.answers()
        codes = [c for c in r.flagged_elements.split(",") if c]
        rows.append(
            {
                "response": r,
                "elements": [
                    {
                        "code": c,
                        "name": ELEMENT_NAMES[c],
                        "score": answers.get(c),
                        "label": ANSWER_LABELS[c][answers[c] - 1] if c in answers else "",
                        "officer_element": c in unit.officer_elements,
                    }
                    for c in codes
                ],
                "cases": [(c, case_link(c)) for c in r.cases.all()],
                "items": list(r.improvement_items.all()),
            }
        )
    return rows


DAY_PAGE_SIZE = 50


@role_required(*RESULT_READERS)
def daily(request: HttpRequest) -> HttpResponse:
    unit = request.unit
    today = _today(unit)
    day = min(_parse_date(request.GET.get("day"), today), today)
    # A busy unit gets over a thousand answers a day: the full table is paged.
    responses = Paginator(
        daily_q.responses_on(unit, day).select_related("service_type", "officer"),
        DAY_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    flagged_page = Paginator(daily_q.flagged_on(unit, day), DAY_PAGE_SIZE).get_page(
        request.GET.get("flagged_page")
    )
    flagged = _flag_rows(unit, flagged_page)
    check = DailyCheck.objects.filter(unit=unit, day=day).select_related("signed_by").first()
    can_sign = bool(request.roles & DAY_SIGNERS)
    context = {
        "day": day,
        "today": today,
        "previous": day - datetime.timedelta(days=1),
        "next": day + datetime.timedelta(days=1) if day < today else None,
        "day_form": DayForm(initial={"day": day}),
        "responses": responses,
        "day_query": urlencode({"day": day.isoformat()}),
        "codes": ELEMENT_CODES,
        "flagged": flagged,
        "flagged_page": flagged_page,
        "ikm_day": ikm_for(unit, start=day, end=day),
        "ikm_month": ikm_for(unit, start=day.replace(day=1), end=day),
        "check": check,
        "due": daily_q.check_due(unit, day),
        "can_sign": can_sign and check is None,
        "sign_form": SignForm(initial={"day": day}),
        "missed": daily_q.missed_days(unit, today=today),
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
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The day's results are signed off as checked."))
    return redirect(reverse("daily-check") + "?" + urlencode({"day": day.isoformat()}))


def _period(request: HttpRequest, unit: Unit, with_officers: bool):
    today = _today(unit)
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
    since, until = day_bounds(unit, start, end)
    services = ServiceRecord.objects.filter(unit=unit, served_at__gte=since, served_at__lt=until)
    if service_type:
        services = services.filter(service_type=service_type)
    if officer:
        services = services.filter(officer=officer)
    delivered = services.count()
    result = ikm_for(unit, **filters)
    return render(
        request,
        "surveys/ikm.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "result": result,
            "delivered": delivered,
            "sample": sample_size(delivered),
            "charts": ikm_charts(unit, with_officers=with_officers, **filters),
            "recap_url": reverse("daily-recap") + "?" + urlencode({"start": start, "end": end}),
            "posters": ServiceType.objects.filter(unit=unit, active=True),
        },
    )


@role_required(*RESULT_READERS)
def daily_recap(request: HttpRequest) -> HttpResponse:
    """The printable recap of a day or period (step A), official layout, with the charts."""
    unit = request.unit
    today = _today(unit)
    start = min(_parse_date(request.GET.get("start"), today), today)
    end = min(max(_parse_date(request.GET.get("end"), start), start), today)
    if (end - start).days > 366:
        raise Http404
    with_officers = reads_officer_figures(request.user, unit)
    since, until = day_bounds(unit, start, end)
    flagged_qs = (
        unit.survey_responses.filter(submitted_at__gte=since, submitted_at__lt=until, flagged=True)
        .select_related("officer", "service_type")
        .prefetch_related("cases", "improvement_items")
        .order_by("submitted_at")
    )
    checks = DailyCheck.objects.filter(unit=unit, day__gte=start, day__lte=end).select_related(
        "signed_by"
    )
    context = {
        "unit": unit,
        "start": start,
        "end": end,
        "result": ikm_for(unit, start=start, end=end),
        "flagged": _flag_rows(unit, flagged_qs),
        "checks": checks,
        "statuses": daily_q.day_statuses(unit, start=start, end=end),
        "charts": ikm_charts(unit, start=start, end=end, with_officers=with_officers),
        "printed_at": timezone.now(),
        "printed_by": request.user,
        "letterhead": letterhead(unit),  # with the unit's logo
    }
    pdf = render_pdf("surveys/recap_pdf.html", context)
    return pdf_response(pdf, f"rekap-skm-{unit.code}-{start}-{end}.pdf")
