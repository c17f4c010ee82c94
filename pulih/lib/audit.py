"""Signals for the audit trail that any app may send without importing the reports app."""

from __future__ import annotations

from django.dispatch import Signal

# Sent when personal data leaves Pulih (an XLSX export, the personal-data export command):
# send(sender, actor=User | None, unit=Unit | None, summary=str, request=HttpRequest | None).
personal_data_exported = Signal()


def exported(sender, *, actor=None, unit=None, summary: str, request=None) -> None:
    personal_data_exported.send(
        sender=sender, actor=actor, unit=unit, summary=summary, request=request
    )
