"""The main window opens on an empty store and on one with mail, offscreen."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from desktop_app.core.mailbox import Mailbox
from desktop_app.ui.main_window import MainWindow


def _shot(window: MainWindow, name: str) -> None:
    folder = os.environ.get("SHOPDESK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        window.grab().save(str(Path(folder) / f"{name}.png"))


def test_empty_store_invites_to_add_a_mailbox(qtbot: Any, tmp_path: Path) -> None:
    box = Mailbox.open(tmp_path / "s.sqlite3")
    window = MainWindow(box)
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    assert window.windowTitle() == "Shopdesk"
    assert "No mailbox yet" in window.centralWidget().text()
    _shot(window, "main-window-empty")
    box.close()


def test_store_with_mail_shows_counts(qtbot: Any, tmp_path: Path, corpora: Path) -> None:
    box = Mailbox.open(tmp_path / "s.sqlite3")
    box.import_path(corpora / "notmuch" / "corpora" / "default")
    window = MainWindow(box)
    qtbot.addWidget(window)
    assert window.centralWidget().text().startswith("52 messages")
    box.close()
