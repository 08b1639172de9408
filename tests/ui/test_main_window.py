"""The main window on a real store: queues with counts, cases, the demo banner, search, sync."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop_app.core.errors import ConnectionFailed
from desktop_app.core.mailbox import Mailbox
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.models.case_columns import CASE_ID_ROLE
from desktop_app.ui.models.queue_model import COUNT_ROLE, KEY_ROLE
from desktop_app.ui.sync_controller import SyncController
from desktop_app.ui.taskman import TaskManager
from tests.ui.conftest import NOW


def open_window(qtbot: Any, tasks: TaskManager, box: Mailbox, **kw: Any) -> MainWindow:
    window = MainWindow(tasks, box, clock=lambda: NOW, **kw)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.case_model.ids_loaded), qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    qtbot.waitUntil(lambda: window.queue_model.rowCount() > 0)
    return window


@pytest.fixture
def window(qtbot: Any, tasks: TaskManager, demo_box: Mailbox) -> Iterator[MainWindow]:
    yield open_window(qtbot, tasks, demo_box)


def test_demo_shop_shows_queues_cases_and_the_banner(qtbot: Any, window: MainWindow) -> None:
    keys = [
        window.queue_model.index(r).data(KEY_ROLE) for r in range(window.queue_model.rowCount())
    ]
    # "due" heads the list once the reminders have been counted (which may come first)
    first = 1 if keys and keys[0] == "due" else 0
    assert keys[first : first + 5] == ["open", "waiting", "snoozed", "done", "all"]
    assert window.queue_model.index(first).data(COUNT_ROLE)
    assert window.case_model.rowCount() > 5
    qtbot.waitUntil(lambda: window.banner.isVisible())
    assert "demo shop" in window.banner.label.text()
    assert window.middle.currentWidget() is window.cases
    qtbot.waitUntil(lambda: window.cases.current_case_id() is not None)
    assert window.conversation.case_id == window.cases.current_case_id()


def test_choosing_a_queue_loads_its_cases(qtbot: Any, window: MainWindow) -> None:
    with qtbot.waitSignal(window.case_model.ids_loaded) as blocker:
        window.queues.choose("done")
    assert blocker.args == [0]
    assert window.middle.currentWidget() is window.empty_label
    with qtbot.waitSignal(window.case_model.ids_loaded):
        window.queues.choose("all")
    assert window.case_model.rowCount() > 5


def test_search_narrows_the_cases(qtbot: Any, window: MainWindow) -> None:
    before = window.case_model.rowCount()
    row = window.case_model.case_row(window.case_model.index(0, 0).data(CASE_ID_ROLE))
    assert row is not None and row.order_number
    with qtbot.waitSignal(window.case_model.ids_loaded, timeout=3000):
        qtbot.keyClicks(window.search_box, f"order:{row.order_number.lstrip('#')}")
    assert 1 <= window.case_model.rowCount() < before
    assert window.case_model.ids[0] == row.id
    with qtbot.waitSignal(window.case_model.ids_loaded):
        window.search_box.clear()
    assert window.case_model.rowCount() == before


def test_a_bad_query_says_so_plainly(qtbot: Any, window: MainWindow) -> None:
    with qtbot.waitSignal(window.case_model.load_failed):
        window.search_box.setText("before:someday")
    assert window.statusBar().currentMessage()
    assert "Traceback" not in window.statusBar().currentMessage()


def test_remove_demo_in_one_click(qtbot: Any, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.banner.isVisible())
    with qtbot.waitSignal(window.case_model.ids_loaded, timeout=10_000):
        qtbot.mouseClick(window.banner.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.case_model.rowCount() == 0)
    assert not window.banner.isVisible()
    assert not window.mailbox.has_demo()


def test_an_empty_store_invites_to_add_a_mailbox(
    qtbot: Any, tasks: TaskManager, empty_box: Mailbox
) -> None:
    window = open_window(qtbot, tasks, empty_box)
    qtbot.waitUntil(lambda: "No mailbox yet" in window.empty_label.text())
    assert window.middle.currentWidget() is window.empty_label
    assert not window.banner.isVisible()


def test_a_store_with_corpus_mail_shows_cases(
    qtbot: Any, tasks: TaskManager, tmp_path: Path, corpora: Path
) -> None:
    box = Mailbox.open(tmp_path / "c.sqlite3")
    box.import_path(corpora / "notmuch" / "corpora" / "default")
    try:
        window = open_window(qtbot, tasks, box)
        with qtbot.waitSignal(window.case_model.ids_loaded):
            window.queues.choose("all")
        assert window.case_model.rowCount() > 10
    finally:
        tasks.shutdown(wait=True)
        box.close()


def test_sync_goes_offline_plainly_and_refreshes(
    qtbot: Any, tasks: TaskManager, demo_box: Mailbox, monkeypatch: Any
) -> None:
    from desktop_app.core.accounts.settings import AccountSettings, ServerSettings

    server = ServerSettings("imap.example.com", 993, "ssl")
    account = AccountSettings("shop", "me@example.com", "me", server)
    monkeypatch.setattr(demo_box, "mail_accounts", lambda: [account])

    def unreachable(settings: Any, progress: Any) -> Any:
        progress("INBOX", 1, 2)
        raise ConnectionFailed("imap.example.com could not be reached.")

    monkeypatch.setattr(demo_box, "sync_account", unreachable)
    sync = SyncController(tasks, demo_box)
    window = open_window(qtbot, tasks, demo_box, sync=sync)
    with qtbot.waitSignal(sync.sync_finished), qtbot.waitSignal(sync.offline_changed):
        qtbot.keyClick(window.cases, Qt.Key.Key_F5)
    assert window.offline_label.isVisible()
    assert "Offline" in window.offline_label.text()
    qtbot.waitUntil(lambda: "did not finish" in window.sync_label.text())
    assert "Synced at" not in window.sync_label.text()


def test_first_start_loads_the_demo_in_the_background(
    qtbot: Any, tasks: TaskManager, empty_box: Mailbox
) -> None:
    from desktop_app.app import start_demo_if_new

    window = open_window(qtbot, tasks, empty_box)
    assert window.case_model.rowCount() == 0
    with qtbot.waitSignal(window.case_model.ids_loaded, timeout=20_000):
        start_demo_if_new(tasks, empty_box, window)
    qtbot.waitUntil(lambda: window.case_model.rowCount() > 5)
    qtbot.waitUntil(lambda: window.banner.isVisible())
    assert "demo shop" in window.statusBar().currentMessage()


def test_the_demo_is_not_loaded_again_once_removed(
    qtbot: Any, tasks: TaskManager, demo_box: Mailbox
) -> None:
    from desktop_app.app import start_demo_if_new

    demo_box.remove_demo()
    window = open_window(qtbot, tasks, demo_box)
    done: list[int] = []
    tasks.run_db(lambda: 0, done.append)  # after the demo task, on the same worker
    start_demo_if_new(tasks, demo_box, window)
    tasks.run_db(lambda: 1, done.append)
    qtbot.waitUntil(lambda: done == [0, 1])
    assert not demo_box.has_demo()
    assert window.case_model.rowCount() == 0


def test_the_gui_thread_never_touches_the_store(
    qtbot: Any, tasks: TaskManager, demo_box: Mailbox, monkeypatch: Any
) -> None:
    import threading

    gui = threading.get_ident()
    on_gui: list[str] = []
    real_session = demo_box.store.session

    def session() -> Any:
        if threading.get_ident() == gui:
            import traceback

            on_gui.append("".join(traceback.format_stack(limit=6)))
        return real_session()

    monkeypatch.setattr(demo_box.store, "session", session)
    window = open_window(qtbot, tasks, demo_box)
    qtbot.waitUntil(lambda: window.cases.current_case_id() is not None)
    window.cases.setFocus()
    qtbot.keyClicks(window.cases, "jjk")
    with qtbot.waitSignal(window.case_model.rowsRemoved):
        qtbot.keyClicks(window.cases, "e")
    with qtbot.waitSignal(window.case_model.ids_loaded):
        window.search_box.setText("refund")
    with qtbot.waitSignal(window.case_model.ids_loaded, timeout=10_000):
        window.remove_demo()
    assert on_gui == []
