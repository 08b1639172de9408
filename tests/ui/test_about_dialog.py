"""Help → About Shopdesk: name, version, Qt/PySide/Python versions, data folder, licence."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QLabel

from desktop_app import __version__
from desktop_app.core.mailbox import Mailbox
from desktop_app.ui.about_dialog import AboutDialog
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.taskman import TaskManager


def test_the_about_box_says_what_runs_and_where_the_data_is(qtbot: Any, tmp_path: Path) -> None:
    dialog = AboutDialog(tmp_path / "Shop data")
    qtbot.addWidget(dialog)
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert f"Shopdesk {__version__}" in texts
    python = ".".join(map(str, sys.version_info[:3]))
    assert f"Qt {qVersion()} · PySide6 {PySide6.__version__} · Python {python}" in texts
    assert str(tmp_path / "Shop data") in dialog.data_folder.text()
    assert "LGPLv3" in texts
    icon = dialog.findChildren(QLabel)[0].pixmap()
    assert not icon.isNull() and icon.width() == 96


def test_the_help_menu_offers_it(qtbot: Any, empty_box: Mailbox, tasks: TaskManager) -> None:
    window = MainWindow(tasks, empty_box)
    qtbot.addWidget(window)
    help_menu = window.menuBar().actions()[-1].menu()
    titles = [action.text() for action in help_menu.actions()]
    assert "&About Shopdesk" in titles
