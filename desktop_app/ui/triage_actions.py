"""What the triage keys and the Case menu do to the current case: ask where needed, then act."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from desktop_app.ui import dialogs, operations
from desktop_app.ui.case_list import CaseList
from desktop_app.ui.models.queue_model import QueueModel
from desktop_app.ui.operations import OpRunner


class TriageActions(QObject):
    """Turns a key into an operation on the case list's current case.

    Signal: `message_shown(str)` for the status bar ("Choose a case first.").
    """

    message_shown = Signal(str)

    def __init__(
        self,
        ops: OpRunner,
        cases: CaseList,
        queues: QueueModel,
        clock: Callable[[], datetime],
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self.ops, self.cases, self.queues, self.clock, self.window = (
            ops,
            cases,
            queues,
            clock,
            window,
        )

    def handlers(self) -> dict[str, Callable[[], None]]:
        """By action name, as `shortcuts.SHORTCUTS` names them."""
        ops = self.ops
        return {
            "archive": lambda: self._on_current(lambda ids: operations.archive(ops, ids)),
            "delete": lambda: self._on_current(lambda ids: operations.delete(ops, ids)),
            "star": self.toggle_star,
            "mark_read": lambda: self._on_current(lambda ids: operations.mark_read(ops, ids, True)),
            "mark_unread": lambda: self._on_current(
                lambda ids: operations.mark_read(ops, ids, False)
            ),
            "reopen": lambda: self._status("open"),
            "waiting": lambda: self._status("waiting"),
            "done": lambda: self._status("done"),
            "snooze": self.snooze,
            "tags": self.edit_tags,
            "note": self.add_note,
            "undo": self.undo,
        }

    def _on_current(self, act: Callable[[list[int]], None]) -> None:
        case_id = self.cases.current_case_id()
        if case_id is None:
            self.message_shown.emit(self.tr("Choose a case first."))
            return
        act([case_id])

    def _status(self, status: str) -> None:
        self._on_current(lambda ids: operations.set_status(self.ops, ids, status))

    def toggle_star(self) -> None:
        def act(ids: list[int]) -> None:
            row = self.cases.case_model().case_row(ids[0])
            operations.star(self.ops, ids, not (row is not None and row.starred))

        self._on_current(act)

    def snooze(self) -> None:
        def act(ids: list[int]) -> None:
            until = dialogs.ask_snooze(self.window, self.clock())
            if until is not None:
                operations.snooze(self.ops, ids, until)

        self._on_current(act)

    def edit_tags(self) -> None:
        def act(ids: list[int]) -> None:
            row = self.cases.case_model().case_row(ids[0])
            answer = dialogs.ask_tags(self.window, row.tags if row else (), self.queues.tags())
            if answer is not None:
                operations.set_tags(self.ops, ids, *answer)

        self._on_current(act)

    def add_note(self) -> None:
        def act(ids: list[int]) -> None:
            body = dialogs.ask_note(self.window)
            if body:
                operations.add_note(self.ops, ids[0], body)

        self._on_current(act)

    def undo(self) -> None:
        if not self.ops.undo():
            self.message_shown.emit(self.tr("Nothing to undo."))
