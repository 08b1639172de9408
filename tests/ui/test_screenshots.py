"""Pictures of the main views, written to $SHOPDESK_SCREENSHOTS when it is set (built always)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from desktop_app.core.mailbox import Mailbox
from desktop_app.ui import theme
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.setup_dialog import SetupDialog
from desktop_app.ui.taskman import TaskManager
from tests.ui.test_main_window import open_window


def shot(widget: QWidget, name: str) -> None:
    QApplication.sendPostedEvents()  # pending layouts, so the picture shows what was added
    pixmap = widget.grab()
    assert not pixmap.isNull() and pixmap.width() > 100
    folder = os.environ.get("SHOPDESK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        assert pixmap.save(str(Path(folder) / f"{name}.png"))


@pytest.fixture
def light(qapp: QApplication) -> Iterator[None]:
    theme.apply(qapp, theme.LIGHT)
    yield
    theme.apply(qapp, theme.LIGHT)


def ready(qtbot: Any, tasks: TaskManager, box: Mailbox) -> MainWindow:
    window = open_window(qtbot, tasks, box)
    window.resize(1440, 860)
    qtbot.waitUntil(lambda: window.cases.current_case_id() is not None)
    qtbot.waitUntil(lambda: window.banner.isVisible())
    show(qtbot, window)
    return window


def show(qtbot: Any, window: MainWindow) -> None:
    """The current case in the conversation pane, its newest message's body loaded."""
    conversation = window.conversation
    with qtbot.waitSignals([conversation.case_shown, conversation.message_opened], timeout=10_000):
        conversation.show_case(window.cases.current_case_id())


def test_case_list_and_conversation(
    qtbot: Any, tasks: TaskManager, demo_box: Mailbox, light: None
) -> None:
    window = ready(qtbot, tasks, demo_box)
    shot(window, "main-case-list")
    with qtbot.waitSignal(window.case_model.rowsInserted, timeout=5000):
        window.cases.expand(window.case_model.case_index(window.cases.current_case_id() or 0))
    window.cases.move(1)
    window.cases.move(1)
    qtbot.waitUntil(lambda: window.conversation.case_id == window.cases.current_case_id())
    show(qtbot, window)
    shot(window, "conversation")
    shot(window.conversation, "conversation-pane")


def test_search_results(qtbot: Any, tasks: TaskManager, demo_box: Mailbox, light: None) -> None:
    window = ready(qtbot, tasks, demo_box)
    with qtbot.waitSignal(window.case_model.ids_loaded, timeout=5000):
        window.search_box.setText("refund")
    assert window.case_model.rowCount() >= 1
    qtbot.waitUntil(lambda: window.conversation.case_id == window.case_model.ids[0])
    show(qtbot, window)
    shot(window, "search-results")


def test_setup_dialog(qtbot: Any, tasks: TaskManager, demo_box: Mailbox, light: None) -> None:
    window = ready(qtbot, tasks, demo_box)
    dialog = SetupDialog(tasks, demo_box, window)
    qtbot.addWidget(dialog)
    with qtbot.waitExposed(dialog):
        dialog.show()
    shot(dialog, "setup-dialog")
    dialog.close()


def test_dark_mode(
    qtbot: Any, qapp: QApplication, tasks: TaskManager, demo_box: Mailbox, monkeypatch: Any
) -> None:
    monkeypatch.setenv("SHOPDESK_THEME", "dark")
    try:
        assert theme.apply(qapp) == theme.DARK
        window = ready(qtbot, tasks, demo_box)
        assert window.palette().window().color().lightness() < 80
        shot(window, "main-dark")
    finally:
        theme.apply(qapp, theme.LIGHT)


