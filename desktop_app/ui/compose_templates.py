"""The composer's templates: `;shortcut` typed, the menu, the suggestion, missing values."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMenu

from desktop_app.ui.compose_parts import spot_shortcut

if TYPE_CHECKING:
    from desktop_app.core.replies.render import Rendered
    from desktop_app.core.replies.templates import TemplateInfo


class TemplateFilling:
    """Mixed into `Composer`: puts rendered templates into its body.

    A `;shortcut` typed at the start of a line or after a space is taken out and replaced by
    the template rendered for the case; a template that lacks values opens the missing-values
    form and is rendered again with what the merchant types; a new language renders the last
    template again in its place (unless it was edited since).
    """

    def _set_templates(self, templates: list[TemplateInfo]) -> None:
        self.templates = templates
        menu = QMenu(self)
        by_category: dict[str, list[TemplateInfo]] = {}
        for info in templates:
            by_category.setdefault(info.category or self.tr("Other"), []).append(info)
        for category in sorted(by_category):
            sub = menu.addMenu(category)
            for info in sorted(by_category[category], key=lambda t: t.title):
                action = sub.addAction(
                    f"{info.title}\t;{info.shortcut}" if info.shortcut else info.title
                )
                action.triggered.connect(lambda _c=False, key=info.key: self.insert_template(key))
        self.templates_button.setMenu(menu)
        self.templates_menu = menu

    # -- templates
    def _body_changed(self) -> None:
        if self._loading:
            return
        cursor = self.body.textCursor()
        block = cursor.block()
        before = block.text()[: cursor.positionInBlock()]
        found = spot_shortcut(before, [t.shortcut for t in self.templates])
        if found is not None:
            shortcut, start, end = found
            info = next(t for t in self.templates if t.shortcut.lower() == shortcut)
            token = QTextCursor(self.body.document())
            token.setPosition(block.position() + start)
            token.setPosition(block.position() + end, QTextCursor.MoveMode.KeepAnchor)
            self._loading = True
            token.removeSelectedText()
            self._loading = False
            self._render(info.key, token)
        self._changed()

    def insert_template(self, key: str) -> None:
        """Render template `key` for this case at the cursor (asking for missing values)."""
        self._render(key, self.body.textCursor())

    def _use_suggestion(self) -> None:
        if self.setup is not None and self.setup.suggestion is not None:
            self.insert_template(self.setup.suggestion.key)

    def _render(self, key: str, where: QTextCursor) -> None:
        self._pending = (key, where)
        backend, case_id, language, extra = (
            self.backend,
            self.case_id,
            self.language,
            dict(self.extra),
        )
        self.tasks.run_db(
            lambda: backend.render(key, case_id, language, extra),
            self._live(lambda rendered: self._rendered(key, rendered)),
            self._live(lambda exc: self._render_failed(key, exc)),
        )

    def _rendered(self, key: str, rendered: Rendered) -> None:
        pending, self._pending = self._pending, None
        if pending is None or pending[0] != key:
            return
        cursor = pending[1]
        body = without_signature(rendered.body, self.setup.signature if self.setup else "")
        cursor.insertText(body)
        self.body.setTextCursor(cursor)
        self.template_key, self._inserted = key, body
        subject = self.subject_edit.text()
        if rendered.subject and (not subject or subject == self._subject_from_template):
            self.subject_edit.setText(rendered.subject)
            self._subject_from_template = rendered.subject
        note = getattr(rendered, "note", "")
        if note:
            self.status_message.emit(note)
        self._changed()
        self.template_inserted.emit(key)

    def _render_failed(self, key: str, exc: BaseException) -> None:
        missing = tuple(getattr(exc, "missing", ()) or ())
        if missing:
            info = next((t for t in self.templates if t.key == key), None)
            self.missing_form.ask(info.title if info else key, missing, self.extra)
            self.values_asked.emit(missing)
            return
        self._pending = None
        self._fail(exc)

    def _values_filled(self, values: dict[str, str]) -> None:
        self.extra.update(values)
        if self._pending is not None:
            self._render(*self._pending)

    def _language_chosen(self, _index: int) -> None:
        code = self.language_combo.currentData()
        if not code or code == self.language:
            return
        self.language = code
        self._changed()
        backend = self.backend
        self.tasks.run_db(
            lambda: backend.templates(code), self._live(self._set_templates), self._live(self._fail)
        )
        if self.template_key is None or not self._inserted:
            return
        text = self.body.toPlainText()
        start = text.find(self._inserted)
        if start < 0:
            self.status_message.emit(
                self.tr("The template was edited, so it stays in its first language.")
            )
            return
        cursor = QTextCursor(self.body.document())
        cursor.setPosition(start)
        cursor.setPosition(start + len(self._inserted), QTextCursor.MoveMode.KeepAnchor)
        self._loading = True
        cursor.removeSelectedText()
        self._loading = False
        self._render(self.template_key, cursor)


def without_signature(body: str, signature: str) -> str:
    """A template's text without the shop's signature at its end (the message adds it)."""
    mark = signature.strip()
    text = body.rstrip()
    if mark and text.endswith(mark):
        text = text[: -len(mark)].rstrip()
        if text.endswith("--"):
            text = text[:-2].rstrip()
        return text + "\n"
    return body
