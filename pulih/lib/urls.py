"""URLs of many objects of one route, reversed once."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

# A value no route writes itself, valid for the int, slug and str converters alike.
_MARK = "918273645"


def url_for_each(name: str, *args) -> Callable[[object], str]:
    """A function giving `reverse(name, args=[*args, value])` for each value, the route
    reversed once (a page that links fifty cases or five hundred units reversed it once a
    link, each time walking the resolver). For values written as they are in a URL — ids,
    slugs —, which is all `reverse` would do with them."""
    pattern = reverse(name, args=[*args, _MARK])
    head, mark, tail = pattern.partition(_MARK)
    if not mark or _MARK in tail:
        raise ValueError(f"{name}: the route writes {_MARK} itself")
    return lambda value: f"{head}{value}{tail}"
