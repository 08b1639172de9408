"""Triage in the store: local changes at once, the server operations they need, and undo.

One merchant action is one `Action`: it records the values it replaces (the undo record, a
`server_ops` row of kind "undo" and state "local" that is never sent), changes the rows, and
queues the operations the server must learn of. Its `undo_group` token ties them together.

Choices made here:
- Star: `cases.starred`, and \\Flagged on the case's newest message from the customer (the
  newest message when all are ours), so the phone shows one flag per case. Unstar clears the
  star and \\Flagged on every message of the case.
- Archive and delete move only what sits in the inbox (folder role "inbox"): the merchant's
  own replies stay in Sent. Until the move is replayed, the inbox location is hidden
  (`gone_from_server`), which is what the next sync will find anyway.
- Mail of accounts that do not sync (kind local or demo) changes locally only.
- Undo restores the case fields, read and starred, tags, notes and hidden locations; flags on
  locations are restored by applying the reverse change, so flags another client set meanwhile
  stay. `touched_at` stays set: the merchant handled the case.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.orm import Session

from desktop_app.core.store import shop_settings
from desktop_app.core.store.accounts import utcnow
from desktop_app.core.store.case_list import is_ours
from desktop_app.core.store.models import (
    Account,
    Case,
    CaseNote,
    CaseTag,
    Folder,
    Location,
    Message,
    ServerOp,
)
from desktop_app.core.store.server_ops import OPEN_STATES, UNDO_KIND, queue_reverse

STATUSES = ("open", "waiting", "done")
UNDO_KEEP = 200  # undo records kept; older actions can no longer be undone
CHUNK = 400
SEEN = "\\Seen"
FLAGGED = "\\Flagged"
_CASE_FIELDS = ("status", "snoozed_until", "starred", "status_changed_at")


@dataclass(frozen=True, slots=True)
class ActionResult:
    """What an action changed (turned into `triage.Changes` by the caller)."""

    case_ids: tuple[int, ...]
    message_ids: tuple[int, ...]
    undo_token: str | None
    server_ops: int


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    items = list(ids)
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _from_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def flags_with(text: str, add: Iterable[str] = (), remove: Iterable[str] = ()) -> str:
    """A location's flags text with flags added and removed (sorted, as sync writes it)."""
    names = set(text.split()) | set(add)
    return " ".join(sorted(names - set(remove)))


