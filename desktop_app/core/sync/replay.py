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

import dataclasses
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import imapclient.exceptions
from imapclient import IMAPClient

from desktop_app.core.store import server_ops
from desktop_app.core.store.db import Store
from desktop_app.core.store.server_ops import OPEN_STATES, FolderInfo, QueuedOp
from desktop_app.core.sync import imap_ops, special_folders
from desktop_app.core.sync.folders import ServerFolder, classify

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
class _Counts:
    done: int = 0
    conflicts: int = 0
    failed: int = 0
    retrying: int = 0
    cancelled: int = 0
    tried: set[int] = field(default_factory=set)


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
    def _load(self) -> list[QueuedOp]:
        with self.store.session() as s:
            return server_ops.load_open(s, self.account_id)

    def _resolve_reverse(self, op: QueuedOp) -> bool:
        """A move that undoes an earlier one starts where that one put the message.

        Returns False when there is nothing to do (the earlier move never happened) or not
        yet (it is still pending).
        """
        with self.store.session() as s:
            state, result = server_ops.state_and_result(s, int(op.payload["undo_of"]))
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
    def _run_batch(self, batch: list[QueuedOp]) -> None:
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
                with self.store.session() as s:
                    left = server_ops.still_open(s, [op.id for op in batch])
                for op in batch:
                    if op.id in left:
                        self._run_batch([op])
                return
            self._refused(batch[0], _text(exc))

    def _select(self, folder: str, readonly: bool = False) -> int:
        info = self.client.select_folder(folder, readonly=readonly)
        return int(info[b"UIDVALIDITY"])

    def _select_source(self, batch: list[QueuedOp]) -> int | None:
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

    def _uids(self, batch: list[QueuedOp], uidvalidity: int) -> dict[int, int | None]:
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
        """The UID of the message with this Message-ID in the selected folder (the newest)."""
        return special_folders.search_message_id(self.client, mid)

    def _claim(self, ops: list[QueuedOp]) -> list[QueuedOp]:
        """Mark ops "sending" (committed before the command goes out); drop cancelled ones."""
        if not ops:
            return []
        with self.store.session() as s:
            claimed = server_ops.claim(s, [op.id for op in ops])
        self._counts.tried |= claimed
        return [op for op in ops if op.id in claimed]

    # -- flags -------------------------------------------------------------------------------
    def _flags(self, batch: list[QueuedOp], following: bool = False) -> None:
        if not following:
            self._refresh_places(batch)
        uidvalidity = self._select_source(batch)
        if uidvalidity is None:
            return
        uids = self._uids(batch, uidvalidity)
        moved: list[QueuedOp] = []
        for op in batch:
            if uids[op.id] is None:
                there = None if following else self._moved_from(op)
                if there is not None:  # the merchant moved it since: the flags follow it
                    moved.append(there)
                else:
                    self._conflict(op, f"no longer in {op.folder} (moved or deleted elsewhere)")
        ready = self._claim([op for op in batch if uids[op.id] is not None])
        if ready:
            targets = [uids[op.id] for op in ready]
            add, remove = ready[0].payload.get("add", []), ready[0].payload.get("remove", [])
            if add:
                self.client.add_flags(targets, add, silent=True)
            if remove:
                self.client.remove_flags(targets, remove, silent=True)
            for op in ready:
                self._finish(op, "done")
                self._counts.done += 1
        for op in moved:
            self._flags([op], following=True)

    def _refresh_places(self, batch: list[QueuedOp]) -> None:
        """Where the messages are now (a move earlier in this run may have changed it)."""
        with self.store.session() as s:
            now = server_ops.places(s, [op.location_id for op in batch if op.location_id])
        for op in batch:
            if op.location_id in now:
                op.folder, op.uidvalidity, op.uid = now[op.location_id]

    def _moved_from(self, op: QueuedOp) -> QueuedOp | None:
        """`op` aimed at where a move of ours (done) put its message, else None."""
        if op.location_id is None:
            return None
        with self.store.session() as s:
            result = server_ops.last_move_result(s, op.location_id, op.id)
        if result is None:
            return None
        return dataclasses.replace(
            op,
            location_id=None,
            folder=result["folder"],
            uidvalidity=result.get("uidvalidity"),
            uid=result.get("uid"),
        )

    # -- moves -------------------------------------------------------------------------------
    def _move(self, batch: list[QueuedOp]) -> None:
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
        to_move: list[QueuedOp] = []
        to_drop: list[QueuedOp] = []  # copied before an interruption: only the original goes
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
        moved_validity: int | None = None
        mapping: dict[int, int] = {}
        if to_move:
            moved_validity, mapping = self._move_uids([uids[op.id] or 0 for op in to_move], target)
        if to_drop:
            self._expunge([uids[op.id] or 0 for op in to_drop])
        for op in to_move:
            self._moved(op, target, moved_validity, mapping.get(uids[op.id] or 0))
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
        name = special_folders.find_or_create(self.client, self._folders, to)
        self._targets[to] = name
        return name

    # -- results -----------------------------------------------------------------------------
    def _finish(self, op: QueuedOp, state: str, error: str = "") -> None:
        with self.store.session() as s:
            server_ops.finish(s, op.id, state, error)

    def _conflict(self, op: QueuedOp, reason: str) -> None:
        log.info("server op %s: conflict: %s", op.id, reason)
        self._finish(op, "conflict", reason)
        self._counts.conflicts += 1

    def _refused(self, op: QueuedOp, reason: str) -> None:
        log.warning("server op %s refused: %s", op.id, reason)
        with self.store.session() as s:
            state = server_ops.refuse(s, op.id, reason, MAX_ATTEMPTS)
        if state == "failed":
            self._counts.failed += 1
        else:
            self._counts.retrying += 1

    def _moved(self, op: QueuedOp, target: str, uidvalidity: int | None, uid: int | None) -> None:
        """Done: the old place is gone; the new one is kept when the server told its UID."""
        folder = next((f for f in self._folders or [] if f.name == target), None)
        roles = [r for r, n in self._targets.items() if n == target and r in _DEFAULT_NAMES]
        role = folder.role if folder else next(iter(roles), None)
        info = FolderInfo(target, folder.delimiter if folder else None, role)
        with self.store.session() as s:
            server_ops.record_move(s, op, self.account_id, info, uidvalidity, uid)
        self._counts.done += 1


def _batch_key(op: QueuedOp) -> tuple[Any, ...] | None:
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
    from desktop_app.core.sync.account import AccountSync, keyring_password

    assert settings.id is not None
    with store.session() as s:
        if not server_ops.pending_count(s, settings.id):
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
