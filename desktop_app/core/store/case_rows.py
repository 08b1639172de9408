"""Rows of the case list, a case's messages, and the order beside the conversation."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    func,
    select,
)
from sqlalchemy.orm import Session

from desktop_app.core.store.case_list import NOTICE_KINDS_NOT_CUSTOMER
from desktop_app.core.store.case_summaries import aware, live_location
from desktop_app.core.store.models import (
    Account,
    Case,
    CaseSummary,
    CaseTag,
    Customer,
    Folder,
    Location,
    Message,
    Order,
    OrderAlias,
    OrderLine,
)
from desktop_app.core.store.shop_settings import own_addresses
from desktop_app.core.views import CaseRow, MessageRow, OrderFacts, OrderLineFacts

CHUNK = 500


# -- rows --------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Msg:
    case_id: int
    id: int
    from_name: str
    from_addr: str
    to_addrs: str
    date: datetime | None
    notice_kind: str | None
    ours: bool
    subject: str

    @property
    def by_customer(self) -> bool:
        return not self.ours and self.notice_kind not in NOTICE_KINDS_NOT_CUSTOMER


def _sent_ids(session: Session, message_ids: Sequence[int]) -> set[int]:
    """Messages with a copy in a Sent folder: the merchant's, whatever their From says."""
    found: set[int] = set()
    for start in range(0, len(message_ids), CHUNK):
        found |= set(
            session.connection().scalars(
                select(Location.message_id)
                .join(Folder, Folder.id == Location.folder_id)
                .where(
                    Folder.role == "sent",
                    Location.message_id.in_(message_ids[start : start + CHUNK]),
                )
            )
        )
    return found


BIG_CASE = 250  # messages; above this a row reads only the first and the last ones
BIG_HEAD, BIG_TAIL = 25, 200


def _messages_of(
    session: Session, ids: Sequence[int], big: Iterable[int] = ()
) -> dict[int, list[_Msg]]:
    """Each case's messages, oldest first, with who wrote them (of a `big` case only the
    BIG_HEAD oldest and BIG_TAIL newest: enough for its customer, subject and waiting time).

    Reads the covering index first, then only the columns stored before the body in each
    row: a message's later columns sit behind its body's overflow pages.
    """
    keys = (Message.case_id, Message.id, Message.date, Message.notice_kind)
    oldest_first = (Message.date.is_(None), Message.date, Message.id)
    big = set(big)
    small = [i for i in ids if i not in big]
    found: list[Any] = []
    for start in range(0, len(small), CHUNK):
        found += (
            session.connection()
            .execute(
                select(*keys)
                .where(Message.case_id.in_(small[start : start + CHUNK]))
                .order_by(Message.case_id, *oldest_first)
            )
            .all()
        )
    for case_id in sorted(big):
        mine = select(*keys).where(Message.case_id == case_id)
        head = session.connection().execute(mine.order_by(*oldest_first).limit(BIG_HEAD)).all()
        tail = (
            session.connection()
            .execute(
                mine.order_by(
                    Message.date.is_not(None), Message.date.desc(), Message.id.desc()
                ).limit(BIG_TAIL)
            )
            .all()
        )
        seen = {r.id for r in head}
        found += [*head, *(r for r in reversed(tail) if r.id not in seen)]
    message_ids = [r.id for r in found]
    heads: dict[int, Any] = {}
    for start in range(0, len(message_ids), CHUNK):
        for r in session.connection().execute(
            select(
                Message.id, Message.from_name, Message.from_addr, Message.to_addrs, Message.subject
            ).where(Message.id.in_(message_ids[start : start + CHUNK]))
        ):
            heads[r.id] = r
    own = own_addresses(session)
    sent = _sent_ids(session, message_ids)
    out: dict[int, list[_Msg]] = {}
    for r in found:
        h = heads[r.id]
        ours = h.from_addr.lower() in own or r.id in sent
        out.setdefault(r.case_id, []).append(
            _Msg(
                r.case_id,
                r.id,
                h.from_name,
                h.from_addr,
                h.to_addrs,
                r.date,
                r.notice_kind,
                ours,
                h.subject,
            )
        )
    return out


def _snippets(session: Session, message_ids: Sequence[int]) -> dict[int, str]:
    rows = session.connection().execute(
        select(Message.id, Message.snippet).where(Message.id.in_(list(message_ids)))
    )
    return {int(mid): str(snippet) for mid, snippet in rows}


def waiting_since(messages: Sequence[_Msg]) -> datetime | None:
    """The oldest customer message after the merchant's last one (None: the merchant wrote
    last, or no customer wrote)."""
    since: datetime | None = None
    for m in messages:
        if m.ours:
            since = None
        elif m.by_customer and since is None and m.date is not None:
            since = m.date
    if messages and messages[-1].ours:
        return None
    return since


def _newest(messages: Sequence[_Msg]) -> _Msg:
    """The newest dated message (undated ones sort last), else the last one."""
    return next((m for m in reversed(messages) if m.date is not None), messages[-1])


