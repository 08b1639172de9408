"""Folder sync engine: batches committed with their cursor, CONDSTORE/QRESYNC with fallbacks."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import imapclient.exceptions
from imapclient import IMAPClient
from sqlalchemy import func, select, update

from desktop_app.core.errors import ConnectionFailed, ServerError
from desktop_app.core.store.accounts import utcnow
from desktop_app.core.store.db import Store
from desktop_app.core.store.ingest import (
    FetchedMessage,
    flags_text,
    ingest_batch,
    refresh_read_state,
)
from desktop_app.core.store.models import Folder, Location, Message
from desktop_app.core.store.server_ops import open_op_locations
from desktop_app.core.sync import imap_ops
from desktop_app.core.sync.folders import ServerFolder

log = logging.getLogger(__name__)

BATCH_MESSAGES = 250
BATCH_BYTES = 8 * 1024 * 1024
Progress = Callable[[str, int, int], None]


@dataclass(slots=True)
class FolderReport:
    """What one folder sync did."""

    folder: str
    new_messages: int = 0
    new_locations: int = 0
    flags_changed: int = 0
    gone: int = 0
    problems: int = 0
    uidvalidity_changed: bool = False
    skipped_uids: list[int] = field(default_factory=list)


def _no_progress(_folder: str, _done: int, _total: int) -> None:
    pass


def _network_errors() -> tuple[type[BaseException], ...]:
    return (OSError, imapclient.exceptions.IMAPClientAbortError, EOFError)


class FolderSync:
    """Syncs one folder over one connection; every batch commits rows and cursor together."""

    def __init__(
        self,
        store: Store,
        client: IMAPClient,
        account_id: int,
        caps: set[str],
        progress: Progress = _no_progress,
    ) -> None:
        self.store = store
        self.client = client
        self.account_id = account_id
        self.condstore = "CONDSTORE" in caps or "QRESYNC" in caps
        self.qresync = "QRESYNC" in caps
        self.progress = progress

    # -- entry point -------------------------------------------------------------------------
    def run(self, server_folder: ServerFolder) -> FolderReport:
        folder_id = self._folder_row(server_folder)
        report = FolderReport(server_folder.name)
        try:
            info = self.client.select_folder(server_folder.name, readonly=True)
        except imapclient.exceptions.IMAPClientError as exc:
            if isinstance(exc, imapclient.exceptions.IMAPClientAbortError):
                raise
            raise ServerError(f"Cannot open folder {server_folder.name}: {exc}") from None
        imap_ops.pop_vanished(self.client)  # drop anything left over from an earlier folder
        uidvalidity = int(info[b"UIDVALIDITY"])
        exists = int(info.get(b"EXISTS", 0))
        uidnext = int(info[b"UIDNEXT"]) if b"UIDNEXT" in info else None
        highestmodseq = int(info[b"HIGHESTMODSEQ"]) if b"HIGHESTMODSEQ" in info else None
        if not self.condstore:
            highestmodseq = None

        state = self._state(folder_id)
        if state.uidvalidity is not None and state.uidvalidity != uidvalidity:
            self._repair_uidvalidity(folder_id, state.uidvalidity, uidvalidity, report)
            state = self._state(folder_id)
        elif state.uidvalidity is None:
            with self.store.session() as s:
                s.execute(
                    update(Folder)
                    .where(Folder.id == folder_id)
                    .values(uidvalidity=uidvalidity, last_uid=0, highestmodseq=None)
                )
            state = self._state(folder_id)

        known_last_uid = state.last_uid
        nothing_new = uidnext is not None and state.uidnext == uidnext
        unchanged = highestmodseq is not None and state.highestmodseq == highestmodseq
        if nothing_new and unchanged and self._present_count(folder_id, uidvalidity) == exists:
            self._finish(folder_id, uidnext, highestmodseq)
            return report

        if not nothing_new:
            self._fetch_new(folder_id, uidvalidity, known_last_uid, report)
        if known_last_uid > 0:
            self._update_flags(
                folder_id, uidvalidity, known_last_uid, state.highestmodseq, highestmodseq, report
            )
            self._detect_expunges(folder_id, uidvalidity, exists, uidnext, report)
        self._finish(folder_id, uidnext, highestmodseq)
        return report

    # -- folder rows and cursor --------------------------------------------------------------
    def _folder_row(self, sf: ServerFolder) -> int:
        with self.store.session() as s:
            row = s.scalar(
                select(Folder).where(Folder.account_id == self.account_id, Folder.name == sf.name)
            )
            if row is None:
                row = Folder(
                    account_id=self.account_id,
                    name=sf.name,
                    delimiter=sf.delimiter,
                    role=sf.role,
                    sync_enabled=True,
                    last_uid=0,
                )
                s.add(row)
                s.flush()
            else:
                row.role = sf.role
                row.delimiter = sf.delimiter
                row.gone_from_server = False
            return row.id

    @dataclass(frozen=True, slots=True)
    class _State:
        uidvalidity: int | None
        last_uid: int
        highestmodseq: int | None
        uidnext: int | None

    def _state(self, folder_id: int) -> FolderSync._State:
        with self.store.session() as s:
            row = s.get_one(Folder, folder_id)
            return FolderSync._State(row.uidvalidity, row.last_uid, row.highestmodseq, row.uidnext)

    def _present_count(self, folder_id: int, uidvalidity: int, below_uid: int | None = None) -> int:
        """Messages of this folder and epoch still on the server (below a UID, if given)."""
        query = (
            select(func.count())
            .select_from(Location)
            .where(
                Location.folder_id == folder_id,
                Location.uidvalidity == uidvalidity,
                Location.gone_from_server.is_(False),
            )
        )
        if below_uid is not None:
            query = query.where(Location.uid < below_uid)
        with self.store.session() as s:
            return int(s.scalar(query) or 0)

    def _finish(self, folder_id: int, uidnext: int | None, highestmodseq: int | None) -> None:
        with self.store.session() as s:
            s.execute(
                update(Folder)
                .where(Folder.id == folder_id)
                .values(uidnext=uidnext, highestmodseq=highestmodseq, last_synced_at=utcnow())
            )

    # -- new mail ----------------------------------------------------------------------------
    def _fetch_new(
        self, folder_id: int, uidvalidity: int, last_uid: int, report: FolderReport
    ) -> None:
        found = imap_ops.search_uids(self.client, ["UID", f"{last_uid + 1}:*"])
        new = sorted(u for u in found if u > last_uid)
        if not new:
            return
        with self.store.session() as s:  # after a UIDVALIDITY re-pairing some are here already
            present = set(
                s.scalars(
                    select(Location.uid).where(
                        Location.folder_id == folder_id,
                        Location.uidvalidity == uidvalidity,
                        Location.uid > last_uid,
                    )
                )
            )
        wanted = [u for u in new if u not in present]
        sizes = self._sizes(wanted)
        done = 0
        self.progress(report.folder, 0, len(wanted))
        for batch in _batches(wanted, sizes):
            self._fetch_batch(folder_id, uidvalidity, batch, report)
            done += len(batch)
            self.progress(report.folder, done, len(wanted))
        if new and new[-1] > (wanted[-1] if wanted else 0):
            with self.store.session() as s:
                s.execute(
                    update(Folder)
                    .where(Folder.id == folder_id, Folder.last_uid < new[-1])
                    .values(last_uid=new[-1])
                )

    def _sizes(self, uids: list[int]) -> dict[int, int]:
        if not uids:
            return {}
        data = imap_ops.uid_fetch(self.client, imap_ops.seqset(uids), ["RFC822.SIZE"])
        return {uid: int(v.get(b"RFC822.SIZE", 0)) for uid, v in data.items()}

    def _fetch_batch(
        self, folder_id: int, uidvalidity: int, batch: list[int], report: FolderReport
    ) -> None:
        items = ["BODY.PEEK[]", "FLAGS"] + (["MODSEQ"] if self.condstore else [])
        data = imap_ops.uid_fetch(self.client, imap_ops.seqset(batch), items)
        missing = [u for u in batch if not isinstance(data.get(u, {}).get(b"BODY[]"), bytes)]
        if missing:  # expunged meanwhile, or a server hiccup: ask once more, one by one
            for uid in missing:
                again = imap_ops.uid_fetch(self.client, str(uid).encode(), items)
                if isinstance(again.get(uid, {}).get(b"BODY[]"), bytes):
                    data[uid] = again[uid]
                else:
                    report.skipped_uids.append(uid)
                    log.warning("%s: UID %s could not be fetched; skipped", report.folder, uid)
        fetched = [
            _fetched(uid, data[uid])
            for uid in batch
            if isinstance(data.get(uid, {}).get(b"BODY[]"), bytes)
        ]
        with self.store.session() as s:
            result = ingest_batch(s, self.account_id, folder_id, uidvalidity, fetched)
            s.execute(update(Folder).where(Folder.id == folder_id).values(last_uid=max(batch)))
        report.new_messages += result.new_messages
        report.new_locations += result.new_locations
        report.problems += result.problems

    # -- flags -------------------------------------------------------------------------------
    def _update_flags(
        self,
        folder_id: int,
        uidvalidity: int,
        last_uid: int,
        local_modseq: int | None,
        server_modseq: int | None,
        report: FolderReport,
    ) -> None:
        modifiers: list[str] = []
        if self.condstore and local_modseq is not None and server_modseq is not None:
            if local_modseq == server_modseq:
                return
            modifiers = [f"CHANGEDSINCE {local_modseq}"] + (["VANISHED"] if self.qresync else [])
        items = ["FLAGS"] + (["MODSEQ"] if self.condstore else [])
        data = imap_ops.uid_fetch(self.client, f"1:{last_uid}".encode(), items, modifiers)
        vanished = imap_ops.pop_vanished(self.client) if self.qresync else set()
        with self.store.session() as s:
            local = {
                uid: (lid, flags, mid)
                for uid, lid, flags, mid in s.execute(
                    select(Location.uid, Location.id, Location.flags, Location.message_id).where(
                        Location.folder_id == folder_id,
                        Location.uidvalidity == uidvalidity,
                        Location.uid <= last_uid,
                    )
                )
            }
            waiting = open_op_locations(s, folder_id, ("flags",))  # the merchant's, not sent yet
            changed: set[int] = set()
            for uid, values in data.items():
                if uid not in local or b"FLAGS" not in values:
                    continue
                flags = flags_text(values[b"FLAGS"])
                lid, old, mid = local[uid]
                if flags != old and lid not in waiting:
                    changed.add(mid)
                    modseq = values.get(b"MODSEQ")
                    s.execute(
                        update(Location)
                        .where(Location.id == lid)
                        .values(flags=flags, modseq=int(modseq[0]) if modseq else None)
                    )
                    report.flags_changed += 1
            refresh_read_state(s, sorted(changed))
            report.gone += _mark_gone(
                s, folder_id, uidvalidity, {u for u in vanished if u in local}
            )

    def _detect_expunges(
        self,
        folder_id: int,
        uidvalidity: int,
        exists: int,
        uidnext: int | None,
        report: FolderReport,
    ) -> None:
        """Diff the server's UID set with ours when the counts disagree (no QRESYNC, or a gap)."""
        if uidnext is not None and self._present_count(folder_id, uidvalidity, uidnext) == exists:
            return
        server_uids = imap_ops.search_uids(self.client, ["ALL"])
        with self.store.session() as s:
            rows = s.execute(
                select(Location.uid, Location.gone_from_server, Location.id).where(
                    Location.folder_id == folder_id, Location.uidvalidity == uidvalidity
                )
            ).all()
            still_here = {uid for uid, gone, _lid in rows if not gone}
            # back on the server (a folder deleted and restored): present again; not those the
            # merchant moved away (hidden until the move is replayed)
            moving = open_op_locations(s, folder_id, ("move", "delete"))
            revived = sorted(
                {uid for uid, gone, lid in rows if gone and lid not in moving} & server_uids
            )
            for i in range(0, len(revived), 400):
                s.execute(
                    update(Location)
                    .where(
                        Location.folder_id == folder_id,
                        Location.uidvalidity == uidvalidity,
                        Location.uid.in_(revived[i : i + 400]),
                    )
                    .values(gone_from_server=False, gone_at=None)
                )
            report.gone += _mark_gone(s, folder_id, uidvalidity, still_here - server_uids)

    # -- UIDVALIDITY -------------------------------------------------------------------------
    def _repair_uidvalidity(self, folder_id: int, old: int, new: int, report: FolderReport) -> None:
        """Re-pair local locations with the new UIDs by Message-ID; unmatched ones are gone."""
        report.uidvalidity_changed = True
        log.warning(
            "%s: UIDVALIDITY changed %s -> %s; re-pairing by Message-ID", report.folder, old, new
        )
        all_uids = sorted(imap_ops.search_uids(self.client, ["ALL"]))
        server_ids: dict[str, list[int]] = {}
        if all_uids:
            data = imap_ops.uid_fetch(
                self.client,
                imap_ops.seqset(all_uids),
                ["FLAGS", "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"],
            )
            for uid, values in data.items():
                mid = _header_message_id(values)
                if mid:
                    server_ids.setdefault(mid, []).append(uid)
        server_flags = (
            {uid: flags_text(v.get(b"FLAGS", ())) for uid, v in data.items()} if all_uids else {}
        )
        with self.store.session() as s:
            rows = s.execute(
                select(Location.id, Message.message_id, Message.id)
                .join(Message, Message.id == Location.message_id)
                .where(
                    Location.folder_id == folder_id,
                    Location.uidvalidity == old,
                    Location.gone_from_server.is_(False),
                )
            ).all()
            local_ids: dict[str, list[int]] = {}
            for lid, mid, _row_id in rows:
                if mid:
                    local_ids.setdefault(mid, []).append(lid)
            paired: set[int] = set()
            for mid, lids in local_ids.items():
                uids = server_ids.get(mid, [])
                if len(lids) == 1 and len(uids) == 1:  # unambiguous pairs only
                    s.execute(
                        update(Location)
                        .where(Location.id == lids[0])
                        .values(uidvalidity=new, uid=uids[0], flags=server_flags.get(uids[0], ""))
                    )
                    paired.add(lids[0])
            refresh_read_state(s, sorted({row_id for lid, _mid, row_id in rows if lid in paired}))
            unpaired = [lid for lid, _mid, _row_id in rows if lid not in paired]
            if unpaired:
                s.execute(
                    update(Location)
                    .where(Location.id.in_(unpaired))
                    .values(gone_from_server=True, gone_at=utcnow())
                )
            s.execute(
                update(Folder)
                .where(Folder.id == folder_id)
                .values(uidvalidity=new, last_uid=0, highestmodseq=None, uidnext=None)
            )
        report.gone += len(rows) - len(paired)


