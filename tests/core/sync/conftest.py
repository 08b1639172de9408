"""Fixtures for sync tests: a store with an account pointing at the test Dovecot."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.accounts.settings import AccountSettings, ServerSettings
from desktop_app.core.mailbox import Mailbox


def account_settings(server: Any, name: str = "Shop", **imap: Any) -> AccountSettings:
    params = {"host": server.host, "port": server.port, "security": "none"} | imap
    return AccountSettings(
        name=name, email=server.user, username=server.user, imap=ServerSettings(**params)
    )


@pytest.fixture
def mailbox(tmp_path: Path) -> Iterator[Mailbox]:
    box = Mailbox.open(tmp_path / "data" / "shopdesk.sqlite3")
    yield box
    box.close()


def make_message(i: int, size: int = 0, subject: str | None = None) -> bytes:
    body = f"Hello, where is my order #{1000 + i}? Kind regards, customer {i}\r\n"
    filler = ("x" * 70 + "\r\n") * (size // 72)
    return (
        f"From: Customer {i} <c{i}@example.com>\r\n"
        "To: merchant@shop.test\r\n"
        f"Subject: {subject or f'Order #{1000 + i}'}\r\n"
        f"Message-ID: <msg-{i}@example.com>\r\n"
        "Date: Tue, 24 Nov 2026 10:00:00 +0200\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        f"{body}{filler}"
    ).encode()


def server_state(server: Any, folder: str = "INBOX") -> set[tuple[str, str, tuple[str, ...]]]:
    """(folder, Message-ID, flags) of every message on the server, read as another client."""
    client = server.client()
    try:
        client.select_folder(folder, readonly=True)
        uids = client.search(["ALL"])
        if not uids:
            return set()
        data = client.fetch(uids, ["FLAGS", "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
    finally:
        client.logout()
    out = set()
    for values in data.values():
        header = next(v for k, v in values.items() if k.startswith(b"BODY[HEADER"))
        mid = header.decode().split(":", 1)[1].strip()
        flags = tuple(sorted(f.decode() for f in values[b"FLAGS"] if f != b"\\Recent"))
        out.add((folder, mid, flags))
    return out


def local_state(box: Mailbox, folder: str = "INBOX") -> set[tuple[str, str, tuple[str, ...]]]:
    rows = [r for r in box.export_rows() if r.folder == folder]
    keys = [(r.folder, r.message_id or "", r.flags) for r in rows]
    assert len(keys) == len(set(keys)), "duplicate rows in the local store"
    return set(keys)