class Action:
    """One merchant action in one session: records what it replaces, changes, queues."""

    def __init__(self, session: Session, description: str) -> None:
        self.s = session
        self.description = description
        self.token = uuid.uuid4().hex
        self.now = utcnow()
        self.cases: dict[int, dict[str, Any]] = {}
        self.messages: dict[int, dict[str, bool]] = {}
        self.locations: dict[int, dict[str, Any]] = {}  # flags added/removed, hidden
        self.tags_added: list[tuple[int, str]] = []
        self.tags_removed: list[tuple[int, str]] = []
        self.notes_added: list[int] = []
        self.message_ids: set[int] = set()
        self.ops = 0
        self._accounts: dict[int, str] = dict(
            session.execute(select(Account.id, Account.kind)).all()
        )
        self._case_accounts: dict[int, int] = {}

    # -- cases -------------------------------------------------------------------------------
    def load_cases(self, case_ids: Sequence[int]) -> list[int]:
        """Record the cases' fields and mark them touched; returns the ids that exist."""
        wanted = [c for c in dict.fromkeys(case_ids) if c not in self.cases]
        for chunk in _chunks(wanted):
            for row in self.s.scalars(select(Case).where(Case.id.in_(chunk))):
                self.cases[row.id] = {
                    "status": row.status,
                    "snoozed_until": _iso(row.snoozed_until),
                    "starred": row.starred,
                    "status_changed_at": _iso(row.status_changed_at),
                }
                self._case_accounts[row.id] = row.account_id
        found = [c for c in dict.fromkeys(case_ids) if c in self.cases]
        for chunk in _chunks(found):
            self.s.execute(update(Case).where(Case.id.in_(chunk)).values(touched_at=self.now))
        return found

    def set_cases(self, case_ids: Sequence[int], **values: Any) -> list[int]:
        ids = self.load_cases(case_ids)
        if "status" in values:
            values["status_changed_at"] = self.now
        for chunk in _chunks(ids):
            self.s.execute(update(Case).where(Case.id.in_(chunk)).values(**values))
        return ids

    def case_messages(self, case_ids: Sequence[int]) -> list[tuple[int, int, str, datetime | None]]:
        """(message id, account id, from address, date) of the cases' messages."""
        rows: list[tuple[int, int, str, datetime | None]] = []
        for chunk in _chunks(case_ids):
            rows += [
                (mid, aid, addr, date)
                for mid, aid, addr, date in self.s.execute(
                    select(Message.id, Message.account_id, Message.from_addr, Message.date).where(
                        Message.case_id.in_(chunk)
                    )
                )
            ]
        return rows

    # -- tags and notes ----------------------------------------------------------------------
    def set_tags(self, case_ids: Sequence[int], add: Sequence[str], remove: Sequence[str]) -> None:
        ids = self.load_cases(case_ids)
        add_tags = clean_tags(add)
        remove_tags = [t for t in clean_tags(remove) if t not in add_tags]
        for chunk in _chunks(ids):
            present = set(
                self.s.execute(
                    select(CaseTag.case_id, CaseTag.tag).where(CaseTag.case_id.in_(chunk))
                ).all()
            )
            new = [(c, t) for c in chunk for t in add_tags if (c, t) not in present]
            gone = [(c, t) for c in chunk for t in remove_tags if (c, t) in present]
            if new:
                self.s.execute(
                    insert(CaseTag),
                    [
                        {"account_id": self._case_accounts[c], "case_id": c, "tag": t}
                        for c, t in new
                    ],
                )
            for c, t in gone:
                self.s.execute(delete(CaseTag).where(CaseTag.case_id == c, CaseTag.tag == t))
            self.tags_added += new
            self.tags_removed += gone

    def add_note(self, case_id: int, body: str) -> int | None:
        if not self.load_cases([case_id]):
            return None
        note = CaseNote(
            account_id=self._case_accounts[case_id],
            case_id=case_id,
            body=body,
            created_at=self.now,
            updated_at=self.now,
        )
        self.s.add(note)
        self.s.flush()
        self.notes_added.append(note.id)
        return note.id

    # -- read and starred --------------------------------------------------------------------
    def set_message_flag(self, message_ids: Sequence[int], flag: str, on: bool) -> None:
        """Set seen (\\Seen) or flagged (\\Flagged) on messages, their locations and the server."""
        column = "seen" if flag == SEEN else "flagged"
        ids = list(dict.fromkeys(message_ids))
        for chunk in _chunks(ids):
            for mid, seen, flagged in self.s.execute(
                select(Message.id, Message.seen, Message.flagged).where(Message.id.in_(chunk))
            ):
                self.messages.setdefault(mid, {"seen": seen, "flagged": flagged})
                self.message_ids.add(mid)
            self.s.execute(update(Message).where(Message.id.in_(chunk)).values({column: on}))
            # live places, and those the merchant moved away (the flags follow the move)
            moving = (
                select(ServerOp.id)
                .where(
                    ServerOp.location_id == Location.id,
                    ServerOp.kind.in_(("move", "delete")),
                    ServerOp.state.in_(OPEN_STATES),
                )
                .exists()
            )
            rows = self.s.execute(
                select(Location.id, Location.message_id, Location.flags, Location.account_id)
                .where(
                    Location.message_id.in_(chunk),
                    or_(Location.gone_from_server.is_(False), moving),
                )
                .order_by(Location.id)
            ).all()
            for lid, mid, flags, account_id in rows:
                wanted = flags_with(flags, add=[flag] if on else [], remove=[] if on else [flag])
                if wanted == flags:
                    continue
                self.s.execute(update(Location).where(Location.id == lid).values(flags=wanted))
                record = self.locations.setdefault(lid, {})
                key, other = ("add", "remove") if on else ("remove", "add")
                if flag in record.get(other, []):  # undoing an earlier change of this action
                    record[other].remove(flag)
                else:
                    record.setdefault(key, []).append(flag)
                if self._accounts.get(account_id) == "imap":
                    self._queue("flags", account_id, mid, lid, {key: [flag]})

    def star_cases(self, case_ids: Sequence[int], starred: bool) -> None:
        ids = self.set_cases(case_ids, starred=starred)
        messages = self.case_messages(ids)
        if not starred:
            self.set_message_flag([m for m, _a, _f, _d in messages], FLAGGED, False)
            return
        ours = shop_settings.own_addresses(self.s)
        by_case: dict[int | None, list[tuple[int, bool, datetime]]] = {}
        for chunk in _chunks(ids):
            for mid, cid, customers, date in self.s.execute(
                select(  # the customer's: neither from the shop nor filed in Sent
                    Message.id, Message.case_id, ~is_ours(ours), Message.date
                ).where(Message.case_id.in_(chunk))
            ):
                by_case.setdefault(cid, []).append((mid, bool(customers), date or datetime.min))
        newest = [
            max(rows, key=lambda r: (r[1], r[2], r[0]))[0] for rows in by_case.values() if rows
        ]
        self.set_message_flag(newest, FLAGGED, True)

    # -- archive and delete ------------------------------------------------------------------
    def move_from_inbox(self, case_ids: Sequence[int], kind: str, to: str) -> None:
        """Hide the cases' inbox locations and queue their move (`kind` move or delete)."""
        ids = [c for c in dict.fromkeys(case_ids) if c in self.cases]
        for chunk in _chunks(ids):
            rows = self.s.execute(
                select(Location.id, Location.message_id, Location.account_id)
                .join(Message, Message.id == Location.message_id)
                .join(Folder, Folder.id == Location.folder_id)
                .where(
                    Message.case_id.in_(chunk),
                    Folder.role == "inbox",
                    Location.gone_from_server.is_(False),
                )
                .order_by(Location.id)
            ).all()
            for lid, mid, account_id in rows:
                if self._accounts.get(account_id) != "imap":
                    continue
                self.locations.setdefault(lid, {}).setdefault("hidden", [False, None])
                self.s.execute(
                    update(Location)
                    .where(Location.id == lid)
                    .values(gone_from_server=True, gone_at=self.now)
                )
                self.message_ids.add(mid)
                self._queue(kind, account_id, mid, lid, {"to": to})

    # -- queue and finish --------------------------------------------------------------------
    def _queue(
        self, kind: str, account_id: int, message_id: int, location_id: int, payload: dict[str, Any]
    ) -> None:
        self.s.add(
            ServerOp(
                account_id=account_id,
                kind=kind,
                message_id=message_id,
                location_id=location_id,
                payload=json.dumps(payload),
                state="pending",
                attempts=0,
                last_error="",
                undo_group=self.token,
                created_at=self.now,
            )
        )
        self.ops += 1

    def finish(self) -> ActionResult:
        """Write the undo record (when something changed) and say what changed."""
        changed = bool(self.cases or self.messages or self.locations or self.tags_added) or bool(
            self.tags_removed or self.notes_added
        )
        if not changed:
            return ActionResult((), (), None, 0)
        record = {
            "description": self.description,
            "cases": {str(k): v for k, v in self.cases.items()},
            "messages": {str(k): v for k, v in self.messages.items()},
            "locations": {str(k): v for k, v in self.locations.items()},
            "tags_added": self.tags_added,
            "tags_removed": self.tags_removed,
            "notes_added": self.notes_added,
        }
        account_id = next(iter(self._case_accounts.values()), None)
        if account_id is None:
            account_id = self.s.scalar(
                select(Message.account_id).where(Message.id.in_(list(self.message_ids)[:1]))
            )
        self.s.add(
            ServerOp(
                account_id=account_id,
                kind=UNDO_KIND,
                payload=json.dumps(record),
                state="local",
                attempts=0,
                last_error="",
                undo_group=self.token,
                created_at=self.now,
            )
        )
        self.s.flush()
        _prune_undo(self.s)
        return ActionResult(
            tuple(self.cases), tuple(sorted(self.message_ids)), self.token, self.ops
        )


