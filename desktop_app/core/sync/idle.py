"""IDLE watcher: keep one folder current, renew IDLE, reconnect with backoff after drops."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import imapclient.exceptions

from desktop_app.core.accounts.settings import AccountSettings
from desktop_app.core.errors import AuthenticationFailed, ConnectionFailed, ServerError
from desktop_app.core.store.db import Store
from desktop_app.core.sync.account import AccountSync, PasswordSource, SyncReport, keyring_password

log = logging.getLogger(__name__)

CHANGE_RESPONSES = {b"EXISTS", b"EXPUNGE", b"FETCH", b"VANISHED", b"RECENT"}


@dataclass(frozen=True, slots=True)
class IdleSettings:
    """Timing of the watcher; renewing well inside the 29 minutes servers allow."""

    renew_s: float = 600.0
    check_s: float = 1.0
    poll_without_idle_s: float = 60.0
    backoff_first_s: float = 1.0
    backoff_max_s: float = 60.0


class IdleWatcher:
    """Runs in its own thread with its own connection; calls `on_report` after every sync."""

    def __init__(
        self,
        store: Store,
        settings: AccountSettings,
        folder: str = "INBOX",
        on_report: Callable[[SyncReport], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
        password: PasswordSource = keyring_password,
        timing: IdleSettings = IdleSettings(),
    ) -> None:
        self.syncer = AccountSync(store, settings, password=password)
        self.folder = folder
        self.on_report = on_report or (lambda _r: None)
        self.on_error = on_error or (lambda _e: None)
        self.timing = timing
        self._stop = threading.Event()
        self.connected = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def run(self) -> None:
        """Sync everything, then watch; return when stop() is called or the login is refused."""
        delay = self.timing.backoff_first_s
        full_sync = True
        while not self._stop.is_set():
            try:
                self.on_report(
                    self.syncer.sync() if full_sync else self.syncer.sync(only=[self.folder])
                )
                full_sync = False
                delay = self.timing.backoff_first_s
                self._watch_until_change()
            except AuthenticationFailed as exc:
                self.on_error(exc)
                return
            except (ConnectionFailed, ServerError, OSError) as exc:
                log.warning("watcher: %s; reconnecting in %.0f s", exc, delay)
                self.on_error(exc if isinstance(exc, Exception) else ConnectionFailed(str(exc)))
                self.syncer.close()
                self.connected.clear()
                full_sync = True
                self._stop.wait(delay * random.uniform(0.8, 1.2))
                delay = min(delay * 2, self.timing.backoff_max_s)
        self.syncer.close()

    def _arrived_since_sync(self, info: dict[bytes, object]) -> bool:
        uidnext = info.get(b"UIDNEXT")
        if not isinstance(uidnext, int):
            return False
        stored = _stored_uidnext(self.syncer.store, self.syncer.settings.id, self.folder)
        return stored is not None and uidnext > stored

    def _watch_until_change(self) -> None:
        """Return when the folder changed (or IDLE needs renewing), raise on a dropped link."""
        client = self.syncer.client
        if client is None:
            raise ConnectionFailed("not connected")
        try:
            info = client.select_folder(self.folder, readonly=True)
            self.connected.set()
            if self._arrived_since_sync(info):
                return  # mail came between the sync and this SELECT: IDLE would not tell
            if "IDLE" not in self.syncer.caps:
                self._stop.wait(self.timing.poll_without_idle_s)
                return
            client.idle()
            started = time.monotonic()
            changed = False
            while not self._stop.is_set() and not changed:
                t0 = time.monotonic()
                responses = client.idle_check(timeout=self.timing.check_s)
                changed = any(_is_change(r) for r in responses)
                quick = not responses and time.monotonic() - t0 < self.timing.check_s / 2
                if quick or time.monotonic() - started > self.timing.renew_s:
                    break  # EOF makes idle_check return at once: DONE below finds out
            client.idle_done()
        except (OSError, EOFError, imapclient.exceptions.IMAPClientAbortError) as exc:
            raise ConnectionFailed(f"the connection dropped ({exc or 'closed'})") from None
        except imapclient.exceptions.IMAPClientError as exc:
            raise ServerError(f"the server refused IDLE on {self.folder} ({exc})") from None


def _stored_uidnext(store: Store, account_id: int | None, folder: str) -> int | None:
    from sqlalchemy import select

    from desktop_app.core.store.models import Folder

    with store.session() as s:
        return s.scalar(
            select(Folder.uidnext).where(Folder.account_id == account_id, Folder.name == folder)
        )


def _is_change(response: object) -> bool:
    return isinstance(response, tuple) and len(response) >= 2 and response[1] in CHANGE_RESPONSES


def watch_account(
    store: Store,
    settings: AccountSettings,
    folder: str = "INBOX",
    on_report: Callable[[SyncReport], None] | None = None,
) -> None:
    """Run a watcher in the calling thread until interrupted."""
    watcher = IdleWatcher(
        store, settings, folder, on_report=on_report, on_error=lambda e: log.warning("%s", e)
    )
    try:
        watcher.run()
    finally:
        watcher.stop()
