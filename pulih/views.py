from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from api.errors import error_body
from pulih.lib.registry import home_sections
from units.models import Role


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role's starting point: what that person has to do today, each app's part from its
    `home.py` (pulih.lib.registry.home_sections)."""
    context = {"Role": Role, "roles": request.roles, "sections": list(home_sections)}
    return render(request, "home.html", context)


def healthz(request: HttpRequest) -> HttpResponse:
    """For a load balancer or monitor: 200 when the database and the task queue answer, 503
    otherwise, with what was seen. Plain HTTP, any Host (see RequestIdMiddleware)."""
    from pulih.lib.health import database_status, queue_status

    report = {"database": database_status(), "tasks": queue_status()}
    healthy = all(part["ok"] for part in report.values())
    report["status"] = "ok" if healthy else "unavailable"
    return JsonResponse(report, status=200 if healthy else 503)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(404, _("Not found.")), status=404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' lockout answer: JSON for the API, the lockout page for screens (429)."""
    from axes.helpers import get_cool_off
    from django.conf import settings

    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.path.startswith("/api/"):
        message = _(
            "This account is locked for a while after repeated failed logins. "
            "Try again later or ask the unit administrator."
        )
        response: HttpResponse = JsonResponse({"detail": message}, status=status)
    else:
        response = render(request, settings.AXES_LOCKOUT_TEMPLATE, status=status)
    cool_off = get_cool_off(request)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
