"""The reply keys (r, a, f, c) and the Templates and Outbox windows, for the main window."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from desktop_app.ui.composer import UNDO_SECONDS, Composer
from desktop_app.ui.outbox_view import OutboxController, OutboxDialog
from desktop_app.ui.reply_backend import ReplyBackend
from desktop_app.ui.taskman import TaskManager

if TYPE_CHECKING:
    from desktop_app.core.mailbox import Mailbox
    from desktop_app.core.replies.outbox import OutboxInfo


class ReplyActions(QObject):
    """Opens composers (one per case), the template editor and the outbox list.

    Holds the `OutboxController` (its `bar` goes into the window's layout). Signals:
    `message_shown(str)` for the status bar, `reply_joined(int)` with the case a queued
    reply joined (so the conversation and the list show it at once).
    """

    message_shown = Signal(str)
    reply_joined = Signal(int)

    def __init__(
        self,
        tasks: TaskManager,
        mailbox: Mailbox,
        current_case: Callable[[], int | None],
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self.tasks, self.mailbox, self.current_case, self.window = (
            tasks,
            mailbox,
            current_case,
            window,
        )
        self.backend = ReplyBackend(mailbox)
        self.outbox = OutboxController(tasks, mailbox, self)
        self.outbox.status_message.connect(self.message_shown)
        self.composers: dict[int | None, Composer] = {}
        self.dialog: QWidget | None = None

    def handlers(self) -> dict[str, Callable[[], None]]:
        """By action name, as `shortcuts.SHORTCUTS` names them."""
        return {
            "reply": lambda: self.compose("reply"),
            "reply_all": lambda: self.compose("reply_all"),
            "forward": lambda: self.compose("forward"),
            "compose": lambda: self.compose("new"),
        }

    def compose(self, kind: str, case_id: int | None = None) -> Composer | None:
        """Open the composer for `case_id` or the current case (or a new message), or raise the
        open one."""
        if case_id is None:
            case_id = self.current_case() if kind != "new" else None
        if case_id is None and kind != "new":
            self.message_shown.emit(self.tr("Choose a case first."))
            return None
        open_one = self.composers.get(case_id)
        if open_one is not None and open_one.isVisible():
            open_one.raise_()
            open_one.activateWindow()
            return open_one
        composer = Composer(self.tasks, self.backend, case_id, kind, parent=self.window)
        composer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        composer.queued.connect(lambda info, c=composer: self._queued(info, c))
        composer.status_message.connect(self.message_shown)
        composer.destroyed.connect(lambda _o=None, k=case_id: self._forget(k, composer))
        self.composers[case_id] = composer
        composer.show()
        return composer

    def _forget(self, case_id: int | None, composer: Composer) -> None:
        if self.composers.get(case_id) is composer:
            del self.composers[case_id]

    def _queued(self, info: OutboxInfo, composer: Composer) -> None:
        self.outbox.reply_queued(info, composer, UNDO_SECONDS)
        if info.case_id is not None:
            self.reply_joined.emit(info.case_id)

    def open_templates(self) -> None:
        from desktop_app.ui.template_editor import TemplateEditor

        editor = TemplateEditor(self.tasks, self.mailbox, self.current_case(), self.window)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = editor
        editor.open()

    def open_outbox(self) -> None:
        dialog = OutboxDialog(self.outbox, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()

    def waiting_text(self, count: int) -> str:
        return self.tr("%n waiting to send", "", count) if count else ""
