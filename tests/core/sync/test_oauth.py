"""OAuth mailboxes against real servers: Dovecot's oauth2 passdb and aiosmtpd's XOAUTH2, both
asking the local identity provider. Sign in, sync, send, expiry and refresh, revocation."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import keyring
import pytest
from sqlalchemy import select

from desktop_app.core.accounts import presets, signin, tokens
from desktop_app.core.accounts.credentials import SERVICE
from desktop_app.core.accounts.oauth import SignInExpired
from desktop_app.core.accounts.settings import AccountSettings, ServerSettings
from desktop_app.core.errors import AuthenticationFailed, ConnectionFailed
from desktop_app.core.mailbox import Mailbox
from desktop_app.core.store.models import Account
from desktop_app.core.sync import smtp
from tests.core.accounts.conftest import empty_token_cache  # noqa: F401 - autouse
from tests.core.sync.conftest import account_settings, make_message
from tests.helpers.dovecot import DovecotServer
from tests.helpers.dovecot_oauth import (  # noqa: F401 - fixtures
    idp_fixture,
    oauth_dovecot_factory_fixture,
    sign_in,
)
from tests.helpers.fake_idp import FakeIdp
from tests.helpers.smtp import OAuthRecorder, SmtpServer

pytestmark = [
    pytest.mark.servers,
    pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS"),
]

ROOT = Path(__file__).resolve().parents[3]
RAW = (
    b"From: shop@shop.test\r\nTo: customer@example.com\r\nSubject: Your order\r\n"
    b"Message-ID: <reply-1@shop.test>\r\n\r\nIt ships today.\r\n"
)


def gmail_at(server: DovecotServer, smtp_port: int | None = None, name: str = "Gmail") -> Any:
    """The Gmail preset for the server's user, its hosts pointed at the local servers."""
    settings = presets.preset("gmail").account(server.user, name=name)
    local = ServerSettings(server.host, server.port, "none")
    return presets.with_servers(settings, local, replace(local, port=smtp_port or 1))


@pytest.fixture
def oauth_dovecot(oauth_dovecot_factory: Callable[..., DovecotServer]) -> DovecotServer:
    return oauth_dovecot_factory()


@pytest.fixture
def oauth_smtp(tmp_path: Path, idp: FakeIdp) -> Iterator[SmtpServer]:
    server = SmtpServer(
        tmp_path / "smtp", user=idp.state.user, token_check=lambda u, t: idp.valid(t) == u
    )
    yield server
    server.close()


@pytest.fixture
def mailbox(tmp_path: Path) -> Iterator[Mailbox]:
    box = Mailbox.open(tmp_path / "data" / "shopdesk.sqlite3")
    yield box
    box.close()


def add_gmail(box: Mailbox, server: DovecotServer, smtp_port: int | None = None) -> Any:
    settings = gmail_at(server, smtp_port)
    signin.add_signed_in(box.store, settings, sign_in("google", server.user))
    return box.account(settings.name)


def test_sign_in_then_sync_over_oauthbearer(
    mailbox: Mailbox, oauth_dovecot: DovecotServer, idp: FakeIdp
) -> None:
    oauth_dovecot.append_many("INBOX", [make_message(i) for i in range(3)])
    settings = add_gmail(mailbox, oauth_dovecot)
    assert (settings.auth_method, settings.oauth_provider) == ("oauth2", "google")
    with mailbox.store.session() as s:
        row = s.scalar(select(Account).where(Account.name == "Gmail"))
        assert row is not None and (row.auth_method, row.oauth_provider) == ("oauth2", "google")
    assert keyring.get_password(SERVICE, settings.credential_key) == idp.state.issued_refresh[0]

    report = mailbox.sync_account(settings)
    assert report.new_messages == 3
    assert "method=OAUTHBEARER" in oauth_dovecot.log()
    assert idp.state.grants == ["authorization_code"]  # the access token was still fresh
    assert idp.state.tokeninfo_refused == 0


