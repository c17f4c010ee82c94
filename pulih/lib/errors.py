"""Domain errors raised by business functions; the web and API faces translate them."""

from __future__ import annotations


class DomainError(Exception):
    status = 400

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class InvalidInput(DomainError):
    """The payload is wrong (400); `fields` names each bad field."""

    status = 400


class ActionForbidden(DomainError):
    """The actor's role or the segregation of duties does not allow this (403)."""

    status = 403


class StateConflict(DomainError):
    """The object's current state does not allow this action (409)."""

    status = 409
