"""The Sent folder over IMAP for the outbox: find it, look for a Message-ID, append a copy."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

import imapclient.exceptions
from imapclient import IMAPClient

from desktop_app.core.accounts.settings import AccountSettings
from desktop_app.core.accounts.tokens import Secret
from desktop_app.core.errors import ConnectionFailed, ServerError
from desktop_app.core.sync import connection, special_folders
from desktop_app.core.sync.folders import classify

T = TypeVar("T")

# Providers that put a copy of every message sent through their SMTP server into Sent.
FILING_HOSTS = (
    "imap.gmail.com",
    "smtp.gmail.com",
    "imap.googlemail.com",
    "smtp.googlemail.com",
    "outlook.office365.com",
    "smtp.office365.com",
    "outlook.office.com",
    "smtp-mail.outlook.com",
    "imap-mail.outlook.com",
    "smtp.live.com",
)


def provider_files_sent(settings: AccountSettings) -> bool:
    """True for Gmail and Microsoft 365 / Outlook.com: they file sent mail themselves."""
    hosts = [settings.imap.host, settings.smtp.host if settings.smtp else ""]
    return any(h.strip().lower().rstrip(".") in FILING_HOSTS for h in hosts)


class SentFolder:
    """One IMAP connection to an account's Sent folder, opened on first use."""

    def __init__(
        self,
        settings: AccountSettings,
        password: Secret,
        timeouts: connection.Timeouts = connection.DEFAULT_TIMEOUTS,
    ) -> None:
        self.settings = settings
        self.password = password
        self.timeouts = timeouts
        self._client: IMAPClient | None = None
        self._name: str | None = None

    def _open(self) -> tuple[IMAPClient, str]:
        if self._client is None or self._name is None:
            client = connection.connect_and_login(
                self.settings.imap, self.settings.username, self.password, self.timeouts
            )
            try:  # found as the replay finds Archive and Trash: made when missing
                name = special_folders.find_or_create(
                    client, classify(client.list_folders()), "sent"
                )
            except BaseException:
                connection.close(client)
                raise
            self._client, self._name = client, name
        return self._client, self._name

    def _call(self, what: str, fn: Callable[[], T]) -> T:
        host = self.settings.imap.host
        try:
            return fn()
        except (OSError, EOFError, imapclient.exceptions.IMAPClientAbortError) as exc:
            self.close()
            raise ConnectionFailed(
                f"The connection to {host} was lost ({exc or 'closed'})."
            ) from None
        except imapclient.exceptions.IMAPClientError as exc:
            raise ServerError(f"{host} refused to {what}: {exc}") from None

    def contains(self, message_id: str) -> bool:
        """Whether a message with this Message-ID is in Sent (IMAP SEARCH HEADER)."""

        def search() -> bool:
            client, name = self._open()
            client.select_folder(name, readonly=True)
            try:  # the exact Message-ID, not one that merely contains it
                return special_folders.search_message_id(client, message_id) is not None
            finally:
                special_folders.leave_folder(client)

        return self._call("search the Sent folder", search)

    def append(self, raw: bytes, when: datetime | None) -> None:
        """Put a copy into Sent, marked read."""

        def append() -> None:
            client, name = self._open()
            client.append(name, raw, flags=[imapclient.SEEN], msg_time=when)

        self._call("save a copy in the Sent folder", append)

    def close(self) -> None:
        if self._client is not None:
            connection.close(self._client)
        self._client = self._name = None
