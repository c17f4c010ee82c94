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


# --- what every text input must be, stated in the schema ------------------------------------

# DRF refuses a NUL in any text (no database column holds one) and trims the ends of text before
# it checks that a required one is not blank: the schema says so for every request string that
# states no shape of its own (pattern, format or enum).
NO_NUL = "^[^\\u0000]*$"
NOT_BLANK = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
# Codes of units, services, channels, sanctions… are slugs; usernames are Django's.
CODE = {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$", "minLength": 1, "maxLength": 50}
USERNAME = {"type": "string", "pattern": "^[\\w.@+-]+$", "minLength": 1, "maxLength": 150}


REFERENCES = {
    "unit": CODE,
    "service": CODE,
    "service_type": CODE,
    "channel": CODE,
    "sanction": CODE,
    "officer": USERNAME,
}


def _state_text(schema: object, name: str = "") -> None:
    if not isinstance(schema, dict):
        return
    plain = schema.get("type") == "string" and not {"pattern", "format", "enum"} & schema.keys()
    if plain and name in REFERENCES:
        shape = REFERENCES[name]
        schema["pattern"] = shape["pattern"]
        schema["minLength"] = 1
        schema["maxLength"] = min(schema.get("maxLength", shape["maxLength"]), shape["maxLength"])
    elif plain:
        schema["pattern"] = NOT_BLANK if schema.get("minLength", 0) >= 1 else NO_NUL
    for key in ("properties", "patternProperties"):
        for child_name, child in (schema.get(key) or {}).items():
            _state_text(child, child_name)
    for key in ("items", "additionalProperties", "not"):
        _state_text(schema.get(key))
    for key in ("oneOf", "anyOf", "allOf"):
        for child in schema.get(key) or []:
            _state_text(child)


def state_text_constraints(result: dict, generator, request, public) -> dict:
    """drf-spectacular postprocessing hook: every request string (body fields of the `…Request`
    components, query and path parameters) states the rules the server keeps for text: no NUL,
    not blank where required, codes and usernames in their alphabet. A query parameter given
    empty is refused like a missing required one, so the schema asks for at least one
    character."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request"):
            _state_text(component)
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema")
                query = parameter.get("in") == "query" and isinstance(schema, dict)
                if query and schema.get("type") == "string" and "enum" not in schema:
                    schema.setdefault("minLength", 1)
                if parameter.get("in") in ("query", "path"):
                    _state_text(schema, parameter.get("name", ""))
            body = operation.get("requestBody", {})
            for media in body.get("content", {}).values():
                _state_text(media.get("schema"))
                if _needs_fields(media.get("schema"), result):
                    body["required"] = True  # an empty body misses the required fields
    return result


def _needs_fields(schema: object, result: dict) -> bool:
    """Whether every body this schema allows has at least one field: drf-spectacular marks a
    body required only for a serializer with required fields, not for a oneOf of them."""
    if not isinstance(schema, dict):
        return False
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = result.get("components", {}).get("schemas", {}).get(name, {})
    if schema.get("required"):
        return True
    variants = schema.get("oneOf") or []
    return bool(variants) and all(_needs_fields(v, result) for v in variants)
