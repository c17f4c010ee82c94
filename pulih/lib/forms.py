"""Domain errors on the web face: the one mapping of a service's error onto a form or a page.

The API face has its own one mapping (`api.errors.exception_handler`): the same error comes out
there as `{"code": …, "detail": …, <field>: [...]}`.
"""

from __future__ import annotations

from collections.abc import Mapping

from django import forms

from .errors import DomainError


def add_domain_errors(
    form: forms.Form, exc: DomainError, *, field_for: Mapping[str, str] | None = None
) -> None:
    """Show a domain error on `form`: each field's messages beside that field (a payload name
    the form spells otherwise is renamed through `field_for`), the messages of fields the form
    does not have at its top, and the error's own message at the top when it names no field."""
    if not exc.fields:
        form.add_error(None, exc.message)
    for field, errors in exc.fields.items():
        name = (field_for or {}).get(field, field)
        form.add_error(name if name in form.fields else None, list(errors))


def domain_error_messages(exc: DomainError) -> list[str]:
    """What a page without the form's fields says of a domain error (a flash message, a list
    above a selection): each field's messages, or the error's own message when it names none."""
    return [str(m) for errors in exc.fields.values() for m in errors] or [exc.message]
