"""Gmail-style keys act on the case list, and do nothing while the merchant types in search."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop_app.core.mailbox import Mailbox
from desktop_app.ui import shortcuts
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.taskman import TaskManager
from tests.ui.test_main_window import open_window


@pytest.fixture
def window(qtbot: Any, tasks: TaskManager, demo_box: Mailbox) -> MainWindow:
    win = open_window(qtbot, tasks, demo_box)
    qtbot.waitUntil(lambda: win.cases.current_case_id() is not None)
    win.cases.setFocus()
    return win


def press(qtbot: Any, window: MainWindow, key: str) -> None:
    """A key as typed: `#` and `?` are shifted on most keyboards."""
    target = QApplication.focusWidget() or window
    qtbot.keyClicks(target, key)


def test_the_keys_are_declared_once_and_do_not_clash() -> None:
    keys = [s.key for s in shortcuts.SHORTCUTS]
    assert len(keys) == len(set(keys))
    names = {s.action for s in shortcuts.SHORTCUTS}
    gmail = {"next_case", "previous_case", "open_case", "back_to_list", "archive", "delete"}
    gmail |= {"reply", "reply_all", "forward", "compose", "search", "star", "undo", "help"}
    assert gmail <= names
    assert all(desc for _key, desc in shortcuts.sheet())


def test_j_and_k_move_between_cases(qtbot: Any, window: MainWindow) -> None:
    ids = window.case_model.ids
    assert window.cases.current_case_id() == ids[0]
    press(qtbot, window, "j")
    assert window.cases.current_case_id() == ids[1]
    assert window.conversation.case_id == ids[1]
    press(qtbot, window, "j")
    press(qtbot, window, "k")
    assert window.cases.current_case_id() == ids[1]


def test_e_archives_and_z_undoes(qtbot: Any, window: MainWindow) -> None:
    first = window.cases.current_case_id()
    count = window.case_model.rowCount()
    with qtbot.waitSignal(window.case_model.rowsRemoved, timeout=5000):
        press(qtbot, window, "e")
    assert window.case_model.row_of(first) == -1
    assert window.case_model.rowCount() == count - 1
    assert window.undo_bar.isVisible()
    assert "rchived" in window.undo_bar.label.text()
    assert window.cases.current_case_id() != first  # the next case is current
    with qtbot.waitSignal(window.case_model.ids_loaded, timeout=5000):
        press(qtbot, window, "z")
    qtbot.waitUntil(lambda: window.case_model.row_of(first) >= 0)
    assert window.case_model.rowCount() == count


def test_hash_deletes(qtbot: Any, window: MainWindow) -> None:
    first = window.cases.current_case_id()
    with qtbot.waitSignal(window.case_model.rowsRemoved, timeout=5000):
        press(qtbot, window, "#")
    assert window.case_model.row_of(first) == -1
    assert first in window.mailbox.views.case_ids("trash", window.clock())


def test_s_stars_the_case(qtbot: Any, window: MainWindow) -> None:
    case_id = window.cases.current_case_id()
    assert case_id is not None
    with qtbot.waitSignal(window.ops.changes_applied):
        press(qtbot, window, "s")
    qtbot.waitUntil(lambda: bool(window.case_model.case_row(case_id).starred))  # type: ignore[union-attr]
    assert window.case_model.index(0, 0).data().startswith("★")


def test_shift_u_and_shift_i_mark_unread_and_read(qtbot: Any, window: MainWindow) -> None:
    case_id = window.cases.current_case_id()
    assert case_id is not None
    with qtbot.waitSignal(window.ops.changes_applied):
        qtbot.keyClick(window.cases, Qt.Key.Key_U, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.case_model.case_row(case_id).unread > 0)  # type: ignore[union-attr]
    with qtbot.waitSignal(window.ops.changes_applied):
        qtbot.keyClick(window.cases, Qt.Key.Key_I, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.case_model.case_row(case_id).unread == 0)  # type: ignore[union-attr]


def test_question_mark_shows_the_sheet(qtbot: Any, window: MainWindow) -> None:
    press(qtbot, window, "?")
    qtbot.waitUntil(lambda: getattr(window, "shortcuts_dialog", None) is not None)
    dialog = window.shortcuts_dialog
    assert dialog.isVisible()
    assert dialog.table.rowCount() == len(shortcuts.SHORTCUTS)
    dialog.close()


def test_r_opens_the_composer_for_the_case(qtbot: Any, window: MainWindow) -> None:
    case_id = window.cases.current_case_id()
    press(qtbot, window, "r")
    composer = window.replies.composers[case_id]
    assert composer.isVisible() and composer.kind == "reply"
    with qtbot.waitSignal(composer.ready, timeout=10_000):
        pass
    composer.discard()


def test_slash_focuses_search_and_keys_then_type_text(qtbot: Any, window: MainWindow) -> None:
    current = window.cases.current_case_id()
    count = window.case_model.rowCount()
    press(qtbot, window, "/")
    assert window.search_box.hasFocus()
    with qtbot.assertNotEmitted(window.ops.changes_applied, wait=300):
        qtbot.keyClicks(window.search_box, "jkes#z")
    assert window.search_box.text() == "jkes#z"
    assert getattr(window, "shortcuts_dialog", None) is None
    window.search_box.clear()
    qtbot.waitUntil(lambda: window.case_model.rowCount() == count)  # nothing archived or deleted
    assert current in window.case_model.ids


def test_escape_leaves_search_for_the_list(qtbot: Any, window: MainWindow) -> None:
    press(qtbot, window, "/")
    qtbot.keyClicks(window.search_box, "refund")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Escape)
    assert window.search_box.text() == ""
    assert window.cases.hasFocus()


def test_status_keys_move_the_case_between_queues(qtbot: Any, window: MainWindow) -> None:
    case_id = window.cases.current_case_id()
    assert case_id is not None
    with qtbot.waitSignal(window.case_model.ids_loaded):
        window.queues.choose("all")  # where the case stays whatever its status
    window.cases.select_case(case_id)
    window.cases.setFocus()
    for key, status in (("w", "waiting"), ("d", "done"), ("O", "open")):
        with qtbot.waitSignal(window.ops.changes_applied):
            if key == "O":
                qtbot.keyClick(window.cases, Qt.Key.Key_O, Qt.KeyboardModifier.ShiftModifier)
            else:
                press(qtbot, window, key)
        views = window.mailbox.views
        assert case_id in views.case_ids(status, window.clock())


def test_b_l_t_ask_then_snooze_tag_and_note(
    qtbot: Any, window: MainWindow, monkeypatch: Any
) -> None:
    from datetime import timedelta

    from desktop_app.ui import dialogs

    case_id = window.cases.current_case_id()
    assert case_id is not None
    monkeypatch.setattr(dialogs, "ask_tags", lambda parent, current, known: (["refill"], []))
    with qtbot.waitSignal(window.ops.changes_applied):
        press(qtbot, window, "l")
    qtbot.waitUntil(lambda: "refill" in window.case_model.case_row(case_id).tags)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: window.queue_model.row_of("tag:refill") >= 0)
    monkeypatch.setattr(dialogs, "ask_note", lambda parent: "Called the customer")
    with qtbot.waitSignal(window.ops.changes_applied):
        press(qtbot, window, "t")
    assert window.mailbox.triage.notes(case_id)[-1][2] == "Called the customer"
    until = window.clock() + timedelta(days=2)
    monkeypatch.setattr(dialogs, "ask_snooze", lambda parent, now: until)
    with qtbot.waitSignal(window.case_model.rowsRemoved):
        press(qtbot, window, "b")
    assert case_id in window.mailbox.views.case_ids("snoozed", window.clock())
    monkeypatch.setattr(dialogs, "ask_note", lambda parent: None)  # cancelled: nothing happens
    with qtbot.assertNotEmitted(window.ops.changes_applied, wait=200):
        press(qtbot, window, "t")


def test_an_opened_unread_case_is_marked_read_quietly(
    qtbot: Any, tasks: TaskManager, demo_box: Mailbox
) -> None:
    from desktop_app.ui import operations

    window = open_window(qtbot, tasks, demo_box)
    qtbot.waitUntil(lambda: window.cases.current_case_id() is not None)
    unread = [
        c
        for c in window.case_model.ids
        if (window.case_model.case_row(c) or 0) and window.case_model.case_row(c).unread
    ]  # type: ignore[union-attr]
    assert unread
    with qtbot.waitSignal(
        window.ops.changes_applied,
        timeout=5000,
        check_params_cb=lambda _changes, mode: mode == operations.QUIET,
    ):
        window.cases.select_case(unread[-1])
    qtbot.waitUntil(lambda: window.case_model.case_row(unread[-1]).unread == 0)  # type: ignore[union-attr]
    assert not window.undo_bar.isVisible()
    assert window.ops.undo_tokens == []
