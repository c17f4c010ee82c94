"""Small view helpers shared by the apps."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect


def post_only(form_page: Callable[..., str]):
    """Like `require_POST`, but a GET (a reloaded or bookmarked action URL) is sent to the page
    that has the form — `form_page(**url_kwargs)` — instead of a blank 405."""

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method in ("GET", "HEAD"):
                return redirect(form_page(**kwargs))
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
