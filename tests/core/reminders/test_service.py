"""The due list, the away list, and what the merchant does with a reminder; settings."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from desktop_app.core.errors import ConfigError
from desktop_app.core.mailbox import Mailbox
from desktop_app.core.reminders.model import ReminderSettings
from desktop_app.core.reminders.service import Reminders
from tests.core.reminders.conftest import Clock, Shop, naive

FRIDAY_18 = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)  # 18:00 in Riga
MONDAY_8 = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)


def _weekend(shop: Shop) -> None:
    """Birthdays on Friday morning, Saturday and Sunday; snoozes ending over the weekend."""
    shop.customer("fri@example.com", birthday="11-20")
    shop.customer("sat@example.com", birthday="11-21")
    shop.customer("sun@example.com", birthday="11-22")
    shop.customer("mon@example.com", birthday="11-23")  # 09:00 Monday: not yet
    for hours in (3, 30, 50):
        shop.case(str(hours), snoozed_until=naive(FRIDAY_18 + timedelta(hours=hours)))


def test_away_lists_everything_that_fell_due_while_closed(
    shop: Shop, clock: Clock, reminders: Reminders
) -> None:
    _weekend(shop)
    clock.now = FRIDAY_18
    reminders.mark_seen()
    clock.now = MONDAY_8
    away = reminders.away()
    assert [r.key for r in away] == [
        "snooze:case:3:20261122T1800",
        "birthday:customer:sun@example.com:2026",
        "snooze:case:2:20261121T2200",
        "birthday:customer:sat@example.com:2026",
        "snooze:case:1:20261120T1900",
    ]
    assert all(FRIDAY_18 <= r.due_at <= MONDAY_8 for r in away)


def test_away_leaves_out_dismissed_and_snoozed_ones_and_adds_woken(
    shop: Shop, clock: Clock, reminders: Reminders
) -> None:
    _weekend(shop)
    clock.now = FRIDAY_18
    reminders.snooze("birthday:customer:fri@example.com:2026", FRIDAY_18 + timedelta(hours=20))
    reminders.mark_seen()
    reminders.dismiss("birthday:customer:sat@example.com:2026")
    reminders.snooze("snooze:case:1:20261120T1900", MONDAY_8 + timedelta(hours=5))
    clock.now = MONDAY_8
    keys = [r.key for r in reminders.away()]
    assert "birthday:customer:sat@example.com:2026" not in keys
    assert "snooze:case:1:20261120T1900" not in keys
    assert "birthday:customer:fri@example.com:2026" in keys  # its snooze ended on Saturday
    assert len(keys) == 4


def test_away_is_empty_before_the_list_was_ever_seen(shop: Shop, reminders: Reminders) -> None:
    _weekend(shop)
    assert reminders.away() == []


def test_due_is_newest_first_and_honours_dismiss_done_snooze(
    shop: Shop, clock: Clock, reminders: Reminders
) -> None:
    _weekend(shop)
    clock.now = MONDAY_8
    keys = [r.key for r in reminders.due()]
    assert keys[0] == "snooze:case:3:20261122T1800" and len(keys) == 6
    reminders.dismiss(keys[0])
    reminders.done(keys[1])
    reminders.snooze(keys[2], MONDAY_8 + timedelta(minutes=30))
    assert [r.key for r in reminders.due()] == keys[3:]
    back = reminders.due(MONDAY_8 + timedelta(minutes=30))
    assert (back[0].key, back[0].due_at) == (keys[2], MONDAY_8 + timedelta(minutes=30))
    soon = reminders.upcoming(MONDAY_8 + timedelta(hours=4))
    assert [r.key for r in soon] == [keys[2], "birthday:customer:mon@example.com:2026"]


def test_settings_are_kept_and_checked(store: object, reminders: Reminders) -> None:
    assert reminders.settings() == ReminderSettings()
    changed = replace(
        ReminderSettings(),
        review_days=14,
        timezone="Europe/Berlin",
        replenish=(("TEA-", 30),),
        work_days=(0, 1, 2, 3),
    )
    reminders.save_settings(changed)
    assert reminders.settings() == changed
    for bad, words in (
        (ReminderSettings(review_days=20), "7 to 15"),
        (ReminderSettings(timezone="Mars/Olympus"), "time zone"),
        (ReminderSettings(work_start=18, work_end=9), "Working hours"),
    ):
        with pytest.raises(ConfigError, match=words):
            reminders.save_settings(bad)
    assert reminders.settings() == changed


def test_the_mailbox_has_reminders(shop: Shop) -> None:
    box = Mailbox(shop.store)
    assert isinstance(box.reminders, Reminders)
    assert box.reminders.due(datetime(2026, 1, 1, tzinfo=UTC)) == []
