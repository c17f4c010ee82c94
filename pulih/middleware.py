"""Answer 503 with a clear page while the database is unreachable, instead of a 500."""

from __future__ import annotations

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


def _is_outage(exc: Exception) -> bool:
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    text = str(exc).lower()
    markers = (
        "connection",
        "could not connect",
        "server closed",
        "terminating",
        "shutting down",
        "database is locked",
        "unable to open database",
    )
    return any(m in text for m in markers)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        except DatabaseError as exc:
            if not _is_outage(exc):
                raise
            return service_unavailable(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if isinstance(exc, DatabaseError) and _is_outage(exc):
            return service_unavailable(request)
        return None


def service_unavailable(request: HttpRequest) -> HttpResponse:
    message = _("The service is temporarily unavailable. Please try again in a moment.")
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message}, status=503)
    else:
        try:
            body = render_to_string("503.html", {"message": message})
        except Exception:  # the template engine may itself need the database
            body = f"<h1>503</h1><p>{message}</p>"
        response = HttpResponse(body, status=503)
    response["Retry-After"] = "5"
    return response


class IndonesianFirstLocaleMiddleware:
    """Bahasa Indonesia unless the person chose another language (the language cookie).

    Browsers in Indonesia often send an English Accept-Language; the standard's users
    expect Indonesian screens regardless, so the header is deliberately not consulted.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Vary", "Cookie")
        return response
