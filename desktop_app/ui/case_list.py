"""The case list in the middle: a tree of cases (their messages below), kept on the same case."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QWidget

from desktop_app.ui.models.case_columns import CUSTOMER, LANGUAGE, LAST_LINE, ORDER, UNREAD, WAITING
from desktop_app.ui.models.case_model import CaseModel


class CaseList(QTreeView):
    """The cases of a queue. Signals: `case_chosen(int)` when the current case changes (-1 for
    none), `case_opened(int)` on Enter or a double click, `first_painted()` the first time rows
    with data are painted (the launch benchmark waits on it)."""

    case_chosen = Signal(int)
    case_opened = Signal(int)
    first_painted = Signal()

    def __init__(self, model: CaseModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setAccessibleName(self.tr("Cases"))
        self.setUniformRowHeights(True)
        self.setAllColumnsShowFocus(True)
        self.setRootIsDecorated(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setExpandsOnDoubleClick(False)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(LAST_LINE, QHeaderView.ResizeMode.Stretch)
        for column, width in (
            (ORDER, 84),
            (CUSTOMER, 140),
            (WAITING, 76),
            (LANGUAGE, 44),
            (UNREAD, 56),
        ):
            header.resizeSection(column, width)
        self._case_id = -1
        self._painted = False
        self.selectionModel().currentChanged.connect(self._current_changed)
        model.modelReset.connect(self._restore)
        model.ids_loaded.connect(self._restore)
        self.doubleClicked.connect(self._open)
        self.viewport().installEventFilter(self)

    def case_model(self) -> CaseModel:
        model = self.model()
        assert isinstance(model, CaseModel)
        return model

    def current_case_id(self) -> int | None:
        return self._case_id if self._case_id >= 0 else None

    def select_case(self, case_id: int) -> None:
        index = self.case_model().case_index(case_id)
        if index.isValid():
            self.setCurrentIndex(index)
            self.scrollTo(index)

    def move(self, step: int) -> None:
        """To the next (1) or previous (-1) case; the first one when none is current."""
        model = self.case_model()
        rows = model.rowCount()
        if not rows:
            return
        current = model.row_of(self._case_id)
        if current + step >= rows and model.canFetchMore(QModelIndex()):
            model.fetchMore(QModelIndex())  # the next rows of a long list
            rows = model.rowCount()
        row = 0 if current < 0 else max(0, min(rows - 1, current + step))
        index = model.index(row, 0)
        self.setCurrentIndex(index)
        self.scrollTo(index)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._case_id >= 0:
            self.case_opened.emit(self._case_id)
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            not self._painted
            and event.type() == QEvent.Type.Paint
            and self.case_model().rowCount()
            and self.case_model().index(0, 0).data(Qt.ItemDataRole.DisplayRole) not in (None, "…")
        ):
            self._painted = True
            self.first_painted.emit()
        return super().eventFilter(watched, event)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        case_id = self.case_model().case_id(current)
        case_id = -1 if case_id is None else case_id
        if case_id != self._case_id:
            self._case_id = case_id
            self.case_chosen.emit(case_id)

    def _restore(self) -> None:
        """After the list changed under us: the same case if it is still there, else the first."""
        model = self.case_model()
        if self._case_id >= 0 and model.row_of(self._case_id) >= 0:
            index = model.case_index(self._case_id)
            if self.currentIndex() != index:
                self.setCurrentIndex(index)
            return
        if model.rowCount():
            self.setCurrentIndex(model.index(0, 0))
        elif self._case_id != -1:
            self._case_id = -1
            self.case_chosen.emit(-1)

    def _open(self, index: QModelIndex) -> None:
        case_id = self.case_model().case_id(index)
        if case_id is not None:
            self.case_opened.emit(case_id)
