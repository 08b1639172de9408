"""The outbox in the UI: the undo bar, the waiting count, the list with Retry, offline flushing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from desktop_app.core.accounts.settings import AccountSettings, ServerSettings
from desktop_app.core.mailbox import Mailbox
from desktop_app.core.replies.compose import ReplyDraft
from desktop_app.core.store.models import OutboxItem
from desktop_app.ui.outbox_view import OutboxController, OutboxDialog
from desktop_app.ui.taskman import TaskManager
from tests.helpers.dovecot import free_port


def nowhere_account(box: Mailbox) -> int:
    """An account whose servers listen nowhere (a laptop on a train)."""
    port = free_port()
    settings = AccountSettings(
        name="Shop", email="shop@shop.example", username="shop",
        imap=ServerSettings("127.0.0.1", port, "none"),
        smtp=ServerSettings("127.0.0.1", port, "none"),
    )  # fmt: skip
    return box.add_account(settings, "secret", check=False)


def queue_one(box: Mailbox, account_id: int) -> int:
    draft = ReplyDraft(
        kind="new", account_id=account_id, case_id=None, reply_to_id=None,
        from_addr="shop@shop.example", from_name="Shop", to=("grace@example.com",),
        subject="Your order", body="It is on its way.",
    )  # fmt: skip
    return box.outbox.queue(draft, undo_seconds=0).id


def test_offline_flush_keeps_the_reply_and_says_so(
    qtbot: Any, tasks: TaskManager, empty_box: Mailbox
) -> None:
    queue_one(empty_box, nowhere_account(empty_box))
    controller = OutboxController(tasks, empty_box)
    messages: list[str] = []
    controller.status_message.connect(messages.append)
    signals = [controller.offline_changed, controller.waiting_changed]
    with qtbot.waitSignals(signals, timeout=20_000):
        controller.flush()
    assert controller.offline
    assert "Offline — the reply will be sent when you are back online" in messages
    assert [i.state for i in empty_box.outbox.items()] == ["queued"]


def test_list_shows_the_error_and_retry_queues_again(
    qtbot: Any, tasks: TaskManager, empty_box: Mailbox
) -> None:
    item_id = queue_one(empty_box, nowhere_account(empty_box))
    with empty_box.store.session() as s:
        s.execute(
            update(OutboxItem)
            .where(OutboxItem.id == item_id)
            .values(state="failed", last_error="550 5.7.1 Message rejected as spam")
        )
    controller = OutboxController(tasks, empty_box)
    dialog = OutboxDialog(controller)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    assert "rejected as spam" in dialog.model.index(0, 4).data()
    assert dialog.model.index(0, 2).data() == "Failed"
    assert not dialog.retry_button.isEnabled()
    dialog.table.selectRow(0)
    assert dialog.retry_button.isEnabled() and not dialog.cancel_button.isEnabled()
    with qtbot.waitSignal(controller.flushed, timeout=20_000):  # retried, then sent (offline)
        dialog.retry_button.click()
    assert empty_box.outbox.items()[0].state == "queued"
    qtbot.waitUntil(lambda: dialog.model.items[0].state == "queued")


def test_send_bar_counts_down_and_offers_undo(qtbot: Any) -> None:
    from desktop_app.ui.outbox_view import SendBar

    bar = SendBar()
    qtbot.addWidget(bar)
    bar.start(7, 5.0)
    assert bar.isVisible() and bar.label.text() == "Sending in 5 s"
    with qtbot.waitSignal(bar.undo_clicked) as undone:
        bar.button.click()
    assert undone.args == [7]
    bar.start(8, 0.3)
    qtbot.waitUntil(lambda: not bar.isVisible(), timeout=3000)
