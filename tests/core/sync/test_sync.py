"""Sync against a real Dovecot: initial, incremental, flags, expunges, UIDVALIDITY, cut links."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from desktop_app.core.errors import ConnectionFailed
from desktop_app.core.mailbox import Mailbox
from desktop_app.core.store.models import Blob, Location, Message
from desktop_app.core.sync import engine
from desktop_app.core.sync.account import AccountSync
from tests.core.sync.conftest import account_settings, local_state, make_message, server_state
from tests.helpers.proxy import CuttingProxy

pytestmark = pytest.mark.servers

NO_QRESYNC = (
    "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT LITERAL+ SPECIAL-USE "
    "NAMESPACE UIDPLUS MOVE MULTIAPPEND CONDSTORE"
)
NEITHER = (
    "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT LITERAL+ SPECIAL-USE "
    "NAMESPACE UIDPLUS MOVE MULTIAPPEND"
)


def _sync(box: Mailbox, server: Any, password: str | None = None, **imap: Any) -> Any:
    settings = account_settings(server, **imap)
    with box.store.session() as s:
        from desktop_app.core.store.accounts import add_account, find_account

        try:
            settings = find_account(s, settings.name)
        except Exception:
            add_account(s, settings)
            settings = find_account(s, settings.name)
    syncer = AccountSync(box.store, settings, password=lambda _s: password or server.password)
    try:
        return syncer.sync()
    finally:
        syncer.close()


def test_initial_and_incremental_sync(dovecot: Any, mailbox: Mailbox) -> None:
    raws = [make_message(i, size=(i % 7) * 3000) for i in range(40)]
    dovecot.append_many("INBOX", raws)
    dovecot.append("Sent", make_message(3, subject="Re: Order #1003"))  # same Message-ID as #3

    report = _sync(mailbox, dovecot)
    assert report.new_messages == 40
    assert local_state(mailbox) == server_state(dovecot)
    assert local_state(mailbox, "Sent") == server_state(dovecot, "Sent")
    with mailbox.store.session() as s:  # raw bytes byte for byte
        stored = set(s.scalars(select(Blob.data)))
        assert set(raws) <= stored
        # one message in two folders, each place keeping its own bytes
        msg = s.scalars(select(Message).where(Message.message_id == "<msg-3@example.com>")).one()
        assert len(s.scalars(select(Location).where(Location.message_id == msg.id)).all()) == 2

    # reading set no flag on the server (the phone still sees the mail as new)
    assert all(flags == () for _f, _m, flags in server_state(dovecot))

    dovecot.append_many("INBOX", [make_message(i) for i in range(40, 45)])
    assert _sync(mailbox, dovecot).new_messages == 5
    again = _sync(mailbox, dovecot)
    assert (again.new_messages, again.flags_changed, again.gone) == (0, 0, 0)
    assert mailbox.stats()["messages"] == 45


@pytest.mark.parametrize(
    "caps", [None, NO_QRESYNC, NEITHER], ids=["qresync", "condstore-only", "no-condstore"]
)
def test_changes_by_another_client(dovecot_factory: Any, tmp_path: Path, caps: str | None) -> None:
    server = dovecot_factory(capabilities=caps, rawlog=True)
    box = Mailbox.open(tmp_path / "store" / "s.sqlite3")
    server.append_many("INBOX", [make_message(i) for i in range(20)])
    _sync(box, server)
    uids = server.uids("INBOX")
    server.doveadm(
        "flags",
        "add",
        "-u",
        server.user,
        "\\Seen \\Flagged",
        "mailbox",
        "INBOX",
        "uid",
        str(uids[2]),
    )
    server.doveadm(
        "flags", "add", "-u", server.user, "\\Answered", "mailbox", "INBOX", "uid", str(uids[3])
    )
    server.doveadm("expunge", "-u", server.user, "mailbox", "INBOX", "uid", str(uids[5]))
    server.doveadm("expunge", "-u", server.user, "mailbox", "INBOX", "uid", str(uids[19]))

    report = _sync(box, server)
    assert report.flags_changed == 2
    assert report.gone == 2
    assert local_state(box) == server_state(server)
    stats = box.stats()
    assert stats["messages"] == 20  # expunged on the server, kept here
    assert stats["gone_from_server"] == 2
    box.close()
    # Dovecot still honours CONDSTORE when it is not advertised: check we took the fallback.
    sent = "\n".join(server.client_commands()).upper()
    if caps is None:
        assert "ENABLE QRESYNC" in sent and "VANISHED" in sent
    elif caps == NO_QRESYNC:
        assert "CHANGEDSINCE" in sent and "QRESYNC" not in sent
    else:
        assert "CHANGEDSINCE" not in sent and "MODSEQ" not in sent and "ENABLE" not in sent


def test_uidvalidity_change_repairs_without_duplicates(dovecot: Any, mailbox: Mailbox) -> None:
    dovecot.append_many("INBOX", [make_message(i) for i in range(15)])
    dovecot.set_uidvalidity("INBOX", 100)  # the rebuilt index will take a time-based value
    _sync(mailbox, dovecot)
    # A server rebuild: the UID list is lost and the files come back in another order, so every
    # message gets another UID in a new UIDVALIDITY epoch.
    dovecot.stop()
    maildir = Path(dovecot.maildir)
    for index in set(maildir.glob("**/dovecot*")):
        if index.is_dir():
            shutil.rmtree(index, ignore_errors=True)
        elif index.exists():
            index.unlink()
    files = sorted([*(maildir / "cur").iterdir(), *(maildir / "new").iterdir()])
    assert len(files) == 15
    for path in files:  # Dovecot numbers new files by the time in their name: reverse them
        n = int(re.search(rb"<msg-(\d+)@", path.read_bytes()).group(1))  # type: ignore[union-attr]
        info = path.name.split(":", 1)[1] if ":" in path.name else "2,"
        path.rename(maildir / "cur" / f"{1900000000 - n}.M{n}P1.rebuilt:{info}")
    dovecot.restart()
    dovecot.append("INBOX", make_message(99))
    assert dovecot.message_ids("INBOX")[1] == "<msg-14@example.com>"
    assert dovecot.mailbox_status("INBOX")["uidvalidity"] != 100

    report = _sync(mailbox, dovecot)
    inbox = next(f for f in report.folders if f.folder == "INBOX")
    assert inbox.uidvalidity_changed
    assert local_state(mailbox) == server_state(dovecot)
    assert mailbox.stats()["messages"] == 16


def test_uidvalidity_bump_keeps_uids(dovecot: Any, mailbox: Mailbox) -> None:
    dovecot.append_many("INBOX", [make_message(i) for i in range(5)])
    _sync(mailbox, dovecot)
    dovecot.doveadm("mailbox", "update", "-u", dovecot.user, "--uid-validity", "4242", "INBOX")
    report = _sync(mailbox, dovecot)
    assert report.new_messages == 0 and report.gone == 0
    assert local_state(mailbox) == server_state(dovecot)
    with mailbox.store.session() as s:
        assert {
            loc.uidvalidity for loc in s.scalars(select(Location)) if not loc.gone_from_server
        } >= {4242}


def test_connection_cut_mid_batch_then_resync(
    dovecot: Any, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "BATCH_MESSAGES", 10)
    dovecot.append_many("INBOX", [make_message(i, size=4000) for i in range(60)])
    with CuttingProxy(dovecot.host, dovecot.port) as proxy:
        proxy.cut_after_bytes(120_000)
        with pytest.raises(ConnectionFailed):
            _sync(mailbox, dovecot, port=proxy.port)
    partial = mailbox.stats()["messages"]
    assert 0 < partial < 60
    with CuttingProxy(dovecot.host, dovecot.port) as proxy:
        with mailbox.store.session() as s:
            from desktop_app.core.store.models import Account

            s.scalars(select(Account)).one().imap_port = proxy.port
        _sync(mailbox, dovecot)
    assert local_state(mailbox) == server_state(dovecot)
    assert mailbox.stats()["messages"] == 60


def test_folder_deleted_on_server_is_kept_and_marked_gone(dovecot: Any, mailbox: Mailbox) -> None:
    dovecot.append_many("Sent", [make_message(i) for i in range(3)])
    _sync(mailbox, dovecot)
    dovecot.doveadm("mailbox", "delete", "-u", dovecot.user, "-s", "Sent")
    _sync(mailbox, dovecot)
    stats = mailbox.stats()
    assert (stats["messages"], stats["gone_from_server"]) == (3, 3)
    assert [r for r in mailbox.export_rows() if r.folder == "Sent"] == []
