"""Open the SQLite store: WAL, foreign keys, busy timeout, schema upgraded on open (backed up)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from desktop_app.core.errors import StoreError
from desktop_app.core.store import migrate


def _set_pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def describe_store_error(exc: BaseException, path: Path | None = None) -> str:
    """A plain sentence for an error from SQLite."""
    text = str(getattr(exc, "orig", exc)).lower()
    where = f" ({path})" if path else ""
    if "disk is full" in text or "disk i/o" in text or "no space" in text:
        return f"The disk is full: free some space and try again{where}."
    if "locked" in text or "busy" in text:
        return f"The Shopdesk store is busy in another program: try again in a moment{where}."
    if "readonly" in text or "read-only" in text or "permission" in text:
        return f"The Shopdesk store cannot be written: check the folder's permissions{where}."
    if "not a database" in text or "malformed" in text:
        return f"The Shopdesk store file is damaged{where}."
    return f"The Shopdesk store could not be used: {getattr(exc, 'orig', exc)}{where}."


class Store:
    """The store file: an engine, a session factory and the schema kept current."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, path: Path) -> Store:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            message = f"Cannot create the data folder {path.parent}: {exc.strerror}"
            raise StoreError(message) from None
        engine = create_engine(f"sqlite:///{path}")
        event.listen(engine, "connect", _set_pragmas)
        try:
            migrate.upgrade_store(engine, path)
        except (OperationalError, sqlite3.DatabaseError) as exc:
            engine.dispose()
            raise StoreError(describe_store_error(exc, path)) from None
        except StoreError:
            engine.dispose()
            raise
        return cls(path, engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except SQLAlchemyError as exc:
            session.rollback()
            if isinstance(exc, OperationalError):
                raise StoreError(describe_store_error(exc, self.path)) from exc
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def close(self) -> None:
        """Refresh the query planner's statistics where they went stale, then let go."""
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA optimize")
        except (OperationalError, sqlite3.DatabaseError):
            pass  # a busy or read-only store: the statistics wait for the next time
        self.engine.dispose()
