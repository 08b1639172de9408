"""A schema upgrade is one transaction with foreign keys off: all of it or none, no cascades."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, event

from desktop_app.core.errors import StoreError
from desktop_app.core.mailbox import Mailbox
from desktop_app.core.store import migrate
from desktop_app.core.store.backup import list_backups, take_backup
from desktop_app.core.store.db import Store, _set_pragmas

HEAD, HEAD_MIGRATIONS = migrate.SCHEMA_HEAD, migrate.MIGRATIONS
HALF_DONE = '''"""Fails after a new table and a new column (test only)."""
import sqlalchemy as sa
from alembic import op

revision = "probe"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("half_done", sa.Column("id", sa.Integer(), primary_key=True))
    op.add_column("accounts", sa.Column("half_column", sa.Integer(), nullable=True))
    op.execute("UPDATE accounts SET name = 'overwritten'")
    op.execute("SELECT * FROM no_such_table")  # fails


def downgrade() -> None:
    pass
'''

REBUILD_CASES = '''"""Rebuilds the cases table, as a batch migration on SQLite does (test only)."""
import sqlalchemy as sa
from alembic import op

revision = "probe"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases", recreate="always") as batch:
        batch.add_column(sa.Column("probe", sa.Integer(), nullable=True))


def downgrade() -> None:
    pass
'''


def _with_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str) -> None:
    """The real migrations plus `step` as the new head."""
    folder = tmp_path / f"migrations-{abs(hash(step))}"
    shutil.copytree(HEAD_MIGRATIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / "9999_probe.py").write_text(step.format(head=HEAD))
    monkeypatch.setattr(migrate, "MIGRATIONS", folder)
    monkeypatch.setattr(migrate, "SCHEMA_HEAD", "probe")


def _demo_store(path: Path) -> None:
    mailbox = Mailbox.open(path)
    try:
        assert mailbox.load_demo() > 0
    finally:
        mailbox.close()


def _engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _set_pragmas)  # foreign keys on, as the app opens it
    return engine


def _query(path: Path, sql: str) -> list[tuple[object, ...]]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql).fetchall()


def test_a_step_that_fails_leaves_no_trace_even_before_any_restore(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "shopdesk.sqlite3"
    _demo_store(path)
    names_before = _query(path, "SELECT name FROM accounts")
    _with_step(tmp_path, monkeypatch, HALF_DONE)
    engine = _engine(path)
    try:
        with pytest.raises(Exception, match="no_such_table"):
            migrate.upgrade(engine)  # no backup, no restore: only the transaction
        assert migrate.current_revision(engine) == HEAD
        with engine.connect() as conn:  # the pooled connection has its foreign keys back
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()
    assert _query(path, "SELECT name FROM sqlite_master WHERE name = 'half_done'") == []
    columns = [row[1] for row in _query(path, "PRAGMA table_info(accounts)")]
    assert "half_column" not in columns
    assert _query(path, "SELECT name FROM accounts") == names_before


def test_rebuilding_a_parent_table_keeps_its_children(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "shopdesk.sqlite3"
    _demo_store(path)
    children = ("case_summaries", "case_folders")
    before = {t: _query(path, f"SELECT * FROM {t} ORDER BY 1, 2") for t in children}
    assert all(before.values())
    _with_step(tmp_path, monkeypatch, REBUILD_CASES)

    Store.open(path).close()

    assert _query(path, "SELECT version_num FROM alembic_version") == [("probe",)]
    assert "probe" in [row[1] for row in _query(path, "PRAGMA table_info(cases)")]
    assert {t: _query(path, f"SELECT * FROM {t} ORDER BY 1, 2") for t in children} == before
    assert _query(path, "PRAGMA foreign_key_check") == []


def test_a_failed_upgrade_is_put_back_and_keeps_every_older_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "shopdesk.sqlite3"
    _demo_store(path)
    start = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    older = [take_backup(path, "0009", start + timedelta(days=i)) for i in range(3)]
    before = _query(path, "SELECT * FROM cases ORDER BY id")
    _with_step(tmp_path, monkeypatch, HALF_DONE)

    for _attempt in range(3):  # a merchant starting the app again and again
        with pytest.raises(StoreError, match="put back as it was"):
            Store.open(path)

    copies = list_backups(tmp_path / "backups")
    assert copies[:3] == older and len(copies) == 6  # nothing pruned after a failure
    assert _query(path, "SELECT * FROM cases ORDER BY id") == before
    assert _query(path, "SELECT version_num FROM alembic_version") == [(HEAD,)]

    _with_step(tmp_path, monkeypatch, REBUILD_CASES)  # the next version's step works
    Store.open(path).close()
    assert len(list_backups(tmp_path / "backups")) == 3  # pruned after the success


def test_a_full_disk_during_the_copy_is_said_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "shopdesk.sqlite3"
    _demo_store(path)
    _with_step(tmp_path, monkeypatch, REBUILD_CASES)

    def disk_full(store: Path, revision: str) -> Path:
        raise sqlite3.OperationalError("database or disk is full")  # what the backup API raises

    monkeypatch.setattr(migrate, "take_backup", disk_full)
    with pytest.raises(StoreError) as caught:
        Store.open(path)
    assert str(caught.value) == (
        "Shopdesk could not copy its store before updating it (the disk is full), so it left "
        f"it as it was: free some space or check the folder {tmp_path}."
    )
    assert _query(path, "SELECT version_num FROM alembic_version") == [(HEAD,)]


def test_a_failed_restore_after_a_rolled_back_upgrade_says_the_store_is_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "shopdesk.sqlite3"
    _demo_store(path)
    before = _query(path, "SELECT * FROM cases ORDER BY id")
    _with_step(tmp_path, monkeypatch, HALF_DONE)

    def no_space(backup: Path, store: Path) -> None:
        raise OSError(28, "No space left on device")  # the copy back needs a whole store's room

    monkeypatch.setattr(migrate, "restore_backup", no_space)
    with pytest.raises(StoreError, match="the store was left as it was") as caught:
        Store.open(path)
    assert "copy " not in str(caught.value).split(";")[0]  # no instruction to copy files by hand
    assert _query(path, "SELECT * FROM cases ORDER BY id") == before
    assert _query(path, "SELECT version_num FROM alembic_version") == [(HEAD,)]
