"""The queue list on the left: names, with the unread / total count drawn at the right."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
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

Index = QModelIndex | QPersistentModelIndex


class QueueDelegate(QStyledItemDelegate):
    """Draws the name (elided when narrow) and its count right-aligned, bold with unread mail."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        count = str(index.data(COUNT_ROLE) or "")
        font = QFont(opt.font)
        font.setBold(bool(index.data(UNREAD_ROLE)))
        count_width = QFontMetrics(font).horizontalAdvance(count) + 16 if count else 0
        opt.text = opt.fontMetrics.elidedText(
            opt.text, Qt.TextElideMode.ElideRight, max(0, opt.rect.width() - count_width - 8)
        )
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        if not count:
            return
        painter.save()
        painter.setFont(font)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(opt.palette.color(role))
        rect = QRect(opt.rect).adjusted(0, 0, -8, 0)
        align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(rect, int(align), count)
        painter.restore()

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        if index.data(HEADER_ROLE):
            placeholder = option.palette.color(QPalette.ColorRole.PlaceholderText)
            option.palette.setColor(QPalette.ColorRole.Text, placeholder)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), max(size.height(), 26))


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
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(150)
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
