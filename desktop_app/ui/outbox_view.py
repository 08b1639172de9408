"""The outbox in the UI: the "Sending in 5 s — Undo" bar, the waiting count, the list, flushing."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.sync_controller import is_network_error
from desktop_app.ui.taskman import TaskManager, plain_error

if TYPE_CHECKING:
    from desktop_app.core.mailbox import Mailbox
    from desktop_app.core.replies.outbox import FlushReport, OutboxInfo

log = logging.getLogger(__name__)
WAITING = ("queued", "sending", "failed")
FLUSH_AFTER_UNDO_MS = 600  # past the undo window, so the item is due when flush looks
Index = QModelIndex | QPersistentModelIndex


class SendBar(QFrame):
    """ "Sending in 5 s — Undo" while a reply can still be taken back.

    Signal: `undo_clicked(int)` with the outbox id.
    """

    undo_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sendBar")
        self.setStyleSheet(
            "QFrame#sendBar { background: palette(alternate-base);"
            " border-top: 1px solid palette(mid); }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 12, 4)
        self.label = QLabel()
        layout.addWidget(self.label, 1)
        self.button = QPushButton(self.tr("Undo"))
        self.button.setAccessibleName(self.tr("Undo sending"))
        layout.addWidget(self.button)
        self.outbox_id: int | None = None
        self._until = 0.0
        self._tick = QTimer(self)
        self._tick.setInterval(250)
        self._tick.timeout.connect(self._update)
        self.button.clicked.connect(self._undo)
        self.hide()

    def start(self, outbox_id: int, seconds: float) -> None:
        self.outbox_id, self._until = outbox_id, time.monotonic() + seconds
        self.button.setEnabled(True)
        self._tick.start()
        self._update()
        self.show()

    def _update(self) -> None:
        left = self._until - time.monotonic()
        if left <= 0:
            self._tick.stop()
            self.hide()
            return
        self.label.setText(self.tr("Sending in {n} s").format(n=int(left + 0.999)))

    def _undo(self) -> None:
        if self.outbox_id is not None:
            self.button.setEnabled(False)
            self.undo_clicked.emit(self.outbox_id)

    def stop(self, text: str = "") -> None:
        self._tick.stop()
        self.outbox_id = None
        if text:
            self.label.setText(text)
            self.button.hide()
            QTimer.singleShot(4000, self._after_note)
        else:
            self.hide()

    def _after_note(self) -> None:
        if self.outbox_id is None:
            self.button.show()
            self.hide()


class OutboxModel(QAbstractTableModel):
    """The outbox's items, newest first (a short list: read whole)."""

    HEADERS = ("To", "Subject", "State", "Attempts", "Last error")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.items: list[OutboxInfo] = []

    def set_items(self, items: list[OutboxInfo]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid() or role not in (0, Qt.ItemDataRole.ToolTipRole):
            return None
        item = self.items[index.row()]
        values = (
            ", ".join(item.to),
            item.subject,
            state_text(item.state),
            str(item.attempts),
            item.last_error or "",
        )
        return values[index.column()]


def state_text(state: str) -> str:
    from PySide6.QtCore import QCoreApplication

    names = {
        "queued": "Waiting to send", "sending": "Sending", "sent": "Sent",
        "filed": "Sent and filed", "failed": "Failed", "cancelled": "Cancelled",
    }  # fmt: skip
    return QCoreApplication.translate("OutboxModel", names.get(state, state))


class OutboxController(QObject):
    """Sends what waits in the outbox on the network worker; counts and lists it.

    Signals: `waiting_changed(int)` with the replies not yet sent, `flushed(object)` with the
    core's flush report, `offline_changed(bool)`, `status_message(str)`.
    """

    waiting_changed = Signal(int)
    flushed = Signal(object)
    offline_changed = Signal(bool)
    status_message = Signal(str)

    def __init__(self, tasks: TaskManager, mailbox: Mailbox, parent: QObject | None = None):
        super().__init__(parent)
        self.tasks, self.mailbox = tasks, mailbox
        self.bar = SendBar()
        self.bar.undo_clicked.connect(self.undo)
        self.offline = False
        self.flushing = False
        self._again = False
        self._composers: dict[int, Any] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)

    def reply_queued(self, info: OutboxInfo, composer: Any = None, undo_s: float = 5.0) -> None:
        """Show the undo bar and send once the undo window has passed."""
        if composer is not None:
            self._composers[info.id] = composer
        self.bar.start(info.id, undo_s)
        self._timer.start(int(undo_s * 1000) + FLUSH_AFTER_UNDO_MS)
        self.refresh_count()

    def stop(self) -> None:
        """No more flushing from this window (it is closing)."""
        self._timer.stop()
        self.bar.stop()

    def undo(self, outbox_id: int) -> None:
        box = self.mailbox
        self.tasks.run_db(
            lambda: box.outbox.cancel(outbox_id),
            lambda done: self._undone(outbox_id, done),
            self._failed,
        )

    def _undone(self, outbox_id: int, done: bool) -> None:
        composer = self._composers.pop(outbox_id, None)
        if not done:
            self.bar.stop(self.tr("Too late to undo: the reply is on its way."))
            return
        self.bar.stop()
        self.status_message.emit(self.tr("Not sent. The reply is back in the composer."))
        if composer is not None:
            composer.reopen_after_undo()
        self.refresh_count()

    def flush(self) -> None:
        """Send what is due (after each sync and after a reply's undo window)."""
        if self.flushing:
            self._again = True
            return
        self.flushing = True
        box = self.mailbox
        self.tasks.run_net(lambda: box.outbox.flush(), self._flushed, self._flush_failed)

    def _flushed(self, report: FlushReport) -> None:
        self.flushing = False
        self._set_offline(report.offline)
        if report.problems:
            self.status_message.emit(report.problems[0])
        elif report.sent and not report.offline:
            self.status_message.emit(self.tr("%n reply(s) sent", "", report.sent))
        for composer_id in [i for i in self._composers if i != self.bar.outbox_id]:
            composer = self._composers.pop(composer_id)
            composer.deleteLater()
        self.flushed.emit(report)
        self.refresh_count()
        if self._again:
            self._again = False
            self.flush()

    def _flush_failed(self, exc: BaseException) -> None:
        self.flushing = False
        if is_network_error(exc):
            self._set_offline(True)
        else:
            self._failed(exc)
        self.refresh_count()

    def _set_offline(self, offline: bool) -> None:
        if offline != self.offline:
            self.offline = offline
            self.offline_changed.emit(offline)
        if offline:
            self.status_message.emit(
                self.tr("Offline — the reply will be sent when you are back online")
            )

    def refresh_count(self) -> None:
        box = self.mailbox
        self.tasks.run_db(
            lambda: len(box.outbox.items(WAITING)), self.waiting_changed.emit, lambda _e: None
        )

    def _failed(self, exc: BaseException) -> None:
        self.status_message.emit(plain_error(exc, "outbox task"))


