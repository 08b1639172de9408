"""Importing files: corpus messages stored byte for byte, problems kept; re-import adds nothing."""

from __future__ import annotations

import hashlib
import mailbox as stdlib_mailbox
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop_app.core.store import queries
from desktop_app.core.store.db import Store
from desktop_app.core.store.file_import import import_path
from desktop_app.core.store.models import Blob, Message

NOT_MAIL = {"README", "README.md", "COPYING-GPL-3", "LICENSE"}


def _corpus_files(corpora: Path) -> list[Path]:
    files = []
    for folder in ("cpython-test-email", "flanker-messages", "notmuch/corpora"):
        for path in sorted((corpora / folder).rglob("*")):
            if path.is_file() and path.name not in NOT_MAIL and path.suffix != ".json":
                files.append(path)
    return files


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.open(tmp_path / "shopdesk.sqlite3")
    yield s
    s.close()


def test_every_corpus_file_is_stored_byte_for_byte(corpora: Path, store: Store) -> None:
    files = _corpus_files(corpora)
    assert len(files) > 150
    for path in files:
        report = import_path(store, path)
        assert report.read >= 1, path
    with store.session() as s:
        stored = set(s.scalars(select(Blob.sha256)))
        problems = s.scalar(select(Message.problems).where(Message.problems != "").limit(1))
    for path in files:
        raw = path.read_bytes()
        if raw.startswith(b"From "):
            continue  # an mbox: its messages are stored without the envelope line
        assert hashlib.sha256(raw).hexdigest() in stored, f"{path} not stored byte for byte"
    assert problems, "broken corpus messages should record their problems"


def test_folder_import_is_idempotent(corpora: Path, store: Store) -> None:
    first = import_path(store, corpora / "notmuch" / "corpora" / "default")
    again = import_path(store, corpora / "notmuch" / "corpora" / "default")
    assert first.read == again.read > 50
    assert first.new_messages > 50
    assert again.new_messages == again.new_locations == 0
    assert again.already_there == again.read


def test_mbox_and_maildir_flags(tmp_path: Path, store: Store) -> None:
    box = stdlib_mailbox.mbox(tmp_path / "Sent.mbox")
    box.add(b"From: shop@example.com\nSubject: Re: Order #1\nMessage-ID: <a@x>\n\nThanks\n")
    box.add(b"From: shop@example.com\nSubject: Re: Order #2\nMessage-ID: <b@x>\nStatus: RO\n\nOk\n")
    box.flush()
    report = import_path(store, tmp_path / "Sent.mbox")
    assert (report.read, report.new_messages) == (2, 2)
    with store.session() as s:
        rows = {r.subject: r for r in queries.export_rows(s)}
    assert set(rows) == {"Re: Order #1", "Re: Order #2"}
    assert rows["Re: Order #2"].flags == ("\\Seen",) and rows["Re: Order #1"].flags == ()
    assert {r.folder for r in rows.values()} == {"Sent"}
