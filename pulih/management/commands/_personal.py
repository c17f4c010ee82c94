"""Arguments shared by the personal data commands."""

from __future__ import annotations

from django.core.management.base import CommandError

from pulih.lib.errors import InvalidInput
from pulih.lib.personal_data import PersonQuery
from units.models import Unit


def add_person_arguments(parser) -> None:
    parser.add_argument("--unit", required=True, help="the unit's code")
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--contact", help="the customer's contact, matched exactly")
    who.add_argument("--name", help="the customer's name, matched case-insensitively")


def unit_and_query(options) -> tuple:
    unit = Unit.objects.filter(code=options["unit"]).first()
    if unit is None:
        raise CommandError(f"No unit with code {options['unit']!r}.")
    try:
        query = PersonQuery(contact=options["contact"] or "", name=options["name"] or "")
    except InvalidInput as exc:
        raise CommandError(exc.message) from exc
    return unit, query
