"""The Due list shown in place of the case list: the reminders due now, one per row."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui import review_batch
from desktop_app.ui.models.reminder_model import SORT_ROLE, ReminderModel

if TYPE_CHECKING:
    from desktop_app.core.reminders.model import Reminder


class ReminderTable(QTreeView):
    """The rows; Enter acts on the current one, Delete dismisses it.

    Signals: `act_requested(object)`, `dismiss_requested(object)` and `reminder_selected(object)`
    (the current row changed) with the `Reminder`.
    """

    act_requested = Signal(object)
    dismiss_requested = Signal(object)
    reminder_selected = Signal(object)

    def __init__(self, model: ReminderModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = model
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setSortRole(SORT_ROLE)
        self.setModel(self.proxy)
        self.setObjectName("reminderTable")
        self.setAccessibleName(self.tr("Reminders due"))
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 140)
        for column in (2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.doubleClicked.connect(lambda _index: self._emit(self.act_requested))
        model.modelReset.connect(self._select_first)
        self.selectionModel().currentRowChanged.connect(
            lambda _current, _previous: self._emit(self.reminder_selected)
        )

    def current(self) -> Reminder | None:
        index = self.currentIndex()
        if not index.isValid():
            return None
        return self.source.reminder(self.proxy.mapToSource(index).row())

    def _select_first(self) -> None:
        if self.proxy.rowCount() and not self.currentIndex().isValid():
            self.setCurrentIndex(self.proxy.index(0, 0))

    def _emit(self, signal: Signal) -> None:  # type: ignore[type-arg]
        reminder = self.current()
        if reminder is not None:
            signal.emit(reminder)  # type: ignore[attr-defined]

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._emit(self.act_requested)
            return
        if event.key() == Qt.Key.Key_Delete:
            self._emit(self.dismiss_requested)
            return
        super().keyPressEvent(event)


class RemindersView(QWidget):
    """A heading with the review batch button over the table, or a plain line when nothing is due.

    Signal: `batch_requested()` ("Approve review requests…").
    """

    batch_requested = Signal()

    def __init__(self, model: ReminderModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("remindersView")
        self.table = ReminderTable(model)
        self.heading = QLabel()
        self.heading.setObjectName("remindersHeading")
        self.batch_button = QPushButton(self.tr("Approve review requests…"))
        self.batch_button.setObjectName("batchReviewButton")
        self.batch_button.clicked.connect(self.batch_requested)
        self.hint = QLabel(self.tr("Enter: write the reply · b: snooze · x or Delete: dismiss"))
        self.hint.setObjectName("remindersHint")
        self.hint.setEnabled(False)
        self.empty = QLabel(self.tr("Nothing is due. Reminders come back here when they fall due."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.table)
        self.pages.addWidget(self.empty)
        top = QHBoxLayout()
        top.setContentsMargins(8, 6, 8, 6)
        top.addWidget(self.heading, 1)
        top.addWidget(self.batch_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(8, 4, 8, 4)
        bottom.addWidget(self.hint)
        layout.addLayout(bottom)
        for signal in (model.modelReset, model.rowsRemoved):
            signal.connect(self._update)
        self._update()

    def _update(self) -> None:
        model = self.table.source
        count = model.rowCount()
        self.heading.setText(self.tr("%n reminder(s) due", "", count))
        self.batch_button.setVisible(len(review_batch.same_day(model.reminders())) > 1)
        self.pages.setCurrentWidget(self.table if count else self.empty)
        self.table.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def focus_table(self) -> None:
        self.table.setFocus()
        if not self.table.currentIndex().isValid() and self.table.proxy.rowCount():
            self.table.setCurrentIndex(self.table.proxy.index(0, 0, QModelIndex()))