def test_xoauth2_where_only_that_is_offered(
    mailbox: Mailbox, oauth_dovecot_factory: Callable[..., DovecotServer], idp: FakeIdp
) -> None:
    server = oauth_dovecot_factory(mechanisms="xoauth2")
    server.append("INBOX", make_message(1))
    settings = add_gmail(mailbox, server)
    assert mailbox.sync_account(settings).new_messages == 1
    assert "method=XOAUTH2" in server.log() and "method=OAUTHBEARER" not in server.log()


def test_a_token_near_its_end_is_refreshed_before_use(
    mailbox: Mailbox, oauth_dovecot: DovecotServer, idp: FakeIdp
) -> None:
    idp.state.expires_in = 120  # within the five-minute margin from the start
    settings = add_gmail(mailbox, oauth_dovecot)
    grants = len(idp.state.grants)
    oauth_dovecot.append("INBOX", make_message(1))
    assert mailbox.sync_account(settings).new_messages == 1
    assert idp.state.grants[grants:] == ["refresh_token"]
    assert idp.state.tokeninfo_refused == 0  # never presented a stale token


def test_a_token_the_server_refuses_is_refreshed_once_and_sync_goes_on(
    mailbox: Mailbox, oauth_dovecot: DovecotServer, idp: FakeIdp
) -> None:
    settings = add_gmail(mailbox, oauth_dovecot)
    idp.expire_access_tokens()  # the provider ended it early; Shopdesk still thinks it good
    oauth_dovecot.append("INBOX", make_message(2))
    assert mailbox.sync_account(settings).new_messages == 1
    assert idp.state.grants == ["authorization_code", "refresh_token"]
    assert idp.state.tokeninfo_refused == 1


