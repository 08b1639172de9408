"""The reminders sub-manager of the Mailbox: due, upcoming, away, snooze, dismiss, settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from desktop_app.core.reminders import rules_cases, rules_customers, rules_orders
from desktop_app.core.reminders import settings as settings_store
from desktop_app.core.reminders.clock import as_utc, naive, system_clock
from desktop_app.core.reminders.context import Context, Window, make_context
from desktop_app.core.reminders.model import Reminder, ReminderSettings
from desktop_app.core.store import reminder_state
from desktop_app.core.store.db import Store

Rule = Callable[[Session, Context, Window], list[Reminder]]


def _rules(s: ReminderSettings) -> list[Rule]:
    on: list[tuple[bool, Rule]] = [
        (s.waiting_on, rules_cases.waiting),
        (s.snooze_on, rules_cases.snoozed),
        (s.first_response_on, rules_cases.first_response),
        (s.review_on, rules_orders.review),
        (s.replenish_on, rules_orders.replenish),
        (s.birthday_on or s.anniversary_on, rules_customers.birthdays),
    ]
    return [rule for enabled, rule in on if enabled]


class Reminders:
    """Computes reminders on demand from the store; keeps only their states and settings.

    Nothing is scheduled or stored per reminder: every list is computed from the mail, orders
    and customers as they are when asked, so a complaint that arrives before a review request
    falls due removes it. The merchant's answers (dismissed, done, snoozed) are kept by key.
    """

    def __init__(self, store: Store, clock: Callable[[], datetime] | None = None) -> None:
        self.store = store
        self._clock = clock or system_clock

    def now(self) -> datetime:
        return as_utc(self._clock())

    # -- lists ---------------------------------------------------------------------------------
    def _compute(self, start: datetime, end: datetime, at: datetime) -> list[Reminder]:
        with self.store.session() as s:
            ctx = make_context(s, settings_store.load(s))
            window = Window(as_utc(start), as_utc(end), as_utc(at))
            found: dict[str, Reminder] = {}
            for rule in _rules(ctx.settings):
                for r in rule(s, ctx, window):
                    found.setdefault(r.key, r)
            return list(found.values())

    def _filtered(self, found: list[Reminder], at: datetime) -> list[Reminder]:
        """Without the dismissed and done ones, and those snoozed past `at`; a snoozed one
        that is back counts as due when its snooze ended."""
        with self.store.session() as s:
            known = reminder_state.states(s)  # the merchant's answers: a short table
        kept = []
        for r in found:
            st = known.get(r.key)
            if st is None:
                kept.append(r)
            elif st.state == "snoozed" and st.snoozed_until is not None:
                wake = as_utc(st.snoozed_until)
                if wake <= at:  # back, at the top: due again when the snooze ended
                    kept.append(replace(r, due_at=max(wake, r.due_at)))
        return kept

    def due(self, at: datetime | None = None) -> list[Reminder]:
        """Everything due at `at` (default now), newest first; the last `lookback_days` only."""
        at = as_utc(at) if at is not None else self.now()
        lookback = timedelta(days=self.settings().lookback_days)
        found = self._filtered(self._compute(at - lookback, at, at), at)
        return sorted(found, key=lambda r: (r.due_at, r.key), reverse=True)

    def upcoming(self, until: datetime) -> list[Reminder]:
        """What falls due after now and by `until` (snoozed reminders at their new time),
        soonest first."""
        now, until = self.now(), as_utc(until)
        found = self._compute(now, until, now)
        lookback = timedelta(days=self.settings().lookback_days)
        with self.store.session() as s:
            earlier = self._compute(now - lookback, now, now)
            known = reminder_state.states(s, [r.key for r in found + earlier])
        listed = []
        for r in found + earlier:
            st = known.get(r.key)
            if st is None:
                if r.due_at > now:
                    listed.append(r)
            elif st.state == "snoozed" and st.snoozed_until is not None:
                wake = as_utc(st.snoozed_until)
                if now < wake <= until:
                    listed.append(replace(r, due_at=max(wake, r.due_at)))
        unique = {r.key: r for r in listed}
        return sorted(unique.values(), key=lambda r: (r.due_at, r.key))

    def away(self) -> list[Reminder]:
        """What fell due since the last `mark_seen` (however long ago), newest first.

        Empty when the list was never seen. Reminders snoozed to a moment in that time count
        as falling due then; dismissed and done ones are left out.
        """
        now = self.now()
        with self.store.session() as s:
            seen = reminder_state.seen_at(s)
        if seen is None:
            return []
        since = as_utc(seen)
        found = self._compute(since, now, now)
        with self.store.session() as s:
            known = reminder_state.states(s)
        woke = {
            k
            for k, st in known.items()
            if st.state == "snoozed"
            and st.snoozed_until is not None
            and since < as_utc(st.snoozed_until) <= now
        }
        if woke:
            lookback = timedelta(days=self.settings().lookback_days)
            found += [r for r in self._compute(since - lookback, since, now) if r.key in woke]
        kept = {r.key: r for r in self._filtered(found, now)}
        return sorted(kept.values(), key=lambda r: (r.due_at, r.key), reverse=True)

    def mark_seen(self, at: datetime | None = None) -> None:
        """The merchant has seen the due list up to `at` (default now)."""
        at = as_utc(at) if at is not None else self.now()
        with self.store.session() as s:
            reminder_state.set_seen_at(s, naive(at))

    # -- the merchant's answers ----------------------------------------------------------------
    def snooze(self, key: str, until: datetime) -> None:
        with self.store.session() as s:
            reminder_state.set_state(s, key, "snoozed", naive(self.now()), naive(until))

    def dismiss(self, key: str) -> None:
        with self.store.session() as s:
            reminder_state.set_state(s, key, "dismissed", naive(self.now()))

    def done(self, key: str) -> None:
        """Acted on (a reply was sent): never listed again."""
        with self.store.session() as s:
            reminder_state.set_state(s, key, "done", naive(self.now()))

    # -- settings and customer dates ------------------------------------------------------------
    def settings(self) -> ReminderSettings:
        with self.store.session() as s:
            return settings_store.load(s)

    def save_settings(self, s: ReminderSettings) -> None:
        """Raises ConfigError naming a setting that cannot work (nothing is saved then)."""
        with self.store.session() as session:
            settings_store.save(session, s)

    def import_customers_csv(self, path: Path) -> tuple[int, list[str]]:
        """Birthdays and customer-since dates from a CSV (email, name, birthday,
        customer_since); returns (customers read, problems by line)."""
        from sqlalchemy import select

        from desktop_app.core.store.accounts import ensure_local_account
        from desktop_app.core.store.models import Account

        with self.store.session() as s:
            kinds = list(s.execute(select(Account.id, Account.kind).order_by(Account.id)))
            ids = [i for i, k in kinds if k == "imap"] + [i for i, k in kinds if k != "demo"]
            account_id = ids[0] if ids else ensure_local_account(s)
            return rules_customers.import_customers(s, account_id, Path(path))
