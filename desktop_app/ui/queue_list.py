"""The queue list on the left: names, with the unread / total count drawn at the right."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from desktop_app.ui.models.queue_model import (
    COUNT_ROLE,
    HEADER_ROLE,
    KEY_ROLE,
    UNREAD_ROLE,
    QueueModel,
)


class QueueDelegate(QStyledItemDelegate):
    """Draws the item as usual, then its count right-aligned (bold when there is unread mail)."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        super().paint(painter, option, index)
        count = index.data(COUNT_ROLE)
        if not count:
            return
        painter.save()
        font = QFont(option.font)
        font.setBold(bool(index.data(UNREAD_ROLE)))
        painter.setFont(font)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = (
            option.palette.ColorRole.HighlightedText if selected else option.palette.ColorRole.Text
        )
        painter.setPen(option.palette.color(role))
        rect = QRect(option.rect).adjusted(0, 0, -8, 0)
        painter.drawText(
            rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), count
        )
        painter.restore()

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        if index.data(HEADER_ROLE):
            option.palette.setColor(
                option.palette.ColorRole.Text,
                option.palette.color(option.palette.ColorRole.PlaceholderText),
            )

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + 48, max(size.height(), 26))


class QueueList(QListView):
    """The queues; emits `queue_chosen(str)` with the key of the queue the merchant picked."""

    queue_chosen = Signal(str)

    def __init__(self, model: QueueModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setItemDelegate(QueueDelegate(self))
        self.setAccessibleName(self.tr("Queues"))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setUniformItemSizes(False)
        self._key = "open"
        self.selectionModel().currentChanged.connect(self._current_changed)
        model.modelReset.connect(self._reselect)

    @property
    def key(self) -> str:
        return self._key

    def choose(self, key: str) -> None:
        row = self._queues().row_of(key)
        self._key = key
        if row >= 0:
            self.setCurrentIndex(self.model().index(row, 0))
        self.queue_chosen.emit(key)

    def _queues(self) -> QueueModel:
        model = self.model()
        assert isinstance(model, QueueModel)
        return model

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        key = current.data(KEY_ROLE) if current.isValid() else None
        if key and key != self._key:
            self._key = key
            self.queue_chosen.emit(key)

    def _reselect(self) -> None:
        row = self._queues().row_of(self._key)
        if row >= 0:
            blocked = self.selectionModel().blockSignals(True)
            self.setCurrentIndex(self.model().index(row, 0))
            self.selectionModel().blockSignals(blocked)
