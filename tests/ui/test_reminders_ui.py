"""Reminders in the window: Due queue, acting, snooze/dismiss keys, away list, batch, banner."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop_app.core.mailbox import Mailbox
from desktop_app.core.reminders.model import Reminder
from desktop_app.core.reminders.service import Reminders
from desktop_app.ui import reminder_actions
from desktop_app.ui.batch_review_dialog import BatchReviewDialog
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.models.reminder_model import ReminderModel, relative
from desktop_app.ui.taskman import TaskManager
from tests.ui.conftest import NOW
from tests.ui.test_main_window import open_window

REVIEW_LINK = "https://shop.example/review"


@pytest.fixture
def box(demo_box: Mailbox) -> Mailbox:
    """The demo shop with the clock at NOW and a review link (review requests can be made)."""
    demo_box.reminders = Reminders(demo_box.store, clock=lambda: NOW)
    demo_box.set_shop(replace(demo_box.shop(), review_link=REVIEW_LINK))
    return demo_box


@pytest.fixture
def window(qtbot: Any, tasks: TaskManager, box: Mailbox) -> Iterator[MainWindow]:
    win = open_window(qtbot, tasks, box)
    qtbot.waitUntil(lambda: win.queue_model.row_of("due") == 0)
    yield win


def due_count(window: MainWindow) -> int:
    row = window.queue_model.queue(window.queue_model.row_of("due"))
    return row.count if row is not None else -1


def show_due(qtbot: Any, window: MainWindow) -> None:
    window.show_due()
    assert window.middle.currentWidget() is window.reminders.view
    qtbot.waitUntil(lambda: window.reminders.view.table.current() is not None)


def select(window: MainWindow, rule: str) -> Reminder:
    table = window.reminders.view.table
    for row in range(table.proxy.rowCount()):
        table.setCurrentIndex(table.proxy.index(row, 0))
        current = table.current()
        if current is not None and current.rule == rule and current.case_id is not None:
            return current
    raise AssertionError(f"no {rule} reminder with a case")


def test_model_passes_the_model_tester(qtmodeltester: Any, box: Mailbox) -> None:
    model = ReminderModel(lambda: NOW)
    model.set_reminders(box.reminders.due(NOW))
    assert model.rowCount() > 3
    qtmodeltester.check(model)
    assert model.data(model.index(0, 3)) == relative(model.reminders()[0].due_at, NOW)


def test_relative_due_times() -> None:
    assert relative(NOW - timedelta(days=3, hours=2), NOW) == "3 days ago"
    assert relative(NOW - timedelta(hours=5), NOW) == "5 h ago"
    assert relative(NOW + timedelta(days=1), NOW) == "in 1 day"
    assert relative(NOW, NOW) == "now"


def test_due_queue_sits_at_the_top_with_its_count(
    qtbot: Any, window: MainWindow, box: Mailbox
) -> None:
    expected = len(box.reminders.due(NOW))
    assert expected > 3
    qtbot.waitUntil(lambda: due_count(window) == expected)
    assert window.queue_model.row_of("due") == 0
    show_due(qtbot, window)
    assert window.reminders.view.table.proxy.rowCount() == expected
    assert window.reminders.view.heading.text() == f"{expected} reminders due"
    current = window.reminders.view.table.current()
    assert current is not None and current.case_id is not None
    qtbot.waitUntil(lambda: window.conversation.case_id == current.case_id)  # its case beside


def test_banner_shows_while_something_is_due_and_opens_the_list(
    qtbot: Any, window: MainWindow
) -> None:
    banner = window.reminders.banner
    qtbot.waitUntil(banner.isVisible)
    assert "reminders due" in banner.label.text()
    qtbot.mouseClick(banner.button, Qt.MouseButton.LeftButton)
    assert window.queues.key == "due"
    assert window.middle.currentWidget() is window.reminders.view


def test_no_banner_when_nothing_is_due(qtbot: Any, tasks: TaskManager, empty_box: Mailbox) -> None:
    win = MainWindow(tasks, empty_box, clock=lambda: NOW)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.reminders.due_counted, timeout=5000) as counted:
        win.reminders.load()
    assert counted.args == [0]
    assert not win.reminders.banner.isVisible()
    assert due_count(win) == 0


def test_enter_opens_the_case_and_a_draft_from_the_template(qtbot: Any, window: MainWindow) -> None:
    show_due(qtbot, window)
    review = select(window, "review")
    assert review.template_key == "review_request"
    with qtbot.waitSignal(window.reminders.actions.composer_opened, timeout=5000) as opened:
        qtbot.keyClick(window.reminders.view.table, Qt.Key.Key_Return)
    composer = opened.args[0]
    with qtbot.waitSignal(composer.template_inserted, timeout=10_000) as inserted:
        pass
    assert inserted.args == ["review_request"]
    assert REVIEW_LINK in composer.body.toPlainText()
    assert window.conversation.case_id == review.case_id
    assert not composer.sent  # a draft, never sent by itself
    composer.discard()


def test_b_snoozes_the_reminder(
    qtbot: Any, window: MainWindow, box: Mailbox, monkeypatch: Any
) -> None:
    until = NOW + timedelta(days=2)
    monkeypatch.setattr(reminder_actions.dialogs, "ask_snooze", lambda *_a: until)
    show_due(qtbot, window)
    chosen = select(window, "first_response")
    before = window.reminders.view.table.proxy.rowCount()
    with qtbot.waitSignal(window.reminders.due_counted, timeout=5000) as counted:
        qtbot.keyClick(window.reminders.view.table, Qt.Key.Key_B)
    assert counted.args == [before - 1]
    assert chosen.key not in [r.key for r in box.reminders.due(NOW)]
    assert chosen.key in [r.key for r in box.reminders.due(until + timedelta(minutes=1))]
    assert window.statusBar().currentMessage().startswith("Snoozed until")


@pytest.mark.parametrize("key", [Qt.Key.Key_X, Qt.Key.Key_Delete])
def test_x_and_delete_dismiss_the_reminder(
    qtbot: Any, window: MainWindow, box: Mailbox, key: Qt.Key
) -> None:
    show_due(qtbot, window)
    chosen = select(window, "waiting")
    before = due_count(window)
    with qtbot.waitSignal(window.reminders.due_counted, timeout=5000):
        qtbot.keyClick(window.reminders.view.table, key)
    assert due_count(window) == before - 1
    assert chosen.key not in [r.key for r in box.reminders.due(NOW)]
    assert window.statusBar().currentMessage() == f"Dismissed: {chosen.title} (z: undo)"
    with qtbot.waitSignal(window.reminders.due_counted, timeout=5000):
        qtbot.keyClick(window.reminders.view.table, Qt.Key.Key_Z)
    assert due_count(window) == before
    assert chosen.key in [r.key for r in box.reminders.due(NOW)]
    assert window.statusBar().currentMessage() == f"Back in the Due list: {chosen.title}"


def test_x_outside_the_due_list_says_where_it_works(qtbot: Any, window: MainWindow) -> None:
    qtbot.keyClick(window.cases, Qt.Key.Key_X)
    assert "Due list" in window.statusBar().currentMessage()


def test_away_dialog_lists_what_fell_due_then_marks_it_seen(
    qtbot: Any, window: MainWindow, box: Mailbox
) -> None:
    box.reminders.mark_seen(NOW - timedelta(days=3))
    away = box.reminders.away()
    assert len(away) >= 3
    window.reminders.check_away()
    qtbot.waitUntil(lambda: window.reminders.away_dialog is not None)
    dialog = window.reminders.away_dialog
    assert dialog is not None
    assert dialog.listed_keys() == [r.key for r in away]  # every one, none skipped
    first = dialog.rows[0]
    with qtbot.waitSignal(window.reminders.due_counted, timeout=5000):
        qtbot.mouseClick(first.dismiss_button, Qt.MouseButton.LeftButton)
    assert first.reminder.key not in dialog.listed_keys()
    assert first.reminder.key not in [r.key for r in box.reminders.due(NOW)]
    with qtbot.waitSignal(window.tasks.busy_changed, timeout=5000):
        dialog.reject()
    qtbot.waitUntil(lambda: window.tasks.running == 0)
    assert box.reminders.away() == []


def test_away_open_acts_on_the_reminder(qtbot: Any, window: MainWindow, box: Mailbox) -> None:
    box.reminders.mark_seen(NOW - timedelta(days=3))
    window.reminders.check_away()
    qtbot.waitUntil(lambda: window.reminders.away_dialog is not None)
    dialog = window.reminders.away_dialog
    assert dialog is not None
    row = next(r for r in dialog.rows if r.reminder.case_id is not None)
    with qtbot.waitSignal(window.reminders.actions.composer_opened, timeout=5000) as opened:
        qtbot.mouseClick(row.open_button, Qt.MouseButton.LeftButton)
    assert opened.args[0].case_id == row.reminder.case_id
    opened.args[0].discard()
    dialog.reject()


def review_batch_of(box: Mailbox, case_ids: list[int]) -> list[Reminder]:
    """Review requests for these cases, due the same day (made from the demo's real one)."""
    real = next(r for r in box.reminders.due(NOW) if r.rule == "review" and r.case_id)
    rows = {r.case_id: r for r in box.reminders.due(NOW) if r.case_id is not None}
    return [
        replace(
            real,
            key=f"review:test:{case_id}",
            case_id=case_id,
            customer_email=rows[case_id].customer_email,
            customer_name=rows[case_id].customer_name,
            order_number=rows[case_id].order_number,
        )
        for case_id in case_ids
    ]


def open_batch(qtbot: Any, window: MainWindow, batch: list[Reminder]) -> BatchReviewDialog:
    dialog = BatchReviewDialog(
        window.tasks, window.mailbox, window.replies.backend, batch, parent=window
    )
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.prepared, timeout=10_000):
        dialog.show()
    return dialog


