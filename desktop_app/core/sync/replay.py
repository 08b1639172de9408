"""Replay the queued triage operations on the server: flags, moves to Archive and Trash.

Runs at the start of every sync (before fetching, so pending local changes are not overwritten
by the server's flags) or on its own. Each operation ends done, conflict (the message is no
longer where it was: another client moved or deleted it; nothing is lost locally and the next
sync shows where it went), or failed after `MAX_ATTEMPTS` refusals by the server; network errors
leave everything pending. An operation is marked "sending" before its command goes out, so a
crash between the MOVE and marking it done is noticed: the target folder is searched for the
Message-ID before anything is repeated.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import imapclient.exceptions
from imapclient import IMAPClient
from sqlalchemy import select, update

from desktop_app.core.store.accounts import utcnow
from desktop_app.core.store.db import Store
from desktop_app.core.store.models import Folder, Location, Message, ServerOp
from desktop_app.core.store.triage_ops import OPEN_STATES
from desktop_app.core.sync import imap_ops
from desktop_app.core.sync.folders import KNOWN_NAMES, ServerFolder, classify

if TYPE_CHECKING:
    from desktop_app.core.accounts.settings import AccountSettings
    from desktop_app.core.sync.account import PasswordSource

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BATCH = 200
_COPYUID = re.compile(rb"COPYUID (\d+) ([\d:,]+) ([\d:,]+)")
_DEFAULT_NAMES = {"archive": "Archive", "trash": "Trash"}


@dataclass(frozen=True, slots=True)
class ReplayReport:
    """What one replay did; `offline` when the server could not be reached."""

    done: int = 0
    conflicts: int = 0
    failed: int = 0
    retrying: int = 0  # refused this time, tried again next time
    cancelled: int = 0
    offline: bool = False
    error: str = ""

    def __add__(self, other: ReplayReport) -> ReplayReport:
        return ReplayReport(
            self.done + other.done,
            self.conflicts + other.conflicts,
            self.failed + other.failed,
            self.retrying + other.retrying,
            self.cancelled + other.cancelled,
            self.offline or other.offline,
            self.error or other.error,
        )


@dataclass(slots=True)
class _Op:
    """One queued operation with where its message was (read from the store)."""

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


@dataclass(slots=True)
class _Counts:
    done: int = 0
    conflicts: int = 0
    failed: int = 0
    retrying: int = 0
    cancelled: int = 0
    tried: set[int] = field(default_factory=set)


class _Conflict(Exception):
    pass


class Replayer:
    """Replays one account's pending operations over an open, logged-in connection."""

    def __init__(
        self,
        store: Store,
        client: IMAPClient,
        account_id: int,
        caps: set[str],
        folders: Sequence[ServerFolder] | None = None,
    ) -> None:
        self.store = store
        self.client = client
        self.account_id = account_id
        self.caps = caps
        self._folders = list(folders) if folders is not None else None
        self._targets: dict[str, str] = {}
        self._counts = _Counts()

    def run(self) -> ReplayReport:
        """Replay everything pending, oldest first; network errors propagate."""
        ops = self._load()
        i = 0
        while i < len(ops):
            batch = [ops[i]]
            key = _batch_key(ops[i])
            while (
                key is not None
                and i + len(batch) < len(ops)
                and len(batch) < BATCH
                and _batch_key(ops[i + len(batch)]) == key
            ):
                batch.append(ops[i + len(batch)])
            self._run_batch(batch)
            i += len(batch)
        c = self._counts
        return ReplayReport(c.done, c.conflicts, c.failed, c.retrying, c.cancelled)

    # -- loading -----------------------------------------------------------------------------
    def _load(self) -> list[_Op]:
        with self.store.session() as s:
            rows = s.execute(
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
                    ServerOp.account_id == self.account_id,
                    ServerOp.state.in_(OPEN_STATES),
                    ServerOp.kind.in_(("flags", "move", "delete")),
                )
                .order_by(ServerOp.id)
            ).all()
        return [_Op(r[0], r[1], r[2], r[3], json.loads(r[4] or "{}"), *r[5:]) for r in rows]

    def _resolve_reverse(self, op: _Op) -> bool:
        """A move that undoes an earlier one starts where that one put the message.

        Returns False when there is nothing to do (the earlier move never happened) or not
        yet (it is still pending).
        """
        with self.store.session() as s:
            original = s.get(ServerOp, int(op.payload["undo_of"]))
            state = original.state if original is not None else "cancelled"
            result = json.loads(original.payload).get("result", {}) if original else {}
        if state in OPEN_STATES:
            return False
        if state != "done":
            self._finish(op, "cancelled", "the change it undoes never reached the server")
            self._counts.cancelled += 1
            return False
        op.folder = result.get("folder")
        op.uidvalidity = result.get("uidvalidity")
        op.uid = result.get("uid")
        return op.folder is not None

    # -- batches -----------------------------------------------------------------------------
    def _run_batch(self, batch: list[_Op]) -> None:
        try:
            if batch[0].kind == "flags":
                self._flags(batch)
            else:
                if "undo_of" in batch[0].payload and not self._resolve_reverse(batch[0]):
                    return
                self._move(batch)
        except imapclient.exceptions.IMAPClientAbortError:
            raise
        except imapclient.exceptions.IMAPClientError as exc:
            if len(batch) > 1:  # find the one the server refuses
                for op in batch:
                    self._run_batch([op])
                return
            self._refused(batch[0], _text(exc))

    def _select(self, folder: str, readonly: bool = False) -> int:
        info = self.client.select_folder(folder, readonly=readonly)
        return int(info[b"UIDVALIDITY"])

    def _select_source(self, batch: list[_Op]) -> int | None:
        folder = batch[0].folder
        if folder is None:
            for op in batch:
                self._conflict(op, "its folder is no longer known")
            return None
        try:
            return self._select(folder)
        except imapclient.exceptions.IMAPClientAbortError:
            raise
        except imapclient.exceptions.IMAPClientError as exc:
            if self.client.folder_exists(folder):
                raise  # refused for another reason: tried again next time
            for op in batch:
                self._conflict(op, f"the folder {folder} is gone from the server ({_text(exc)})")
            return None

    def _uids(self, batch: list[_Op], uidvalidity: int) -> dict[int, int | None]:
        """Each op's UID in the selected folder, or None when its message is not there."""
        found: dict[int, int | None] = {}
        for op in batch:
            if op.uid is not None and op.uidvalidity == uidvalidity:
                found[op.id] = op.uid
            else:  # a new UIDVALIDITY epoch: find the message by its Message-ID
                found[op.id] = self._search_mid(op.mid)
        wanted = [u for u in found.values() if u is not None]
        present = (
            imap_ops.search_uids(self.client, ["UID", imap_ops.seqset(wanted)]) if wanted else set()
        )
        return {k: (u if u in present else None) for k, u in found.items()}

    def _search_mid(self, mid: str | None) -> int | None:
        if not mid:
            return None
        uids = imap_ops.search_uids(self.client, ["HEADER", "Message-ID", mid])
        return max(uids) if uids else None

    def _claim(self, ops: list[_Op]) -> list[_Op]:
        """Mark ops "sending" (committed before the command goes out); drop cancelled ones."""
        if not ops:
            return []
        ids = [op.id for op in ops]
        with self.store.session() as s:
            s.execute(
                update(ServerOp)
                .where(ServerOp.id.in_(ids), ServerOp.state.in_(OPEN_STATES))
                .values(state="sending")
            )
            claimed = set(
                s.scalars(
                    select(ServerOp.id).where(ServerOp.id.in_(ids), ServerOp.state == "sending")
                )
            )
        self._counts.tried |= claimed
        return [op for op in ops if op.id in claimed]

    # -- flags -------------------------------------------------------------------------------
    def _flags(self, batch: list[_Op], following: bool = False) -> None:
        if not following:
            self._refresh_places(batch)
        uidvalidity = self._select_source(batch)
        if uidvalidity is None:
            return
        uids = self._uids(batch, uidvalidity)
        for op in batch:
            if uids[op.id] is None:
                moved = None if following else self._moved_from(op)
                if moved is not None:  # the merchant moved it since: follow it there
                    self._flags([moved], following=True)
                    continue
                self._conflict(op, f"no longer in {op.folder} (moved or deleted elsewhere)")
        ready = self._claim([op for op in batch if uids[op.id] is not None])
        if not ready:
            return
        targets = [uids[op.id] for op in ready]
        add, remove = ready[0].payload.get("add", []), ready[0].payload.get("remove", [])
        if add:
            self.client.add_flags(targets, add, silent=True)
        if remove:
            self.client.remove_flags(targets, remove, silent=True)
        for op in ready:
            self._finish(op, "done")
            self._counts.done += 1

    def _refresh_places(self, batch: list[_Op]) -> None:
        """Where the messages are now (a move earlier in this run may have changed it)."""
        ids = [op.location_id for op in batch if op.location_id is not None]
        with self.store.session() as s:
            places = {
                lid: (folder, uidvalidity, uid)
                for lid, folder, uidvalidity, uid in s.execute(
                    select(Location.id, Folder.name, Location.uidvalidity, Location.uid)
                    .join(Folder, Folder.id == Location.folder_id)
                    .where(Location.id.in_(ids))
                )
            }
        for op in batch:
            if op.location_id in places:
                op.folder, op.uidvalidity, op.uid = places[op.location_id]

    def _moved_from(self, op: _Op) -> _Op | None:
        """`op` aimed at where a move of ours (done) put its message, else None."""
        if op.location_id is None:
            return None
        with self.store.session() as s:
            payload = s.scalar(
                select(ServerOp.payload)
                .where(
                    ServerOp.location_id == op.location_id,
                    ServerOp.kind.in_(("move", "delete")),
                    ServerOp.state == "done",
                    ServerOp.id < op.id,
                )
                .order_by(ServerOp.id.desc())
                .limit(1)
            )
        result = json.loads(payload).get("result") if payload else None
        if not result or not result.get("folder"):
            return None
        return _Op(
            op.id, op.kind, op.state, op.attempts, op.payload, None, op.message_row, op.mid,
            result["folder"], result.get("uidvalidity"), result.get("uid"),
        )  # fmt: skip

    # -- moves -------------------------------------------------------------------------------
    def _move(self, batch: list[_Op]) -> None:
        target = self._target(str(batch[0].payload.get("to", "archive")))
        if batch[0].folder == target:
            for op in batch:
                self._finish(op, "done")
                self._counts.done += 1
            return
        uidvalidity = self._select_source(batch)
        if uidvalidity is None:
            return
        uids = self._uids(batch, uidvalidity)
        check = [
            op
            for op in batch
            if uids[op.id] is None or op.maybe_done or op.id in self._counts.tried
        ]
        in_target: dict[int, int] = {}
        target_validity: int | None = None
        if check:  # moved already (by us before a crash, or by another client)?
            target_validity = self._select(target, readonly=True)
            for op in check:
                uid = self._search_mid(op.mid)
                if uid is not None:
                    in_target[op.id] = uid
            self._select(batch[0].folder or "INBOX")
        to_move: list[_Op] = []
        to_drop: list[_Op] = []  # copied before an interruption: only the original goes
        for op in batch:
            if uids[op.id] is None:
                if op.id in in_target:
                    self._moved(op, target, target_validity, in_target[op.id])
                else:
                    self._conflict(op, f"no longer in {op.folder} (moved or deleted elsewhere)")
            elif op.id in in_target:
                to_drop.append(op)
            else:
                to_move.append(op)
        to_move, to_drop = self._claim(to_move), self._claim(to_drop)
        mapping: dict[int, int] = {}
        if to_move:
            target_validity, mapping = self._move_uids([uids[op.id] or 0 for op in to_move], target)
        if to_drop:
            self._expunge([uids[op.id] or 0 for op in to_drop])
        for op in to_move:
            self._moved(op, target, target_validity, mapping.get(uids[op.id] or 0))
        for op in to_drop:
            self._moved(op, target, target_validity, in_target[op.id])

    def _move_uids(self, uids: list[int], target: str) -> tuple[int | None, dict[int, int]]:
        """UID MOVE, or UID COPY + \\Deleted + UID EXPUNGE; returns the new UIDs if told."""
        if "MOVE" in self.caps:
            texts = self._uid_command("MOVE", imap_ops.seqset(uids), target)
        else:
            texts = self._uid_command("COPY", imap_ops.seqset(uids), target)
            self._expunge(uids)
        return _copyuid(texts)

    def _expunge(self, uids: list[int]) -> None:
        self.client.add_flags(uids, ["\\Deleted"], silent=True)
        if "UIDPLUS" in self.caps:
            self.client.uid_expunge(uids)
        elif set(imap_ops.search_uids(self.client, ["DELETED"])) <= set(uids):
            self.client.expunge()  # only ours are marked: a plain EXPUNGE removes just them
        # else: leave them marked \Deleted; the other client's next expunge removes them

    def _uid_command(self, name: str, *args: Any) -> list[bytes]:
        """A UID command whose response codes (COPYUID) we need, tagged or untagged."""
        imap = self.client._imap
        imap.untagged_responses.pop("COPYUID", None)
        tag = imap._command("UID", name, *args)
        typ, data = imap._command_complete("UID", tag)
        self.client._checkok(name.lower(), typ, data)
        texts = [d for d in data if isinstance(d, bytes)]
        texts += [b"COPYUID " + d for d in imap.untagged_responses.pop("COPYUID", []) if d]
        return texts

    def _target(self, to: str) -> str:
        """The folder name for "archive" / "trash" (created on the server when missing)."""
        if to in self._targets:
            return self._targets[to]
        if to not in _DEFAULT_NAMES:
            self._targets[to] = to
            return to
        if self._folders is None:
            self._folders = classify(self.client.list_folders())
        name = next((f.name for f in self._folders if f.role == to), None)
        if name is None:
            wanted = {n.lower() for n in KNOWN_NAMES[to]}
            name = next((f.name for f in self._folders if f.name.lower() in wanted), None)
        if name is None:
            name = _DEFAULT_NAMES[to]
            try:
                self.client.create_folder(name)
                self.client.subscribe_folder(name)
            except imapclient.exceptions.IMAPClientAbortError:
                raise
            except imapclient.exceptions.IMAPClientError:
                if not self.client.folder_exists(name):
                    raise
        self._targets[to] = name
        return name

    # -- results -----------------------------------------------------------------------------
    def _finish(self, op: _Op, state: str, error: str = "", **payload: Any) -> None:
        with self.store.session() as s:
            row = s.get_one(ServerOp, op.id)
            row.state = state
            row.done_at = utcnow()
            if error:
                row.last_error = error
            if payload:
                row.payload = json.dumps(json.loads(row.payload) | payload)

    def _conflict(self, op: _Op, reason: str) -> None:
        log.info("server op %s: conflict: %s", op.id, reason)
        self._finish(op, "conflict", reason)
        self._counts.conflicts += 1

    def _refused(self, op: _Op, reason: str) -> None:
        with self.store.session() as s:
            row = s.get_one(ServerOp, op.id)
            row.attempts += 1
            row.last_error = reason
            if row.attempts >= MAX_ATTEMPTS:
                row.state = "failed"
                row.done_at = utcnow()
                self._counts.failed += 1
                # read the server's flags again at the next sync: it kept its own
                if row.location_id is not None:
                    folder_id = s.scalar(
                        select(Location.folder_id).where(Location.id == row.location_id)
                    )
                    s.execute(
                        update(Folder).where(Folder.id == folder_id).values(highestmodseq=None)
                    )
            else:
                row.state = "pending"
                self._counts.retrying += 1
        log.warning("server op %s refused: %s", op.id, reason)

    def _moved(self, op: _Op, target: str, uidvalidity: int | None, uid: int | None) -> None:
        """Done: the old place is gone; the new one is known when the server said the UID."""
        now = utcnow()
        result: dict[str, Any] = {"folder": target, "uidvalidity": uidvalidity, "uid": uid}
        with self.store.session() as s:
            if op.location_id is not None:
                s.execute(
                    update(Location)
                    .where(Location.id == op.location_id, Location.gone_from_server.is_(False))
                    .values(gone_from_server=True, gone_at=now)
                )
            if uid is not None and uidvalidity is not None and op.message_row is not None:
                restore = op.payload.get("restore_location")
                result["location_id"] = _place(
                    s, self.account_id, self._folder_row_info(target), op.message_row,
                    uidvalidity, uid, int(restore) if restore else None,
                )  # fmt: skip
            row = s.get_one(ServerOp, op.id)
            row.state, row.done_at = "done", now
            row.payload = json.dumps(json.loads(row.payload) | {"result": result})
        self._counts.done += 1

    def _folder_row_info(self, name: str) -> tuple[str, str | None, str | None]:
        folder = next((f for f in self._folders or [] if f.name == name), None)
        role = (
            folder.role
            if folder
            else next((r for r, n in self._targets.items() if n == name), None)
        )
        return name, folder.delimiter if folder else None, role