def _sender(messages: Sequence[_Msg]) -> tuple[str, str]:
    """The first customer who wrote; else whom the merchant wrote to; else the first sender."""
    for m in messages:
        if m.by_customer and m.from_addr:
            return m.from_name, m.from_addr
    for m in messages:
        if m.ours and m.to_addrs:
            return "", m.to_addrs.split(",")[0].strip()
    for m in messages:
        if not m.ours and (m.from_addr or m.from_name):
            return m.from_name, m.from_addr
    return "", ""


def find_orders(session: Session, keys: set[tuple[int, str]]) -> dict[tuple[int, str], Order]:
    """Orders by (account id, case order number): by number, or by one of its aliases."""
    if not keys:
        return {}
    numbers = sorted({n for _, n in keys})
    by_alias: dict[tuple[int, str], str] = {}
    found: dict[tuple[int, str], Order] = {}
    for start in range(0, len(numbers), CHUNK):
        chunk = numbers[start : start + CHUNK]
        for account_id, alias, number in session.execute(
            select(OrderAlias.account_id, OrderAlias.alias, OrderAlias.order_number).where(
                OrderAlias.alias.in_(chunk)
            )
        ):
            by_alias[(account_id, alias)] = number
        wanted = sorted(set(chunk) | {by_alias[k] for k in by_alias if k[1] in chunk})
        orders = {
            (o.account_id, o.number): o
            for o in session.scalars(select(Order).where(Order.number.in_(wanted)))
        }
        for key in keys:
            if key[1] not in chunk:
                continue
            order = orders.get(key) or orders.get((key[0], by_alias.get(key, "")))
            if order is not None:
                found[key] = order
    return found


def _customers(
    session: Session, ids: set[int], emails: set[tuple[int, str]]
) -> tuple[dict[int, Customer], dict[tuple[int, str], Customer]]:
    by_id: dict[int, Customer] = {}
    by_email: dict[tuple[int, str], Customer] = {}
    if ids:
        by_id = {c.id: c for c in session.scalars(select(Customer).where(Customer.id.in_(ids)))}
    addrs = sorted({e for _, e in emails if e})
    for start in range(0, len(addrs), CHUNK):
        for c in session.scalars(
            select(Customer).where(Customer.email.in_(addrs[start : start + CHUNK]))
        ):
            by_email[(c.account_id, c.email.lower())] = c
    return by_id, by_email


def case_rows(session: Session, ids: Sequence[int]) -> list[CaseRow]:
    """Rows for these case ids, in the same order (ids of missing or empty cases left out)."""
    wanted = [int(i) for i in dict.fromkeys(ids)]
    if not wanted:
        return []
    cases: dict[int, Any] = {}
    for start in range(0, len(wanted), CHUNK):
        for row in session.connection().execute(
            select(
                Case.id,
                Case.account_id,
                Case.order_number,
                Case.status,
                Case.starred,
                Case.snoozed_until,
                CaseSummary.last_at,
                CaseSummary.message_count,
                CaseSummary.unread,
                CaseSummary.has_attachments,
                CaseSummary.suggested,
                Account.kind,
            )
            .join(CaseSummary, CaseSummary.case_id == Case.id)
            .join(Account, Account.id == Case.account_id)
            .where(Case.id.in_(wanted[start : start + CHUNK]))
        ):
            cases[row.id] = row
    tags: dict[int, list[str]] = {}
    for case_id, tag in session.connection().execute(
        select(CaseTag.case_id, CaseTag.tag)
        .where(CaseTag.case_id.in_(list(cases)))
        .order_by(func.lower(CaseTag.tag))
    ):
        tags.setdefault(case_id, []).append(tag)
    big = [cid for cid, c in cases.items() if c.message_count > BIG_CASE]
    messages = _messages_of(session, list(cases), big)
    orders = find_orders(
        session, {(c.account_id, c.order_number) for c in cases.values() if c.order_number}
    )
    senders = {cid: _sender(messages.get(cid, [])) for cid in cases}
    emails: set[tuple[int, str]] = set()
    for cid, c in cases.items():
        order = orders.get((c.account_id, c.order_number or ""))
        email = order.customer_email if order and order.customer_email else senders[cid][1]
        emails.add((c.account_id, email.lower()))
        emails.add((c.account_id, senders[cid][1].lower()))  # their language, if they wrote
    newest = {cid: _newest(m).id for cid, m in messages.items() if m}
    snippets = _snippets(session, list(newest.values()))
    customer_ids = {o.customer_id for o in orders.values() if o.customer_id is not None}
    by_id, by_email = _customers(session, customer_ids, emails)
    out = []
    for cid in wanted:
        if cid not in cases:
            continue
        c = cases[cid]
        own = messages.get(cid, [])
        order = orders.get((c.account_id, c.order_number or ""))
        customer = by_id.get(order.customer_id) if order and order.customer_id else None
        name, email = senders[cid]
        if order is not None and (order.customer_email or order.customer_name):
            name = order.customer_name or (customer.name if customer else "") or name
            email = order.customer_email or (customer.email if customer else "") or email
        customer = customer or by_email.get((c.account_id, email.lower()))
        if not name and customer is not None:
            name = customer.name
        language = customer.language if customer is not None else None
        if not language:  # the order's address knows none: the one they wrote from may
            writer = by_email.get((c.account_id, senders[cid][1].lower()))
            language = writer.language if writer is not None else None
        display = None
        if c.order_number:
            display = (order.number_display if order else "") or f"#{c.order_number}"
        out.append(
            CaseRow(
                id=cid,
                account_id=c.account_id,
                order_number=display,
                customer_name=name,
                customer_email=email,
                subject=own[0].subject if own else "",
                last_line=" ".join(snippets.get(newest.get(cid, 0), "").split()),
                last_at=aware(c.last_at),
                waiting_since=aware(waiting_since(messages.get(cid, []))),
                language=language or None,
                unread=c.unread,
                message_count=c.message_count,
                status=c.status,
                starred=bool(c.starred),
                snoozed_until=aware(c.snoozed_until),
                tags=tuple(tags.get(cid, ())),
                has_attachments=bool(c.has_attachments),
                suggested=bool(c.suggested),
                demo=c.kind == "demo",
            )
        )
    return out


