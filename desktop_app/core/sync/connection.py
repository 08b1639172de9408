"""Open an authenticated IMAP connection: TLS verified, timeouts set, errors made plain."""

from __future__ import annotations

import contextlib
import hashlib
import imaplib
import re
import socket
import ssl
from dataclasses import dataclass

import imapclient
import imapclient.exceptions
from imapclient import IMAPClient
from imapclient.imapclient import SocketTimeout

from desktop_app.core.accounts.settings import ServerSettings
from desktop_app.core.accounts.tokens import (
    OAuthLogin,
    Secret,
    oauthbearer_payload,
    xoauth2_payload,
)
from desktop_app.core.errors import (
    AuthenticationFailed,
    CertificateError,
    ConnectionFailed,
    ServerError,
)

CONNECT_TIMEOUT_S = 15.0
READ_TIMEOUT_S = 120.0


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Socket timeouts: a silent server must never block a sync forever."""

    connect: float = CONNECT_TIMEOUT_S
    read: float = READ_TIMEOUT_S


DEFAULT_TIMEOUTS = Timeouts()


def peer_fingerprint(host: str, port: int, starttls: bool, timeout: float = 10.0) -> str | None:
    """SHA-256 of the server's certificate, fetched without verifying it (to show the user)."""
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    try:
        if starttls:
            client = IMAPClient(host, port, ssl=False, timeout=timeout)
            try:
                client.starttls(ctx)
                der = client._imap.sock.getpeercert(binary_form=True)
            finally:
                _quiet_logout(client)
        else:
            with (
                socket.create_connection((host, port), timeout=timeout) as raw_sock,
                ctx.wrap_socket(raw_sock, server_hostname=host) as tls,
            ):
                der = tls.getpeercert(binary_form=True)
    except (OSError, imapclient.exceptions.IMAPClientError):
        return None
    return hashlib.sha256(der).hexdigest() if der else None


def _tls_context(server: ServerSettings) -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    if server.trusted_cert_sha256:
        # The merchant trusted this exact certificate: pin it instead of the CA chain.
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    return ctx


def _check_pin(client: IMAPClient, server: ServerSettings) -> None:
    if not server.trusted_cert_sha256:
        return
    der = client._imap.sock.getpeercert(binary_form=True)
    actual = hashlib.sha256(der or b"").hexdigest()
    if actual != server.trusted_cert_sha256.lower():
        _quiet_logout(client)
        raise CertificateError(
            f"The certificate of {server.host} changed since you trusted it "
            f"(now SHA-256 {actual}). Check with your mail provider before trusting it again.",
            fingerprint=actual,
        )


def _quiet_logout(client: IMAPClient) -> None:
    try:
        client.logout()
    except Exception:  # closing a broken connection must not raise
        with contextlib.suppress(Exception):
            client.shutdown()


def _certificate_error(server: ServerSettings, exc: ssl.SSLError) -> CertificateError:
    fingerprint = peer_fingerprint(server.host, server.port, server.security == "starttls")
    detail = getattr(exc, "verify_message", None) or exc.reason or str(exc)
    hint = (
        f" If you know this server uses its own certificate, trust it with "
        f"--trust-cert {fingerprint}."
        if fingerprint
        else ""
    )
    return CertificateError(
        f"The certificate of {server.host} could not be verified ({detail}).{hint}",
        fingerprint=fingerprint,
    )


def open_connection(server: ServerSettings, timeouts: Timeouts = DEFAULT_TIMEOUTS) -> IMAPClient:
    """Connect (and STARTTLS where asked); no login yet. Raises typed, plain errors."""
    server.check("IMAP")
    timeout = SocketTimeout(connect=timeouts.connect, read=timeouts.read)
    where = f"{server.host}:{server.port}"
    try:
        if server.security == "ssl":
            client = IMAPClient(
                server.host,
                server.port,
                ssl=True,
                ssl_context=_tls_context(server),
                timeout=timeout,
            )
        else:
            client = IMAPClient(server.host, server.port, ssl=False, timeout=timeout)
            if server.security == "starttls":
                try:
                    client.starttls(_tls_context(server))
                except BaseException:
                    _quiet_logout(client)
                    raise
        if server.security != "none":
            _check_pin(client, server)
        # imapclient turns on imaplib's debug output, which formats every response (whole
        # messages) only for the logger to drop it, and could put a LOGIN line in a log.
        client._imap.debug = 0
        return client
    except ssl.SSLCertVerificationError as exc:
        raise _certificate_error(server, exc) from None
    except ssl.SSLError as exc:
        raise ConnectionFailed(f"A secure connection to {where} failed ({exc.reason}).") from None
    except socket.gaierror:
        raise ConnectionFailed(
            f"The mail server {server.host} could not be found: check "
            "the name and your internet connection."
        ) from None
    except ConnectionRefusedError:
        raise ConnectionFailed(
            f"The mail server at {where} refused the connection: check "
            "the port and security settings."
        ) from None
    except TimeoutError:
        raise ConnectionFailed(f"The mail server at {where} did not answer in time.") from None
    except OSError as exc:
        raise ConnectionFailed(f"Could not reach {where}: {exc.strerror or exc}.") from None
    except imapclient.exceptions.IMAPClientError as exc:
        if "STARTTLS" in str(exc).upper():
            raise ConnectionFailed(
                f"{where} does not offer STARTTLS: choose ssl, or another port."
            ) from None
        raise ServerError(f"{where} answered unexpectedly: {exc}") from None


