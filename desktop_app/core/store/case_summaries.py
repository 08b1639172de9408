"""The case list's cache: per-case summaries and folders, rebuilt for the cases gone stale."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    ColumnElement,
    and_,
    delete,
    exists,
    func,
    not_,
    or_,
    select,
    text,
)
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from desktop_app.core.errors import StoreError
from desktop_app.core.store import plain
from desktop_app.core.store.db import describe_store_error
from desktop_app.core.store.models import (
    CaseFolder,
    CaseSummary,
    CaseSummaryDirty,
    Location,
    ServerOp,
)

if TYPE_CHECKING:
    from desktop_app.core.store.db import Store

CHUNK = 500


# -- times -------------------------------------------------------------------------------------
def naive_utc(moment: datetime) -> datetime:
    """The store keeps naive UTC: convert an aware time, take a naive one as UTC already."""
    if moment.tzinfo is not None:
        return moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None else None


# -- summaries ---------------------------------------------------------------------------------
_AWAY = (
    "SELECT {col} FROM server_ops WHERE state IN ('pending', 'sending')"
    " AND kind IN ('move', 'delete') AND {col} IS NOT NULL{extra}"
)
_REBUILD = (
    """
INSERT INTO case_summaries (case_id, last_at, message_count, unread, has_attachments, suggested)
SELECT m.case_id, max(m.date), count(*), sum(CASE WHEN m.seen THEN 0 ELSE 1 END),
    max(CASE WHEN m.has_attachments THEN 1 ELSE 0 END),
    max(CASE WHEN m.case_suggested THEN 1 ELSE 0 END)
FROM messages m
WHERE m.case_id IN ({which}) AND m.case_id IN (SELECT id FROM cases)
GROUP BY m.case_id
""",
    f"""
INSERT OR IGNORE INTO case_folders (folder_id, case_id)
SELECT DISTINCT l.folder_id, m.case_id
FROM messages m JOIN locations l ON l.message_id = m.id
WHERE m.case_id IN ({{which}}) AND m.case_id IN (SELECT id FROM cases)
    AND NOT l.gone_from_server
    AND l.id NOT IN ({_AWAY.format(col="location_id", extra="")})
    AND l.message_id NOT IN ({_AWAY.format(col="message_id", extra=" AND location_id IS NULL")})
""",
)


def _rebuild(session: Session, which: str) -> None:
    session.execute(text(f"DELETE FROM case_summaries WHERE case_id IN ({which})"))
    session.execute(text(f"DELETE FROM case_folders WHERE case_id IN ({which})"))
    for statement in _REBUILD:
        session.execute(text(statement.format(which=which)))


_DIRTY = "SELECT case_id FROM case_summary_dirty"
# The statements of a refresh of the stale summaries, made once (one runs at every new message)
# (plain SQL on the session's connection: see `plain`)
_ANY_DIRTY = _DIRTY + " LIMIT 1"
_REBUILD_DIRTY = (
    f"DELETE FROM case_summaries WHERE case_id IN ({_DIRTY})",
    f"DELETE FROM case_folders WHERE case_id IN ({_DIRTY})",
    *(statement.format(which=_DIRTY) for statement in _REBUILD),
)
_CLEAR_DIRTY = "DELETE FROM case_summary_dirty"


def refresh(session: Session, case_ids: Iterable[int] | None = None) -> int:
    """Rebuild the summaries of the cases marked stale (by the triggers on `messages`,
    `locations` and `server_ops`), or of `case_ids` when given; returns how many were
    rebuilt. Cheap when nothing is stale. Call it after changing those tables with the
    triggers off (they are SQLite's); `refresh_all` rebuilds everything."""
    if case_ids is None:
        if plain.scalar(session, _ANY_DIRTY) is None:
            return 0
        for statement in _REBUILD_DIRTY:
            plain.run(session, statement)
        return int(plain.run(session, _CLEAR_DIRTY).rowcount or 0)
    wanted = sorted(set(case_ids))
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        session.execute(delete(CaseSummaryDirty).where(CaseSummaryDirty.case_id.in_(chunk)))
        _rebuild(session, ", ".join(str(int(i)) for i in chunk))
    return len(wanted)


def refresh_store(store: Store) -> int:
    """`refresh` in a transaction of its own, before reading the case list (and right after
    grouping or a sync, so the next read does not pay for it); returns how many summaries
    were rebuilt.

    Looks first without locking; on SQLite the rebuild then takes the write lock at once
    (BEGIN IMMEDIATE), so a sync committing meanwhile makes it wait its turn rather than
    fail on a stale snapshot. A store still busy after the busy timeout is left as it is
    (0): the stale marks stay, and the next call catches up. Other store errors raise
    `StoreError` with a plain sentence.
    """
    try:
        return _refresh_store(store)
    except OperationalError as exc:
        message = str(exc.orig if exc.orig is not None else exc).lower()
        if "locked" in message or "busy" in message:
            return 0
        raise StoreError(describe_store_error(exc, store.path)) from exc


def _refresh_store(store: Store) -> int:
    with store.engine.connect() as conn:
        stale = conn.exec_driver_sql(_ANY_DIRTY).first() is not None
        conn.rollback()
    if not stale:
        return 0
    if store.engine.dialect.name != "sqlite":
        with store.session() as s:
            return refresh(s)
    with store.engine.connect() as conn:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            with Session(bind=conn) as session:
                count = refresh(session)
        except BaseException:
            conn.rollback()
            raise
        conn.commit()
        return count


def refresh_all(session: Session) -> int:
    """Rebuild every summary (to repair, or after bulk changes made with the triggers off)."""
    session.execute(delete(CaseSummary))
    session.execute(delete(CaseFolder))
    session.execute(delete(CaseSummaryDirty))
    for statement in _REBUILD:
        session.execute(text(statement.format(which="SELECT id FROM cases")))
    return int(session.scalar(select(func.count()).select_from(CaseSummary)) or 0)


# -- where messages are ------------------------------------------------------------------------
def live_location() -> ColumnElement[bool]:
    """A location still in its folder: not gone from the server, and no move or delete of it
    waiting in the queue of server operations (the merchant already took it away)."""
    pending_away = exists().where(
        ServerOp.state == "pending",
        ServerOp.kind.in_(("move", "delete")),
        or_(
            ServerOp.location_id == Location.id,
            and_(ServerOp.location_id.is_(None), ServerOp.message_id == Location.message_id),
        ),
    )
    return and_(Location.gone_from_server.is_(False), not_(pending_away))
