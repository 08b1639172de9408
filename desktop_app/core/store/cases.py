"""Group stored messages into cases: analyse once, thread, assign by the rules, keep corrections.

Each message is analysed once (order references in subject and body, platform notices, which
create or complete orders), threaded (RFC References/In-Reply-To, ghosts included, in
`thread_nodes`), then assigned by `desktop_app.core.threads.cases.decide`. The merchant's
corrections (`case_corrections`) are replayed on top, so they survive resync, re-import and a
regroup from scratch. `assign_new` handles only messages without a case (as mail arrives);
`regroup` (in `desktop_app.core.store.regroup`) recomputes every case of an account in memory
and writes the result in bulk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    Table,
    func,
    select,
    update,
)
from sqlalchemy.orm import Session

from desktop_app.core.store import plain
from desktop_app.core.store.accounts import utcnow
from desktop_app.core.store.analysis import (
    analyze_pending,
    by_date,
    load_shop,
)
from desktop_app.core.store.case_facts import (
    ADD_THREAD_NODE,
    FACTS,
    FactRow,
    Shop,
    fact_rows,
    message_facts,
    open_orders,
    thread_ids,
)
from desktop_app.core.store.db import Store
from desktop_app.core.store.models import (
    Case,
    Message,
    ThreadNode,
)
from desktop_app.core.store.plain import to_datetime
from desktop_app.core.store.regroup import regroup as regroup  # re-exported: cases.regroup
from desktop_app.core.threads.cases import (
    Decision,
    LinkedCase,
    MessageFacts,
    canonical,
    decide,
    parents,
)

CHUNK = 400
MESSAGES = cast(Table, Message.__table__)
CASES = cast(Table, Case.__table__)
REGROUP_THRESHOLD = 2000  # more new messages than this: regroup in memory, in bulk


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
        return open_orders(rows, at, self.recent_days)

    def thread_case(self, thread_id: int) -> str | None:
        rows = self._rows(_THREAD_CASE, t=thread_id)
        return None if not rows else str(rows[0][0])


_THREAD_NODES = "SELECT mid, thread_id FROM thread_nodes WHERE account_id = :a AND mid IN (:mids)"


def _thread_one(session: Session, account_id: int, key: int, ids: list[str]) -> int:
    """Put a new message into its RFC thread (joining threads it links); returns the thread."""
    nodes: dict[str, int] = dict(
        plain.rows_for(session, _THREAD_NODES, "mids", ids, {"a": account_id})
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
    plain.run_many(session, ADD_THREAD_NODE, missing)
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
    SELECT {FACTS},
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
    return [(f, bool(r[11]), r[12]) for f, r in zip(fact_rows(rows), rows, strict=True)]


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
        thread_id = _thread_one(session, account_id, row.id, thread_ids(row))
        facts = message_facts(row, own, sent, thread_id)
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


def case_count(session: Session) -> int:
    return int(
        session.scalar(select(func.count()).select_from(Case).where(Case.merged_into_id.is_(None)))
        or 0
    )


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