def test_composer_and_template_editor(
    qtbot: Any, tasks: TaskManager, demo_box: Mailbox, light: None
) -> None:
    from desktop_app.ui.template_editor import TemplateEditor
    from tests.ui.test_composer import case_about, type_into

    window = ready(qtbot, tasks, demo_box)
    case_id = case_about(demo_box, "Refills for the Rose")
    window.replies.current_case = lambda: case_id
    composer = window.replies.compose("reply")
    assert composer is not None
    with qtbot.waitSignal(composer.ready, timeout=10_000):
        pass
    composer.resize(780, 720)
    with qtbot.waitSignal(composer.values_asked, timeout=5000):
        type_into(qtbot, composer, ";ship")
    with qtbot.waitExposed(composer):
        composer.show()
    shot(composer, "composer-missing-values")
    composer.missing_form.hide()
    with qtbot.waitSignal(composer.template_inserted, timeout=5000):
        composer.insert_template("refills_accessories")
    shot(composer, "composer")
    composer.show_preview()
    shot(composer, "composer-preview")
    composer.discard()

    editor = TemplateEditor(tasks, demo_box, case_id, window)
    qtbot.addWidget(editor)
    with qtbot.waitSignal(editor.templates_loaded, timeout=5000):
        editor.show()
    with qtbot.waitSignal(editor.previewed, timeout=5000):
        editor.select("refills_accessories", "en")
    shot(editor, "template-editor")
    editor.close()


def test_sending_bar_and_outbox(
    qtbot: Any, tasks: TaskManager, demo_box: Mailbox, light: None
) -> None:
    from desktop_app.ui.outbox_view import OutboxDialog

    window = ready(qtbot, tasks, demo_box)
    composer = window.replies.compose("reply")
    assert composer is not None
    with qtbot.waitSignal(composer.ready, timeout=10_000):
        pass
    composer.body.setPlainText("Thank you, it is on its way.")
    composer.send()
    with qtbot.waitSignal(window.replies.outbox.waiting_changed, timeout=5000):
        composer.send()
    qtbot.waitUntil(window.outbox_button.isVisible)
    shot(window, "main-sending")
    dialog = OutboxDialog(window.replies.outbox, window)
    qtbot.addWidget(dialog)
    with qtbot.waitExposed(dialog):
        dialog.show()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    shot(dialog, "outbox")
    dialog.close()


def test_reminders_due_away_and_batch(
    qtbot: Any, tasks: TaskManager, demo_box: Mailbox, light: None
) -> None:
    from dataclasses import replace
    from datetime import timedelta

    from desktop_app.core.reminders.service import Reminders
    from tests.ui.conftest import NOW
    from tests.ui.test_reminders_ui import REVIEW_LINK, open_batch, review_batch_of

    demo_box.reminders = Reminders(demo_box.store, clock=lambda: NOW)
    demo_box.set_shop(replace(demo_box.shop(), review_link=REVIEW_LINK))
    window = ready(qtbot, tasks, demo_box)
    qtbot.waitUntil(window.reminders.banner.isVisible)
    window.show_due()
    current = window.reminders.view.table.current()
    assert current is not None
    conversation = window.conversation
    with qtbot.waitSignals([conversation.case_shown, conversation.message_opened], timeout=10_000):
        conversation.show_case(current.case_id)
    shot(window, "reminders-due")

    demo_box.reminders.mark_seen(NOW - timedelta(days=3))
    window.reminders.check_away()
    qtbot.waitUntil(lambda: window.reminders.away_dialog is not None)
    away = window.reminders.away_dialog
    assert away is not None
    with qtbot.waitExposed(away):
        away.show()
    shot(away, "reminders-away")
    away.reject()

    real = next(r for r in window.reminders.actions.model.reminders() if r.rule == "review")
    batch = [real, *review_batch_of(demo_box, [6, 17])]
    demo_box.set_shop(replace(demo_box.shop(), review_link=REVIEW_LINK))
    dialog = open_batch(qtbot, window, batch)
    dialog.list.setCurrentIndex(dialog.model.index(1, 0))
    shot(dialog, "reminders-batch-review")
    dialog.reject()
