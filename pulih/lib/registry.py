"""How the domains offer their parts to the whole, without the whole naming them.

Each app may have modules named after a registry below (`reminders.py`, `demo.py`, `home.py`,
`public.py`, `privacy.py`); such a module registers its part when imported:

    from pulih.lib.registry import reminder_sources

    @reminder_sources.register
    def collect(today): ...

Reading a registry first imports that module of every installed app (Django's
`autodiscover_modules`, as the admin finds `admin.py`), so a new app joins `send_reminders`,
`demo_data`, the home page, the public links and the personal-data requests by having the
module: nothing in `pulih/` or `units/` lists the apps. This module imports no domain app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import autodiscover_modules


class Registry:
    """Parts offered under one module name, read in `order` (then registration order)."""

    def __init__(self, module: str) -> None:
        self.module = module
        self._parts: dict[str, tuple[int, Any]] = {}

    def register(self, part: Any = None, *, order: int = 50, key: str | None = None):
        """Register `part` (usable as a decorator, with or without `order`)."""

        def add(value: Any) -> Any:
            qualname = getattr(value, "__qualname__", None)
            name = key or (f"{value.__module__}.{qualname}" if qualname else repr(value))
            self._parts[name] = (order, value)
            return value

        return add if part is None else add(part)

    def __iter__(self) -> Iterator[Any]:
        autodiscover_modules(self.module)
        ordered = sorted(enumerate(self._parts.values()), key=lambda item: (item[1][0], item[0]))
        return iter([value for _index, (_order, value) in ordered])


@dataclass(frozen=True)
class HomeSection:
    """A card of the staff home page: a template rendered with the page's context."""

    template: str


@dataclass(frozen=True)
class PublicLink:
    """A link on the unit's public pages (standard, results): a URL name (taking the unit's code
    unless `takes_unit` is false), its label and an optional element id."""

    url_name: str
    label: Any
    id: str = ""
    takes_unit: bool = True


@dataclass(frozen=True)
class PersonalDataSource:
    """Where a domain holds customers' personal data (see pulih.lib.personal_data)."""

    name: str
    find: Callable
    erase: Callable
    anonymise_before: Callable


# `collect(today) -> Iterable[Reminder]`, each sent once by `manage.py send_reminders`.
reminder_sources = Registry("reminders")
# `populate(unit, staff, rng, months) -> str`, called by `manage.py demo_data`.
demo_populators = Registry("demo")
# `HomeSection`s of the staff home page.
home_sections = Registry("home")
# `PublicLink`s of the unit's public pages.
public_links = Registry("public")
# `PersonalDataSource`s searched, exported and erased on a person's request.
personal_data_sources = Registry("privacy")
