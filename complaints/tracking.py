"""Tracking codes: 10 Crockford base32 characters (50 random bits), shown as XXXXX-XXXXX.

Short enough to read out over the phone, and without I, L, O or U so that nothing is mistaken
for 1, 0 or V; unguessable (2^50 codes, lookups rate-limited). Lookups are case-insensitive,
accept the code with or without the dash, and read I/L as 1 and O as 0 as Crockford intends.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})


def new_tracking_code() -> str:
    value = secrets.randbits(5 * LENGTH)
    chars = [ALPHABET[(value >> (5 * i)) & 31] for i in range(LENGTH)]
    return format_code("".join(chars))


def format_code(raw: str) -> str:
    return f"{raw[:5]}-{raw[5:]}"


def normalise_code(typed: str) -> str | None:
    """The stored form of a code someone typed, or None if it cannot be a code."""
    raw = "".join(ch for ch in typed.upper() if ch not in " -–").translate(_READ_AS)
    if len(raw) != LENGTH or any(ch not in ALPHABET for ch in raw):
        return None
    return format_code(raw)