class OutboxDialog(QDialog):
    """The outbox list: each reply's state and last error; Retry, Cancel, Send now."""

    def __init__(self, controller: OutboxController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle(self.tr("Outbox"))
        self.resize(760, 360)
        self.model = OutboxModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column, width in enumerate((170, 240, 120, 70)):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.empty = QLabel(self.tr("Nothing waits to be sent."))
        self.retry_button = QPushButton(self.tr("Retry"))
        self.cancel_button = QPushButton(self.tr("Cancel sending"))
        self.flush_button = QPushButton(self.tr("Send now"))
        close = QPushButton(self.tr("Close"))
        buttons = QHBoxLayout()
        for button in (self.retry_button, self.cancel_button, self.flush_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        self.retry_button.clicked.connect(self.retry)
        self.cancel_button.clicked.connect(self.cancel)
        self.flush_button.clicked.connect(controller.flush)
        close.clicked.connect(self.accept)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._buttons())
        controller.flushed.connect(lambda _r: self.reload())
        self.reload()

    def reload(self) -> None:
        outbox = self.controller.mailbox.outbox
        self.controller.tasks.run_db(outbox.items, self._loaded, self.controller._failed)

    def _loaded(self, items: list[OutboxInfo]) -> None:
        self.model.set_items(sorted(items, key=lambda i: i.id, reverse=True))
        self.empty.setVisible(not items)
        self._buttons()

    def selected(self) -> OutboxInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.items[rows[0].row()] if rows else None

    def _buttons(self) -> None:
        item = self.selected()
        self.retry_button.setEnabled(item is not None and item.state == "failed")
        self.cancel_button.setEnabled(item is not None and item.state == "queued")

    def retry(self) -> None:
        item = self.selected()
        if item is None:
            return
        outbox, controller = self.controller.mailbox.outbox, self.controller

        def done(_result: object) -> None:
            self.reload()
            controller.flush()

        controller.tasks.run_db(lambda: outbox.retry(item.id), done, controller._failed)

    def cancel(self) -> None:
        item = self.selected()
        if item is None:
            return
        outbox = self.controller.mailbox.outbox
        self.controller.tasks.run_db(
            lambda: outbox.cancel(item.id), lambda _ok: self.reload(), self.controller._failed
        )
