"""Dates and times as the merchant's locale writes them, in the computer's time zone."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, QLocale, QTimeZone


def local_time(value: datetime | None, long: bool = False) -> str:
    """A UTC or aware time in the computer's time zone, written as the locale does (`long`: the
    weekday and month spelled out)."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    if long:  # the long date with the short time: the zone's long name would not fit
        locale = QLocale()
        pattern = (
            f"{locale.dateFormat(QLocale.FormatType.LongFormat)} "
            f"{locale.timeFormat(QLocale.FormatType.ShortFormat)}"
        )
        return local_stamp(value, pattern)
    stamp = QDateTime.fromSecsSinceEpoch(int(value.timestamp()), QTimeZone.systemTimeZone())
    return QLocale().toString(stamp, QLocale.FormatType.ShortFormat)


def local_stamp(value: datetime, pattern: str) -> str:
    """A UTC or aware time in the computer's time zone, by a Qt date pattern ("ddd d MMM"), with
    the locale's day and month names."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    stamp = QDateTime.fromSecsSinceEpoch(int(value.timestamp()), QTimeZone.systemTimeZone())
    return QLocale().toString(stamp, pattern)
