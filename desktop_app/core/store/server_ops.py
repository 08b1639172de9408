"""The queue of server operations in the store: what is waiting, claimed, done, and where to.

The IMAP side lives in `core/sync/replay.py`; this module holds its SQL. States: pending ->
sending (claimed: the command may have gone out) -> done | conflict | failed | cancelled.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from desktop_app.core.store.accounts import utcnow
from desktop_app.core.store.models import Folder, Location, Message, ServerOp

OPEN_STATES = ("pending", "sending")  # still to do ("sending": tried, maybe done)
SERVER_KINDS = ("flags", "move", "delete")
MOVE_KINDS = ("move", "delete")
UNDO_KIND = "undo"  # an undo record: state "local", never sent


@dataclass(slots=True)
class QueuedOp:
    """One operation to replay, with where its message was when it was read from the store."""

    id: int
    kind: str
    state: str
    attempts: int
    payload: dict[str, Any]
    location_id: int | None
    message_row: int | None
    mid: str | None  # the Message-ID header
    folder: str | None
    uidvalidity: int | None
    uid: int | None

    @property
    def maybe_done(self) -> bool:
        """Tried before (a crash or an error may have left it half done)."""
        return self.state == "sending" or self.attempts > 0


@dataclass(frozen=True, slots=True)
class FolderInfo:
    """A server folder as the replay knows it, for a folder row made on the way."""

    name: str
    delimiter: str | None
    role: str | None


# -- counting --------------------------------------------------------------------------------
def pending_count(session: Session, account_id: int | None = None) -> int:
    query = (
        select(func.count())
        .select_from(ServerOp)
        .where(ServerOp.state.in_(OPEN_STATES), ServerOp.kind.in_(SERVER_KINDS))
    )
    if account_id is not None:
        query = query.where(ServerOp.account_id == account_id)
    return int(session.scalar(query) or 0)


def open_op_locations(session: Session, folder_id: int, kinds: Sequence[str]) -> set[int]:
    """Locations of a folder with an operation of these kinds still to replay."""
    return set(
        session.scalars(
            select(ServerOp.location_id)
            .join(Location, Location.id == ServerOp.location_id)
            .where(
                Location.folder_id == folder_id,
                ServerOp.kind.in_(list(kinds)),
                ServerOp.state.in_(OPEN_STATES),
            )
        )
    )


# -- reading the queue -----------------------------------------------------------------------
def load_open(session: Session, account_id: int) -> list[QueuedOp]:
    """An account's operations still to do, oldest first."""
    rows = session.execute(
        select(
            ServerOp.id,
            ServerOp.kind,
            ServerOp.state,
            ServerOp.attempts,
            ServerOp.payload,
            ServerOp.location_id,
            ServerOp.message_id,
            Message.message_id,
            Folder.name,
            Location.uidvalidity,
            Location.uid,
        )
        .outerjoin(Location, Location.id == ServerOp.location_id)
        .outerjoin(Folder, Folder.id == Location.folder_id)
        .outerjoin(Message, Message.id == ServerOp.message_id)
        .where(
            ServerOp.account_id == account_id,
            ServerOp.state.in_(OPEN_STATES),
            ServerOp.kind.in_(SERVER_KINDS),
        )
        .order_by(ServerOp.id)
    ).all()
    return [QueuedOp(r[0], r[1], r[2], r[3], json.loads(r[4] or "{}"), *r[5:]) for r in rows]


def still_open(session: Session, ids: Sequence[int]) -> set[int]:
    return set(
        session.scalars(
            select(ServerOp.id).where(ServerOp.id.in_(list(ids)), ServerOp.state.in_(OPEN_STATES))
        )
    )


def state_and_result(session: Session, op_id: int) -> tuple[str, dict[str, Any]]:
    """An operation's state and, for a move done, where it put the message."""
    row = session.get(ServerOp, op_id)
    if row is None:
        return "cancelled", {}
    return row.state, dict(json.loads(row.payload).get("result") or {})


def places(session: Session, location_ids: Sequence[int]) -> dict[int, tuple[str, int, int]]:
    """Location id -> (folder name, UIDVALIDITY, UID) as the store has them now."""
    return {
        lid: (folder, uidvalidity, uid)
        for lid, folder, uidvalidity, uid in session.execute(
            select(Location.id, Folder.name, Location.uidvalidity, Location.uid)
            .join(Folder, Folder.id == Location.folder_id)
            .where(Location.id.in_(list(location_ids)))
        )
    }


def last_move_result(session: Session, location_id: int, before: int) -> dict[str, Any] | None:
    """Where the latest move (done) of this location, queued before op `before`, put it."""
    payload = session.scalar(
        select(ServerOp.payload)
        .where(
            ServerOp.location_id == location_id,
            ServerOp.kind.in_(MOVE_KINDS),
            ServerOp.state == "done",
            ServerOp.id < before,
        )
        .order_by(ServerOp.id.desc())
        .limit(1)
    )
    result = json.loads(payload).get("result") if payload else None
    return dict(result) if result and result.get("folder") else None


# -- changing states -------------------------------------------------------------------------
def claim(session: Session, ids: Sequence[int]) -> set[int]:
    """Mark operations "sending" before their command goes out; returns those still wanted."""
    session.execute(
        update(ServerOp)
        .where(ServerOp.id.in_(list(ids)), ServerOp.state.in_(OPEN_STATES))
        .values(state="sending")
    )
    return set(
        session.scalars(
            select(ServerOp.id).where(ServerOp.id.in_(list(ids)), ServerOp.state == "sending")
        )
    )