def _mark_gone(s: Any, folder_id: int, uidvalidity: int, uids: set[int]) -> int:
    if not uids:
        return 0
    count = 0
    ordered = sorted(uids)
    for i in range(0, len(ordered), 400):
        result = s.execute(
            update(Location)
            .where(
                Location.folder_id == folder_id,
                Location.uidvalidity == uidvalidity,
                Location.uid.in_(ordered[i : i + 400]),
                Location.gone_from_server.is_(False),
            )
            .values(gone_from_server=True, gone_at=utcnow())
        )
        count += int(result.rowcount or 0)
    return count


def _header_message_id(values: dict[bytes, Any]) -> str | None:
    for key, value in values.items():
        if key.startswith(b"BODY[HEADER.FIELDS") and isinstance(value, bytes):
            for line in value.decode("utf-8", "replace").replace("\r\n\t", " ").splitlines():
                name, _, rest = line.partition(":")
                if name.strip().lower() == "message-id" and rest.strip():
                    return rest.strip().split()[0]
    return None


def _fetched(uid: int, values: dict[bytes, Any]) -> FetchedMessage:
    flags = tuple(
        f.decode("utf-8", "replace") if isinstance(f, bytes) else str(f)
        for f in values.get(b"FLAGS", ())
    )
    modseq = values.get(b"MODSEQ")
    return FetchedMessage(
        uid=uid, raw=values[b"BODY[]"], flags=flags, modseq=int(modseq[0]) if modseq else None
    )


def _batches(uids: list[int], sizes: dict[int, int]) -> list[list[int]]:
    batches: list[list[int]] = []
    current: list[int] = []
    current_bytes = 0
    for uid in uids:
        size = sizes.get(uid, 0)
        if current and (len(current) >= BATCH_MESSAGES or current_bytes + size > BATCH_BYTES):
            batches.append(current)
            current, current_bytes = [], 0
        current.append(uid)
        current_bytes += size
    if current:
        batches.append(current)
    return batches


def is_network_error(exc: BaseException) -> bool:
    return isinstance(exc, _network_errors())


def wrap_network_error(exc: BaseException, host: str) -> ConnectionFailed:
    return ConnectionFailed(
        f"The connection to {host} was lost ({exc}). Run sync again: it continues where it stopped."
    )
