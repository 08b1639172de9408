"""Which case a message belongs to: the rules, in order, over facts the store supplies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple, Protocol

from desktop_app.core.threads.records import OrderRef


class MessageFacts(NamedTuple):
    """What the rules need to know about one message (a tuple: a regroup makes 100,000)."""

    key: int
    dedup_key: str
    message_id: str | None
    in_reply_to: str | None
    references: tuple[str, ...]
    from_addr: str
    date: datetime | None
    ours: bool
    refs: tuple[OrderRef, ...]
    notice_order: str | None
    thread_id: int
    bulk: bool = False  # a mailing list or newsletter: it stays in its own thread


@dataclass(frozen=True, slots=True)
class LinkedCase:
    """The case of a message that another one refers to."""

    anchor: str
    ours: bool
    order: str | None


@dataclass(frozen=True, slots=True)
class Decision:
    """Where a message goes, by which rule, and whether the merchant should confirm it."""

    anchor: str
    rule: str  # notice | own_reply | references | order_number | item_number | customer | thread
    order: str | None = None
    suggested: bool = False


class Context(Protocol):
    """Look-ups the rules make; the store answers them from the database or from memory."""

    def case_of(self, message_id: str) -> LinkedCase | None: ...

    def resolve(self, number: str) -> str | None:
        """The number of the known order that `number` names (its own number, a reference or
        the same digits without leading zeros), None when no known order has it."""

    def order_customer(self, number: str) -> str | None:
        """The customer e-mail of a known order ("" when unknown), None when no such order."""

    def order_for_item(self, item_number: str) -> str | None: ...

    def open_orders_of(self, email: str, at: datetime | None) -> list[str]: ...

    def thread_case(self, thread_id: int) -> str | None: ...


@lru_cache(maxsize=1 << 16)  # the same numbers are looked up again and again in a regroup
def canonical(number: str) -> str:
    """One spelling per order: digits without leading zeros ("000100067" = "100067"),
    letters in capitals; Amazon's and eBay's dashed numbers stay as they are."""
    number = number.strip()
    if number.isdigit():
        return number.lstrip("0") or "0"
    return number.upper()


def order_anchor(number: str) -> str:
    return f"order:{canonical(number)}"


def parents(m: MessageFacts) -> list[str]:
    """In-Reply-To first, then References from the nearest to the oldest, without repeats."""
    seen: set[str] = set()
    out: list[str] = []
    for mid in [m.in_reply_to, *reversed(m.references)]:
        if mid and mid != m.message_id and mid not in seen:
            seen.add(mid)
            out.append(mid)
    return out


def named_orders(m: MessageFacts, ctx: Context) -> tuple[list[str], list[str]]:
    """Order numbers the message names: (known orders, all orders), items resolved to orders.

    A "candidate" (a token shaped like an order number that no wording introduced) counts only
    when it is the number of a known order: known orders first.
    """
    known: list[str] = []
    unknown: list[str] = []
    for ref in m.refs:
        if ref.kind == "item":
            number = ctx.order_for_item(ref.number)
            resolved = ctx.resolve(number) if number else None
        else:
            resolved = ctx.resolve(ref.number)
            number = ref.number
        if resolved:
            if resolved not in known:
                known.append(resolved)
        elif ref.kind == "order" and number and number not in unknown:
            unknown.append(number)
    return known, known + [n for n in unknown if canonical(n) not in map(canonical, known)]


def decide(m: MessageFacts, ctx: Context) -> Decision:
    """Apply the rules in order; see the module docstring of desktop_app.core.store.cases."""
    if m.notice_order:
        number = ctx.resolve(m.notice_order) or m.notice_order
        return Decision(order_anchor(number), "notice", number)
    if m.bulk:
        return Decision(f"thread:{m.thread_id}", "thread")
    known, named = named_orders(m, ctx)
    linked = [case for case in (ctx.case_of(p) for p in parents(m)) if case is not None]
    for group, rule in (([c for c in linked if c.ours], "own_reply"), (linked, "references")):
        if not group:
            continue
        target = group[0]
        # A reply in an old thread about another order of the same customer: the new order.
        # (The merchant's own reply names the order it is about.) Only the strongest number
        # counts: a reply's new text outranks the subject it inherited.
        if known:
            number = known[0]
            same_order = target.order and canonical(number) == canonical(target.order)
            if not same_order and (m.ours or ctx.order_customer(number) in (m.from_addr, "")):
                return Decision(order_anchor(number), "order_number", number)
        return Decision(target.anchor, rule, target.order)
    if known:
        return Decision(order_anchor(known[0]), "order_number", known[0])
    if named:
        item = any(r.kind == "item" for r in m.refs)
        return Decision(order_anchor(named[0]), "item_number" if item else "order_number", named[0])
    if not m.ours and m.from_addr:
        open_orders = ctx.open_orders_of(m.from_addr, m.date)
        if len(open_orders) == 1:
            return Decision(order_anchor(open_orders[0]), "customer", open_orders[0], True)
    anchor = ctx.thread_case(m.thread_id)
    return Decision(
        anchor or f"thread:{m.thread_id}",
        "thread",
        anchor[6:] if anchor and anchor.startswith("order:") else None,
    )


def encode_refs(refs: list[OrderRef] | tuple[OrderRef, ...], notice: str | None) -> str:
    """Order references as stored on the message: "kind:platform:number" separated by spaces."""
    parts = [f"notice::{notice}"] if notice else []
    parts += [f"{r.kind}:{r.platform or ''}:{r.number}" for r in refs]
    return " ".join(p.replace(" ", "") for p in parts)


def decode_refs(text: str) -> tuple[tuple[OrderRef, ...], str | None]:
    refs: list[OrderRef] = []
    notice = None
    for part in text.split():
        kind, platform, number = ([*part.split(":", 2), "", ""])[:3]
        if kind == "notice":
            notice = number
        elif number:
            refs.append(OrderRef(number=number, platform=platform or None, kind=kind))
    return tuple(refs), notice
