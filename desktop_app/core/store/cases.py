"""Group stored messages into cases: analyse once, thread, assign by the rules, keep corrections.

Each message is analysed once (order references in subject and body, platform notices, which
create or complete orders), threaded (RFC References/In-Reply-To, ghosts included, in
`thread_nodes`), then assigned by `desktop_app.core.threads.cases.decide`. The merchant's
corrections (`case_corrections`) are replayed on top, so they survive resync, re-import and a
regroup from scratch. `assign_new` handles only messages without a case (as mail arrives);
`regroup` recomputes every case of an account in memory and writes the result in bulk.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NamedTuple, cast

from sqlalchemy import (
    Table,
    func,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from desktop_app.core.store import plain, regroup_annotate
from desktop_app.core.store.accounts import utcnow
from desktop_app.core.store.analysis import (
    SET_ANALYSIS,
    analyze_pending,
    by_date,
    load_shop,
    workers,
)
from desktop_app.core.store.db import Store
from desktop_app.core.store.models import (
    Case,
    CaseCorrection,
    Folder,
    Location,
    Message,
    ThreadNode,
)
from desktop_app.core.store.plain import to_datetime
from desktop_app.core.store.shop_settings import ShopSettings
from desktop_app.core.threads.cases import (
    Decision,
    LinkedCase,
    MessageFacts,
    canonical,
    decide,
    decode_refs,
    parents,
)
from desktop_app.core.threads.rfc import normalize_id

CHUNK = 400
MESSAGES = cast(Table, Message.__table__)
CASES = cast(Table, Case.__table__)
REGROUP_THRESHOLD = 2000  # more new messages than this: regroup in memory, in bulk
CLOSED_STATUSES = ("cancelled", "refunded")


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


class FactRow(NamedTuple):
    """What grouping reads of a message (see `_FACTS`)."""

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


_FACTS = (
    'm.id, m.dedup_key, m.message_id, m.in_reply_to, m."references", m.from_addr, m.date,'
    " m.order_refs, m.thread_id, m.notice_kind, m.intent"
)


def _fact_rows(rows: Iterable[Sequence[Any]]) -> list[FactRow]:
    """Rows of `_FACTS` (the date as text) as `FactRow`s."""
    return [FactRow._make((*r[:6], to_datetime(r[6]), *r[7:11])) for r in rows]


def _facts(
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


def _refs_of(analysed: tuple[Any, ...] | None) -> str | None:
    """The order references in a message's analysis not written yet (see `SET_ANALYSIS`)."""
    return None if analysed is None else str(analysed[0])


def _thread_ids(row: Any) -> list[str]:
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


# -- incremental -----------------------------------------------------------------------------
# Mail as it arrives is assigned a message at a time, so every statement counts: plain SQL
# (no ORM objects, no statement building), as few statements as the rules allow, one look-up
# of all the parents and order numbers a message names.
_PARENT_CASES = """
    SELECT m.message_id, c.anchor, c.order_number, m.from_addr,
           EXISTS (SELECT 1 FROM locations l JOIN folders f ON f.id = l.folder_id
                   WHERE l.message_id = m.id AND l.account_id = :a AND f.role = 'sent') AS sent
    FROM messages m CROSS JOIN cases c
    WHERE m.account_id = :a AND m.message_id IN (:mids) AND m.case_id IS NOT NULL
      AND c.id = m.case_id
    ORDER BY m.id DESC
"""
_ALIASES = (
    "SELECT alias, order_number FROM order_aliases WHERE account_id = :a AND alias IN (:names)"
)
_ORDER_CUSTOMER = "SELECT customer_email FROM orders WHERE account_id = :a AND number = :n"
_ORDER_FOR_ITEM = """
    SELECT o.number FROM orders o JOIN order_lines ol ON ol.order_id = o.id
    WHERE o.account_id = :a AND ol.item_number = :item
    ORDER BY o.placed_at DESC LIMIT 1
"""
_OPEN_ORDERS = (
    "SELECT number, placed_at, status FROM orders WHERE account_id = :a AND customer_email = :e"
)
_THREAD_CASE = """
    SELECT c.anchor FROM messages m CROSS JOIN cases c
    WHERE m.account_id = :a AND m.thread_id = :t AND m.case_id IS NOT NULL AND c.id = m.case_id
    ORDER BY m.date DESC, m.id DESC LIMIT 1
"""


