"""The outbox's rows: adding a reply (and its message in the case), cancelling, reading, states."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from desktop_app.core.errors import ConfigError
from desktop_app.core.replies.compose import ReplyDraft, build_message, new_message_id
from desktop_app.core.store.accounts import local_folder, utcnow
from desktop_app.core.store.db import Store
from desktop_app.core.store.ingest import FetchedMessage, ingest_batch
from desktop_app.core.store.models import Account, Folder, Location, Message, OutboxItem
from desktop_app.core.store.shop_settings import load as load_shop

OUTBOX_FOLDER = "Shopdesk Outbox"  # local only: where a reply sits until Sent has it too


@dataclass(frozen=True, slots=True)
class OutboxInfo:
    """One reply in the outbox (times naive UTC, as stored).

    `sent_at` is the moment the whole message had gone to the SMTP server, written just before
    the final "." of DATA: while `state` is still "sending" it is the crash-recovery marker
    (see outbox.py); `attempts` counts SMTP transactions begun.
    """

    id: int
    case_id: int | None
    message_id: str
    to: tuple[str, ...]
    subject: str
    state: str  # queued | sending | sent | filed | failed | cancelled
    attempts: int
    last_error: str
    created_at: datetime
    send_after: datetime
    sent_at: datetime | None
    filed_at: datetime | None


def outbox_folder(session: Session, account_id: int) -> Folder:
    """The account's local outbox folder (role "sent": what is in it is the merchant's)."""
    return local_folder(session, account_id, OUTBOX_FOLDER, "sent")


def add(session: Session, draft: ReplyDraft, undo: timedelta) -> OutboxInfo:
    """Build the bytes with their Message-ID, queue them, and store them as a message."""
    account = session.get(Account, draft.account_id)
    if account is None:
        raise ConfigError(f"There is no account {draft.account_id} to send from.")
    now = utcnow()
    message_id = new_message_id(account.email)
    raw = build_message(draft, message_id, load_shop(session).signature, now.replace(tzinfo=UTC))
    row = OutboxItem(
        account_id=account.id,
        case_id=draft.case_id,
        message_id=message_id,
        raw=raw,
        envelope_from=account.email,
        recipients=json.dumps(list(draft.recipients), ensure_ascii=False),
        state="queued",
        send_after=now + undo,
        attempts=0,
        last_error="",
        created_at=now,
    )
    session.add(row)
    session.flush()
    folder = outbox_folder(session, account.id)
    item = FetchedMessage(uid=row.id, raw=raw, flags=("\\Seen",))
    ingest_batch(session, account.id, folder.id, 1, [item])
    return info(row, draft.subject)


def join_case(store: Store, item: OutboxInfo, case_id: int | None) -> None:
    """Group the new message now (its References lead to the case); kept in the draft's case."""
    from desktop_app.core.store import cases, corrections

    cases.assign_pending(store)
    with store.session() as s:
        msg = s.scalar(select(Message).where(Message.dedup_key == item.message_id))
        if msg is not None and case_id is not None and msg.case_id != case_id:
            # written from this case (a new message, not a reply): it stays here, as a
            # correction would keep it, so regrouping does not take it away again
            other = s.scalar(
                select(Message.dedup_key)
                .where(Message.case_id == case_id, Message.account_id == msg.account_id)
                .limit(1)
            )
            if other is not None:
                corrections.correct_move(s, msg.account_id, msg.dedup_key, f"with:{other}")
            else:
                msg.case_id = case_id
        if msg is not None and msg.case_id is not None:
            s.execute(
                update(OutboxItem).where(OutboxItem.id == item.id).values(case_id=msg.case_id)
            )
    refresh_cases(store)


def refresh_cases(store: Store) -> None:
    from desktop_app.core.store import case_summaries

    case_summaries.refresh_store(store)


