from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from pulih.lib.errors import DomainError


def exception_handler(exc, context):
    """DRF's handler, plus domain errors (400/403/409) and Django validation errors (400)."""
    if isinstance(exc, DomainError):
        body: dict = {"detail": exc.message}
        body.update(exc.fields)
        return Response(body, status=exc.status)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "message_dict"):
            return Response(exc.message_dict, status=status.HTTP_400_BAD_REQUEST)
        return Response({"detail": exc.messages}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
