"""A store is copied before a schema upgrade, put back if the upgrade fails, left alone if newer."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from desktop_app.core.errors import StoreError
from desktop_app.core.store import migrate
from desktop_app.core.store.backup import list_backups, prune, take_backup
from desktop_app.core.store.db import Store

ACCOUNT = (
    "INSERT INTO accounts (name, email, kind, allow_insecure, extra_folders, created_at) "
    "VALUES ('Shop', 'help@shop.example', 'imap', 0, '[]', '2026-01-02 03:04:05')"
)


def _at_revision(path: Path, revision: str) -> None:
    """A store file built by Alembic up to `revision` only, holding one account."""
    engine = create_engine(f"sqlite:///{path}")
    cfg = migrate.alembic_config()
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    with engine.begin() as conn:
        conn.exec_driver_sql(ACCOUNT)
    engine.dispose()


def _dump(path: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return list(conn.iterdump())


def _previous_revision() -> str:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    head = script.get_revision(migrate.head_revision())
    assert head is not None and isinstance(head.down_revision, str)
    return head.down_revision


def _sidecars(path: Path) -> list[Path]:
    return [p for p in path.parent.iterdir() if p.name.startswith(path.name + "-")]


def test_an_older_store_is_copied_then_upgraded_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "shopdesk.sqlite3"
    older = _previous_revision()
    _at_revision(path, older)
    before = _dump(path)

    store = Store.open(path)
    try:
        assert migrate.current_revision(store.engine) == migrate.head_revision()
        with store.engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT name, email FROM accounts").all()
        assert [tuple(r) for r in rows] == [("Shop", "help@shop.example")]
    finally:
        store.close()
    [copy] = list_backups(tmp_path / "backups")
    assert copy.name.startswith(f"shopdesk-{older}-") and copy.name.endswith("Z.sqlite3")
    assert _dump(copy) == before  # the copy is the store as it was before the upgrade

    Store.open(path).close()  # current now: no second copy
    assert list_backups(tmp_path / "backups") == [copy]


def test_a_new_store_is_built_without_a_copy(tmp_path: Path) -> None:
    Store.open(tmp_path / "shopdesk.sqlite3").close()
    assert not (tmp_path / "backups").exists()


def test_only_the_newest_three_copies_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "shopdesk.sqlite3"
    Store.open(path).close()
    start = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    made = [take_backup(path, "0001", start + timedelta(days=i)) for i in range(5)]
    same_second = take_backup(path, "0002", start + timedelta(days=4))
    assert len(list_backups(tmp_path / "backups")) == 6  # taking a copy deletes none
    prune(tmp_path / "backups")
    assert list_backups(tmp_path / "backups") == [made[3], made[4], same_second]
    assert not made[0].exists() and not made[2].exists()
    assert same_second.name == "shopdesk-0002-20260305T120000Z.sqlite3"


BROKEN_STEP = '''"""A step that fails halfway (test only)."""
import sqlalchemy as sa
from alembic import op

revision = "broken"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("half_done", sa.Column("id", sa.Integer(), primary_key=True))
    op.execute("UPDATE accounts SET name = 'overwritten'")
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("oops", sa.Integer(), nullable=False))  # fails: no default


def downgrade() -> None:
    pass
'''


def test_a_failed_upgrade_puts_the_store_back_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "shopdesk.sqlite3"
    _at_revision(path, migrate.head_revision())
    before_dump, before_bytes = _dump(path), path.read_bytes()
    broken = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, broken, ignore=shutil.ignore_patterns("__pycache__"))
    step = BROKEN_STEP.format(head=migrate.head_revision())
    (broken / "versions" / "9999_broken.py").write_text(step)
    monkeypatch.setattr(migrate, "MIGRATIONS", broken)
    monkeypatch.setattr(migrate, "SCHEMA_HEAD", "broken")

    with pytest.raises(StoreError) as caught:
        Store.open(path)

    [copy] = list_backups(tmp_path / "backups")
    message = str(caught.value)
    assert "put back as it was" in message and str(copy) in message
    assert "\n" not in message and "Traceback" not in message
    assert _dump(path) == before_dump
    # The same pages: only SQLite's change counter in the header may differ.
    after_bytes = path.read_bytes()
    assert len(after_bytes) == len(before_bytes) and after_bytes[100:] == before_bytes[100:]
    assert _sidecars(path) == []


def test_a_store_from_a_newer_shopdesk_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "shopdesk.sqlite3"
    _at_revision(path, migrate.head_revision())
    with contextlib.closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = 'from-the-future'")
    before = path.read_bytes()

    with pytest.raises(StoreError, match="made by a newer Shopdesk") as caught:
        Store.open(path)

    assert "from-the-future" in str(caught.value) and "\n" not in str(caught.value)
    assert path.read_bytes() == before
    assert not (tmp_path / "backups").exists()
    assert _sidecars(path) == []


def test_no_upgrade_without_a_copy(tmp_path: Path) -> None:
    path = tmp_path / "shopdesk.sqlite3"
    older = _previous_revision()
    _at_revision(path, older)
    before = _dump(path)
    (tmp_path / "backups").write_text("a file where the folder should be")

    with pytest.raises(StoreError, match="could not copy its store before updating it"):
        Store.open(path)

    assert _dump(path) == before
    engine = create_engine(f"sqlite:///{path}")
    try:
        assert migrate.current_revision(engine) == older
    finally:
        engine.dispose()
