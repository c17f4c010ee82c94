from django.http import HttpRequest

from .access import units_for


def current_unit(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"current_unit": None, "current_roles": frozenset()}
    return {
        "current_unit": getattr(request, "unit", None),
        "current_roles": getattr(request, "roles", frozenset()),
        "my_units": units_for(user).order_by("name"),
    }
