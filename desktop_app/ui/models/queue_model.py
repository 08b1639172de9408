"""The queue list's model: fixed queues, then tags, then folders, each with its counts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont

from desktop_app.core.views import Queue

Index = QModelIndex | QPersistentModelIndex
KEY_ROLE = Qt.ItemDataRole.UserRole + 1  # "open", "tag:refill", ...
COUNT_ROLE = Qt.ItemDataRole.UserRole + 2  # the count text drawn at the right
UNREAD_ROLE = Qt.ItemDataRole.UserRole + 3
HEADER_ROLE = Qt.ItemDataRole.UserRole + 4  # True on the "Tags" and "Folders" headings


def fixed_label(key: str) -> str | None:
    """The translated name of a fixed queue, None for tags and folders."""
    labels = {
        "due": QCoreApplication.translate("QueueModel", "Due"),
        "open": QCoreApplication.translate("QueueModel", "Open"),
        "waiting": QCoreApplication.translate("QueueModel", "Waiting on customer"),
        "snoozed": QCoreApplication.translate("QueueModel", "Snoozed"),
        "done": QCoreApplication.translate("QueueModel", "Done"),
        "all": QCoreApplication.translate("QueueModel", "All"),
        "trash": QCoreApplication.translate("QueueModel", "Trash"),
    }
    return labels.get(key)


class QueueModel(QAbstractListModel):
    """Holds the queues as last read (frozen `Queue` rows) with "Tags"/"Folders" headings.

    Emits only the standard model signals; `set_queues` updates counts in place when the list
    of queues is unchanged, so the selection stays where it is.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Queue | str] = []  # a str is a heading
        self._queues: list[Queue] = []
        self._due: Queue | None = None

    def set_due(self, count: int) -> None:
        """The "Due" queue at the top: the number of reminders due now."""
        self._due = Queue("due", "Due", count, 0)
        self.set_queues(self._queues)

    def set_queues(self, queues: Sequence[Queue]) -> None:
        self._queues = list(queues)
        rows: list[Queue | str] = [self._due] if self._due is not None else []
        tags = QCoreApplication.translate("QueueModel", "Tags")
        folders = QCoreApplication.translate("QueueModel", "Folders")
        ordered = [q for q in queues if ":" not in q.key] + [q for q in queues if ":" in q.key]
        for q in ordered:
            kind = q.key.split(":", 1)[0] if ":" in q.key else ""
            if kind == "tag" and tags not in rows:
                rows.append(tags)
            if kind == "folder" and folders not in rows:
                rows.append(folders)
            rows.append(q)
        if [self._key(r) for r in rows] == [self._key(r) for r in self._rows]:
            self._rows = rows
            if rows:
                self.dataChanged.emit(self.index(0), self.index(len(rows) - 1))
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row_of(self, key: str) -> int:
        for i, r in enumerate(self._rows):
            if isinstance(r, Queue) and r.key == key:
                return i
        return -1

    def queue(self, row: int) -> Queue | None:
        item = self._rows[row] if 0 <= row < len(self._rows) else None
        return item if isinstance(item, Queue) else None

    def tags(self) -> list[str]:
        """The tags that have a queue, for the tags dialog."""
        return [r.key[4:] for r in self._rows if isinstance(r, Queue) and r.key.startswith("tag:")]

    @staticmethod
    def _key(row: Queue | str) -> str:
        return row.key if isinstance(row, Queue) else f"heading:{row}"

    # -- the model interface
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if isinstance(self._rows[index.row()], str):
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if isinstance(row, str):
            if role == Qt.ItemDataRole.DisplayRole:
                return row
            if role == HEADER_ROLE:
                return True
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                font.setCapitalization(QFont.Capitalization.SmallCaps)
                return font
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.label(row)
        if role == KEY_ROLE:
            return row.key
        if role == UNREAD_ROLE:
            return row.unread
        if role == HEADER_ROLE:
            return False
        if role == COUNT_ROLE:
            return self.count_text(row)
        if role == Qt.ItemDataRole.FontRole and (row.unread or (row.key == "due" and row.count)):
            font = QFont()
            font.setBold(True)
            return font
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.accessible_text(row)
        return None

    @staticmethod
    def label(row: Queue) -> str:
        fixed = fixed_label(row.key)
        if fixed is not None:
            return fixed
        return row.label

    @staticmethod
    def count_text(row: Queue) -> str:
        """Unread first when there is some ("3 / 12"), else the number of cases."""
        return f"{row.unread} / {row.count}" if row.unread else str(row.count)

    @classmethod
    def accessible_text(cls, row: Queue) -> str:
        count, unread_count = row.count, row.unread  # plain names: lupdate skips `row.count`
        if row.key == "due":
            due = QCoreApplication.translate("QueueModel", "%n reminder(s) due", None, count)
            return f"{cls.label(row)}: {due}"
        cases = QCoreApplication.translate("QueueModel", "%n case(s)", None, count)
        if unread_count:
            unread = QCoreApplication.translate("QueueModel", "%n unread", None, unread_count)
            return f"{cls.label(row)}: {cases}, {unread}"
        return f"{cls.label(row)}: {cases}"