def cancel(session: Session, outbox_id: int, now: datetime) -> bool:
    """Cancel inside the undo window, and take the reply back out of its case."""
    row = session.get(OutboxItem, outbox_id)
    if row is None or row.state != "queued" or now >= row.send_after:
        return False
    done = session.execute(
        update(OutboxItem)
        .where(OutboxItem.id == outbox_id, OutboxItem.state == "queued")
        .values(state="cancelled")
    )
    if not done.rowcount:  # type: ignore[attr-defined]
        return False
    msg = session.scalar(
        select(Message).where(
            Message.account_id == row.account_id, Message.dedup_key == row.message_id
        )
    )
    if msg is not None:
        folder = outbox_folder(session, row.account_id)
        session.execute(
            delete(Location).where(Location.message_id == msg.id, Location.folder_id == folder.id)
        )
        others = session.scalar(select(Location.id).where(Location.message_id == msg.id).limit(1))
        if others is None:
            session.execute(delete(Message).where(Message.id == msg.id))
    return True


def _subjects(session: Session, keys: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for start in range(0, len(keys), 400):  # SQLite's host-parameter limit
        chunk = keys[start : start + 400]
        rows = session.execute(
            select(Message.dedup_key, Message.subject).where(Message.dedup_key.in_(chunk))
        )
        found.update({k: s for k, s in rows})
    return found


def info(row: OutboxItem, subject: str) -> OutboxInfo:
    return OutboxInfo(
        id=row.id,
        case_id=row.case_id,
        message_id=row.message_id,
        to=tuple(json.loads(row.recipients or "[]")),
        subject=subject,
        state=row.state,
        attempts=row.attempts,
        last_error=row.last_error,
        created_at=row.created_at,
        send_after=row.send_after,
        sent_at=row.sent_at,
        filed_at=row.filed_at,
    )


def items(
    session: Session, states: Sequence[str] | None = None, outbox_id: int | None = None
) -> list[OutboxInfo]:
    """Outbox items, oldest first (of the given states, or the one id)."""
    query = select(OutboxItem).order_by(OutboxItem.id)
    if states is not None:
        query = query.where(OutboxItem.state.in_(list(states)))
    if outbox_id is not None:
        query = query.where(OutboxItem.id == outbox_id)
    rows = list(session.scalars(query))
    if outbox_id is not None and not rows:
        raise ConfigError(f"There is no reply {outbox_id} in the outbox.")
    subjects = _subjects(session, [r.message_id for r in rows]) if rows else {}
    return [info(r, subjects.get(r.message_id, "")) for r in rows]


def leave_outbox(store: Store, account_id: int, message_id: str) -> None:
    """The reply is in Sent now: its place in the local outbox folder is gone."""
    with store.session() as s:
        folder = outbox_folder(s, account_id)
        msg = select(Message.id).where(
            Message.account_id == account_id, Message.dedup_key == message_id
        )
        s.execute(
            update(Location)
            .where(
                Location.folder_id == folder.id,
                Location.message_id.in_(msg.scalar_subquery()),
                Location.gone_from_server.is_(False),
            )
            .values(gone_from_server=True, gone_at=utcnow())
        )


def set_state(store: Store, outbox_id: int, **values: object) -> None:
    """One committed change of an item (its own transaction: it must survive a crash)."""
    with store.session() as s:
        s.execute(update(OutboxItem).where(OutboxItem.id == outbox_id).values(**values))


def claim(store: Store, outbox_id: int, now: datetime) -> bool:
    """queued -> sending, committed, when still queued and due (a cancel may have won)."""
    with store.session() as s:
        done = s.execute(
            update(OutboxItem)
            .where(
                OutboxItem.id == outbox_id,
                OutboxItem.state == "queued",
                OutboxItem.send_after <= now,
            )
            .values(
                state="sending",
                attempts=OutboxItem.attempts + 1,
                sent_at=None,
                last_error="",
            )
        )
        return bool(done.rowcount)  # type: ignore[attr-defined]
