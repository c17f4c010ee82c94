from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from .access import roles_in, units_for

SESSION_KEY = "pulih_unit"


def current_unit_for(request: HttpRequest):
    if not request.user.is_authenticated:
        return None
    units = units_for(request.user).order_by("name")
    code = request.session.get(SESSION_KEY)
    unit = units.filter(code=code).first() if code else None
    return unit or units.first()


class CurrentUnitMiddleware:
    """Sets request.unit (the unit the staff member works in now) and request.roles.

    Anonymous requests cost no query; staff requests one or two.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.unit = current_unit_for(request)
        request.roles = roles_in(request.user, request.unit)
        return self.get_response(request)
