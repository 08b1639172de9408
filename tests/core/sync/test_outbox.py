"""The outbox against real servers (aiosmtpd, Dovecot): once, undo, offline, refusals, crashes."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from desktop_app.core.accounts import credentials
from desktop_app.core.accounts.settings import AccountSettings, ServerSettings
from desktop_app.core.mailbox import Mailbox
from desktop_app.core.replies.compose import ReplyDraft, start_reply
from desktop_app.core.store.models import Message
from tests.helpers.smtp import SmtpServer

pytestmark = [
    pytest.mark.servers,
    pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS"),
]

CUSTOMER = (
    b"From: =?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <juergen@kunde.example>\r\n"
    b"To: shop@shop.example\r\n"
    b"Subject: AW: Re: Bestellung #1001\r\n"
    b"Message-ID: <kunde-1@kunde.example>\r\n"
    b"References: <root@shop.example>\r\n"
    b"Date: Tue, 24 Nov 2026 10:00:00 +0200\r\n"
    b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
    b"Wo bleibt meine Bestellung #1001?\r\n"
)


@pytest.fixture
def smtp_server(tmp_path: Path, dovecot: Any) -> Iterator[SmtpServer]:
    server = SmtpServer(tmp_path / "smtp", user=dovecot.user, password="smtp-secret")
    yield server
    server.close()


def _settings(dovecot: Any, smtp: ServerSettings) -> AccountSettings:
    imap = ServerSettings(dovecot.host, dovecot.port, "none")
    return AccountSettings(
        name="Shop", email="shop@shop.example", username=dovecot.user, imap=imap, smtp=smtp
    )


def _setup(
    box: Mailbox, dovecot: Any, smtp_server: SmtpServer, security: str = "none"
) -> tuple[AccountSettings, int]:
    """An account over both servers, the customer's mail synced; returns its message id."""
    port = smtp_server.ssl_port if security == "ssl" else smtp_server.port
    settings = _settings(dovecot, ServerSettings("127.0.0.1", port, security))
    box.add_account(settings, dovecot.password, check=False)
    credentials.set_secret(settings.smtp_credential_key, smtp_server.password)
    dovecot.append("INBOX", CUSTOMER)
    box.sync()
    with box.store.session() as s:
        message_id = s.scalar(
            select(Message.id).where(Message.dedup_key == "<kunde-1@kunde.example>")
        )
    assert message_id is not None
    return box.account("Shop"), message_id


def _draft(box: Mailbox, message_id: int, **changes: Any) -> ReplyDraft:
    with box.store.session() as s:
        draft = start_reply(s, message_id, "reply")
    return dataclasses.replace(draft, body="Hallo Jürgen,\n\nIhr Paket ist unterwegs.", **changes)


def _sent_ids(dovecot: Any) -> list[str]:
    return list(dovecot.message_ids("Sent").values())


def test_send_once_filed_in_sent_and_in_its_case_at_once(
    mailbox: Mailbox, dovecot: Any, smtp_server: SmtpServer
) -> None:
    _, message_id = _setup(mailbox, dovecot, smtp_server, "starttls")
    os.environ["SSL_CERT_FILE"] = str(smtp_server.ca_cert_path)  # the test CA, for this test
    try:
        draft = _draft(mailbox, message_id)
        item = mailbox.outbox.queue(draft, undo_seconds=0)
        assert item.state == "queued" and item.message_id.endswith("@shop.example>")
        case_id = draft.case_id
        assert case_id is not None and item.case_id == case_id
        keys = [m.dedup_key for m in mailbox.views.case_messages(case_id)]
        assert item.message_id in keys  # the reply is in its case before it is sent
        ours = [m for m in mailbox.views.case_messages(case_id) if m.dedup_key == item.message_id]
        assert ours[0].ours and ours[0].folders == ("Shopdesk Outbox",)
        mailbox.sync()  # a sync before sending keeps it in the local outbox folder
        ours = [m for m in mailbox.views.case_messages(case_id) if m.dedup_key == item.message_id]
        assert ours[0].folders == ("Shopdesk Outbox",)

        report = mailbox.outbox.flush()
    finally:
        del os.environ["SSL_CERT_FILE"]
    assert (report.sent, report.filed, report.offline) == (1, 1, False), report
    received = smtp_server.recorder.wait_for(1)
    assert len(received) == 1 and received[0].rcpt_tos == ("juergen@kunde.example",)
    assert received[0].mail_from == "shop@shop.example"
    assert _sent_ids(dovecot) == [item.message_id]
    assert dovecot.flags("Sent") and all("\\Seen" in f for f in dovecot.flags("Sent").values())
    (after,) = mailbox.outbox.items()
    assert after.state == "filed" and after.attempts == 1 and after.sent_at and after.filed_at

    sent = message_from_bytes(received[0].data, policy=policy.default)
    assert sent["Subject"] == "Re: Bestellung #1001"
    assert sent["In-Reply-To"] == "<kunde-1@kunde.example>"
    assert sent["References"].split() == ["<root@shop.example>", "<kunde-1@kunde.example>"]
    assert sent["Message-ID"] == item.message_id

    # Syncing Sent later finds the same message, never a second one.
    mailbox.sync()
    with mailbox.store.session() as s:
        count = len(list(s.scalars(select(Message.id).where(Message.dedup_key == item.message_id))))
    assert count == 1
    rows = [m for m in mailbox.views.case_messages(case_id) if m.dedup_key == item.message_id]
    assert len(rows) == 1 and rows[0].folders == ("Sent",)


