"""Triage on a real store file: each action applied at once, queued for the server, undone."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop_app.core.accounts.settings import AccountSettings, ServerSettings
from desktop_app.core.mailbox import Mailbox
from desktop_app.core.store.accounts import add_account, ensure_local_account
from desktop_app.core.store.ingest import FetchedMessage, ingest_batch
from desktop_app.core.store.models import Case, CaseTag, Folder, Location, Message, ServerOp
from desktop_app.core.triage import Triage

SHOP = "support@myshop.example"


def mail(n: int, sender: str = "", order: int | None = None, reply_to: int | None = None) -> bytes:
    sender = sender or f"customer{n}@example.com"
    order = order if order is not None else 1000 + n
    headers = [
        f"From: Someone <{sender}>",
        f"To: {SHOP if sender != SHOP else 'customer@example.com'}",
        f"Subject: Where is my order #{order}?",
        f"Message-ID: <m{n}@example.com>",
        f"Date: Tue, {10 + n % 15} Nov 2026 09:00:00 +0100",
        "Content-Type: text/plain; charset=utf-8",
    ]
    if reply_to is not None:
        headers += [
            f"In-Reply-To: <m{reply_to}@example.com>",
            f"References: <m{reply_to}@example.com>",
        ]
    return ("\r\n".join(headers) + f"\r\n\r\nHello, about order #{order}.\r\n").encode()


class Shop:
    """A store with an IMAP account (no server needed here), its INBOX and Sent, and cases."""

    def __init__(self, path: Path) -> None:
        self.box = Mailbox.open(path)
        self.triage = Triage(self.box.store)
        with self.box.store.session() as s:
            settings = AccountSettings(
                name="Shop",
                email=SHOP,
                username=SHOP,
                imap=ServerSettings(host="imap.myshop.example", port=993, security="ssl"),
            )
            self.account_id = add_account(s, settings)
            self.inbox = self._folder(s, "INBOX", "inbox")
            self.sent = self._folder(s, "Sent", "sent")

    def _folder(self, s: object, name: str, role: str) -> int:
        folder = Folder(account_id=self.account_id, name=name, role=role, uidvalidity=7, last_uid=0)
        s.add(folder)  # type: ignore[attr-defined]
        s.flush()  # type: ignore[attr-defined]
        return folder.id

    def add(self, folder_id: int, items: list[tuple[int, bytes, tuple[str, ...]]]) -> None:
        with self.box.store.session() as s:
            ingest_batch(
                s,
                self.account_id,
                folder_id,
                7,
                [FetchedMessage(uid=u, raw=r, flags=f) for u, r, f in items],
            )
        self.box.assign_new_messages()

    def case_of(self, n: int) -> int:
        with self.box.store.session() as s:
            cid = s.scalar(
                select(Message.case_id).where(Message.message_id == f"<m{n}@example.com>")
            )
            assert cid is not None
            return cid

    def case(self, cid: int) -> tuple[str, datetime | None, bool, bool]:
        with self.box.store.session() as s:
            row = s.get_one(Case, cid)
            return row.status, row.snoozed_until, row.starred, row.touched_at is not None

    def messages(self) -> dict[str, tuple[bool, bool]]:
        with self.box.store.session() as s:
            return {
                mid: (seen, flagged)
                for mid, seen, flagged in s.execute(
                    select(Message.message_id, Message.seen, Message.flagged)
                )
            }

    def locations(self) -> dict[tuple[str, int], tuple[str, bool]]:
        with self.box.store.session() as s:
            return {
                (folder, uid): (flags, gone)
                for folder, uid, flags, gone in s.execute(
                    select(
                        Folder.name, Location.uid, Location.flags, Location.gone_from_server
                    ).join(Folder, Folder.id == Location.folder_id)
                )
            }

    def ops(self) -> list[tuple[str, str, dict[str, object]]]:
        with self.box.store.session() as s:
            return [
                (kind, state, json.loads(payload))
                for kind, state, payload in s.execute(
                    select(ServerOp.kind, ServerOp.state, ServerOp.payload)
                    .where(ServerOp.kind != "undo")
                    .order_by(ServerOp.id)
                )
            ]

    def tags(self, cid: int) -> set[str]:
        with self.box.store.session() as s:
            return set(s.scalars(select(CaseTag.tag).where(CaseTag.case_id == cid)))


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[Shop]:
    built = Shop(tmp_path / "store.sqlite3")
    # two customers; customer 1 also got a reply from the shop (in Sent); all unread
    built.add(
        built.inbox, [(1, mail(1), ()), (2, mail(2), ("\\Seen",)), (3, mail(3, order=1001), ())]
    )
    built.add(built.sent, [(1, mail(4, sender=SHOP, order=1001, reply_to=1), ("\\Seen",))])
    yield built
    built.box.close()


def test_new_mail_takes_read_and_starred_from_its_flags(shop: Shop) -> None:
    assert shop.messages() == {
        "<m1@example.com>": (False, False),
        "<m2@example.com>": (True, False),
        "<m3@example.com>": (False, False),
        "<m4@example.com>": (True, False),
    }
    # the same message found in another folder, read there: read
    shop.add(shop.sent, [(2, mail(1), ("\\Seen", "\\Flagged"))])
    assert shop.messages()["<m1@example.com>"] == (True, True)


def test_status_snooze_and_undo_survive_regrouping(shop: Shop) -> None:
    cid = shop.case_of(1)
    assert shop.case_of(3) == cid and shop.case_of(4) == cid
    before = shop.case(cid)
    changes = shop.triage.set_status([cid], "waiting")
    assert changes.case_ids == (cid,) and changes.queues and changes.server_ops == 0
    assert changes.description == "Marked waiting 1 case" and changes.undo_token
    assert shop.case(cid)[0] == "waiting" and shop.case(cid)[3]

    until = datetime(2026, 12, 1, 9, 0, tzinfo=UTC) + timedelta(hours=1)
    snoozed = shop.triage.snooze([cid], until)
    assert shop.case(cid)[1] == datetime(2026, 12, 1, 10, 0)
    shop.box.regroup_cases()  # a touched case keeps its id and its triage
    assert shop.case_of(1) == cid and shop.case(cid)[:2] == ("waiting", datetime(2026, 12, 1, 10))

    assert snoozed.undo_token is not None and changes.undo_token is not None
    shop.triage.undo(snoozed.undo_token)
    assert shop.case(cid)[:2] == ("waiting", None)
    shop.triage.undo(changes.undo_token)
    assert shop.case(cid)[:3] == before[:3]
    assert shop.triage.undo(changes.undo_token).undo_token is None  # once only
    shop.triage.unsnooze([cid])
    with pytest.raises(ValueError):
        shop.triage.set_status([cid], "sleeping")


def test_tags_and_notes(shop: Shop) -> None:
    a, b = shop.case_of(1), shop.case_of(2)
    shop.triage.set_tags([a], ["refill"], [])
    changes = shop.triage.set_tags([a, b], ["  wholesale ", "refill", ""], ["refill"])
    assert shop.tags(a) == {"refill", "wholesale"} and shop.tags(b) == {"refill", "wholesale"}
    removed = shop.triage.set_tags([a], [], ["refill"])
    assert shop.tags(a) == {"wholesale"}
    assert removed.undo_token and changes.undo_token
    shop.triage.undo(removed.undo_token)
    assert shop.tags(a) == {"refill", "wholesale"}
    shop.triage.undo(changes.undo_token)
    assert shop.tags(a) == {"refill"} and shop.tags(b) == set()

    first = shop.triage.add_note(a, "Customer prefers DHL.")
    shop.triage.add_note(a, "Sent a replacement.")
    assert [body for _id, _at, body in shop.triage.notes(a)] == [
        "Customer prefers DHL.",
        "Sent a replacement.",
    ]
    assert first.extra["note_id"]
    assert first.undo_token is not None
    shop.triage.undo(first.undo_token)
    assert [body for _id, _at, body in shop.triage.notes(a)] == ["Sent a replacement."]
    with pytest.raises(ValueError):
        shop.triage.add_note(a, "   ")


def test_read_unread_queue_flags_per_location_and_undo(shop: Shop) -> None:
    cid = shop.case_of(1)
    changes = shop.triage.mark_read([cid], True)
    # m1 and m3 were unread in INBOX; m4 (in Sent) was read already: two operations
    assert changes.server_ops == 2 and shop.triage.pending_count() == 2
    assert shop.ops() == [("flags", "pending", {"add": ["\\Seen"]})] * 2
    assert shop.messages()["<m1@example.com>"] == (True, False)
    assert shop.locations()[("INBOX", 1)] == ("\\Seen", False)
    assert changes.undo_token is not None
    shop.triage.undo(changes.undo_token)
    assert shop.messages()["<m1@example.com>"] == (False, False)
    assert shop.locations()[("INBOX", 1)] == ("", False)
    assert [state for _k, state, _p in shop.ops()] == ["cancelled", "cancelled"]
    assert shop.triage.pending_count() == 0

    one = shop.triage.mark_messages_read([_message_id(shop, 2)], False)
    assert one.description == "Marked unread 1 message"
    assert shop.ops()[-1] == ("flags", "pending", {"remove": ["\\Seen"]})


def test_star_flags_the_newest_customer_message(shop: Shop) -> None:
    cid = shop.case_of(1)
    changes = shop.triage.star([cid], True)
    assert shop.case(cid)[2]
    flagged = {m for m, (_seen, f) in shop.messages().items() if f}
    assert flagged == {"<m3@example.com>"}  # newer than m1; m4 is the shop's own reply
    assert shop.ops() == [("flags", "pending", {"add": ["\\Flagged"]})]
    shop.triage.star([cid], False)
    assert not shop.case(cid)[2] and not any(f for _s, f in shop.messages().values())
    assert changes.undo_token is not None


def test_star_skips_a_reply_filed_in_sent_from_another_address(shop: Shop) -> None:
    """The merchant answered from a private address: in Sent, so it is not the customer's."""
    shop.add(
        shop.sent,
        [(2, mail(9, sender="owner@private.example", order=1001, reply_to=3), ("\\Seen",))],
    )
    cid = shop.case_of(1)
    assert shop.case_of(9) == cid
    shop.triage.star([cid], True)
    flagged = {m for m, (_seen, f) in shop.messages().items() if f}
    assert flagged == {"<m3@example.com>"}


