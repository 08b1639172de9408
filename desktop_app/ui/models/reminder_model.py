"""The reminders' table model: title, customer, order and when it fell due, as last read."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from desktop_app.ui.dates import local_time

if TYPE_CHECKING:
    from desktop_app.core.reminders.model import Reminder

Index = QModelIndex | QPersistentModelIndex
KEY_ROLE = Qt.ItemDataRole.UserRole + 1  # the reminder's stable key
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # a native value to sort by
COLUMNS = ("title", "customer", "order", "due")


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReminderModel", text)


def relative(due: datetime, now: datetime) -> str:
    """ "now", "3 h ago", "2 days ago", "in 4 days": how far `due` is from `now`."""
    seconds = (due - now).total_seconds()
    ahead, span = seconds > 0, int(abs(seconds))
    translate = QCoreApplication.translate
    if span < 60:
        return translate("ReminderModel", "now")
    if span < 3600:
        minutes = span // 60
        text = translate("ReminderModel", "%n min", None, minutes)
    elif span < 86400:
        hours = span // 3600
        text = translate("ReminderModel", "%n h", None, hours)
    else:
        days = span // 86400
        text = translate("ReminderModel", "%n day(s)", None, days)
    if ahead:
        return translate("ReminderModel", "in {span}").format(span=text)
    return translate("ReminderModel", "{span} ago").format(span=text)


class ReminderModel(QAbstractTableModel):
    """Holds frozen `Reminder` rows (as `Reminders.due()` gave them, newest first).

    Emits only the standard model signals. `clock` gives "now" for the relative due times.
    """

    def __init__(self, clock: Callable[[], datetime] | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._clock = clock or (lambda: datetime.now(UTC))
        self._rows: list[Reminder] = []

    def set_reminders(self, reminders: Sequence[Reminder]) -> None:
        self.beginResetModel()
        self._rows = list(reminders)
        self.endResetModel()

    def reminder(self, row: int) -> Reminder | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def reminders(self) -> list[Reminder]:
        return list(self._rows)

    def row_of(self, key: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.key == key), -1)

    def remove(self, key: str) -> Reminder | None:
        """Take one reminder out (dismissed, snoozed or done); returns it."""
        row = self.row_of(key)
        if row < 0:
            return None
        self.beginRemoveRows(QModelIndex(), row, row)
        gone = self._rows.pop(row)
        self.endRemoveRows()
        return gone

    # -- the model interface
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation != Qt.Orientation.Horizontal
            or role != Qt.ItemDataRole.DisplayRole
            or not 0 <= section < len(COLUMNS)
        ):
            return None
        names = {
            "title": _tr("Reminder"),
            "customer": _tr("Customer"),
            "order": _tr("Order"),
            "due": _tr("Due"),
        }
        return names[COLUMNS[section]]

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        column = COLUMNS[index.column()] if 0 <= index.column() < len(COLUMNS) else ""
        if role == KEY_ROLE:
            return r.key
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(r, column)
        if role == SORT_ROLE:
            return r.due_at.timestamp() if column == "due" else self._text(r, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == "due":
                return local_time(r.due_at, long=True)
            if column == "customer":
                return r.customer_email
            return r.detail or r.title
        if role == Qt.ItemDataRole.AccessibleTextRole and column == "title":
            return f"{r.title}, {r.customer_name}, {self._text(r, 'due')}"
        return None

    def _text(self, r: Reminder, column: str) -> str:
        if column == "title":
            return r.title
        if column == "customer":
            return r.customer_name or r.customer_email
        if column == "order":
            return f"#{r.order_number}" if r.order_number else ""
        if column == "due":
            return relative(r.due_at, self._clock())
        return ""
