"""Two thin bars of the main window: the demo shop banner and the undo bar."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

UNDO_SHOWN_MS = 12_000


class DemoBanner(QFrame):
    """ "You are looking at a demo shop". Signals: `add_mailbox_clicked()`, `remove_clicked()`."""

    add_mailbox_clicked = Signal()
    remove_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("demoBanner")
        self.setAccessibleName(self.tr("Demo shop"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        self.label = QLabel(
            self.tr(
                "<b>You are looking at a demo shop.</b> Its mail is made up; "
                "try anything, nothing is sent."
            )
        )
        layout.addWidget(self.label, 1)
        self.add_button = QPushButton(self.tr("Add your mailbox"))
        self.remove_button = QPushButton(self.tr("Remove demo"))
        self.remove_button.setAccessibleDescription(
            self.tr("Removes the demo shop and all its mail")
        )
        layout.addWidget(self.add_button)
        layout.addWidget(self.remove_button)
        self.add_button.clicked.connect(self.add_mailbox_clicked)
        self.remove_button.clicked.connect(self.remove_clicked)


class UndoBar(QFrame):
    """ "Archived 1 case — Undo", for a while after each action. Signal: `undo_clicked()`."""

    undo_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("undoBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 12, 4)
        self.label = QLabel()
        self.label.setAccessibleName(self.tr("Last action"))
        layout.addWidget(self.label, 1)
        self.button = QPushButton(self.tr("Undo (z)"))
        self.button.setAccessibleName(self.tr("Undo"))
        layout.addWidget(self.button)
        self.button.clicked.connect(self.undo_clicked)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def show_message(self, text: str, undoable: bool) -> None:
        self.label.setText(text)
        self.button.setVisible(undoable)
        self.show()
        self._timer.start(UNDO_SHOWN_MS)