def test_archive_hides_inbox_mail_and_undo_restores_it(shop: Shop) -> None:
    cid = shop.case_of(1)
    changes = shop.triage.archive([cid])
    assert shop.case(cid)[0] == "done"
    assert changes.server_ops == 2 and changes.description == "Archived 1 case"
    assert [(k, p) for k, _s, p in shop.ops()] == [("move", {"to": "archive"})] * 2
    locations = shop.locations()
    assert locations[("INBOX", 1)][1] and locations[("INBOX", 3)][1]  # hidden until replayed
    assert not locations[("Sent", 1)][1]  # the shop's reply stays in Sent
    shop.box.regroup_cases()
    assert shop.case_of(1) == cid and shop.case(cid)[0] == "done"
    assert changes.undo_token is not None
    shop.triage.undo(changes.undo_token)
    assert shop.case(cid)[0] == "open"
    assert not any(gone for _f, gone in shop.locations().values())
    assert shop.triage.pending_count() == 0

    deleted = shop.triage.delete([shop.case_of(2)])
    assert shop.case(shop.case_of(2))[0] == "trash"
    assert shop.ops()[-1][0] == "delete" and shop.ops()[-1][2] == {"to": "trash"}
    assert deleted.server_ops == 1


def test_undo_after_replay_queues_the_reverse(shop: Shop) -> None:
    cid = shop.case_of(2)
    read = shop.triage.mark_read([cid], False)
    archived = shop.triage.archive([cid])
    with shop.box.store.session() as s:  # as if replayed
        for op in s.scalars(select(ServerOp).where(ServerOp.kind != "undo")):
            op.state = "done"
    assert read.undo_token and archived.undo_token
    undone = shop.triage.undo(read.undo_token)
    assert undone.server_ops == 1
    assert shop.ops()[-1] == ("flags", "pending", {"add": ["\\Seen"], "remove": [], "undo_of": 1})
    shop.triage.undo(archived.undo_token)
    kind, state, payload = shop.ops()[-1]
    assert (kind, state, payload["to"]) == ("move", "pending", "INBOX")
    assert not shop.locations()[("INBOX", 2)][1]
    assert shop.triage.pending_count() == 2


