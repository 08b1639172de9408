"""Composition root: builds the core, the QApplication and the main window."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from desktop_app import __version__
from desktop_app.core.errors import ShopdeskError
from desktop_app.core.mailbox import Mailbox
from desktop_app.core.paths import default_data_dir, store_path


def main(argv: Sequence[str] | None = None) -> int:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop_app.ui.main_window import MainWindow

    app = QApplication(list(argv) if argv is not None else sys.argv)
    app.setApplicationName("Shopdesk")
    app.setApplicationVersion(__version__)
    try:
        mailbox = Mailbox.open(store_path(default_data_dir()))
    except ShopdeskError as exc:
        QMessageBox.critical(None, "Shopdesk", str(exc))
        return 1
    window = MainWindow(mailbox)
    window.show()
    try:
        return app.exec()
    finally:
        mailbox.close()
