"""The store: schema by migration, pragmas, byte-exact raw storage, dedup by Message-ID, FTS."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select, text

from desktop_app.core.accounts.settings import AccountSettings, ServerSettings
from desktop_app.core.errors import ConfigError, StoreError
from desktop_app.core.store import migrate, queries
from desktop_app.core.store.accounts import add_account, find_account
from desktop_app.core.store.db import Store
from desktop_app.core.store.ingest import FetchedMessage, ingest_batch
from desktop_app.core.store.models import Blob, Folder, Location, Message

RAW = (
    b"From: Anna Virtanen <anna@example.fi>\r\nTo: shop@example.com\r\n"
    b"Subject: =?utf-8?q?Tilaus_=231042_ei_ole_saapunut?=\r\n"
    b"Message-ID: <m1@example.fi>\r\nDate: Tue, 24 Nov 2026 10:00:00 +0200\r\n\r\n"
    b"Hei, missa tilaukseni viipyy? Kiitos!\r\n"
)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.open(tmp_path / "shopdesk.sqlite3")
    yield s
    s.close()


def _account(store: Store) -> tuple[int, int]:
    settings = AccountSettings(
        name="Shop",
        email="shop@example.com",
        username="shop",
        imap=ServerSettings("127.0.0.1", 143, "none"),
    )
    with store.session() as s:
        account_id = add_account(s, settings)
        folder = Folder(
            account_id=account_id, name="INBOX", role="inbox", last_uid=0, uidvalidity=7
        )
        s.add(folder)
        s.flush()
        return account_id, folder.id


def test_schema_pragmas_and_revision(store: Store) -> None:
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert migrate.current_revision(store.engine) == migrate.head_revision()


def test_old_file_is_upgraded_on_open(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    Store.open(path).close()
    store = Store.open(path)
    cfg = migrate.alembic_config()
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    store.close()
    assert migrate.current_revision(Store.open(path).engine) == migrate.head_revision()


def test_raw_bytes_kept_exactly_and_dedup_by_message_id(store: Store) -> None:
    account_id, folder_id = _account(store)
    with store.session() as s:
        r1 = ingest_batch(s, account_id, folder_id, 7, [FetchedMessage(1, RAW, ("\\Seen",))])
        # the same UID again (a re-fetch after a crash) and the same message at another UID
        r2 = ingest_batch(
            s,
            account_id,
            folder_id,
            7,
            [FetchedMessage(1, RAW, ("\\Seen",)), FetchedMessage(2, RAW)],
        )
    assert (r1.new_messages, r1.new_locations) == (1, 1)
    assert (r2.new_messages, r2.new_locations) == (0, 1)
    with store.session() as s:
        assert s.scalar(select(Blob.data)) == RAW
        msg = s.scalars(select(Message)).one()
        assert msg.subject == "Tilaus #1042 ei ole saapunut"
        assert msg.message_id == "<m1@example.fi>"
        assert len(s.scalars(select(Location)).all()) == 2


def test_full_text_search(store: Store) -> None:
    account_id, folder_id = _account(store)
    with store.session() as s:
        ingest_batch(s, account_id, folder_id, 7, [FetchedMessage(1, RAW)])
        assert [m.subject for m in queries.search(s, "tilaukseni")] == [
            "Tilaus #1042 ei ole saapunut"
        ]
        assert queries.search(s, "virtanen") and queries.search(s, "1042")
        assert queries.search(s, 'AND OR "(') == []
        assert s.execute(text("SELECT count(*) FROM messages_fts")).scalar() == 1


def test_accounts_are_unique_and_found(store: Store) -> None:
    _account(store)
    with store.session() as s:
        assert find_account(s, None).name == "Shop"
        with pytest.raises(ConfigError):
            find_account(s, "Nope")


def test_unwritable_store_is_a_plain_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError):
        Store.open(blocker / "sub" / "shopdesk.sqlite3")


def test_schema_head_constant_matches_the_migrations() -> None:
    assert migrate.head_revision() == migrate.SCHEMA_HEAD


def test_migrations_build_what_the_models_describe(store: Store) -> None:
    """Autogenerate finds nothing to add: the migrations and models.py say the same."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from desktop_app.core.store.models import Base

    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    # FTS5 tables are made by raw SQL; messages.case_id was added by a plain ADD COLUMN (0002),
    # which SQLite cannot give a foreign key without rebuilding the table.
    real = [
        d
        for d in diff
        if not (d[0] == "remove_table" and d[1].name.startswith("messages_fts"))
        and not (d[0] == "add_fk" and d[1].table.name == "messages")
    ]
    assert real == []
