"""The composer's widgets and layout: header fields, template bar, body, preview page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.compose_parts import AttachmentList, MissingValuesForm

if TYPE_CHECKING:
    from desktop_app.ui.composer import Composer


def build_composer(c: Composer) -> None:
    """Create `c`'s widgets as attributes and lay them out on two pages (write, preview)."""
    c.setObjectName("composer")
    c.pages = QStackedWidget()
    c.edit_page = QWidget()
    c.preview_page = QWidget()
    c.pages.addWidget(c.edit_page)
    c.pages.addWidget(c.preview_page)

    c.fields = QFormLayout()
    c.from_combo = QComboBox()
    c.from_combo.setAccessibleName(c.tr("From"))
    c.to_edit = QLineEdit()
    c.to_edit.setAccessibleName(c.tr("To"))
    c.to_edit.setPlaceholderText(c.tr("customer@example.com, …"))
    c.cc_edit = QLineEdit()
    c.cc_edit.setAccessibleName(c.tr("Cc"))
    c.subject_edit = QLineEdit()
    c.subject_edit.setAccessibleName(c.tr("Subject"))
    c.fields.addRow(c.tr("From:"), c.from_combo)
    c.fields.addRow(c.tr("To:"), c.to_edit)
    c.fields.addRow(c.tr("Cc:"), c.cc_edit)
    c.fields.addRow(c.tr("Subject:"), c.subject_edit)

    tools = QHBoxLayout()
    c.templates_button = QToolButton()
    c.templates_button.setText(c.tr("Templates"))
    c.templates_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    c.templates_button.setToolTip(c.tr("Insert a canned reply (or type ; and its shortcut)"))
    c.suggestion_button = QPushButton()
    c.suggestion_button.setObjectName("suggestionChip")
    c.suggestion_button.setFlat(True)
    c.suggestion_button.setStyleSheet(
        "QPushButton#suggestionChip { border: 1px solid palette(mid); border-radius: 10px;"
        " padding: 2px 10px; }"
    )
    c.suggestion_button.hide()
    c.language_combo = QComboBox()
    c.language_combo.setAccessibleName(c.tr("Reply language"))
    c.language_combo.setToolTip(c.tr("The language of the reply and of its templates"))
    tools.addWidget(c.templates_button)
    tools.addWidget(c.suggestion_button)
    tools.addStretch(1)
    tools.addWidget(QLabel(c.tr("Language:")))
    tools.addWidget(c.language_combo)

    c.missing_form = MissingValuesForm()
    c.body = QPlainTextEdit()
    c.body.setAccessibleName(c.tr("Message"))
    c.body.setPlaceholderText(
        c.tr("Write here — type ;ship for the shipping reply, ; and a shortcut for any template")
    )
    c.signature_view = QLabel()
    c.signature_view.setObjectName("signature")
    c.signature_view.setEnabled(False)
    c.signature_view.setWordWrap(True)
    c.quoted_toggle = QToolButton()
    c.quoted_toggle.setText(c.tr("Show the quoted message"))
    c.quoted_toggle.setCheckable(True)
    c.quoted_toggle.setAutoRaise(True)
    c.quoted_toggle.setArrowType(Qt.ArrowType.RightArrow)
    c.quoted_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    c.quoted_toggle.toggled.connect(
        lambda on: c.quoted_toggle.setArrowType(
            Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow
        )
    )
    c.quoted_view = QPlainTextEdit()
    c.quoted_view.setReadOnly(True)
    c.quoted_view.setAccessibleName(c.tr("Quoted message"))
    c.quoted_view.setMaximumHeight(160)
    c.quoted_view.hide()
    c.attachments = AttachmentList()
    c.problem_label = QLabel()
    c.problem_label.setObjectName("composerProblem")
    c.problem_label.setStyleSheet("QLabel#composerProblem { color: #b3261e; }")
    c.problem_label.setWordWrap(True)
    c.problem_label.hide()

    edit = QVBoxLayout(c.edit_page)
    edit.setContentsMargins(0, 0, 0, 0)
    edit.addLayout(c.fields)
    edit.addLayout(tools)
    edit.addWidget(c.missing_form)
    edit.addWidget(c.body, 1)
    edit.addWidget(c.signature_view)
    edit.addWidget(c.quoted_toggle)
    edit.addWidget(c.quoted_view)
    edit.addWidget(c.attachments)

    c.preview_head = QLabel()
    c.preview_head.setObjectName("previewHead")
    c.preview_head.setWordWrap(True)
    c.preview_view = QPlainTextEdit()
    c.preview_view.setReadOnly(True)
    c.preview_view.setAccessibleName(c.tr("Preview"))
    c.preview_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont))
    preview = QVBoxLayout(c.preview_page)
    preview.setContentsMargins(0, 0, 0, 0)
    title = QLabel(c.tr("<b>Preview</b> — this is what the customer gets."))
    preview.addWidget(title)
    preview.addWidget(c.preview_head)
    preview.addWidget(c.preview_view, 1)

    buttons = QHBoxLayout()
    c.attach_button = QPushButton(c.tr("Attach…"))
    c.discard_button = QPushButton(c.tr("Discard"))
    c.back_button = QPushButton(c.tr("Back to editing"))
    c.preview_button = QPushButton(c.tr("Preview (Ctrl+Enter)"))
    c.send_button = QPushButton(c.tr("Send (Ctrl+Enter)"))
    c.send_button.setDefault(True)
    buttons.addWidget(c.attach_button)
    buttons.addWidget(c.discard_button)
    buttons.addStretch(1)
    buttons.addWidget(c.back_button)
    buttons.addWidget(c.preview_button)
    buttons.addWidget(c.send_button)

    layout = QVBoxLayout(c)
    layout.addWidget(c.pages, 1)
    layout.addWidget(c.problem_label)
    layout.addLayout(buttons)
    c.pages.currentChanged.connect(lambda _i: _page_buttons(c))
    _page_buttons(c)


def _page_buttons(c: Composer) -> None:
    previewing = c.pages.currentWidget() is c.preview_page
    c.back_button.setVisible(previewing)
    c.send_button.setVisible(previewing)
    c.preview_button.setVisible(not previewing)
    c.attach_button.setVisible(not previewing)
