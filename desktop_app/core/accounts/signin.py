"""Add an OAuth mailbox, or renew its sign-in: check the servers, then keep the refresh token."""

from __future__ import annotations

from desktop_app.core.accounts import tokens
from desktop_app.core.accounts.oauth import TokenSet
from desktop_app.core.accounts.settings import AccountSettings
from desktop_app.core.errors import ConfigError
from desktop_app.core.store.accounts import add_account
from desktop_app.core.store.db import Store
from desktop_app.core.sync import connection


def probe(settings: AccountSettings, fresh: TokenSet) -> int:
    """Sign in to IMAP with a fresh sign-in and count the folders (network thread only)."""
    client = connection.connect_and_login(
        settings.imap, settings.username, tokens.OAuthLogin(settings, fresh)
    )
    try:
        return len(client.list_folders())
    finally:
        connection.close(client)


def add_signed_in(
    store: Store, settings: AccountSettings, fresh: TokenSet, check: bool = True
) -> int:
    """Save an OAuth account; its refresh token goes to the keyring and nowhere else."""
    settings.check()
    if not settings.uses_oauth:
        raise ConfigError(f"{settings.name} does not sign in with OAuth.")
    if check:
        probe(settings, fresh)
    with store.session() as s:
        account_id = add_account(s, settings)
        tokens.save_sign_in(settings, fresh)  # a keyring refusal rolls the row back
    return account_id


def renew(settings: AccountSettings, fresh: TokenSet, check: bool = True) -> None:
    """Replace the saved sign-in of an OAuth account (after "Sign in again")."""
    if not settings.uses_oauth:
        raise ConfigError(
            f"{settings.name} signs in with a password: use `shopdesk account password`."
        )
    if check:
        probe(settings, fresh)
    tokens.forget(settings.credential_key)
    tokens.save_sign_in(settings, fresh)
