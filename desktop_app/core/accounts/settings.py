"""Account settings as a typed value, with the rules for secure connections."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from desktop_app.core.errors import ConfigError

SECURITY_CHOICES = ("ssl", "starttls", "none")
AUTH_METHODS = ("password", "oauth2")
OAUTH_PROVIDERS = ("google", "microsoft")


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (no DNS look-up)."""
    name = host.strip().strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """How to reach one server (IMAP or SMTP)."""

    host: str
    port: int
    security: str  # ssl | starttls | none
    allow_insecure: bool = False
    trusted_cert_sha256: str | None = None

    def check(self, what: str) -> None:
        if self.security not in SECURITY_CHOICES:
            raise ConfigError(
                f"{what} security must be one of {', '.join(SECURITY_CHOICES)}, "
                f"not {self.security!r}."
            )
        if not 0 < self.port < 65536:
            raise ConfigError(f"{what} port {self.port} is not a valid port number.")
        if self.security == "none" and not (self.allow_insecure or is_loopback(self.host)):
            raise ConfigError(
                f"{what} without encryption to {self.host} would send your password in the "
                "clear: use ssl or starttls, or pass --allow-insecure if you really mean it."
            )


@dataclass(frozen=True, slots=True)
class AccountSettings:
    """Everything about a mailbox except its password, which lives in the OS keyring."""

    name: str
    email: str
    username: str
    imap: ServerSettings
    smtp: ServerSettings | None = None
    kind: str = "imap"
    extra_folders: tuple[str, ...] = field(default_factory=tuple)
    id: int | None = None
    auth_method: str = "password"  # password | oauth2 (a refresh token in the keyring)
    oauth_provider: str | None = None  # google | microsoft, with oauth2

    def check(self) -> None:
        if not self.name.strip():
            raise ConfigError("An account needs a name.")
        if "@" not in self.email:
            raise ConfigError(f"{self.email!r} is not an e-mail address.")
        if self.auth_method not in AUTH_METHODS:
            raise ConfigError(f"Unknown sign-in method {self.auth_method!r}.")
        if self.auth_method == "oauth2" and self.oauth_provider not in OAUTH_PROVIDERS:
            raise ConfigError(
                f"Sign-in with {self.oauth_provider or 'no provider'} is not supported: "
                f"choose one of {', '.join(OAUTH_PROVIDERS)}."
            )
        self.imap.check("IMAP")
        if self.smtp is not None:
            self.smtp.check("SMTP")

    @property
    def uses_oauth(self) -> bool:
        return self.auth_method == "oauth2"

    @property
    def credential_key(self) -> str:
        """The keyring entry name for this account's IMAP password (or OAuth refresh token)."""
        if self.uses_oauth:
            return f"oauth2://{self.oauth_provider}/{self.username}"
        return f"imap://{self.username}@{self.imap.host}:{self.imap.port}"

    @property
    def smtp_credential_key(self) -> str:
        """The keyring entry name for the SMTP password (the IMAP one is used when it is absent)."""
        if self.smtp is None or self.uses_oauth:
            return self.credential_key
        return f"smtp://{self.username}@{self.smtp.host}:{self.smtp.port}"
