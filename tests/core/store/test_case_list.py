"""The case list the UI reads: queues and counts, order of cases, row fields, a case's messages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop_app.core.errors import ConfigError
from desktop_app.core.mailbox import Mailbox
from desktop_app.core.store.shop_settings import ShopSettings
from desktop_app.core.views import CaseRow, Queue
from tests.helpers.shop_mail import SHOP, SHOPIFY_ORDER, mail

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


CORPUS = {
    "notice": mail(
        "n1@shopify.com",
        "mailer@shopify.com",
        "[My Shop] Order #1042 placed by Jane Doe",
        SHOPIFY_ORDER,
        date="Fri, 20 Nov 2026 10:00:00 +0100",
    ),
    "ask": mail(
        "c1@example.com",
        "jane@example.com",
        "Where is my order #1042?",
        "Hello, my parcel has not arrived yet.",
        date="Tue, 24 Nov 2026 09:00:00 +0100",
        name="Jane Doe",
    ),
    "reply": mail(
        "s1@myshop.example",
        SHOP,
        "Re: Where is my order #1042?",
        "Hi Jane, it left our warehouse yesterday.\n\n> Hello, my parcel...",
        date="Tue, 24 Nov 2026 11:00:00 +0100",
        reply_to="c1@example.com",
        to="jane@example.com",
    ),
    "again": mail(
        "c2@example.com",
        "jane@example.com",
        "Re: Where is my order #1042?",
        "Thanks! Still nothing here.",
        date="Tue, 24 Nov 2026 12:00:00 +0100",
        reply_to="s1@myshop.example",
        name="Jane Doe",
    ),
    "again2": mail(
        "c3@example.com",
        "jane@example.com",
        "Re: Where is my order #1042?",
        "Any news on order #1042?",
        date="Wed, 25 Nov 2026 08:00:00 +0100",
        reply_to="c2@example.com",
        name="Jane Doe",
    ),
    "presales": mail(
        "p1@example.org",
        "bob@example.org",
        "Do you ship to Finland?",
        "Hi, do you ship to Helsinki? Bob",
        date="Wed, 25 Nov 2026 09:00:00 +0100",
        name="Bob Builder",
    ),
    "answered": mail(
        "q1@example.net",
        "carla@example.net",
        "Gift wrapping?",
        "Can you gift-wrap?",
        date="Mon, 23 Nov 2026 09:00:00 +0100",
    ),
    "answer": mail(
        "q2@myshop.example",
        SHOP,
        "Re: Gift wrapping?",
        "Yes we can.",
        date="Mon, 23 Nov 2026 10:00:00 +0100",
        reply_to="q1@example.net",
        to="carla@example.net",
    ),
}


@pytest.fixture
def box(tmp_path: Path) -> Iterator[Mailbox]:
    mailbox = Mailbox.open(tmp_path / "data" / "shopdesk.sqlite3")
    mailbox.set_shop(ShopSettings(name="My Shop", addresses=(SHOP,)))
    folder = tmp_path / "mail"
    folder.mkdir()
    for name, raw in CORPUS.items():
        (folder / f"{name}.eml").write_bytes(raw)
    mailbox.import_path(folder)
    with mailbox.store.session() as s:  # everything read to start with
        s.execute(text("UPDATE messages SET seen = 1"))
    yield mailbox
    mailbox.close()


def case_of(box: Mailbox, message_id: str) -> int:
    with box.store.session() as s:
        value = s.execute(
            text("SELECT case_id FROM messages WHERE message_id = :m"), {"m": f"<{message_id}>"}
        ).scalar()
    assert isinstance(value, int)
    return value


def sql(box: Mailbox, statement: str, **params: object) -> None:
    with box.store.session() as s:
        s.execute(text(statement), params)


def by_key(queues: list[Queue]) -> dict[str, tuple[int, int]]:
    return {q.key: (q.count, q.unread) for q in queues}


def row(box: Mailbox, case_id: int) -> CaseRow:
    (found,) = box.views.case_rows([case_id])
    return found


def test_queues_count_cases_by_status_snooze_and_unread(box: Mailbox) -> None:
    order, bob, carla = (
        case_of(box, "c1@example.com"),
        case_of(box, "p1@example.org"),
        case_of(box, "q1@example.net"),
    )
    counts = by_key(box.views.queues(NOW))
    assert counts["open"] == (3, 0)
    assert counts["all"] == (3, 0) and counts["trash"] == (0, 0)
    assert list(counts)[:5] == ["open", "waiting", "snoozed", "done", "all"]
    assert list(counts)[-1] == "trash"

    sql(box, "UPDATE messages SET seen = 0 WHERE message_id = '<p1@example.org>'")
    sql(box, "UPDATE cases SET status = 'waiting' WHERE id = :i", i=carla)
    sql(box, "UPDATE cases SET snoozed_until = :t WHERE id = :i", i=bob, t="2026-11-27 08:00:00")
    counts = by_key(box.views.queues(NOW))
    assert counts["open"] == (1, 0)
    assert counts["waiting"] == (1, 0)
    assert counts["snoozed"] == (1, 1)
    assert counts["all"] == (3, 1)
    assert box.views.case_ids("snoozed", NOW) == [bob]
    # the snooze has run out a day later: Bob is back in Open
    later = NOW + timedelta(days=1)
    assert by_key(box.views.queues(later))["snoozed"] == (0, 0)
    assert set(box.views.case_ids("open", later)) == {order, bob}

    sql(box, "UPDATE cases SET status = 'done' WHERE id = :i", i=order)
    sql(box, "UPDATE cases SET status = 'trash' WHERE id = :i", i=carla)
    counts = by_key(box.views.queues(NOW))
    assert counts["done"] == (1, 0) and counts["trash"] == (1, 0) and counts["all"] == (2, 1)
    assert box.views.case_ids("trash", NOW) == [carla]
    assert carla not in box.views.case_ids("all", NOW)


def test_naive_now_is_taken_as_utc(box: Mailbox) -> None:
    bob = case_of(box, "p1@example.org")
    sql(box, "UPDATE cases SET snoozed_until = :t WHERE id = :i", i=bob, t="2026-11-26 12:30:00")
    assert box.views.case_ids("snoozed", datetime(2026, 11, 26, 12, 0)) == [bob]
    assert box.views.case_ids("snoozed", datetime(2026, 11, 26, 13, 0)) == []
    # an aware time in another zone: 13:00 at +01:00 is 12:00 UTC, still snoozed
    plus_one = datetime(2026, 11, 26, 13, 0, tzinfo=timezone(timedelta(hours=1)))
    assert box.views.case_ids("snoozed", plus_one) == [bob]


def test_case_ids_newest_activity_first(box: Mailbox) -> None:
    order, bob, carla = (
        case_of(box, "c1@example.com"),
        case_of(box, "p1@example.org"),
        case_of(box, "q1@example.net"),
    )
    assert box.views.case_ids("all", NOW) == [bob, order, carla]
    # a new message in Carla's case moves it to the top
    sql(
        box,
        "UPDATE messages SET date = '2026-11-26 09:00:00.000000'"
        " WHERE message_id = '<q2@myshop.example>'",
    )
    assert box.views.case_ids("all", NOW)[0] == carla


def test_merged_and_empty_cases_are_not_listed(box: Mailbox) -> None:
    bob, carla = case_of(box, "p1@example.org"), case_of(box, "q1@example.net")
    sql(box, "UPDATE cases SET merged_into_id = :c WHERE id = :b", b=bob, c=carla)
    assert bob not in box.views.case_ids("all", NOW)
    sql(box, "UPDATE cases SET merged_into_id = NULL WHERE id = :b", b=bob)
    sql(box, "UPDATE messages SET case_id = :c WHERE case_id = :b", b=bob, c=carla)
    assert bob not in box.views.case_ids("all", NOW)
    assert row(box, carla).message_count == 3
    assert box.views.case_rows([bob, carla])[0].id == carla


def test_order_case_row(box: Mailbox) -> None:
    order = case_of(box, "c1@example.com")
    r = row(box, order)
    assert r.order_number == "#1042"
    assert (r.customer_name, r.customer_email) == ("Jane Doe", "jane@example.com")
    assert r.last_line.startswith("Any news on order #1042")
    assert r.last_at == datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
    # the oldest customer message after the merchant's reply (11:00 +0100)
    assert r.waiting_since == datetime(2026, 11, 24, 11, 0, tzinfo=UTC)
    assert r.message_count == 5 and r.unread == 0
    assert r.status == "open" and not r.starred and r.snoozed_until is None
    assert r.tags == () and not r.demo
    assert r.language == "en"  # detected from the customer's mail (store/annotate.py)
    assert "1042" in r.subject


def test_rows_without_order(box: Mailbox) -> None:
    bob, carla = case_of(box, "p1@example.org"), case_of(box, "q1@example.net")
    rows = box.views.case_rows([carla, 999_999, bob])
    assert [r.id for r in rows] == [carla, bob]  # same order, unknown ids left out
    carla_row, bob_row = rows
    assert bob_row.order_number is None
    assert (bob_row.customer_name, bob_row.customer_email) == ("Bob Builder", "bob@example.org")
    assert bob_row.waiting_since == datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    assert carla_row.customer_email == "carla@example.net"
    assert carla_row.waiting_since is None  # the merchant wrote last
    assert carla_row.subject == "Gift wrapping?"


def test_merchant_only_case_names_the_recipient(box: Mailbox, tmp_path: Path) -> None:
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "out.eml").write_bytes(
        mail(
            "o1@myshop.example",
            SHOP,
            "Your wholesale offer",
            "Here is the offer.",
            date="Thu, 26 Nov 2026 08:00:00 +0100",
            to="dora@example.com",
        )
    )
    box.import_path(folder)
    r = row(box, case_of(box, "o1@myshop.example"))
    assert r.customer_email == "dora@example.com" and r.waiting_since is None


def test_triage_state_shows_in_rows(box: Mailbox) -> None:
    bob = case_of(box, "p1@example.org")
    sql(
        box,
        "UPDATE cases SET starred = 1, snoozed_until = '2026-12-01 08:00:00' WHERE id = :i",
        i=bob,
    )
    sql(box, "INSERT INTO case_tags (account_id, case_id, tag) VALUES (1, :i, 'refill')", i=bob)
    sql(box, "INSERT INTO case_tags (account_id, case_id, tag) VALUES (1, :i, 'Asia')", i=bob)
    sql(box, "UPDATE messages SET seen = 0 WHERE case_id = :i", i=bob)
    sql(box, "UPDATE customers SET language = 'fi' WHERE email = 'bob@example.org'")
    sql(box, "UPDATE accounts SET kind = 'demo'")
    r = row(box, bob)
    assert r.starred and r.tags == ("Asia", "refill") and r.unread == 1
    assert r.snoozed_until == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    assert r.demo
    counts = by_key(box.views.queues(NOW))
    assert counts["tag:refill"] == (1, 1) and counts["tag:Asia"] == (1, 1)
    assert box.views.case_ids("tag:refill", NOW) == [bob]
    sql(box, "UPDATE cases SET status = 'trash' WHERE id = :i", i=bob)
    assert box.views.case_ids("tag:refill", NOW) == []


def test_language_from_the_customer(box: Mailbox) -> None:
    order = case_of(box, "c1@example.com")
    sql(box, "UPDATE customers SET language = 'de' WHERE email = 'jane@example.com'")
    assert row(box, order).language == "de"


def test_folder_queues_and_a_pending_move(box: Mailbox) -> None:
    queues = [q for q in box.views.queues(NOW) if q.key.startswith("folder:")]
    assert len(queues) == 1
    folder = queues[0]
    assert folder.count == 3 and folder.role == "import"
    bob = case_of(box, "p1@example.org")
    assert bob in box.views.case_ids(folder.key, NOW)
    sql(
        box,
        "INSERT INTO server_ops (account_id, kind, message_id, location_id, payload, state,"
        " attempts, last_error, undo_group, created_at) SELECT account_id, 'move', message_id,"
        " id, '{}', 'pending', 0, '', 'g', '2026-11-26' FROM locations WHERE message_id ="
        " (SELECT id FROM messages WHERE message_id = '<p1@example.org>')",
    )
    assert bob not in box.views.case_ids(folder.key, NOW)
    assert by_key(box.views.queues(NOW))[folder.key] == (2, 0)
    (message,) = box.views.case_messages(bob)
    assert message.folders == ()


def test_unknown_queue_is_a_plain_error(box: Mailbox) -> None:
    with pytest.raises(ConfigError, match="no queue"):
        box.views.case_ids("nonsense", NOW)


def test_case_messages_oldest_first(box: Mailbox) -> None:
    order = case_of(box, "c1@example.com")
    messages = box.views.case_messages(order)
    assert [m.dedup_key for m in messages] == [
        "<n1@shopify.com>",
        "<c1@example.com>",
        "<s1@myshop.example>",
        "<c2@example.com>",
        "<c3@example.com>",
    ]
    assert [m.ours for m in messages] == [False, False, True, False, False]
    assert messages[0].date == datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    assert all(m.case_id == order for m in messages)
    assert all(m.folders for m in messages) and all(m.seen for m in messages)
    assert messages[1].from_addr == "jane@example.com" and messages[1].from_name == "Jane Doe"


def test_order_facts(box: Mailbox) -> None:
    facts = box.views.order_facts(case_of(box, "c1@example.com"))
    assert facts is not None
    assert facts.number == "1042" and facts.number_display == "#1042"
    assert facts.customer_email == "jane@example.com"
    assert box.views.order_facts(case_of(box, "p1@example.org")) is None


def test_summaries_follow_regrouping(box: Mailbox) -> None:
    before = {r.id: r.message_count for r in box.views.case_rows(box.views.case_ids("all", NOW))}
    box.regroup_cases()
    after = {r.id: r.message_count for r in box.views.case_rows(box.views.case_ids("all", NOW))}
    assert sorted(before.values()) == sorted(after.values()) == [1, 2, 5]


def test_triage_moves_cases_between_queues(box: Mailbox) -> None:
    """Through Mailbox.triage: every change shows in the next read, no refresh call needed."""
    order, bob = case_of(box, "c1@example.com"), case_of(box, "p1@example.org")
    # as if synced from a server: archive and delete then move mail out of the inbox
    sql(box, "UPDATE accounts SET kind = 'imap'")
    sql(box, "UPDATE folders SET role = 'inbox'")
    folder = next(q.key for q in box.views.queues(NOW) if q.key.startswith("folder:"))
    box.triage.mark_read([bob], False)
    assert by_key(box.views.queues(NOW))["open"] == (3, 1)
    assert row(box, bob).unread == 1
    box.triage.mark_read([bob], True)
    assert by_key(box.views.queues(NOW))["open"] == (3, 0)

    box.triage.set_status([bob], "waiting")
    assert box.views.case_ids("waiting", NOW) == [bob]
    box.triage.snooze([order], NOW + timedelta(hours=2))
    assert box.views.case_ids("snoozed", NOW) == [order]
    assert order not in box.views.case_ids("open", NOW)
    assert order in box.views.case_ids("open", NOW + timedelta(hours=3))
    box.triage.set_tags([order], ["refill"], [])
    assert box.views.case_ids("tag:refill", NOW) == [order]

    changes = box.triage.archive([bob])
    assert bob in box.views.case_ids("done", NOW)
    assert bob not in box.views.case_ids(folder, NOW)  # gone from the inbox at once
    assert changes.undo_token is not None
    box.triage.undo(changes.undo_token)
    assert bob in box.views.case_ids(folder, NOW)
    box.triage.delete([bob])
    assert box.views.case_ids("trash", NOW) == [bob]
    assert bob not in box.views.case_ids("all", NOW)


def test_a_message_gone_from_the_server_leaves_its_folder(box: Mailbox) -> None:
    bob = case_of(box, "p1@example.org")
    folder = next(q.key for q in box.views.queues(NOW) if q.key.startswith("folder:"))
    sql(
        box,
        "UPDATE locations SET gone_from_server = 1 WHERE message_id ="
        " (SELECT id FROM messages WHERE message_id = '<p1@example.org>')",
    )
    assert bob not in box.views.case_ids(folder, NOW)
    assert bob in box.views.case_ids("open", NOW)  # the mail itself is kept


def test_a_big_case_reads_only_its_ends(box: Mailbox, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop_app.core.store import case_rows

    monkeypatch.setattr(case_rows, "BIG_CASE", 3)
    monkeypatch.setattr(case_rows, "BIG_HEAD", 1)
    monkeypatch.setattr(case_rows, "BIG_TAIL", 2)
    r = row(box, case_of(box, "c1@example.com"))
    assert r.message_count == 5 and "1042" in r.subject
    assert r.last_line.startswith("Any news on order #1042")
    assert r.waiting_since == datetime(2026, 11, 24, 11, 0, tzinfo=UTC)
    assert r.customer_email == "jane@example.com"


def test_reading_while_another_connection_writes(box: Mailbox) -> None:
    """A sync holding the write lock makes the summary refresh wait its turn, not fail."""
    import sqlite3
    import threading

    bob = case_of(box, "p1@example.org")
    writer = sqlite3.connect(
        box.store.path, timeout=10, isolation_level=None, check_same_thread=False
    )
    writer.execute("UPDATE messages SET seen = 0 WHERE message_id = '<p1@example.org>'")
    writer.execute("BEGIN IMMEDIATE")  # a sync batch holds the write lock ...
    writer.execute("UPDATE folders SET last_uid = last_uid + 1")
    release = threading.Timer(0.3, lambda: writer.execute("COMMIT"))  # ... then commits
    release.start()
    try:
        assert row(box, bob).unread == 1
        assert by_key(box.views.queues(NOW))["open"] == (3, 1)
    finally:
        release.join()
        writer.close()


def test_an_older_store_gets_its_summaries_on_upgrade(box: Mailbox) -> None:
    from alembic import command

    from desktop_app.core.store import migrate
    from desktop_app.core.store.db import Store

    before = by_key(box.views.queues(NOW))
    rows = box.views.case_rows(box.views.case_ids("all", NOW))
    cfg = migrate.alembic_config()
    with box.store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0003")
    box.store.close()
    store = Store.open(box.store.path)  # upgraded again: every case summarised afresh
    try:
        again = Mailbox(store)
        assert by_key(again.views.queues(NOW)) == before
        assert again.views.case_rows(again.views.case_ids("all", NOW)) == rows
    finally:
        store.close()


def test_a_store_busy_for_long_is_read_as_it_is(
    box: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import OperationalError

    from desktop_app.core.errors import StoreError
    from desktop_app.core.store import case_summaries

    def busy(_store: object) -> int:
        raise OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked"))

    monkeypatch.setattr(case_summaries, "_refresh_store", busy)
    assert len(box.views.case_ids("all", NOW)) == 3  # the summaries as they were

    def broken(_store: object) -> int:
        raise OperationalError("SELECT", {}, Exception("database disk image is malformed"))

    monkeypatch.setattr(case_summaries, "_refresh_store", broken)
    with pytest.raises(StoreError, match="damaged"):
        box.views.case_ids("all", NOW)
