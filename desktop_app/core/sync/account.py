"""Sync one account: connect, find its folders, sync each folder, report."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import imapclient.exceptions
from imapclient import IMAPClient
from sqlalchemy import select, update

from desktop_app.core.accounts.settings import AccountSettings
from desktop_app.core.accounts.tokens import Secret, login_secret
from desktop_app.core.errors import ConnectionFailed, ServerError
from desktop_app.core.replies.outbox_store import OUTBOX_FOLDER
from desktop_app.core.store.accounts import utcnow
from desktop_app.core.store.db import Store
from desktop_app.core.store.models import Folder, Location
from desktop_app.core.store.new_mail import settle_new_mail
from desktop_app.core.sync import connection, imap_ops
from desktop_app.core.sync.engine import FolderReport, FolderSync, Progress, _no_progress
from desktop_app.core.sync.folders import ServerFolder, classify, folders_to_sync
from desktop_app.core.sync.replay import Replayer, ReplayReport

log = logging.getLogger(__name__)

PasswordSource = Callable[[AccountSettings], Secret]


def keyring_password(settings: AccountSettings) -> Secret:
    """The keyring password, or the OAuth sign-in of an OAuth account."""
    return login_secret(settings)


@dataclass(slots=True)
class SyncReport:
    """What a sync of one account did, folder by folder."""

    account: str
    folders: list[FolderReport] = field(default_factory=list)
    replay: ReplayReport = field(default_factory=ReplayReport)  # the merchant's changes sent

    @property
    def new_messages(self) -> int:
        return sum(f.new_messages for f in self.folders)

    @property
    def gone(self) -> int:
        return sum(f.gone for f in self.folders)

    @property
    def flags_changed(self) -> int:
        return sum(f.flags_changed for f in self.folders)

    @property
    def problems(self) -> int:
        return sum(f.problems for f in self.folders)

    def summary(self) -> str:
        return (
            f"{self.account}: {self.new_messages} new, {self.flags_changed} flag changes, "
            f"{self.gone} gone from the server, {self.problems} with parse problems, "
            f"{len(self.folders)} folders"
            + (f", {self.skipped} could not be fetched (see the log)" if self.skipped else "")
            + (f", {self.replay.done} of your changes sent" if self.replay.done else "")
            + (
                f", {self.replay.conflicts} changes already made elsewhere"
                if self.replay.conflicts
                else ""
            )
            + (f", {self.replay.failed} changes refused" if self.replay.failed else "")
        )

    @property
    def skipped(self) -> int:
        return sum(len(f.skipped_uids) for f in self.folders)


class AccountSync:
    """Owns one IMAP connection (one per thread) and syncs an account's folders over it."""

    def __init__(
        self,
        store: Store,
        settings: AccountSettings,
        password: PasswordSource = keyring_password,
        progress: Progress = _no_progress,
        timeouts: connection.Timeouts = connection.DEFAULT_TIMEOUTS,
    ) -> None:
        if settings.id is None:
            raise ValueError("account must be stored before syncing")
        self.store = store
        self.settings = settings
        self.password = password
        self.progress = progress
        self.timeouts = timeouts
        self.client: IMAPClient | None = None
        self.caps: set[str] = set()

    def connect(self) -> IMAPClient:
        secret = self.password(self.settings)
        client = connection.connect_and_login(
            self.settings.imap, self.settings.username, secret, self.timeouts
        )
        caps = imap_ops.capabilities(client)
        try:
            if "QRESYNC" in caps:
                client.enable("QRESYNC")
            elif "CONDSTORE" in caps and "ENABLE" in caps:
                client.enable("CONDSTORE")
        except imapclient.exceptions.IMAPClientError:
            caps -= {"QRESYNC"}
        self.client, self.caps = client, caps
        return client

    def close(self) -> None:
        if self.client is not None:
            connection.close(self.client)
            self.client = None

    def server_folders(self) -> list[ServerFolder]:
        assert self.client is not None
        folders = classify(self.client.list_folders())
        self._mark_missing_folders({f.name for f in folders})
        return folders

    def _mark_missing_folders(self, names: set[str]) -> None:
        """Folders deleted or renamed on the server stay here, marked gone with their mail."""
        with self.store.session() as s:
            gone = list(
                s.scalars(
                    select(Folder.id).where(
                        Folder.account_id == self.settings.id,
                        Folder.name.not_in(names),
                        Folder.name != OUTBOX_FOLDER,  # local only: replies not yet in Sent
                        Folder.gone_from_server.is_(False),
                    )
                )
            )
            if not gone:
                return
            s.execute(update(Folder).where(Folder.id.in_(gone)).values(gone_from_server=True))
            s.execute(
                update(Location)
                .where(Location.folder_id.in_(gone), Location.gone_from_server.is_(False))
                .values(gone_from_server=True, gone_at=utcnow())
            )

    def sync(self, only: list[str] | None = None) -> SyncReport:
        """Sync INBOX, Sent and chosen folders (or just `only`); connects when needed."""
        report = SyncReport(self.settings.name)
        host = self.settings.imap.host
        try:
            if self.client is None:
                self.connect()
            listed = self.server_folders()
            assert self.client is not None and self.settings.id is not None
            # the merchant's offline changes first, so the server's flags do not undo them
            report.replay = Replayer(
                self.store, self.client, self.settings.id, self.caps, listed
            ).run()
            chosen = folders_to_sync(listed, self.settings.extra_folders)
            if only is not None:
                chosen = [f for f in chosen if f.name in only]
            engine = FolderSync(self.store, self.client, self.settings.id, self.caps, self.progress)
            for folder in chosen:
                report.folders.append(engine.run(folder))
            settle_new_mail(self.store)  # its case, reopened cases, intents, the case list
        except (OSError, EOFError, imapclient.exceptions.IMAPClientAbortError) as exc:
            self.close()
            raise ConnectionFailed(
                f"The connection to {host} was lost ({exc or 'closed'}). "
                "Run sync again: it continues where it stopped."
            ) from None
        except imapclient.exceptions.IMAPClientError as exc:
            self.close()
            raise ServerError(f"{host} refused a command during sync: {exc}") from None
        return report

    def known_folders(self) -> list[str]:
        with self.store.session() as s:
            return list(s.scalars(select(Folder.name).where(Folder.account_id == self.settings.id)))
