"""A local OAuth 2.0 identity provider for tests: authorize, token, tokeninfo on 127.0.0.1.

Shaped like Google's and Microsoft's endpoints where Shopdesk relies on them: /authorize
auto-approves and redirects to the loopback redirect_uri with code and state; /token takes the
authorization_code grant (PKCE S256 checked) and the refresh_token grant, answering errors as
RFC 6749 JSON (`invalid_grant`); /tokeninfo?access_token= answers Google-style JSON with
`email`, or 400 `invalid_token` (Dovecot's oauth2 passdb and the SMTP server ask it).
`expire_access_tokens()` and `revoke(user)` act as the provider would, without waiting.

Run as a script (`python fake_idp.py URL`) it is a "browser": it GETs URL and follows redirects.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import json
import secrets
import sys
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

HOST = "127.0.0.1"
GOOGLE_CLIENT_SECRET = "GOCSPX-shopdesk-test"


@dataclass
class Grant:
    user: str
    client_id: str
    scope: str
    refresh_token: str


@dataclass
class IdpState:
    """Everything the provider issued, for the tests to look at."""

    client_id: str = "shopdesk-test-client"
    user: str = "merchant@shop.test"
    expires_in: int = 3600
    refresh_token_chars: int = 64  # Microsoft's run to ~1.5 KB
    rotate_refresh_tokens: bool = False
    deny: bool = False  # /authorize answers error=access_denied
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    access: dict[str, tuple[str, float]] = field(default_factory=dict)  # token -> (user, exp)
    refresh: dict[str, Grant] = field(default_factory=dict)
    issued_access: list[str] = field(default_factory=list)
    issued_refresh: list[str] = field(default_factory=list)
    grants: list[str] = field(default_factory=list)  # grant_type of each /token call
    token_reply: tuple[int, str, str] | None = None  # /token answers (status, type, body)
    tokeninfo_down: bool = False  # /tokeninfo answers 503 (the provider is having trouble)
    tokeninfo_calls: int = 0
    tokeninfo_refused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(http.server.BaseHTTPRequestHandler):
    server: FakeIdp

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _json(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        parts = urllib.parse.urlsplit(self.path)
        query = {k: v[0] for k, v in urllib.parse.parse_qs(parts.query).items()}
        if parts.path == "/authorize":
            self._authorize(query)
        elif parts.path == "/tokeninfo":
            self._tokeninfo(query.get("access_token", ""))
        else:
            self.send_error(404)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = {k: v[0] for k, v in urllib.parse.parse_qs(self.rfile.read(length).decode()).items()}
        if urllib.parse.urlsplit(self.path).path != "/token":
            self.send_error(404)
            return
        reply = self.server.state.token_reply
        if reply is not None:  # an outage page, or an error the test chose
            status, content_type, text = reply
            data = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        status, body = self.server.token(form)
        self._json(status, body)

    def _authorize(self, query: dict[str, str]) -> None:
        state = self.server.state
        redirect = query.get("redirect_uri", "")
        if not redirect.startswith("http://127.0.0.1:") or query.get("client_id") != (
            state.client_id
        ):
            self._json(400, {"error": "invalid_request"})
            return
        if state.deny:
            params = {"error": "access_denied", "state": query.get("state", "")}
        else:
            if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
                self._json(400, {"error": "invalid_request", "error_description": "PKCE"})
                return
            code = secrets.token_urlsafe(16)
            with state.lock:
                state.codes[code] = {
                    "challenge": query["code_challenge"],
                    "redirect_uri": redirect,
                    "scope": query.get("scope", ""),
                    "user": query.get("login_hint") or state.user,
                }
            params = {"code": code, "state": query.get("state", "")}
        self.send_response(302)
        self.send_header("Location", redirect + "?" + urllib.parse.urlencode(params))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _tokeninfo(self, token: str) -> None:
        state = self.server.state
        with state.lock:
            state.tokeninfo_calls += 1
            entry = state.access.get(token)
            down = state.tokeninfo_down
        if down:
            self._json(503, {"error": "temporarily_unavailable"})
            return
        if entry is None or entry[1] <= time.time():
            with state.lock:
                state.tokeninfo_refused += 1
            self._json(400, {"error": "invalid_token"})
            return
        user, expires = entry
        self._json(
            200,
            {"email": user, "email_verified": "true", "expires_in": int(expires - time.time())},
        )


class FakeIdp(http.server.ThreadingHTTPServer):
    """The provider on a free loopback port; `close()` stops it."""

    daemon_threads = True

    def __init__(self, **options: Any) -> None:
        super().__init__((HOST, 0), _Handler)
        self.state = IdpState(**options)
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}"

    def env(self, key: str = "google") -> dict[str, str]:
        """Environment variables pointing Shopdesk's `key` provider here."""
        prefix = f"SHOPDESK_{key.upper()}_"
        env = {
            prefix + "CLIENT_ID": self.state.client_id,
            prefix + "AUTHORIZE_URL": f"{self.url}/authorize",
            prefix + "TOKEN_URL": f"{self.url}/token",
        }
        if key == "google":  # Google's installed apps have a (not secret) client secret
            env[prefix + "CLIENT_SECRET"] = GOOGLE_CLIENT_SECRET
        return env

    def close(self) -> None:
        self.shutdown()
        self.server_close()

    # ---------------------------------------------------------------- what the provider does

    def _issue(self, user: str) -> tuple[str, int]:
        token = "ya29." + secrets.token_urlsafe(48)
        self.state.access[token] = (user, time.time() + self.state.expires_in)
        self.state.issued_access.append(token)
        return token, self.state.expires_in

    def _new_refresh(self, grant: Grant) -> str:
        chars = self.state.refresh_token_chars
        token = "1//" + secrets.token_urlsafe(chars)[: max(chars - 3, 8)]
        grant.refresh_token = token
        self.state.refresh[token] = grant
        self.state.issued_refresh.append(token)
        return token

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        state = self.state
        with state.lock:
            grant_type = form.get("grant_type", "")
            state.grants.append(grant_type)
            if form.get("client_id") != state.client_id:
                return 401, {"error": "invalid_client"}
            if grant_type == "authorization_code":
                entry = state.codes.pop(form.get("code", ""), None)
                verifier = form.get("code_verifier", "")
                challenge = (
                    base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
                    .rstrip(b"=")
                    .decode()
                )
                if (
                    entry is None
                    or entry["redirect_uri"] != form.get("redirect_uri")
                    or entry["challenge"] != challenge
                ):
                    return 400, {"error": "invalid_grant"}
                grant = Grant(entry["user"], state.client_id, entry["scope"], "")
                refresh = self._new_refresh(grant)
                access, expires_in = self._issue(grant.user)
                return 200, {
                    "access_token": access,
                    "expires_in": expires_in,
                    "refresh_token": refresh,
                    "scope": grant.scope,
                    "token_type": "Bearer",
                }
            if grant_type == "refresh_token":
                grant = state.refresh.get(form.get("refresh_token", ""))
                if grant is None:
                    return 400, {"error": "invalid_grant", "error_description": "Bad Request"}
                access, expires_in = self._issue(grant.user)
                body: dict[str, Any] = {
                    "access_token": access,
                    "expires_in": expires_in,
                    "scope": grant.scope,
                    "token_type": "Bearer",
                }
                if state.rotate_refresh_tokens:
                    del state.refresh[grant.refresh_token]
                    body["refresh_token"] = self._new_refresh(grant)
                return 200, body
            return 400, {"error": "unsupported_grant_type"}

    def expire_access_tokens(self) -> None:
        """Every access token issued so far stops working (the client still thinks it valid)."""
        with self.state.lock:
            for token, (user, _exp) in list(self.state.access.items()):
                self.state.access[token] = (user, 0.0)

    def revoke(self, user: str | None = None) -> None:
        """The merchant revoked Shopdesk's access: refresh and access tokens die."""
        user = user or self.state.user
        with self.state.lock:
            for token, grant in list(self.state.refresh.items()):
                if grant.user == user:
                    del self.state.refresh[token]
            for token, (owner, _exp) in list(self.state.access.items()):
                if owner == user:
                    del self.state.access[token]

    def valid(self, token: str) -> str | None:
        """The user a live access token belongs to, else None."""
        with self.state.lock:
            entry = self.state.access.get(token)
        return entry[0] if entry and entry[1] > time.time() else None

    def secrets_issued(self) -> list[str]:
        with self.state.lock:
            return [*self.state.issued_access, *self.state.issued_refresh]


def browse(url: str) -> str:
    """A "browser": GET `url`, follow redirects (to the app's loopback server); the final URL."""
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        return str(response.url)


if __name__ == "__main__":
    browse(sys.argv[1])
