"""The one place that touches secrets: passwords and tokens in the OS keyring, never elsewhere."""

from __future__ import annotations

import contextlib
import os

import keyring
import keyring.errors

from desktop_app.core.errors import CredentialError

SERVICE = "Shopdesk"
# Windows Credential Manager keeps at most 2560 bytes per entry, which keyring fills with UTF-16
# (1280 characters). Longer secrets (Microsoft refresh tokens run to ~2 KB) are split into
# parts of at most PART_CHARS, under "<key>#2", "<key>#3", ...; the first entry says how many.
WINDOWS_BLOB_BYTES = 2560
PART_CHARS = 1200
MAX_PARTS = 8
_SPLIT = "shopdesk-split:"

_NO_KEYRING = (
    "No system keyring is available to keep your password safe. On a desktop, unlock or install "
    "your keyring (GNOME Keyring, KWallet, macOS Keychain, Windows Credential Manager); on a "
    "headless machine choose a backend with PYTHON_KEYRING_BACKEND."
)


class MissingSecret(CredentialError):
    """The keyring works but holds no such secret (or only part of it)."""


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


def utf16_units(text: str) -> int:
    """How many UTF-16 code units `text` takes (what a Windows credential blob holds)."""
    return len(text.encode("utf-16-le")) // 2


def split_secret(secret: str) -> list[str]:
    """The entries a secret is stored as: itself when it fits one credential, else a header
    and parts; raises CredentialError when even MAX_PARTS parts cannot hold it."""
    if utf16_units(secret) <= PART_CHARS:
        return [secret]
    parts: list[str] = []
    current = ""
    for char in secret:
        if utf16_units(current + char) > PART_CHARS:
            parts.append(current)
            current = ""
        current += char
    parts.append(current)
    if len(parts) > MAX_PARTS:
        raise CredentialError(
            f"This secret is too long for the system keyring ({len(secret)} characters; at "
            f"most {PART_CHARS * MAX_PARTS} fit): nothing was saved."
        )
    return [f"{_SPLIT}{len(parts)}", *parts]


def _part_key(key: str, index: int) -> str:
    return f"{key}#{index}"


def set_secret(key: str, secret: str) -> None:
    """Store a secret (in parts when long); raises CredentialError with a plain sentence
    (never the secret)."""
    _check_backend()
    entries = split_secret(secret)
    try:
        old = keyring.get_password(SERVICE, key)
        if len(entries) == 1:
            keyring.set_password(SERVICE, key, secret)
        else:
            for index, part in enumerate(entries[1:], start=2):
                keyring.set_password(SERVICE, _part_key(key, index), part)
            keyring.set_password(SERVICE, key, entries[0])
        # parts a longer secret left behind
        first_stale = len(entries) + 1 if len(entries) > 1 else 2
        for index in range(first_stale, _count(old) + 2):
            _forget(_part_key(key, index))
    except keyring.errors.KeyringError as exc:
        raise CredentialError(_describe(exc)) from None


def _count(value: str | None) -> int:
    """The number of parts a stored header announces (0 for a secret kept whole)."""
    if value is None or not value.startswith(_SPLIT):
        return 0
    try:
        return min(int(value[len(_SPLIT) :]), MAX_PARTS)
    except ValueError:
        return 0


def _missing(key: str) -> MissingSecret:
    where = key.split("://", 1)[-1]
    if key.startswith("oauth2://"):
        return MissingSecret(
            f"No sign-in is saved for {where.split('/', 1)[-1]}: sign in again "
            "(`shopdesk account signin NAME`)."
        )
    return MissingSecret(
        f"No password is saved for {where}: set it with `shopdesk account password NAME`."
    )


def get_secret(key: str) -> str:
    """Read a secret; raises CredentialError when the keyring is unusable or holds none."""
    _check_backend()
    try:
        value = keyring.get_password(SERVICE, key)
        if value is None:
            raise _missing(key)
        count = _count(value)
        if count:
            parts = [keyring.get_password(SERVICE, _part_key(key, i)) for i in range(2, count + 2)]
            if any(p is None for p in parts):
                raise _missing(key)
            value = "".join(str(p) for p in parts)
    except keyring.errors.KeyringError as exc:
        raise CredentialError(_describe(exc)) from None
    return str(value)


def _forget(key: str) -> None:
    with contextlib.suppress(keyring.errors.PasswordDeleteError):
        keyring.delete_password(SERVICE, key)


def delete_secret(key: str) -> None:
    """Forget a secret and its parts; missing entries are fine."""
    try:
        count = _count(keyring.get_password(SERVICE, key))
        _forget(key)
        for index in range(2, count + 2):
            _forget(_part_key(key, index))
    except keyring.errors.KeyringError as exc:
        raise CredentialError(_describe(exc)) from None
