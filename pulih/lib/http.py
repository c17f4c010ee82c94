"""Small view helpers shared by the apps."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect

from .filetypes import download_name


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


def attachment_download(item) -> FileResponse:
    """An uploaded file (`file`, `original_name`, `content_type`) as a private download: never
    shown inline, never cached, its type not sniffed; 404 when the file is gone from storage."""
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(item.original_name, item.content_type),
        content_type=item.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
