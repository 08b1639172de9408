"""Store fetched messages: raw bytes first, then parsed rows and their folder locations."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from desktop_app.core.mail.parse import ParsedMessage, parse_for_store
from desktop_app.core.store.accounts import utcnow
from desktop_app.core.store.models import Attachment, Blob, Location, Message, ServerOp
from desktop_app.core.store.server_ops import OPEN_STATES

CHUNK = 400  # SQLite host-parameter friendly IN-list size


@dataclass(frozen=True, slots=True)
class FetchedMessage:
    """One message as fetched from a folder (or read from a file)."""

    uid: int
    raw: bytes
    flags: tuple[str, ...] = ()
    modseq: int | None = None


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What one batch added: new messages, new locations, and how many had parse problems."""

    new_messages: int
    new_locations: int
    problems: int


def flags_text(flags: Sequence[str | bytes]) -> str:
    """Flags as one sorted, space-separated string."""
    names = {f.decode("utf-8", "replace") if isinstance(f, bytes) else str(f) for f in flags}
    return " ".join(sorted(names - {"\\Recent"}))


def dedup_key(parsed: ParsedMessage, sha: str) -> str:
    return parsed.message_id if parsed.message_id else f"sha256:{sha}"


def _chunks(items: list[str]) -> list[list[str]]:
    return [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]


def _ids_by_key(
    session: Session,
    model: type[Blob] | type[Message],
    key: Any,
    account_id: int,
    keys: list[str],
) -> dict[str, int]:
    """Row ids of an account's rows whose `key` column is one of `keys`."""
    found: dict[str, int] = {}
    for chunk in _chunks(keys):
        rows = session.execute(
            select(key, model.id).where(model.account_id == account_id, key.in_(chunk))
        )
        found.update({k: row_id for k, row_id in rows})
    return found


def _blob_ids(session: Session, account_id: int, shas: list[str]) -> dict[str, int]:
    return _ids_by_key(session, Blob, Blob.sha256, account_id, shas)


def _message_ids(session: Session, account_id: int, keys: list[str]) -> dict[str, int]:
    return _ids_by_key(session, Message, Message.dedup_key, account_id, keys)


def _message_row(
    account_id: int,
    key: str,
    blob_id: int,
    raw: bytes,
    parsed: ParsedMessage,
    flags: Sequence[str] = (),
) -> dict[str, object]:
    return {
        "seen": "\\Seen" in flags,
        "flagged": "\\Flagged" in flags,
        "account_id": account_id,
        "dedup_key": key,
        "message_id": parsed.message_id,
        "blob_id": blob_id,
        "size": len(raw),
        "subject": parsed.subject,
        "from_name": parsed.from_name,
        "from_addr": parsed.from_addr,
        "to_addrs": ", ".join(parsed.to_addrs),
        "cc_addrs": ", ".join(parsed.cc_addrs),
        "addresses": parsed.addresses,
        "date": parsed.date,
        "in_reply_to": parsed.in_reply_to,
        "references": " ".join(parsed.references),
        "body_text": parsed.body_text,
        "snippet": parsed.snippet,
        "has_attachments": bool(parsed.attachments),
        "problems": "\n".join(parsed.problems),
        "created_at": utcnow(),
    }