def test_a_revoked_sign_in_asks_to_sign_in_again_and_other_mailboxes_sync(
    tmp_path: Path,
    mailbox: Mailbox,
    oauth_dovecot: DovecotServer,
    dovecot: DovecotServer,
    idp: FakeIdp,
) -> None:
    gmail = add_gmail(mailbox, oauth_dovecot)
    mailbox.add_account(account_settings(dovecot, name="Shop"), dovecot.password)
    dovecot.append("INBOX", make_message(7))
    idp.revoke()
    with pytest.raises(SignInExpired) as info:
        mailbox.sync_account(gmail)
    expected = f"Your Google sign-in for {gmail.email} has expired or was revoked: sign in again."
    assert str(info.value) == expected
    assert info.value.__cause__ is None and info.value.__suppress_context__

    result = subprocess.run(
        [sys.executable, "-m", "desktop_app", "--data-dir", str(tmp_path / "data"), "sync"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 1
    assert f"shopdesk: Gmail: {expected}" in result.stderr
    assert "Synced Shop: 1 new" in result.stderr
    assert "Traceback" not in result.stderr
    for secret in idp.secrets_issued():
        assert secret not in result.stderr + result.stdout


def test_send_over_smtp_with_xoauth2_refresh_and_revocation(
    oauth_smtp: SmtpServer, idp: FakeIdp
) -> None:
    settings: AccountSettings = presets.preset("outlook").account(idp.state.user, name="Outlook")
    smtp_at = ServerSettings("127.0.0.1", oauth_smtp.port, "none")
    settings = presets.with_servers(settings, None, smtp_at)
    tokens.save_sign_in(settings, sign_in("microsoft", idp.state.user))
    secret = smtp.smtp_password(settings)
    assert isinstance(secret, tokens.OAuthLogin)

    def send() -> list[str]:
        return smtp.send_raw(
            smtp_at, settings.username, secret, "shop@shop.test", ["customer@example.com"], RAW
        )

    assert send() == []
    assert len(oauth_smtp.recorder.wait_for(1)) == 1
    recorder = oauth_smtp.recorder
    assert isinstance(recorder, OAuthRecorder) and recorder.oauth_logins == [idp.state.user]

    idp.expire_access_tokens()
    assert send() == []
    assert len(oauth_smtp.recorder.wait_for(2)) == 2
    assert idp.state.grants.count("refresh_token") == 1

    idp.revoke()
    with pytest.raises(SignInExpired, match=r"Your Microsoft sign-in for .* sign in again"):
        send()
    assert len(oauth_smtp.messages) == 2


def test_smtp_busy_is_not_an_expired_sign_in(oauth_smtp: SmtpServer, idp: FakeIdp) -> None:
    settings: AccountSettings = presets.preset("outlook").account(idp.state.user, name="Outlook")
    smtp_at = ServerSettings("127.0.0.1", oauth_smtp.port, "none")
    settings = presets.with_servers(settings, None, smtp_at)
    tokens.save_sign_in(settings, sign_in("microsoft", idp.state.user))
    recorder = oauth_smtp.recorder
    assert isinstance(recorder, OAuthRecorder)
    recorder.busy_reply = "454 4.7.0 Too many login attempts, please try again later"
    secret = smtp.smtp_password(settings)
    with pytest.raises(ConnectionFailed, match="cannot take the sign-in just now") as info:
        smtp.send_raw(smtp_at, settings.username, secret, "a@shop.test", ["c@example.com"], RAW)
    assert not isinstance(info.value, AuthenticationFailed)
    assert idp.state.grants == ["authorization_code"]  # no pointless refresh
    assert settings.credential_key in tokens._cache  # the cached token was kept
    recorder.busy_reply = None
    smtp.send_raw(smtp_at, settings.username, secret, "a@shop.test", ["c@example.com"], RAW)
    assert idp.state.grants == ["authorization_code"] and len(recorder.wait_for(1)) == 1


def test_imap_unavailable_is_not_an_expired_sign_in(
    mailbox: Mailbox, oauth_dovecot: DovecotServer, idp: FakeIdp
) -> None:
    settings = add_gmail(mailbox, oauth_dovecot)
    idp.state.tokeninfo_down = True  # Dovecot: NO [UNAVAILABLE] Temporary authentication failure
    with pytest.raises(ConnectionFailed, match="cannot take the sign-in just now") as info:
        mailbox.sync_account(settings)
    assert not isinstance(info.value, AuthenticationFailed)
    assert idp.state.grants == ["authorization_code"]  # no pointless refresh
    assert settings.credential_key in tokens._cache
    idp.state.tokeninfo_down = False
    oauth_dovecot.append("INBOX", make_message(1))
    assert mailbox.sync_account(settings).new_messages == 1


@pytest.mark.parametrize(("bearer", "answer"), [(True, b"\x01"), (False, b"")])
def test_smtp_answers_the_error_challenge_as_rfc_7628_asks(
    tmp_path: Path, idp: FakeIdp, bearer: bool, answer: bytes
) -> None:
    server = SmtpServer(
        tmp_path / "smtp",
        user=idp.state.user,
        token_check=lambda u, t: idp.valid(t) == u,
        oauthbearer=bearer,
    )
    try:
        recorder = server.recorder
        assert isinstance(recorder, OAuthRecorder)
        recorder.error_challenge = True
        settings: AccountSettings = presets.preset("outlook").account(idp.state.user)
        smtp_at = ServerSettings("127.0.0.1", server.port, "none")
        settings = presets.with_servers(settings, None, smtp_at)
        tokens.save_sign_in(settings, sign_in("microsoft", idp.state.user))
        secret = smtp.smtp_password(settings)

        def send() -> list[str]:
            return smtp.send_raw(
                smtp_at, settings.username, secret, "a@shop.test", ["c@example.com"], RAW
            )

        idp.expire_access_tokens()
        assert send() == []  # refused once (334, the answer, 535), refreshed, sent
        assert recorder.error_answers == [answer]
        assert idp.state.grants.count("refresh_token") == 1

        recorder.refusal_reply = "501 5.5.2 Cannot decode response"  # some servers' 5xx
        idp.revoke()
        with pytest.raises(SignInExpired):
            send()
        assert recorder.error_answers == [answer] * 2  # then the refresh was refused
    finally:
        server.close()
