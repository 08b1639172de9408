"""The case list's model: cases with their messages as children, rows fetched in pages off-thread.

As Anki's browser table: the model holds the case ids of the current queue (or search) and a
cache of rows; `data()` only reads the cache. Rows it lacks are asked of the database worker a
page at a time, and `dataChanged` is emitted when they arrive. A case's messages are fetched on
expansion (`canFetchMore`/`fetchMore`), off the GUI thread too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont

from desktop_app.core.views import CaseRow, MessageRow, Views
from desktop_app.ui.models.case_columns import (
    ACCESSIBLE,
    ALIGN,
    CASE_ID_ROLE,
    COLUMNS,
    CUSTOMER,
    DISPLAY,
    FONT,
    LANGUAGE,
    LAST_LINE,
    LOADED_ROLE,
    MESSAGE_ID_ROLE,
    RIGHT,
    ROLES,
    SORT_ROLE,
    TOOLTIP,
    UNREAD,
    WAITING,
    accessible,
    display,
    header,
    short_time,
    sort_value,
    waited,
)
from desktop_app.ui.taskman import TaskManager, plain_error

log = logging.getLogger(__name__)
Index = QModelIndex | QPersistentModelIndex
PAGE = 100  # rows read from the database worker at a time
SHOWN_STEP = 1000  # rows shown at first and added by each fetchMore() at the end of the list
REMOVE_AT_MOST = 50  # a list that lost more rows than this is reset, not trimmed run by run


class CaseModel(QAbstractItemModel):
    """Holds case ids, a cache of `CaseRow`s and, per expanded case, its `MessageRow`s.

    Signals: `ids_loaded(int)` when a queue's (or search's) ids arrived, with their number;
    `rows_loaded()` when a page of rows arrived; `load_failed(str)` with a plain message
    (a search query that cannot be read, a busy store).
    """

    ids_loaded = Signal(int)
    rows_loaded = Signal()
    load_failed = Signal(str)

    def __init__(
        self,
        tasks: TaskManager,
        views: Views,
        clock: Callable[[], datetime] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._views = views
        self._clock = clock or (lambda: datetime.now(UTC))
        self.queue = "open"
        self.search = ""
        self._ids: list[int] = []
        self._shown = 0  # how many of `_ids` are rows yet (the view asks for more at the end)
        self._row_of: dict[int, int] = {}
        self._rows: dict[int, CaseRow] = {}
        self._version = 0  # bumps whenever `_ids` changes: page numbers refer to one version
        self._generation = 0  # bumps on every load: only the newest answer is applied
        self._fresh: set[int] = set()  # pages read since the ids last changed
        self._wanted: set[int] = set()  # pages to ask for on the next turn of the event loop
        self._pending: set[int] = set()
        self._messages: dict[int, list[MessageRow]] = {}
        self._pending_messages: set[int] = set()
        self._request = QTimer(self)
        self._request.setSingleShot(True)
        self._request.setInterval(0)
        self._request.timeout.connect(self._request_pages)
        self._bold = QFont()
        self._bold.setBold(True)

    # -- what the window asks
    def load(self, queue: str, search: str = "") -> None:
        """Read the ids of `queue` (narrowed by `search`) and their first page, then show them."""
        self.queue, self.search = queue, search
        self._generation += 1
        generation, views, now = self._generation, self._views, self._clock()

        def work() -> tuple[list[int], list[CaseRow]]:
            ids = views.case_ids(queue, now, search)
            return ids, views.case_rows(ids[:PAGE])

        self._run(
            work,
            lambda result: self._ids_arrived(generation, *result),
            lambda exc: self._failed(generation, exc),
        )

    def refresh(self) -> None:
        """Read the current queue again (after a sync): rows stay shown until the new ones come."""
        self.load(self.queue, self.search)

    def refresh_cases(self, case_ids: Iterable[int]) -> None:
        """Read these cases' rows (and loaded messages) again, after a triage change."""
        wanted = [c for c in case_ids if c in self._row_of]
        if not wanted:
            return
        views, version = self._views, self._version
        with_messages = [c for c in wanted if c in self._messages]

        def work() -> tuple[list[CaseRow], dict[int, list[MessageRow]]]:
            return views.case_rows(wanted), {c: views.case_messages(c) for c in with_messages}

        def done(result: tuple[list[CaseRow], dict[int, list[MessageRow]]]) -> None:
            rows, messages = result
            self._store_rows(rows, version, ())
            for case_id, found in messages.items():
                self._messages_arrived(case_id, found)

        self._run(work, done, self._report)

    def _run(
        self,
        fn: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        """On the database worker; nothing when the workers are shut down (the app is closing)."""
        try:
            self._tasks.run_db(fn, done, failed)
        except RuntimeError:
            self._request.stop()

    def stop(self) -> None:
        """Ask for nothing more (the window is closing)."""
        self._request.stop()
        self._wanted.clear()

    @property
    def ids(self) -> list[int]:
        return list(self._ids)

    def row_of(self, case_id: int) -> int:
        return self._row_of.get(case_id, -1)

    def case_row(self, case_id: int) -> CaseRow | None:
        return self._rows.get(case_id)

    def case_index(self, case_id: int, column: int = 0) -> QModelIndex:
        """The case's row (shown first when it is further down than the rows shown yet)."""
        row = self._row_of.get(case_id)
        if row is None:
            return QModelIndex()
        if row >= self._shown:
            self._show(row + 1)
        return self.createIndex(row, column, 0)

    def case_id(self, index: Index) -> int | None:
        """The case of a row, or of a message row's parent."""
        if not index.isValid():
            return None
        if index.internalId():
            return int(index.internalId()) - 1
        return self._ids[index.row()] if index.row() < self._shown else None

    def message_row(self, index: Index) -> MessageRow | None:
        if not index.isValid() or not index.internalId():
            return None
        found = self._messages.get(int(index.internalId()) - 1, [])
        return found[index.row()] if index.row() < len(found) else None

    # -- answers from the database worker
    def _ids_arrived(self, generation: int, ids: list[int], first: list[CaseRow]) -> None:
        if generation != self._generation:
            return
        old = self._ids
        if ids == old:
            self._fresh.clear()
        elif len(old) - len(ids) <= REMOVE_AT_MOST and _is_subsequence(ids, old):
            self._remove_missing(set(ids))
        else:
            self.beginResetModel()
            self._set_ids(ids, min(len(ids), max(SHOWN_STEP, self._shown)))
            self._messages.clear()
            self._pending_messages.clear()
            self.endResetModel()
        self._store_rows(first, self._version, (0,) if ids else ())
        if self._shown > PAGE:  # rows further down may be stale: repaint, which asks for them
            self.dataChanged.emit(self.index(0, 0), self.index(self._shown - 1, COLUMNS - 1))
        self.ids_loaded.emit(len(ids))

    def _show(self, count: int) -> None:
        """Make the first `count` ids rows (at least SHOWN_STEP more)."""
        new = min(len(self._ids), max(count, self._shown + SHOWN_STEP))
        if new > self._shown:
            self.beginInsertRows(QModelIndex(), self._shown, new - 1)
            self._shown = new
            self.endInsertRows()

    def _remove_missing(self, keep: set[int]) -> None:
        row = len(self._ids) - 1
        while row >= 0:  # contiguous runs, bottom up, so the rows above keep their numbers
            if self._ids[row] in keep:
                row -= 1
                continue
            last = row
            while row >= 0 and self._ids[row] not in keep:
                row -= 1
            first, shown_last = row + 1, min(last, self._shown - 1)
            gone = self._ids[first : last + 1]
            for case_id in gone:
                self._messages.pop(case_id, None)
            rest = self._ids[:first] + self._ids[last + 1 :]
            if first > shown_last:  # not shown yet: nothing to tell the views
                self._set_ids(rest, self._shown)
                continue
            self.beginRemoveRows(QModelIndex(), first, shown_last)
            self._set_ids(rest, self._shown - (shown_last - first + 1))
            self.endRemoveRows()

    def _set_ids(self, ids: list[int], shown: int) -> None:
        self._ids = list(ids)
        self._shown = shown
        self._row_of = {case_id: row for row, case_id in enumerate(self._ids)}
        self._version += 1
        self._fresh.clear()
        self._wanted.clear()
        self._pending.clear()

    def _store_rows(self, rows: Sequence[CaseRow], version: int, pages: Iterable[int]) -> None:
        changed: list[int] = []
        for row in rows:
            before = self._rows.get(row.id)
            self._rows[row.id] = row
            at = self._row_of.get(row.id, self._shown)
            if at < self._shown:
                changed.append(at)
            if (
                before is not None
                and row.id in self._messages
                and (before.message_count, before.unread) != (row.message_count, row.unread)
            ):
                self._fetch_messages(row.id)
        if version == self._version:
            self._fresh.update(pages)
        if changed:
            self.dataChanged.emit(
                self.index(min(changed), 0), self.index(max(changed), COLUMNS - 1)
            )
        self.rows_loaded.emit()

    def _request_pages(self) -> None:
        pages = sorted(self._wanted - self._pending - self._fresh)
        self._wanted.clear()
        if not pages:
            return
        self._pending.update(pages)
        ids = [i for p in pages for i in self._ids[p * PAGE : (p + 1) * PAGE]]
        views, version = self._views, self._version

        def done(rows: list[CaseRow]) -> None:
            if version == self._version:
                self._pending.difference_update(pages)
            self._store_rows(rows, version, pages)

        def failed(exc: BaseException) -> None:
            if version == self._version:
                self._pending.difference_update(pages)
            self._report(exc)

        self._run(lambda: views.case_rows(ids), done, failed)

    def _fetch_messages(self, case_id: int) -> None:
        if case_id in self._pending_messages:
            return
        self._pending_messages.add(case_id)
        views = self._views

        def failed(exc: BaseException) -> None:
            self._pending_messages.discard(case_id)
            self._report(exc)

        self._run(
            lambda: views.case_messages(case_id),
            lambda found: self._messages_arrived(case_id, found),
            failed,
        )

    def _messages_arrived(self, case_id: int, found: list[MessageRow]) -> None:
        self._pending_messages.discard(case_id)
        row = self._row_of.get(case_id)
        if row is None or row >= self._shown:
            return
        parent = self.createIndex(row, 0, 0)
        before = self._messages.get(case_id)
        if before is not None and len(before) == len(found):
            self._messages[case_id] = found
            if found:
                last = self.createIndex(len(found) - 1, COLUMNS - 1, case_id + 1)
                self.dataChanged.emit(self.createIndex(0, 0, case_id + 1), last)
            return
        if before:
            self.beginRemoveRows(parent, 0, len(before) - 1)
            self._messages[case_id] = []
            self.endRemoveRows()
        if found:
            self.beginInsertRows(parent, 0, len(found) - 1)
            self._messages[case_id] = found
            self.endInsertRows()
        else:
            self._messages[case_id] = []

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._report(exc)

    def _report(self, exc: BaseException) -> None:
        self.load_failed.emit(plain_error(exc, "reading cases"))

    # -- the model interface
    # index() and hasChildren() run for every row when a tree view lays out: keep them to a
    # few plain operations (no hasIndex()). flags() is Qt's own (enabled, selectable), so the
    # view's per-row calls of it never reach Python.
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if row < 0 or not 0 <= column < COLUMNS:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0) if row < self._shown else QModelIndex()
        if parent.internalId() or parent.column():
            return QModelIndex()
        case_id = self._ids[parent.row()]
        if row >= len(self._messages.get(case_id, ())):
            return QModelIndex()
        return self.createIndex(row, column, case_id + 1)

    def parent(self, index: Index | None = None) -> Any:  # type: ignore[override]
        if index is None:
            return super().parent()
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        row = self._row_of.get(int(index.internalId()) - 1)
        return QModelIndex() if row is None else self.createIndex(row, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return self._shown
        if parent.internalId() or parent.column() != 0:
            return 0
        return len(self._messages.get(self._ids[parent.row()], ()))

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return COLUMNS

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        if not parent.isValid():
            return self._shown > 0
        if parent.internalId() or parent.column():
            return False
        found = self._messages.get(self._ids[parent.row()])
        return True if found is None else bool(found)  # every case has a message

    def canFetchMore(self, parent: Index) -> bool:
        if not parent.isValid():
            return self._shown < len(self._ids)
        if parent.internalId() or parent.column() != 0:
            return False
        case_id = self._ids[parent.row()]
        return case_id not in self._messages and case_id not in self._pending_messages

    def fetchMore(self, parent: Index) -> None:
        if not parent.isValid():
            self._show(self._shown + SHOWN_STEP)
        elif self.canFetchMore(parent):
            self._fetch_messages(self._ids[parent.row()])

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < COLUMNS:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return header(section)
        if role == Qt.ItemDataRole.ToolTipRole and section == LANGUAGE:
            return QCoreApplication.translate("CaseModel", "The customer's language")
        return None

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if role not in ROLES or not index.isValid():
            return None
        if index.internalId():
            return self._message_data(index, role)
        row_number = index.row()
        if row_number >= self._shown:
            return None
        case_id = self._ids[row_number]
        page = row_number // PAGE
        if page not in self._fresh and page not in self._pending:
            self._wanted.add(page)
            if not self._request.isActive():
                self._request.start()
        if role == CASE_ID_ROLE:
            return case_id
        row = self._rows.get(case_id)
        if role == LOADED_ROLE:
            return row is not None
        if row is None:
            return "…" if role == DISPLAY and index.column() == 0 else None
        column = index.column()
        if role == DISPLAY:
            if column == WAITING:
                return waited(self._clock(), row.waiting_since)
            return display(row, column)
        if role == FONT:
            return self._bold if row.unread else None
        if role == ALIGN:
            return RIGHT if column == UNREAD else None
        if role == SORT_ROLE:
            return sort_value(row, column)
        if role == TOOLTIP:
            return f"{row.subject}\n{row.customer_name} <{row.customer_email}>".strip()
        if role == ACCESSIBLE:
            return accessible(row, self._clock())
        return None

    def _message_data(self, index: Index, role: int) -> Any:
        case_id = int(index.internalId()) - 1
        found = self._messages.get(case_id, [])
        if index.row() >= len(found):
            return None
        message = found[index.row()]
        column = index.column()
        if role == CASE_ID_ROLE:
            return case_id
        if role == MESSAGE_ID_ROLE:
            return message.id
        if role == LOADED_ROLE:
            return True
        if role == FONT:
            return None if message.seen else self._bold
        if role == SORT_ROLE:
            return (message.date.timestamp() if message.date else 0.0) if column == WAITING else 0
        if role == TOOLTIP:
            return f"{message.from_name} <{message.from_addr}>\n{message.subject}"
        if role not in (DISPLAY, ACCESSIBLE):
            return None
        if column == CUSTOMER:
            return (
                QCoreApplication.translate("CaseModel", "You")
                if message.ours
                else (message.from_name or message.from_addr)
            )
        if column == LAST_LINE:
            return message.snippet or message.subject
        if column == WAITING:
            return short_time(self._clock(), message.date)
        if column == UNREAD:
            return "" if message.seen else QCoreApplication.translate("CaseModel", "new")
        return ""


def _is_subsequence(short: Sequence[int], long: Sequence[int]) -> bool:
    """True when `short` is `long` with some items left out, in the same order."""
    if len(short) > len(long):
        return False
    it = iter(long)
    return all(any(x == y for y in it) for x in short)
