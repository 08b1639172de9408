"""The queue and case models pass Qt's model tester and read the store only off the GUI thread."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from desktop_app.core.mailbox import Mailbox
from desktop_app.core.views import Queue
from desktop_app.ui.models import case_columns, case_model
from desktop_app.ui.models.case_columns import (
    CASE_ID_ROLE,
    CUSTOMER,
    LOADED_ROLE,
    MESSAGE_ID_ROLE,
    ORDER,
    SORT_ROLE,
    UNREAD,
    WAITING,
)
from desktop_app.ui.models.case_model import CaseModel
from desktop_app.ui.models.queue_model import COUNT_ROLE, HEADER_ROLE, KEY_ROLE, QueueModel
from desktop_app.ui.taskman import TaskManager
from tests.ui.conftest import NOW


def _loaded(qtbot: Any, tasks: TaskManager, box: Mailbox, queue: str = "open") -> CaseModel:
    model = CaseModel(tasks, box.views, lambda: NOW)
    with qtbot.waitSignal(model.ids_loaded):
        model.load(queue)
    return model


def test_queue_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = QueueModel()
    qtmodeltester.check(model)
    model.set_queues(
        [
            Queue("open", "Open", 12, 3),
            Queue("all", "All", 40, 3),
            Queue("tag:refill", "refill", 2, 0),
            Queue("folder:1", "INBOX", 30, 3),
            Queue("trash", "Trash", 1, 0),
        ]
    )
    qtmodeltester.check(model)
    labels = [model.index(r).data() for r in range(model.rowCount())]
    assert labels == ["Open", "All", "Trash", "Tags", "refill", "Folders", "INBOX"]
    open_row = model.index(0)
    assert open_row.data(KEY_ROLE) == "open"
    assert open_row.data(COUNT_ROLE) == "3 / 12"  # unread is a number too, not colour alone
    assert open_row.data(Qt.ItemDataRole.FontRole).bold()
    assert "3 unread" in open_row.data(Qt.ItemDataRole.AccessibleTextRole)
    assert model.index(3).data(HEADER_ROLE) is True
    assert not model.flags(model.index(3)) & Qt.ItemFlag.ItemIsSelectable
    assert model.tags() == ["refill"]


def test_queue_counts_update_in_place(qtbot: Any) -> None:
    model = QueueModel()
    model.set_queues([Queue("open", "Open", 1, 1)])
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.dataChanged):
        model.set_queues([Queue("open", "Open", 0, 0)])
    assert model.index(0).data(COUNT_ROLE) == "0"


def test_case_model_passes_the_model_tester(
    qtbot: Any, qtmodeltester: Any, tasks: TaskManager, demo_box: Mailbox
) -> None:
    model = _loaded(qtbot, tasks, demo_box, "all")
    assert model.rowCount() > 10
    qtmodeltester.check(model)  # asks for every page and fetches every case's messages
    qtbot.waitUntil(
        lambda: all(model.index(r, 0).data(LOADED_ROLE) for r in range(model.rowCount()))
    )
    case = model.index(0, 0)
    qtbot.waitUntil(lambda: model.rowCount(case) > 0)
    qtmodeltester.check(model)


def test_rows_come_from_the_cache_and_pages_from_the_worker(
    qtbot: Any, tasks: TaskManager, demo_box: Mailbox, monkeypatch: Any
) -> None:
    gui = threading.get_ident()
    calls: list[tuple[str, bool]] = []
    views = demo_box.views
    real_rows, real_ids = views.case_rows, views.case_ids

    def rows(ids: Any) -> Any:
        calls.append(("rows", threading.get_ident() != gui))
        return real_rows(ids)

    def ids(*args: Any, **kwargs: Any) -> Any:
        calls.append(("ids", threading.get_ident() != gui))
        return real_ids(*args, **kwargs)

    monkeypatch.setattr(views, "case_rows", rows)
    monkeypatch.setattr(views, "case_ids", ids)
    monkeypatch.setattr(case_model, "PAGE", 5)
    model = _loaded(qtbot, tasks, demo_box, "all")
    assert calls and all(off_gui for _, off_gui in calls)
    assert model.index(2, ORDER).data(LOADED_ROLE)
    far = model.index(model.rowCount() - 1, CUSTOMER)
    assert far.data() is None  # not read yet: asked for, never read on the GUI thread
    with qtbot.waitSignal(model.dataChanged):
        pass
    qtbot.waitUntil(lambda: bool(far.data(LOADED_ROLE)))
    assert far.data()
    assert all(off_gui for _, off_gui in calls)


def test_columns_and_native_sort_values(qtbot: Any, tasks: TaskManager, demo_box: Mailbox) -> None:
    model = _loaded(qtbot, tasks, demo_box)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Order", "Customer", "Last message", "Waiting", "Lang.", "Unread"]
    row = model.case_row(model.index(0, 0).data(CASE_ID_ROLE))
    assert row is not None
    assert model.index(0, CUSTOMER).data() == (row.customer_name or row.customer_email)
    if row.unread:
        assert model.index(0, UNREAD).data() == str(row.unread)
        assert model.index(0, ORDER).data(Qt.ItemDataRole.FontRole).bold()
    assert isinstance(model.index(0, WAITING).data(SORT_ROLE), float)
    assert isinstance(model.index(0, UNREAD).data(SORT_ROLE), int)


def test_waiting_since_reads_as_words() -> None:
    from datetime import timedelta

    assert case_columns.waited(NOW, NOW - timedelta(minutes=5)) == "5 min"
    assert case_columns.waited(NOW, NOW - timedelta(hours=5)) == "5 hours"
    assert case_columns.waited(NOW, NOW - timedelta(days=3, hours=2)) == "3 days"
    assert case_columns.waited(NOW, NOW - timedelta(days=1, hours=1)) == "25 hours"
    assert case_columns.waited(NOW, None) == ""


def test_messages_are_fetched_on_expansion(
    qtbot: Any, tasks: TaskManager, demo_box: Mailbox
) -> None:
    model = _loaded(qtbot, tasks, demo_box)
    case = model.index(0, 0)
    assert model.hasChildren(case) and model.rowCount(case) == 0
    assert model.canFetchMore(case)
    with qtbot.waitSignal(model.rowsInserted):
        model.fetchMore(case)
    assert not model.canFetchMore(case)
    child = model.index(0, CUSTOMER, case)
    assert child.data(MESSAGE_ID_ROLE) is not None
    assert model.parent(child) == model.index(0, 0)
    assert model.case_id(child) == case.data(CASE_ID_ROLE)
    assert model.parent(case) == QModelIndex()


def test_a_narrower_list_removes_rows_instead_of_resetting(
    qtbot: Any, tasks: TaskManager, demo_box: Mailbox
) -> None:
    model = _loaded(qtbot, tasks, demo_box)
    first = model.index(0, 0).data(CASE_ID_ROLE)
    before = model.rowCount()
    tasks.run_db(lambda: demo_box.triage.archive([first]))
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.rowsRemoved):
        model.refresh()
    assert model.rowCount() == before - 1
    assert model.row_of(first) == -1


def test_a_bad_search_is_a_plain_message(qtbot: Any, tasks: TaskManager, demo_box: Mailbox) -> None:
    model = CaseModel(tasks, demo_box.views, lambda: NOW)
    with qtbot.waitSignal(model.load_failed) as blocker:
        model.load("all", "before:notadate")
    assert "Traceback" not in blocker.args[0] and blocker.args[0]


def test_long_lists_show_rows_a_step_at_a_time(
    qtbot: Any, tasks: TaskManager, demo_box: Mailbox, monkeypatch: Any, qtmodeltester: Any
) -> None:
    monkeypatch.setattr(case_model, "SHOWN_STEP", 5)
    model = _loaded(qtbot, tasks, demo_box, "all")
    total = len(model.ids)
    assert total > 10 and model.rowCount() == 5
    root = QModelIndex()
    assert model.canFetchMore(root)
    with qtbot.waitSignal(model.rowsInserted):
        model.fetchMore(root)
    assert model.rowCount() == 10
    last = model.ids[-1]
    assert model.case_index(last).row() == total - 1  # asking for a case shows it
    assert model.rowCount() == total and not model.canFetchMore(root)
    qtmodeltester.check(model)


def test_case_list_dates_are_in_the_merchants_locale(qapp: Any) -> None:
    from datetime import UTC, datetime

    from PySide6.QtCore import QLocale

    from desktop_app.ui.models.case_columns import short_time

    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    try:
        now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
        assert "März" in short_time(now, datetime(2026, 3, 5, 12, 0, tzinfo=UTC))
        assert "2025" in short_time(now, datetime(2025, 3, 5, 12, 0, tzinfo=UTC))
    finally:
        QLocale.setDefault(before)
