"""Plain SQL on the session's own SQLite connection, for statements that run at every message.

Assigning one new message takes a few dozen small statements; through SQLAlchemy each costs
30-100 µs more than SQLite itself needs (about a third of the whole assignment), so the
per-message paths hand their statements straight to the `sqlite3` connection of the session,
inside its transaction. Parameters are named (`:name`); a list or tuple value expands in place
(`id IN (:ids)`, an empty one included), and a datetime is written the way SQLAlchemy writes a
`DateTime` column, so rows written either way compare and sort alike. Datetime columns come back
as text: `to_datetime` reads them.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any, cast

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

CHUNK = 400  # values bound at once to a list parameter


def connection(session: Session) -> sqlite3.Connection:
    """The `sqlite3` connection under the session's transaction (begun if need be), with
    what the session's ORM objects hold written first (as a query through the session would)."""
    if session.autoflush:
        session.flush()  # nothing to do, and cheap, when no ORM object changed
    return cast(sqlite3.Connection, session.connection().connection.driver_connection)


def run(session: Session, sql: str, params: Mapping[str, Any] | None = None) -> sqlite3.Cursor:
    """Execute `sql` with named parameters in the session's transaction."""
    values: dict[str, Any] = {}
    if params:
        lists = tuple((k, len(v)) for k, v in params.items() if isinstance(v, (list, tuple)))
        for key, value in params.items():
            if isinstance(value, (list, tuple)):
                values.update((f"{key}_{i}", _param(v)) for i, v in enumerate(value))
            else:
                values[key] = _param(value)
        sql = _expanded(sql, lists) if lists else sql
    try:
        return connection(session).execute(sql, values)
    except sqlite3.Error as exc:
        raise _as_sqlalchemy(sql, exc) from exc


def run_many(session: Session, sql: str, rows: Sequence[Sequence[Any]]) -> None:
    """Execute `sql` (`?` parameters) once per row, in the session's transaction."""
    if rows:
        try:
            connection(session).executemany(sql, rows)
        except sqlite3.Error as exc:
            raise _as_sqlalchemy(sql, exc) from exc


def rows_for(
    session: Session,
    sql: str,
    name: str,
    values: Sequence[Any],
    params: Mapping[str, Any] | None = None,
    size: int = CHUNK,
) -> Iterator[Any]:
    """The rows of `sql` for all `values`, bound to its list parameter `name` a chunk of `size`
    at a time (SQLite limits the parameters of one statement)."""
    for start in range(0, len(values), size):
        yield from rows(session, sql, {**(params or {}), name: list(values[start : start + size])})


def rows(session: Session, sql: str, params: Mapping[str, Any] | None = None) -> list[Any]:
    cursor = run(session, sql, params)
    try:
        return cursor.fetchall()
    except sqlite3.Error as exc:
        raise _as_sqlalchemy(sql, exc) from exc


def scalar(session: Session, sql: str, params: Mapping[str, Any] | None = None) -> Any:
    cursor = run(session, sql, params)
    try:
        found = cursor.fetchone()
    except sqlite3.Error as exc:
        raise _as_sqlalchemy(sql, exc) from exc
    return None if found is None else found[0]


def _as_sqlalchemy(sql: str, exc: sqlite3.Error) -> Exception:
    """SQLite's error as SQLAlchemy raises it (OperationalError for a locked store or a full
    disk ...), so that the store's handlers turn it into the same plain sentence; the
    parameters (customers' addresses, say) are left out of its text."""
    error = DBAPIError.instance(sql, None, exc, sqlite3.Error, hide_parameters=True)
    return cast(Exception, error)


def as_text(value: datetime) -> str:
    """A datetime as SQLAlchemy stores a `DateTime` column in SQLite."""
    return (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d} {value.hour:02d}:"
        f"{value.minute:02d}:{value.second:02d}.{value.microsecond:06d}"
    )


def to_datetime(value: str | None) -> datetime | None:
    """A `DateTime` column's text as a datetime (None stays None)."""
    return None if value is None else datetime.fromisoformat(value)


def _param(value: Any) -> Any:
    """A value as SQLAlchemy would write it: datetimes and dates as its text, Decimals as
    text (sqlite3's own adapters are deprecated, or refuse them)."""
    if isinstance(value, datetime):
        return as_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


@lru_cache(maxsize=512)
def _expanded(sql: str, lists: tuple[tuple[str, int], ...]) -> str:
    for name, count in lists:
        sql = re.sub(rf":{name}\b", ", ".join(f":{name}_{i}" for i in range(count)), sql)
    return sql
