"""Money as an Indonesian office writes it, in either language: Rp 5.000.000."""

from __future__ import annotations

from decimal import Decimal


def rupiah(value: int | Decimal | float | None) -> str:
    """ "Rp 5.000.000" (whole rupiah, dots between thousands); "—" for no amount."""
    if value is None:
        return "—"
    return "Rp " + f"{int(value):,}".replace(",", ".")
