"""JSON bodies bounded before they are parsed: size (413) and nesting depth (400).

Python's json module recurses once per level; a body nested thousands of levels deep would
end in RecursionError (a 500). The depth is counted on the raw bytes first, strings left out.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32
MAX_BYTES = 1024 * 1024
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(rb"[\[\]{}]")


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


def json_depth(data: bytes) -> int:
    """The deepest nesting of arrays and objects in a JSON text (strings ignored)."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_STRING.sub(b"", data)):
        if bracket in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, refusing a body over `API_MAX_JSON_BYTES` or `API_MAX_JSON_DEPTH`."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = getattr(settings, "API_MAX_JSON_BYTES", MAX_BYTES)
        max_depth = getattr(settings, "API_MAX_JSON_DEPTH", MAX_DEPTH)
        request = (parser_context or {}).get("request")
        length = request.META.get("CONTENT_LENGTH") if request is not None else None
        if length and str(length).isdigit() and int(length) > limit:
            raise BodyTooLarge()
        data = stream.read(limit + 1) if stream is not None else b""
        if len(data) > limit:
            raise BodyTooLarge()
        if json_depth(data) > max_depth:
            raise ParseError(_("The JSON is nested too deeply."))
        return super().parse(_Bytes(data), media_type, parser_context)


class _Bytes:
    """A stream over bytes already read (JSONParser decodes and parses what it reads)."""

    def __init__(self, data: bytes):
        self._data = data

    def read(self, *args) -> bytes:
        data, self._data = self._data, b""
        return data
