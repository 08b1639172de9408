"""The browser sign-in against a local identity provider: PKCE, state, cancel, refresh."""

from __future__ import annotations

import json
import socket
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import keyring.backend
import keyring.errors
import pytest

from desktop_app.core.accounts import oauth, oauth_flow, tokens
from desktop_app.core.accounts.credentials import SERVICE
from desktop_app.core.accounts.oauth import SignInCancelled, SignInExpired
from desktop_app.core.accounts.presets import preset
from desktop_app.core.errors import (
    AuthenticationFailed,
    ConfigError,
    ConnectionFailed,
    CredentialError,
)
from tests.core.accounts.test_credentials import LockedKeyring
from tests.helpers.fake_idp import FakeIdp, browse

USER = "shop@gmail.com"


@pytest.fixture
def idp(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeIdp]:
    server = FakeIdp(user=USER)
    for name, value in server.env("google").items():
        monkeypatch.setenv(name, value)
    yield server
    server.close()


def in_browser(url: str) -> threading.Thread:
    """The merchant's browser: loads the page (the provider approves) in the background."""
    thread = threading.Thread(target=browse, args=(url,), daemon=True)
    thread.start()
    return thread


def test_sign_in_with_pkce_and_state(idp: FakeIdp) -> None:
    flow = oauth_flow.LoopbackFlow(oauth.provider("google"), USER)
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(flow.authorization_url).query))
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert query["redirect_uri"] == f"http://127.0.0.1:{flow.port}/"
    assert query["scope"] == "https://mail.google.com/"
    assert (query["access_type"], query["login_hint"]) == ("offline", USER)
    assert len(query["state"]) >= 32
    in_browser(flow.authorization_url).join(10)
    signed = flow.wait(timeout=10)
    assert signed.access_token in idp.state.issued_access
    assert signed.refresh_token in idp.state.issued_refresh
    assert idp.state.grants == ["authorization_code"]
    assert signed.access_token not in repr(signed) and "refresh" not in repr(signed).lower()
    with pytest.raises(urllib.error.URLError):  # the loopback server is gone
        urllib.request.urlopen(f"http://127.0.0.1:{flow.port}/?code=x", timeout=2)


def test_microsoft_asks_for_imap_smtp_and_offline_access(
    idp: FakeIdp, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in idp.env("microsoft").items():
        monkeypatch.setenv(name, value)
    flow = oauth_flow.LoopbackFlow(oauth.provider("microsoft"), "shop@contoso.example")
    scope = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(flow.authorization_url).query))[
        "scope"
    ]
    assert scope.split() == [
        "https://outlook.office.com/IMAP.AccessAsUser.All",
        "https://outlook.office.com/SMTP.Send",
        "offline_access",
    ]
    flow.cancel()
    with pytest.raises(SignInCancelled, match=r"The Microsoft sign-in was cancelled\."):
        flow.wait(timeout=10)


def test_an_answer_with_another_state_is_ignored(idp: FakeIdp) -> None:
    """An old tab or another program hitting the port first does not end the sign-in."""
    flow = oauth_flow.LoopbackFlow(oauth.provider("google"), USER)
    for query in ("code=stolen&state=not-ours", "error=access_denied", "code=stolen"):
        with pytest.raises(urllib.error.HTTPError) as info:
            browse(f"http://127.0.0.1:{flow.port}/?{query}")
        assert info.value.code == 400
        assert b"You are signed in" not in info.value.read()
    in_browser(flow.authorization_url)
    signed = flow.wait(timeout=10)
    assert signed.access_token in idp.state.issued_access
    assert idp.state.grants == ["authorization_code"]  # only the real code was traded


def test_the_merchant_saying_no_is_a_plain_sentence(idp: FakeIdp) -> None:
    idp.state.deny = True
    flow = oauth_flow.LoopbackFlow(oauth.provider("google"), USER)
    in_browser(flow.authorization_url)
    with pytest.raises(SignInCancelled, match="You did not allow Shopdesk to use your Google"):
        flow.wait(timeout=10)