@dataclass
class DbContext:
    """Answers the rules' look-ups with small indexed queries (for mail as it arrives).

    `prepare(facts)` looks up, in one statement each, the cases of every message the new one
    refers to and the orders its numbers name; the rules' questions about them are then
    answered from memory. Other questions are single indexed look-ups.
    """

    session: Session
    account_id: int
    own: frozenset[str]
    recent_days: int
    linked: dict[str, LinkedCase | None] = field(default_factory=dict)
    aliases: dict[str, str | None] = field(default_factory=dict)

    def _rows(self, statement: str, **params: Any) -> list[Any]:
        return plain.rows(self.session, statement, {"a": self.account_id, **params})

    def prepare(self, m: MessageFacts) -> None:
        """Look up what the rules will ask about this message (earlier answers are dropped:
        assigning the message before may have changed them)."""
        self.linked = {}
        wanted = parents(m)
        if wanted:
            self.linked = dict.fromkeys(wanted)
            for mid, anchor, order, from_addr, sent in self._rows(_PARENT_CASES, mids=wanted):
                # the message with the smallest id wins (rows come largest first)
                self.linked[mid] = LinkedCase(anchor, from_addr in self.own or bool(sent), order)
        names = {canonical(r.number) for r in m.refs if r.kind != "item"}
        if m.notice_order:
            names.add(canonical(m.notice_order))
        self.aliases = dict.fromkeys(names)
        if names:
            self.aliases.update(self._rows(_ALIASES, names=sorted(names)))

    def case_of(self, message_id: str) -> LinkedCase | None:
        if message_id not in self.linked:
            self.linked.update(
                (mid, LinkedCase(anchor, from_addr in self.own or bool(sent), order))
                for mid, anchor, order, from_addr, sent in self._rows(
                    _PARENT_CASES, mids=[message_id]
                )
            )
        return self.linked.get(message_id)

    def resolve(self, number: str) -> str | None:
        name = canonical(number)
        if name not in self.aliases:
            self.aliases[name] = next((n for _, n in self._rows(_ALIASES, names=[name])), None)
        return self.aliases[name]

    def order_customer(self, number: str) -> str | None:
        rows = self._rows(_ORDER_CUSTOMER, n=number)
        return None if not rows else rows[0][0]

    def order_for_item(self, item_number: str) -> str | None:
        rows = self._rows(_ORDER_FOR_ITEM, item=item_number)
        return None if not rows else str(rows[0][0])

    def open_orders_of(self, email: str, at: datetime | None) -> list[str]:
        rows = [(n, to_datetime(p), s) for n, p, s in self._rows(_OPEN_ORDERS, e=email)]
        return _open_orders(rows, at, self.recent_days)

    def thread_case(self, thread_id: int) -> str | None:
        rows = self._rows(_THREAD_CASE, t=thread_id)
        return None if not rows else str(rows[0][0])


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


_THREAD_NODES = "SELECT mid, thread_id FROM thread_nodes WHERE account_id = :a AND mid IN (:mids)"
_ADD_THREAD_NODE = "INSERT INTO thread_nodes (account_id, mid, thread_id) VALUES (?, ?, ?)"


