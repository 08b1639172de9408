"""The template editor: canned replies by category and language, edited with a live preview."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QWidget,
)

from desktop_app.ui import external
from desktop_app.ui.reply_backend import ReplyBackend
from desktop_app.ui.taskman import TaskManager, plain_error
from desktop_app.ui.template_form import TEMPLATE_ROLE, build_editor

if TYPE_CHECKING:
    from desktop_app.core.mailbox import Mailbox
    from desktop_app.core.replies.render import Rendered
    from desktop_app.core.replies.templates import TemplateInfo

log = logging.getLogger(__name__)
PREVIEW_DELAY_MS = 300
KEY_RE = re.compile(r"^[a-z0-9_]+$")


def preview(
    mailbox: Mailbox, subject: str, body: str, case_id: int | None, language: str
) -> Rendered:
    """Render unsaved template text against a case (database worker)."""
    return ReplyBackend(mailbox).render_text(subject, body, case_id, language)


class TemplateEditor(QDialog):
    """Lists the templates (category → title, per language) and edits the chosen one.

    Signals: `templates_loaded(int)` with how many are listed, `saved(object)` with the saved
    `TemplateInfo`, `previewed(str)` with the preview text or the plain error shown.
    """

    templates_loaded = Signal(int)
    saved = Signal(object)
    previewed = Signal(str)

    def __init__(
        self,
        tasks: TaskManager,
        mailbox: Mailbox,
        case_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.tasks, self.mailbox, self.case_id = tasks, mailbox, case_id
        self.setWindowTitle(self.tr("Templates"))
        self.resize(1100, 700)
        self.items: list[TemplateInfo] = []
        self.current: TemplateInfo | None = None
        self._filling = False
        self._preview_generation = 0
        self.model = QStandardItemModel(self)
        build_editor(self)
        self.tree.setModel(self.model)
        self.tree.selectionModel().currentChanged.connect(lambda cur, _prev: self._chosen(cur))
        self.language_filter.currentIndexChanged.connect(lambda _i: self._fill_tree())
        self.preview_timer = QTimer(self)
        self.preview_timer.setSingleShot(True)
        self.preview_timer.setInterval(PREVIEW_DELAY_MS)
        self.preview_timer.timeout.connect(self.run_preview)
        for edit in (self.title_edit, self.shortcut_edit, self.subject_edit):
            edit.textEdited.connect(lambda _t: self._edited())
        self.category_combo.editTextChanged.connect(lambda _t: self._edited())
        self.intent_combo.currentIndexChanged.connect(lambda _i: self._edited())
        self.body_edit.textChanged.connect(self._edited)
        self.new_button.clicked.connect(self.create)
        self.duplicate_button.clicked.connect(self.duplicate)
        self.delete_button.clicked.connect(self.delete)
        self.save_button.clicked.connect(self.save)
        self.import_button.clicked.connect(self.import_files)
        self.export_button.clicked.connect(self.export_files)
        self.close_button.clicked.connect(self.accept)
        self.reload()

    # -- the list
    def reload(
        self, select: tuple[str, str] | None = None, then: Callable[[], None] | None = None
    ) -> None:
        """Read the list again (selecting `select`), then call `then`."""
        templates = self.mailbox.templates
        self.tasks.run_db(
            lambda: templates.list(None),
            lambda items: self._loaded(items, select, then),
            self._fail,
        )

    def _loaded(
        self,
        items: list[TemplateInfo],
        select: tuple[str, str] | None,
        then: Callable[[], None] | None,
    ) -> None:
        self.items = list(items)
        self._fill_tree(select)
        if then is not None:
            then()
        self.templates_loaded.emit(len(self.items))

    def _fill_tree(self, select: tuple[str, str] | None = None) -> None:
        if select is None and self.current is not None:
            select = (self.current.key, self.current.language)
        language = self.language_filter.currentData()
        self.model.clear()
        self.model.setHorizontalHeaderLabels([self.tr("Template"), self.tr("Shortcut")])
        categories: dict[str, QStandardItem] = {}
        chosen = None
        for info in sorted(self.items, key=lambda t: (t.category, t.title, t.language)):
            if language and info.language != language:
                continue
            parent = categories.get(info.category)
            if parent is None:
                parent = QStandardItem(info.category or self.tr("Other"))
                parent.setEditable(False)
                parent.setSelectable(False)
                categories[info.category] = parent
                self.model.appendRow([parent, QStandardItem()])
            title = info.title if language else f"{info.title} ({info.language})"
            item = QStandardItem(title + ("" if info.builtin and not info.modified else " •"))
            item.setEditable(False)
            item.setData(info, TEMPLATE_ROLE)
            shortcut = QStandardItem(f";{info.shortcut}" if info.shortcut else "")
            shortcut.setEditable(False)
            parent.appendRow([item, shortcut])
            if select == (info.key, info.language):
                chosen = item
        self.tree.expandAll()
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        if chosen is not None:
            self.tree.setCurrentIndex(chosen.index())
            self.tree.scrollTo(chosen.index())

    def _chosen(self, index: Any) -> None:
        info = index.siblingAtColumn(0).data(TEMPLATE_ROLE) if index.isValid() else None
        if info is None:
            return
        self.show_template(info)

    def select(self, key: str, language: str) -> None:
        index = self.language_filter.findData(language)
        if self.language_filter.currentData() not in ("", language) and index >= 0:
            blocked = self.language_filter.blockSignals(True)
            self.language_filter.setCurrentIndex(index)
            self.language_filter.blockSignals(blocked)
        self._fill_tree((key, language))

    # -- the form
    def show_template(self, info: TemplateInfo) -> None:
        self.current = info
        self._filling = True
        self.key_label.setText(f"{info.key} · {info.language}")
        self.title_edit.setText(info.title)
        self.category_combo.setEditText(info.category)
        self.shortcut_edit.setText(info.shortcut)
        self.intent_combo.setCurrentIndex(max(self.intent_combo.findText(info.intent), 0))
        self.subject_edit.setText(info.subject)
        self.body_edit.setPlainText(info.body)
        self._filling = False
        self.save_button.setEnabled(False)
        for button in (self.duplicate_button, self.delete_button):
            button.setEnabled(True)
        self.run_preview()

    def form_info(self) -> TemplateInfo | None:
        if self.current is None:
            return None
        return replace(
            self.current,
            title=self.title_edit.text().strip(),
            category=self.category_combo.currentText().strip(),
            shortcut=self.shortcut_edit.text().strip().lstrip(";"),
            intent=self.intent_combo.currentText(),
            subject=self.subject_edit.text(),
            body=self.body_edit.toPlainText(),
        )

    def _edited(self) -> None:
        if self._filling or self.current is None:
            return
        self.save_button.setEnabled(True)
        self.preview_timer.start()

    # -- preview
    def run_preview(self) -> None:
        info = self.form_info()
        if info is None:
            return
        self._preview_generation += 1
        generation, box, case_id = self._preview_generation, self.mailbox, self.case_id
        self.tasks.run_db(
            lambda: preview(box, info.subject, info.body, case_id, info.language),
            lambda rendered: self._previewed(generation, rendered, None),
            lambda exc: self._previewed(generation, None, exc),
        )

    def _previewed(
        self, generation: int, rendered: Rendered | None, exc: BaseException | None
    ) -> None:
        if generation != self._preview_generation:
            return
        if rendered is not None:
            text = self.tr("Subject: {subject}").format(subject=rendered.subject) + "\n\n"
            text += rendered.body
            self.preview_error.hide()
        else:
            text = plain(exc) if exc is not None else ""
            self.preview_error.setText(text)
            self.preview_error.show()
        if rendered is not None:
            self.preview_view.setPlainText(text)
        if self.case_id is None:
            self.preview_note.setText(
                self.tr("Choose a case in the main window to preview with its order and customer.")
            )
        self.previewed.emit(text)

    # -- changes
    def save(self) -> None:
        info = self.form_info()
        if info is None:
            return
        if not info.title:
            self._show_error(self.tr("A template needs a title."))
            return
        templates = self.mailbox.templates
        self.tasks.run_db(lambda: templates.save(info), self._saved, self._fail)

    def _saved(self, info: TemplateInfo) -> None:
        self.current = info
        self.save_button.setEnabled(False)
        self.reload((info.key, info.language), lambda: self.saved.emit(info))

    def create(self, key: str | None = None, language: str | None = None) -> None:
        """A new, empty template (asks for its key when not given)."""
        from desktop_app.core.replies.templates import TemplateInfo

        key = key or self._ask_key(self.tr("New template"))
        if not key:
            return
        language = language or self.language_filter.currentData() or "en"
        info = TemplateInfo(
            id=None,
            key=key,
            language=language,
            title=key.replace("_", " "),
            category=self.tr("My replies"),
            shortcut="",
            intent="other",
            subject="",
            body="Hello {{ customer.first_name }},\n\n\n\n{{ shop.signature }}\n",
            builtin=False,
            modified=True,
        )
        templates = self.mailbox.templates
        self.tasks.run_db(lambda: templates.save(info), self._saved, self._fail)

    def duplicate(self, new_key: str | None = None) -> None:
        if self.current is None:
            return
        key, language = self.current.key, self.current.language
        new_key = new_key or self._ask_key(self.tr("Duplicate"), f"{key}_copy")
        if not new_key:
            return
        templates = self.mailbox.templates
        self.tasks.run_db(
            lambda: templates.duplicate(key, language, new_key), self._saved, self._fail
        )

    def delete(self, confirm: bool = True) -> None:
        if self.current is None:
            return
        key, language, title = self.current.key, self.current.language, self.current.title
        if confirm and not external.confirm(
            self,
            self.tr("Delete"),
            self.tr("Delete “{title}” ({language})?").format(title=title, language=language),
            self.tr("Delete"),
        ):
            return
        templates = self.mailbox.templates
        self.current = None
        self.tasks.run_db(
            lambda: templates.delete(key, language), lambda _r: self.reload(), self._fail
        )

    def import_files(self, paths: list[Path] | None = None) -> None:
        if paths is None:
            names, _f = QFileDialog.getOpenFileNames(
                self, self.tr("Import templates"), "", self.tr("Templates (*.j2)")
            )
            paths = [Path(n) for n in names]
        if not paths:
            return
        templates, chosen = self.mailbox.templates, list(paths)
        self.tasks.run_db(lambda: templates.import_files(chosen), self._imported, self._fail)

    def _imported(self, count: int) -> None:
        self.status_label.setText(self.tr("%n template(s) imported", "", count))
        self.reload()

    def export_files(self, folder: Path | None = None) -> None:
        if folder is None:
            name = QFileDialog.getExistingDirectory(self, self.tr("Export templates to"))
            if not name:
                return
            folder = Path(name)
        templates, target = self.mailbox.templates, folder
        self.tasks.run_db(lambda: templates.export_files(target), self._exported, self._fail)

    def _exported(self, count: int) -> None:
        self.status_label.setText(self.tr("%n template(s) exported", "", count))

    def _ask_key(self, title: str, suggestion: str = "") -> str:
        key, ok = QInputDialog.getText(
            self, title, self.tr("A short name (letters, digits, _):"), text=suggestion
        )
        key = key.strip().lower()
        if not ok or not key:
            return ""
        if not KEY_RE.match(key):
            self._show_error(self.tr("Use only small letters, digits and _ in the name."))
            return ""
        return key

    def _show_error(self, text: str) -> None:
        self.status_label.setText(text)

    def _fail(self, exc: BaseException) -> None:
        self._show_error(plain(exc))


def plain(exc: BaseException) -> str:
    return plain_error(exc, "template task")
