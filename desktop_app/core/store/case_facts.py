"""What grouping reads of each message, shared by assigning new mail and regrouping."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.core.store.models import CaseCorrection, Folder, Location
from desktop_app.core.store.plain import to_datetime
from desktop_app.core.store.shop_settings import ShopSettings
from desktop_app.core.threads.cases import MessageFacts, decode_refs
from desktop_app.core.threads.rfc import normalize_id

CHUNK = 400
CLOSED_STATUSES = ("cancelled", "refunded")
Shop = tuple[ShopSettings, frozenset[str]]  # the shop's settings and its own addresses
ADD_THREAD_NODE = "INSERT INTO thread_nodes (account_id, mid, thread_id) VALUES (?, ?, ?)"


def sent_message_ids(session: Session, account_id: int, ids: Iterable[int] | None) -> set[int]:
    query = (
        select(Location.message_id)
        .join(Folder, Folder.id == Location.folder_id)
        .where(Location.account_id == account_id, Folder.role == "sent")
    )
    if ids is not None:
        wanted = list(ids)
        found: set[int] = set()
        for i in range(0, len(wanted), CHUNK):
            found |= set(
                session.scalars(query.where(Location.message_id.in_(wanted[i : i + CHUNK])))
            )
        return found
    return set(session.scalars(query))


class FactRow(NamedTuple):
    """What grouping reads of a message (see `FACTS`)."""

    id: int
    dedup_key: str
    message_id: str | None
    in_reply_to: str | None
    references: str
    from_addr: str
    date: datetime | None
    order_refs: str
    thread_id: int | None
    notice_kind: str | None
    intent: str | None


FACTS = (
    'm.id, m.dedup_key, m.message_id, m.in_reply_to, m."references", m.from_addr, m.date,'
    " m.order_refs, m.thread_id, m.notice_kind, m.intent"
)


def fact_rows(rows: Iterable[Sequence[Any]]) -> list[FactRow]:
    """Rows of `FACTS` (the date as text) as `FactRow`s."""
    return [FactRow._make((*r[:6], to_datetime(r[6]), *r[7:11])) for r in rows]


def message_facts(
    row: Any, own: frozenset[str], sent: set[int], thread_id: int, order_refs: str | None = None
) -> MessageFacts:
    encoded = row.order_refs if order_refs is None else order_refs
    refs, notice = decode_refs(encoded) if encoded else ((), None)  # most mail names none
    bulk = bool(refs) and any(r.kind == "bulk" for r in refs)
    return MessageFacts(
        key=row.id,
        dedup_key=row.dedup_key,
        message_id=row.message_id,
        in_reply_to=row.in_reply_to,
        references=tuple(row.references.split()),
        from_addr=row.from_addr,
        date=row.date,
        ours=row.from_addr in own or row.id in sent,
        refs=tuple(r for r in refs if r.kind != "bulk") if bulk else refs,
        notice_order=notice,
        thread_id=thread_id,
        bulk=bulk,
    )


def refs_of(analysed: tuple[Any, ...] | None) -> str | None:
    """The order references in a message's analysis not written yet (see `SET_ANALYSIS`)."""
    return None if analysed is None else str(analysed[0])


def thread_ids(row: Any) -> list[str]:
    """The message's own id, then its parents: the ids that tie it into an RFC thread.

    Ids are normalised as in `rfc.normalize_id` (ids without '@', such as git's "<yes>", are
    junk and tie nothing together); a message without a usable id stands for itself.
    """
    own = normalize_id(row.message_id)
    found = [own or f"#{row.id}"]
    for linked in (
        (row.in_reply_to, *row.references.split()) if row.references else (row.in_reply_to,)
    ):
        mid = normalize_id(linked)
        if mid and mid not in found:
            found.append(mid)
    return found


def open_orders(rows: Iterable[Any], at: datetime | None, recent_days: int) -> list[str]:
    """Orders placed within `recent_days` before `at` (or any, without a date), not closed."""
    out = []
    for number, placed_at, status in rows:
        if placed_at is None or status in CLOSED_STATUSES:
            continue
        if at is not None and not (
            at - timedelta(days=recent_days) <= placed_at <= at + timedelta(days=1)
        ):
            continue
        out.append(number)
    return out


def moves_of(
    session: Session, account_id: int, keys: Iterable[str] | None = None
) -> dict[str, str]:
    query = (
        select(CaseCorrection.message_key, CaseCorrection.target)
        .where(CaseCorrection.account_id == account_id, CaseCorrection.kind == "move")
        .order_by(CaseCorrection.id)
    )
    if keys is not None:
        query = query.where(CaseCorrection.message_key.in_(list(keys)))
    return dict(session.execute(query).all())