def _thread_one(session: Session, account_id: int, key: int, ids: list[str]) -> int:
    """Put a new message into its RFC thread (joining threads it links); returns the thread."""
    nodes: dict[str, int] = {}
    for i in range(0, len(ids), CHUNK):
        nodes.update(
            plain.rows(session, _THREAD_NODES, {"a": account_id, "mids": ids[i : i + CHUNK]})
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
        session.flush()
    missing = [(account_id, mid, keep) for mid in ids if mid not in nodes]
    plain.run_many(session, _ADD_THREAD_NODE, missing)
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


_CASE_BY_ANCHOR = "SELECT id, merged_into_id FROM cases WHERE account_id = :a AND anchor = :anchor"
_CASE_BY_ID = "SELECT id, merged_into_id FROM cases WHERE id = :id"
_NEW_CASE = (
    "INSERT INTO cases (account_id, anchor, order_number, status, created_at)"
    " VALUES (:a, :anchor, :order, 'open', :now)"
)
_SET_CASE = (
    "UPDATE messages SET thread_id = :t, case_id = :c, case_rule = :rule, case_suggested = :sug"
    " WHERE id = :id"
)


def _case_id_for(session: Session, account_id: int, anchor: str, order: str | None) -> int:
    """The id of the live case for an anchor (following merges), created when new."""
    found = plain.run(session, _CASE_BY_ANCHOR, {"a": account_id, "anchor": anchor}).fetchone()
    if found is None:
        order = order or (anchor[6:] if anchor.startswith("order:") else None)
        params = {"a": account_id, "anchor": anchor, "order": order, "now": utcnow()}
        return int(plain.run(session, _NEW_CASE, params).lastrowid or 0)
    cid, into = found
    seen = {cid}
    while into is not None:
        nxt = plain.run(session, _CASE_BY_ID, {"id": into}).fetchone()
        if nxt is None or nxt[0] in seen:
            break
        cid, into = nxt
        seen.add(cid)
    return int(cid)


# Plain SQL, written once: it runs at every new message.
_UNASSIGNED = f"""
    SELECT {_FACTS},
           EXISTS (SELECT 1 FROM locations l JOIN folders f ON f.id = l.folder_id
                   WHERE l.message_id = m.id AND l.account_id = :a AND f.role = 'sent') AS sent,
           (SELECT cc.target FROM case_corrections cc
            WHERE cc.account_id = :a AND cc.kind = 'move' AND cc.message_key = m.dedup_key
            ORDER BY cc.id DESC LIMIT 1) AS move
    FROM messages m WHERE m.case_id IS NULL AND m.account_id = :a
"""


def _unassigned(session: Session, account_id: int) -> list[tuple[FactRow, bool, str | None]]:
    """The facts of the account's messages without a case, each with whether it is in a Sent
    folder and the merchant's latest move of it."""
    rows = plain.rows(session, _UNASSIGNED, {"a": account_id})
    return [(f, bool(r[11]), r[12]) for f, r in zip(_fact_rows(rows), rows, strict=True)]


def assign_new(session: Session, account_id: int, shop: Shop | None = None) -> int:
    """Analyse, thread and assign the messages that have no case yet (in date order)."""
    settings, own = shop = shop or load_shop(session)
    analyze_pending(session, account_id, shop)
    found = sorted(_unassigned(session, account_id), key=lambda r: by_date(r[0]))
    if not found:
        return 0
    sent = {row.id for row, in_sent, _ in found if in_sent}
    ctx = DbContext(session, account_id, own, settings.recent_order_days)
    for row, _, move in found:
        thread_id = _thread_one(session, account_id, row.id, _thread_ids(row))
        facts = _facts(row, own, sent, thread_id)
        ctx.prepare(facts)
        decision = _corrected(decide(facts, ctx), move, session, account_id)
        case_id = _case_id_for(session, account_id, decision.anchor, decision.order)
        plain.run(
            session,
            _SET_CASE,
            {
                "t": thread_id,
                "c": case_id,
                "rule": decision.rule,
                "sug": decision.suggested,
                "id": row.id,
            },
        )
    return len(found)


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
    a = {"a": account_id}
    for number, email, placed_at, status in plain.rows(session, _ALL_ORDERS, a):
        ctx.order_customers[number] = email
        placed = to_datetime(placed_at)
        ctx.orders_by_customer.setdefault(email, []).append((number, placed, status))
    ctx.aliases = dict(plain.rows(session, _ALL_ALIASES, a))
    ctx.items = dict(plain.rows(session, _ALL_ITEMS, a))  # the latest order of each item
    return ctx


_ALL_ORDERS = "SELECT number, customer_email, placed_at, status FROM orders WHERE account_id = :a"
_ALL_ALIASES = "SELECT alias, order_number FROM order_aliases WHERE account_id = :a"
_ALL_ITEMS = (
    "SELECT ol.item_number, o.number FROM order_lines ol JOIN orders o ON o.id = ol.order_id"
    " WHERE o.account_id = :a AND ol.item_number != '' ORDER BY o.placed_at"
)


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


def _read_and_thread(
    session: Session,
    account_id: int,
    rows: list[FactRow],
    ids_of: dict[int, list[str]],
    thread_of: dict[int, int],
) -> Iterator[None]:
    """Read the account's messages (facts but the analysis) into `rows`, a slice per step,
    joining the Message-IDs each one ties together; then sort them by date, find each one's
    RFC thread (`thread_of`) and write the threads' nodes, a step each.

    A regroup takes these steps while the worker processes analyse (this process would only
    wait for them), so that little is left to do once the analysis is in."""
    session.flush()
    uf = _UnionFind()
    last = 0
    while True:
        params = {"a": account_id, "last": last, "n": READ_STEP}
        part = _fact_rows(plain.rows(session, _FACTS_AFTER, params))
        for row in part:
            ids = ids_of[row.id] = _thread_ids(row)
            for linked_id in ids[1:]:
                uf.union(linked_id, ids[0])
            uf.find(ids[0])
        rows.extend(part)
        yield
        if len(part) < READ_STEP:
            break
        last = part[-1].id
    rows.sort(key=by_date)
    # Threads: connected components over Message-IDs and references; id = smallest message id.
    root_of = {row.id: uf.find(ids_of[row.id][0]) for row in rows}
    root_min: dict[str, int] = {}
    for mid, root in root_of.items():
        if mid < root_min.get(root, mid + 1):
            root_min[root] = mid
    thread_of.update((mid, root_min[root]) for mid, root in root_of.items())
    yield
    _write_thread_nodes(session, account_id, rows, ids_of, thread_of)


def _write_thread_nodes(
    session: Session,
    account_id: int,
    rows: Sequence[FactRow],
    ids_of: dict[int, list[str]],
    thread_of: dict[int, int],
) -> None:
    """The account's thread nodes, rebuilt: each Message-ID and the thread it belongs to."""
    plain.run(session, "DELETE FROM thread_nodes WHERE account_id = :a", {"a": account_id})
    nodes: dict[str, int] = {}
    for row in rows:
        for mid in ids_of[row.id]:
            nodes.setdefault(mid, thread_of[row.id])
    node_rows = [(account_id, m, nodes[m]) for m in sorted(nodes)]
    with _indexes_dropped(session, "thread_nodes", _THREAD_COLUMN, len(node_rows)):
        plain.run_many(session, _ADD_THREAD_NODE, node_rows)


READ_STEP = 5000
_FACTS_AFTER = (
    f"SELECT {_FACTS} FROM messages m WHERE m.account_id = :a AND m.id > :last"
    " ORDER BY m.id LIMIT :n"
)


def regroup(session: Session, account_id: int, shop: Shop | None = None) -> int:
    """Recompute threads and cases of an account from scratch, corrections replayed; and the
    language and intent of each case's newest customer message (see `regroup_annotate`)."""
    total = session.scalar(
        select(func.count()).select_from(Message).where(Message.account_id == account_id)
    )
    with workers(int(total or 0)) as pool:
        return _regroup(session, account_id, pool, shop or load_shop(session))


def _regroup(
    session: Session, account_id: int, pool: ProcessPoolExecutor | None, shop: Shop
) -> int:
    settings, own = shop
    analysed: dict[int, tuple[Any, ...]] = {}  # written below, with the cases, in one update
    rows: list[FactRow] = []
    ids_of: dict[int, list[str]] = {}
    thread_of: dict[int, int] = {}
    # Read the messages and thread them while worker processes analyse them.
    steps = _read_and_thread(session, account_id, rows, ids_of, thread_of)
    annotator = regroup_annotate.Annotator(session, pool)
    sent: set[int] = set()
    ours: dict[int, bool] = {}
    kind: dict[int, str | None] = {}  # each message's notice kind

    def analysed_all() -> None:
        for _ in steps:
            pass
        sent.update(_sent_message_ids(session, account_id, None))
        ours.update((r.id, r.from_addr in own or r.id in sent) for r in rows)
        kind.update((r.id, analysed[r.id][1] if r.id in analysed else r.notice_kind) for r in rows)
        if pool is not None and analysed:  # many messages, just analysed
            # The workers load their models, then annotate each RFC thread's newest customer
            # message (nearly always the one each case will have: see below) while this
            # process records the orders and decides.
            annotator.warm_up()
            annotator.start(regroup_annotate.plan(rows, ours, kind, thread_of)[0])

    analyze_pending(
        session, account_id, shop, analysed, steps, pool=pool, before_orders=analysed_all
    )

    ctx = _memory_context(session, account_id, settings.recent_order_days)
    moves = _moves(session, account_id)
    anchors: dict[int, Decision] = {}
    key_of = {row.id: row.dedup_key for row in rows}
    for row in rows:
        facts = _facts(row, own, sent, thread_of[row.id], _refs_of(analysed.get(row.id)))
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
    # Each case's newest customer message (those not annotated yet: on the workers while the
    # cases are written).
    case_of = {mid: merged.find(d.anchor) for mid, d in anchors.items()}
    chosen, not_customer = regroup_annotate.plan(rows, ours, kind, case_of)
    annotator.start(chosen)
    _write(session, account_id, rows, thread_of, anchors, merged, analysed, not_customer)
    from_addr = {r.id: r.from_addr for r in rows}
    annotator.finish(account_id, {m: from_addr[m] for m in chosen if kind[m] is None}, chosen)
    if session.get_bind().dialect.name == "sqlite":
        # statistics, so look-ups of new mail use the right index: sampled (as SQLite's own
        # PRAGMA optimize does), 0.02 s instead of 0.4 s for 100k messages
        for statement in ("PRAGMA analysis_limit=1000", "ANALYZE", "PRAGMA analysis_limit=0"):
            plain.run(session, statement)
    return len(rows)


def _write(
    session: Session,
    account_id: int,
    rows: Sequence[FactRow],
    thread_of: dict[int, int],
    anchors: dict[int, Decision],
    merged: _UnionFind,
    analysed: dict[int, tuple[Any, ...]],
    not_customer: set[int],
) -> None:
    a = {"a": account_id}
    existing = {  # a case the merchant has triaged counts as not "open" here: it is kept
        anchor: (cid, status if touched is None else "touched")
        for anchor, cid, status, touched in plain.rows(session, _CASES_OF_ACCOUNT, a)
    }
    wanted = {d.anchor for d in anchors.values()} | set(merged.parent)
    order_of = {d.anchor: d.order for d in anchors.values() if d.order}
    now = plain.as_text(utcnow())
    new_cases = [
        (account_id, anchor, order_of.get(anchor) or _order_in(anchor), now)
        for anchor in sorted(wanted - set(existing))
    ]
    plain.run_many(session, _INSERT_CASE, new_cases)
    ids = {anchor: cid for anchor, cid, *_ in plain.rows(session, _CASES_OF_ACCOUNT, a)}
    plain.run(session, "UPDATE cases SET merged_into_id = NULL WHERE account_id = :a", a)
    merges = [(ids[merged.find(c)], ids[c]) for c in merged.parent if merged.find(c) != c]
    plain.run_many(session, "UPDATE cases SET merged_into_id = ? WHERE id = ?", merges)
    # Plain SQL for the bulk writes: building 100,000 parameter sets is the ORM's slowest part.
    # Messages analysed just now get their analysis in the same update (SQLite rewrites the
    # whole row, body included, at each update).
    case_only: list[tuple[Any, ...]] = []
    with_analysis: list[tuple[Any, ...]] = []
    for row in sorted(rows, key=lambda r: r.id):  # in storage order: 3x faster in SQLite
        decision = anchors[row.id]
        values = (
            thread_of[row.id],
            ids[merged.find(decision.anchor)],
            decision.rule,
            decision.suggested,
            regroup_annotate.NOT_CUSTOMER if row.id in not_customer else None,
        )
        found = analysed.get(row.id)
        if found is None:
            case_only.append((*values, row.id))
        else:
            with_analysis.append((*values, *found, row.id))
    with _indexes_dropped(session, "messages", _CASE_COLUMNS, len(rows)):
        plain.run_many(session, f"UPDATE messages SET {_SET_CASE_BULK} WHERE id = ?", case_only)
        plain.run_many(
            session,
            f"UPDATE messages SET {_SET_CASE_BULK}, {SET_ANALYSIS} WHERE id = ?",
            with_analysis,
        )
    # cases left without messages and never touched by the merchant go away
    used = {cid for (cid,) in plain.rows(session, _CASES_IN_USE, a)}
    kept = set(merged.parent)
    stale = [
        cid
        for anchor, (cid, status) in existing.items()
        if cid not in used and status == "open" and anchor not in kept
    ]
    for start in range(0, len(stale), CHUNK):
        plain.run(
            session, "DELETE FROM cases WHERE id IN (:ids)", {"ids": stale[start : start + CHUNK]}
        )


_CASES_OF_ACCOUNT = "SELECT anchor, id, status, touched_at FROM cases WHERE account_id = :a"
_INSERT_CASE = (
    "INSERT INTO cases (account_id, anchor, order_number, status, created_at)"
    " VALUES (?, ?, ?, 'open', ?)"
)
_SET_CASE_BULK = (
    "thread_id = ?, case_id = ?, case_rule = ?, case_suggested = ?, intent = coalesce(intent, ?)"
)
# the cases that hold a message, or that another case was merged into
_CASES_IN_USE = (
    "SELECT DISTINCT case_id FROM messages WHERE account_id = :a AND case_id IS NOT NULL"
    " UNION SELECT merged_into_id FROM cases WHERE account_id = :a AND merged_into_id IS NOT NULL"
)


def _order_in(anchor: str) -> str | None:
    """The order number an anchor names ("order:1042"), if any."""
    return anchor[6:] if anchor.startswith("order:") else None


_CASE_COLUMNS = re.compile(
    r"\b(?:thread_id|case_id|case_rule|case_suggested"
    r"|analyzed|order_refs|notice_kind|snippet|problems|intent)\b"
)
_THREAD_COLUMN = re.compile(r"\bthread_id\b")
REBUILD_INDEXES_MIN = 20_000  # rows rewritten at once, from which indexes are built afresh


@contextmanager
def _indexes_dropped(
    session: Session, table: str, columns: re.Pattern[str], count: int
) -> Iterator[None]:
    """Drop the table's indexes on these columns while `count` rows are rewritten, and build
    them again afterwards (in the same transaction): keeping every index up to date row by row
    costs SQLite several times more than building it once."""
    if count < REBUILD_INDEXES_MIN or session.get_bind().dialect.name != "sqlite":
        yield
        return
    found = session.execute(
        text("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :t"),
        {"t": table},
    ).all()
    dropped = [(name, sql) for name, sql in found if sql and columns.search(sql)]
    for name, _ in dropped:
        session.execute(text(f'DROP INDEX "{name}"'))
    yield
    for _, sql in dropped:
        session.execute(text(sql))


def case_count(session: Session) -> int:
    return int(
        session.scalar(select(func.count()).select_from(Case).where(Case.merged_into_id.is_(None)))
        or 0
    )


Shop = tuple[ShopSettings, frozenset[str]]  # the shop's settings and its own addresses
_PENDING_BY_ACCOUNT = (
    "SELECT account_id, count(*) FROM messages WHERE case_id IS NULL"
    " GROUP BY account_id ORDER BY account_id"
)


def assign_pending(store: Store) -> int:
    """Group every account's new messages: one by one, or all again when very many are new."""
    with store.session() as s:
        return assign_pending_in(s)


def assign_pending_in(session: Session, shop: Shop | None = None) -> int:
    """`assign_pending` in the caller's transaction (`shop`: as `load_shop` gives it)."""
    done = 0
    for account_id, count in plain.rows(session, _PENDING_BY_ACCOUNT):
        if count > REGROUP_THRESHOLD:
            done += regroup(session, account_id, shop)
        elif count:
            done += assign_new(session, account_id, shop)
    return done
