"""The reading pane: a case's internal notes and messages, oldest first, the newest expanded."""

from __future__ import annotations

import logging
import tempfile
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.mailbox import Mailbox
from desktop_app.core.views import MessageRow, MessageView
from desktop_app.ui import external
from desktop_app.ui.dates import local_time
from desktop_app.ui.dialogs import ask_note
from desktop_app.ui.message_browser import SAFE_SCHEMES, misleading_link, remote_image_urls
from desktop_app.ui.message_card import MessageCard, SourceDialog
from desktop_app.ui.taskman import TaskManager, plain_error

log = logging.getLogger(__name__)

MAX_REMOTE_IMAGES = 40
MAX_REMOTE_IMAGE_BYTES = 5_000_000
REMOTE_TIMEOUT_S = 10.0
# Opening these straight from a mail runs code: ask first.
RISKY_SUFFIXES = {
    ".exe", ".msi", ".bat", ".cmd", ".com", ".scr", ".ps1", ".vbs", ".js", ".jar", ".sh",
    ".app", ".command", ".lnk", ".reg", ".hta", ".docm", ".xlsm", ".pptm", ".iso", ".dmg",
}  # fmt: skip


def fetch_remote_images(urls: list[str]) -> dict[str, bytes]:
    """Download allowed remote images (network worker only): size-capped, errors skipped."""
    found: dict[str, bytes] = {}
    for url in urls[:MAX_REMOTE_IMAGES]:
        if not url.lower().startswith(("http://", "https://")):
            continue
        request = urllib.request.Request(url, headers={"User-Agent": "Shopdesk"})
        try:
            with urllib.request.urlopen(request, timeout=REMOTE_TIMEOUT_S) as response:
                data = response.read(MAX_REMOTE_IMAGE_BYTES + 1)
        except (OSError, ValueError):
            continue
        if len(data) <= MAX_REMOTE_IMAGE_BYTES:
            found[url] = data
    return found


