"""Sync in the background: every mail account on the network worker, now and every few minutes."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from desktop_app.core.accounts.oauth import SignInExpired
from desktop_app.core.accounts.settings import AccountSettings
from desktop_app.core.errors import CertificateError, ConnectionFailed
from desktop_app.core.mailbox import Mailbox
from desktop_app.core.sync.account import SyncReport
from desktop_app.ui.taskman import TaskManager, plain_error

log = logging.getLogger(__name__)
INTERVAL_MS = 5 * 60 * 1000
PROGRESS_EVERY_S = 0.15


class SyncController(QObject):
    """Syncs the accounts one after another (sync replays queued triage first).

    Writes from sync and from the database worker meet in SQLite, which lets one writer in
    at a time (WAL, busy timeout in `core/store/db.py`); sync commits in batches, so the
    database worker waits at most a batch, and the GUI thread never waits at all.

    Signals: `sync_started()`, `sync_progressed(str)` with a line for the status bar,
    `sync_finished(int)` with the number of new messages, `sync_failed(str)` with a plain
    message, `offline_changed(bool)` when the server became unreachable or reachable again,
    `sign_in_expired(AccountSettings)` for a mailbox whose Google or Microsoft sign-in must
    be renewed (instead of `sync_failed`).
    """

    sync_started = Signal()
    sync_progressed = Signal(str)
    sync_finished = Signal(int)
    sync_failed = Signal(str)
    offline_changed = Signal(bool)
    sign_in_expired = Signal(object)
    _progress = Signal(str, str, int, int)  # from a worker thread: account, folder, done, total

    def __init__(self, tasks: TaskManager, mailbox: Mailbox, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.mailbox = mailbox
        self.running = False
        self.offline = False
        self._again = False
        self._new = 0
        self._errors: list[BaseException] = []
        self._expired: list[AccountSettings] = []
        self.last_ok = True  # the last sync reached every account without an error
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.sync_now)
        self._progress.connect(self._show_progress)

    def start(self, interval_ms: int = INTERVAL_MS) -> None:
        """Sync now, then every `interval_ms`."""
        self._timer.start(interval_ms)
        self.sync_now()

    def stop(self) -> None:
        self._timer.stop()

    def sync_now(self) -> None:
        """Start a sync of every mail account, or one more right after the running one."""
        if self.running:
            self._again = True
            return
        self.running = True
        self._new, self._errors, self._expired = 0, [], []
        self.sync_started.emit()
        self.tasks.run_db(self.mailbox.mail_accounts, self._sync_accounts, self._account_error)

    def _sync_accounts(self, accounts: list[AccountSettings]) -> None:
        if not accounts:
            self._finish()
            return
        first, rest = accounts[0], accounts[1:]
        mailbox, progress = self.mailbox, self._reporter(first.name)

        def next_one(report: SyncReport | None) -> None:
            if report is not None:
                self._new += report.new_messages
            self._sync_accounts(rest)

        def failed(exc: BaseException) -> None:
            self._errors.append(exc)
            if isinstance(exc, SignInExpired):
                self._expired.append(first)
            next_one(None)

        self.tasks.run_net(lambda: mailbox.sync_account(first, progress), next_one, failed)

    def _reporter(self, account: str) -> Callable[[str, int, int], None]:
        """A progress callback for the worker thread: throttled, handed over by a signal."""
        last = [0.0]

        def progress(folder: str, done: int, total: int) -> None:
            now = time.monotonic()
            if done >= total or now - last[0] >= PROGRESS_EVERY_S:
                last[0] = now
                self._progress.emit(account, folder, done, total)

        return progress

    def _show_progress(self, account: str, folder: str, done: int, total: int) -> None:
        self.sync_progressed.emit(
            self.tr("Syncing {account}: {folder} {done} of {total}").format(
                account=account, folder=folder, done=done, total=total
            )
        )

    def _account_error(self, exc: BaseException) -> None:
        self._errors.append(exc)
        self._finish()

    def _finish(self) -> None:
        self.running = False
        self.last_ok = not self._errors
        network = [e for e in self._errors if is_network_error(e)]
        offline = bool(network) and len(network) == len(self._errors)
        if offline != self.offline:
            self.offline = offline
            self.offline_changed.emit(offline)
        for exc in self._errors:
            if not is_network_error(exc) and not isinstance(exc, SignInExpired):
                self.sync_failed.emit(plain(exc))
        for settings in self._expired:
            self.sign_in_expired.emit(settings)
        self.sync_finished.emit(self._new)
        if self._again:
            self._again = False
            self.sync_now()


def is_network_error(exc: BaseException) -> bool:
    """The server could not be reached (not: it refused us, or its certificate is wrong)."""
    return isinstance(exc, ConnectionFailed | OSError) and not isinstance(exc, CertificateError)


def plain(exc: BaseException) -> str:
    return plain_error(exc, "sync")