def test_implicit_tls_and_the_imap_password_when_no_smtp_one(
    mailbox: Mailbox, dovecot: Any, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, message_id = _setup(mailbox, dovecot, smtp_server, "ssl")
    credentials.delete_secret(settings.smtp_credential_key)
    smtp_server.password = dovecot.password  # the same password for both, as most providers
    monkeypatch.setenv("SSL_CERT_FILE", str(smtp_server.ca_cert_path))
    mailbox.outbox.queue(_draft(mailbox, message_id), undo_seconds=0)
    report = mailbox.outbox.flush()
    assert report.sent == 1, report
    assert len(smtp_server.recorder.wait_for(1)) == 1


def test_unverified_certificate_is_refused(
    mailbox: Mailbox, dovecot: Any, smtp_server: SmtpServer
) -> None:
    _, message_id = _setup(mailbox, dovecot, smtp_server, "ssl")
    mailbox.outbox.queue(_draft(mailbox, message_id), undo_seconds=0)
    report = mailbox.outbox.flush()  # the test CA is not trusted here
    assert report.sent == 0 and smtp_server.messages == []
    assert any("certificate" in p for p in report.problems), report
    assert mailbox.outbox.items()[0].state == "queued"


def test_undo_within_the_window_sends_nothing(
    mailbox: Mailbox, dovecot: Any, smtp_server: SmtpServer
) -> None:
    _, message_id = _setup(mailbox, dovecot, smtp_server)
    draft = _draft(mailbox, message_id)
    item = mailbox.outbox.queue(draft, undo_seconds=60)
    assert mailbox.outbox.flush().sent == 0  # not due yet
    assert mailbox.outbox.cancel(item.id)
    assert draft.case_id is not None
    assert item.message_id not in [m.dedup_key for m in mailbox.views.case_messages(draft.case_id)]
    assert mailbox.outbox.flush(now=item.send_after).sent == 0
    assert smtp_server.messages == [] and _sent_ids(dovecot) == []
    assert mailbox.outbox.items()[0].state == "cancelled"
    late = mailbox.outbox.queue(draft, undo_seconds=0)
    assert not mailbox.outbox.cancel(late.id)  # the window is over


def test_offline_then_back_sends_once(
    mailbox: Mailbox, dovecot: Any, smtp_server: SmtpServer
) -> None:
    _, message_id = _setup(mailbox, dovecot, smtp_server)
    smtp_server.stop()
    item = mailbox.outbox.queue(_draft(mailbox, message_id), undo_seconds=0)
    report = mailbox.outbox.flush()
    assert report.offline and report.sent == 0
    (waiting,) = mailbox.outbox.items()
    assert waiting.state == "queued" and "refused" in waiting.last_error
    smtp_server.start()
    assert mailbox.outbox.flush().sent == 1
    assert mailbox.outbox.flush().sent == 0
    assert len(smtp_server.recorder.wait_for(1)) == 1
    assert _sent_ids(dovecot) == [item.message_id]


def test_permanent_refusal_fails_with_the_reason_and_retry_sends(
    mailbox: Mailbox, dovecot: Any, smtp_server: SmtpServer
) -> None:
    _, message_id = _setup(mailbox, dovecot, smtp_server)
    smtp_server.recorder.reply = "550 5.7.1 Message rejected as spam"
    item = mailbox.outbox.queue(_draft(mailbox, message_id), undo_seconds=0)
    report = mailbox.outbox.flush()
    assert report.failed == 1 and report.sent == 0
    (failed,) = mailbox.outbox.items()
    assert failed.state == "failed" and "550 5.7.1 Message rejected as spam" in failed.last_error
    assert _sent_ids(dovecot) == []

    smtp_server.recorder.reply = "451 4.3.0 Try again later"
    assert mailbox.outbox.retry(item.id)
    report = mailbox.outbox.flush()
    assert report.requeued == 1
    (later,) = mailbox.outbox.items()
    assert later.state == "queued" and later.attempts == 2 and "451" in later.last_error

    smtp_server.recorder.reply = None
    assert mailbox.outbox.flush().sent == 1
    assert len(smtp_server.recorder.wait_for(1)) == 1
    assert _sent_ids(dovecot) == [item.message_id]
    assert mailbox.outbox.items()[0].attempts == 3


def test_wrong_smtp_password_keeps_the_reply_queued(
    mailbox: Mailbox, dovecot: Any, smtp_server: SmtpServer
) -> None:
    settings, message_id = _setup(mailbox, dovecot, smtp_server)
    credentials.set_secret(settings.smtp_credential_key, "wrong")
    mailbox.outbox.queue(_draft(mailbox, message_id), undo_seconds=0)
    report = mailbox.outbox.flush()
    assert report.sent == 0 and any("refused the username" in p for p in report.problems)
    assert mailbox.outbox.items()[0].state == "queued" and smtp_server.messages == []


def _cli_flush(data_dir: Path, crash_at: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("SHOPDESK_TEST_CRASH_AT", None)
    if crash_at:
        env["SHOPDESK_TEST_CRASH_AT"] = crash_at
    return subprocess.run(
        [sys.executable, "-m", "desktop_app.cli", "--data-dir", str(data_dir), "outbox", "flush"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


# Where the killed flush stopped -> (its state then, copies the customer ends up with).
CRASHES = {
    "before_smtp": ("sending", 1),  # no marker: the dot never went out, so it is sent again
    "after_smtp": ("sending", 1),  # marker set and delivered: settled as sent, then filed
    "after_sent": ("sent", 1),  # sent and committed: only filed
    # The one window the rule cannot close (see outbox.py): the marker is committed, the
    # final dot never left. It is taken as sent: the customer gets none rather than two.
    "before_dot": ("sending", 0),
}


@pytest.mark.parametrize("crash_at", list(CRASHES))
def test_killed_flush_then_another_sends_exactly_once(
    tmp_path: Path, dovecot: Any, smtp_server: SmtpServer, crash_at: str
) -> None:
    state_then, copies = CRASHES[crash_at]
    data_dir = tmp_path / "data"
    box = Mailbox.open(data_dir / "shopdesk.sqlite3")
    try:
        _, message_id = _setup(box, dovecot, smtp_server)
        item = box.outbox.queue(_draft(box, message_id), undo_seconds=0)
    finally:
        box.close()

    killed = _cli_flush(data_dir, crash_at)
    assert killed.returncode == 9, killed.stderr
    box = Mailbox.open(data_dir / "shopdesk.sqlite3")
    try:
        assert box.outbox.items()[0].state == state_then
    finally:
        box.close()

    again = _cli_flush(data_dir)
    assert again.returncode == 0, again.stderr
    assert len(smtp_server.recorder.wait_for(copies)) == copies  # the customer's copies
    assert _sent_ids(dovecot) == [item.message_id]  # and Sent exactly one
    box = Mailbox.open(data_dir / "shopdesk.sqlite3")
    try:
        assert [i.state for i in box.outbox.items()] == ["filed"]
    finally:
        box.close()
    assert _cli_flush(data_dir).returncode == 0
    assert len(smtp_server.messages) == copies and len(_sent_ids(dovecot)) == 1


def test_offline_imap_during_recovery_never_resends(
    tmp_path: Path, dovecot: Any, smtp_server: SmtpServer
) -> None:
    data_dir = tmp_path / "data"
    box = Mailbox.open(data_dir / "shopdesk.sqlite3")
    try:
        _, message_id = _setup(box, dovecot, smtp_server)
        box.outbox.queue(_draft(box, message_id), undo_seconds=0)
    finally:
        box.close()
    assert _cli_flush(data_dir, "after_smtp").returncode == 9
    assert len(smtp_server.recorder.wait_for(1)) == 1
    dovecot.stop()
    try:
        assert _cli_flush(data_dir).returncode == 2  # offline: Sent cannot be searched
        assert len(smtp_server.messages) == 1  # and nothing is sent again while unsure
    finally:
        dovecot.restart()
    assert _cli_flush(data_dir).returncode == 0
    assert len(smtp_server.recorder.wait_for(1)) == 1 and len(_sent_ids(dovecot)) == 1


def test_provider_that_files_sent_mail_gets_no_append(
    mailbox: Mailbox, dovecot: Any, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_app.core.replies import outbox_send

    _, message_id = _setup(mailbox, dovecot, smtp_server)
    monkeypatch.setattr(outbox_send, "provider_files_sent", lambda settings: True)
    mailbox.outbox.queue(_draft(mailbox, message_id), undo_seconds=0)
    report = mailbox.outbox.flush()
    assert (report.sent, report.filed) == (1, 1)
    assert len(smtp_server.recorder.wait_for(1)) == 1
    assert _sent_ids(dovecot) == []  # the provider's own copy is the only one
    assert mailbox.outbox.items()[0].state == "filed"


@pytest.mark.parametrize(
    ("imap_host", "smtp_host", "files"),
    [
        ("imap.gmail.com", "smtp.gmail.com", True),
        ("outlook.office365.com", "smtp.office365.com", True),
        ("mail.example.com", "smtp.office365.com", True),
        ("imap.fastmail.com", "smtp.fastmail.com", False),
        ("127.0.0.1", "127.0.0.1", False),
    ],
)
def test_which_providers_file_sent_mail(imap_host: str, smtp_host: str, files: bool) -> None:
    from desktop_app.core.sync.sent import provider_files_sent

    settings = AccountSettings(
        name="S",
        email="s@example.com",
        username="s",
        imap=ServerSettings(imap_host, 993, "ssl"),
        smtp=ServerSettings(smtp_host, 587, "starttls"),
    )
    assert provider_files_sent(settings) is files


def test_found_in_sent_after_a_crash_is_never_sent_again(
    mailbox: Mailbox, dovecot: Any, smtp_server: SmtpServer
) -> None:
    """A crash left "sending" without the marker, yet Sent has it (the provider filed it)."""
    from desktop_app.core.replies.outbox_store import set_state
    from desktop_app.core.store.models import OutboxItem

    _, message_id = _setup(mailbox, dovecot, smtp_server)
    item = mailbox.outbox.queue(_draft(mailbox, message_id), undo_seconds=0)
    set_state(mailbox.store, item.id, state="sending")
    with mailbox.store.session() as s:
        raw = s.get(OutboxItem, item.id).raw  # type: ignore[union-attr]
    dovecot.append("Sent", raw)
    report = mailbox.outbox.flush()
    assert report.recovered == 1 and report.sent == 0
    assert smtp_server.messages == [] and _sent_ids(dovecot) == [item.message_id]
    assert mailbox.outbox.items()[0].state == "filed"


def test_a_message_id_that_only_contains_ours_is_not_taken_for_it(
    mailbox: Mailbox, dovecot: Any, smtp_server: SmtpServer
) -> None:
    """IMAP SEARCH HEADER matches substrings: Sent holding "<xID>" does not mean ours went."""
    from desktop_app.core.replies.outbox_store import set_state
    from desktop_app.core.store.models import OutboxItem

    _, message_id = _setup(mailbox, dovecot, smtp_server)
    item = mailbox.outbox.queue(_draft(mailbox, message_id), undo_seconds=0)
    set_state(mailbox.store, item.id, state="sending")  # crashed before the final dot
    with mailbox.store.session() as s:
        raw = s.get(OutboxItem, item.id).raw  # type: ignore[union-attr]
    lookalike = "<x" + item.message_id.strip("<>") + ">"
    dovecot.append("Sent", raw.replace(item.message_id.encode(), lookalike.encode(), 1))
    report = mailbox.outbox.flush()
    assert report.sent == 1 and len(smtp_server.messages) == 1
    assert item.message_id in _sent_ids(dovecot)


def test_cli_outbox_list_json(tmp_path: Path, dovecot: Any, smtp_server: SmtpServer) -> None:
    import json

    data_dir = tmp_path / "data"
    box = Mailbox.open(data_dir / "shopdesk.sqlite3")
    try:
        _, message_id = _setup(box, dovecot, smtp_server)
        item = box.outbox.queue(_draft(box, message_id), undo_seconds=60)
    finally:
        box.close()
    cli = [sys.executable, "-m", "desktop_app.cli", "--data-dir", str(data_dir)]
    out = subprocess.run(
        [*cli, "outbox", "list", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    (row,) = [json.loads(line) for line in out.stdout.splitlines()]
    assert row["id"] == item.id and row["state"] == "queued"
    assert row["subject"] == "Re: Bestellung #1001" and row["to"] == ["juergen@kunde.example"]


def test_cli_reply_from_a_file_sent_at_once_and_a_template_missing_a_value(
    tmp_path: Path, dovecot: Any, smtp_server: SmtpServer
) -> None:
    data_dir = tmp_path / "data"
    box = Mailbox.open(data_dir / "shopdesk.sqlite3")
    try:
        _, message_id = _setup(box, dovecot, smtp_server)
        with box.store.session() as s:
            case_id = s.get(Message, message_id).case_id  # type: ignore[union-attr]
    finally:
        box.close()
    cli = [sys.executable, "-m", "desktop_app.cli", "--data-dir", str(data_dir), "reply"]
    refused = subprocess.run(
        [*cli, "--case", str(case_id), "--template", "birthday_greeting"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 1 and "discount_code" in refused.stderr, refused.stderr
    body = tmp_path / "body.txt"
    body.write_text("Grüß Gott, Ihr Paket ist unterwegs.\n", encoding="utf-8")
    out = subprocess.run(
        [*cli, "--case", str(case_id), "--body-file", str(body), "--send"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    (received,) = smtp_server.recorder.wait_for(1)
    sent = message_from_bytes(received.data, policy=policy.default)
    assert sent["In-Reply-To"] == "<kunde-1@kunde.example>"
    text = sent.get_body(("plain",))
    assert text is not None and "Grüß Gott" in text.get_content()
    assert len(_sent_ids(dovecot)) == 1


def test_one_recipient_refused_the_others_get_it(
    mailbox: Mailbox, dovecot: Any, smtp_server: SmtpServer
) -> None:
    _, message_id = _setup(mailbox, dovecot, smtp_server)
    smtp_server.recorder.unknown.add("bob@kunde.example")
    draft = _draft(mailbox, message_id, cc=("anna@kunde.example", "bob@kunde.example"))
    mailbox.outbox.queue(draft, undo_seconds=0)
    report = mailbox.outbox.flush()
    assert report.sent == 1 and any("bob@kunde.example" in p for p in report.problems)
    (received,) = smtp_server.recorder.wait_for(1)
    assert received.rcpt_tos == ("juergen@kunde.example", "anna@kunde.example")
    (item,) = mailbox.outbox.items()
    assert item.state == "filed" and "550 5.1.1 No such user here" in item.last_error


def test_connection_dropped_after_the_final_dot_counts_as_sent(
    mailbox: Mailbox, dovecot: Any, smtp_server: SmtpServer
) -> None:
    _, message_id = _setup(mailbox, dovecot, smtp_server)
    smtp_server.recorder.hang_up = True
    item = mailbox.outbox.queue(_draft(mailbox, message_id), undo_seconds=0)
    report = mailbox.outbox.flush()
    assert report.sent == 1 and report.filed == 1, report
    (after,) = mailbox.outbox.items()
    assert after.state == "filed" and "may have been sent" in after.last_error
    smtp_server.recorder.hang_up = False
    assert mailbox.outbox.flush().sent == 0
    assert len(smtp_server.messages) == 1 and _sent_ids(dovecot) == [item.message_id]


def test_a_new_message_written_from_a_case_stays_in_it(
    mailbox: Mailbox, dovecot: Any, smtp_server: SmtpServer
) -> None:
    _, message_id = _setup(mailbox, dovecot, smtp_server)
    reply = _draft(mailbox, message_id)
    assert reply.case_id is not None
    fresh = ReplyDraft(
        kind="new",
        account_id=reply.account_id,
        case_id=reply.case_id,
        reply_to_id=None,
        from_addr=reply.from_addr,
        from_name=reply.from_name,
        to=("warehouse@partner.example",),
        subject="Please check a parcel",
        body="Could you look for it?",
    )
    item = mailbox.outbox.queue(fresh, undo_seconds=60)
    assert item.case_id == reply.case_id
    assert item.message_id in [m.dedup_key for m in mailbox.views.case_messages(reply.case_id)]
    mailbox.regroup_cases()  # and regrouping keeps it there
    assert item.message_id in [m.dedup_key for m in mailbox.views.case_messages(reply.case_id)]


def test_an_address_with_accents_fails_plainly_instead_of_sticking(
    mailbox: Mailbox, dovecot: Any, smtp_server: SmtpServer
) -> None:
    """smtplib cannot send a non-ASCII address: the reply fails with a sentence, not a crash."""
    _, message_id = _setup(mailbox, dovecot, smtp_server)
    mailbox.outbox.queue(_draft(mailbox, message_id, to=("jörg@bücher.example",)), undo_seconds=0)
    report = mailbox.outbox.flush()
    assert report.failed == 1 and report.sent == 0
    (failed,) = mailbox.outbox.items()
    assert failed.state == "failed" and "jörg@bücher.example" in failed.last_error
    assert "plain ASCII" in failed.last_error
    assert smtp_server.recorder.messages == [] and _sent_ids(dovecot) == []
