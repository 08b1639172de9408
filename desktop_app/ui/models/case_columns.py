"""What the case list shows in each column: roles, words for times, sort values (no queries)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, Qt

from desktop_app.core.views import CaseRow
from desktop_app.ui.dates import local_stamp

ORDER, CUSTOMER, LAST_LINE, WAITING, LANGUAGE, UNREAD = range(6)
COLUMNS = 6
SORT_ROLE = Qt.ItemDataRole.UserRole + 10  # native values: str, float, int
CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 11
MESSAGE_ID_ROLE = Qt.ItemDataRole.UserRole + 12  # None on case rows
LOADED_ROLE = Qt.ItemDataRole.UserRole + 13  # False while a row waits for its page
DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
FONT = int(Qt.ItemDataRole.FontRole.value)
ALIGN = int(Qt.ItemDataRole.TextAlignmentRole.value)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole.value)
# data() answers these roles only; a view asks for many more per cell, so the rest leave at once
ROLES = frozenset(
    {DISPLAY, FONT, ALIGN, TOOLTIP, ACCESSIBLE}
    | {int(r) for r in (SORT_ROLE, CASE_ID_ROLE, MESSAGE_ID_ROLE, LOADED_ROLE)}
)
RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)


def utc(when: datetime | None) -> datetime | None:
    if when is None:
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


def waited(now: datetime, since: datetime | None) -> str:
    """How long, in words: "12 min", "5 hours", "3 days"."""
    since = utc(since)
    if since is None:
        return ""
    minutes = max(0, int((now - since).total_seconds()) // 60)
    hours, days = (
        divmod(minutes, 60)[0],
        divmod(minutes, 24 * 60)[0],
    )  # lupdate reads floor division as a comment
    if minutes < 60:
        return QCoreApplication.translate("CaseModel", "%n min", None, minutes)
    if minutes < 48 * 60:
        return QCoreApplication.translate("CaseModel", "%n hour(s)", None, hours)
    return QCoreApplication.translate("CaseModel", "%n day(s)", None, days)


def short_time(now: datetime, when: datetime | None) -> str:
    """A message's date as the list shows it: the time today, the day and month before."""
    when = utc(when)
    if when is None:
        return ""
    local, today = when.astimezone(), now.astimezone()
    if local.date() == today.date():
        return local_stamp(when, QLocale().timeFormat(QLocale.FormatType.ShortFormat))
    if local.year == today.year:
        return local_stamp(when, "d MMM")
    return local_stamp(when, "d MMM yyyy")


def display(row: CaseRow, column: int) -> str:
    if column == ORDER:
        number = row.order_number or "—"
        return f"★ {number}" if row.starred else number
    if column == CUSTOMER:
        return row.customer_name or row.customer_email
    if column == LAST_LINE:
        return row.last_line or row.subject
    if column == LANGUAGE:
        return (row.language or "").upper()
    if column == UNREAD:
        return str(row.unread) if row.unread else ""
    return ""


def sort_value(row: CaseRow, column: int) -> Any:
    if column == ORDER:
        return row.order_number or ""
    if column == CUSTOMER:
        return (row.customer_name or row.customer_email).casefold()
    if column == LAST_LINE:
        return row.last_line.casefold()
    if column == WAITING:  # the longest wait sorts first; answered cases last
        since = utc(row.waiting_since)
        return since.timestamp() if since else float("inf")
    if column == LANGUAGE:
        return row.language or ""
    return row.unread


def accessible(row: CaseRow, now: datetime) -> str:
    parts = [
        row.order_number or QCoreApplication.translate("CaseModel", "No order"),
        row.customer_name or row.customer_email,
    ]
    if row.unread:
        unread = row.unread  # a plain name: lupdate skips `row.unread`
        parts.append(QCoreApplication.translate("CaseModel", "%n unread", None, unread))
    if row.starred:
        parts.append(QCoreApplication.translate("CaseModel", "starred"))
    if row.waiting_since:
        parts.append(
            QCoreApplication.translate("CaseModel", "waiting {time}").format(
                time=waited(now, row.waiting_since)
            )
        )
    parts.append(row.last_line or row.subject)
    return ", ".join(parts)


def header(section: int) -> str:
    return (
        QCoreApplication.translate("CaseModel", "Order"),
        QCoreApplication.translate("CaseModel", "Customer"),
        QCoreApplication.translate("CaseModel", "Last message"),
        QCoreApplication.translate("CaseModel", "Waiting"),
        QCoreApplication.translate("CaseModel", "Lang."),
        QCoreApplication.translate("CaseModel", "Unread"),
    )[section]
