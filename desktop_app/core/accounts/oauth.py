"""OAuth 2.0 providers (Google, Microsoft): endpoints, client ids, token requests via oauthlib."""

from __future__ import annotations

import json
import logging
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field, replace
from typing import Any

from oauthlib.oauth2 import OAuth2Error, WebApplicationClient  # type: ignore[import-untyped]

from desktop_app.core import paths
from desktop_app.core.accounts.settings import is_loopback
from desktop_app.core.errors import AuthenticationFailed, ConfigError, ConnectionFailed

log = logging.getLogger(__name__)
HTTP_TIMEOUT_S = 20.0
PLACEHOLDER = "SET-ME"  # a build without its own registered client id


class SignInExpired(AuthenticationFailed):
    """The provider refused the saved sign-in (expired, revoked, password changed);
    `code`: Microsoft's AADSTS code when it gave one (for an administrator), or ""."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code


class SignInCancelled(AuthenticationFailed):
    """The merchant cancelled the browser sign-in, or it timed out."""


@dataclass(frozen=True, slots=True)
class OAuthProvider:
    """One identity provider: where to authorise and get tokens, and this app's client id.

    Client ids belong to this app (registered by its publisher), bundled by the build
    (resources/oauth_clients.json) or set by the environment (SHOPDESK_GOOGLE_CLIENT_ID ...);
    endpoints too, so tests use a local provider.
    """

    key: str
    name: str
    authorize_url: str
    token_url: str
    scopes: tuple[str, ...]
    client_id: str
    client_secret: str = field(default="", repr=False)  # Google's "installed app" secret
    extra_params: tuple[tuple[str, str], ...] = ()

    def check(self) -> None:
        if not self.client_id or self.client_id == PLACEHOLDER:
            env = f"SHOPDESK_{self.key.upper()}_CLIENT_ID"
            raise ConfigError(
                f"Sign-in with {self.name} is not set up in this copy of Shopdesk: its client "
                f"id is missing (set {env}), or use an app password where {self.name} allows."
            )
        for url in (self.authorize_url, self.token_url):
            parsed = urllib.parse.urlsplit(url)
            if parsed.scheme != "https" and not (
                parsed.scheme == "http" and is_loopback(parsed.hostname or "")
            ):
                raise ConfigError(f"The {self.name} sign-in address {url} is not https.")
        if self.key == "google" and not self.client_secret:
            # Google's token endpoint wants the installed app's secret: say so before the
            # merchant goes through the browser for nothing.
            raise ConfigError(
                "Sign-in with Google is not set up in this copy of Shopdesk: its client "
                "secret is missing (set SHOPDESK_GOOGLE_CLIENT_SECRET), or use an app "
                "password where Google allows."
            )


_DEFAULTS = {
    "google": OAuthProvider(
        key="google",
        name="Google",
        authorize_url="https://accounts.google.com/o/oauth2/v2/auth",
        token_url="https://oauth2.googleapis.com/token",
        scopes=("https://mail.google.com/",),
        client_id=PLACEHOLDER,
        # offline: a refresh token; consent: a new one even when Shopdesk was allowed before
        extra_params=(("access_type", "offline"), ("prompt", "consent")),
    ),
    "microsoft": OAuthProvider(
        key="microsoft",
        name="Microsoft",
        authorize_url="https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
        token_url="https://login.microsoftonline.com/common/oauth2/v2.0/token",
        scopes=(
            "https://outlook.office.com/IMAP.AccessAsUser.All",
            "https://outlook.office.com/SMTP.Send",
            "offline_access",
        ),
        client_id=PLACEHOLDER,
        extra_params=(("prompt", "select_account"),),
    ),
}


CLIENTS_FILE = "oauth_clients.json"  # written by packaging/build.py from the CI secrets


def bundled_clients(key: str) -> dict[str, str]:
    """The client id (and Google's secret) the build bundled for `key` in
    resources/oauth_clients.json: {"google": {"client_id": ..., "client_secret": ...},
    "microsoft": {"client_id": ...}}; {} when the file or the provider is absent."""
    path = paths.resources_dir() / CLIENTS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:  # never the content: it holds the client secret
        log.warning("%s could not be read (%s): ignored", path, type(exc).__name__)
        return {}
    entry = data.get(key) if isinstance(data, dict) else None
    if not isinstance(entry, dict):
        return {}
    return {
        name: value.strip()
        for name, value in entry.items()
        if name in ("client_id", "client_secret") and isinstance(value, str) and value.strip()
    }


def provider(key: str) -> OAuthProvider:
    """The provider `key`: the client id and secret bundled with the build (see
    `bundled_clients`), then SHOPDESK_<KEY>_{CLIENT_ID,CLIENT_SECRET,AUTHORIZE_URL,TOKEN_URL}
    from the environment over them."""
    try:
        base = _DEFAULTS[key]
    except KeyError:
        raise ConfigError(f"Sign-in with {key!r} is not supported.") from None
    bundled = bundled_clients(key)
    base = replace(
        base,
        client_id=bundled.get("client_id", base.client_id),
        client_secret=bundled.get("client_secret", base.client_secret),
    )
    env = f"SHOPDESK_{key.upper()}_"
    return replace(
        base,
        client_id=os.environ.get(env + "CLIENT_ID", base.client_id),
        client_secret=os.environ.get(env + "CLIENT_SECRET", base.client_secret),
        authorize_url=os.environ.get(env + "AUTHORIZE_URL", base.authorize_url),
        token_url=os.environ.get(env + "TOKEN_URL", base.token_url),
    )


@dataclass(frozen=True, slots=True)
class TokenSet:
    """Tokens from one grant; repr never shows them (tracebacks and logs stay clean)."""

    access_token: str = field(repr=False)
    expires_at: float  # time.time() seconds
    refresh_token: str | None = field(default=None, repr=False)
    scope: str = ""


def https_form(url: str) -> str:
    """`url` as oauthlib's transport check wants it: loopback http (RFC 8252 section 7.3; the
    local test provider) counts as https; the scheme is restored by `restore_scheme`."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "http" and is_loopback(parts.hostname or ""):
        return urllib.parse.urlunsplit(("https", *parts[1:]))
    return url


