"""The compose window: reply, reply all, forward or a new message, with templates and a preview."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import QWidget

from desktop_app.ui.compose_parts import split_addresses, unfilled
from desktop_app.ui.compose_templates import TemplateFilling
from desktop_app.ui.reply_backend import LANGUAGE_NAMES, ComposeSetup, ReplyBackend
from desktop_app.ui.taskman import TaskManager, plain_error

if TYPE_CHECKING:
    from desktop_app.core.replies.compose import ReplyDraft
    from desktop_app.core.replies.outbox import OutboxInfo
    from desktop_app.core.replies.templates import TemplateInfo

log = logging.getLogger(__name__)
DRAFT_DELAY_MS = 1000
UNDO_SECONDS = 5.0


class DraftSlot:
    """The id of the composer's saved draft, read and written on the database worker."""

    def __init__(self) -> None:
        self.id: int | None = None


class Composer(TemplateFilling, QWidget):
    """One message being written; opens from `ReplyBackend.setup` in the background.

    Signals: `ready()` once the draft is on screen, `template_inserted(str)` with the key,
    `values_asked(tuple)` with the names a template lacks, `draft_saved(int)`,
    `queued(object)` with the `OutboxInfo` after Send, `status_message(str)`.
    """

    ready = Signal()
    template_inserted = Signal(str)
    values_asked = Signal(tuple)
    draft_saved = Signal(int)
    queued = Signal(object)
    status_message = Signal(str)

    def __init__(
        self,
        tasks: TaskManager,
        backend: ReplyBackend,
        case_id: int | None,
        kind: str = "reply",
        message_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.tasks, self.backend, self.case_id, self.kind = tasks, backend, case_id, kind
        self.setup: ComposeSetup | None = None
        self.base: ReplyDraft | None = None
        self.language = "en"
        self.templates: list[TemplateInfo] = []
        self.extra: dict[str, str] = {}
        self.template_key: str | None = None
        self._inserted = ""  # the text the last template put in the body
        self._subject_from_template = ""
        self._pending: tuple[str, QTextCursor] | None = None  # key, where it goes
        self.slot = DraftSlot()
        self._closed = False
        self._loading = True
        self.sent = False
        self.setWindowTitle(self.tr("Reply") if kind != "new" else self.tr("New message"))
        self.resize(760, 720)
        self._build()
        self.draft_timer = QTimer(self)
        self.draft_timer.setSingleShot(True)
        self.draft_timer.setInterval(DRAFT_DELAY_MS)
        self.draft_timer.timeout.connect(self.save_draft)
        self.tasks.run_db(
            lambda: backend.setup(case_id, kind, message_id),
            self._live(self._set_up),
            self._live(self._fail),
        )

    # -- layout
    def _build(self) -> None:
        from desktop_app.ui.compose_view import build_composer

        build_composer(self)
        self.body.textChanged.connect(self._body_changed)
        for edit in (self.to_edit, self.cc_edit, self.subject_edit):
            edit.textEdited.connect(lambda _t: self._changed())
        self.from_combo.currentIndexChanged.connect(lambda _i: self._changed())
        self.attachments.changed.connect(self._changed)
        self.language_combo.currentIndexChanged.connect(self._language_chosen)
        self.missing_form.filled.connect(self._values_filled)
        self.suggestion_button.clicked.connect(self._use_suggestion)
        self.quoted_toggle.toggled.connect(self.quoted_view.setVisible)
        self.attach_button.clicked.connect(self.attachments.choose)
        self.discard_button.clicked.connect(self.discard)
        self.preview_button.clicked.connect(self.show_preview)
        self.back_button.clicked.connect(self.show_editor)
        self.send_button.clicked.connect(self.send)
        send_key = QShortcut(QKeySequence("Ctrl+Return"), self)
        send_key.activated.connect(
            lambda: (
                self.send()
                if self.pages.currentWidget() is self.preview_page
                else self.show_preview()
            )
        )
        close_key = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        close_key.activated.connect(self.close)  # the draft is kept

    # -- opening
    def _set_up(self, setup: ComposeSetup) -> None:
        self.setup, self.base = setup, setup.draft
        self.slot.id = setup.draft_id
        draft = setup.draft
        self.language = setup.language
        self.template_key = draft.template_key
        self.from_combo.clear()
        for sender in setup.senders:
            label = f"{sender.name} <{sender.email}>" if sender.name else sender.email
            self.from_combo.addItem(label, sender.account_id)
        index = self.from_combo.findData(draft.account_id)
        self.from_combo.setCurrentIndex(max(index, 0))
        self.to_edit.setText(", ".join(draft.to))
        self.cc_edit.setText(", ".join(draft.cc))
        self.cc_row_visible(bool(draft.cc) or draft.kind == "reply_all")
        self.subject_edit.setText(draft.subject)
        self.language_combo.blockSignals(True)
        self.language_combo.clear()
        for code in setup.languages:
            self.language_combo.addItem(LANGUAGE_NAMES.get(code, code), code)
        self.language_combo.setCurrentIndex(max(self.language_combo.findData(self.language), 0))
        self.language_combo.blockSignals(False)
        self.body.setPlainText(draft.body)
        self.signature_view.setText("-- \n" + setup.signature)
        self.signature_view.setVisible(bool(setup.signature))
        self.quoted_view.setPlainText(draft.quoted)
        self.quoted_toggle.setVisible(bool(draft.quoted))
        self.attachments.set_paths(draft.attachments)
        self._set_templates(list(setup.templates))
        if setup.suggestion is not None:
            self.suggestion_button.setText(
                self.tr("Suggested: {title}").format(title=setup.suggestion.title)
            )
            self.suggestion_button.setToolTip(f";{setup.suggestion.shortcut}")
        self.suggestion_button.setVisible(setup.suggestion is not None)
        self._loading = False
        focus = self.to_edit if not draft.to else self.body
        focus.setFocus()
        if setup.draft_id is not None:
            self.status_message.emit(self.tr("Your draft is back."))
        self.ready.emit()

    def cc_row_visible(self, visible: bool) -> None:
        self.cc_edit.setVisible(visible)
        label = self.fields.labelForField(self.cc_edit)
        if label is not None:
            label.setVisible(visible)

    # -- the message
    def draft(self) -> ReplyDraft:
        """The message as it stands (the signature is added when it is built)."""
        assert self.base is not None
        sender = (
            self.setup.senders[self.from_combo.currentIndex()]
            if (self.setup and self.setup.senders and self.from_combo.currentIndex() >= 0)
            else None
        )
        return replace(
            self.base,
            account_id=sender.account_id if sender else self.base.account_id,
            from_addr=sender.email if sender else self.base.from_addr,
            from_name=sender.name if sender else self.base.from_name,
            to=split_addresses(self.to_edit.text()),
            cc=split_addresses(self.cc_edit.text()),
            subject=self.subject_edit.text().strip(),
            body=self.body.toPlainText(),
            attachments=tuple(self.attachments.paths),
            language=self.language,
            template_key=self.template_key,
        )

    def final_text(self) -> str:
        """What the customer reads: the body, the signature, the quoted original."""
        from desktop_app.core.replies.compose import plain_text

        return plain_text(self.draft(), self.setup.signature if self.setup else "")

    def problem(self) -> str | None:
        """Why this cannot be sent yet, in a plain sentence; None when it can."""
        if self.base is None:
            return self.tr("The message is still opening.")
        draft = self.draft()
        if not draft.to:
            return self.tr("Add who the message goes to.")
        if self._pending is not None:
            return self.tr("A template is still being filled in.")
        if unfilled(draft.subject, draft.body):
            return self.tr("The text still holds template code ({{ or {%): fill it in first.")
        if not draft.body.strip():
            return self.tr("The message is empty.")
        return None

    def show_preview(self) -> None:
        problem = self.problem()
        if problem is not None:
            self.problem_label.setText(problem)
            self.problem_label.show()
            return
        self.problem_label.hide()
        draft = self.draft()
        head = [
            self.tr("From: {who}").format(who=self.from_combo.currentText()),
            self.tr("To: {who}").format(who=", ".join(draft.to)),
        ]
        if draft.cc:
            head.append(self.tr("Cc: {who}").format(who=", ".join(draft.cc)))
        head.append(self.tr("Subject: {subject}").format(subject=draft.subject))
        if draft.attachments:
            names = ", ".join(p.name for p in draft.attachments)
            head.append(self.tr("Attached: {names}").format(names=names))
        self.preview_head.setText("\n".join(head))
        self.preview_view.setPlainText(self.final_text())
        self.pages.setCurrentWidget(self.preview_page)
        self.send_button.setFocus()

    def show_editor(self) -> None:
        self.pages.setCurrentWidget(self.edit_page)
        self.body.setFocus()

    def send(self) -> None:
        """Queue the previewed message in the outbox (sent after the undo window)."""
        if self.pages.currentWidget() is not self.preview_page:
            self.show_preview()
            return
        problem = self.problem()
        if problem is not None:
            self.show_editor()
            self.problem_label.setText(problem)
            self.problem_label.show()
            return
        self.draft_timer.stop()
        self.send_button.setEnabled(False)
        draft, slot, backend, undo = self.draft(), self.slot, self.backend, UNDO_SECONDS

        def queue() -> OutboxInfo:
            info = backend.queue(draft, undo)
            if slot.id is not None:
                backend.discard_draft(slot.id)
                slot.id = None
            return info

        self.tasks.run_db(queue, self._live(self._queued), self._live(self._send_failed))

    def _queued(self, info: OutboxInfo) -> None:
        self.sent = True
        self.hide()
        self.queued.emit(info)

    def _send_failed(self, exc: BaseException) -> None:
        self.send_button.setEnabled(True)
        self._fail(exc)

    def reopen_after_undo(self) -> None:
        """The merchant pressed Undo: the message comes back to be edited."""
        self.sent = False
        self.send_button.setEnabled(True)
        self.show_editor()
        self.show()
        self.raise_()
        self._changed()

    # -- drafts
    def _changed(self) -> None:
        if not self._loading and not self.sent:
            self.draft_timer.start()

    def save_draft(self) -> None:
        """Save the message as the case's draft (the database worker keeps the draft's id, so
        saves queued one after another update one draft)."""
        if self.base is None or self.sent:
            return
        draft, slot, backend = self.draft(), self.slot, self.backend

        def save() -> int:
            slot.id = backend.save_draft(draft, slot.id)
            return slot.id

        self.tasks.run_db(save, self._live(self.draft_saved.emit), self._live(self._fail))

    @property
    def draft_id(self) -> int | None:
        """The saved draft's id (None before the first save)."""
        return self.slot.id

    def discard(self) -> None:
        """Throw the message away, its saved draft too."""
        self.draft_timer.stop()
        self.sent = True  # nothing more is saved
        slot, backend = self.slot, self.backend

        def discard() -> None:
            if slot.id is not None:
                backend.discard_draft(slot.id)
                slot.id = None

        self.tasks.run_db(discard)
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.draft_timer.isActive():
            self.draft_timer.stop()
            self.save_draft()
        self._closed = True  # answers arriving later find the window gone
        super().closeEvent(event)

    def _live(self, fn: Callable[..., None]) -> Callable[..., None]:
        """`fn`, skipped once the window is closed (it may be deleted by then)."""

        def call(*args: Any) -> None:
            if not self._closed:
                fn(*args)

        return call

    def _fail(self, exc: BaseException) -> None:
        text = plain_error(exc, "composer task")
        self.problem_label.setText(text)
        self.problem_label.show()
        self.status_message.emit(text)
