"""The one place that touches secrets: passwords and tokens in the OS keyring, never elsewhere."""

from __future__ import annotations

import os

import keyring
import keyring.errors

from desktop_app.core.errors import CredentialError

SERVICE = "Shopdesk"

_NO_KEYRING = (
    "No system keyring is available to keep your password safe. On a desktop, unlock or install "
    "your keyring (GNOME Keyring, KWallet, macOS Keychain, Windows Credential Manager); on a "
    "headless machine choose a backend with PYTHON_KEYRING_BACKEND."
)


def _describe(exc: Exception) -> str:
    if isinstance(exc, keyring.errors.NoKeyringError):
        return _NO_KEYRING
    if isinstance(exc, keyring.errors.KeyringLocked):
        return "The system keyring is locked: unlock it and try again."
    return f"The system keyring refused the request ({type(exc).__name__})."


def _check_backend() -> None:
    """Refuse the fail backend, and plain-file backends the user did not choose explicitly."""
    backend = keyring.get_keyring()
    module = type(backend).__module__
    if module.startswith("keyring.backends.fail") or module.startswith("keyring.backends.null"):
        raise CredentialError(_NO_KEYRING)
    if module.startswith("keyrings.alt") and not os.environ.get("PYTHON_KEYRING_BACKEND"):
        raise CredentialError(_NO_KEYRING)
    if type(backend).__name__ == "ChainerBackend" and not getattr(backend, "backends", None):
        raise CredentialError(_NO_KEYRING)


def set_secret(key: str, secret: str) -> None:
    """Store a secret; raises CredentialError with a plain sentence (never the secret)."""
    _check_backend()
    try:
        keyring.set_password(SERVICE, key, secret)
    except keyring.errors.KeyringError as exc:
        raise CredentialError(_describe(exc)) from None


def get_secret(key: str) -> str:
    """Read a secret; raises CredentialError when the keyring is unusable or holds none."""
    _check_backend()
    try:
        value = keyring.get_password(SERVICE, key)
    except keyring.errors.KeyringError as exc:
        raise CredentialError(_describe(exc)) from None
    if value is None:
        raise CredentialError(
            f"No password is saved for {key.split('://', 1)[-1]}: "
            "set it with `shopdesk account password NAME`."
        )
    return str(value)


def delete_secret(key: str) -> None:
    """Forget a secret; missing entries are fine."""
    try:
        keyring.delete_password(SERVICE, key)
    except keyring.errors.PasswordDeleteError:
        pass
    except keyring.errors.KeyringError as exc:
        raise CredentialError(_describe(exc)) from None
