"""Help → About Shopdesk: the version, Qt, PySide and Python versions, the data folder, licence."""

from __future__ import annotations

import sys
from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QAction, QDesktopServices, QIcon
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMenu, QVBoxLayout, QWidget

from desktop_app import __version__
from desktop_app.core.paths import resources_dir

LICENCE = (
    "Proprietary software. Built with Qt for Python (PySide6, LGPLv3), Python (PSF licence) "
    "and other open-source libraries under their own licences."
)


class AboutDialog(QDialog):
    """Who we are and what we run on; the data folder opens in the file manager when clicked."""

    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About Shopdesk"))
        self.setObjectName("aboutDialog")
        icon = QLabel()
        icon.setPixmap(QIcon(str(resources_dir() / "icons" / "shopdesk.png")).pixmap(96, 96))
        icon.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        name = QLabel(f"<h2>Shopdesk {__version__}</h2>")
        name.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        tagline = QLabel(self.tr("A help desk for people who run an online shop alone."))
        tagline.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        python = ".".join(map(str, sys.version_info[:3]))
        self.versions = QLabel(
            self.tr("Qt %1 · PySide6 %2 · Python %3")
            .replace("%1", qVersion())
            .replace("%2", PySide6.__version__)
            .replace("%3", python)
        )
        self.versions.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.versions.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        url = QUrl.fromLocalFile(str(data_dir)).toString()
        self.data_folder = QLabel(
            self.tr("Your data: %1").replace("%1", f'<a href="{url}">{_escape(str(data_dir))}</a>')
        )
        self.data_folder.setTextFormat(Qt.TextFormat.RichText)
        self.data_folder.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.data_folder.linkActivated.connect(lambda link: QDesktopServices.openUrl(QUrl(link)))
        self.data_folder.setWordWrap(True)
        licence = QLabel(self.tr(LICENCE))
        licence.setWordWrap(True)
        licence.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        licence.setObjectName("licence")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (icon, name, tagline, self.versions, self.data_folder, licence):
            layout.addWidget(widget)
        layout.addSpacing(6)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def add_about_action(menu: QMenu, data_dir: Path, parent: QWidget) -> QAction:
    """Help → About Shopdesk (on macOS Qt moves it into the application menu)."""
    action = QAction(parent.tr("&About Shopdesk"), parent)
    action.setMenuRole(QAction.MenuRole.AboutRole)
    action.triggered.connect(lambda: AboutDialog(data_dir, parent).exec())
    menu.addAction(action)
    return action
