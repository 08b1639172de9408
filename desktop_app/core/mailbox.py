"""The facade the CLI and the UI use: one object over the store, accounts and sync."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.core.accounts import credentials
from desktop_app.core.accounts.settings import AccountSettings
from desktop_app.core.store import queries
from desktop_app.core.store.accounts import (
    add_account,
    find_account,
    list_accounts,
    remove_account,
)
from desktop_app.core.store.db import Store
from desktop_app.core.sync import connection
from desktop_app.core.sync.account import AccountSync, SyncReport
from desktop_app.core.sync.engine import Progress, _no_progress

if TYPE_CHECKING:
    from desktop_app.core.store.file_import import ImportReport


class Mailbox:
    """Everything Shopdesk keeps, behind one object; hand it to the CLI or the UI."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @classmethod
    def open(cls, path: Path) -> Mailbox:
        return cls(Store.open(path))

    def close(self) -> None:
        self.store.close()

    # accounts
    def add_account(self, settings: AccountSettings, password: str, check: bool = True) -> int:
        """Check the login (unless told not to), keep the password in the keyring, save."""
        settings.check()
        if check:
            client = connection.connect_and_login(settings.imap, settings.username, password)
            connection.close(client)
        with self.store.session() as s:
            account_id = add_account(s, settings)
            credentials.set_secret(settings.credential_key, password)
        return account_id

    def set_password(self, name: str, password: str, check: bool = True) -> None:
        """Replace the keyring entry of an account, after checking the login."""
        settings = self.account(name)
        if check:
            connection.close(
                connection.connect_and_login(settings.imap, settings.username, password)
            )
        credentials.set_secret(settings.credential_key, password)

    def remove_account(self, name: str) -> None:
        """Forget an account: its local mail, its settings and its password."""
        settings = self.account(name)
        with self.store.session() as s:
            remove_account(s, name)
        credentials.delete_secret(settings.credential_key)

    def accounts(self) -> list[AccountSettings]:
        with self.store.session() as s:
            return list_accounts(s)

    def account(self, name: str | None) -> AccountSettings:
        with self.store.session() as s:
            return find_account(s, name, kind=None if name else "imap")

    # sync
    def sync(self, name: str | None = None, progress: Progress = _no_progress) -> SyncReport:
        """Sync one account (the only one when no name is given)."""
        return self.sync_account(self.account(name), progress)

    def sync_account(
        self, settings: AccountSettings, progress: Progress = _no_progress
    ) -> SyncReport:
        syncer = AccountSync(self.store, settings, progress=progress)
        try:
            return syncer.sync()
        finally:
            syncer.close()

    def mail_accounts(self) -> list[AccountSettings]:
        """The accounts that sync with a server (not imported mail or the demo shop)."""
        return [a for a in self.accounts() if a.kind == "imap"]

    # files
    def import_path(
        self, path: Path, progress: Callable[[int], None] | None = None
    ) -> ImportReport:
        from desktop_app.core.store.file_import import import_path

        return import_path(self.store, path, progress)

    # reading
    def search(self, text: str, limit: int = 200) -> list[queries.MessageSummary]:
        with self.store.session() as s:
            return queries.search(s, text, limit)

    def stats(self) -> dict[str, int]:
        with self.store.session() as s:
            return queries.stats(s)

    def export_rows(self, include_gone: bool = False) -> Iterator[queries.ExportRow]:
        with self.store.session() as s:
            yield from queries.export_rows(s, include_gone)
