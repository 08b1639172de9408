"""The reminders sub-manager of the Mailbox: due, upcoming, away, snooze, dismiss, settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from desktop_app.core.reminders.model import Reminder, ReminderSettings
from desktop_app.core.store.db import Store


class Reminders:
    """Computes reminders on demand from the store; keeps only their states and settings."""

    def __init__(self, store: Store, clock: Callable[[], datetime] | None = None) -> None:
        self.store = store
        self._clock = clock

    def due(self, at: datetime | None = None) -> list[Reminder]:
        raise NotImplementedError

    def upcoming(self, until: datetime) -> list[Reminder]:
        raise NotImplementedError

    def away(self) -> list[Reminder]:
        raise NotImplementedError

    def mark_seen(self, at: datetime | None = None) -> None:
        raise NotImplementedError

    def snooze(self, key: str, until: datetime) -> None:
        raise NotImplementedError

    def dismiss(self, key: str) -> None:
        raise NotImplementedError

    def done(self, key: str) -> None:
        raise NotImplementedError

    def settings(self) -> ReminderSettings:
        raise NotImplementedError

    def save_settings(self, s: ReminderSettings) -> None:
        raise NotImplementedError

    def import_customers_csv(self, path: Path) -> tuple[int, list[str]]:
        raise NotImplementedError