def ingest_batch(
    session: Session,
    account_id: int,
    folder_id: int,
    uidvalidity: int,
    items: Sequence[FetchedMessage],
) -> IngestResult:
    """Add a batch in the caller's transaction; re-ingesting the same UIDs is harmless."""
    if not items:
        return IngestResult(0, 0, 0)
    shas = [hashlib.sha256(it.raw).hexdigest() for it in items]

    # 1. Raw bytes, exactly as received, before anything else.
    blob_ids = _blob_ids(session, account_id, list(set(shas)))
    new_blobs: dict[str, dict[str, object]] = {}
    for it, sha in zip(items, shas, strict=True):
        if sha not in blob_ids and sha not in new_blobs:
            new_blobs[sha] = {
                "account_id": account_id,
                "sha256": sha,
                "size": len(it.raw),
                "data": it.raw,
            }
    if new_blobs:
        session.execute(insert(Blob).execution_options(render_nulls=True), list(new_blobs.values()))
        blob_ids.update(_blob_ids(session, account_id, list(new_blobs)))

    # 2. Locations already known for these UIDs (a re-fetch after a crash) only get their flags.
    existing = _existing_locations(session, folder_id, uidvalidity, [it.uid for it in items])

    # 3. Parse and add messages not seen before (the same Message-ID is one message).
    parsed_by_sha: dict[str, ParsedMessage] = {}
    keys: list[str] = []
    for it, sha in zip(items, shas, strict=True):
        if it.uid in existing:
            keys.append("")
            continue
        parsed = parsed_by_sha.get(sha)
        if parsed is None:
            parsed = parsed_by_sha[sha] = parse_for_store(it.raw)
        keys.append(dedup_key(parsed, sha))
    message_ids = _message_ids(session, account_id, sorted({k for k in keys if k}))
    new_rows: dict[str, dict[str, object]] = {}
    made_from: dict[str, int] = {}  # the UID whose flags a new message row took
    new_parsed: dict[str, ParsedMessage] = {}
    problems = 0
    for it, sha, key in zip(items, shas, keys, strict=True):
        if key and key not in message_ids and key not in new_rows:
            parsed = parsed_by_sha[sha]
            new_rows[key] = _message_row(account_id, key, blob_ids[sha], it.raw, parsed, it.flags)
            made_from[key] = it.uid
            new_parsed[key] = parsed
            problems += bool(parsed.problems)
    if new_rows:
        session.execute(
            insert(Message).execution_options(render_nulls=True), list(new_rows.values())
        )
        message_ids.update(_message_ids(session, account_id, list(new_rows)))
        _add_attachments(session, account_id, message_ids, new_parsed)

    # 4. Locations.
    now = utcnow()
    new_locations = []
    recheck: set[int] = set()  # messages whose read state may change with this batch
    recheck_locations: list[int] = []
    for it, sha, key in zip(items, shas, keys, strict=True):
        flags = flags_text(it.flags)
        if it.uid in existing:
            loc_id, old_flags = existing[it.uid]
            if old_flags != flags:
                recheck_locations.append(loc_id)
                session.execute(
                    update(Location)
                    .where(Location.id == loc_id)
                    .values(flags=flags, modseq=it.modseq, gone_from_server=False, gone_at=None)
                )
            continue
        if made_from.get(key) != it.uid:
            recheck.add(message_ids[key])
        new_locations.append(
            {
                "account_id": account_id,
                "folder_id": folder_id,
                "message_id": message_ids[key],
                "blob_id": blob_ids[sha],
                "uidvalidity": uidvalidity,
                "uid": it.uid,
                "flags": flags,
                "modseq": it.modseq,
                "gone_from_server": False,
                "first_seen_at": now,
            }
        )
        existing[it.uid] = (-1, flags)
    if new_locations:
        session.execute(insert(Location).execution_options(render_nulls=True), new_locations)
    for i in range(0, len(recheck_locations), CHUNK):
        chunk = recheck_locations[i : i + CHUNK]
        recheck.update(session.scalars(select(Location.message_id).where(Location.id.in_(chunk))))
    if recheck:
        refresh_read_state(session, sorted(recheck))
    return IngestResult(len(new_rows), len(new_locations), problems)


def refresh_read_state(session: Session, message_ids: Sequence[int]) -> None:
    """Read and starred as the server's flags say: \\Seen (\\Flagged) on any live location.

    Messages with a change of the merchant's still waiting to reach the server keep theirs,
    and so do messages no longer on the server anywhere.
    """
    live = select(Location.id).where(
        Location.message_id == Message.id, Location.gone_from_server.is_(False)
    )
    pending = select(ServerOp.id).where(
        ServerOp.message_id == Message.id,
        ServerOp.kind == "flags",
        ServerOp.state.in_(OPEN_STATES),
    )
    ids = list(message_ids)
    for i in range(0, len(ids), CHUNK):
        session.execute(
            update(Message)
            .where(Message.id.in_(ids[i : i + CHUNK]), live.exists(), ~pending.exists())
            .values(
                seen=live.where(Location.flags.contains("\\Seen", autoescape=True)).exists(),
                flagged=live.where(Location.flags.contains("\\Flagged", autoescape=True)).exists(),
            )
            .execution_options(synchronize_session=False)
        )


def _existing_locations(
    session: Session, folder_id: int, uidvalidity: int, uids: list[int]
) -> dict[int, tuple[int, str]]:
    found: dict[int, tuple[int, str]] = {}
    for i in range(0, len(uids), CHUNK):
        rows = session.execute(
            select(Location.uid, Location.id, Location.flags).where(
                Location.folder_id == folder_id,
                Location.uidvalidity == uidvalidity,
                Location.uid.in_(uids[i : i + CHUNK]),
            )
        )
        found.update({uid: (lid, flags) for uid, lid, flags in rows})
    return found


def _add_attachments(
    session: Session,
    account_id: int,
    message_ids: dict[str, int],
    parsed: dict[str, ParsedMessage],
) -> None:
    rows = [
        {
            "account_id": account_id,
            "message_id": message_ids[key],
            "part": a.part,
            "filename": a.filename,
            "content_type": a.content_type,
            "size": a.size,
            "content_id": a.content_id,
            "inline": a.inline,
        }
        for key, p in parsed.items()
        for a in p.attachments
    ]
    if rows:
        session.execute(insert(Attachment).execution_options(render_nulls=True), rows)


def blob_shas_in_folder(session: Session, folder_id: int) -> set[str]:
    """Hashes of the raw bytes present in a folder (for idempotent file imports)."""
    rows = session.execute(
        select(Blob.sha256)
        .join(Location, Location.blob_id == Blob.id)
        .where(Location.folder_id == folder_id)
    )
    return {sha for (sha,) in rows}
