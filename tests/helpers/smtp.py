"""A real SMTP server for tests: aiosmtpd on free loopback ports, STARTTLS, implicit TLS, AUTH."""

from __future__ import annotations

import base64
import binascii
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session

from tests.helpers.certs import ServerCert, make_ca_signed
from tests.helpers.dovecot import free_port

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Received:
    """One message the server accepted: envelope and bytes."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes


@dataclass
class Recorder:
    """The handler: records accepted messages; `reply` answers DATA with an error instead."""

    messages: list[Received] = field(default_factory=list)
    reply: str | None = None  # e.g. "550 5.7.1 Message rejected as spam"
    unknown: set[str] = field(default_factory=set)  # recipients refused with 550 5.1.1
    hang_up: bool = False  # take the message, then drop the connection before answering
    lock: threading.Lock = field(default_factory=threading.Lock)
    arrived: threading.Condition = field(init=False)

    def __post_init__(self) -> None:
        self.arrived = threading.Condition(self.lock)

    async def handle_RCPT(
        self, server: Any, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address in self.unknown:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        if self.reply:
            return self.reply
        content = envelope.original_content or envelope.content or b""
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogateescape")
        with self.arrived:
            self.messages.append(
                Received(str(envelope.mail_from), tuple(envelope.rcpt_tos), bytes(content))
            )
            self.arrived.notify_all()
        if self.hang_up:
            server.transport.close()
        return "250 2.0.0 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.messages) >= count, timeout)
            return list(self.messages)


class OAuthRecorder(Recorder):
    """A recorder that also takes AUTH XOAUTH2 (as Microsoft's and Google's SMTP do), asking
    `token_check(user, token)` (e.g. the fake identity provider) whether the token is good."""

    def __init__(self, token_check: Callable[[str, str], bool]) -> None:
        super().__init__()
        self.token_check = token_check
        self.oauth_logins: list[str] = []  # the users signed in with a token
        self.busy_reply: str | None = None  # e.g. "454 4.7.0 Too many login attempts"
        self.error_challenge = False  # refuse a token with a 334 error first, as providers do
        self.error_answers: list[bytes] = []  # what the client answered that 334 with
        self.refusal_reply: str | None = None  # the reply after it instead of 535

    async def auth_XOAUTH2(self, server: Any, args: list[str]) -> AuthResult:
        if self.busy_reply:
            await server.push(self.busy_reply)
            return AuthResult(success=False, handled=True)
        if len(args) == 1:
            blob = await server.challenge_auth("", encode_to_b64=False)
            if not isinstance(blob, bytes):
                return AuthResult(success=False)
        else:
            try:
                blob = base64.b64decode(args[1].encode(), validate=True)
            except (binascii.Error, ValueError):
                return AuthResult(success=False, handled=False)
        text = blob.decode("utf-8", "replace")
        fields = dict(part.split("=", 1) for part in text.split("\x01") if "=" in part)
        user = fields.get("user", "")
        token = fields.get("auth", "").removeprefix("Bearer ")
        return await self._verdict(server, user, token)

    async def _verdict(self, server: Any, user: str, token: str) -> AuthResult:
        if user and token and self.token_check(user, token):
            self.oauth_logins.append(user)
            return AuthResult(success=True, handled=False)
        if not self.error_challenge:
            return AuthResult(success=False, handled=False)
        # As Gmail and Outlook do: the error as JSON in a 334, the client's answer, then
        # the refusal (RFC 7628 section 3.2.2).
        answer = await server.challenge_auth(
            '{"status":"invalid_token","schemes":"bearer","scope":"https://mail.google.com/"}'
        )
        if not isinstance(answer, bytes):  # "*" or bad base64: aiosmtpd answered 501
            return AuthResult(success=False, handled=True)
        self.error_answers.append(answer)
        if self.refusal_reply:
            await server.push(self.refusal_reply)
            return AuthResult(success=False, handled=True)
        return AuthResult(success=False, handled=False)


class OAuthBearerRecorder(OAuthRecorder):
    """An OAuthRecorder that offers AUTH OAUTHBEARER (RFC 7628) besides XOAUTH2."""

    async def auth_OAUTHBEARER(self, server: Any, args: list[str]) -> AuthResult:
        if self.busy_reply:
            await server.push(self.busy_reply)
            return AuthResult(success=False, handled=True)
        if len(args) < 2:
            return AuthResult(success=False, handled=False)
        try:
            text = base64.b64decode(args[1].encode(), validate=True).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            return AuthResult(success=False, handled=False)
        header, _, rest = text.partition("\x01")
        user = next((p[2:] for p in header.split(",") if p.startswith("a=")), "")
        fields = dict(part.split("=", 1) for part in rest.split("\x01") if "=" in part)
        token = fields.get("auth", "").removeprefix("Bearer ")
        return await self._verdict(server, user, token)


class SmtpServer:
    """Two aiosmtpd controllers sharing one recorder: `port` (plain, offers STARTTLS) and
    `ssl_port` (implicit TLS). Both require AUTH (LOGIN or PLAIN) with `user`/`password`;
    the certificate is signed by a throwaway CA at `ca_cert_path` (trust it via SSL_CERT_FILE)
    or pinned by `cert.sha256`."""

    def __init__(
        self,
        base: Path,
        user: str = "shop@example.com",
        password: str = "s3cret",
        token_check: Callable[[str, str], bool] | None = None,
        oauthbearer: bool = False,
    ) -> None:
        """With `token_check`, AUTH XOAUTH2 is offered too (see OAuthRecorder), and
        OAUTHBEARER with `oauthbearer`."""
        self.user, self.password = user, password
        recorder = OAuthBearerRecorder if oauthbearer else OAuthRecorder
        self.recorder = Recorder() if token_check is None else recorder(token_check)
        self.cert: ServerCert = make_ca_signed(base / "smtp-tls")
        server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        server_ctx.load_cert_chain(self.cert.cert_path, self.cert.key_path)
        self.auth_attempts = 0
        common: dict[str, Any] = {
            "hostname": HOST,
            "authenticator": self._authenticate,
            "auth_required": True,
            "auth_require_tls": False,  # loopback plain is allowed, as for IMAP
        }
        self._common = common
        self._server_ctx = server_ctx
        self.port = free_port()
        self.ssl_port = free_port()
        self.running = False
        self.start()

    def _authenticate(
        self, server: Any, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        self.auth_attempts += 1
        if isinstance(auth_data, LoginPassword):
            ok = (auth_data.login.decode(), auth_data.password.decode()) == (
                self.user,
                self.password,
            )
            return AuthResult(success=ok, handled=False)
        return AuthResult(success=False, handled=False)

    @property
    def ca_cert_path(self) -> Path:
        assert self.cert.ca_cert_path is not None
        return self.cert.ca_cert_path

    @property
    def messages(self) -> list[Received]:
        with self.recorder.lock:
            return list(self.recorder.messages)

    def stop(self) -> None:
        """Stop both listeners (the "offline" case); `start()` listens again."""
        if self.running:
            self.plain.stop()
            self.implicit.stop()
            self.running = False

    def start(self) -> None:
        """Listen (again) on `port` and `ssl_port`; a stopped controller cannot restart."""
        if self.running:
            return
        self.plain = Controller(
            self.recorder, port=self.port, tls_context=self._server_ctx, **self._common
        )
        self.implicit = Controller(
            self.recorder, port=self.ssl_port, ssl_context=self._server_ctx, **self._common
        )
        self.plain.start()
        self.implicit.start()
        self.running = True

    def close(self) -> None:
        self.stop()
