"""Documented error answers, shared by every endpoint's `@extend_schema(responses=...)`."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse

FIELD_ERRORS = OpenApiResponse(
    OpenApiTypes.OBJECT, description="Bad input: {field: [messages]} and/or detail."
)
FORBIDDEN = OpenApiResponse(OpenApiTypes.OBJECT, description="Your role may not do this.")
UNAUTHENTICATED = OpenApiResponse(OpenApiTypes.OBJECT, description="Not logged in.")
NOT_FOUND = OpenApiResponse(OpenApiTypes.OBJECT, description="No such object (or not yours).")
CONFLICT = OpenApiResponse(
    OpenApiTypes.OBJECT, description="The current state does not allow this."
)
THROTTLED = OpenApiResponse(OpenApiTypes.OBJECT, description="Too many requests; retry later.")
UNAVAILABLE = OpenApiResponse(OpenApiTypes.OBJECT, description="Database unavailable; retry.")


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    table = {
        400: FIELD_ERRORS,
        401: UNAUTHENTICATED,
        403: FORBIDDEN,
        404: NOT_FOUND,
        409: CONFLICT,
        429: THROTTLED,
        503: UNAVAILABLE,
    }
    return {code: table[code] for code in codes}
