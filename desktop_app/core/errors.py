"""Typed errors for problems of the environment, shown to the merchant as one plain line."""

from __future__ import annotations


class ShopdeskError(Exception):
    """An expected problem (bad password, no network, full disk), shown as one plain line."""


class ConfigError(ShopdeskError):
    """Settings that cannot work as given (unknown account, insecure host without consent)."""


class CredentialError(ShopdeskError):
    """The OS keyring is missing, locked, or holds no password for an account."""


class StoreError(ShopdeskError):
    """The local store cannot be opened or written (disk full, file locked, newer schema)."""


class ConnectionFailed(ShopdeskError):
    """The mail server could not be reached, or the connection dropped."""


class CertificateError(ConnectionFailed):
    """The server's TLS certificate did not verify and is not trusted by the merchant."""

    def __init__(self, message: str, fingerprint: str | None = None) -> None:
        super().__init__(message)
        self.fingerprint = fingerprint


class AuthenticationFailed(ShopdeskError):
    """The server refused the username or password."""


class ServerError(ShopdeskError):
    """The server answered a command with an error we cannot work around."""
