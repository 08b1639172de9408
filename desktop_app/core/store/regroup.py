"""Group an account's messages from scratch: in memory, in bulk, on every core.

The messages are read and threaded while worker processes analyse them, then assigned by
`desktop_app.core.threads.cases.decide` with the look-ups answered from memory, the merchant's
corrections replayed, and the result written in a few bulk statements. Meanwhile the workers
work out the language and intent of each case's newest customer message (`regroup_annotate`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text
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
from desktop_app.core.store.case_facts import (
    ADD_THREAD_NODE,
    FACTS,
    FactRow,
    Shop,
    fact_rows,
    message_facts,
    moves_of,
    open_orders,
    refs_of,
    sent_message_ids,
    thread_ids,
)
from desktop_app.core.store.models import CaseCorrection, Message
from desktop_app.core.store.plain import to_datetime
from desktop_app.core.threads.cases import Decision, LinkedCase, canonical, decide


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
        return open_orders(self.orders_by_customer.get(email, ()), at, self.recent_days)

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
        part = fact_rows(plain.rows(session, _FACTS_AFTER, params))
        for row in part:
            ids = ids_of[row.id] = thread_ids(row)
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
        plain.run_many(session, ADD_THREAD_NODE, node_rows)


READ_STEP = 5000
_FACTS_AFTER = (
    f"SELECT {FACTS} FROM messages m WHERE m.account_id = :a AND m.id > :last"
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
        sent.update(sent_message_ids(session, account_id, None))
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
    moves = moves_of(session, account_id)
    anchors: dict[int, Decision] = {}
    key_of = {row.id: row.dedup_key for row in rows}
    for row in rows:
        facts = message_facts(row, own, sent, thread_of[row.id], refs_of(analysed.get(row.id)))
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
    for start in range(0, len(stale), plain.CHUNK):
        part = stale[start : start + plain.CHUNK]
        plain.run(session, "DELETE FROM cases WHERE id IN (:ids)", {"ids": part})


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
