"""The main window: layout and wiring only (cases and conversation come with the UI issue)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow

from desktop_app.core.mailbox import Mailbox


class MainWindow(QMainWindow):
    """Shows what the store holds; a placeholder until the triage UI lands."""

    def __init__(self, mailbox: Mailbox) -> None:
        super().__init__()
        self.mailbox = mailbox
        self.setWindowTitle(self.tr("Shopdesk"))
        self.resize(1000, 650)
        stats = mailbox.stats()
        text = self.tr("{messages} messages in {folders} folders").format(**stats)
        if not stats["accounts"]:
            text = self.tr("No mailbox yet: add one with `shopdesk account add`.")
        label = QLabel(text)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setCentralWidget(label)
