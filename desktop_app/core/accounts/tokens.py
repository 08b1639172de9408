"""Access tokens for OAuth accounts: refresh token in the keyring, access token in memory.

`login_secret(settings)` is what a server login needs: the password for a password account,
an `OAuthLogin` for an OAuth one. `OAuthLogin.token()` refreshes when the cached access token
ends within REFRESH_MARGIN_S; `token(force=True)` refreshes after a server refused the token.
"""

from __future__ import annotations

import base64
import logging
import threading
import time
from dataclasses import dataclass, field

from desktop_app.core.accounts import credentials, oauth
from desktop_app.core.accounts.oauth import SignInExpired, TokenSet
from desktop_app.core.accounts.settings import AccountSettings
from desktop_app.core.errors import CredentialError

log = logging.getLogger(__name__)
REFRESH_MARGIN_S = 300.0


@dataclass(slots=True)
class _Cached:
    access_token: str = field(repr=False)
    expires_at: float


_cache: dict[str, _Cached] = {}
_locks: dict[str, threading.Lock] = {}
_guard = threading.Lock()


def _lock(key: str) -> threading.Lock:
    with _guard:
        return _locks.setdefault(key, threading.Lock())


def forget(key: str) -> None:
    """Drop a cached access token (account removed or signed in again)."""
    with _guard:
        _cache.pop(key, None)


def save_sign_in(settings: AccountSettings, tokens: TokenSet) -> None:
    """Keep a fresh sign-in: the refresh token in the keyring, the access token in memory."""
    if not tokens.refresh_token:
        raise SignInExpired(
            f"{oauth.provider(settings.oauth_provider or '').name} gave no lasting sign-in "
            "(no refresh token): sign in again and allow offline access."
        )
    credentials.set_secret(settings.credential_key, tokens.refresh_token)
    with _guard:
        _cache[settings.credential_key] = _Cached(tokens.access_token, tokens.expires_at)


def expired_message(settings: AccountSettings) -> str:
    name = oauth.provider(settings.oauth_provider or "").name
    return f"Your {name} sign-in for {settings.email} has expired or was revoked: sign in again."


class OAuthLogin:
    """The sign-in of one OAuth account, handed to the IMAP and SMTP logins."""

    def __init__(self, settings: AccountSettings, fresh: TokenSet | None = None) -> None:
        """`fresh`: a sign-in not saved yet (testing the connection before adding the
        account); its refresh token is then used from memory, not the keyring."""
        self.settings = settings
        self.key = settings.credential_key
        self.username = settings.username
        self._fresh = fresh
        if fresh is not None:
            with _guard:
                _cache[self.key] = _Cached(fresh.access_token, fresh.expires_at)

    def __repr__(self) -> str:
        return f"OAuthLogin({self.key!r})"

    def token(self, force: bool = False) -> str:
        """A valid access token; raises SignInExpired (a plain sentence) when refused."""
        with _lock(self.key):
            cached = _cache.get(self.key)
            if (
                not force
                and cached is not None
                and cached.expires_at - time.time() > REFRESH_MARGIN_S
            ):
                return cached.access_token
            return self._refresh()

    def _refresh(self) -> str:
        prov = oauth.provider(self.settings.oauth_provider or "")
        if self._fresh is not None and self._fresh.refresh_token:
            refresh_token = self._fresh.refresh_token
        else:
            try:
                refresh_token = credentials.get_secret(self.key)
            except credentials.MissingSecret:  # deleted, or a part lost: not a locked keyring
                forget(self.key)
                raise SignInExpired(expired_message(self.settings)) from None
        try:
            fresh = oauth.refresh(prov, refresh_token)
        except SignInExpired as exc:
            forget(self.key)
            message = expired_message(self.settings)
            if exc.code:
                message = f"{message} ({exc.code})"
            raise SignInExpired(message, exc.code) from None
        with _guard:  # first: a keyring refusing the new refresh token must not lose it
            _cache[self.key] = _Cached(fresh.access_token, fresh.expires_at)
        if fresh.refresh_token and fresh.refresh_token != refresh_token:
            if self._fresh is not None:
                self._fresh = fresh
            else:
                try:
                    credentials.set_secret(self.key, fresh.refresh_token)  # Microsoft rotates
                except CredentialError as exc:  # locked: the saved one is still good a while
                    log.warning("The new sign-in of %s was not saved: %s", self.key, exc)
        return fresh.access_token

    def expired(self) -> SignInExpired:
        """The error for a token the server refused even after a refresh."""
        forget(self.key)
        return SignInExpired(expired_message(self.settings))


def xoauth2_payload(username: str, access_token: str) -> str:
    """The SASL XOAUTH2 initial response (before base64)."""
    return f"user={username}\x01auth=Bearer {access_token}\x01\x01"


def oauthbearer_payload(username: str, access_token: str) -> str:
    """The SASL OAUTHBEARER initial response (RFC 7628, before base64)."""
    return f"n,a={username},\x01auth=Bearer {access_token}\x01\x01"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode("ascii")


Secret = str | OAuthLogin


def login_secret(settings: AccountSettings) -> Secret:
    """What the servers need to sign in: the keyring password, or an OAuthLogin."""
    if settings.uses_oauth:
        return OAuthLogin(settings)
    return credentials.get_secret(settings.credential_key)