def finish(session: Session, op_id: int, state: str, error: str = "") -> None:
    row = session.get_one(ServerOp, op_id)
    row.state, row.done_at = state, utcnow()
    if error:
        row.last_error = error


def refuse(session: Session, op_id: int, reason: str, max_attempts: int) -> str:
    """The server said no: counted, kept for the next time, given up after `max_attempts`."""
    row = session.get_one(ServerOp, op_id)
    row.attempts += 1
    row.last_error = reason
    if row.attempts < max_attempts:
        row.state = "pending"
        return row.state
    row.state, row.done_at = "failed", utcnow()
    if row.location_id is not None:  # the server kept its flags: read them all at next sync
        folder_id = session.scalar(select(Location.folder_id).where(Location.id == row.location_id))
        session.execute(update(Folder).where(Folder.id == folder_id).values(highestmodseq=None))
    return row.state


def record_move(
    session: Session,
    op: QueuedOp,
    account_id: int,
    target: FolderInfo,
    uidvalidity: int | None,
    uid: int | None,
) -> None:
    """A move done: the old place is gone; the new one is kept when the server told its UID."""
    now = utcnow()
    result: dict[str, Any] = {"folder": target.name, "uidvalidity": uidvalidity, "uid": uid}
    if op.location_id is not None:
        session.execute(
            update(Location)
            .where(Location.id == op.location_id, Location.gone_from_server.is_(False))
            .values(gone_from_server=True, gone_at=now)
        )
    if uid is not None and uidvalidity is not None and op.message_row is not None:
        restore = op.payload.get("restore_location")
        result["location_id"] = _place(
            session,
            account_id,
            target,
            op.message_row,
            (uidvalidity, uid),
            int(restore) if restore else None,
        )
    row = session.get_one(ServerOp, op.id)
    row.state, row.done_at = "done", now
    row.payload = json.dumps(json.loads(row.payload) | {"result": result})


def _place(
    s: Session,
    account_id: int,
    target: FolderInfo,
    message_row: int,
    where: tuple[int, int],
    restore: int | None,
) -> int | None:
    """A location row for the message in the target folder (made, revived or moved back)."""
    uidvalidity, uid = where
    folder_row = s.scalar(
        select(Folder).where(Folder.account_id == account_id, Folder.name == target.name)
    )
    if folder_row is None:
        folder_row = Folder(
            account_id=account_id,
            name=target.name,
            delimiter=target.delimiter,
            role=target.role,
            sync_enabled=False,
            last_uid=0,
        )
        s.add(folder_row)
        s.flush()
    existing = s.scalar(
        select(Location).where(
            Location.folder_id == folder_row.id,
            Location.uidvalidity == uidvalidity,
            Location.uid == uid,
        )
    )
    if existing is not None:
        existing.gone_from_server, existing.gone_at = False, None
        return int(existing.id)
    if restore is not None:  # moved back where it was: the old row takes the new UID
        row = s.get(Location, restore)
        if row is not None and row.folder_id == folder_row.id:
            row.uidvalidity, row.uid = uidvalidity, uid
            row.gone_from_server, row.gone_at = False, None
            return int(row.id)
    message = s.get(Message, message_row)
    if message is None:
        return None
    flags = s.scalar(
        select(Location.flags)
        .where(Location.message_id == message_row)
        .order_by(Location.id.desc())
        .limit(1)
    )
    location = Location(
        account_id=account_id,
        folder_id=folder_row.id,
        message_id=message_row,
        blob_id=message.blob_id,
        uidvalidity=uidvalidity,
        uid=uid,
        flags=flags or "",
        gone_from_server=False,
        first_seen_at=utcnow(),
    )
    s.add(location)
    s.flush()
    return int(location.id)


# -- undo --------------------------------------------------------------------------------------
def queue_reverse(session: Session, op: ServerOp, now: datetime) -> int:
    """Queue the operation that undoes `op` on the server (it may have run already)."""
    payload = json.loads(op.payload)
    location_id: int | None
    if op.kind == "flags":
        new_payload: dict[str, Any] = {
            "add": payload.get("remove", []),
            "remove": payload.get("add", []),
            "undo_of": op.id,
        }
        location_id = op.location_id
    else:
        source = session.execute(
            select(Folder.name, Location.id)
            .join(Location, Location.folder_id == Folder.id)
            .where(Location.id == op.location_id)
        ).first()
        if source is None:
            return 0
        result = payload.get("result") or {}
        if result.get("location_id"):  # hide the copy sync may show in the target folder
            session.execute(
                update(Location)
                .where(Location.id == result["location_id"])
                .values(gone_from_server=True, gone_at=now)
            )
        new_payload = {"to": source[0], "undo_of": op.id, "restore_location": source[1]}
        location_id = result.get("location_id")
    session.add(
        ServerOp(
            account_id=op.account_id,
            kind="flags" if op.kind == "flags" else "move",
            message_id=op.message_id,
            location_id=location_id,
            payload=json.dumps(new_payload),
            state="pending",
            attempts=0,
            last_error="",
            undo_group="",
            created_at=now,
        )
    )
    return 1