def clean_tags(tags: Sequence[str]) -> list[str]:
    """Tags trimmed, inner spaces collapsed, empty ones dropped, each once."""
    return list(dict.fromkeys(" ".join(t.split())[:100] for t in tags if t and t.strip()))


def _prune_undo(session: Session) -> None:
    keep_from = session.scalar(
        select(ServerOp.id)
        .where(ServerOp.kind == UNDO_KIND)
        .order_by(ServerOp.id.desc())
        .offset(UNDO_KEEP)
        .limit(1)
    )
    if keep_from is not None:
        session.execute(
            delete(ServerOp).where(ServerOp.kind == UNDO_KIND, ServerOp.id <= keep_from)
        )


# -- undo --------------------------------------------------------------------------------------
def undo(session: Session, token: str) -> ActionResult:
    """Restore what the action `token` replaced; cancel its pending ops, reverse sent ones."""
    record_row = session.scalar(
        select(ServerOp).where(
            ServerOp.undo_group == token, ServerOp.kind == UNDO_KIND, ServerOp.state == "local"
        )
    )
    if record_row is None:
        return ActionResult((), (), None, 0)
    record = json.loads(record_row.payload)
    now = utcnow()
    case_ids = [int(k) for k in record["cases"]]
    for key, values in record["cases"].items():
        restored = {f: values[f] for f in _CASE_FIELDS}
        restored["snoozed_until"] = _from_iso(values["snoozed_until"])
        restored["status_changed_at"] = _from_iso(values["status_changed_at"])
        session.execute(update(Case).where(Case.id == int(key)).values(touched_at=now, **restored))
    for key, values in record["messages"].items():
        session.execute(update(Message).where(Message.id == int(key)).values(**values))
    for key, change in record["locations"].items():
        lid = int(key)
        row = session.get(Location, lid)
        if row is None:
            continue
        if change.get("add") or change.get("remove"):
            row.flags = flags_with(
                row.flags, add=change.get("remove", []), remove=change.get("add", [])
            )
        if "hidden" in change:
            row.gone_from_server, row.gone_at = (
                bool(change["hidden"][0]),
                _from_iso(change["hidden"][1]),
            )
    for cid, tag in record["tags_added"]:
        session.execute(delete(CaseTag).where(CaseTag.case_id == cid, CaseTag.tag == tag))
    accounts = dict(
        session.execute(select(Case.id, Case.account_id).where(Case.id.in_(case_ids))).all()
    )
    for cid, tag in record["tags_removed"]:
        exists = session.scalar(
            select(CaseTag.id).where(CaseTag.case_id == cid, CaseTag.tag == tag)
        )
        if exists is None and cid in accounts:
            session.add(CaseTag(account_id=accounts[cid], case_id=cid, tag=tag))
    if record["notes_added"]:
        session.execute(delete(CaseNote).where(CaseNote.id.in_(record["notes_added"])))

    reversed_ops = 0
    for op in session.scalars(
        select(ServerOp)
        .where(ServerOp.undo_group == token, ServerOp.kind != UNDO_KIND)
        .order_by(ServerOp.id)
    ):
        if op.state == "pending":
            op.state = "cancelled"
            op.done_at = now
        elif op.state in ("sending", "done"):
            reversed_ops += queue_reverse(session, op, now)
    record_row.state = "undone"
    touched = {int(k) for k in record["messages"]}
    location_ids = [int(k) for k in record["locations"]]
    for chunk in _chunks(location_ids):
        touched.update(session.scalars(select(Location.message_id).where(Location.id.in_(chunk))))
    message_ids = tuple(sorted(touched))
    return ActionResult(tuple(case_ids), message_ids, None, reversed_ops)


# -- reading -----------------------------------------------------------------------------------
def notes(session: Session, case_id: int) -> list[tuple[int, datetime, str]]:
    return [
        (nid, created, body)
        for nid, created, body in session.execute(
            select(CaseNote.id, CaseNote.created_at, CaseNote.body)
            .where(CaseNote.case_id == case_id)
            .order_by(CaseNote.created_at, CaseNote.id)
        )
    ]
