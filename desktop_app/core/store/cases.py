"""Group stored messages into cases: analyse once, thread, assign by the rules, keep corrections.

Each message is analysed once (order references in subject and body, platform notices, which
create or complete orders), threaded (RFC References/In-Reply-To, ghosts included, in
`thread_nodes`), then assigned by `desktop_app.core.threads.cases.decide`. The merchant's
corrections (`case_corrections`) are replayed on top, so they survive resync, re-import and a
regroup from scratch. `assign_new` handles only messages without a case (as mail arrives);
`regroup` recomputes every case of an account in memory and writes the result in bulk.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from desktop_app.core.mail.quotes import split_reply
from desktop_app.core.store import shop_settings
from desktop_app.core.store.accounts import utcnow
from desktop_app.core.store.db import Store
from desktop_app.core.store.models import (
    Blob,
    Case,
    CaseCorrection,
    Folder,
    Location,
    Message,
    Order,
    OrderAlias,
    OrderLine,
    ThreadNode,
)
from desktop_app.core.store.orders import upsert_customers, upsert_orders
from desktop_app.core.threads.cases import (
    Decision,
    LinkedCase,
    MessageFacts,
    canonical,
    decide,
    decode_refs,
    encode_refs,
)
from desktop_app.core.threads.notices import parse_notice
from desktop_app.core.threads.order_refs import OrderPatterns, find_order_refs
from desktop_app.core.threads.records import OrderRecord, OrderRef
from desktop_app.core.threads.rfc import normalize_id

CHUNK = 400
MESSAGES = cast(Table, Message.__table__)
CASES = cast(Table, Case.__table__)
REGROUP_THRESHOLD = 2000  # more new messages than this: regroup in memory, in bulk
CLOSED_STATUSES = ("cancelled", "refunded")


# -- analysis --------------------------------------------------------------------------------
def patterns(settings: shop_settings.ShopSettings) -> OrderPatterns:
    return OrderPatterns(
        store_prefix=settings.order_prefix,
        store_suffix=settings.order_suffix,
        custom_regex=settings.order_pattern,
    )


ANALYSIS_BATCH = 2000  # messages read, analysed and written at a time: memory stays flat


def analyze_pending(
    session: Session,
    account_id: int,
    shop: tuple[shop_settings.ShopSettings, frozenset[str]] | None = None,
) -> int:
    """Find order references and notices in messages not analysed yet; record notices' orders.

    Works through the pending messages in date order, a batch at a time (bounded memory
    whatever the mailbox size), on every core when there are many.
    """
    settings, own = shop or _shop(session)
    found = patterns(settings)
    pending = session.execute(
        select(Message.id, Message.date).where(PENDING, Message.account_id == account_id)
    ).all()
    ids = [row.id for row in sorted(pending, key=_by_date)]  # ORDER BY would scan by date
    senders: dict[str, str] = {}
    records: list[OrderRecord] = []
    with _workers(len(ids)) as pool:
        for start in range(0, len(ids), ANALYSIS_BATCH):
            batch = ids[start : start + ANALYSIS_BATCH]
            rows = session.execute(
                select(
                    Message.id,
                    Message.subject,
                    Message.body_text,
                    Message.from_addr,
                    Message.from_name,
                    Message.date,
                    func.substr(Blob.data, 1, HEADER_PEEK).label("head"),
                )
                .join(Blob, Blob.id == Message.blob_id)
                .where(Message.id.in_(batch))
            ).all()
            order = {mid: i for i, mid in enumerate(batch)}
            plain = sorted((tuple(r) for r in rows), key=lambda r: order[r[0]])
            updates = []
            for row, (update_row, record, sender) in zip(
                plain, _analyse_all(plain, own, found, pool), strict=True
            ):
                updates.append(update_row)
                if record is not None:
                    records.append(record)
                if sender:
                    senders.setdefault(sender, row[4])
            _write_analysis(session, updates)
    upsert_orders(session, account_id, records)
    upsert_customers(session, account_id, {e: (n, "", "") for e, n in senders.items()})
    return len(ids)


def _write_analysis(session: Session, updates: list[dict[str, Any]]) -> None:
    if updates:
        session.execute(
            update(MESSAGES)
            .where(MESSAGES.c.id == bindparam("mid"))
            .values(
                analyzed=True,
                order_refs=bindparam("refs"),
                notice_kind=bindparam("kind"),
                snippet=bindparam("snippet"),
            ),
            updates,
        )


_CANDIDATE_LETTERS = re.compile(r"(?<![\w-])[A-Z]{9}(?![\w-])")
# Digits count as a candidate only right after '#' or shortly after an order word: a bare
# number in a text is as likely a postcode, a phone number or a year.
_ORDER_WORD = (
    r"(?:order|bestell|auftrag|tilau|pasūtīj|pasutij|ऑर्डर|आर्डर|պատվեր|commande|"
    r"pedido|ordine|zamówi|заказ|beställ|bestill)"
)
_CANDIDATE_DIGITS = re.compile(
    r"(?:#\s?|" + _ORDER_WORD + r"[^\n\d#]{0,40}?#?)(?<![\w.,:/+-])(\d{4,10})(?![\w/-]|[.,:]\d)",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(19|20)\d\d")


def _candidates(text: str, digits: bool) -> list[OrderRef]:
    """Tokens shaped like order numbers that no wording the extractor knows introduced:
    PrestaShop references, and (where asked) digits after '#' or near an order word ("new
    order, 61030"). They count only when a known order has that number; bare years never."""
    found = _CANDIDATE_LETTERS.findall(text)
    if digits:
        found += [d for d in _CANDIDATE_DIGITS.findall(text) if not _YEAR.fullmatch(d)]
    return [OrderRef(number=token, kind="candidate") for token in dict.fromkeys(found)]


HEADER_PEEK = 8192
PARALLEL_MIN = 4000  # more messages than this are analysed by worker processes, one per core
Analysed = tuple[dict[str, Any], OrderRecord | None, str]


def _analyse_row(row: tuple[Any, ...], own: frozenset[str], found: OrderPatterns) -> Analysed:
    """One message: (its column updates, the order its notice tells of, a customer's address)."""
    mid, subject, body, from_addr, _from_name, date, head = row
    notice = parse_notice(from_addr, subject, body)
    if notice is None and is_bulk(head):  # lists and newsletters: no order, no customer
        return (
            {"mid": mid, "refs": "bulk::", "kind": "bulk", "snippet": " ".join(body.split())[:200]},
            None,
            "",
        )
    record = None
    if notice is not None and notice.order.number:
        record = notice.order
        if notice.kind == "order_placed" and record.placed_at is None:
            record = replace(record, placed_at=date)  # the notice was sent as it was placed
        if not record.customer_email:
            record = replace(record, customer_email=_customer_in(body, from_addr, own))
    split = split_reply(body[:20_000])
    refs = (
        []
        if record
        else _ordered_refs(subject, split.new_text, body, found, quoted=bool(split.quoted))
    )
    if notice is not None and record is None:  # a buyer message naming only its item
        refs += [
            OrderRef(number=i.item_number, platform=notice.platform, kind="item")
            for i in notice.order.items
            if i.item_number
        ]
    sender = from_addr if not notice and from_addr and from_addr not in own else ""
    return (
        {
            "mid": mid,
            "refs": encode_refs(refs, record.number if record else None),
            "kind": notice.kind if notice else None,
            "snippet": " ".join((split.new_text or body).split())[:200],
        },
        record,
        sender,
    )


def _analyse_chunk(
    rows: list[tuple[Any, ...]], own: frozenset[str], found: OrderPatterns
) -> list[Analysed]:
    return [_analyse_row(row, own, found) for row in rows]


@contextmanager
def _workers(count: int) -> Iterator[ProcessPoolExecutor | None]:
    """A pool of worker processes for a big batch (an initial sync, an import), else None."""
    workers = min(os.cpu_count() or 1, 8)
    if count < PARALLEL_MIN or workers < 2:
        yield None
        return
    # fork where there is one (Linux): the children need nothing but this module's pure
    # functions, and unlike spawn it does not run the caller's main script again.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    try:
        pool = ProcessPoolExecutor(workers, mp_context=mp.get_context(method))
    except OSError:
        yield None
        return
    try:
        yield pool
    finally:
        pool.shutdown(cancel_futures=True)


def _analyse_all(
    rows: list[tuple[Any, ...]],
    own: frozenset[str],
    found: OrderPatterns,
    pool: ProcessPoolExecutor | None,
) -> list[Analysed]:
    """Analyse here, or spread over the worker processes: the work is pure Python over text,
    so processes, not threads."""
    if pool is None:
        return _analyse_chunk(rows, own, found)
    size = max(100, len(rows) // 8)
    chunks = [rows[i : i + size] for i in range(0, len(rows), size)]
    try:
        parts = list(pool.map(_analyse_chunk, chunks, [own] * len(chunks), [found] * len(chunks)))
    except BrokenProcessPool:  # a worker died: do it here
        return _analyse_chunk(rows, own, found)
    return [result for part in parts for result in part]


def _by_date(row: Any) -> tuple[datetime, int]:
    return (row.date or datetime.min, row.id)


# Written out so that SQLite sees the partial index's own condition and uses it.
PENDING = text("messages.analyzed = 0")
_BULK = re.compile(
    rb"^(list-id|list-unsubscribe|list-post):|^precedence:[ \t]*(list|bulk|junk)",
    re.IGNORECASE | re.MULTILINE,
)


def is_bulk(head: bytes | None) -> bool:
    """Mail from a list or a bulk sender, judged by the headers at the top of the raw bytes."""
    if not head:
        return False
    end = head.find(b"\r\n\r\n")
    if end < 0:
        end = head.find(b"\n\n")
    return bool(_BULK.search(head if end < 0 else head[:end]))


_REPLY_PREFIX = re.compile(
    r"^\s*(re|aw|sv|vs|atb|antw|r|ref|fw|fwd|wg)\s*(\[\d+\])?\s*:", re.IGNORECASE
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PLATFORM_DOMAINS = (
    "shopify.com",
    "amazon.",
    "etsy.com",
    "ebay.",
    "paypal.",
    "woocommerce.",
    "magento.",
    "prestashop.",
    "opencart.",
)


def _ordered_refs(
    subject: str, new_text: str, body: str, patterns: OrderPatterns, quoted: bool = True
) -> list[OrderRef]:
    """Order references, the strongest first: in a reply the new text outranks the subject it
    inherited; quoted text (an order table) comes last but still counts. Candidates (tokens
    shaped like order numbers with no wording around them) follow each part's own finds."""
    in_subject = find_order_refs(subject, "", patterns)
    in_subject += _candidates(subject, digits=True)
    in_new = find_order_refs("", new_text, patterns)
    in_new += _candidates(new_text[:5000], digits=True)
    if not quoted:  # nothing quoted: the new text holds all there is to find
        in_body = []
    else:
        in_body = find_order_refs("", body, patterns) + _candidates(body[:5000], digits=False)
    groups = [in_new, in_subject] if _REPLY_PREFIX.match(subject) else [in_subject, in_new]
    out: list[OrderRef] = []
    seen: set[str] = set()
    for ref in [*groups[0], *groups[1], *in_body]:
        if canonical(ref.number) not in seen:
            seen.add(canonical(ref.number))
            out.append(ref)
    return out


def _customer_in(body: str, sender: str, own: frozenset[str]) -> str:
    """The customer's address printed in a notice that has no labelled one."""
    sender_domain = sender.rpartition("@")[2]
    for found in _EMAIL.findall(body[:20_000]):
        address = str(found).lower().rstrip(".")
        domain = address.rpartition("@")[2]
        if address in own or domain == sender_domain:
            continue
        if any(p in domain for p in PLATFORM_DOMAINS) or address.startswith(
            ("noreply", "no-reply")
        ):
            continue
        return address
    return ""


# -- facts -----------------------------------------------------------------------------------
def _sent_message_ids(session: Session, account_id: int, ids: Iterable[int] | None) -> set[int]:
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


FACT_COLUMNS = (
    Message.id,
    Message.dedup_key,
    Message.message_id,
    Message.in_reply_to,
    Message.references,
    Message.from_addr,
    Message.date,
    Message.order_refs,
    Message.thread_id,
)


def _facts(row: Any, own: frozenset[str], sent: set[int], thread_id: int) -> MessageFacts:
    refs, notice = decode_refs(row.order_refs)
    return MessageFacts(
        key=row.id,
        dedup_key=row.dedup_key,
        message_id=row.message_id,
        in_reply_to=row.in_reply_to,
        references=tuple(row.references.split()),
        from_addr=row.from_addr,
        date=row.date,
        ours=row.from_addr in own or row.id in sent,
        refs=tuple(r for r in refs if r.kind != "bulk"),
        notice_order=notice,
        thread_id=thread_id,
        bulk=any(r.kind == "bulk" for r in refs),
    )


def _thread_ids(row: Any) -> list[str]:
    """The message's own id, then its parents: the ids that tie it into an RFC thread.

    Ids are normalised as in `rfc.normalize_id` (ids without '@', such as git's "<yes>", are
    junk and tie nothing together); a message without a usable id stands for itself.
    """
    ids = [normalize_id(row.message_id)]
    ids += [normalize_id(i) for i in (row.in_reply_to, *row.references.split())]
    found = list(dict.fromkeys(i for i in ids if i))
    if not ids[0]:
        found.insert(0, f"#{row.id}")
    return found


@dataclass(frozen=True, slots=True)
class _CaseOf:
    anchor: str
    order_number: str | None
    from_addr: str
    id: int


# -- incremental -----------------------------------------------------------------------------
@dataclass
class DbContext:
    """Answers the rules' look-ups with small indexed queries (for mail as it arrives)."""

    session: Session
    account_id: int
    own: frozenset[str]
    recent_days: int

    def case_of(self, message_id: str) -> LinkedCase | None:
        # Two indexed look-ups (message by Message-ID, then its case): SQLite without
        # statistics may otherwise scan the cases table first.
        found = self.session.execute(
            select(Message.case_id, Message.from_addr, Message.id)
            .where(
                Message.account_id == self.account_id,
                Message.message_id == message_id,
                Message.case_id.is_not(None),
            )
            .limit(1)
        ).first()
        if found is None:
            return None
        case = self.session.execute(
            select(Case.anchor, Case.order_number).where(Case.id == found.case_id)
        ).first()
        if case is None:
            return None
        row = _CaseOf(case.anchor, case.order_number, found.from_addr, found.id)
        ours = row.from_addr in self.own or bool(
            _sent_message_ids(self.session, self.account_id, [row.id])
        )
        return LinkedCase(row.anchor, ours, row.order_number)

    def resolve(self, number: str) -> str | None:
        return self.session.scalar(
            select(OrderAlias.order_number).where(
                OrderAlias.account_id == self.account_id, OrderAlias.alias == canonical(number)
            )
        )

    def order_customer(self, number: str) -> str | None:
        row = self.session.execute(
            select(Order.customer_email).where(
                Order.account_id == self.account_id, Order.number == number
            )
        ).first()
        return None if row is None else row[0]

    def order_for_item(self, item_number: str) -> str | None:
        return self.session.scalar(
            select(Order.number)
            .join(OrderLine, OrderLine.order_id == Order.id)
            .where(Order.account_id == self.account_id, OrderLine.item_number == item_number)
            .order_by(Order.placed_at.desc())
            .limit(1)
        )

    def open_orders_of(self, email: str, at: datetime | None) -> list[str]:
        return _open_orders(
            self.session.execute(
                select(Order.number, Order.placed_at, Order.status).where(
                    Order.account_id == self.account_id, Order.customer_email == email
                )
            ).all(),
            at,
            self.recent_days,
        )

    def thread_case(self, thread_id: int) -> str | None:
        return self.session.scalar(
            select(Case.anchor)
            .join(Message, Message.case_id == Case.id)
            .where(Message.account_id == self.account_id, Message.thread_id == thread_id)
            .order_by(Message.date.desc(), Message.id.desc())
            .limit(1)
        )


def _open_orders(rows: Iterable[Any], at: datetime | None, recent_days: int) -> list[str]:
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


def _thread_one(session: Session, account_id: int, key: int, ids: list[str]) -> int:
    """Put a new message into its RFC thread (joining threads it links); returns the thread."""
    nodes: dict[str, int] = {}
    for i in range(0, len(ids), CHUNK):
        nodes.update(
            session.execute(
                select(ThreadNode.mid, ThreadNode.thread_id).where(
                    ThreadNode.account_id == account_id, ThreadNode.mid.in_(ids[i : i + CHUNK])
                )
            ).all()
        )
    threads = set(nodes.values())
    keep = min(threads) if threads else key
    others = threads - {keep}
    if others:
        session.execute(
            update(ThreadNode)
            .where(ThreadNode.account_id == account_id, ThreadNode.thread_id.in_(others))
            .values(thread_id=keep)
        )
        session.execute(
            update(Message)
            .where(Message.account_id == account_id, Message.thread_id.in_(others))
            .values(thread_id=keep)
        )
        _merge_thread_cases(session, account_id, keep, others)
    missing = [
        {"account_id": account_id, "mid": mid, "thread_id": keep} for mid in ids if mid not in nodes
    ]
    if missing:
        session.execute(insert(ThreadNode), missing)
    return keep


def _merge_thread_cases(session: Session, account_id: int, keep: int, others: set[int]) -> None:
    target = _case_by_anchor(session, account_id, f"thread:{keep}")
    for other in sorted(others):
        row = _case_by_anchor(session, account_id, f"thread:{other}")
        if row is None:
            continue
        if target is None:
            row.anchor = f"thread:{keep}"
            target = row
            continue
        row.merged_into_id = target.id
        session.execute(update(Message).where(Message.case_id == row.id).values(case_id=target.id))


def _case_by_anchor(session: Session, account_id: int, anchor: str) -> Case | None:
    return session.scalar(select(Case).where(Case.account_id == account_id, Case.anchor == anchor))


def _case_for(session: Session, account_id: int, anchor: str, order: str | None = None) -> Case:
    """The live case for an anchor (following merges), created when new."""
    row = _case_by_anchor(session, account_id, anchor)
    if row is None:
        order = order or (anchor[6:] if anchor.startswith("order:") else None)
        row = Case(
            account_id=account_id,
            anchor=anchor,
            order_number=order,
            status="open",
            created_at=utcnow(),
        )
        session.add(row)
        session.flush()
    seen = {row.id}
    while row.merged_into_id is not None:
        nxt = session.get(Case, row.merged_into_id)
        if nxt is None or nxt.id in seen:
            break
        seen.add(nxt.id)
        row = nxt
    return row


def _moves(session: Session, account_id: int, keys: Iterable[str] | None = None) -> dict[str, str]:
    query = (
        select(CaseCorrection.message_key, CaseCorrection.target)
        .where(CaseCorrection.account_id == account_id, CaseCorrection.kind == "move")
        .order_by(CaseCorrection.id)
    )
    if keys is not None:
        query = query.where(CaseCorrection.message_key.in_(list(keys)))
    return dict(session.execute(query).all())


def _shop(session: Session) -> tuple[shop_settings.ShopSettings, frozenset[str]]:
    return shop_settings.load(session), shop_settings.own_addresses(session)


def assign_new(session: Session, account_id: int) -> int:
    """Analyse, thread and assign the messages that have no case yet (in date order)."""
    settings, own = shop = _shop(session)
    analyze_pending(session, account_id, shop)
    rows = session.execute(
        select(*FACT_COLUMNS).where(Message.case_id.is_(None), Message.account_id == account_id)
    ).all()
    if not rows:
        return 0
    rows = sorted(rows, key=_by_date)
    sent = _sent_message_ids(session, account_id, [r.id for r in rows])
    moves = _moves(session, account_id, [r.dedup_key for r in rows])
    ctx = DbContext(session, account_id, own, settings.recent_order_days)
    for row in rows:
        thread_id = _thread_one(session, account_id, row.id, _thread_ids(row))
        facts = _facts(row, own, sent, thread_id)
        session.execute(update(Message).where(Message.id == row.id).values(thread_id=thread_id))
        decision = _corrected(decide(facts, ctx), moves.get(row.dedup_key), session, account_id)
        case = _case_for(session, account_id, decision.anchor, decision.order)
        session.execute(
            update(Message)
            .where(Message.id == row.id)
            .values(case_id=case.id, case_rule=decision.rule, case_suggested=decision.suggested)
        )
    return len(rows)


def _corrected(
    decision: Decision, target: str | None, session: Session, account_id: int
) -> Decision:
    if target is None:
        return decision
    if target.startswith("with:"):
        anchor = session.scalar(
            select(Case.anchor)
            .join(Message, Message.case_id == Case.id)
            .where(Message.account_id == account_id, Message.dedup_key == target[5:])
        )
        return Decision(anchor, "manual") if anchor else decision
    return Decision(target, "manual", target[6:] if target.startswith("order:") else None)


# -- from scratch ----------------------------------------------------------------------------
@dataclass
class MemoryContext:
    """The rules' look-ups answered from dictionaries (for a regroup of a whole account)."""

    by_mid: dict[str, LinkedCase] = field(default_factory=dict)
    order_customers: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    items: dict[str, str] = field(default_factory=dict)
    orders_by_customer: dict[str, list[tuple[str, datetime | None, str | None]]] = field(
        default_factory=dict
    )
    thread_anchor: dict[int, str] = field(default_factory=dict)
    recent_days: int = 90

    def case_of(self, message_id: str) -> LinkedCase | None:
        return self.by_mid.get(message_id)

    def resolve(self, number: str) -> str | None:
        return self.aliases.get(canonical(number))

    def order_customer(self, number: str) -> str | None:
        return self.order_customers.get(number)

    def order_for_item(self, item_number: str) -> str | None:
        return self.items.get(item_number)

    def open_orders_of(self, email: str, at: datetime | None) -> list[str]:
        return _open_orders(self.orders_by_customer.get(email, ()), at, self.recent_days)

    def thread_case(self, thread_id: int) -> str | None:
        return self.thread_anchor.get(thread_id)


def _memory_context(session: Session, account_id: int, recent_days: int) -> MemoryContext:
    ctx = MemoryContext(recent_days=recent_days)
    for number, email, placed_at, status in session.execute(
        select(Order.number, Order.customer_email, Order.placed_at, Order.status).where(
            Order.account_id == account_id
        )
    ):
        ctx.order_customers[number] = email
        ctx.orders_by_customer.setdefault(email, []).append((number, placed_at, status))
    ctx.aliases = dict(
        session.execute(
            select(OrderAlias.alias, OrderAlias.order_number).where(
                OrderAlias.account_id == account_id
            )
        ).all()
    )
    for item, number in session.execute(
        select(OrderLine.item_number, Order.number)
        .join(Order, Order.id == OrderLine.order_id)
        .where(Order.account_id == account_id, OrderLine.item_number != "")
        .order_by(Order.placed_at)
    ):
        ctx.items[item] = number
    return ctx


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        root = x
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while self.parent.get(x, x) != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb


def regroup(session: Session, account_id: int) -> int:
    """Recompute threads and cases of an account from scratch, corrections replayed."""
    settings, own = shop = _shop(session)
    analyze_pending(session, account_id, shop)
    rows = session.execute(
        select(*FACT_COLUMNS)
        .where(Message.account_id == account_id)
        .order_by(Message.date, Message.id)
    ).all()
    sent = _sent_message_ids(session, account_id, None)

    # Threads: connected components over Message-IDs and references; id = smallest message id.
    uf = _UnionFind()
    ids_of = {row.id: _thread_ids(row) for row in rows}
    for ids in ids_of.values():
        for linked_id in ids[1:]:
            uf.union(linked_id, ids[0])
        uf.find(ids[0])
    root_min: dict[str, int] = {}
    for row in rows:
        root = uf.find(ids_of[row.id][0])
        root_min[root] = min(root_min.get(root, row.id), row.id)
    thread_of = {row.id: root_min[uf.find(ids_of[row.id][0])] for row in rows}

    ctx = _memory_context(session, account_id, settings.recent_order_days)
    moves = _moves(session, account_id)
    anchors: dict[int, Decision] = {}
    key_of = {row.id: row.dedup_key for row in rows}
    for row in rows:
        facts = _facts(row, own, sent, thread_of[row.id])
        decision = decide(facts, ctx)
        target = moves.get(row.dedup_key)
        if target is not None and not target.startswith("with:"):
            decision = Decision(
                target, "manual", target[6:] if target.startswith("order:") else None
            )
        anchors[row.id] = decision
        if row.message_id:
            ctx.by_mid[row.message_id] = LinkedCase(decision.anchor, facts.ours, decision.order)
        ctx.thread_anchor[facts.thread_id] = decision.anchor
    by_key = {key_of[mid]: d for mid, d in anchors.items()}
    for mid in list(anchors):  # moves next to another message's case
        move = moves.get(key_of[mid])
        if move is not None and move.startswith("with:") and move[5:] in by_key:
            other = by_key[move[5:]]
            anchors[mid] = Decision(other.anchor, "manual", other.order)

    final = {key_of[mid]: d.anchor for mid, d in anchors.items()}
    merged = _UnionFind()
    for key, target in session.execute(
        select(CaseCorrection.message_key, CaseCorrection.target)
        .where(CaseCorrection.account_id == account_id, CaseCorrection.kind == "merge")
        .order_by(CaseCorrection.id)
    ):
        if key in final and target[5:] in final:
            merged.union(final[key], final[target[5:]])
    _write(session, account_id, rows, ids_of, thread_of, anchors, merged)
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("ANALYZE"))  # statistics, so look-ups of new mail use the right index
    return len(rows)


def _write(
    session: Session,
    account_id: int,
    rows: Sequence[Any],
    ids_of: dict[int, list[str]],
    thread_of: dict[int, int],
    anchors: dict[int, Decision],
    merged: _UnionFind,
) -> None:
    existing = {
        a: (cid, status)
        for a, cid, status in session.execute(
            select(Case.anchor, Case.id, Case.status).where(Case.account_id == account_id)
        )
    }
    wanted = {d.anchor for d in anchors.values()} | set(merged.parent)
    order_of = {d.anchor: d.order for d in anchors.values() if d.order}
    new_cases = [
        {
            "account_id": account_id,
            "anchor": a,
            "status": "open",
            "order_number": order_of.get(a) or (a[6:] if a.startswith("order:") else None),
            "created_at": utcnow(),
        }
        for a in sorted(wanted - set(existing))
    ]
    if new_cases:
        session.execute(insert(Case), new_cases)
    ids = dict(
        session.execute(select(Case.anchor, Case.id).where(Case.account_id == account_id)).all()
    )
    session.execute(update(Case).where(Case.account_id == account_id).values(merged_into_id=None))
    merges = [
        {"cid": ids[a], "into": ids[merged.find(a)]} for a in merged.parent if merged.find(a) != a
    ]
    if merges:
        session.execute(
            update(CASES)
            .where(CASES.c.id == bindparam("cid"))
            .values(merged_into_id=bindparam("into")),
            merges,
        )
    updates = [
        {
            "mid": row.id,
            "tid": thread_of[row.id],
            "cid": ids[merged.find(anchors[row.id].anchor)],
            "rule": anchors[row.id].rule,
            "sug": anchors[row.id].suggested,
        }
        for row in rows
    ]
    table = MESSAGES
    for start in range(0, len(updates), 5000):
        session.execute(
            update(table)
            .where(table.c.id == bindparam("mid"))
            .values(
                thread_id=bindparam("tid"),
                case_id=bindparam("cid"),
                case_rule=bindparam("rule"),
                case_suggested=bindparam("sug"),
            ),
            updates[start : start + 5000],
        )
    # thread nodes, rebuilt to match
    session.execute(delete(ThreadNode).where(ThreadNode.account_id == account_id))
    nodes: dict[str, int] = {}
    for row in rows:
        for mid in ids_of[row.id]:
            nodes.setdefault(mid, thread_of[row.id])
    node_rows = [{"account_id": account_id, "mid": m, "thread_id": t} for m, t in nodes.items()]
    for start in range(0, len(node_rows), 5000):
        session.execute(insert(ThreadNode), node_rows[start : start + 5000])
    # cases left without messages and never touched by the merchant go away
    used = set(
        session.scalars(
            select(Message.case_id)
            .where(Message.account_id == account_id, Message.case_id.is_not(None))
            .distinct()
        )
    )
    merged_into = set(
        session.scalars(
            select(Case.merged_into_id).where(
                Case.account_id == account_id, Case.merged_into_id.is_not(None)
            )
        )
    )
    stale = [
        cid
        for a, (cid, status) in existing.items()
        if cid not in used
        and cid not in merged_into
        and status == "open"
        and a not in {k for k in merged.parent}
    ]
    for start in range(0, len(stale), CHUNK):
        session.execute(delete(Case).where(Case.id.in_(stale[start : start + CHUNK])))


def case_count(session: Session) -> int:
    return int(
        session.scalar(select(func.count()).select_from(Case).where(Case.merged_into_id.is_(None)))
        or 0
    )


# -- the merchant's corrections --------------------------------------------------------------
def _message_by_key(session: Session, account_id: int, key: str) -> Message:
    row = session.scalar(
        select(Message).where(Message.account_id == account_id, Message.dedup_key == key)
    )
    if row is None:
        from desktop_app.core.errors import ConfigError

        raise ConfigError(f"There is no message {key} in this mailbox.")
    return row


def correct_move(session: Session, account_id: int, key: str, target: str) -> int:
    """Move a message: target "order:<n>", "with:<message key>" or "split:<message key>"."""
    message = _message_by_key(session, account_id, key)
    if target.startswith("with:"):
        other = _message_by_key(session, account_id, target[5:])
        if other.case_id is None:
            assign_new(session, account_id)
    session.add(
        CaseCorrection(
            account_id=account_id, kind="move", message_key=key, target=target, created_at=utcnow()
        )
    )
    decision = _corrected(Decision("", "manual"), target, session, account_id)
    case = _case_for(session, account_id, decision.anchor)
    message.case_id, message.case_rule, message.case_suggested = case.id, "manual", False
    return case.id


def correct_merge(session: Session, account_id: int, key: str, into_key: str) -> int:
    """Merge the case of message `key` into the case of message `into_key`."""
    source = _message_by_key(session, account_id, key)
    target = _message_by_key(session, account_id, into_key)
    if source.case_id is None or target.case_id is None:
        assign_new(session, account_id)
        session.refresh(source)
        session.refresh(target)
    session.add(
        CaseCorrection(
            account_id=account_id,
            kind="merge",
            message_key=key,
            target=f"with:{into_key}",
            created_at=utcnow(),
        )
    )
    if source.case_id != target.case_id:
        session.execute(
            update(Case).where(Case.id == source.case_id).values(merged_into_id=target.case_id)
        )
        session.execute(
            update(Message).where(Message.case_id == source.case_id).values(case_id=target.case_id)
        )
    assert target.case_id is not None
    return target.case_id


def correct_split(session: Session, account_id: int, keys: list[str]) -> int:
    """Take these messages out into a case of their own."""
    case_id = 0
    for key in keys:
        case_id = correct_move(session, account_id, key, f"split:{keys[0]}")
    return case_id


def account_of_message(session: Session, key: str) -> int:
    """The account holding a message (a mailbox before imported mail)."""
    from desktop_app.core.errors import ConfigError
    from desktop_app.core.store.models import Account

    row = session.execute(
        select(Message.account_id)
        .join(Account, Account.id == Message.account_id)
        .where(Message.dedup_key == key)
        .order_by((Account.kind != "imap"), Account.id)
        .limit(1)
    ).first()
    if row is None:
        raise ConfigError(f"There is no message {key}.")
    return int(row[0])


def assign_pending(store: Store) -> int:
    """Group every account's new messages: one by one, or all again when very many are new."""
    from desktop_app.core.store.models import Account

    done = 0
    with store.session() as s:
        pending = dict(
            s.execute(
                select(Message.account_id, func.count())
                .where(Message.case_id.is_(None))
                .group_by(Message.account_id)
            ).all()
        )
        for account_id in list(s.scalars(select(Account.id))):
            count = pending.get(account_id, 0)
            if count > REGROUP_THRESHOLD:
                done += regroup(s, account_id)
            elif count:
                done += assign_new(s, account_id)
    return done
