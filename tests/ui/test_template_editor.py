"""The template editor: by category, live preview on a case, create, duplicate, delete, files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.mailbox import Mailbox
from desktop_app.ui.taskman import TaskManager
from desktop_app.ui.template_editor import TemplateEditor
from tests.ui.test_composer import case_about


@pytest.fixture
def editor(qtbot: Any, tasks: TaskManager, demo_box: Mailbox) -> TemplateEditor:
    case_id = case_about(demo_box, "Refills for the Rose")
    dialog = TemplateEditor(tasks, demo_box, case_id)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.templates_loaded, timeout=10_000):
        dialog.show()
    return dialog


def keys(editor: TemplateEditor) -> set[tuple[str, str]]:
    return {(t.key, t.language) for t in editor.items}


def choose(qtbot: Any, editor: TemplateEditor, key: str, language: str = "en") -> str:
    with qtbot.waitSignal(editor.previewed, timeout=5000) as shown:
        editor.select(key, language)
    assert editor.current is not None and editor.current.key == key
    return str(shown.args[0])


def test_lists_by_category_and_previews_on_the_chosen_case(
    qtbot: Any, editor: TemplateEditor
) -> None:
    assert ("refills_accessories", "en") in keys(editor)
    categories = [editor.model.item(row).text() for row in range(editor.model.rowCount())]
    assert len(categories) == len(set(categories)) >= 3
    preview = choose(qtbot, editor, "refills_accessories")
    assert "Grace" in preview and "#4058" in preview  # the case's customer and order
    assert editor.title_edit.text() and editor.shortcut_edit.text() == "refill"
    assert not editor.preview_error.isVisible()


def test_a_missing_value_is_named_in_the_preview(qtbot: Any, editor: TemplateEditor) -> None:
    choose(qtbot, editor, "refills_accessories")
    with qtbot.waitSignal(editor.previewed, timeout=5000) as shown:
        editor.body_edit.setPlainText("Your code: {{ discount_code }}")
    assert "discount_code" in shown.args[0]
    assert editor.preview_error.isVisible() and editor.save_button.isEnabled()


def test_create_edit_duplicate_delete(
    qtbot: Any, editor: TemplateEditor, demo_box: Mailbox
) -> None:
    with qtbot.waitSignal(editor.templates_loaded, timeout=5000):
        editor.create("gift_wrap", "en")
    assert ("gift_wrap", "en") in keys(editor)
    assert editor.current is not None and editor.current.key == "gift_wrap"
    editor.title_edit.setText("Gift wrapping")
    editor.shortcut_edit.setText(";gift")
    editor.body_edit.setPlainText("Hello {{ customer.first_name }}, we wrap it for free.")
    with qtbot.waitSignal(editor.saved, timeout=5000):
        editor.save_button.click()
    saved = demo_box.templates.get("gift_wrap", "en")
    assert saved is not None and saved.title == "Gift wrapping" and saved.shortcut == "gift"
    with qtbot.waitSignal(editor.templates_loaded, timeout=5000):
        editor.duplicate("gift_wrap_copy")
    assert ("gift_wrap_copy", "en") in keys(editor)
    assert editor.current is not None and editor.current.key == "gift_wrap_copy"
    with qtbot.waitSignal(editor.templates_loaded, timeout=5000):
        editor.delete(confirm=False)
    assert ("gift_wrap_copy", "en") not in keys(editor)
    assert demo_box.templates.get("gift_wrap_copy", "en") is None


def test_export_then_import_files(
    qtbot: Any, editor: TemplateEditor, demo_box: Mailbox, tmp_path: Path
) -> None:
    editor.export_files(tmp_path)
    qtbot.waitUntil(lambda: "exported" in editor.status_label.text())
    files = sorted(tmp_path.rglob("*.j2"))
    assert len(files) == len(editor.items)
    mine = tmp_path / "en" / "refills_accessories.j2"
    mine.write_text(mine.read_text(encoding="utf-8").replace("title: ", "title: New "), "utf-8")
    with qtbot.waitSignal(editor.templates_loaded, timeout=5000):
        editor.import_files([mine])
    info = demo_box.templates.get("refills_accessories", "en")
    assert info is not None and info.title.startswith("New ") and info.modified
    assert "1 template imported" in editor.status_label.text()
