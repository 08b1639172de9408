"""Triage from the UI, as small operations: run the core call in the background, then apply.

As Anki's `aqt/operations`: each operation is a line or two; the `OpRunner` runs it on the
database worker and announces the `Changes`, which the window turns into repaints of just the
rows and queues concerned. Undo tokens are kept here, newest last.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import QObject, Signal

from desktop_app.core.triage import Changes, Triage
from desktop_app.ui.taskman import TaskManager, plain_error

log = logging.getLogger(__name__)
Op = Callable[[Triage], Changes]
DID, UNDID, QUIET = "did", "undid", "quiet"  # how a change came about (changes_applied)


class OpRunner(QObject):
    """Runs triage operations one after another on the database worker.

    Signals: `changes_applied(Changes, str)` after an operation, with how it came about: DID
    (the merchant did it: worth an undo bar), UNDID (an undo) or QUIET (done for the merchant,
    such as marking an opened case read: no bar, no undo entry); `op_failed(str)` with a plain
    message.
    """

    changes_applied = Signal(object, str)
    op_failed = Signal(str)

    def __init__(self, tasks: TaskManager, triage: Triage, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.triage = triage
        self.undo_tokens: list[str] = []

    def run(self, op: Op, *, quiet: bool = False) -> None:
        triage, mode = self.triage, QUIET if quiet else DID
        self.tasks.run_db(lambda: op(triage), lambda changes: self._done(changes, mode), self._fail)

    def undo(self) -> bool:
        """Undo the newest undoable operation; False when there is none."""
        if not self.undo_tokens:
            return False
        token, triage = self.undo_tokens.pop(), self.triage
        self.tasks.run_db(
            lambda: triage.undo(token), lambda changes: self._done(changes, UNDID), self._fail
        )
        return True

    def _done(self, changes: Changes, mode: str) -> None:
        if mode == DID and changes.undo_token:
            self.undo_tokens.append(changes.undo_token)
            del self.undo_tokens[:-50]
        self.changes_applied.emit(changes, mode)

    def _fail(self, exc: BaseException) -> None:
        self.op_failed.emit(plain_error(exc, "triage"))


def set_status(ops: OpRunner, case_ids: Sequence[int], status: str) -> None:
    ids = list(case_ids)
    ops.run(lambda t: t.set_status(ids, status))


def archive(ops: OpRunner, case_ids: Sequence[int]) -> None:
    ids = list(case_ids)
    ops.run(lambda t: t.archive(ids))


def delete(ops: OpRunner, case_ids: Sequence[int]) -> None:
    ids = list(case_ids)
    ops.run(lambda t: t.delete(ids))


def star(ops: OpRunner, case_ids: Sequence[int], starred: bool) -> None:
    ids = list(case_ids)
    ops.run(lambda t: t.star(ids, starred))


def mark_read(ops: OpRunner, case_ids: Sequence[int], seen: bool, quiet: bool = False) -> None:
    """`quiet`: the reading pane marking what was opened, not worth an undo entry."""
    ids = list(case_ids)
    ops.run(lambda t: t.mark_read(ids, seen), quiet=quiet)


def snooze(ops: OpRunner, case_ids: Sequence[int], until: datetime) -> None:
    ids = list(case_ids)
    ops.run(lambda t: t.snooze(ids, until))


def set_tags(
    ops: OpRunner, case_ids: Sequence[int], add: Sequence[str], remove: Sequence[str]
) -> None:
    ids, added, removed = list(case_ids), list(add), list(remove)
    ops.run(lambda t: t.set_tags(ids, added, removed))


def add_note(ops: OpRunner, case_id: int, body: str) -> None:
    ops.run(lambda t: t.add_note(case_id, body))
