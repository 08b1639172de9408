"""The keyring module: long secrets split under the Windows limit, locked or missing keyrings."""

from __future__ import annotations

from typing import Any

import keyring
import keyring.backend
import keyring.errors
import pytest

from desktop_app.core.accounts import credentials
from desktop_app.core.accounts.credentials import SERVICE, WINDOWS_BLOB_BYTES
from desktop_app.core.errors import CredentialError

KEY = "oauth2://microsoft/shop@contoso.example"


class LockedKeyring(keyring.backend.KeyringBackend):
    """A desktop keyring the merchant has not unlocked (what Secret Service says then)."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")


def entry_sizes(key: str) -> list[int]:
    """UTF-16 bytes of the main entry and its parts, as Windows would store them."""
    sizes = []
    first = keyring.get_password(SERVICE, key)
    assert first is not None
    sizes.append(len(first.encode("utf-16-le")))
    index = 2
    while (part := keyring.get_password(SERVICE, f"{key}#{index}")) is not None:
        sizes.append(len(part.encode("utf-16-le")))
        index += 1
    return sizes


def test_a_short_secret_is_one_entry() -> None:
    credentials.set_secret(KEY, "short-token")
    assert keyring.get_password(SERVICE, KEY) == "short-token"
    assert keyring.get_password(SERVICE, f"{KEY}#2") is None
    assert credentials.get_secret(KEY) == "short-token"


def test_a_long_refresh_token_is_split_under_the_windows_limit() -> None:
    token = "M.C5" + "x9_-" * 700 + "ä€"  # ~2.8 KB, like a Microsoft refresh token, non-ASCII
    credentials.set_secret(KEY, token)
    sizes = entry_sizes(KEY)
    assert len(sizes) == 4  # the header and three parts
    assert all(size <= WINDOWS_BLOB_BYTES for size in sizes), sizes
    assert keyring.get_password(SERVICE, KEY) != token
    assert credentials.get_secret(KEY) == token


def test_a_shorter_secret_replaces_all_parts_and_delete_removes_them() -> None:
    credentials.set_secret(KEY, "a" * 3000)
    credentials.set_secret(KEY, "b" * 1300)  # two parts now: the third must go
    assert keyring.get_password(SERVICE, f"{KEY}#4") is None
    assert credentials.get_secret(KEY) == "b" * 1300
    credentials.set_secret(KEY, "c")
    assert keyring.get_password(SERVICE, f"{KEY}#2") is None
    credentials.set_secret(KEY, "d" * 2500)
    credentials.delete_secret(KEY)
    for name in (KEY, f"{KEY}#2", f"{KEY}#3"):
        assert keyring.get_password(SERVICE, name) is None
    with pytest.raises(CredentialError, match=r"No sign-in is saved for shop@contoso\.example"):
        credentials.get_secret(KEY)


def test_a_secret_too_long_for_any_keyring_is_refused_plainly() -> None:
    secret = "z" * 20_000
    with pytest.raises(CredentialError) as info:
        credentials.set_secret(KEY, secret)
    assert "too long for the system keyring" in str(info.value)
    assert "zzzz" not in str(info.value)
    assert keyring.get_password(SERVICE, KEY) is None


def test_a_missing_part_reads_as_no_sign_in() -> None:
    credentials.set_secret(KEY, "p" * 3000)
    keyring.delete_password(SERVICE, f"{KEY}#3")
    with pytest.raises(CredentialError, match="sign in again"):
        credentials.get_secret(KEY)


def test_a_locked_keyring_asks_the_user_and_writes_no_file(tmp_path: Any) -> None:
    keyring.set_keyring(LockedKeyring())
    for call in (
        lambda: credentials.set_secret(KEY, "secret-token-123"),
        lambda: credentials.get_secret(KEY),
        lambda: credentials.delete_secret(KEY),
    ):
        with pytest.raises(CredentialError) as info:
            call()
        assert str(info.value) == "The system keyring is locked: unlock it and try again."
        assert info.value.__cause__ is None and info.value.__suppress_context__


def test_no_keyring_at_all_is_a_plain_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    with pytest.raises(CredentialError, match="No system keyring is available"):
        credentials.set_secret(KEY, "secret-token-123")


def test_a_plain_file_keyring_is_used_only_when_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND")
    with pytest.raises(CredentialError, match="No system keyring is available"):
        credentials.set_secret(KEY, "secret-token-123")
    assert keyring.get_password(SERVICE, KEY) is None
