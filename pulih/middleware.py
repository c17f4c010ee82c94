"""Request ids for the logs, the load balancer's probe, and a clear 503 page while the
database is unreachable, instead of a 500."""

from __future__ import annotations

import re
import uuid

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from pulih.lib.logging import request_id

_GOOD_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Give each request an id (nginx's X-Request-ID when it sent a sane one), put it on every
    log line written meanwhile and on the response. `/healthz` is answered here, before host
    checks and the HTTPS redirect: a probe speaks plain HTTP to an address, not a host name."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        rid = given if _GOOD_ID.match(given) else uuid.uuid4().hex
        token = request_id.set(rid)
        try:
            if request.path == "/healthz":
                from pulih.views import healthz

                response = healthz(request)
            else:
                response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = rid
        return response


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
