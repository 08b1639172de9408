"""Background sync: progress on the GUI thread, the offline flag, one more run when asked twice."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from PySide6.QtCore import QObject, Signal

from desktop_app.core.accounts.settings import AccountSettings, ServerSettings
from desktop_app.core.errors import AuthenticationFailed, ConnectionFailed
from desktop_app.core.mailbox import Mailbox
from desktop_app.core.sync.account import SyncReport
from desktop_app.core.sync.engine import FolderReport
from desktop_app.ui.sync_controller import SyncController
from desktop_app.ui.taskman import TaskManager

SHOP = AccountSettings(
    "shop", "me@example.com", "me", ServerSettings("imap.example.com", 993, "ssl")
)


class FakeServer:
    """Stands in for `Mailbox.sync_account`: reports progress, then succeeds or fails."""

    def __init__(self) -> None:
        self.failure: BaseException | None = None
        self.threads: list[int] = []
        self.release = threading.Event()
        self.release.set()

    def sync_account(self, settings: AccountSettings, progress: Any) -> SyncReport:
        self.threads.append(threading.get_ident())
        self.release.wait(10)
        for done in range(1, 4):
            progress("INBOX", done, 3)
        if self.failure is not None:
            raise self.failure
        return SyncReport(settings.name, [FolderReport("INBOX", new_messages=3)])


@pytest.fixture
def server(empty_box: Mailbox, monkeypatch: Any) -> FakeServer:
    fake = FakeServer()
    monkeypatch.setattr(empty_box, "mail_accounts", lambda: [SHOP])
    monkeypatch.setattr(empty_box, "sync_account", fake.sync_account)
    return fake


def test_progress_and_result_come_back_on_the_gui_thread(
    qtbot: Any, tasks: TaskManager, empty_box: Mailbox, server: FakeServer
) -> None:
    sync = SyncController(tasks, empty_box)
    lines: list[str] = []
    sync.sync_progressed.connect(lines.append)
    with qtbot.waitSignal(sync.sync_finished) as finished:
        sync.sync_now()
    assert finished.args == [3]
    assert server.threads and server.threads[0] != threading.get_ident()
    assert lines[-1] == "Syncing shop: INBOX 3 of 3"
    assert not sync.running and not sync.offline


def test_offline_then_online_again(
    qtbot: Any, tasks: TaskManager, empty_box: Mailbox, server: FakeServer
) -> None:
    sync = SyncController(tasks, empty_box)
    server.failure = ConnectionFailed("imap.example.com could not be reached.")
    with qtbot.waitSignal(sync.offline_changed) as went:
        sync.sync_now()
    assert went.args == [True]
    server.failure = None
    with qtbot.waitSignal(sync.offline_changed) as came:
        sync.sync_now()
    assert came.args == [False]


def test_a_refused_login_is_a_plain_message_not_offline(
    qtbot: Any, tasks: TaskManager, empty_box: Mailbox, server: FakeServer
) -> None:
    sync = SyncController(tasks, empty_box)
    server.failure = AuthenticationFailed("The server refused the password for me.")
    with qtbot.waitSignal(sync.sync_failed) as failed, qtbot.assertNotEmitted(sync.offline_changed):
        sync.sync_now()
    assert failed.args == ["The server refused the password for me."]


def test_asking_while_syncing_runs_once_more_after(
    qtbot: Any, tasks: TaskManager, empty_box: Mailbox, server: FakeServer
) -> None:
    sync = SyncController(tasks, empty_box)
    server.release.clear()
    sync.sync_now()
    sync.sync_now()
    sync.sync_now()
    assert sync.running
    server.release.set()
    with qtbot.waitSignals([sync.sync_finished, sync.sync_finished], timeout=10_000):
        pass
    qtbot.waitUntil(lambda: not sync.running)
    assert len(server.threads) == 2


def test_periodic_sync(
    qtbot: Any, tasks: TaskManager, empty_box: Mailbox, server: FakeServer
) -> None:
    sync = SyncController(tasks, empty_box)
    with qtbot.waitSignal(sync.sync_finished):
        sync.start(interval_ms=50)
    with qtbot.waitSignal(sync.sync_finished):  # the timer's turn
        pass
    sync.stop()
    assert len(server.threads) >= 2


def test_an_expired_sign_in_asks_to_sign_in_again_instead_of_a_message(
    qtbot: Any, tasks: TaskManager, empty_box: Mailbox, server: FakeServer
) -> None:
    from desktop_app.core.accounts.oauth import SignInExpired
    from desktop_app.ui.sign_in_bar import SignInBar

    sync = SyncController(tasks, empty_box)
    bar = SignInBar(tasks, make_dialog=FakeSignInDialog)
    qtbot.addWidget(bar)
    sync.sign_in_expired.connect(bar.expired)
    renewed: list[str] = []
    bar.signed_in_again.connect(renewed.append)
    server.failure = SignInExpired("Your Google sign-in for me@example.com has expired.")
    with qtbot.waitSignal(sync.sign_in_expired) as expired, qtbot.assertNotEmitted(
        sync.sync_failed
    ):
        sync.sync_now()
    assert expired.args == [SHOP]
    assert bar.isVisibleTo(bar.window()) and "me@example.com" in bar.label.text()
    bar.button.click()
    assert FakeSignInDialog.opened == [SHOP]
    FakeSignInDialog.last.signed_in_again.emit("shop")  # the browser sign-in went through
    assert renewed == ["shop"] and not bar.isVisibleTo(bar.window())


class FakeSignInDialog(QObject):
    """Stands in for SignInAgainDialog (which opens a browser): records what it was opened for."""

    signed_in_again = Signal(str)
    opened: list[AccountSettings] = []
    last: FakeSignInDialog

    def __init__(self, tasks: TaskManager, settings: AccountSettings, parent: Any = None) -> None:
        super().__init__()
        FakeSignInDialog.opened.append(settings)
        FakeSignInDialog.last = self

    def open(self) -> None:
        pass

    def isVisible(self) -> bool:
        return False
