"""Removing a mailbox forgets its secrets first: a locked keyring leaves the account to retry."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest

from desktop_app.core.accounts import presets
from desktop_app.core.accounts.credentials import SERVICE
from desktop_app.core.errors import CredentialError
from desktop_app.core.mailbox import Mailbox
from tests.core.accounts.test_credentials import LockedKeyring


@pytest.fixture
def mailbox(tmp_path: Path) -> Iterator[Mailbox]:
    box = Mailbox.open(tmp_path / "data" / "shopdesk.sqlite3")
    yield box
    box.close()


def test_a_locked_keyring_keeps_the_account_to_remove_later(
    mailbox: Mailbox, keyring_backend: Any
) -> None:
    settings = presets.preset("fastmail").account("shop@fastmail.com", name="Shop")
    mailbox.add_account(settings, "app-password-1", check=False)
    keyring.set_keyring(LockedKeyring())
    with pytest.raises(CredentialError, match="keyring is locked"):
        mailbox.remove_account("Shop")
    assert [a.name for a in mailbox.accounts()] == ["Shop"]  # nothing half-removed
    keyring.set_keyring(keyring_backend)  # unlocked
    mailbox.remove_account("Shop")
    assert mailbox.accounts() == []
    assert keyring.get_password(SERVICE, settings.credential_key) is None
