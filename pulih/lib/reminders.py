"""Reminders: each domain offers `<app>.reminders.collect(today) -> Iterable[Reminder]`;
`manage.py send_reminders` sends each one once (its `key` is remembered)."""

from __future__ import annotations

from dataclasses import dataclass, field

REMINDER_SOURCES = ["surveys.reminders", "complaints.reminders", "cases.reminders"]


@dataclass(frozen=True)
class Reminder:
    key: str  # unique per step, recipient group and day: "case:12:decree:overdue:2026-11-23"
    subject: str
    body: str
    recipients: list = field(default_factory=list)  # users with an email address
    escalation: bool = False
