"""Order rules: a review request after delivery, a replenishment nudge after purchase."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import String, and_, exists, func, or_, select, type_coerce
from sqlalchemy.orm import Session, aliased

from desktop_app.core.reminders.clock import local_days_later, naive
from desktop_app.core.reminders.context import Context, Window
from desktop_app.core.reminders.model import Reminder
from desktop_app.core.store.models import Case, Message, Order, OrderLine

SPOILERS = ("complaint", "return", "cancel")  # intents that rule out a review request
DEAD_ORDERS = ("cancelled", "canceled", "refunded")


def _utc(text: str) -> datetime:
    """A stored time (naive UTC text, read as text: parsing it here is ten times faster)."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _country(address: str) -> str:
    lines = [x.strip() for x in address.replace(",", "\n").splitlines() if x.strip()]
    return lines[-1].lower() if lines else ""


def transit_days(transit: dict[str, int], carrier: str, address: str) -> int:
    """Days from shipping to delivery: by carrier, else by country, else the default."""
    table = {k.lower(): v for k, v in transit.items()}
    for key in (carrier.strip().lower(), _country(address)):
        if key and key in table:
            return table[key]
    return table.get("default", 4)


def _case_ids(session: Session, numbers: list[tuple[int, str]]) -> dict[tuple[int, str], int]:
    found: dict[tuple[int, str], int] = {}
    for start in range(0, len(numbers), 500):
        chunk = numbers[start : start + 500]
        for account, number, case_id in session.execute(
            select(Case.account_id, Case.order_number, Case.id).where(
                Case.order_number.in_({n for _, n in chunk}),
                Case.merged_into_id.is_(None),
            )
        ):
            found.setdefault((account, number or ""), case_id)
    wanted = set(numbers)
    return {k: v for k, v in found.items() if k in wanted}


def _soured() -> Any:
    """The order's case holds a complaint, a return or a cancellation."""
    return exists().where(
        Case.account_id == Order.account_id,
        Case.order_number == Order.number,
        Message.case_id == Case.id,
        Message.intent.in_(SPOILERS),
    )


def review(session: Session, ctx: Context, w: Window) -> list[Reminder]:
    """N days after delivery (delivered notice, else shipped + transit), unless soured."""
    s = ctx.settings
    days = s.review_days
    longest = max([*s.transit_days.values(), 0])
    lo = w.start - timedelta(days=days + 1)
    hi = w.end - timedelta(days=days - 1)
    rows = (
        session.connection()
        .execute(
            select(
                Order.account_id,
                Order.number,
                type_coerce(Order.delivered_at, String).label("delivered_at"),
                type_coerce(Order.shipped_at, String).label("shipped_at"),
                Order.carrier,
                Order.shipping_address,
                Order.customer_email,
                Order.customer_name,
            ).where(
                or_(
                    and_(Order.delivered_at >= naive(lo), Order.delivered_at <= naive(hi)),
                    and_(
                        Order.delivered_at.is_(None),
                        Order.shipped_at >= naive(lo - timedelta(days=longest)),
                        Order.shipped_at <= naive(hi),
                    ),
                ),
                or_(Order.status.is_(None), func.lower(Order.status).not_in(DEAD_ORDERS)),
                ~_soured(),
            )
        )
        .all()
    )
    picked: list[tuple[Any, datetime, str]] = []
    for r in rows:
        if r.delivered_at is not None:
            delivered, how = _utc(r.delivered_at), "delivered"
        else:
            transit = transit_days(s.transit_days, r.carrier, r.shipping_address)
            delivered = local_days_later(_utc(r.shipped_at), transit, ctx.tz)
            how = f"shipped + {transit} days in transit"
        due = local_days_later(delivered, days, ctx.tz)
        if w.start <= due <= w.end:
            picked.append((r, due, f"{how}: {delivered:%Y-%m-%d}"))
    cases = _case_ids(session, [(r.account_id, r.number) for r, _, _ in picked])
    return [
        Reminder(
            key=f"review:order:{r.number}",
            rule="review",
            case_id=cases.get((r.account_id, r.number)),
            order_number=r.number,
            customer_email=r.customer_email.lower(),
            customer_name=r.customer_name or r.customer_email,
            due_at=due,
            title=f"Ask {r.customer_name or r.customer_email} for a review of order {r.number}",
            template_key="review_request",
            detail=f"{days} days after delivery ({detail}).",
        )
        for r, due, detail in picked
    ]


