"""The API's conventions, one of each, for every module of this app:

- the unit of a staff request: `staff_unit` (by code among the user's units, else their one
  unit where the domain's access rule holds; 404 for a unit not theirs, 403 when the rule says
  no);
- query text: `query_text` (a NUL, which no database column holds, is a 400);
- strict JSON fields: `Text`, `Flag`, `WholeNumber` (nothing coerced: the schema's type or 400);
- list filters: the domain's django-filter FilterSet (the one the screens use), made strict
  with `StrictFilters`; `filtered` answers 400 naming each bad field;
- one pagination: `Pagination` (limit/offset, at most MAX_LIMIT, a malformed value is a 400);
- one content negotiation: `Negotiation` (DRF's, its commonest case answered without parsing);
- one error body, from `api.errors.exception_handler`: `{"code": …, "detail": …}` plus, for
  bad input, the messages per field.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import utils as filters_utils
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request

from pulih.lib.bounds import DATETIME_SCHEMA, validate_date_in_range
from units.access import member_unit, units_for
from units.models import Unit, User

MAX_LIMIT = 200


class Negotiation(DefaultContentNegotiation):
    """DRF's content negotiation, with its commonest question answered without parsing: a
    request that names no format and accepts anything (no Accept header, or */*: what apps,
    curl and load tools send) gets the view's first renderer and its media type, as DRF's
    own negotiation answers it. Anything else goes through DRF's."""

    def select_renderer(self, request, renderers, format_suffix=None):
        meta = request.META
        asks_nothing = not format_suffix and not meta.get("QUERY_STRING")
        if renderers and asks_nothing and meta.get("HTTP_ACCEPT", "*/*").strip() == "*/*":
            return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, format_suffix)


def query_text(request: Request, name: str) -> str:
    """A query parameter as trimmed text ("" when absent); a NUL is a 400, not a 500."""
    value = request.query_params.get(name, "")
    if "\x00" in value:
        raise ValidationError({name: [_("Null characters are not allowed.")]})
    return value.strip()


def staff_unit(
    request: Request,
    code: str | None,
    *,
    allowed: Callable[[User, Unit], bool] | None = None,
    required: bool = False,
) -> Unit:
    """The unit a staff request is about: the one named by `code` among the user's units, or,
    without a code, the one unit of theirs where `allowed` (the domain's access rule) holds.

    404 for a code that is not one of the user's units (no hint that it exists); 403 when the
    rule says no; 400 when the code is missing but `required`, or names none of several."""
    if code:
        unit = None if "\x00" in code else member_unit(request.user, code)
        if unit is None:
            raise NotFound(_("Unknown unit."))
        if allowed is not None and not allowed(request.user, unit):
            raise PermissionDenied(_("Your role in this unit does not allow this."))
        return unit
    if required:
        raise ValidationError({"unit": [_("This field is required.")]})
    units = units_for(request.user).order_by("code")
    candidates = [u for u in units if allowed is None or allowed(request.user, u)]
    if not candidates:
        raise PermissionDenied(_("Your role in this unit does not allow this."))
    if len(candidates) > 1:
        raise ValidationError({"unit": [_("You work in several units: name one.")]})
    return candidates[0]


class Text(serializers.CharField):
    """A JSON string, nothing coerced into one (the schema says string; a number is an error)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        # The schema's maxLength counts the string as sent, before any whitespace is trimmed.
        if self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class Flag(serializers.BooleanField):
    """A JSON true or false; "yes", 1 and the like are errors."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class WholeNumber(serializers.IntegerField):
    """A JSON integer; "12", 12.5 and true are errors."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictFilters:
    """For a FilterSet on the API: a filter named in the query with no value is a 400 (the
    schema says it takes one), as is a value outside its choices."""

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name in self.filters:
            if name in self.data and self.data.get(name) == "":
                self.form.add_error(name, _("Give a value, or leave the parameter out."))
                valid = False
        return valid


def filtered(filterset) -> QuerySet:
    """The filterset's list, or a 400 naming each field whose value is not valid."""
    if not filterset.is_valid():
        raise filters_utils.translate_validation(filterset.errors)
    return filterset.qs


class Pagination(LimitOffsetPagination):
    """Limit/offset for every list, at most MAX_LIMIT a page; a malformed value is a 400
    rather than silently ignored."""

    default_limit = 50
    max_limit = MAX_LIMIT
    message = gettext_lazy("Enter one whole number, zero or more.")

    def _number(self, request: Request, name: str) -> int | None:
        values = request.query_params.getlist(name)
        if not values:
            return None
        try:
            if len(values) > 1:
                raise ValueError
            number = int(values[0])
            if number < 0:
                raise ValueError
        except ValueError:
            raise ValidationError({name: [self.message]}) from None
        return number

    def get_limit(self, request: Request) -> int:
        limit = self._number(request, self.limit_query_param)
        if limit is None or limit == 0:
            return self.default_limit
        return min(limit, self.max_limit)

    def get_offset(self, request: Request) -> int:
        return self._number(request, self.offset_query_param) or 0

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 0
        return parameters


def _api_date_in_range(value) -> None:
    try:
        validate_date_in_range(value)
    except DjangoValidationError as error:
        raise serializers.ValidationError(error.messages) from None


@extend_schema_field(DATETIME_SCHEMA)
class ApiDateTimeField(serializers.DateTimeField):
    """A DRF date-time whose date lies in 2000–2099 (the bounds of pulih/lib/bounds.py)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validators.append(_api_date_in_range)
