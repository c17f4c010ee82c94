"""The customer's follow-up page (public, no login): one question, one answer."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pulih.lib import ratelimit
from pulih.lib.errors import InvalidInput
from pulih.lib.forms import add_domain_errors

from .forms import FollowUpForm
from .services import FollowUpClosed, answer_followup, open_followup

# same-origin, not no-referrer: with no-referrer Chromium posts the form with Origin: null,
# which the CSRF check refuses; the token still never leaves the site.
PRIVATE_HEADERS = {"Referrer-Policy": "same-origin", "X-Robots-Tag": "noindex"}


def _page(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    response = render(request, template, context, status=status)
    for header, value in PRIVATE_HEADERS.items():
        response[header] = value
    return response


def _closed(request) -> HttpResponse:
    # Answered, expired, not yet open or unknown: the same page, so a link tells nothing.
    return _page(request, "recovery/closed.html", {}, status=410)


def followup(request: HttpRequest, token: str) -> HttpResponse:
    try:
        item = open_followup(token)
    except FollowUpClosed:
        return _closed(request)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST":
        if ratelimit.hit("survey", request) is not None:
            return _page(request, "surveys/rate_limited.html", {"unit": item.unit}, status=429)
        if form.is_valid():
            try:
                answer_followup(
                    token,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                )
            except FollowUpClosed:
                return _closed(request)
            except InvalidInput as exc:
                add_domain_errors(form, exc)
            else:
                return _page(request, "recovery/thanks.html", {"unit": item.unit})
        status = 400
    else:
        status = 200
    return _page(request, "recovery/followup.html", {"form": form, "unit": item.unit}, status)