def test_batch_approve_queues_each_checked_reply(
    qtbot: Any, window: MainWindow, box: Mailbox
) -> None:
    real = next(r for r in box.reminders.due(NOW) if r.rule == "review" and r.case_id)
    batch = [real, *review_batch_of(box, [15, 6, 17])]
    dialog = open_batch(qtbot, window, batch)
    assert [i.problem for i in dialog.items] == ["", "", "", ""]
    assert "Hallo Sabine" in dialog.items[2].preview  # the customer's language
    dialog.set_checked(3, False)
    assert dialog.send_button.text() == "Send 3 selected"
    before = len(box.outbox.items())
    with qtbot.waitSignal(dialog.sent, timeout=10_000) as sent:
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    assert len(sent.args[0]) == 3
    items = box.outbox.items()
    assert len(items) == before + 3
    assert {i.case_id for i in items[-3:]} | {i.case_id for i in items} >= {real.case_id, 15, 6}
    due_keys = [r.key for r in box.reminders.due(NOW)]
    assert real.key not in due_keys  # done: acted on


def test_batch_stopped_midway_never_offers_a_queued_reply_again(
    qtbot: Any, window: MainWindow, box: Mailbox, monkeypatch: Any
) -> None:
    """The second reply cannot be queued: the first went, so it is unticked and locked."""
    from desktop_app.core.errors import ConfigError

    real = next(r for r in box.reminders.due(NOW) if r.rule == "review" and r.case_id)
    batch = [real, *review_batch_of(box, [15])]
    dialog = open_batch(qtbot, window, batch)
    backend = window.replies.backend
    original = backend.queue
    calls: list[int] = []

    def queue_once(draft: Any, undo: float) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise ConfigError("The outbox is full.")
        return original(draft, undo)

    monkeypatch.setattr(backend, "queue", queue_once)
    before = len(box.outbox.items())
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.problem_label.isVisible())
    assert "The outbox is full." in dialog.problem_label.text()
    assert len(box.outbox.items()) == before + 1
    assert [i.reminder.key for i in dialog.checked()] == [batch[1].key]
    assert not dialog.model.item(0).isEnabled()


