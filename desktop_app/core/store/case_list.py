"""The case list: case summaries, queues and their counts, a queue's case ids, rows, messages."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    delete,
    distinct,
    exists,
    func,
    literal_column,
    not_,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session

from desktop_app.core.errors import ConfigError
from desktop_app.core.store.models import (
    Account,
    Case,
    CaseFolder,
    CaseSummary,
    CaseSummaryDirty,
    CaseTag,
    Customer,
    Folder,
    Location,
    Message,
    Order,
    OrderAlias,
    OrderLine,
    ServerOp,
)
from desktop_app.core.store.shop_settings import own_addresses
from desktop_app.core.views import CaseRow, MessageRow, OrderFacts, OrderLineFacts, Queue

if TYPE_CHECKING:
    from desktop_app.core.store.db import Store

CHUNK = 500
FIXED_LABELS = {
    "open": "Open",
    "waiting": "Waiting on customer",
    "snoozed": "Snoozed",
    "done": "Done",
    "all": "All",
    "trash": "Trash",
}
STATUSES = ("open", "waiting", "done", "trash")
# Platform notices that are not a person writing (a relayed marketplace "message" is one).
NOTICE_KINDS_NOT_CUSTOMER = ("order_placed", "shipped", "cancelled", "other", "bulk")
ROLE_ORDER = {"inbox": 0, "sent": 2, "drafts": 3, "archive": 4, "junk": 5, "trash": 6}


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


def refresh(session: Session, case_ids: Iterable[int] | None = None) -> int:
    """Rebuild the summaries of the cases marked stale (by the triggers on `messages`,
    `locations` and `server_ops`), or of `case_ids` when given; returns how many were
    rebuilt. Cheap when nothing is stale. Call it after changing those tables with the
    triggers off (they are SQLite's); `refresh_all` rebuilds everything."""
    if case_ids is None:
        if session.scalar(select(CaseSummaryDirty.case_id).limit(1)) is None:
            return 0
        _rebuild(session, "SELECT case_id FROM case_summary_dirty")
        count = session.execute(delete(CaseSummaryDirty)).rowcount  # type: ignore[attr-defined]
        return int(count or 0)
    wanted = sorted(set(case_ids))
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        session.execute(delete(CaseSummaryDirty).where(CaseSummaryDirty.case_id.in_(chunk)))
        _rebuild(session, ", ".join(str(int(i)) for i in chunk))
    return len(wanted)


def refresh_store(store: Store) -> int:
    """`refresh` in a transaction of its own, before reading the case list (and right after
    grouping or a sync, so the next read does not pay for it).

    Looks first without locking; on SQLite the rebuild then takes the write lock at once
    (BEGIN IMMEDIATE), so a sync committing meanwhile makes it wait its turn rather than
    fail on a stale snapshot.
    """
    with store.engine.connect() as conn:
        stale = conn.execute(select(CaseSummaryDirty.case_id).limit(1)).first() is not None
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


# -- queues ------------------------------------------------------------------------------------
def _listed() -> Select[Any]:
    """Cases the list shows: not merged into another, with at least one message."""
    return (
        select(Case.id)
        .join(CaseSummary, CaseSummary.case_id == Case.id)
        .where(Case.merged_into_id.is_(None))
    )


def _snoozed(now: datetime) -> ColumnElement[bool]:
    return and_(Case.snoozed_until.is_not(None), Case.snoozed_until > now)


def _awake(now: datetime) -> ColumnElement[bool]:
    return or_(Case.snoozed_until.is_(None), Case.snoozed_until <= now)


def queue_condition(queue: str, now: datetime) -> ColumnElement[bool]:
    """Which cases belong to the queue named `queue` (see `desktop_app.core.views`)."""
    now = naive_utc(now)
    if queue in ("open", "waiting"):
        return and_(Case.status == queue, _awake(now))
    if queue == "snoozed":
        return and_(_snoozed(now), Case.status != "trash")
    if queue == "done":
        return Case.status == "done"
    if queue in ("all", "search"):
        return Case.status != "trash"
    if queue == "trash":
        return Case.status == "trash"
    if queue.startswith("tag:") and queue[4:]:
        tagged = exists().where(CaseTag.case_id == Case.id, CaseTag.tag == queue[4:])
        return and_(tagged, Case.status != "trash")
    if queue.startswith("folder:") and queue[7:].isdigit():
        in_folder = select(CaseFolder.case_id).where(CaseFolder.folder_id == int(queue[7:]))
        return Case.id.in_(in_folder)
    raise ConfigError(f"There is no queue named {queue!r}.")


def queues(session: Session, now: datetime) -> list[Queue]:
    """Fixed queues, then one per tag (by name), then one per server folder."""
    now = naive_utc(now)
    snoozed = case((_snoozed(now), 1), else_=0)
    has_unread = case((CaseSummary.unread > 0, 1), else_=0)
    counts: dict[str, list[int]] = {key: [0, 0] for key in FIXED_LABELS}

    def add(key: str, n: int, unread: int) -> None:
        counts[key][0] += n
        counts[key][1] += unread

    for status, is_snoozed, n, unread in session.execute(
        select(Case.status, snoozed, func.count(), func.sum(has_unread))
        .join(CaseSummary, CaseSummary.case_id == Case.id)
        .where(Case.merged_into_id.is_(None))
        .group_by(Case.status, snoozed)
    ):
        unread = int(unread or 0)
        if status == "trash":
            add("trash", n, unread)
            continue
        add("all", n, unread)
        if is_snoozed:
            add("snoozed", n, unread)
        if status in ("open", "waiting") and not is_snoozed:
            add(status, n, unread)
        if status == "done":
            add("done", n, unread)
    out = [Queue(k, FIXED_LABELS[k], c[0], c[1]) for k, c in counts.items() if k != "trash"]
    out += _tag_queues(session, has_unread)
    out += _folder_queues(session, has_unread)
    out.append(Queue("trash", FIXED_LABELS["trash"], counts["trash"][0], counts["trash"][1]))
    return out


def _tag_queues(session: Session, has_unread: Any) -> list[Queue]:
    rows = session.execute(
        select(CaseTag.tag, func.count(distinct(Case.id)), func.sum(has_unread))
        .join(Case, Case.id == CaseTag.case_id)
        .join(CaseSummary, CaseSummary.case_id == Case.id)
        .where(Case.merged_into_id.is_(None), Case.status != "trash")
        .group_by(CaseTag.tag)
        .order_by(func.lower(CaseTag.tag), CaseTag.tag)
    )
    return [Queue(f"tag:{tag}", tag, n, int(unread or 0)) for tag, n, unread in rows]


def _folder_queues(session: Session, has_unread: Any) -> list[Queue]:
    counts = {
        folder_id: (n, int(unread or 0))
        for folder_id, n, unread in session.execute(
            select(CaseFolder.folder_id, func.count(), func.sum(has_unread))
            .join(Case, Case.id == CaseFolder.case_id)
            .join(CaseSummary, CaseSummary.case_id == Case.id)
            .where(Case.merged_into_id.is_(None))
            .group_by(CaseFolder.folder_id)
        )
    }
    folders = list(
        session.execute(
            select(Folder.id, Folder.name, Folder.role, Account.name, Account.id)
            .join(Account, Account.id == Folder.account_id)
            .where(Folder.gone_from_server.is_(False))
        ).all()
    )
    several = len({f[4] for f in folders}) > 1
    folders.sort(key=lambda f: (f[4], ROLE_ORDER.get(f[2] or "", 1), f[1].lower()))
    return [
        Queue(
            f"folder:{fid}",
            f"{account} / {name}" if several else name,
            *counts.get(fid, (0, 0)),
            role,
        )
        for fid, name, role, account, _aid in folders
    ]


# -- case ids ----------------------------------------------------------------------------------
def case_ids(
    session: Session, queue: str, now: datetime, where: Sequence[ColumnElement[bool]] = ()
) -> list[int]:
    """The ids of a queue's cases that also meet `where`, newest activity first."""
    newest: Any = CaseSummary.last_at
    if session.get_bind().dialect.name == "sqlite":
        # "+" keeps SQLite from walking the whole last_at index to skip a sort: sorting the
        # few cases a queue or a search leaves is faster than filtering all of them in order
        newest = literal_column("+case_summaries.last_at")
    query = (
        _listed()
        .where(queue_condition(queue, now), *where)
        .order_by(newest.desc(), CaseSummary.case_id.desc())
    )
    return list(session.connection().execute(query).scalars())


def unread_condition(unread: bool) -> ColumnElement[bool]:
    return CaseSummary.unread > 0 if unread else CaseSummary.unread == 0


# -- rows --------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Msg:
    case_id: int
    from_name: str
    from_addr: str
    to_addrs: str
    date: datetime | None
    notice_kind: str | None
    ours: bool
    subject: str
    snippet: str

    @property
    def by_customer(self) -> bool:
        return not self.ours and self.notice_kind not in NOTICE_KINDS_NOT_CUSTOMER


def _sent_ids(session: Session, message_ids: Sequence[int]) -> set[int]:
    """Messages with a copy in a Sent folder: the merchant's, whatever their From says."""
    found: set[int] = set()
    for start in range(0, len(message_ids), CHUNK):
        found |= set(
            session.scalars(
                select(Location.message_id)
                .join(Folder, Folder.id == Location.folder_id)
                .where(
                    Folder.role == "sent",
                    Location.message_id.in_(message_ids[start : start + CHUNK]),
                )
            )
        )
    return found


_MSG_COLUMNS = (
    Message.case_id,
    Message.id,
    Message.from_name,
    Message.from_addr,
    Message.to_addrs,
    Message.date,
    Message.notice_kind,
    Message.subject,
    Message.snippet,
)
BIG_CASE = 250  # messages; above this a row reads only the first and the last ones
BIG_HEAD, BIG_TAIL = 25, 200


def _messages_of(
    session: Session, ids: Sequence[int], big: Iterable[int] = ()
) -> dict[int, list[_Msg]]:
    """Each case's messages, oldest first, with who wrote them (of a `big` case only the
    BIG_HEAD oldest and BIG_TAIL newest: enough for its customer, subject and waiting time)."""
    rows: list[Any] = []
    big = set(big)
    small = [i for i in ids if i not in big]
    oldest_first = (Message.date.is_(None), Message.date, Message.id)
    for start in range(0, len(small), CHUNK):
        rows += session.execute(
            select(*_MSG_COLUMNS)
            .where(Message.case_id.in_(small[start : start + CHUNK]))
            .order_by(Message.case_id, *oldest_first)
        ).all()
    for case_id in sorted(big):
        mine = select(*_MSG_COLUMNS).where(Message.case_id == case_id)
        head = session.execute(mine.order_by(*oldest_first).limit(BIG_HEAD)).all()
        tail = session.execute(
            mine.order_by(Message.date.is_not(None), Message.date.desc(), Message.id.desc()).limit(
                BIG_TAIL
            )
        ).all()
        seen = {r.id for r in head}
        rows += [*head, *(r for r in reversed(tail) if r.id not in seen)]
    own = own_addresses(session)
    sent = _sent_ids(session, [r.id for r in rows])
    out: dict[int, list[_Msg]] = {}
    for r in rows:
        ours = r.from_addr.lower() in own or r.id in sent
        out.setdefault(r.case_id, []).append(
            _Msg(
                r.case_id,
                r.from_name,
                r.from_addr,
                r.to_addrs,
                r.date,
                r.notice_kind,
                ours,
                r.subject,
                r.snippet,
            )
        )
    return out


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
        for row in session.execute(
            select(Case, CaseSummary, Account.kind)
            .join(CaseSummary, CaseSummary.case_id == Case.id)
            .join(Account, Account.id == Case.account_id)
            .where(Case.id.in_(wanted[start : start + CHUNK]))
        ):
            cases[row[0].id] = row
    tags: dict[int, list[str]] = {}
    for case_id, tag in session.execute(
        select(CaseTag.case_id, CaseTag.tag)
        .where(CaseTag.case_id.in_(list(cases)))
        .order_by(func.lower(CaseTag.tag))
    ):
        tags.setdefault(case_id, []).append(tag)
    big = [cid for cid, (_, summary, _) in cases.items() if summary.message_count > BIG_CASE]
    messages = _messages_of(session, list(cases), big)
    orders = find_orders(
        session, {(c.account_id, c.order_number) for c, _, _ in cases.values() if c.order_number}
    )
    senders = {cid: _sender(messages.get(cid, [])) for cid in cases}
    emails: set[tuple[int, str]] = set()
    for cid, (c, _, _) in cases.items():
        order = orders.get((c.account_id, c.order_number or ""))
        email = order.customer_email if order and order.customer_email else senders[cid][1]
        emails.add((c.account_id, email.lower()))
    customer_ids = {o.customer_id for o in orders.values() if o.customer_id is not None}
    by_id, by_email = _customers(session, customer_ids, emails)
    out = []
    for cid in wanted:
        if cid not in cases:
            continue
        c, s, kind = cases[cid]
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
                last_line=" ".join(_newest(own).snippet.split()) if own else "",
                last_at=aware(s.last_at),
                waiting_since=aware(waiting_since(messages.get(cid, []))),
                language=(customer.language or None) if customer is not None else None,
                unread=s.unread,
                message_count=s.message_count,
                status=c.status,
                starred=bool(c.starred),
                snoozed_until=aware(c.snoozed_until),
                tags=tuple(tags.get(cid, ())),
                has_attachments=bool(s.has_attachments),
                suggested=bool(s.suggested),
                demo=kind == "demo",
            )
        )
    return out


# -- a case's messages -------------------------------------------------------------------------
def case_messages(session: Session, case_id: int) -> list[MessageRow]:
    """A case's messages, oldest first (no date: last)."""
    rows = (
        session.execute(
            select(Message)
            .where(Message.case_id == case_id)
            .order_by(Message.date.is_(None), Message.date, Message.id)
        )
        .scalars()
        .all()
    )
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