def test_a_wrong_verifier_gets_no_tokens(idp: FakeIdp) -> None:
    flow = oauth_flow.LoopbackFlow(oauth.provider("google"), USER)
    flow._verifier = "x" * 64  # not the one the challenge was made from
    in_browser(flow.authorization_url)
    with pytest.raises(AuthenticationFailed) as info:
        flow.wait(timeout=10)
    assert str(info.value) == "Google refused the sign-in (invalid_grant). Start the sign-in again."
    assert idp.state.issued_access == []


def test_sign_in_and_refresh_through_the_keyring(idp: FakeIdp) -> None:
    settings = preset("gmail").account(USER)
    signed = oauth_flow.sign_in(oauth.provider("google"), USER, in_browser)
    tokens.save_sign_in(settings, signed)
    assert keyring.get_password(SERVICE, settings.credential_key) == signed.refresh_token
    login = tokens.OAuthLogin(settings)
    assert login.token() == signed.access_token  # cached, far from expiry
    assert idp.state.grants == ["authorization_code"]
    fresh = login.token(force=True)
    assert fresh != signed.access_token and idp.valid(fresh) == USER
    assert idp.state.grants[-1] == "refresh_token"
    tokens.forget(settings.credential_key)
    idp.state.expires_in = 120  # within the 5-minute margin: refreshed at every use
    first = login.token()
    assert login.token() != first
    assert idp.state.grants.count("refresh_token") == 3


def test_rotated_refresh_tokens_are_kept(idp: FakeIdp) -> None:
    idp.state.rotate_refresh_tokens = True
    idp.state.refresh_token_chars = 2000  # longer than one Windows credential
    settings = preset("gmail").account(USER)
    tokens.save_sign_in(settings, oauth_flow.sign_in(oauth.provider("google"), USER, in_browser))
    tokens.OAuthLogin(settings).token(force=True)
    latest = idp.state.issued_refresh[-1]
    assert len(latest) == 2000
    from desktop_app.core.accounts import credentials

    assert credentials.get_secret(settings.credential_key) == latest


def test_a_revoked_sign_in_says_sign_in_again(idp: FakeIdp) -> None:
    settings = preset("gmail").account(USER)
    tokens.save_sign_in(settings, oauth_flow.sign_in(oauth.provider("google"), USER, in_browser))
    idp.revoke(USER)
    with pytest.raises(SignInExpired) as info:
        tokens.OAuthLogin(settings).token(force=True)
    assert str(info.value) == (
        f"Your Google sign-in for {USER} has expired or was revoked: sign in again."
    )
    assert info.value.__cause__ is None


def test_no_client_id_in_this_build_is_a_plain_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHOPDESK_GOOGLE_CLIENT_ID", raising=False)
    with pytest.raises(ConfigError, match="Sign-in with Google is not set up"):
        oauth_flow.LoopbackFlow(oauth.provider("google"), USER)


def test_plain_http_is_refused_away_from_this_computer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOPDESK_GOOGLE_CLIENT_ID", "id")
    monkeypatch.setenv("SHOPDESK_GOOGLE_TOKEN_URL", "http://idp.example/token")
    with pytest.raises(ConfigError, match="is not https"):
        oauth_flow.LoopbackFlow(oauth.provider("google"), USER)


def test_an_idle_connection_does_not_hold_up_the_sign_in(idp: FakeIdp) -> None:
    """A browser's spare connection that sends nothing (bpo-31639) comes first."""
    flow = oauth_flow.LoopbackFlow(oauth.provider("google"), USER)
    idle = socket.create_connection(("127.0.0.1", flow.port))
    try:
        result: list[object] = []
        waiter = threading.Thread(target=lambda: result.append(flow.wait(timeout=30)), daemon=True)
        waiter.start()
        in_browser(flow.authorization_url)
        waiter.join(60)  # a guard against a hang, not a timing assertion
        assert not waiter.is_alive() and len(result) == 1
        assert idp.state.grants == ["authorization_code"]
    finally:
        idle.close()


