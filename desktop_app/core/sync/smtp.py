"""Send stored message bytes over SMTP: TLS verified, timeouts set, replies made plain errors.

`send_raw` reports the moment before the final "." of DATA goes out through `before_commit`:
until then the server cannot deliver anything (RFC 5321: a transaction without its end is
dropped), after it the message may be on its way. The outbox records that moment.
"""

from __future__ import annotations

import hashlib
import re
import smtplib
import socket
import ssl
from collections.abc import Callable, Sequence

from desktop_app.core.accounts import credentials
from desktop_app.core.accounts.settings import AccountSettings, ServerSettings
from desktop_app.core.accounts.tokens import (
    OAuthLogin,
    Secret,
    b64,
    oauthbearer_payload,
    xoauth2_payload,
)
from desktop_app.core.errors import (
    AuthenticationFailed,
    CertificateError,
    ConfigError,
    ConnectionFailed,
    CredentialError,
    ServerError,
)
from desktop_app.core.sync.connection import DEFAULT_TIMEOUTS, Timeouts

_EOLS = re.compile(rb"\r\n|\n|\r(?!\n)")
_DOT = re.compile(rb"(?m)^\.")


class SmtpRefused(ServerError):
    """The SMTP server answered with an error code; `permanent` for 5xx (do not retry as is)."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code
        self.permanent = 500 <= code < 600


class DeliveryUncertain(ConnectionFailed):
    """The connection dropped after the whole message went out, before the server answered."""


def smtp_server(settings: AccountSettings) -> ServerSettings:
    if settings.smtp is None:
        raise ConfigError(
            f"The account {settings.name} has no outgoing (SMTP) server: add one to send replies."
        )
    return settings.smtp


def smtp_password(settings: AccountSettings) -> Secret:
    """The SMTP password from the keyring, else the IMAP one (most providers share them); the
    OAuth sign-in for an OAuth account."""
    if settings.uses_oauth:
        return OAuthLogin(settings)
    try:
        return credentials.get_secret(settings.smtp_credential_key)
    except CredentialError:
        if settings.smtp_credential_key == settings.credential_key:
            raise
        return credentials.get_secret(settings.credential_key)


def _reason(resp: bytes | str) -> str:
    text = resp.decode("utf-8", "replace") if isinstance(resp, bytes) else str(resp)
    return " ".join(text.split()) or "no reason given"


def _context(server: ServerSettings) -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    if server.trusted_cert_sha256:  # the merchant trusted this exact certificate
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    return ctx


def _check_pin(conn: smtplib.SMTP, server: ServerSettings) -> None:
    if not server.trusted_cert_sha256 or server.security == "none":
        return
    sock = conn.sock
    der = sock.getpeercert(binary_form=True) if isinstance(sock, ssl.SSLSocket) else None
    actual = hashlib.sha256(der or b"").hexdigest()
    if actual != server.trusted_cert_sha256.lower():
        raise CertificateError(
            f"The certificate of {server.host} changed since you trusted it (now SHA-256 "
            f"{actual}). Check with your mail provider before trusting it again.",
            fingerprint=actual,
        )


def _connect(server: ServerSettings, timeouts: Timeouts) -> smtplib.SMTP:
    server.check("SMTP")
    conn: smtplib.SMTP
    if server.security == "ssl":
        conn = smtplib.SMTP_SSL(
            server.host, server.port, timeout=timeouts.connect, context=_context(server)
        )
    else:
        conn = smtplib.SMTP(server.host, server.port, timeout=timeouts.connect)
    if conn.sock is not None:
        conn.sock.settimeout(timeouts.read)
    try:
        conn.ehlo()
        if server.security == "starttls":
            if not conn.has_extn("starttls"):
                raise ConnectionFailed(
                    f"{server.host}:{server.port} does not offer STARTTLS: "
                    "choose ssl, or another port."
                )
            conn.starttls(context=_context(server))
            conn.ehlo()
        _check_pin(conn, server)
    except BaseException:
        _close(conn)
        raise
    return conn


def _close(conn: smtplib.SMTP) -> None:
    try:
        conn.quit()
    except (OSError, smtplib.SMTPException):
        conn.close()


def _data(conn: smtplib.SMTP, raw: bytes, before_commit: Callable[[], None]) -> None:
    """DATA in two steps: the whole message, then (after `before_commit`) the final dot."""
    code, resp = conn.docmd("data")
    if code != 354:
        raise smtplib.SMTPDataError(code, resp)
    body = _DOT.sub(b"..", _EOLS.sub(b"\r\n", raw))
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    conn.send(body)
    before_commit()
    try:
        conn.send(b".\r\n")
        code, resp = conn.getreply()
    except (OSError, smtplib.SMTPServerDisconnected) as exc:
        raise DeliveryUncertain(
            f"The connection to the mail server dropped right after the message went out "
            f"({exc}): it may have been sent."
        ) from None
    if code != 250:
        raise smtplib.SMTPDataError(code, resp)


def _oauth_login(conn: smtplib.SMTP, login: OAuthLogin, host: str) -> None:
    """AUTH OAUTHBEARER where offered, else XOAUTH2, with the initial response; one refresh
    after a refusal, then SignInExpired."""
    offered = conn.esmtp_features.get("auth", "").upper().split()
    if "OAUTHBEARER" in offered:
        mechanism, build = "OAUTHBEARER", oauthbearer_payload
    elif "XOAUTH2" in offered:
        mechanism, build = "XOAUTH2", xoauth2_payload
    else:
        raise AuthenticationFailed(f"{host} does not offer OAuth sign-in (XOAUTH2 or OAUTHBEARER).")
    for force in (False, True):
        payload = b64(build(login.username, login.token(force=force)))
        # The initial response in the AUTH line; a 334 after it carries the server's error
        # (as JSON): answer it with the dummy \x01 for OAUTHBEARER (RFC 7628 section 3.2.3)
        # or empty for XOAUTH2 (as Google documents it), and the refusal follows.
        code, _resp = conn.docmd("AUTH", f"{mechanism} {payload}")
        if code == 334:
            code, _resp = conn.docmd(b64("\x01") if mechanism == "OAUTHBEARER" else "")
            if code >= 500:  # whatever 5xx follows the server's error: the token was refused
                continue
        if code in (235, 503):  # 503: already authenticated
            return
        if 400 <= code < 500:  # 454 "too many login attempts", "try again later"
            raise ConnectionFailed(
                f"{host} cannot take the sign-in just now ({code} {_reason(_resp)}): "
                "Shopdesk will try again later."
            )
        if code not in (535, 534):  # only these say the token was refused
            raise smtplib.SMTPAuthenticationError(code, _resp)
    raise login.expired()


def send_raw(
    server: ServerSettings,
    username: str,
    password: Secret,
    envelope_from: str,
    recipients: Sequence[str],
    raw: bytes,
    before_commit: Callable[[], None] = lambda: None,
    timeouts: Timeouts = DEFAULT_TIMEOUTS,
) -> list[str]:
    """One SMTP transaction for `raw`; raises typed, plain errors (see the module docstring).

    Returns the refusals of some recipients when others were accepted (sent to those)."""
    where = f"{server.host}:{server.port}"
    try:
        conn = _connect(server, timeouts)
        try:
            if isinstance(password, OAuthLogin):
                _oauth_login(conn, password, server.host)
            elif password and conn.has_extn("auth"):
                try:
                    conn.login(username, password)
                except UnicodeEncodeError:  # never repeat the text: it holds the password
                    raise AuthenticationFailed(
                        f"{server.host} cannot take this username or password: a login over "
                        "SMTP takes plain letters and digits only (no accents). Use an app "
                        "password, or change it at your provider."
                    ) from None
            code, resp = conn.mail(envelope_from)
            if code != 250:
                raise smtplib.SMTPSenderRefused(code, resp, envelope_from)
            refused: dict[str, tuple[int, bytes]] = {}
            for rcpt in recipients:
                code, resp = conn.rcpt(rcpt)
                if code not in (250, 251):
                    refused[rcpt] = (code, resp)
            if len(refused) == len(recipients):
                raise smtplib.SMTPRecipientsRefused(refused)  # type: ignore[arg-type]
            _data(conn, raw, before_commit)
            return [
                f"{server.host} refused the recipient {addr}: {code} {_reason(resp)}"
                for addr, (code, resp) in refused.items()
            ]
        finally:
            _close(conn)
    except (DeliveryUncertain, AuthenticationFailed):
        raise
    except UnicodeEncodeError:  # smtplib sends commands as ASCII (no SMTPUTF8 here)
        odd = [a for a in (envelope_from, *recipients) if not a.isascii()]
        raise SmtpRefused(
            f"The address {', '.join(odd) or envelope_from} has letters outside plain ASCII, "
            "which this mail server cannot take: write it without accents or use another "
            "address.",
            553,
        ) from None
    except smtplib.SMTPAuthenticationError as exc:
        raise AuthenticationFailed(
            f"{server.host} refused the username or password for {username} "
            f"({_reason(exc.smtp_error)}). Some providers need an app password."
        ) from None
    except smtplib.SMTPRecipientsRefused as exc:
        addr, (code, resp) = next(iter(exc.recipients.items()))
        raise SmtpRefused(
            f"{server.host} refused the recipient {addr}: {code} {_reason(resp)}", code
        ) from None
    except smtplib.SMTPSenderRefused as exc:
        raise SmtpRefused(
            f"{server.host} refused the sender {envelope_from}: "
            f"{exc.smtp_code} {_reason(exc.smtp_error)}",
            exc.smtp_code,
        ) from None
    except smtplib.SMTPResponseException as exc:
        raise SmtpRefused(
            f"{server.host} refused the message: {exc.smtp_code} {_reason(exc.smtp_error)}",
            exc.smtp_code,
        ) from None
    except ssl.SSLCertVerificationError as exc:
        detail = exc.verify_message or exc.reason or str(exc)
        raise CertificateError(
            f"The certificate of {server.host} could not be verified ({detail})."
        ) from None
    except ssl.SSLError as exc:
        raise ConnectionFailed(f"A secure connection to {where} failed ({exc.reason}).") from None
    except socket.gaierror:
        raise ConnectionFailed(
            f"The mail server {server.host} could not be found: check the name and your "
            "internet connection."
        ) from None
    except ConnectionRefusedError:
        raise ConnectionFailed(f"The mail server at {where} refused the connection.") from None
    except TimeoutError:
        raise ConnectionFailed(f"The mail server at {where} did not answer in time.") from None
    except (OSError, smtplib.SMTPException) as exc:
        raise ConnectionFailed(f"Could not send through {where} ({exc}).") from None
