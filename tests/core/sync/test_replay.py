"""Offline triage replayed on a real Dovecot: flags, MOVE or COPY+EXPUNGE, conflicts, crashes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from desktop_app.core.accounts.settings import AccountSettings
from desktop_app.core.mailbox import Mailbox
from desktop_app.core.store.accounts import add_account, find_account
from desktop_app.core.store.models import Message, ServerOp
from desktop_app.core.sync import replay
from desktop_app.core.sync.account import AccountSync, SyncReport
from desktop_app.core.triage import Triage
from tests.core.sync.conftest import account_settings, local_state, make_message, server_state

pytestmark = pytest.mark.servers

NO_MOVE = (
    "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT LITERAL+ SPECIAL-USE "
    "NAMESPACE UIDPLUS MULTIAPPEND CONDSTORE QRESYNC"
)

NO_UIDPLUS = (
    "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT LITERAL+ SPECIAL-USE "
    "NAMESPACE MULTIAPPEND CONDSTORE QRESYNC"
)


def _settings(box: Mailbox, server: Any) -> AccountSettings:
    settings = account_settings(server)
    with box.store.session() as s:
        try:
            return find_account(s, settings.name)
        except Exception:
            add_account(s, settings)
            return find_account(s, settings.name)


def _sync(box: Mailbox, server: Any) -> SyncReport:
    syncer = AccountSync(box.store, _settings(box, server), password=lambda _s: server.password)
    try:
        return syncer.sync()
    finally:
        syncer.close()


def _replay(box: Mailbox, server: Any) -> replay.ReplayReport:
    return Triage(box.store).replay_pending(password=lambda _s: server.password)


def _case(box: Mailbox, n: int) -> int:
    with box.store.session() as s:
        cid = s.scalar(
            select(Message.case_id).where(Message.message_id == f"<msg-{n}@example.com>")
        )
        assert cid is not None
        return cid


def _read_state(box: Mailbox, n: int) -> tuple[bool, bool]:
    with box.store.session() as s:
        row = s.execute(
            select(Message.seen, Message.flagged).where(
                Message.message_id == f"<msg-{n}@example.com>"
            )
        ).one()
        return bool(row[0]), bool(row[1])


def _ops(box: Mailbox) -> list[tuple[str, str, int, str]]:
    with box.store.session() as s:
        return [
            (kind, state, attempts, error)
            for kind, state, attempts, error in s.execute(
                select(ServerOp.kind, ServerOp.state, ServerOp.attempts, ServerOp.last_error)
                .where(ServerOp.kind != "undo")
                .order_by(ServerOp.id)
            )
        ]


def _mids(server: Any, folder: str) -> list[str]:
    return sorted(server.message_ids(folder).values())


def _start(dovecot_factory: Any, tmp_path: Path, count: int = 4, **kw: Any) -> tuple[Any, Mailbox]:
    server = dovecot_factory(**kw)
    box = Mailbox.open(tmp_path / "store" / "s.sqlite3")
    server.append_many("INBOX", [make_message(i) for i in range(count)])
    _sync(box, server)
    return server, box


@pytest.mark.parametrize(
    "caps", [None, NO_MOVE, NO_UIDPLUS], ids=["move", "copy-expunge", "copy-no-uidplus"]
)
def test_offline_triage_reaches_the_server(
    dovecot_factory: Any, tmp_path: Path, caps: str | None
) -> None:
    server, box = _start(dovecot_factory, tmp_path, capabilities=caps, rawlog=True)
    triage = Triage(box.store)
    triage.mark_read([_case(box, 0)], True)
    triage.star([_case(box, 1)], True)
    archived = triage.archive([_case(box, 2)])
    triage.delete([_case(box, 3)])
    triage.mark_read([_case(box, 2)], True)  # after the archive: the flag follows the move
    assert archived.server_ops == 1 and triage.pending_count() == 5
    assert "<msg-2@example.com>" not in {m for _f, m, _fl in local_state(box)}  # hidden

    server.stop()  # offline: nothing is lost, everything waits
    offline = _replay(box, server)
    assert offline.offline and offline.error
    assert triage.pending_count() == 5
    server.restart()

    report = _sync(box, server)
    assert (report.replay.done, report.replay.conflicts, report.replay.failed) == (5, 0, 0)
    assert triage.pending_count() == 0
    flags = {mid: fl for _f, mid, fl in server_state(server)}
    assert flags == {
        "<msg-0@example.com>": ("\\Seen",),
        "<msg-1@example.com>": ("\\Flagged",),
    }
    assert server_state(server, "Archive") == {("Archive", "<msg-2@example.com>", ("\\Seen",))}
    assert _mids(server, "Trash") == ["<msg-3@example.com>"]
    # the next sync agrees with the server; one message each, none lost, none doubled
    assert local_state(box) == server_state(server)
    assert local_state(box, "Archive") == server_state(server, "Archive")
    assert box.stats()["messages"] == 4
    assert (report.flags_changed, _sync(box, server).replay.done) == (0, 0)
    assert _read_state(box, 0) == (True, False) and _read_state(box, 1) == (False, True)

    sent = "\n".join(server.client_commands()).upper()
    if caps is None:
        assert "UID MOVE" in sent and "UID COPY" not in sent
    elif caps == NO_MOVE:
        assert "UID MOVE" not in sent and "UID COPY" in sent and "UID EXPUNGE" in sent
    else:  # only our messages carried \Deleted, so a plain EXPUNGE removed just them
        assert "UID COPY" in sent and "UID EXPUNGE" not in sent and " EXPUNGE" in sent
    box.close()


def test_undo_after_replay_moves_back(dovecot_factory: Any, tmp_path: Path) -> None:
    server, box = _start(dovecot_factory, tmp_path, count=2)
    triage = Triage(box.store)
    archived = triage.archive([_case(box, 0)])
    read = triage.mark_read([_case(box, 1)], True)
    _sync(box, server)
    assert _mids(server, "Archive") == ["<msg-0@example.com>"]
    assert archived.undo_token and read.undo_token
    triage.undo(archived.undo_token)
    triage.undo(read.undo_token)
    assert {m for _f, m, _fl in local_state(box)} == {"<msg-0@example.com>", "<msg-1@example.com>"}
    report = _sync(box, server)
    assert report.replay.done == 2
    assert _mids(server, "Archive") == []
    assert server_state(server) == {
        ("INBOX", "<msg-0@example.com>", ()),
        ("INBOX", "<msg-1@example.com>", ()),
    }
    assert local_state(box) == server_state(server) and box.stats()["messages"] == 2
    box.close()


def test_conflicts_when_another_client_got_there_first(
    dovecot_factory: Any, tmp_path: Path
) -> None:
    server, box = _start(dovecot_factory, tmp_path, count=3)
    triage = Triage(box.store)
    uids = server.uids("INBOX")
    triage.archive([_case(box, 0), _case(box, 1)])
    triage.mark_read([_case(box, 2)], True)
    server.expunge("INBOX", uids[0])  # the phone deleted it
    server.doveadm("move", "-u", server.user, "Archive", "mailbox", "INBOX", "uid", str(uids[1]))
    server.doveadm("mailbox", "create", "-u", server.user, "Junk-ish")
    server.doveadm("move", "-u", server.user, "Junk-ish", "mailbox", "INBOX", "uid", str(uids[2]))

    report = _sync(box, server)
    assert (report.replay.done, report.replay.conflicts) == (1, 2)  # msg-1 was archived already
    states = [(kind, state) for kind, state, _a, _e in _ops(box)]
    assert states == [("move", "conflict"), ("move", "done"), ("flags", "conflict")]
    assert "no longer in INBOX" in _ops(box)[0][3]
    assert _mids(server, "Archive") == ["<msg-1@example.com>"]
    assert box.stats()["messages"] == 3  # nothing lost here
    assert local_state(box) == server_state(server) == set()
    box.close()


@pytest.mark.parametrize("caps", [None, NO_MOVE], ids=["move", "copy-expunge"])
def test_replay_survives_a_crash_after_the_move(
    dovecot_factory: Any, tmp_path: Path, caps: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    server, box = _start(dovecot_factory, tmp_path, count=2, capabilities=caps)
    triage = Triage(box.store)
    triage.archive([_case(box, 0), _case(box, 1)])

    class Crash(Exception):
        pass

    def crash(*_args: Any, **_kw: Any) -> None:
        raise Crash

    # killed after the MOVE (or after the COPY, before the EXPUNGE), before marking it done
    where = "_moved" if caps is None else "_expunge"
    monkeypatch.setattr(replay.Replayer, where, crash)
    with pytest.raises(Crash):
        _replay(box, server)
    monkeypatch.undo()
    assert [state for _k, state, _a, _e in _ops(box)] == ["sending", "sending"]
    assert triage.pending_count() == 2

    first = _replay(box, server)
    assert (first.done, first.conflicts) == (2, 0)
    again = _replay(box, server)
    assert again == replay.ReplayReport()
    assert _mids(server, "Archive") == ["<msg-0@example.com>", "<msg-1@example.com>"]
    assert _mids(server, "INBOX") == []
    _sync(box, server)
    assert box.stats()["messages"] == 2
    box.close()


def test_new_uidvalidity_finds_the_message_by_message_id(
    dovecot_factory: Any, tmp_path: Path
) -> None:
    server, box = _start(dovecot_factory, tmp_path, count=2)
    triage = Triage(box.store)
    triage.archive([_case(box, 1)])
    triage.mark_read([_case(box, 0)], True)
    server.set_uidvalidity("INBOX", 777)
    report = _replay(box, server)
    assert (report.done, report.conflicts) == (2, 0)
    assert _mids(server, "Archive") == ["<msg-1@example.com>"]
    assert server_state(server) == {("INBOX", "<msg-0@example.com>", ("\\Seen",))}
    box.close()


def test_refused_ops_are_retried_then_failed(dovecot_factory: Any, tmp_path: Path) -> None:
    server, box = _start(dovecot_factory, tmp_path, count=1)
    triage = Triage(box.store)
    triage.mark_read([_case(box, 0)], True)
    with box.store.session() as s:  # a flag the server refuses (an unknown system flag)
        op = s.scalars(select(ServerOp).where(ServerOp.kind == "flags")).one()
        op.payload = json.dumps({"add": ["\\Bogus"]})
    for attempt in range(1, replay.MAX_ATTEMPTS):
        report = _replay(box, server)
        assert report.retrying == 1
        assert _ops(box)[0][:3] == ("flags", "pending", attempt)
    report = _replay(box, server)
    assert report.failed == 1
    kind, state, attempts, error = _ops(box)[0]
    assert (kind, state, attempts) == ("flags", "failed", replay.MAX_ATTEMPTS) and error
    assert triage.pending_count() == 0
    # the server kept its flags; the next sync says so
    _sync(box, server)
    assert _read_state(box, 0) == (False, False)
    box.close()


def test_read_state_follows_the_server_unless_a_change_waits(
    dovecot_factory: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server, box = _start(dovecot_factory, tmp_path, count=3)
    uids = server.uids("INBOX")
    server.add_flags("INBOX", uids[0], "\\Seen", "\\Flagged")
    Triage(box.store).mark_read([_case(box, 1)], True)  # not sent yet ...
    server.add_flags("INBOX", uids[1], "\\Flagged")  # ... when the phone flags the message
    monkeypatch.setattr(replay.Replayer, "run", lambda self: replay.ReplayReport())
    _sync(box, server)
    assert _read_state(box, 0) == (True, True)
    assert _read_state(box, 1) == (True, False)  # the merchant's change waits, kept
    assert _read_state(box, 2) == (False, False)
    monkeypatch.undo()
    _sync(box, server)
    assert ("INBOX", "<msg-1@example.com>", ("\\Flagged", "\\Seen")) in server_state(server)
    assert local_state(box) == server_state(server)
    assert _read_state(box, 1) == (True, True)
    server.remove_flags("INBOX", uids[0], "\\Flagged")
    _sync(box, server)
    assert _read_state(box, 0) == (True, False)
    box.close()


def test_archived_mail_stays_hidden_while_the_move_waits(
    dovecot_factory: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server, box = _start(dovecot_factory, tmp_path, count=2, capabilities=NO_MOVE)
    Triage(box.store).archive([_case(box, 0)])
    monkeypatch.setattr(replay.Replayer, "run", lambda self: replay.ReplayReport())
    _sync(box, server)  # the server still has it in INBOX; here it stays out of sight
    assert {m for _f, m, _fl in local_state(box)} == {"<msg-1@example.com>"}
    monkeypatch.undo()
    _sync(box, server)
    assert local_state(box) == server_state(server)
    assert _mids(server, "Archive") == ["<msg-0@example.com>"]
    box.close()


def test_a_synced_archive_folder_holds_the_moved_message_once(
    dovecot_factory: Any, tmp_path: Path
) -> None:
    import dataclasses

    from desktop_app.core.store.models import Location

    server = dovecot_factory()
    box = Mailbox.open(tmp_path / "store" / "s.sqlite3")
    server.append_many("INBOX", [make_message(i) for i in range(3)])
    with box.store.session() as s:  # the merchant syncs Archive too
        add_account(s, dataclasses.replace(account_settings(server), extra_folders=("Archive",)))
    _sync(box, server)
    Triage(box.store).archive([_case(box, 0), _case(box, 1)])
    report = _sync(box, server)
    assert report.replay.done == 2 and report.new_messages == 0
    assert local_state(box, "Archive") == server_state(server, "Archive")
    assert local_state(box) == server_state(server)
    again = _sync(box, server)
    assert (again.new_messages, again.gone, again.flags_changed) == (0, 0, 0)
    with box.store.session() as s:
        assert len(s.scalars(select(Location)).all()) == 5  # 3 in INBOX (2 gone), 2 in Archive
    assert box.stats()["messages"] == 3
    box.close()


def test_archive_folder_is_created_when_the_server_has_none(
    dovecot_factory: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.helpers import dovecot as helper

    no_archive = {k: v for k, v in helper.MAILBOXES.items() if k != "Archive"}
    monkeypatch.setattr(helper, "MAILBOXES", no_archive)
    server, box = _start(dovecot_factory, tmp_path, count=1)
    client = server.client()
    try:
        assert not client.folder_exists("Archive")
    finally:
        client.logout()
    Triage(box.store).archive([_case(box, 0)])
    assert _sync(box, server).replay.done == 1
    assert _mids(server, "Archive") == ["<msg-0@example.com>"]
    assert local_state(box, "Archive") == server_state(server, "Archive")
    box.close()
