"""One bridge for background work: a database worker, a network worker, results on the GUI thread.

As Anki's taskman: the database worker is a single thread (SQLite has one writer), the network
worker a small pool (one connection per account at a time); whatever a task returns or raises
comes back to the GUI thread through a queued signal, never touching widgets from a worker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal

log = logging.getLogger(__name__)
T = TypeVar("T")
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class TaskManager(QObject):
    """Runs callables off the GUI thread; emits `task_failed` for errors nobody handled.

    Signals: `task_finished` (internal, queued to the GUI thread), `task_failed(str)` with a
    plain message for errors without an `on_error` handler, `busy_changed(int)` with the number
    of tasks still running.
    """

    task_finished = Signal(object)
    task_failed = Signal(str)
    busy_changed = Signal(int)

    def __init__(self, parent: QObject | None = None, network_workers: int = 2) -> None:
        super().__init__(parent)
        self._db = ThreadPoolExecutor(max_workers=1, thread_name_prefix="shopdesk-db")
        self._net = ThreadPoolExecutor(
            max_workers=network_workers, thread_name_prefix="shopdesk-net"
        )
        self._running = 0
        self._closed = False
        self.task_finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def run_db(
        self, fn: Callable[[], T], on_done: Done | None = None, on_error: Failed | None = None
    ) -> Future[T]:
        """Run `fn` on the database worker (one at a time, in submission order)."""
        return self._submit(self._db, fn, on_done, on_error)

    def run_net(
        self, fn: Callable[[], T], on_done: Done | None = None, on_error: Failed | None = None
    ) -> Future[T]:
        """Run `fn` on a network worker (sync, connection tests, sending)."""
        return self._submit(self._net, fn, on_done, on_error)

    @property
    def running(self) -> int:
        return self._running

    def shutdown(self, wait: bool = True) -> None:
        """Stop taking work; wait for what runs (the app does this before closing the store)."""
        self._closed = True
        self._db.shutdown(wait=wait, cancel_futures=True)
        self._net.shutdown(wait=wait, cancel_futures=True)

    def _submit(
        self,
        pool: ThreadPoolExecutor,
        fn: Callable[[], T],
        on_done: Done | None,
        on_error: Failed | None,
    ) -> Future[T]:
        if self._closed:
            raise RuntimeError("the task manager is shut down")
        self._running += 1
        self.busy_changed.emit(self._running)
        future = pool.submit(fn)
        future.add_done_callback(lambda f: self.task_finished.emit((f, on_done, on_error)))
        return future

    def _deliver(self, item: tuple[Future[Any], Done | None, Failed | None]) -> None:
        future, on_done, on_error = item
        self._running -= 1
        self.busy_changed.emit(self._running)
        if future.cancelled() or self._closed:  # the window is going: nobody to tell
            return
        exc = future.exception()
        if exc is None:
            if on_done is not None:
                on_done(future.result())
            return
        if on_error is not None:
            on_error(exc)
            return
        self.task_failed.emit(plain_error(exc))


def plain_error(exc: BaseException, what: str = "background task") -> str:
    """What to tell the merchant: a ShopdeskError says it plainly itself; anything else is a
    bug, logged with its traceback, and named in one translated sentence."""
    from PySide6.QtCore import QCoreApplication

    from desktop_app.core.errors import ShopdeskError

    if isinstance(exc, ShopdeskError):
        return str(exc)
    log.error("%s failed", what, exc_info=exc)
    return QCoreApplication.translate(
        "TaskManager", "Something went wrong: {name}. Details are in the log."
    ).format(name=type(exc).__name__)
