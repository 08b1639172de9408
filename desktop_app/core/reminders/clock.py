"""Time for reminders: the injected clock, the shop's time zone, working hours (zoneinfo)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from desktop_app.core.errors import ConfigError
from desktop_app.core.reminders.model import ReminderSettings

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime; a naive one is taken as UTC (the store keeps naive UTC)."""
    if moment.tzinfo is UTC:
        return moment
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def naive(moment: datetime) -> datetime:
    """Naive UTC, as the store keeps it."""
    return as_utc(moment).replace(tzinfo=None)


def zone(settings: ReminderSettings) -> ZoneInfo:
    try:
        return ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{settings.timezone!r} is not a known time zone.") from None


def local_days_later(moment: datetime, days: int, tz: ZoneInfo) -> datetime:
    """`days` calendar days later at the same wall-clock time in `tz` (DST-correct), in UTC."""
    local = as_utc(moment).astimezone(tz)
    later = datetime.combine(local.date() + timedelta(days=days), local.time(), tzinfo=tz)
    return later.astimezone(UTC)


def local_days_earlier(moment: datetime, days: int, tz: ZoneInfo) -> datetime:
    return local_days_later(moment, -days, tz)


def at_local(day: date, hour: int, tz: ZoneInfo) -> datetime:
    """`hour`:00 on `day` in `tz`, in UTC."""
    return datetime.combine(day, time(hour), tzinfo=tz).astimezone(UTC)


def add_working_hours(start: datetime, hours: float, settings: ReminderSettings) -> datetime:
    """The moment `hours` working hours after `start` (local work days, work_start-work_end)."""
    tz = zone(settings)
    left = timedelta(hours=hours)
    local = as_utc(start).astimezone(tz)
    day = local.date()
    for _ in range(3660):  # ten years of days: settings with no working day at all stop here
        if day.weekday() in settings.work_days:
            opens = datetime.combine(day, time(settings.work_start), tzinfo=tz)
            closes = datetime.combine(day, time(settings.work_end), tzinfo=tz)
            begin = max(opens, local) if local.date() == day else opens
            if begin < closes:
                # Differences of aware datetimes in one ZoneInfo are wall-clock; go via UTC.
                span = closes.astimezone(UTC) - begin.astimezone(UTC)
                if span >= left:
                    return begin.astimezone(UTC) + left
                left -= span
        day += timedelta(days=1)
    raise ConfigError("The working hours leave no time to count (no working day).")


def working_hours_before(end: datetime, hours: float, settings: ReminderSettings) -> datetime:
    """The latest start from which `hours` working hours have passed by `end` (inverse of add)."""
    tz = zone(settings)
    left = timedelta(hours=hours)
    local = as_utc(end).astimezone(tz)
    day = local.date()
    for _ in range(3660):
        if day.weekday() in settings.work_days:
            opens = datetime.combine(day, time(settings.work_start), tzinfo=tz)
            closes = datetime.combine(day, time(settings.work_end), tzinfo=tz)
            finish = min(closes, local) if local.date() == day else closes
            if opens < finish:
                span = finish.astimezone(UTC) - opens.astimezone(UTC)
                if span >= left:
                    return finish.astimezone(UTC) - left
                left -= span
        day -= timedelta(days=1)
    raise ConfigError("The working hours leave no time to count (no working day).")
