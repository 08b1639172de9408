"""The Due list's behaviour: reading what is due, acting on, snoozing and dismissing reminders."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from desktop_app.ui import dialogs
from desktop_app.ui.dates import local_time
from desktop_app.ui.models.reminder_model import ReminderModel
from desktop_app.ui.taskman import TaskManager, plain_error

if TYPE_CHECKING:
    from desktop_app.core.mailbox import Mailbox
    from desktop_app.core.reminders.model import Reminder
    from desktop_app.ui.composer import Composer
    from desktop_app.ui.reply_actions import ReplyActions

REFRESH_MS = 60_000  # the due list read again every minute


class ReminderActions(QObject):
    """Holds the Due list's model and keeps it current; all store work on the database worker.

    Signals: `due_loaded(list)` with the reminders due now (newest first), `message_shown(str)`
    for the status bar, `case_opened(int)` when acting on a reminder opens its case,
    `composer_opened(object)` with the `Composer` holding the reminder's draft.
    """

    due_loaded = Signal(list)
    message_shown = Signal(str)
    case_opened = Signal(int)
    composer_opened = Signal(object)

    def __init__(
        self,
        tasks: TaskManager,
        mailbox: Mailbox,
        replies: ReplyActions,
        clock: Callable[[], datetime],
        window: QWidget,
        dialog_hook: dialogs.DialogHook | None = None,
    ) -> None:
        super().__init__(window)
        self.tasks, self.mailbox, self.replies, self.clock, self.window = (
            tasks,
            mailbox,
            replies,
            clock,
            window,
        )
        self.dialog_hook = dialog_hook  # tests drive the snooze dialog through it
        self.model = ReminderModel(clock, self)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.load)
        self._stopped = False
        self.last_put_away: Reminder | None = None  # the last one snoozed or dismissed (undo)

    def start(self) -> None:
        """Read the due list again every minute (the window reads it too, with the queues)."""
        self.timer.start()

    def stop(self) -> None:
        self._stopped = True
        self.timer.stop()

    # -- reading
    def load(self) -> None:
        """Read what is due now; the model and `due_loaded` follow."""
        if self._stopped:
            return
        reminders, now = self.mailbox.reminders, self.clock()
        self.tasks.run_db(lambda: reminders.due(now), self._arrived, self._failed)

    def _arrived(self, due: list[Reminder]) -> None:
        if self._stopped:
            return
        self.model.set_reminders(due)
        self.due_loaded.emit(due)

    def _failed(self, exc: BaseException) -> None:
        self.message_shown.emit(
            self.tr("Reminders could not be read: {error}").format(
                error=plain_error(exc, "reading reminders")
            )
        )

    def count(self) -> int:
        return self.model.rowCount()

    # -- acting
    def act(self, reminder: Reminder) -> Composer | None:
        """Open the reminder's case and a draft from its template (previewed, never sent here)."""
        if reminder.case_id is not None:
            self.case_opened.emit(reminder.case_id)
        kind = "reply" if reminder.case_id is not None else "new"
        composer = self.replies.compose(kind, case_id=reminder.case_id)
        if composer is None:
            return None
        key, template = reminder.key, reminder.template_key

        def fill() -> None:
            draft = composer.base
            email = reminder.customer_email
            if email and (draft is None or email.lower() not in [a.lower() for a in draft.to]):
                composer.to_edit.setText(email)  # a case of platform notices: to the customer
            if template and composer.template_key != template:
                composer.insert_template(template)

        if composer.base is not None:
            fill()
        else:
            composer.ready.connect(fill)
        composer.queued.connect(lambda _info: self.mark_done(key))
        self.composer_opened.emit(composer)
        return composer

    def mark_done(self, key: str) -> None:
        """A reply went out for the reminder: it leaves the list."""
        reminders = self.mailbox.reminders
        self.tasks.run_db(lambda: reminders.done(key), lambda _n: self._gone(key, ""))

    def snooze(self, reminder: Reminder) -> None:
        until = dialogs.ask_snooze(self.window, self.clock(), self.dialog_hook)
        if until is None:
            return
        reminders, key = self.mailbox.reminders, reminder.key
        when = local_time(until)
        self.tasks.run_db(
            lambda: reminders.snooze(key, until),
            lambda _n: self._gone(
                key,
                self.tr("Snoozed until {when}: {title} (z: undo)").format(
                    when=when, title=reminder.title
                ),
                reminder,
            ),
        )

    def dismiss(self, reminder: Reminder) -> None:
        reminders, key = self.mailbox.reminders, reminder.key
        self.tasks.run_db(
            lambda: reminders.dismiss(key),
            lambda _n: self._gone(
                key, self.tr("Dismissed: {title} (z: undo)").format(title=reminder.title), reminder
            ),
        )

    def undo(self) -> bool:
        """The last snooze or dismiss taken back: the reminder is due again (snoozed until now).
        False when there is nothing to take back."""
        last, self.last_put_away = self.last_put_away, None
        if last is None:
            return False
        reminders, now = self.mailbox.reminders, self.clock()

        def back(_none: object) -> None:
            self.message_shown.emit(
                self.tr("Back in the Due list: {title}").format(title=last.title)
            )
            self.load()

        self.tasks.run_db(lambda: reminders.snooze(last.key, now), back)
        return True

    def _gone(self, key: str, text: str, put_away: Reminder | None = None) -> None:
        if put_away is not None:
            self.last_put_away = put_away
        self.model.remove(key)
        if text:
            self.message_shown.emit(text)
        self._recount()

    def _recount(self) -> None:
        self.due_loaded.emit(self.model.reminders())

    def mark_seen(self) -> None:
        """Everything due until now counts as seen (the next start's away list begins here)."""
        reminders, now = self.mailbox.reminders, self.clock()
        with contextlib.suppress(RuntimeError):  # the workers stopped first (as tests do)
            self.tasks.run_db(lambda: reminders.mark_seen(now), None, lambda _e: None)
