"""End to end against a real Dovecot: add the mailbox through the dialog, sync, triage, archive,
then read the server's state as another IMAP client."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop_app.core.mailbox import Mailbox
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.setup_dialog import SetupDialog
from desktop_app.ui.sync_controller import SyncController
from desktop_app.ui.taskman import TaskManager

pytestmark = pytest.mark.servers

TIMEOUT = 30_000


def customer_mail(n: int, sender: str, body: str, subject: str) -> bytes:
    return (
        f"From: {sender}\r\nTo: merchant@shop.test\r\nSubject: {subject}\r\n"
        f"Message-ID: <e2e-{n}@example.com>\r\nDate: Tue, 24 Nov 2026 1{n}:00:00 +0100\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        f"{body}\r\n"
    ).encode()


def shot(widget: Any, name: str) -> None:
    folder = os.environ.get("SHOPDESK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"))


@pytest.fixture
def app_parts(tmp_path: Path) -> Iterator[tuple[TaskManager, Mailbox, SyncController]]:
    tasks = TaskManager()
    box = Mailbox.open(tmp_path / "data" / "shopdesk.sqlite3")
    sync = SyncController(tasks, box)
    yield tasks, box, sync
    sync.stop()
    tasks.shutdown()
    box.close()


def flags_by_message_id(server: Any, folder: str) -> dict[str, set[str]]:
    """Message-ID -> flags of every message in `folder`, read over a separate connection."""
    ids = server.message_ids(folder)
    flags = server.flags(folder)
    return {ids[uid]: flags[uid] for uid in ids}


def test_add_sync_triage_archive_reaches_the_server(
    qtbot: Any, dovecot: Any, app_parts: tuple[TaskManager, Mailbox, SyncController]
) -> None:
    tasks, box, sync = app_parts
    dovecot.append_many(
        "INBOX",
        [
            customer_mail(
                1,
                "Anna Kunde <anna@example.com>",
                "Hello, where is my order #1042? It has been a week.",
                "Where is my order #1042?",
            ),
            customer_mail(
                2,
                "Bob Buyer <bob@example.com>",
                "Thanks, order #1043 arrived fine.",
                "Order #1043 arrived",
            ),
        ],
    )
    window = MainWindow(tasks, box, sync)
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()

    # Add the mailbox through the dialog, as the merchant would.
    window.add_mailbox_action.trigger()
    dialog = window.setup_dialog
    assert isinstance(dialog, SetupDialog)
    qtbot.keyClicks(dialog.email, dovecot.user)
    dialog.imap.host.setText(dovecot.host)
    dialog.imap.set_security("none")
    dialog.imap.port.setValue(dovecot.port)
    dialog.smtp.host.setText(dovecot.host)
    dialog.smtp.set_security("none")
    qtbot.keyClicks(dialog.password, dovecot.password)
    with qtbot.waitSignal(dialog.test_finished, timeout=TIMEOUT) as tested:
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert tested.args == [True], dialog.verdict.text()
    with qtbot.waitSignal(sync.sync_finished, timeout=TIMEOUT) as synced:
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert synced.args == [2]

    # Both cases listed, each with its order number.
    model = window.case_model
    qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: all(model.case_row(i) is not None for i in model.ids), timeout=TIMEOUT)
    by_order = {model.case_row(i).order_number: i for i in model.ids}  # type: ignore[union-attr]
    assert set(by_order) == {"#1042", "#1043"}

    # Triage the first: read, starred, waiting on the customer.
    window.cases.select_case(by_order["#1042"])
    qtbot.waitUntil(lambda: window.conversation.case_id == by_order["#1042"], timeout=TIMEOUT)
    cards = window.conversation.cards
    qtbot.waitUntil(lambda: any(c.view is not None for c in cards.values()), timeout=TIMEOUT)
    assert "where is my order #1042" in list(cards.values())[-1].browser.toPlainText()
    with qtbot.waitActive(window):
        window.activateWindow()
    window.cases.setFocus()

    def press(key: Qt.Key, done: str, shift: bool = False) -> None:
        """A key on the case list, then wait for the change it makes (the read timer may
        report its own change in between)."""
        modifier = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
        with qtbot.waitSignal(
            window.ops.changes_applied,
            timeout=TIMEOUT,
            check_params_cb=lambda changes, _undone: changes.description.startswith(done),
        ):
            qtbot.keyClick(window.cases, key, modifier)

    press(Qt.Key.Key_I, "Marked read", shift=True)
    press(Qt.Key.Key_S, "Starred")
    press(Qt.Key.Key_W, "Marked waiting")
    shot(window, "e2e-main-window")

    # Archive the second with its key.
    window.cases.select_case(by_order["#1043"])
    press(Qt.Key.Key_E, "Archived")
    (first,) = box.views.case_rows([by_order["#1042"]])
    assert (first.status, first.starred, first.unread) == ("waiting", True, 0)

    # The next sync replays the queued operations first.
    with qtbot.waitSignal(sync.sync_finished, timeout=TIMEOUT):
        window.sync_now()
    qtbot.waitUntil(lambda: box.triage.pending_count() == 0, timeout=TIMEOUT)

    inbox = flags_by_message_id(dovecot, "INBOX")
    archive = flags_by_message_id(dovecot, "Archive")
    assert "<e2e-2@example.com>" not in inbox
    assert "<e2e-2@example.com>" in archive
    assert {"\\Seen", "\\Flagged"} <= inbox["<e2e-1@example.com>"]
