"""The edges the UI does not own: the system's URL handler, file pickers, yes/no questions.

Kept in one module so tests replace them (monkeypatch) instead of opening a browser or a
modal dialog; widgets call them as `external.open_url(...)`.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget


def tr(text: str) -> str:
    return QCoreApplication.translate("external", text)


def open_url(url: QUrl) -> bool:
    """Hand a web address or a local file to the system (browser, PDF viewer, ...)."""
    return QDesktopServices.openUrl(url)


def confirm(parent: QWidget | None, title: str, text: str, yes: str) -> bool:
    """A yes/no question whose safe answer (No) is the default."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    ok = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is ok


def choose_folder(parent: QWidget | None, title: str) -> str:
    """A folder picked by the merchant, "" when cancelled."""
    return QFileDialog.getExistingDirectory(parent, title)
