"""A whole session, then a search for secrets: passwords and OAuth tokens must be in the keyring
only, never in the data folder (store, -wal, settings, drafts, outbox) or the logs."""

from __future__ import annotations

import base64
import dataclasses
import logging
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from sqlalchemy import select

from desktop_app.core.accounts import credentials, presets, signin
from desktop_app.core.accounts.credentials import SERVICE
from desktop_app.core.accounts.settings import AccountSettings, ServerSettings
from desktop_app.core.accounts.tokens import oauthbearer_payload, xoauth2_payload
from desktop_app.core.mailbox import Mailbox
from desktop_app.core.replies.compose import start_reply
from desktop_app.core.store.models import Message
from tests.helpers.dovecot import DovecotServer
from tests.helpers.dovecot_oauth import (  # noqa: F401 - fixtures
    idp_fixture,
    oauth_dovecot_factory_fixture,
    sign_in,
)
from tests.helpers.fake_idp import FakeIdp
from tests.helpers.smtp import SmtpServer

pytestmark = [
    pytest.mark.servers,
    pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS"),
]

ROOT = Path(__file__).resolve().parents[1]
IMAP_PASSWORD = "Imap-Pw-9f3kQz-secret"
SMTP_PASSWORD = "Smtp-Pw-71xVb-secret"
SERVER_LOGGERS = ("mail.log",)  # aiosmtpd's own log: the test server, not Shopdesk


def customer_mail(i: int, to: str) -> bytes:
    return (
        f"From: Customer {i} <c{i}@example.com>\r\nTo: {to}\r\nSubject: Order #{1000 + i}\r\n"
        f"Message-ID: <scan-{i}@example.com>\r\nDate: Tue, 24 Nov 2026 10:00:00 +0200\r\n"
        "\r\nWhere is my order?\r\n"
    ).encode()


def forms(secret: str) -> list[bytes]:
    """The secret raw, URL-safe or not, and as part of any base64 text at any alignment."""
    raw = secret.encode()
    found = [raw]
    for pad in range(3):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            encoded = encode(b"\0" * pad + raw)
            found.append(encoded[4 if pad else 0 : -4])
    return found


def sasl_blobs(user: str, token: str) -> list[bytes]:
    return [
        base64.b64encode(build(user, token).encode())
        for build in (xoauth2_payload, oauthbearer_payload)
    ]


@pytest.fixture
def smtp_servers(tmp_path: Path, idp: FakeIdp) -> Iterator[tuple[SmtpServer, SmtpServer]]:
    """One SMTP server with a password, one taking XOAUTH2 from the identity provider."""
    with_password = SmtpServer(
        tmp_path / "smtp1", user="merchant@shop.test", password=SMTP_PASSWORD
    )
    with_token = SmtpServer(
        tmp_path / "smtp2", user=idp.state.user, token_check=lambda u, t: idp.valid(t) == u
    )
    yield with_password, with_token
    with_password.close()
    with_token.close()


def sync_all(box: Mailbox) -> None:
    for account in box.mail_accounts():
        box.sync_account(account)


def reply_to(box: Mailbox, message_id_header: str) -> None:
    with box.store.session() as s:
        message_id = s.scalar(select(Message.id).where(Message.dedup_key == message_id_header))
        assert message_id is not None
        draft = start_reply(s, message_id, "reply")
    box.outbox.queue(dataclasses.replace(draft, body="It ships today."), undo_seconds=0)


def test_a_whole_session_leaves_no_secret_behind(
    tmp_path: Path,
    shopdesk_data_dir: Path,
    dovecot_factory: Callable[..., DovecotServer],
    oauth_dovecot_factory: Callable[..., DovecotServer],
    idp: FakeIdp,
    smtp_servers: tuple[SmtpServer, SmtpServer],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    smtp_password, smtp_token = smtp_servers
    plain = dovecot_factory(password=IMAP_PASSWORD)
    token_server = oauth_dovecot_factory()
    plain.append("INBOX", customer_mail(1, plain.user))
    token_server.append("INBOX", customer_mail(2, token_server.user))
    data = tmp_path / "data"
    box = Mailbox.open(data / "shopdesk.sqlite3")
    try:
        # A mailbox with a password (IMAP and its own SMTP password).
        local = ServerSettings(plain.host, plain.port, "none")
        shop = AccountSettings(
            name="Shop", email="merchant@shop.test", username=plain.user, imap=local,
            smtp=ServerSettings("127.0.0.1", smtp_password.port, "none"),
        )  # fmt: skip
        box.add_account(shop, IMAP_PASSWORD)
        credentials.set_secret(shop.smtp_credential_key, SMTP_PASSWORD)
        # A Gmail mailbox signed in through the browser.
        gmail = presets.with_servers(
            presets.preset("gmail").account(token_server.user, name="Gmail"),
            ServerSettings(token_server.host, token_server.port, "none"),
            ServerSettings("127.0.0.1", smtp_token.port, "none"),
        )
        signin.add_signed_in(box.store, gmail, sign_in("google", token_server.user))
        sync_all(box)
        reply_to(box, "<scan-1@example.com>")
        reply_to(box, "<scan-2@example.com>")
        report = box.outbox.flush()
        assert report.sent == 2, report
        idp.expire_access_tokens()  # a refresh mid-session: more tokens to look for
        sync_all(box)
        assert idp.state.grants.count("refresh_token") >= 1
        assert smtp_password.recorder.wait_for(1) and smtp_token.recorder.wait_for(1)
        assert len(smtp_password.messages) == len(smtp_token.messages) == 1
        # The CLI too, talking (-v) on stderr.
        cli = subprocess.run(
            [sys.executable, "-m", "desktop_app", "--data-dir", str(data), "-v", "sync"],
            capture_output=True,
            cwd=ROOT,
            timeout=120,
            env=dict(os.environ),
        )
        assert cli.returncode == 0, cli.stderr
        wal_files = [p for p in data.iterdir() if p.name.endswith("-wal")]
        snapshot = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}  # while open
    finally:
        box.close()

    # The secrets are where they belong.
    assert keyring.get_password(SERVICE, shop.credential_key) == IMAP_PASSWORD
    assert keyring.get_password(SERVICE, gmail.credential_key) in idp.state.issued_refresh
    # ... and nowhere else.
    secrets = [IMAP_PASSWORD, SMTP_PASSWORD, *idp.secrets_issued()]
    needles = [form for s in secrets for form in forms(s)]
    needles += [b for t in idp.state.issued_access for b in sasl_blobs(token_server.user, t)]
    assert len(idp.state.issued_access) >= 3 and wal_files
    files = {p: p.read_bytes() for p in [*data.rglob("*"), *shopdesk_data_dir.rglob("*")]
             if p.is_file()}  # fmt: skip
    logs = "\n".join(
        r.getMessage() + (logging.Formatter().formatException(r.exc_info) if r.exc_info else "")
        for r in caplog.records
        if not r.name.startswith(SERVER_LOGGERS)
    ).encode()
    assert caplog.records and cli.stderr
    places: dict[str, bytes] = {"logs": logs, "cli": cli.stdout + cli.stderr}
    places |= {f"{p} (open)": b for p, b in snapshot.items()}
    places |= {str(p): b for p, b in files.items()}
    for where, content in places.items():
        for needle in needles:
            assert needle not in content, f"a secret in {where}"
