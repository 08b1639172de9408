"""Reminders in the main window: the Due list, banner, tray note, away and batch dialogs."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QStyle, QWidget

from desktop_app.ui import review_batch
from desktop_app.ui.away_dialog import AwayDialog
from desktop_app.ui.batch_review_dialog import BatchReviewDialog
from desktop_app.ui.notifier import ReminderBanner, TrayNotifier
from desktop_app.ui.reminder_actions import ReminderActions
from desktop_app.ui.reminders_view import RemindersView
from desktop_app.ui.taskman import TaskManager

if TYPE_CHECKING:
    from desktop_app.core.mailbox import Mailbox
    from desktop_app.core.reminders.model import Reminder
    from desktop_app.ui.reply_actions import ReplyActions

DUE_QUEUE = "due"


class RemindersUi(QObject):
    """Owns the reminder widgets the window places (`view`, `banner`) and what they do.

    Signals: `due_counted(int)` after each reading of the due list, `show_requested()` when
    the banner or the tray asks for the Due list, `message_shown(str)`, `case_opened(int)`.
    """

    due_counted = Signal(int)
    show_requested = Signal()
    message_shown = Signal(str)
    case_opened = Signal(int)

    def __init__(
        self,
        tasks: TaskManager,
        mailbox: Mailbox,
        replies: ReplyActions,
        clock: Callable[[], datetime],
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self.tasks, self.mailbox, self.replies, self.clock, self.window = (
            tasks,
            mailbox,
            replies,
            clock,
            window,
        )
        self.actions = ReminderActions(tasks, mailbox, replies, clock, window)
        self.view = RemindersView(self.actions.model)
        self.banner = ReminderBanner()
        icon = window.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
        self.notifier = TrayNotifier(icon, self)
        self.away_dialog: AwayDialog | None = None
        self.batch_dialog: BatchReviewDialog | None = None
        self.actions.due_loaded.connect(self._due_loaded)
        self.actions.message_shown.connect(self.message_shown)
        self.actions.case_opened.connect(self.case_opened)
        self.banner.show_clicked.connect(self.show_requested)
        self.notifier.message_clicked.connect(self.show_requested)
        self.view.table.act_requested.connect(self.actions.act)
        self.view.table.dismiss_requested.connect(self.actions.dismiss)
        self.view.table.reminder_selected.connect(self._selected)
        self.view.batch_requested.connect(self.approve_reviews)

    def start(self) -> None:
        self.actions.start()

    def load(self) -> None:
        self.actions.load()

    def stop(self) -> None:
        """The window closes: no more reading; what fell due so far counts as seen."""
        self.actions.mark_seen()
        self.actions.stop()
        self.notifier.stop()

    def showing(self) -> bool:
        return self.view.isVisible()

    def _due_loaded(self, due: list[Reminder]) -> None:
        self.banner.set_count(len(due))
        self.notifier.notify(due)
        self.due_counted.emit(len(due))

    def list_shown(self) -> None:
        """The Due list came into view: its current reminder's case beside it."""
        current = self.view.table.current()
        if current is not None and current.case_id is not None:
            self.case_opened.emit(current.case_id)

    def _selected(self, reminder: Reminder) -> None:
        if reminder.case_id is not None and self.showing():  # its case beside the list
            self.case_opened.emit(reminder.case_id)

    # -- keys
    def handlers(self, fallback: Mapping[str, Callable[[], None]]) -> dict[str, Callable[[], None]]:
        """`snooze`, `dismiss` and `open_case` act on the current reminder while the Due list
        shows, and `undo` takes back its last snooze or dismiss; else as `fallback` has them."""

        def on_current(act: Callable[[Reminder], object], name: str) -> Callable[[], None]:
            def handler() -> None:
                if self.showing():
                    reminder = self.view.table.current()
                    if reminder is None:
                        self.message_shown.emit(self.tr("Choose a reminder first."))
                    else:
                        act(reminder)
                elif name in fallback:
                    fallback[name]()
                else:
                    self.message_shown.emit(self.tr("x dismisses a reminder in the Due list."))

            return handler

        def undo() -> None:
            if not (self.showing() and self.actions.undo()) and "undo" in fallback:
                fallback["undo"]()

        return {
            "undo": undo,
            "snooze": on_current(self.actions.snooze, "snooze"),
            "dismiss": on_current(self.actions.dismiss, "dismiss"),
            "open_case": on_current(self.actions.act, "open_case"),
        }

    # -- while you were away
    def check_away(self) -> None:
        """At start: list what fell due since the last run, then count it as seen."""
        reminders = self.mailbox.reminders
        self.tasks.run_db(reminders.away, self._away_arrived, lambda _e: None)

    def _away_arrived(self, away: list[Reminder]) -> None:
        if not away:
            self.actions.mark_seen()
            return
        self.notifier.already_told([r.key for r in away])
        dialog = AwayDialog(away, self.clock, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open_requested.connect(self.actions.act)
        dialog.dismiss_requested.connect(self.actions.dismiss)
        dialog.finished.connect(lambda _result: self.actions.mark_seen())
        self.away_dialog = dialog
        dialog.show()  # not modal: opened reminders' composers stay usable beside it

    # -- review requests together
    def approve_reviews(self) -> None:
        """The review requests due on the newest one's day (in the shop's time zone) together."""
        reminders = self.mailbox.reminders
        self.tasks.run_db(lambda: reminders.settings().timezone, self._open_batch)

    def _open_batch(self, zone_name: str) -> None:
        try:
            zone: tzinfo | None = ZoneInfo(zone_name)
        except (ValueError, KeyError):
            zone = None  # an unknown zone in the settings: the computer's
        batch = review_batch.same_day(self.actions.model.reminders(), zone)
        if not batch:
            self.message_shown.emit(self.tr("No review request is due."))
            return
        when = review_batch.due_day_text(batch, self.clock(), zone)
        heading = self.tr(
            "%n review request(s) due {when}. Check each preview, then send the ones you want.",
            "",
            len(batch),
        ).format(when=self.tr("today") if when == "today" else when)
        dialog = BatchReviewDialog(
            self.tasks, self.mailbox, self.replies.backend, batch, heading, self.window
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sent.connect(self._reviews_sent)
        self.batch_dialog = dialog
        dialog.open()

    def _reviews_sent(self, queued: list[object]) -> None:
        self.message_shown.emit(self.tr("%n review request(s) queued to send", "", len(queued)))
        self.replies.outbox.refresh_count()
        self.replies.outbox.flush()
        for info in queued:
            case_id = getattr(info, "case_id", None)
            if case_id is not None:
                self.replies.reply_joined.emit(case_id)
        self.actions.load()