def _place(
    s: Any,
    account_id: int,
    folder: tuple[str, str | None, str | None],
    message_row: int,
    uidvalidity: int,
    uid: int,
    restore: int | None,
) -> int | None:
    """Record where the message now is: a location row in the target folder."""
    name, delimiter, role = folder
    folder_row = s.scalar(
        select(Folder).where(Folder.account_id == account_id, Folder.name == name)
    )
    if folder_row is None:
        folder_row = Folder(
            account_id=account_id,
            name=name,
            delimiter=delimiter,
            role=role,
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
            row.uidvalidity, row.uid, row.gone_from_server, row.gone_at = (
                uidvalidity,
                uid,
                False,
                None,
            )
            return int(row.id)
    message = s.get(Message, message_row)
    if message is None:
        return None
    location = Location(
        account_id=account_id,
        folder_id=folder_row.id,
        message_id=message_row,
        blob_id=message.blob_id,
        uidvalidity=uidvalidity,
        uid=uid,
        flags=s.scalar(
            select(Location.flags)
            .where(Location.message_id == message_row)
            .order_by(Location.id.desc())
            .limit(1)
        )
        or "",
        gone_from_server=False,
        first_seen_at=utcnow(),
    )
    s.add(location)
    s.flush()
    return int(location.id)


def _batch_key(op: _Op) -> tuple[Any, ...] | None:
    """Consecutive ops with the same key go to the server as one command."""
    if op.kind == "flags":
        add = tuple(op.payload.get("add", []))
        return ("flags", op.folder, add, tuple(op.payload.get("remove", [])))
    if "undo_of" in op.payload:
        return None
    return ("move", op.folder, op.payload.get("to"))


def _copyuid(texts: list[bytes]) -> tuple[int | None, dict[int, int]]:
    for text in texts:
        match = _COPYUID.search(text)
        if match:
            old = _expand(match.group(2))
            new = _expand(match.group(3))
            if len(old) == len(new):
                return int(match.group(1)), dict(zip(old, new, strict=True))
    return None, {}


def _expand(text: bytes) -> list[int]:
    """A UID set in the server's order (COPYUID pairs them by position)."""
    out: list[int] = []
    for part in text.decode("ascii").split(","):
        lo, _, hi = part.partition(":")
        a, b = int(lo), int(hi or lo)
        out.extend(range(a, b + 1) if a <= b else range(a, b - 1, -1))
    return out


def _text(exc: BaseException) -> str:
    return str(exc).strip() or type(exc).__name__


def replay_account(
    store: Store, settings: AccountSettings, password: PasswordSource | None = None
) -> ReplayReport:
    """Connect and replay one account's pending operations; offline leaves them pending."""
    from desktop_app.core.errors import ShopdeskError
    from desktop_app.core.store.triage_ops import pending_count
    from desktop_app.core.sync.account import AccountSync, keyring_password

    assert settings.id is not None
    with store.session() as s:
        if not pending_count(s, settings.id):
            return ReplayReport()
    syncer = AccountSync(store, settings, password=password or keyring_password)
    try:
        client = syncer.connect()
        return Replayer(store, client, settings.id, syncer.caps).run()
    except ShopdeskError as exc:
        return ReplayReport(offline=True, error=str(exc))
    except (OSError, EOFError, imapclient.exceptions.IMAPClientAbortError) as exc:
        return ReplayReport(
            offline=True, error=f"The connection to {settings.imap.host} was lost ({exc})."
        )
    finally:
        syncer.close()
