"""Folders with a role on the server (Sent, Archive, Trash): found or made, and searched by
Message-ID; shared by the replay of triage and the outbox's copy into Sent."""

from __future__ import annotations

import contextlib
import email.parser
import email.policy
from typing import Any

import imapclient.exceptions
from imapclient import IMAPClient

from desktop_app.core.mail.parse import message_id_of
from desktop_app.core.sync import imap_ops
from desktop_app.core.sync.folders import KNOWN_NAMES, ServerFolder

DEFAULT_NAMES = {"archive": "Archive", "trash": "Trash", "sent": "Sent"}


def find_or_create(client: IMAPClient, folders: list[ServerFolder], role: str) -> str:
    """The folder with this role (SPECIAL-USE, else a known name), made when missing."""
    name = next((f.name for f in folders if f.role == role), None)
    if name is None:
        wanted = {n.lower() for n in KNOWN_NAMES[role]}
        name = next((f.name for f in folders if f.name.lower() in wanted), None)
    return name if name is not None else create(client, folders, DEFAULT_NAMES[role])


def create(client: IMAPClient, folders: list[ServerFolder], name: str) -> str:
    """Make a folder: at the top, else under INBOX (servers with one namespace there)."""
    inbox = next((f for f in folders if f.role == "inbox"), None)
    names = [name]
    if inbox is not None and inbox.delimiter:
        names.append(f"{inbox.name}{inbox.delimiter}{name}")
    for i, candidate in enumerate(names):
        try:
            client.create_folder(candidate)
        except imapclient.exceptions.IMAPClientAbortError:
            raise
        except imapclient.exceptions.IMAPClientError:
            if client.folder_exists(candidate):
                return candidate
            if i == len(names) - 1:
                raise
            continue
        with contextlib.suppress(imapclient.exceptions.IMAPClientError):
            client.subscribe_folder(candidate)
        return candidate
    raise AssertionError("unreachable")


def search_message_id(client: IMAPClient, mid: str | None) -> int | None:
    """The UID of the message with this Message-ID in the selected folder (the newest)."""
    if not mid:
        return None
    found = imap_ops.search_uids(client, ["HEADER", "Message-ID", mid])
    if not found:
        return None
    # SEARCH HEADER matches substrings: keep the exact ones
    data = imap_ops.uid_fetch(
        client, imap_ops.seqset(found), ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"]
    )
    exact = [uid for uid, values in data.items() if _message_id(values) == mid]
    return max(exact) if exact else None


def leave_folder(client: IMAPClient) -> None:
    """Deselect a folder opened read-only: UNSELECT where offered, else CLOSE (which expunges
    nothing in a read-only folder)."""
    if client.has_capability("UNSELECT"):
        client.unselect_folder()
    else:
        client.close_folder()


def _message_id(values: dict[bytes, Any]) -> str | None:
    for key, value in values.items():
        if key.startswith(b"BODY[HEADER.FIELDS") and isinstance(value, bytes):
            header = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(value)
            value = header.get("Message-ID")
            return message_id_of(str(value)) if value is not None else None
    return None