def login(client: IMAPClient, username: str, password: Secret, host: str) -> None:
    """Log in with a password or an OAuth token; a refusal becomes AuthenticationFailed
    without the secret in it."""
    if isinstance(password, OAuthLogin):
        oauth_login(client, password, host)
        return
    try:
        client.login(username, password)
    except imapclient.exceptions.LoginError:
        _quiet_logout(client)
        raise AuthenticationFailed(
            f"{host} refused the username or password for {username}. Check them (some "
            "providers need an app password) and set it with `shopdesk account password NAME`."
        ) from None
    except (OSError, imapclient.exceptions.IMAPClientError) as exc:
        _quiet_logout(client)
        raise ConnectionFailed(f"The connection to {host} failed during login ({exc}).") from None


# Response codes (RFC 5530) of a NO that is the server's trouble, not a refused token.
_TRANSIENT = ("UNAVAILABLE", "LIMIT", "INUSE", "SERVERBUG")


def _temporary(text: str) -> bool:
    codes = set(re.findall(r"\[([A-Z-]+)", text.upper()))
    return bool(codes & set(_TRANSIENT)) or ("ALERT" in codes and "TOO MANY" in text.upper())


def _authenticate(client: IMAPClient, mechanism: str, payload: str, host: str) -> bool:
    """One SASL exchange; False when the server refused the token, ConnectionFailed when it
    turned the login away for now ([UNAVAILABLE], [LIMIT], too many connections). A
    continuation after the initial response carries the server's error."""
    sent = False

    def respond(_challenge: bytes) -> str:
        nonlocal sent
        if sent:  # the server's error: OAUTHBEARER's dummy reply (RFC 7628), XOAUTH2's empty
            return "\x01" if mechanism == "OAUTHBEARER" else ""
        sent = True
        return payload

    try:
        client._imap.authenticate(mechanism, respond)
    except imaplib.IMAP4.abort:
        raise
    except imaplib.IMAP4.error as exc:
        if _temporary(str(exc)):
            raise ConnectionFailed(
                f"{host} cannot take the sign-in just now (it is busy or has too many "
                "connections): Shopdesk will try again later."
            ) from None
        return False
    return True


def oauth_login(client: IMAPClient, login: OAuthLogin, host: str) -> None:
    """AUTHENTICATE OAUTHBEARER where offered, else XOAUTH2; one refresh after a refusal."""
    try:
        bearer = client.has_capability("AUTH=OAUTHBEARER")
        if not bearer and not client.has_capability("AUTH=XOAUTH2"):
            _quiet_logout(client)
            raise AuthenticationFailed(
                f"{host} does not offer OAuth sign-in (XOAUTH2 or OAUTHBEARER)."
            )
        mechanism, build = (
            ("OAUTHBEARER", oauthbearer_payload) if bearer else ("XOAUTH2", xoauth2_payload)
        )
        for force in (False, True):
            token = login.token(force=force)
            if _authenticate(client, mechanism, build(login.username, token), host):
                return
    except (OSError, imaplib.IMAP4.abort, imapclient.exceptions.IMAPClientError) as exc:
        _quiet_logout(client)
        raise ConnectionFailed(
            f"The connection to {host} failed during sign-in ({type(exc).__name__})."
        ) from None
    except BaseException:
        _quiet_logout(client)
        raise
    _quiet_logout(client)
    raise login.expired()


def connect_and_login(
    server: ServerSettings, username: str, password: Secret, timeouts: Timeouts = DEFAULT_TIMEOUTS
) -> IMAPClient:
    client = open_connection(server, timeouts)
    login(client, username, password, server.host)
    return client


def close(client: IMAPClient) -> None:
    _quiet_logout(client)
