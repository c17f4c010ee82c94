"""The API's one error body: `{"code": …, "detail": …}` and, for bad input, the messages per
field beside them (`{"code": "invalid", "detail": …, "officer": ["…"]}`).

`code` is machine-readable and the same in every language; `detail` and the field messages are
translated (Indonesian by default). Domain errors (pulih.lib.errors), Django's validation
errors, Django's 404/403 and DRF's own exceptions all end up in this shape.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from pulih.lib.errors import DomainError

CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    410: "gone",
    413: "too_large",
    415: "unsupported_media_type",
    429: "throttled",
    503: "unavailable",
}


def error_body(status_code: int, detail: str, fields: dict | None = None) -> dict:
    """The error body for `status_code`; also used outside DRF (the API's 404 page)."""
    return {**(fields or {}), "code": CODES.get(status_code, "error"), "detail": detail}


def _detail(data) -> str:
    if isinstance(data, dict) and isinstance(data.get("detail"), str):
        return data["detail"]
    return _("The request is not valid: see the messages per field.")


def exception_handler(exc, context):
    """DRF's handler, plus domain errors (400/403/409/410) and Django validation errors (400),
    every answer in the one error body."""
    if isinstance(exc, DomainError):
        return Response(error_body(exc.status, exc.message, exc.fields), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "message_dict") else {}
        detail = " ".join(exc.messages) if not fields else _detail({})
        return Response(error_body(400, detail, fields), status=status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict):
        fields = {k: v for k, v in data.items() if k != "detail"}
        response.data = error_body(response.status_code, _detail(data), fields)
    elif isinstance(data, list):  # a serializer-level error list
        response.data = error_body(
            response.status_code, " ".join(str(m) for m in data) or _detail({})
        )
    return response
