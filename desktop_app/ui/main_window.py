"""The main window: layout and wiring only (queues | cases | conversation and order facts)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QLocale, Qt, QTime, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QStyle,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.mailbox import Mailbox
from desktop_app.core.triage import Changes
from desktop_app.core.views import OrderFacts, Queue
from desktop_app.ui import about_dialog, dialogs, operations, shortcuts
from desktop_app.ui.bars import DemoBanner, UndoBar
from desktop_app.ui.case_list import CaseList
from desktop_app.ui.conversation import ConversationView
from desktop_app.ui.models.case_model import CaseModel
from desktop_app.ui.models.queue_model import QueueModel
from desktop_app.ui.operations import OpRunner
from desktop_app.ui.order_panel import OrderPanel
from desktop_app.ui.queue_list import QueueList
from desktop_app.ui.reminders_ui import DUE_QUEUE, RemindersUi
from desktop_app.ui.reply_actions import ReplyActions
from desktop_app.ui.sign_in_bar import SignInBar
from desktop_app.ui.sync_controller import SyncController
from desktop_app.ui.taskman import TaskManager
from desktop_app.ui.triage_actions import TriageActions

SEARCH_DELAY_MS = 250
MARK_READ_DELAY_MS = 1200
RELOOK_MS = 60_000  # queues and the list read again: snoozed cases wake, waiting times grow


class MainWindow(QMainWindow):
    """Builds the panes and connects them; every read and write goes through `tasks`.

    Holds the queue and case models, the `OpRunner` for triage and (optionally) the
    `SyncController` the app started. Emits no signals of its own.
    """

    def __init__(
        self,
        tasks: TaskManager,
        mailbox: Mailbox,
        sync: SyncController | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__()
        self.tasks, self.mailbox, self.sync = tasks, mailbox, sync
        self.clock = clock or (lambda: datetime.now(UTC))
        self.setWindowTitle(self.tr("Shopdesk"))
        self.resize(1360, 820)
        self.ops = OpRunner(tasks, mailbox.triage, self)
        self.queue_model = QueueModel(self)
        self.case_model = CaseModel(tasks, mailbox.views, self.clock, self)
        self.case_model.load("open")  # first, so the reading overlaps building the window
        self.queues = QueueList(self.queue_model)
        self.cases = CaseList(self.case_model)
        self.conversation = ConversationView(tasks, mailbox, self)
        self.order_panel = OrderPanel(self)
        self.banner = DemoBanner()
        self.undo_bar = UndoBar()
        self.sign_in_bar = SignInBar(tasks)
        self.triage_actions = TriageActions(
            self.ops, self.cases, self.queue_model, self.clock, self
        )
        self.replies = ReplyActions(tasks, mailbox, self.cases.current_case_id, self)
        self.reminders = RemindersUi(tasks, mailbox, self.replies, self.clock, self)
        self._build_layout()
        self._build_status_bar()
        self.actions_by_name = shortcuts.install(self, self._handlers())
        self._build_menus()
        self._connect()
        self._facts_generation = 0
        self._queues_loaded = False
        self.cases.setFocus()  # keys act on the list from the start, not typed into search
        self.load_queues()
        self.reminders.start()
        self._check_accounts()
        self._update_pending()
        self.replies.outbox.refresh_count()

    # -- layout
    def _build_layout(self) -> None:
        self.search_box = QLineEdit()
        self.search_box.setObjectName("searchBox")
        self.search_box.setAccessibleName(self.tr("Search"))
        self.search_box.setPlaceholderText(
            self.tr("Search ( / ) — words, from:, order:, is:unread, status:, tag:, before:")
        )
        self.search_box.setClearButtonEnabled(True)
        self.sync_button = QToolButton()
        self.sync_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_BrowserReload))
        self.sync_button.setAccessibleName(self.tr("Sync now"))
        self.sync_button.setToolTip(self.tr("Sync now (F5)"))
        toolbar = QToolBar(self.tr("Search"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(self.search_box)
        toolbar.addWidget(self.sync_button)
        self.addToolBar(toolbar)

        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.middle = QStackedWidget()
        self.middle.addWidget(self.cases)
        self.middle.addWidget(self.empty_label)
        self.middle.addWidget(self.reminders.view)
        right = QSplitter(Qt.Orientation.Horizontal)
        right.addWidget(self.conversation)
        right.addWidget(self.order_panel)
        right.setSizes([480, 230])
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.queues)
        self.splitter.addWidget(self.middle)
        self.splitter.addWidget(right)
        self.splitter.setSizes([180, 550, 710])
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 1)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.sign_in_bar)
        layout.addWidget(self.reminders.banner)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.undo_bar)
        layout.addWidget(self.replies.outbox.bar)
        self.banner.hide()
        self.setCentralWidget(central)

    def _build_status_bar(self) -> None:
        self.sync_label = QLabel()
        self.pending_label = QLabel()
        self.offline_label = QLabel(self.tr("Offline — changes will sync later"))
        self.offline_label.setObjectName("offlineLabel")
        self.offline_label.hide()
        self.outbox_button = QToolButton()
        self.outbox_button.setObjectName("outboxButton")
        self.outbox_button.setAutoRaise(True)
        self.outbox_button.hide()
        bar = self.statusBar()
        for label in (self.outbox_button, self.pending_label, self.offline_label, self.sync_label):
            bar.addPermanentWidget(label)

    def _build_menus(self) -> None:
        acts = self.actions_by_name
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.add_mailbox_action = QAction(self.tr("Add your mailbox…"), self)
        self.add_mailbox_action.triggered.connect(self.add_mailbox)
        file_menu.addAction(self.add_mailbox_action)
        file_menu.addAction(acts["sync"])
        file_menu.addSeparator()
        for text, slot in (
            (self.tr("&Templates…"), self.replies.open_templates),
            (self.tr("&Outbox"), self.replies.open_outbox),
            (self.tr("&Reminder settings…"), self.open_reminder_settings),
        ):
            file_menu.addAction(text).triggered.connect(slot)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        case_menu = self.menuBar().addMenu(self.tr("&Case"))
        for group in (
            ("reply", "reply_all", "forward", "compose"),
            ("archive", "delete", "star", "mark_read", "mark_unread"),
            ("reopen", "waiting", "done", "snooze", "tags", "note"),
            ("undo",),
        ):
            for name in group:
                case_menu.addAction(acts[name])
            case_menu.addSeparator()
        go_menu = self.menuBar().addMenu(self.tr("&Go"))
        for name in ("next_case", "previous_case", "open_case", "back_to_list", "search"):
            go_menu.addAction(acts[name])
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.addAction(acts["help"])
        about_dialog.add_about_action(help_menu, self.mailbox.store.path.parent, self)

    def open_reminder_settings(self) -> None:
        from desktop_app.ui.reminder_settings import open_reminder_settings

        open_reminder_settings(self.tasks, self.mailbox, self, self.reminders.load)

    def _handlers(self) -> dict[str, Callable[[], None]]:
        triage = self.triage_actions.handlers()
        mark_unread = triage["mark_unread"]

        def unread() -> None:
            self.read_timer.stop()  # not marked read again while it stays open
            mark_unread()

        plain = {
            **triage,
            **self.replies.handlers(),
            "mark_unread": unread,
            "next_case": lambda: self.cases.move(1),
            "previous_case": lambda: self.cases.move(-1),
            "open_case": self.open_current,
            "back_to_list": self.cases.setFocus,
            "search": self.focus_search,
            "sync": self.sync_now,
            "help": self.show_shortcuts,
        }
        return {**plain, **self.reminders.handlers(plain)}  # in the Due list: on the reminder

    def _connect(self) -> None:
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.run_search)
        self.search_box.textChanged.connect(lambda _text: self.search_timer.start())
        self.search_box.returnPressed.connect(self._search_entered)
        self.read_timer = QTimer(self)
        self.read_timer.setSingleShot(True)
        self.read_timer.setInterval(MARK_READ_DELAY_MS)
        self.read_timer.timeout.connect(self._mark_shown_read)
        self.relook_timer = QTimer(self)
        self.relook_timer.setInterval(RELOOK_MS)
        self.relook_timer.timeout.connect(self._relook)
        self.relook_timer.start()
        self.queues.queue_chosen.connect(self._queue_chosen)
        self.cases.case_chosen.connect(self._case_chosen)
        self.cases.case_opened.connect(lambda _case_id: self.open_current())
        self.case_model.ids_loaded.connect(self._ids_loaded)
        self.case_model.load_failed.connect(self.show_message)
        self.ops.changes_applied.connect(self._changes_applied)
        self.ops.op_failed.connect(self.show_message)
        self.triage_actions.message_shown.connect(self.show_message)
        self.tasks.task_failed.connect(self.show_message)
        self.conversation.status_message.connect(self.show_message)
        self.conversation.notes_changed.connect(
            lambda case_id: self.case_model.refresh_cases([case_id])
        )
        self.banner.add_mailbox_clicked.connect(self.add_mailbox)
        self.banner.remove_clicked.connect(self.remove_demo)
        self.undo_bar.undo_clicked.connect(self.triage_actions.undo)
        self.replies.message_shown.connect(self.show_message)
        self.reminders.message_shown.connect(self.show_message)
        self.reminders.due_counted.connect(self.queue_model.set_due)
        self.reminders.show_requested.connect(self.show_due)
        self.reminders.case_opened.connect(self._case_chosen)
        self.replies.reply_joined.connect(self._reply_joined)
        self.replies.outbox.waiting_changed.connect(self._waiting_changed)
        self.outbox_button.clicked.connect(self.replies.open_outbox)
        self.sync_button.clicked.connect(self.sync_now)
        if self.sync is not None:
            self.sync.sync_started.connect(lambda: self.sync_label.setText(self.tr("Syncing…")))
            self.sync.sync_progressed.connect(self.sync_label.setText)
            self.sync.sync_finished.connect(self._sync_finished)
            self.sync.sync_failed.connect(self.show_message)
            self.sync.offline_changed.connect(self.offline_label.setVisible)
            self.sync.sign_in_expired.connect(self.sign_in_bar.expired)
            self.sign_in_bar.signed_in_again.connect(lambda _name: self.sync_now())

    # -- reading
    def refresh_all(self) -> None:
        """The case list, queues, the banner and the pending count, read again (in that order:
        the database worker takes one at a time, and the cases are what the merchant reads)."""
        if not self.search_box.text().strip():
            self.case_model.load(self.queues.key if self.queues.key != DUE_QUEUE else "open")
        else:
            self.case_model.refresh()
        self.load_queues()
        self._check_accounts()
        self._update_pending()

    def _relook(self) -> None:
        if self.isVisible():
            self.case_model.refresh()
            self.load_queues()

    def load_queues(self) -> None:
        views, now = self.mailbox.views, self.clock()
        self.tasks.run_db(lambda: views.queues(now), self._queues_arrived)
        self.reminders.load()

    def _queues_arrived(self, queues: list[Queue]) -> None:
        self.queue_model.set_queues(queues)
        if not self._queues_loaded:
            self._queues_loaded = True
            row = self.queue_model.row_of(self.queues.key)
            if row >= 0:
                blocked = self.queues.selectionModel().blockSignals(True)
                self.queues.setCurrentIndex(self.queue_model.index(row, 0))
                self.queues.selectionModel().blockSignals(blocked)

    def _check_accounts(self) -> None:
        box = self.mailbox
        self.tasks.run_db(lambda: (box.has_demo(), bool(box.accounts())), self._accounts_checked)

    def _accounts_checked(self, found: tuple[bool, bool]) -> None:
        demo, any_account = found
        self.banner.setVisible(demo)
        self._has_accounts = any_account
        self._update_empty()

    def _update_pending(self) -> None:
        self.tasks.run_db(self.mailbox.triage.pending_count, self._pending_arrived, lambda _e: None)

    def _pending_arrived(self, count: int) -> None:
        text = self.tr("%n change(s) waiting to sync", "", count) if count else ""
        self.pending_label.setText(text)

    def _ids_loaded(self, count: int) -> None:
        self._update_empty()
        if self.search_box.text().strip():
            self.show_message(self.tr("%n case(s) found", "", count))

    def _update_empty(self) -> None:
        if self.queues.key == DUE_QUEUE and not self.search_box.text().strip():
            self.middle.setCurrentWidget(self.reminders.view)
            return
        if self.case_model.rowCount():
            self.middle.setCurrentWidget(self.cases)
            return
        if not getattr(self, "_has_accounts", True):
            text = self.tr(
                "No mailbox yet.\nAdd your mailbox (File → Add your mailbox…) "
                "and your customers' mail shows up here as cases."
            )
        elif self.search_box.text().strip():
            text = self.tr("No case matches this search.")
        else:
            text = self.tr("No cases here.")
        self.empty_label.setText(text)
        self.middle.setCurrentWidget(self.empty_label)

    # -- choosing
    def _queue_chosen(self, key: str) -> None:
        if self.search_box.text():
            blocked = self.search_box.blockSignals(True)
            self.search_box.clear()
            self.search_box.blockSignals(blocked)
        if key == DUE_QUEUE:
            self.middle.setCurrentWidget(self.reminders.view)
            self.reminders.list_shown()
            return
        self.case_model.load(key)

    def _case_chosen(self, case_id: int) -> None:
        chosen = case_id if case_id >= 0 else None
        self.conversation.show_case(chosen)
        self._facts_generation += 1
        generation, views = self._facts_generation, self.mailbox.views
        self.read_timer.stop()
        self.order_panel.show_facts(None)  # never another case's order while this one loads
        if chosen is None:
            return
        row = self.case_model.case_row(chosen)
        if row is not None and row.unread:
            self.read_timer.start()
        self.tasks.run_db(
            lambda: views.order_facts(chosen),
            lambda facts: self._facts_arrived(generation, facts),
            lambda _exc: self._facts_arrived(generation, None),
        )

    def _facts_arrived(self, generation: int, facts: OrderFacts | None) -> None:
        if generation == self._facts_generation:
            self.order_panel.show_facts(facts)

    def _mark_shown_read(self) -> None:
        case_id = self.cases.current_case_id()
        if case_id is not None and case_id == self.conversation.case_id:
            operations.mark_read(self.ops, [case_id], True, quiet=True)

    def open_current(self) -> None:
        if self.cases.current_case_id() is None:
            self.cases.move(1)
        self.conversation.setFocus()

    def show_due(self) -> None:
        """The Due list, its first reminder current (the banner's and the tray's Show)."""
        self.queues.choose(DUE_QUEUE)
        self.reminders.view.focus_table()

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def run_search(self) -> None:
        """The search box's text as a query over all cases; empty: back to the queue."""
        self.search_timer.stop()
        text = self.search_box.text().strip()
        if text:  # results come from every queue: no queue is highlighted meanwhile
            self.queues.selectionModel().clearSelection()
            self.case_model.load("all", text)
        else:
            self.queues.choose(self.queues.key)

    def _search_entered(self) -> None:
        self.run_search()
        self.cases.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.search_box.hasFocus():
            self.search_box.clear()
            self.cases.setFocus()
            return
        super().keyPressEvent(event)

    def _changes_applied(self, changes: Changes, mode: str) -> None:
        """Repaint what changed: its rows, and the lists and counts when queues changed."""
        self.case_model.refresh_cases(changes.case_ids)
        if changes.queues:
            self.case_model.refresh()
            self.load_queues()
        if changes.server_ops or mode == operations.UNDID:
            self._update_pending()
        current = self.cases.current_case_id()
        if current is not None and current in changes.case_ids and "note_id" in changes.extra:
            self.conversation.show_case(current)
        if not changes.description or mode == operations.QUIET:
            return
        if mode == operations.UNDID:
            self.undo_bar.show_message(
                self.tr("Undone: {what}").format(what=changes.description), False
            )
        else:
            self.undo_bar.show_message(changes.description, bool(changes.undo_token))

    # -- replies
    def _reply_joined(self, case_id: int) -> None:
        self.case_model.refresh_cases([case_id])
        self.reminders.load()  # an answer ends the case's waiting and first-response reminders
        if self.conversation.case_id == case_id:
            self.conversation.refresh_messages()

    def _waiting_changed(self, count: int) -> None:
        self.outbox_button.setText(self.replies.waiting_text(count))
        self.outbox_button.setVisible(bool(count))

    # -- the rest
    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 10_000)

    def show_shortcuts(self) -> None:
        dialog = dialogs.ShortcutsDialog(self, shortcuts.sheet())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.shortcuts_dialog = dialog
        dialog.open()

    def add_mailbox(self) -> None:
        from desktop_app.ui.setup_dialog import SetupDialog  # on demand: a faster start

        dialog = SetupDialog(self.tasks, self.mailbox, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.account_added.connect(self._account_added)
        self.setup_dialog = dialog
        dialog.open()

    def _account_added(self, name: str) -> None:
        self.show_message(self.tr("Added {name}; syncing it now.").format(name=name))
        self.refresh_all()
        self.sync_now()

    def remove_demo(self) -> None:
        self.banner.hide()
        self.show_message(self.tr("Removing the demo shop…"))
        self.tasks.run_db(self.mailbox.remove_demo, lambda _none: self._demo_removed())

    def _demo_removed(self) -> None:
        self.show_message(self.tr("The demo shop is gone."))
        self.conversation.show_case(None)
        self.refresh_all()

    def sync_now(self) -> None:
        if self.sync is None:
            self.show_message(self.tr("Sync is not running in this window."))
            return
        self.sync.sync_now()

    def _sync_finished(self, new: int) -> None:
        when = QLocale().toString(QTime.currentTime(), QLocale.FormatType.ShortFormat)
        if self.sync is None or self.sync.last_ok:
            self.sync_label.setText(self.tr("Synced at {time}").format(time=when))
        else:  # the offline label or the error message says why
            self.sync_label.setText(self.tr("Sync did not finish at {time}").format(time=when))
        if new:
            self.show_message(self.tr("%n new message(s)", "", new))
        self.refresh_all()
        self.replies.outbox.flush()

    def closeEvent(self, event: QCloseEvent) -> None:
        """No new work once closed: the app shuts the workers down and closes the store next."""
        for timer in (self.search_timer, self.read_timer, self.relook_timer):
            timer.stop()
        self.case_model.stop()
        self.replies.outbox.stop()
        self.reminders.stop()
        if self.sync is not None:
            self.sync.stop()
        super().closeEvent(event)
