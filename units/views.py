from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .access import get_unit_for_user
from .middleware import SESSION_KEY
from .models import Unit
from .published import published_standard


@login_required
@require_POST
def switch_unit(request: HttpRequest) -> HttpResponse:
    unit = get_unit_for_user(request.user, request.POST.get("unit", ""))
    request.session[SESSION_KEY] = unit.code
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "home"
    return redirect(target)


def standard_page(request: HttpRequest, code: str) -> HttpResponse:
    """The unit's published standard, rendered from its live data (public)."""
    unit = get_object_or_404(Unit, code=code)
    return render(request, "units/standard.html", {"unit": unit, **published_standard(unit)})
