"""A customer who writes again brings the case back: waiting or done reopens, a snooze ends."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from desktop_app.core.store import plain
from desktop_app.core.store.accounts import utcnow
from desktop_app.core.store.case_list import NOTICE_KINDS_NOT_CUSTOMER
from desktop_app.core.store.models import Case
from desktop_app.core.store.shop_settings import own_addresses


def _wake_snoozed(session: Session) -> bool:
    """The reminder setting `snooze_wake_on_reply` (default on): a reply ends a snooze."""
    from desktop_app.core.reminders.settings import load

    return load(session).snooze_wake_on_reply


CHUNK = 400
CHECKED_KEY = "reopen.checked_message_id"  # messages up to this id have been looked at


# Plain statements (see `plain`): they run at every new message.
_CHECKED = "SELECT value FROM settings WHERE key = :k"
_NEW_MESSAGES = "SELECT id, case_id FROM messages WHERE id > :last"
_MERGE_TARGETS = (
    "SELECT merged_into_id FROM cases WHERE id IN (:ids) AND merged_into_id IS NOT NULL"
)
_SAVE_CHECKED = (
    "INSERT INTO settings (key, value) VALUES (:k, :v)"
    " ON CONFLICT (key) DO UPDATE SET value = excluded.value"
)


def _cases_with_new_mail(session: Session) -> tuple[list[int], int]:
    """The cases (and their merge targets) of messages not looked at yet, and the id up to
    which every message has a case (a message still waiting for one is looked at next time)."""
    value = plain.scalar(session, _CHECKED, {"k": CHECKED_KEY})
    last = int(json.loads(value)) if value is not None else 0
    rows = plain.rows(session, _NEW_MESSAGES, {"last": last})
    waiting = [mid for mid, cid in rows if cid is None]
    checked = min(waiting) - 1 if waiting else max((mid for mid, _ in rows), default=last)
    cases = {cid for _, cid in rows if cid is not None}
    cases |= {into for (into,) in plain.rows_for(session, _MERGE_TARGETS, "ids", sorted(cases))}
    return sorted(cases), checked


def _save_checked(session: Session, checked: int) -> None:
    plain.run(session, _SAVE_CHECKED, {"k": CHECKED_KEY, "v": json.dumps(checked)})


# Cases set aside (waiting, done; snoozed until after `:now` when `:wake`) that the customer
# wrote to since (`is_ours` and `NOTICE_KINDS_NOT_CUSTOMER` of `case_list`, written out); `which`
# limits them to `:ids` when there are few. Plain (see `plain`): it runs at every new message.
_SET_ASIDE_WITH_NEWS = """
    SELECT c.id FROM cases c
    WHERE {which} c.merged_into_id IS NULL
      AND (c.status IN ('waiting', 'done')
           OR (c.snoozed_until IS NOT NULL AND c.snoozed_until > :now AND :wake))
      AND EXISTS (
          SELECT 1 FROM messages m
          WHERE m.case_id = c.id
            AND m.created_at > coalesce(c.status_changed_at, c.touched_at, c.created_at)
            AND NOT (lower(m.from_addr) IN (:own)
                     OR EXISTS (SELECT 1 FROM locations l JOIN folders f ON f.id = l.folder_id
                                WHERE l.message_id = m.id AND f.role = 'sent'))
            AND (m.notice_kind IS NULL OR m.notice_kind NOT IN (:not_customer)))
"""


def reopen_on_customer_reply(
    session: Session, now: datetime | None = None, own: frozenset[str] | None = None
) -> list[int]:
    """Cases the customer wrote to since the merchant set them aside; returns their ids.

    A case waiting on the customer or done goes back to open; a snoozed case wakes up at once.
    "Since" is the time of the merchant's last change (`status_changed_at`, else `touched_at`),
    compared with when the message reached the store, so old mail synced late does not count
    twice: it arrived before the merchant's decision only if it was stored before it.
    With the reminder setting `snooze_wake_on_reply` off, a snooze runs to its end. `own`:
    the shop's own addresses, when the caller has them already.
    """
    now = now or utcnow()
    touched, checked = _cases_with_new_mail(session)
    if not touched:
        _save_checked(session, checked)
        return []
    own = own_addresses(session) if own is None else own
    # a few cases: look them up; very many (a first sync): one scan is cheaper
    few = len(touched) <= 2000
    wake = _wake_snoozed(session)
    params: dict[str, Any] = {
        "now": now,
        "wake": wake,
        "own": sorted(own),
        "not_customer": list(NOTICE_KINDS_NOT_CUSTOMER),
    }
    if few:
        params["ids"] = touched
    query = _SET_ASIDE_WITH_NEWS.format(which="c.id IN (:ids) AND" if few else "")
    ids = [cid for (cid,) in plain.rows(session, query, params)]
    _save_checked(session, checked)
    if ids:
        session.execute(
            update(Case)
            .where(Case.id.in_(ids), Case.status.in_(("waiting", "done")))
            .values(status="open", status_changed_at=now)
        )
    if ids and wake:
        session.execute(
            update(Case).where(Case.id.in_(ids)).values(snoozed_until=None, status_changed_at=now)
        )
    return ids
