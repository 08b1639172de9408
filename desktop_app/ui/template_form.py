"""The template editor's widgets: the list, the form, the preview, the buttons."""

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
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.replies.intents import INTENTS
from desktop_app.ui.reply_backend import LANGUAGE_NAMES

if TYPE_CHECKING:
    from desktop_app.ui.template_editor import TemplateEditor

TEMPLATE_ROLE = Qt.ItemDataRole.UserRole + 1
CATEGORIES = ("Shipping", "Orders", "Product help", "Returns", "Reviews", "Follow-up")


def build_editor(e: TemplateEditor) -> None:
    """Create `e`'s widgets as attributes: list | form and body | preview."""
    e.language_filter = QComboBox()
    e.language_filter.setAccessibleName(e.tr("Language"))
    for code, name in LANGUAGE_NAMES.items():
        e.language_filter.addItem(name, code)
    e.language_filter.addItem(e.tr("All languages"), "")
    e.tree = QTreeView()
    e.tree.setAccessibleName(e.tr("Templates"))
    e.tree.setUniformRowHeights(True)
    e.new_button = QPushButton(e.tr("New…"))
    e.duplicate_button = QPushButton(e.tr("Duplicate…"))
    e.delete_button = QPushButton(e.tr("Delete"))
    e.import_button = QPushButton(e.tr("Import…"))
    e.export_button = QPushButton(e.tr("Export…"))
    for button in (e.duplicate_button, e.delete_button):
        button.setEnabled(False)
    left = QWidget()
    left_layout = QVBoxLayout(left)
    left_layout.setContentsMargins(0, 0, 0, 0)
    left_layout.addWidget(e.language_filter)
    left_layout.addWidget(e.tree, 1)
    row1, row2 = QHBoxLayout(), QHBoxLayout()
    for button in (e.new_button, e.duplicate_button, e.delete_button):
        row1.addWidget(button)
    for button in (e.import_button, e.export_button):
        row2.addWidget(button)
    left_layout.addLayout(row1)
    left_layout.addLayout(row2)

    e.key_label = QLabel()
    e.key_label.setEnabled(False)
    e.title_edit = QLineEdit()
    e.category_combo = QComboBox()
    e.category_combo.setEditable(True)
    e.category_combo.addItems(list(CATEGORIES))
    e.shortcut_edit = QLineEdit()
    e.shortcut_edit.setPlaceholderText(e.tr("ship  (typed as ;ship in the composer)"))
    e.intent_combo = QComboBox()
    e.intent_combo.addItems(list(INTENTS))
    e.subject_edit = QLineEdit()
    mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    e.body_edit = QPlainTextEdit()
    e.body_edit.setAccessibleName(e.tr("Template text"))
    e.body_edit.setFont(mono)
    form = QFormLayout()
    form.addRow(e.tr("Name:"), e.key_label)
    form.addRow(e.tr("Title:"), e.title_edit)
    form.addRow(e.tr("Category:"), e.category_combo)
    form.addRow(e.tr("Shortcut:"), e.shortcut_edit)
    form.addRow(e.tr("Answers:"), e.intent_combo)
    form.addRow(e.tr("Subject:"), e.subject_edit)
    middle = QWidget()
    middle_layout = QVBoxLayout(middle)
    middle_layout.setContentsMargins(0, 0, 0, 0)
    middle_layout.addLayout(form)
    middle_layout.addWidget(e.body_edit, 1)
    hint = QLabel(
        e.tr(
            "Variables: {{ customer.first_name }}, {{ order.number }}, "
            "{{ order.tracking_url }}, {{ order.total | money(order.currency) }}, "
            "{{ shop.signature }} …"
        )
    )
    hint.setWordWrap(True)
    hint.setEnabled(False)
    middle_layout.addWidget(hint)

    e.preview_note = QLabel(e.tr("Preview with the case chosen in the main window"))
    e.preview_note.setWordWrap(True)
    e.preview_error = QLabel()
    e.preview_error.setObjectName("previewError")
    e.preview_error.setStyleSheet("QLabel#previewError { color: #b3261e; }")
    e.preview_error.setWordWrap(True)
    e.preview_error.hide()
    e.preview_view = QPlainTextEdit()
    e.preview_view.setReadOnly(True)
    e.preview_view.setAccessibleName(e.tr("Preview"))
    right = QWidget()
    right_layout = QVBoxLayout(right)
    right_layout.setContentsMargins(0, 0, 0, 0)
    title = QLabel(e.tr("<b>Preview</b>"))
    right_layout.addWidget(title)
    right_layout.addWidget(e.preview_note)
    right_layout.addWidget(e.preview_error)
    right_layout.addWidget(e.preview_view, 1)

    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.addWidget(left)
    splitter.addWidget(middle)
    splitter.addWidget(right)
    splitter.setSizes([300, 440, 360])
    e.status_label = QLabel()
    e.status_label.setWordWrap(True)
    e.save_button = QPushButton(e.tr("Save"))
    e.save_button.setEnabled(False)
    e.close_button = QPushButton(e.tr("Close"))
    buttons = QHBoxLayout()
    buttons.addWidget(e.status_label, 1)
    buttons.addWidget(e.save_button)
    buttons.addWidget(e.close_button)
    layout = QVBoxLayout(e)
    layout.addWidget(splitter, 1)
    layout.addLayout(buttons)