class ConversationView(QWidget):
    """Shows one case (`show_case`): its notes, then its messages as cards.

    Signals: `case_shown(int)` when a case's messages are on screen, `message_opened(int)` when
    a message's body was loaded and shown, `status_message(str)` for the status bar (hovered
    link addresses, "Saved …", plain errors), `notes_changed(int)` after a note was added,
    `attachment_saved(str)` with the path written.
    """

    case_shown = Signal(int)
    message_opened = Signal(int)
    status_message = Signal(str)
    notes_changed = Signal(int)
    attachment_saved = Signal(str)

    def __init__(self, tasks: TaskManager, mailbox: Mailbox, parent: QWidget | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.mailbox = mailbox
        self.case_id: int | None = None
        self.cards: dict[int, MessageCard] = {}
        self.source_dialog: SourceDialog | None = None
        self._generation = 0
        self._allowed_messages: set[int] = set()
        self._open_folder: Path | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.subject_label = QLabel()
        self.subject_label.setObjectName("caseSubject")
        self.subject_label.setWordWrap(True)
        self.subject_label.setTextFormat(Qt.TextFormat.PlainText)
        self.subject_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subject_label.setContentsMargins(12, 8, 12, 4)
        font = self.subject_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.subject_label.setFont(font)
        layout.addWidget(self.subject_label)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        content = QWidget()
        self.content_layout = QVBoxLayout(content)
        self.content_layout.setContentsMargins(12, 4, 12, 12)
        self.content_layout.setSpacing(8)
        self.placeholder = QLabel(self.tr("Select a case to read it."))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setEnabled(False)
        self.content_layout.addWidget(self.placeholder)
        self.notes_box = self._build_notes_box()
        self.content_layout.addWidget(self.notes_box)
        self.cards_layout = QVBoxLayout()
        self.cards_layout.setSpacing(6)
        self.content_layout.addLayout(self.cards_layout)
        self.content_layout.addStretch(1)
        self.scroll.setWidget(content)
        layout.addWidget(self.scroll, 1)
        self.show_case(None)

    def _build_notes_box(self) -> QFrame:
        box = QFrame()
        box.setObjectName("notesBox")
        # Notes are not mail: a dashed amber frame, never a card like a message.
        box.setStyleSheet(
            "QFrame#notesBox { border: 1px dashed #c99a06; border-radius: 4px; "
            "background: rgba(255, 214, 0, 0.10); }"
        )
        layout = QVBoxLayout(box)
        layout.setContentsMargins(10, 6, 10, 6)
        head = QHBoxLayout()
        self.notes_title = QLabel(self.tr("Internal notes"))
        self.notes_title.setWordWrap(True)
        font = self.notes_title.font()
        font.setBold(True)
        self.notes_title.setFont(font)
        head.addWidget(self.notes_title, 1)
        self.add_note_button = QPushButton(self.tr("Add note"))
        self.add_note_button.setToolTip(self.tr("A note for yourself; the customer never sees it"))
        self.add_note_button.clicked.connect(self._ask_note)
        head.addWidget(self.add_note_button)
        layout.addLayout(head)
        self.notes_list = QVBoxLayout()
        layout.addLayout(self.notes_list)
        return box

    # ---------------------------------------------------------------- loading

    def show_case(self, case_id: int | None) -> None:
        """Show a case (None: nothing selected); the old one's late results are ignored."""
        self._generation += 1
        self.case_id = case_id
        for card in self.cards.values():
            card.deleteLater()
        self.cards.clear()
        self._clear_notes()
        self.subject_label.clear()
        self.placeholder.setVisible(case_id is None)
        self.notes_box.setVisible(case_id is not None)
        if case_id is None:
            return
        generation = self._generation
        self.tasks.run_db(
            lambda: self.mailbox.views.case_messages(case_id),
            lambda rows: self._messages_loaded(generation, case_id, rows),
            self._failed,
        )
        self._load_notes()

    def _current(self, generation: int) -> bool:
        return generation == self._generation

    def _messages_loaded(self, generation: int, case_id: int, rows: list[MessageRow]) -> None:
        if not self._current(generation):
            return
        if rows:
            self.subject_label.setText(rows[-1].subject or self.tr("(no subject)"))
        for row in rows:
            self._add_card(row)
        for i, row in enumerate(rows):
            if i == len(rows) - 1 or not row.seen:
                self.expand_message(row.id)
        self.case_shown.emit(case_id)
        if rows:
            last = self.cards[rows[-1].id]
            self.scroll.ensureWidgetVisible(last.header)

    def _add_card(self, row: MessageRow) -> MessageCard:
        card = MessageCard(row)
        card.expand_requested.connect(self.expand_message)
        card.allow_remote_requested.connect(self.allow_remote_images)
        card.source_requested.connect(self.view_source)
        card.save_requested.connect(self.save_attachment)
        card.open_requested.connect(self.open_attachment)
        card.link_activated.connect(self.activate_link)
        card.link_hovered.connect(self.status_message)
        self.cards[row.id] = card
        self.cards_layout.addWidget(card)
        return card

    def refresh_messages(self) -> None:
        """Read the shown case's rows again after a change (read, starred, new mail): headers
        are updated in place, bodies are not reloaded, new messages are added expanded."""
        case_id, generation = self.case_id, self._generation
        if case_id is None:
            return
        self.tasks.run_db(
            lambda: self.mailbox.views.case_messages(case_id),
            lambda rows: self._rows_refreshed(generation, rows),
            self._failed,
        )

    def _rows_refreshed(self, generation: int, rows: list[MessageRow]) -> None:
        if not self._current(generation):
            return
        for row in rows:
            card = self.cards.get(row.id)
            if card is not None:
                card.set_row(row)
            else:
                self._add_card(row)
                self.expand_message(row.id)

    def expand_message(self, message_id: int) -> None:
        card = self.cards.get(message_id)
        if card is None:
            return
        card.set_expanded(True)
        self._relayout(card)
        if card.view is None:
            self._load_view(message_id)

    def _relayout(self, card: MessageCard) -> None:
        """Settle sizes now that a card grew, so what is painted next is laid out."""
        for widget in (card.body, card, self.scroll.widget()):  # innermost first
            layout = widget.layout() if widget is not None else None
            if layout is not None:
                layout.activate()
        # The scroll area sizes its content on a posted LayoutRequest; ask it now.
        QApplication.sendEvent(self.scroll, QEvent(QEvent.Type.LayoutRequest))

    def _load_view(self, message_id: int) -> None:
        generation = self._generation
        allow = message_id in self._allowed_messages
        self.tasks.run_db(
            lambda: self.mailbox.views.message_view(message_id, allow),
            lambda view: self._view_loaded(generation, view),
            self._failed,
        )

    def _view_loaded(self, generation: int, view: MessageView) -> None:
        card = self.cards.get(view.id)
        if not self._current(generation) or card is None:
            return
        card.show_view(view)
        self._relayout(card)
        self.message_opened.emit(view.id)
        if view.html and view.remote_images_blocked == 0:
            urls = remote_image_urls(view.html)
            if urls:
                self.tasks.run_net(
                    lambda: fetch_remote_images(urls),
                    lambda images: self._remote_images_loaded(generation, view.id, images),
                    lambda _exc: None,
                )

    def _remote_images_loaded(
        self, generation: int, message_id: int, images: dict[str, bytes]
    ) -> None:
        card = self.cards.get(message_id)
        if self._current(generation) and card is not None and images:
            card.browser.add_remote_images(images)
            card.quoted.add_remote_images(images)

    # ---------------------------------------------------------------- remote images

    def allow_remote_images(self, message_id: int, for_sender: bool) -> None:
        """Remember the choice in the background, then show the message(s) again."""
        card = self.cards.get(message_id)
        if card is None:
            return
        self._allowed_messages.add(message_id)
        sender = card.row.from_addr.lower()
        again = [
            mid
            for mid, other in self.cards.items()
            if mid == message_id
            or (for_sender and sender and other.row.from_addr.lower() == sender and other.view)
        ]
        self.tasks.run_db(
            lambda: self.mailbox.views.allow_remote_images(message_id, for_sender),
            lambda _r: [self._load_view(mid) for mid in again],
            self._failed,
        )

    # ---------------------------------------------------------------- links

    def activate_link(self, url: QUrl, text: str) -> None:
        """Open a link with the system, after asking when its text shows another address."""
        scheme = url.scheme().lower()
        if scheme not in SAFE_SCHEMES:
            if url.toString().startswith("#"):
                return
            self.status_message.emit(
                self.tr("Shopdesk does not open this kind of link: {url}").format(
                    url=url.toString()
                )
            )
            return
        if misleading_link(text, url) and not external.confirm(
            self,
            self.tr("Open this link?"),
            self.tr(
                "The link reads “{text}” but really leads to:\n\n{url}\n\n"
                "Open it only if you trust it."
            ).format(text=text, url=url.toString()),
            self.tr("Open link"),
        ):
            return
        external.open_url(url)

    # ---------------------------------------------------------------- source

    def view_source(self, message_id: int) -> None:
        card = self.cards.get(message_id)
        title = card.row.subject if card else ""
        generation = self._generation
        self.tasks.run_db(
            lambda: self.mailbox.views.raw_source(message_id),
            lambda raw: self._source_loaded(generation, title, raw),
            self._failed,
        )

    def _source_loaded(self, generation: int, title: str, raw: bytes) -> None:
        if not self._current(generation):
            return
        if self.source_dialog is not None:
            self.source_dialog.close()
            self.source_dialog.deleteLater()
        self.source_dialog = SourceDialog(self, title, raw)
        self.source_dialog.show()

    # ---------------------------------------------------------------- attachments

    def _attachment_name(self, message_id: int, part: str) -> str:
        card = self.cards.get(message_id)
        if card is None or card.view is None:
            return ""
        return next((a.filename for a in card.view.attachments if a.part == part), "")

    def save_attachment(self, message_id: int, part: str) -> None:
        name = self._attachment_name(message_id, part)
        folder = external.choose_folder(self, self.tr("Save “{name}” in folder").format(name=name))
        if not folder:
            return
        self.tasks.run_db(
            lambda: self.mailbox.views.save_attachment(message_id, part, Path(folder)),
            self._saved,
            self._failed,
        )

    def _saved(self, path: Path) -> None:
        self.status_message.emit(self.tr("Saved {path}").format(path=str(path)))
        self.attachment_saved.emit(str(path))

    def open_attachment(self, message_id: int, part: str) -> None:
        """Save into a private temporary folder, then let the system open the file."""
        name = self._attachment_name(message_id, part)
        if Path(name).suffix.lower() in RISKY_SUFFIXES and not external.confirm(
            self,
            self.tr("Open a program?"),
            self.tr(
                "“{name}” can run code on this computer. Open it only if you expected it "
                "from this customer."
            ).format(name=name),
            self.tr("Open anyway"),
        ):
            return
        if self._open_folder is None:
            self._open_folder = Path(tempfile.mkdtemp(prefix="shopdesk-open-"))
        folder = self._open_folder
        self.tasks.run_db(
            lambda: self.mailbox.views.save_attachment(message_id, part, folder),
            lambda path: external.open_url(QUrl.fromLocalFile(str(path))),
            self._failed,
        )

    # ---------------------------------------------------------------- notes

    def _load_notes(self) -> None:
        generation, case_id = self._generation, self.case_id
        if case_id is None:
            return
        self.tasks.run_db(
            lambda: self.mailbox.triage.notes(case_id),
            lambda notes: self._notes_loaded(generation, notes),
            self._failed,
        )

    def _clear_notes(self) -> None:
        while self.notes_list.count():
            item = self.notes_list.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.notes_title.setText(self.tr("Internal notes"))

    def _notes_loaded(self, generation: int, notes: list[tuple[int, Any, str]]) -> None:
        if not self._current(generation):
            return
        self._clear_notes()
        for _note_id, created, body in notes:
            label = QLabel(f"{local_time(created)} — {body}")
            label.setObjectName("note")
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            self.notes_list.addWidget(label)
        if not notes:
            self.notes_title.setText(self.tr("Internal notes: none yet"))

    def _ask_note(self) -> None:
        body = ask_note(self)
        if body:
            self.add_note(body)

    def add_note(self, body: str, on_done: Callable[[], None] | None = None) -> None:
        case_id = self.case_id
        if case_id is None:
            return

        def added(_changes: object) -> None:
            self.notes_changed.emit(case_id)
            if case_id == self.case_id:
                self._load_notes()
            if on_done is not None:
                on_done()

        self.tasks.run_db(lambda: self.mailbox.triage.add_note(case_id, body), added, self._failed)

    # ---------------------------------------------------------------- errors

    def _failed(self, exc: BaseException) -> None:
        self.status_message.emit(plain_error(exc, "conversation task"))