def restore_scheme(original: str, built: str) -> str:
    if original.startswith("http://") and built.startswith("https://"):
        return "http://" + built[len("https://") :]
    return built


def client_for(prov: OAuthProvider) -> Any:
    return WebApplicationClient(prov.client_id)


def _post(prov: OAuthProvider, body: str) -> tuple[int, str]:
    """POST a form to the token endpoint; the answer's status and text (errors included)."""
    request = urllib.request.Request(
        prov.token_url,
        data=body.encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        },
        method="POST",
    )
    host = urllib.parse.urlsplit(prov.token_url).hostname
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_S) as response:
            return int(response.status), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return int(exc.code), exc.read().decode("utf-8", "replace")
    except (OSError, urllib.error.URLError):
        raise ConnectionFailed(
            f"{prov.name} could not be reached at {host}: check your internet connection."
        ) from None


def _parse(prov: OAuthProvider, client: Any, status: int, text: str) -> TokenSet:
    """The token endpoint's answer as tokens; an outage (5xx, or a body that is not JSON,
    e.g. a proxy's HTML page) is ConnectionFailed, never a refusal."""
    if status >= 500:
        raise ConnectionFailed(
            f"{prov.name} is having trouble just now (HTTP {status}): try again later."
        )
    try:
        answer = json.loads(text)
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise ConnectionFailed(
            f"{prov.name} answered the sign-in with something else (HTTP {status}): "
            "try again later."
        )
    try:
        token = client.parse_request_body_response(text)
    except OAuth2Error as exc:
        raise _refused(prov, exc.error, str(answer.get("error_description") or "")) from None
    except ValueError:
        raise ConnectionFailed(f"{prov.name} answered the sign-in with something else.") from None
    expires_in = float(token.get("expires_in") or 3600)
    scope = token.get("scope") or ""  # oauthlib hands it over as a list
    return TokenSet(
        access_token=str(token["access_token"]),
        expires_at=time.time() + expires_in,
        refresh_token=token.get("refresh_token"),
        scope=" ".join(scope) if isinstance(scope, list) else str(scope),
    )


# The provider says: this sign-in is over, the merchant must sign in again in the browser.
# Microsoft answers interaction_required (MFA, a policy change), consent_required and
# login_required where Google answers invalid_grant.
_SIGN_IN_AGAIN = (
    "invalid_grant",
    "invalid_token",
    "unauthorized_client",
    "interaction_required",
    "consent_required",
    "login_required",
)


def provider_code(description: str) -> str:
    """What of the provider's error_description is worth showing: Microsoft's AADSTS code,
    or a short plain description; "" for anything long or token-like (never a secret)."""
    found = re.search(r"\bAADSTS\d+\b", description)
    if found:
        return found.group(0)
    text = " ".join(description.split())
    if len(text) > 80 or re.search(r"[A-Za-z0-9_\-.~+/=]{25,}", text):
        return ""
    return text


def _refused(prov: OAuthProvider, error: str | None, description: str = "") -> AuthenticationFailed:
    code = provider_code(description)
    reason = f"{error or 'no reason'}, {code}" if code else (error or "no reason")
    if error in _SIGN_IN_AGAIN:
        # the expired-sign-in sentence keeps Microsoft's code (for the merchant's admin)
        aadsts = code if code.startswith("AADSTS") else ""
        return SignInExpired(f"{prov.name} refused the sign-in ({reason}).", aadsts)
    return AuthenticationFailed(f"{prov.name} refused the sign-in ({reason}).")


def exchange_code(
    prov: OAuthProvider, code: str, redirect_uri: str, code_verifier: str
) -> TokenSet:
    """The authorization-code grant with the PKCE verifier (a public client: no secret kept)."""
    client = client_for(prov)
    body = client.prepare_request_body(
        code=code,
        redirect_uri=redirect_uri,
        code_verifier=code_verifier,
        include_client_id=True,
        **({"client_secret": prov.client_secret} if prov.client_secret else {}),
    )
    status, text = _post(prov, body)
    try:
        return _parse(prov, client, status, text)
    except SignInExpired as exc:  # nothing was saved yet: this sign-in simply failed
        raise AuthenticationFailed(f"{exc} Start the sign-in again.") from None


def refresh(prov: OAuthProvider, refresh_token: str) -> TokenSet:
    """The refresh-token grant; SignInExpired when the provider refuses the token."""
    client = client_for(prov)
    body = client.prepare_refresh_body(
        refresh_token=refresh_token,
        scope=list(prov.scopes),  # Microsoft wants them again; Google takes the same list
        client_id=prov.client_id,
        **({"client_secret": prov.client_secret} if prov.client_secret else {}),
    )
    status, text = _post(prov, body)
    return _parse(prov, client, status, text)
