"""Bring a store file to the current schema with Alembic, on every start (backed up first)."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from desktop_app.core.errors import StoreError
from desktop_app.core.store.backup import prune, restore_backup, take_backup

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
# The newest revision under migrations/versions (a test keeps the two equal). Knowing it lets a
# current store open without importing Alembic, which costs a tenth of a second at every start.
SCHEMA_HEAD = "0010"
MIGRATE_LOCK_TIMEOUT_S = 60.0  # another process's upgrade: waited for this long
log = logging.getLogger(__name__)


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    """Every revision this version of Shopdesk has migrations for."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        try:
            value = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except OperationalError as exc:
            if "no such table" in str(exc):
                return None
            raise
        return str(value) if value is not None else None


def upgrade(engine: Engine) -> bool:
    """Upgrade to the newest schema in one transaction; True when anything was applied.

    pysqlite sends no BEGIN before DDL, so the transaction is begun here (IMMEDIATE: no other
    writer gets in between); Alembic runs inside it, so a step that fails (or a process that
    is killed) leaves nothing of any step behind. Foreign keys are off meanwhile (SQLite
    ignores that pragma inside a transaction): a rebuilt table would otherwise cascade-delete
    its children. They are checked before the commit instead.
    """
    if current_revision(engine) == SCHEMA_HEAD:
        return False
    from alembic import command

    cfg = alembic_config()
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
            if broken:
                table, rowid, parent = broken[0][:3]
                raise StoreError(
                    f"The updated store would hold {len(broken)} rows that point at nothing "
                    f"(the first: row {rowid} of {table}, in {parent})."
                )
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        finally:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()
    return True


def upgrade_store(engine: Engine, path: Path) -> bool:
    """Upgrade the store at `path`, first copying it when it holds data of an older schema.

    A new (empty) store is simply built. A store of a revision this version does not know
    was made by a newer Shopdesk: it is left untouched. When the upgrade fails, every
    connection is closed and the copy is put back, so the store is as it was before. One
    process at a time (the app, the command line) does this: `<store>.migrate.lock`.
    """
    if current_revision(engine) == SCHEMA_HEAD:
        return False
    from filelock import FileLock, Timeout

    try:
        with FileLock(f"{path}.migrate.lock", timeout=MIGRATE_LOCK_TIMEOUT_S):
            return _upgrade_store(engine, path)
    except Timeout:
        raise StoreError(
            f"Another Shopdesk is updating this store: wait for it to finish, then start "
            f"Shopdesk again ({path})."
        ) from None


def _upgrade_store(engine: Engine, path: Path) -> bool:
    current = current_revision(engine)  # again: another process may have upgraded it meanwhile
    if current == SCHEMA_HEAD:
        return False
    if current is None:
        return upgrade(engine)
    if current not in known_revisions():
        raise StoreError(
            f"This store was made by a newer Shopdesk (schema {current}): install the newest "
            f"Shopdesk to open it ({path})."
        )
    try:
        copy = take_backup(path, current)
    except (OSError, sqlite3.Error) as exc:  # a full disk is sqlite3.OperationalError here
        raise StoreError(
            f"Shopdesk could not copy its store before updating it ({_reason(exc)}), so it "
            f"left it as it was: free some space or check the folder {path.parent}."
        ) from None
    try:
        upgraded = upgrade(engine)
    except Exception as exc:
        log.error("the schema upgrade from %s failed", current, exc_info=True)
        engine.dispose()
        reason = f" ({exc.orig})" if isinstance(exc, OperationalError) else ""
        try:
            restore_backup(copy, path)
        except OSError as again:
            if _revision_on_disk(path) == current:  # rolled back: the store is as it was
                raise StoreError(
                    f"Shopdesk could not update its store to this version{reason}; the store "
                    f"was left as it was, and a copy is also kept at {copy}."
                ) from None
            raise StoreError(
                f"Shopdesk could not update its store and could not put it back "
                f"({again.strerror}): copy {copy} over {path} before starting Shopdesk again."
            ) from None
        raise StoreError(
            f"Shopdesk could not update its store to this version{reason}, so it was put back "
            f"as it was; a copy is also kept at {copy}."
        ) from None
    prune(copy.parent)  # only now: after a failed attempt every older copy is kept
    return upgraded


def _revision_on_disk(path: Path) -> str | None:
    """The store's schema revision read afresh, or None when it cannot be read."""
    try:
        with contextlib.closing(sqlite3.connect(path)) as conn:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


def _reason(exc: BaseException) -> str:
    """A few words for an OSError or an error from SQLite."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    text = str(exc)
    return "the disk is full" if "full" in text.lower() else text or type(exc).__name__
