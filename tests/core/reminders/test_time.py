"""Time is exact: Europe/Riga's daylight-saving changes, working hours across them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from desktop_app.core.reminders.clock import (
    add_working_hours,
    local_days_later,
    working_hours_before,
)
from desktop_app.core.reminders.model import ReminderSettings
from desktop_app.core.reminders.service import Reminders
from tests.core.reminders.conftest import SHOP, Shop

RIGA = ZoneInfo("Europe/Riga")
SETTINGS = ReminderSettings()


def _riga(*args: int) -> datetime:
    return datetime(*args, tzinfo=RIGA).astimezone(UTC)  # type: ignore[misc]


def test_three_days_later_keeps_nine_local_across_the_spring_change() -> None:
    # Clocks go forward on Sunday 29 March 2026: 09:00 is 07:00 UTC before, 06:00 UTC after.
    friday_nine = _riga(2026, 3, 27, 9, 0)
    assert friday_nine == datetime(2026, 3, 27, 7, 0, tzinfo=UTC)
    later = local_days_later(friday_nine, 3, RIGA)
    assert later == datetime(2026, 3, 30, 6, 0, tzinfo=UTC)
    assert later.astimezone(RIGA).hour == 9
    assert later - friday_nine == timedelta(days=3) - timedelta(hours=1)


def test_three_days_later_keeps_nine_local_across_the_autumn_change() -> None:
    friday_nine = _riga(2026, 10, 23, 9, 0)  # back on Sunday 25 October 2026
    later = local_days_later(friday_nine, 3, RIGA)
    assert later.astimezone(RIGA).hour == 9
    assert later - friday_nine == timedelta(days=3, hours=1)


def test_working_hours_across_the_change() -> None:
    # Friday 13:00 + 8 working hours: 4 on Friday, 4 on Monday -> Monday 13:00 local.
    start = _riga(2026, 3, 27, 13, 0)
    end = add_working_hours(start, 8, SETTINGS)
    assert end.astimezone(RIGA).replace(tzinfo=None) == datetime(2026, 3, 30, 13, 0)
    assert end == datetime(2026, 3, 30, 10, 0, tzinfo=UTC)
    assert working_hours_before(end, 8, SETTINGS) == start
    autumn = add_working_hours(_riga(2026, 10, 23, 13, 0), 8, SETTINGS)
    assert autumn.astimezone(RIGA).replace(tzinfo=None) == datetime(2026, 10, 26, 13, 0)


def test_working_hours_skip_nights_and_weekends() -> None:
    saturday = _riga(2026, 11, 21, 11, 0)
    assert add_working_hours(saturday, 2, SETTINGS) == _riga(2026, 11, 23, 11, 0)
    evening = _riga(2026, 11, 24, 20, 0)
    assert add_working_hours(evening, 8, SETTINGS) == _riga(2026, 11, 25, 17, 0)
    other = ReminderSettings(timezone="America/New_York", work_start=8, work_end=12)
    ny = datetime(2026, 11, 24, 11, 0, tzinfo=ZoneInfo("America/New_York"))
    assert add_working_hours(ny, 2, other) == datetime(2026, 11, 25, 9, 0, tzinfo=ny.tzinfo)


def test_a_waiting_reminder_stays_at_local_time_over_the_change(
    shop: Shop, reminders: Reminders
) -> None:
    case = shop.case("1042")
    asked = _riga(2026, 3, 27, 9, 0)
    shop.message(case, SHOP, asked, "Did the parcel arrive?", to="anna@example.com")
    [r] = [r for r in reminders.due(_riga(2026, 3, 30, 9, 0)) if r.rule == "waiting"]
    assert r.due_at == _riga(2026, 3, 30, 9, 0)
    assert [r for r in reminders.due(_riga(2026, 3, 30, 8, 59)) if r.rule == "waiting"] == []


def test_birthday_at_nine_in_summer_and_winter_time(shop: Shop, reminders: Reminders) -> None:
    shop.customer("a@example.com", birthday="03-29")  # the day of the spring change
    shop.customer("b@example.com", birthday="10-25")  # the day of the autumn change
    found = reminders.upcoming(datetime(2026, 12, 31, tzinfo=UTC))
    assert [r.due_at.astimezone(RIGA).hour for r in found] == [9, 9]
    assert [r.due_at.hour for r in found] == [6, 7]  # EEST and EET in UTC