# -- a case's messages -------------------------------------------------------------------------
def case_messages(session: Session, case_id: int) -> list[MessageRow]:
    """A case's messages, oldest first (no date: last)."""
    rows = session.execute(
        select(  # not the body: it can be long, and the reading pane parses the raw bytes
            Message.id,
            Message.dedup_key,
            Message.from_name,
            Message.from_addr,
            Message.to_addrs,
            Message.date,
            Message.subject,
            Message.snippet,
            Message.seen,
            Message.flagged,
            Message.has_attachments,
            Message.case_suggested,
            Message.problems,
        )
        .where(Message.case_id == case_id)
        .order_by(Message.date.is_(None), Message.date, Message.id)
    ).all()
    ids = [m.id for m in rows]
    folders: dict[int, list[str]] = {}
    for start in range(0, len(ids), CHUNK):
        for mid, name in session.execute(
            select(Location.message_id, Folder.name)
            .join(Folder, Folder.id == Location.folder_id)
            .where(Location.message_id.in_(ids[start : start + CHUNK]), live_location())
            .order_by(Folder.name)
        ):
            folders.setdefault(mid, []).append(name)
    own = own_addresses(session)
    sent = _sent_ids(session, ids)
    return [
        MessageRow(
            id=m.id,
            case_id=case_id,
            dedup_key=m.dedup_key,
            from_name=m.from_name,
            from_addr=m.from_addr,
            to_addrs=m.to_addrs,
            date=aware(m.date),
            subject=m.subject,
            snippet=m.snippet,
            seen=bool(m.seen),
            flagged=bool(m.flagged),
            has_attachments=bool(m.has_attachments),
            ours=m.from_addr.lower() in own or m.id in sent,
            suggested=bool(m.case_suggested),
            problems=tuple(p for p in m.problems.splitlines() if p.strip()),
            folders=tuple(dict.fromkeys(folders.get(m.id, ()))),
        )
        for m in rows
    ]


# -- the order beside the conversation -----------------------------------------------------------
def order_facts(session: Session, case_id: int) -> OrderFacts | None:
    """The case's order as the store knows it; None without an order (or an unknown one)."""
    row = session.execute(
        select(Case.account_id, Case.order_number).where(Case.id == case_id)
    ).first()
    if row is None or not row.order_number:
        return None
    order = find_orders(session, {(row.account_id, row.order_number)}).get(
        (row.account_id, row.order_number)
    )
    if order is None:
        return None
    customer = session.get(Customer, order.customer_id) if order.customer_id else None
    lines = session.execute(
        select(OrderLine.title, OrderLine.quantity, OrderLine.sku, OrderLine.price)
        .where(OrderLine.order_id == order.id)
        .order_by(OrderLine.id)
    ).all()
    return OrderFacts(
        number=order.number,
        number_display=order.number_display or f"#{order.number}",
        platform=order.platform,
        placed_at=aware(order.placed_at),
        shipped_at=aware(order.shipped_at),
        delivered_at=aware(order.delivered_at),
        customer_name=order.customer_name or (customer.name if customer else ""),
        customer_email=order.customer_email or (customer.email if customer else ""),
        shipping_address=order.shipping_address or (customer.shipping_address if customer else ""),
        total=order.total,
        currency=order.currency,
        carrier=order.carrier,
        tracking_number=order.tracking_number,
        tracking_url=order.tracking_url,
        lines=tuple(OrderLineFacts(t or "", int(q or 0), s or "", p) for t, q, s, p in lines),
    )
