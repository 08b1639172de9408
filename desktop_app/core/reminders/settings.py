"""Reminder settings as JSON in the `settings` table (key "reminders"), checked on save."""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from typing import Any

from sqlalchemy.orm import Session

from desktop_app.core.errors import ConfigError
from desktop_app.core.reminders.model import ReminderSettings
from desktop_app.core.store import plain
from desktop_app.core.store.models import Setting

KEY = "reminders"


_VALUE = "SELECT value FROM settings WHERE key = :k"  # plain: read at every new message


def load(session: Session) -> ReminderSettings:
    value = plain.scalar(session, _VALUE, {"k": KEY})
    data: dict[str, Any] = (json.loads(value) or {}) if value is not None else {}
    known = {f.name for f in fields(ReminderSettings)}
    data = {k: v for k, v in data.items() if k in known}
    if "replenish" in data:
        data["replenish"] = tuple((str(m), int(d)) for m, d in data["replenish"])
    if "work_days" in data:
        data["work_days"] = tuple(int(d) for d in data["work_days"])
    return ReminderSettings(**data)


def check(s: ReminderSettings) -> None:
    """ConfigError naming the first setting that cannot work."""
    from desktop_app.core.reminders.clock import zone

    zone(s)
    if not 7 <= s.review_days <= 15:
        raise ConfigError("A review request goes out 7 to 15 days after delivery.")
    if s.waiting_days < 1:
        raise ConfigError("Waiting on the customer needs at least one day.")
    if not 0 <= s.work_start < s.work_end <= 24:
        raise ConfigError("Working hours must start before they end (0-24).")
    if not s.work_days or any(not 0 <= d <= 6 for d in s.work_days):
        raise ConfigError("Name at least one working day (Monday = 0 ... Sunday = 6).")
    if s.first_response_hours <= 0:
        raise ConfigError("The first-response goal must be more than zero hours.")
    if any(d < 1 or not m.strip() for m, d in s.replenish):
        raise ConfigError("Each replenishment interval needs a product or category and days.")
    if not 0 <= s.greeting_hour <= 23:
        raise ConfigError("Birthday and anniversary greetings need an hour from 0 to 23.")
    if s.replenish_from not in ("delivered", "placed"):
        raise ConfigError("Replenishment counts from 'delivered' or 'placed'.")
    if s.lookback_days < 1:
        raise ConfigError("Due reminders are listed for at least one day back.")
    if any(d < 0 for d in s.transit_days.values()):
        raise ConfigError("Transit times cannot be negative.")


def save(session: Session, settings: ReminderSettings) -> None:
    check(settings)
    value = json.dumps(asdict(settings), ensure_ascii=False)
    row = session.get(Setting, KEY)
    if row is None:
        session.add(Setting(key=KEY, value=value))
    else:
        row.value = value