def _matches(match: str, title: str, sku: str) -> bool:
    m = match.strip().lower()
    return m in title.lower() or sku.lower().startswith(m)


def replenish(session: Session, ctx: Context, w: Window) -> list[Reminder]:
    """An interval per product or category after purchase; not once the customer reordered."""
    s = ctx.settings
    later = aliased(Order)
    reordered = exists().where(
        later.account_id == Order.account_id,
        later.customer_email == Order.customer_email,
        later.placed_at > Order.placed_at,
        later.placed_at <= naive(w.at),
        later.id != Order.id,
    )
    found: dict[tuple[str, int], tuple[Any, datetime, str, list[str]]] = {}
    for days in sorted({d for _, d in s.replenish}):
        rules = [m for m, d in s.replenish if d == days]
        lo = naive(w.start - timedelta(days=days + 1))
        hi = naive(w.end - timedelta(days=days - 1))
        if s.replenish_from == "placed":
            when = and_(Order.placed_at >= lo, Order.placed_at <= hi)
        else:
            when = or_(
                and_(Order.delivered_at >= lo, Order.delivered_at <= hi),
                and_(Order.delivered_at.is_(None), Order.placed_at >= lo, Order.placed_at <= hi),
            )
        likes = [func.lower(OrderLine.title).contains(m.lower()) for m in rules]
        likes += [func.lower(OrderLine.sku).startswith(m.lower()) for m in rules]
        rows = (
            session.connection()
            .execute(
                select(
                    Order.account_id,
                    Order.number,
                    type_coerce(Order.placed_at, String).label("placed_at"),
                    type_coerce(Order.delivered_at, String).label("delivered_at"),
                    Order.customer_email,
                    Order.customer_name,
                    OrderLine.title,
                    OrderLine.sku,
                )
                .join(OrderLine, OrderLine.order_id == Order.id)
                .where(
                    when,
                    or_(*likes),
                    Order.customer_email != "",
                    or_(Order.status.is_(None), func.lower(Order.status).not_in(DEAD_ORDERS)),
                    ~reordered,
                )
            )
            .all()
        )
        # One reminder per order and interval, named by its first matching line (by SKU).
        for r in sorted(rows, key=lambda r: (r.number, r.sku, r.title)):
            match = next((m for m in rules if _matches(m, r.title, r.sku)), None)
            base = r.placed_at if s.replenish_from == "placed" else r.delivered_at or r.placed_at
            if match is None or base is None:
                continue
            due = local_days_later(_utc(base), days, ctx.tz)
            if not w.start <= due <= w.end:
                continue
            if (r.number, days) in found:
                found[r.number, days][3].append(r.title)
            else:
                found[r.number, days] = (r, due, match, [r.title])
    cases = _case_ids(session, [(r.account_id, r.number) for r, _, _, _ in found.values()])
    return [
        Reminder(
            key=f"replenish:order:{r.number}:{r.sku or match}",
            rule="replenish",
            case_id=cases.get((r.account_id, r.number)),
            order_number=r.number,
            customer_email=r.customer_email.lower(),
            customer_name=r.customer_name or r.customer_email,
            due_at=due,
            title=f"Time for a refill? {r.customer_name or r.customer_email}: {titles[0]}"
            + (f" and {len(titles) - 1} more" if len(titles) > 1 else ""),
            template_key="replenishment",
            detail=f"{days} days after order {r.number} ({match}): " + "; ".join(titles),
        )
        for (_, days), (r, due, match, titles) in found.items()
    ]