def test_imported_mail_changes_locally_only(shop: Shop, tmp_path: Path) -> None:
    with shop.box.store.session() as s:
        local = ensure_local_account(s)
        folder = Folder(account_id=local, name="Imported", role="import", uidvalidity=1)
        s.add(folder)
        s.flush()
        ingest_batch(s, local, folder.id, 1, [FetchedMessage(uid=1, raw=mail(9), flags=())])
    shop.box.assign_new_messages()
    cid = shop.case_of(9)
    changes = shop.triage.mark_read([cid], True)
    shop.triage.archive([cid])
    assert changes.server_ops == 0 and shop.ops() == []
    assert shop.messages()["<m9@example.com>"] == (True, False)
    assert shop.case(cid)[0] == "done"


def _message_id(shop: Shop, n: int) -> int:
    with shop.box.store.session() as s:
        mid = s.scalar(select(Message.id).where(Message.message_id == f"<m{n}@example.com>"))
        assert mid is not None
        return mid


def test_imported_maildir_keeps_its_read_state(tmp_path: Path) -> None:
    maildir = tmp_path / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True)
    (maildir / "cur" / "1.M1P1.host:2,S").write_bytes(mail(1))
    (maildir / "cur" / "2.M2P1.host:2,F").write_bytes(mail(2))
    box = Mailbox.open(tmp_path / "store.sqlite3")
    try:
        box.import_path(maildir)
        with box.store.session() as s:
            state = dict(
                (mid, (seen, flagged))
                for mid, seen, flagged in s.execute(
                    select(Message.message_id, Message.seen, Message.flagged)
                )
            )
        assert state == {"<m1@example.com>": (True, False), "<m2@example.com>": (False, True)}
    finally:
        box.close()


def test_demo_shop_mail_is_read_except_the_newest_in_the_inbox(tmp_path: Path) -> None:
    from desktop_app.core import demo

    box = Mailbox.open(tmp_path / "store.sqlite3")
    try:
        demo.load_demo(box)
        with box.store.session() as s:
            seen = list(s.scalars(select(Message.seen)))
        assert 0 < seen.count(False) < len(seen) // 2  # a few unread, like a real inbox
    finally:
        box.close()
