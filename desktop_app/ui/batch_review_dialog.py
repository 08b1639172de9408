"""Approve the day's review requests together: each previewed, checked, then queued at once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui import review_batch
from desktop_app.ui.review_batch import PreparedReview
from desktop_app.ui.taskman import TaskManager, plain_error

if TYPE_CHECKING:
    from desktop_app.core.mailbox import Mailbox
    from desktop_app.core.reminders.model import Reminder
    from desktop_app.core.replies.outbox import OutboxInfo
    from desktop_app.ui.reply_backend import ReplyBackend

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1


class BatchReviewDialog(QDialog):
    """Lists review requests with a checkbox each and the selected one's preview.

    A request that cannot be made (a value the case lacks) shows why and stays unchecked.
    Signals: `prepared()` once every preview is in, `sent(list)` with the queued `OutboxInfo`s.
    """

    prepared = Signal()
    sent = Signal(list)

    def __init__(
        self,
        tasks: TaskManager,
        mailbox: Mailbox,
        backend: ReplyBackend,
        reminders: Sequence[Reminder],
        heading: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.tasks, self.mailbox, self.backend = tasks, mailbox, backend
        self.setObjectName("batchReviewDialog")
        self.setWindowTitle(self.tr("Approve review requests"))
        self.resize(900, 560)
        self.items: list[PreparedReview] = []
        self.model = QStandardItemModel(self)
        layout = QVBoxLayout(self)
        self.heading = QLabel(
            heading
            or self.tr(
                "%n review request(s) due. Check each preview, then send.", "", len(reminders)
            )
        )
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setSpacing(3)
        self.list.setAccessibleName(self.tr("Review requests"))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setAccessibleName(self.tr("Preview"))
        self.preview.setPlainText(self.tr("Preparing the replies…"))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.list)
        splitter.addWidget(self.preview)
        splitter.setSizes([320, 580])
        layout.addWidget(splitter, 1)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("problemLabel")
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()
        layout.addWidget(self.problem_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.send_button = QPushButton(self.tr("Send selected"))
        self.send_button.setEnabled(False)
        buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.rejected.connect(self.reject)
        self.send_button.clicked.connect(self.send_selected)
        layout.addWidget(buttons)
        self.list.selectionModel().currentChanged.connect(
            lambda current, _p: self._show(current.row())
        )
        self.model.itemChanged.connect(lambda _item: self._count())
        chosen = list(reminders)
        self.tasks.run_db(
            lambda: [review_batch.prepare(backend, r) for r in chosen],
            self._prepared,
            self._failed,
        )

    def _prepared(self, items: list[PreparedReview]) -> None:
        self.items = items
        for item in items:
            r = item.reminder
            who = r.customer_name or r.customer_email
            order = f"#{r.order_number}" if r.order_number else ""
            text = f"{who}  {order}".strip()
            if item.language:
                text += f"  ({item.language})"
            second = item.problem or (", ".join(item.draft.to) if item.draft else "")
            row = QStandardItem(f"{text}\n{'⚠ ' if item.problem else ''}{second}")
            row.setData(item.reminder.key, ITEM_ROLE)
            row.setToolTip(item.problem or r.title)
            row.setCheckable(item.draft is not None)
            row.setEnabled(True)
            row.setCheckState(
                Qt.CheckState.Checked if item.draft is not None else Qt.CheckState.Unchecked
            )
            self.model.appendRow(row)
        if items:
            self.list.setCurrentIndex(self.model.index(0, 0))
            self._show(0)
        else:
            self.preview.setPlainText(self.tr("No review request is due."))
        self._count()
        self.prepared.emit()

    def _failed(self, exc: BaseException) -> None:
        self.problem_label.setText(plain_error(exc, "review requests"))
        self.problem_label.show()

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self.items):
            return
        item = self.items[row]
        if item.problem:
            self.preview.setPlainText(
                self.tr("This request cannot be made yet:\n{problem}").format(problem=item.problem)
            )
            return
        assert item.draft is not None
        head = self.tr("To: {to}\nSubject: {subject}").format(
            to=", ".join(item.draft.to), subject=item.draft.subject
        )
        self.preview.setPlainText(f"{head}\n\n{item.preview}")

    def checked(self) -> list[PreparedReview]:
        """The requests ticked to go (never one that cannot be made)."""
        chosen = []
        for row, item in enumerate(self.items):
            state = self.model.item(row).checkState()
            if state == Qt.CheckState.Checked and item.draft is not None:
                chosen.append(item)
        return chosen

    def set_checked(self, row: int, on: bool) -> None:
        self.model.item(row).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def _count(self) -> None:
        count = len(self.checked())
        self.send_button.setText(self.tr("Send %n selected", "", count))
        self.send_button.setEnabled(count > 0)

    def send_selected(self) -> None:
        chosen = self.checked()
        if not chosen:
            return
        self.send_button.setEnabled(False)
        box, backend = self.mailbox, self.backend
        self.tasks.run_db(
            lambda: review_batch.send(box, backend, chosen, 0.0), self._sent, self._send_failed
        )

    def _sent(self, queued: list[OutboxInfo]) -> None:
        self.sent.emit(queued)
        self.accept()

    def _send_failed(self, exc: BaseException) -> None:
        if isinstance(exc, review_batch.PartlySent):  # never offer those a second time
            for row, item in enumerate(self.items):
                if item.reminder.key in exc.keys:
                    self.model.item(row).setCheckState(Qt.CheckState.Unchecked)
                    self.model.item(row).setEnabled(False)
            exc = exc.error
        self._failed(exc)
        self._count()
