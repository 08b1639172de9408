"""The desktop sign-in: the browser authorises, a loopback server on 127.0.0.1 takes the code.

RFC 8252 (OAuth for native apps): a one-shot HTTP server on 127.0.0.1 and a free port is the
redirect target; PKCE (S256) binds the code to this process and `state` to this request.
Start a `LoopbackFlow`, open `authorization_url` in the browser (on the GUI thread, or with
`webbrowser` in the CLI), then `wait()` on a worker thread; `cancel()` ends the wait.
"""

from __future__ import annotations

import http.server
import logging
import secrets
import threading
import time
import urllib.parse
from typing import Any

from oauthlib.oauth2 import OAuth2Error  # type: ignore[import-untyped]

from desktop_app.core.accounts import oauth
from desktop_app.core.accounts.oauth import OAuthProvider, SignInCancelled, TokenSet
from desktop_app.core.errors import AuthenticationFailed

log = logging.getLogger(__name__)

SIGN_IN_TIMEOUT_S = 600.0
_DONE_PAGE = (
    "<!doctype html><meta charset=utf-8><title>Shopdesk</title>"
    "<body style='font-family:sans-serif;margin:3em'><h1>{title}</h1><p>{text}</p>"
)


class _Handler(http.server.BaseHTTPRequestHandler):
    """Takes the redirect (`/?code=...&state=...`); anything else gets a 404.

    `timeout`: a connection that sends nothing (browsers open spare ones in advance,
    bpo-31639) is dropped after a few seconds instead of holding its thread.
    """

    server: _LoopbackServer
    timeout = 5.0

    def do_GET(self) -> None:
        parts = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(parts.query)
        if parts.path != "/" or not ({"code", "error"} & params.keys()):
            self.send_error(404)
            return
        if not secrets.compare_digest(params.get("state", [""])[0], self.server.state):
            # not this sign-in's answer (an old tab, another program): keep waiting for it
            self._page(
                400,
                "Sign-in did not finish",
                "This page is not for the sign-in "
                "Shopdesk is waiting for. Go back to Shopdesk to try again.",
            )
            return
        ok = "code" in params
        title = "You are signed in" if ok else "Sign-in did not finish"
        text = (
            "You can close this tab and go back to Shopdesk."
            if ok
            else ("Go back to Shopdesk to try again.")
        )
        self._page(200, title, text)
        self.server.answer(self.path)

    def _page(self, status: int, title: str, text: str) -> None:
        body = _DONE_PAGE.format(title=title, text=text).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Never log the request line: it carries the authorization code."""


class _LoopbackServer(http.server.ThreadingHTTPServer):
    """One thread per connection, so an idle one never keeps the redirect waiting."""

    daemon_threads = True

    def __init__(self, state: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state  # only the redirect carrying it is taken
        self.path: str | None = None
        self.arrived = threading.Event()

    def answer(self, path: str) -> None:
        if self.path is None:
            self.path = path
            self.arrived.set()


class LoopbackFlow:
    """One browser sign-in; `wait()` returns the tokens (or raises a plain error)."""

    def __init__(self, prov: OAuthProvider, login_hint: str = "") -> None:
        prov.check()
        self.provider = prov
        self._state = secrets.token_urlsafe(24)
        self._server = _LoopbackServer(self._state)
        port = self._server.server_address[1]
        self.redirect_uri = f"http://127.0.0.1:{port}/"
        self._client = oauth.client_for(prov)
        self._verifier = self._client.create_code_verifier(64)
        challenge = self._client.create_code_challenge(self._verifier, "S256")
        extra = dict(prov.extra_params)
        if login_hint:
            extra["login_hint"] = login_hint
        url = self._client.prepare_request_uri(
            oauth.https_form(prov.authorize_url),
            redirect_uri=self.redirect_uri,
            scope=list(prov.scopes),
            state=self._state,
            code_challenge=challenge,
            code_challenge_method="S256",
            **extra,
        )
        self.authorization_url: str = oauth.restore_scheme(prov.authorize_url, url)
        self._cancelled = threading.Event()
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="shopdesk-signin",
            daemon=True,
        )
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def cancel(self) -> None:
        """End a `wait()` from another thread (the Cancel button)."""
        self._cancelled.set()
        self._server.arrived.set()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def wait(self, timeout: float = SIGN_IN_TIMEOUT_S) -> TokenSet:
        """Wait for the browser's redirect, check it, and trade the code for tokens."""
        name = self.provider.name
        try:
            deadline = time.monotonic() + timeout
            while not self._server.arrived.wait(0.5):
                if time.monotonic() > deadline:
                    raise SignInCancelled(
                        f"The {name} sign-in took too long: start it again when you are ready."
                    )
            if self._cancelled.is_set() or self._server.path is None:
                raise SignInCancelled(f"The {name} sign-in was cancelled.")
            code = self._code(self._server.path)
        finally:
            self.close()
        return oauth.exchange_code(self.provider, code, self.redirect_uri, self._verifier)

    def _code(self, path: str) -> str:
        name = self.provider.name
        query = urllib.parse.urlsplit(path).query
        try:
            params = self._client.parse_request_uri_response(
                f"https://127.0.0.1/?{query}", state=self._state
            )
        except OAuth2Error as exc:
            if exc.error == "mismatching_state":
                raise AuthenticationFailed(
                    f"The {name} sign-in answer did not belong to this request: start again."
                ) from None
            if exc.error == "access_denied":
                raise SignInCancelled(
                    f"You did not allow Shopdesk to use your {name} mailbox."
                ) from None
            raise AuthenticationFailed(f"{name} refused the sign-in ({exc.error}).") from None
        return str(params["code"])


def sign_in(prov: OAuthProvider, login_hint: str, open_browser: Any) -> TokenSet:
    """The whole flow in one call (CLI): `open_browser(url)` shows the page, then wait."""
    flow = LoopbackFlow(prov, login_hint)
    try:
        open_browser(flow.authorization_url)
    except BaseException:
        flow.close()
        raise
    return flow.wait()
