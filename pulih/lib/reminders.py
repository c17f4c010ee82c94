"""Reminders: each app's `reminders.py` registers `collect(today) -> Iterable[Reminder]` in
`pulih.lib.registry.reminder_sources`; `manage.py send_reminders` sends each one once (its
`key` is remembered)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reminder:
    key: str  # unique per step, recipient group and day: "case:12:decree:overdue:2026-11-23"
    subject: str
    body: str
    recipients: list = field(default_factory=list)  # users with an email address
    escalation: bool = False
