"""What the merchant did with reminders (dismissed, done, snoozed) and when they last looked."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.core.store.models import ReminderState, Setting

SEEN_KEY = "reminders.seen_at"
STATES = ("dismissed", "done", "snoozed")


@dataclass(frozen=True, slots=True)
class State:
    key: str
    state: str
    snoozed_until: datetime | None  # naive UTC


def set_state(
    session: Session, key: str, state: str, now: datetime, until: datetime | None = None
) -> None:
    """Record `state` for `key` (naive UTC times); a later call replaces an earlier one."""
    assert state in STATES, state
    row = session.scalar(select(ReminderState).where(ReminderState.key == key))
    if row is None:
        session.add(ReminderState(key=key, state=state, snoozed_until=until, updated_at=now))
    else:
        row.state, row.snoozed_until, row.updated_at = state, until, now


def states(session: Session, keys: Iterable[str] | None = None) -> dict[str, State]:
    """The recorded states, all of them or those of `keys`."""
    query = select(ReminderState.key, ReminderState.state, ReminderState.snoozed_until)
    found: dict[str, State] = {}
    if keys is None:
        rows = list(session.execute(query))
    else:
        wanted = list(keys)
        rows = []
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows += list(session.execute(query.where(ReminderState.key.in_(chunk))))
    for key, state, until in rows:
        found[key] = State(key, state, until)
    return found


def seen_at(session: Session) -> datetime | None:
    """When the merchant last saw the due list (naive UTC), or None."""
    row = session.get(Setting, SEEN_KEY)
    value = json.loads(row.value) if row is not None else None
    return datetime.fromisoformat(value) if value else None


def set_seen_at(session: Session, at: datetime) -> None:
    value = json.dumps(at.isoformat())
    row = session.get(Setting, SEEN_KEY)
    if row is None:
        session.add(Setting(key=SEEN_KEY, value=value))
    else:
        row.value = value