def test_batch_item_missing_a_value_shows_why_and_stays_unchecked(
    qtbot: Any, window: MainWindow, box: Mailbox
) -> None:
    box.set_shop(replace(box.shop(), review_link=""))
    dialog = open_batch(qtbot, window, review_batch_of(box, [15, 6]))
    assert all("review link" in i.problem for i in dialog.items)
    assert dialog.checked() == []
    assert not dialog.send_button.isEnabled()
    dialog.list.setCurrentIndex(dialog.model.index(1, 0))
    assert "cannot be made yet" in dialog.preview.toPlainText()
    dialog.reject()


def test_batch_button_opens_the_same_day_reviews(
    qtbot: Any, window: MainWindow, box: Mailbox
) -> None:
    show_due(qtbot, window)
    window.reminders.approve_reviews()
    qtbot.waitUntil(lambda: window.reminders.batch_dialog is not None)
    dialog = window.reminders.batch_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: bool(dialog.items), timeout=10_000)
    assert all(i.reminder.rule == "review" for i in dialog.items)
    dialog.reject()


def test_closing_the_window_marks_the_due_list_seen(
    qtbot: Any, window: MainWindow, box: Mailbox
) -> None:
    box.reminders.mark_seen(NOW - timedelta(days=3))
    assert box.reminders.away()
    window.close()
    qtbot.waitUntil(lambda: window.tasks.running == 0)
    assert box.reminders.away() == []


def test_tray_note_tells_each_reminder_once(box: Mailbox) -> None:
    from PySide6.QtGui import QIcon

    from desktop_app.ui.notifier import TrayNotifier

    due = box.reminders.due(NOW)
    notifier = TrayNotifier(QIcon())  # offscreen: no tray, so nothing is shown, nothing fails
    assert notifier.notify(due[1:])
    assert notifier.last_text == f"{len(due) - 1} reminders newly due"
    assert not notifier.notify(due[1:])
    assert notifier.notify(due)
    assert notifier.last_text == due[0].title
    notifier.stop()


def test_same_day_reviews_are_counted_in_the_shops_time_zone(box: Mailbox) -> None:
    from zoneinfo import ZoneInfo

    from desktop_app.ui.review_batch import same_day

    real = next(r for r in box.reminders.due(NOW) if r.rule == "review" and r.case_id)
    late = replace(real, key="a", due_at=NOW.replace(hour=9))  # 11:00 in Riga
    night = replace(real, key="b", due_at=NOW.replace(day=25, hour=22, minute=30))  # 00:30
    other = replace(real, key="c", due_at=NOW.replace(day=25, hour=12))
    waiting = replace(late, key="d", rule="waiting")
    riga = ZoneInfo("Europe/Riga")
    assert [r.key for r in same_day([late, night, other, waiting], riga)] == ["a", "b"]
    assert [r.key for r in same_day([late, night, other], ZoneInfo("UTC"))] == ["a"]