def test_cancel_ends_the_wait_despite_an_idle_connection(idp: FakeIdp) -> None:
    flow = oauth_flow.LoopbackFlow(oauth.provider("google"), USER)
    idle = socket.create_connection(("127.0.0.1", flow.port))
    try:
        errors: list[BaseException] = []

        def wait() -> None:
            try:
                flow.wait(timeout=30)
            except SignInCancelled as exc:
                errors.append(exc)

        waiter = threading.Thread(target=wait, daemon=True)
        waiter.start()
        flow.cancel()
        waiter.join(60)  # a guard against a hang, not a timing assertion
        assert not waiter.is_alive() and len(errors) == 1
    finally:
        idle.close()


@pytest.mark.parametrize(
    "reply",
    [
        (503, "text/html", "<html><body>Service Unavailable</body></html>"),
        (502, "application/json", '{"error": "server_error"}'),
        (200, "text/html", ""),
        (200, "text/html", "<html>captive portal sign-in</html>"),
    ],
)
def test_a_provider_outage_is_not_a_refusal(idp: FakeIdp, reply: tuple[int, str, str]) -> None:
    settings = preset("gmail").account(USER)
    signed = oauth_flow.sign_in(oauth.provider("google"), USER, in_browser)
    tokens.save_sign_in(settings, signed)
    idp.state.token_reply = reply
    with pytest.raises(ConnectionFailed) as info:
        tokens.OAuthLogin(settings).token(force=True)
    assert not isinstance(info.value, AuthenticationFailed)
    assert "try again later" in str(info.value)
    assert keyring.get_password(SERVICE, settings.credential_key) == signed.refresh_token


AADSTS50076 = (
    "AADSTS50076: Due to a configuration change made by your administrator, or because you "
    "moved to a new location, you must use multi-factor authentication to access "
    "'00000002-0000-0ff1-ce00-000000000000'. Trace ID: 0b1d2c3e-0000-4a4a-9b9b-0123456789ab "
    "Correlation ID: 9f8e7d6c-1111-4b4b-8c8c-abcdef012345 Timestamp: 2026-11-26 14:00:00Z"
)


@pytest.mark.parametrize("error", ["interaction_required", "consent_required", "login_required"])
def test_microsoft_asking_to_sign_in_again_is_an_expired_sign_in(
    idp: FakeIdp, monkeypatch: pytest.MonkeyPatch, error: str
) -> None:
    for name, value in idp.env("microsoft").items():
        monkeypatch.setenv(name, value)
    settings = preset("outlook").account(USER)
    tokens.save_sign_in(settings, oauth_flow.sign_in(oauth.provider("microsoft"), USER, in_browser))
    body = json.dumps({"error": error, "error_description": AADSTS50076})
    idp.state.token_reply = (400, "application/json", body)
    with pytest.raises(SignInExpired) as info:
        tokens.OAuthLogin(settings).token(force=True)
    assert str(info.value) == (
        f"Your Microsoft sign-in for {USER} has expired or was revoked: sign in again. "
        "(AADSTS50076)"
    )


def test_only_a_short_plain_description_is_shown() -> None:
    assert oauth.provider_code(AADSTS50076) == "AADSTS50076"
    assert oauth.provider_code("Bad Request") == "Bad Request"
    assert oauth.provider_code("token 1//0gAbCdEfGhIjKlMnOpQrStUvWxYz0123 is bad") == ""
    assert oauth.provider_code("x " * 60) == ""


@pytest.mark.parametrize("lost", ["entry", "part"])
def test_a_missing_keyring_entry_asks_to_sign_in_again(idp: FakeIdp, lost: str) -> None:
    idp.state.refresh_token_chars = 2000  # split over parts
    settings = preset("gmail").account(USER)
    tokens.save_sign_in(settings, oauth_flow.sign_in(oauth.provider("google"), USER, in_browser))
    key = settings.credential_key
    keyring.delete_password(SERVICE, key if lost == "entry" else f"{key}#2")
    with pytest.raises(SignInExpired) as info:
        tokens.OAuthLogin(settings).token(force=True)
    assert str(info.value) == (
        f"Your Google sign-in for {USER} has expired or was revoked: sign in again."
    )
    assert "shopdesk account" not in str(info.value)


