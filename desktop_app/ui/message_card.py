"""One message in the conversation: a header line, folded or expanded with its body.

The card only shows things and reports what the merchant asked for; the conversation view
does the background work (loading, allowing images, saving attachments).
"""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QLocale, QSize, Qt, QUrl, Signal
from PySide6.QtGui import (
    QFontDatabase,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QBoxLayout,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.views import AttachmentRow, MessageRow, MessageView
from desktop_app.ui.dates import local_time
from desktop_app.ui.message_browser import MessageBrowser

_BLOCKQUOTE = re.compile(r"<blockquote\b", re.IGNORECASE)


def human_size(size: int) -> str:
    return QLocale().formattedDataSize(size, 1, QLocale.DataSizeFormat.DataSizeSIFormat)


def split_html_quote(body: str) -> tuple[str, str]:
    """(new part, quoted part) of an HTML body, cut at its first <blockquote>."""
    match = _BLOCKQUOTE.search(body)
    if match is None or not body[: match.start()].strip():
        return body, ""
    return body[: match.start()], body[match.start() :]


class SourceDialog(QDialog):
    """The raw bytes of a message, decoded leniently, in a fixed-width read-only view."""

    def __init__(self, parent: QWidget | None, title: str, raw: bytes) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Source of “{subject}”").format(subject=title))
        layout = QVBoxLayout(self)
        self.edit = QPlainTextEdit()
        self.edit.setReadOnly(True)
        self.edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.edit.setAccessibleName(self.tr("Message source"))
        self.edit.setPlainText(raw.decode("utf-8", errors="replace"))
        layout.addWidget(self.edit)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.resize(760, 560)


class ButtonRow(QWidget):
    """Buttons side by side, right-aligned, or one above the other when the pane is narrow."""

    def __init__(self, buttons: list[QPushButton], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons = buttons
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.addStretch(1)
        for button in buttons:
            self.box.addWidget(button)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        widest = max(b.minimumSizeHint().width() for b in self.buttons)
        return QSize(widest, hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        spacing = max(self.box.spacing(), 0) * len(self.buttons)
        wide = sum(b.sizeHint().width() for b in self.buttons) + spacing <= event.size().width()
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if direction != self.box.direction():
            self.box.setDirection(direction)
            self.updateGeometry()


class ElidedLabel(QLabel):
    """A one-line label that ends in "…" when narrower than its text (text() stays whole)."""

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setFont(self.font())
        painter.setPen(self.palette().color(self.foregroundRole()))
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideRight, rect.width()
        )
        painter.drawText(rect, int(self.alignment()), shown)
        painter.end()


class _Header(QFrame):
    """The clickable header line of a card."""

    clicked = Signal()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit()
            return
        super().keyPressEvent(event)


class MessageCard(QFrame):
    """One message: folded (sender, date, snippet) or expanded (its body and attachments).

    Signals (with the message id): `expand_requested`, `allow_remote_requested(int, bool)`
    (True = always for the sender), `source_requested`, `save_requested(int, str)` and
    `open_requested(int, str)` with the attachment's part, `link_activated(QUrl, str)`,
    `link_hovered(str)`.
    """

    expand_requested = Signal(int)
    allow_remote_requested = Signal(int, bool)
    source_requested = Signal(int)
    save_requested = Signal(int, str)
    open_requested = Signal(int, str)
    link_activated = Signal(QUrl, str)
    link_hovered = Signal(str)

    def __init__(self, row: MessageRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = row
        self.view: MessageView | None = None
        self.expanded = False
        self.setObjectName("messageCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)

        self.header = _Header()
        self.header.setCursor(Qt.CursorShape.PointingHandCursor)
        self.header.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.header.setAccessibleName(
            self.tr("Message from {sender}").format(sender=self._sender())
        )
        head = QHBoxLayout(self.header)
        head.setContentsMargins(0, 0, 0, 0)
        self.sender_label = ElidedLabel()
        self.sender_label.setTextFormat(Qt.TextFormat.PlainText)
        # Long names must not make the pane wider than the window: they are cut instead.
        self.sender_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.date_label = QLabel(local_time(row.date))
        self.date_label.setEnabled(False)
        head.addWidget(self.sender_label, 1)
        head.addWidget(self.date_label)
        self.header.clicked.connect(self._header_clicked)
        layout.addWidget(self.header)
        self.snippet_label = QLabel(row.snippet)
        self.snippet_label.setTextFormat(Qt.TextFormat.PlainText)
        self.snippet_label.setEnabled(False)
        self.snippet_label.setWordWrap(False)
        self.snippet_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.snippet_label)

        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 4, 0, 0)
        self.recipients_label = QLabel()
        self.recipients_label.setTextFormat(Qt.TextFormat.PlainText)
        self.recipients_label.setWordWrap(True)
        self.recipients_label.setEnabled(False)
        body.addWidget(self.recipients_label)

        self.problem_note = QLabel()
        self.problem_note.setObjectName("problemNote")
        self.problem_note.setWordWrap(True)
        self.problem_note.setTextFormat(Qt.TextFormat.RichText)
        self.problem_note.linkActivated.connect(lambda _l: self.source_requested.emit(row.id))
        self.problem_note.setStyleSheet(
            "QLabel#problemNote { border: 1px solid #c0392b; border-radius: 4px; padding: 6px; }"
        )
        body.addWidget(self.problem_note)

        self.remote_bar = QFrame()
        self.remote_bar.setObjectName("remoteBar")
        self.remote_bar.setStyleSheet(
            "QFrame#remoteBar { background: #fff3b0; border: 1px solid #e0c341; "
            "border-radius: 4px; } QFrame#remoteBar QLabel { color: #3d3200; }"
        )
        bar_rows = QVBoxLayout(self.remote_bar)
        bar_rows.setContentsMargins(8, 4, 8, 4)
        self.remote_label = QLabel()
        self.remote_label.setWordWrap(True)
        bar_rows.addWidget(self.remote_label)
        self.show_once_button = QPushButton(self.tr("Show for this message"))
        self.show_once_button.clicked.connect(
            lambda: self.allow_remote_requested.emit(row.id, False)
        )
        self.show_always_button = QPushButton()
        self.show_always_button.clicked.connect(
            lambda: self.allow_remote_requested.emit(row.id, True)
        )
        bar_rows.addWidget(ButtonRow([self.show_once_button, self.show_always_button]))
        body.addWidget(self.remote_bar)

        self.browser = MessageBrowser()
        self.browser.setAccessibleName(self.tr("Message text"))
        self.browser.link_activated.connect(self.link_activated)
        self.browser.link_hovered.connect(self.link_hovered)
        body.addWidget(self.browser)
        self.loading_label = QLabel(self.tr("Loading…"))
        self.loading_label.setEnabled(False)
        body.addWidget(self.loading_label)

        self.quote_button = QPushButton(self.tr("Show quoted text"))
        self.quote_button.setCheckable(True)
        self.quote_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.quote_button.toggled.connect(self._toggle_quote)
        body.addWidget(self.quote_button)
        self.quoted = MessageBrowser()
        self.quoted.setAccessibleName(self.tr("Quoted text"))
        self.quoted.link_activated.connect(self.link_activated)
        self.quoted.link_hovered.connect(self.link_hovered)
        body.addWidget(self.quoted)

        self.attachments = QWidget()
        self.attachment_layout = QVBoxLayout(self.attachments)
        self.attachment_layout.setContentsMargins(0, 4, 0, 0)
        body.addWidget(self.attachments)

        footer = QHBoxLayout()
        footer.addStretch(1)
        self.source_button = QPushButton(self.tr("View source"))
        self.source_button.setFlat(True)
        self.source_button.clicked.connect(lambda: self.source_requested.emit(row.id))
        footer.addWidget(self.source_button)
        body.addLayout(footer)
        layout.addWidget(self.body)
        self._update_header()
        self.set_expanded(False)

    # ---------------------------------------------------------------- state

    def _sender(self) -> str:
        return self.row.from_name or self.row.from_addr or self.tr("(unknown sender)")

    def set_row(self, row: MessageRow) -> None:
        """The same message with newer state (read, starred)."""
        self.row = row
        self._update_header()

    def _update_header(self) -> None:
        name = self._sender()
        if self.row.ours:
            name = self.tr("{name} (you)").format(name=name)
        if not self.row.seen:
            name = "● " + name  # unread is not shown by colour (or weight) alone
        font = self.sender_label.font()
        font.setBold(not self.row.seen)
        self.sender_label.setFont(font)
        self.sender_label.setText(name)
        self.sender_label.setToolTip(self.row.from_addr)

    def set_expanded(self, expanded: bool) -> None:
        self.expanded = expanded
        self.snippet_label.setVisible(not expanded)
        self.body.setVisible(expanded)
        if expanded and self.view is None:
            self.loading_label.show()
            self.browser.hide()
            for w in (self.problem_note, self.remote_bar, self.quote_button, self.quoted):
                w.hide()

    def _header_clicked(self) -> None:
        if self.expanded:
            self.set_expanded(False)
        else:
            self.expand_requested.emit(self.row.id)

    def show_view(self, view: MessageView) -> None:
        """Fill the body from a loaded message (again after images were allowed)."""
        self.view = view
        self.loading_label.hide()
        self.browser.show()
        self.recipients_label.setText(self._recipients(view))
        problems = view.problems or self.row.problems
        if problems:
            note = self.tr("This message could not be read completely: {problems}").format(
                problems="; ".join(problems)
            )
            link = html.escape(self.tr("View source"))
            self.problem_note.setText(f'{html.escape(note)} <a href="source">{link}</a>')
        self.problem_note.setVisible(bool(problems))
        self.remote_bar.setVisible(view.remote_images_blocked > 0)
        if view.remote_images_blocked:
            self.remote_label.setText(
                self.tr("Remote images blocked ({count})").format(count=view.remote_images_blocked)
            )
            sender = self.row.from_addr or self.tr("this sender")
            self.show_always_button.setText(self.tr("Always for {sender}").format(sender=sender))
            self.show_always_button.setEnabled(bool(self.row.from_addr))
        allowed = view.remote_images_blocked == 0
        if view.html:
            main, quoted = split_html_quote(view.html)
            self.browser.show_html(main, view.inline_images, remote_allowed=allowed)
            if quoted:
                self.quoted.show_html(quoted, view.inline_images, remote_allowed=allowed)
        else:
            quoted = view.quoted
            self.browser.show_text((view.text or "").rstrip())
            if quoted:
                self.quoted.show_text(quoted)
        self.quote_button.setVisible(bool(quoted.strip()))
        self.quoted.setVisible(bool(quoted.strip()) and self.quote_button.isChecked())
        self._show_attachments(view.attachments)

    def _recipients(self, view: MessageView) -> str:
        lines = [view.from_line, self.tr("To: {to}").format(to=view.to_line)]
        if view.cc_line:
            lines.append(self.tr("Cc: {cc}").format(cc=view.cc_line))
        lines.append(local_time(view.date, long=True))
        return "\n".join(line for line in lines if line.strip())

    def _toggle_quote(self, shown: bool) -> None:
        self.quoted.setVisible(shown)
        self.quote_button.setText(
            self.tr("Hide quoted text") if shown else self.tr("Show quoted text")
        )

    def _show_attachments(self, attachments: tuple[AttachmentRow, ...]) -> None:
        while self.attachment_layout.count():
            item = self.attachment_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        shown = [a for a in attachments if not (a.inline and a.content_type.startswith("image/"))]
        self.attachments.setVisible(bool(shown))
        for attachment in shown:
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            icon = QLabel()
            icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon).pixmap(16))
            line.addWidget(icon)
            name = QLabel(f"{attachment.filename}  ({human_size(attachment.size)})")
            name.setTextFormat(Qt.TextFormat.PlainText)
            name.setWordWrap(True)
            name.setObjectName("attachmentName")
            line.addWidget(name, 1)
            save = QPushButton(self.tr("Save…"))
            save.setAccessibleName(self.tr("Save {name}").format(name=attachment.filename))
            save.clicked.connect(
                lambda _c=False, p=attachment.part: self.save_requested.emit(self.row.id, p)
            )
            line.addWidget(save)
            open_ = QPushButton(self.tr("Open"))
            open_.setAccessibleName(self.tr("Open {name}").format(name=attachment.filename))
            open_.clicked.connect(
                lambda _c=False, p=attachment.part: self.open_requested.emit(self.row.id, p)
            )
            line.addWidget(open_)
            self.attachment_layout.addWidget(row)