def test_a_locked_keyring_is_not_an_expired_sign_in(idp: FakeIdp) -> None:
    settings = preset("gmail").account(USER)
    tokens.save_sign_in(settings, oauth_flow.sign_in(oauth.provider("google"), USER, in_browser))
    previous = keyring.get_keyring()
    keyring.set_keyring(LockedKeyring())
    try:
        with pytest.raises(CredentialError, match="keyring is locked") as info:
            tokens.OAuthLogin(settings).token(force=True)
    finally:
        keyring.set_keyring(previous)
    assert not isinstance(info.value, SignInExpired)


def test_google_without_its_client_secret_stops_before_the_browser(
    idp: FakeIdp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SHOPDESK_GOOGLE_CLIENT_SECRET")
    with pytest.raises(ConfigError, match="its client secret is missing"):
        oauth_flow.LoopbackFlow(oauth.provider("google"), USER)
    for name, value in idp.env("microsoft").items():  # Microsoft's public clients have none
        monkeypatch.setenv(name, value)
    oauth_flow.LoopbackFlow(oauth.provider("microsoft"), USER).close()


@pytest.fixture
def bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A frozen build's bundle folder (PyInstaller's sys._MEIPASS), its resources/ empty."""
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    for key in ("GOOGLE", "MICROSOFT"):
        for name in ("CLIENT_ID", "CLIENT_SECRET"):
            monkeypatch.delenv(f"SHOPDESK_{key}_{name}", raising=False)
    (tmp_path / "resources").mkdir()
    return tmp_path / "resources" / "oauth_clients.json"


def test_an_installer_reads_the_client_ids_it_bundled(
    bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert oauth.provider("google").client_id == oauth.PLACEHOLDER  # no file: not set up
    bundle.write_text(
        json.dumps(
            {
                "google": {
                    "client_id": "123-abc.apps.googleusercontent.com",
                    "client_secret": "GOCSPX-x",
                },
                "microsoft": {"client_id": "00000000-1111-2222-3333-444444444444"},
            }
        ),
        encoding="utf-8",
    )
    google = oauth.provider("google")
    assert (google.client_id, google.client_secret) == (
        "123-abc.apps.googleusercontent.com",
        "GOCSPX-x",
    )
    google.check()
    microsoft = oauth.provider("microsoft")
    assert microsoft.client_id == "00000000-1111-2222-3333-444444444444"
    assert microsoft.client_secret == "" and "GOCSPX" not in repr(google)
    monkeypatch.setenv("SHOPDESK_GOOGLE_CLIENT_ID", "from-the-environment")
    assert oauth.provider("google").client_id == "from-the-environment"  # the environment wins
    assert oauth.provider("google").client_secret == "GOCSPX-x"


def test_a_broken_bundled_file_counts_as_none(bundle: Path) -> None:
    bundle.write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match="Sign-in with Microsoft is not set up"):
        oauth.provider("microsoft").check()
    bundle.write_text('{"microsoft": {"client_id": 42}}', encoding="utf-8")
    assert oauth.provider("microsoft").client_id == oauth.PLACEHOLDER


class WriteLockedKeyring(keyring.backend.KeyringBackend):
    """Reads through `inner`, refuses to write (the keyring locked again since the last read)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self, inner: keyring.backend.KeyringBackend) -> None:
        super().__init__()
        self.inner = inner

    def get_password(self, service: str, username: str) -> str | None:
        return self.inner.get_password(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")


def test_a_locked_keyring_at_rotation_keeps_the_fresh_access_token(
    idp: FakeIdp, keyring_backend: Any
) -> None:
    idp.state.rotate_refresh_tokens = True
    settings = preset("gmail").account(USER)
    signed = oauth_flow.sign_in(oauth.provider("google"), USER, in_browser)
    tokens.save_sign_in(settings, signed)
    keyring.set_keyring(WriteLockedKeyring(keyring_backend))
    login = tokens.OAuthLogin(settings)
    fresh = login.token(force=True)
    assert idp.valid(fresh) == USER
    assert login.token() == fresh  # cached: no second refresh
    assert idp.state.grants.count("refresh_token") == 1
    assert keyring_backend.get_password(SERVICE, settings.credential_key) == signed.refresh_token
