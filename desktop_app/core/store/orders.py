"""Orders and customers from notices and CSV exports, merged field by field, in bulk."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from desktop_app.core.store.accounts import utcnow
from desktop_app.core.store.models import Customer, Order, OrderAlias, OrderLine
from desktop_app.core.threads.cases import canonical
from desktop_app.core.threads.records import OrderRecord

CHUNK = 400
STATUS_RANK = {
    None: 0,
    "placed": 1,
    "paid": 2,
    "shipped": 3,
    "delivered": 4,
    "cancelled": 5,
    "refunded": 6,
}


def _merge(row: Order, record: OrderRecord) -> None:
    """Fill in what the row lacks; a later status, shipment or tracking number wins."""
    billing = record.billing_address.as_text() if record.billing_address else ""
    shipping = record.shipping_address.as_text() if record.shipping_address else ""
    row.platform = row.platform or record.platform
    row.number_display = row.number_display or record.number_display
    if STATUS_RANK.get(record.status, 0) >= STATUS_RANK.get(row.status, 0):
        row.status = record.status or row.status
    row.placed_at = row.placed_at or record.placed_at
    row.shipped_at = record.shipped_at or row.shipped_at
    row.delivered_at = record.delivered_at or row.delivered_at
    row.customer_name = row.customer_name or record.customer_name
    row.customer_email = row.customer_email or record.customer_email.strip().lower()
    row.billing_address = row.billing_address or billing
    row.shipping_address = row.shipping_address or shipping
    if record.total is not None and row.total is None:
        row.total, row.currency = str(record.total), record.currency
    row.carrier = record.carrier or row.carrier
    row.tracking_number = record.tracking_number or row.tracking_number
    row.tracking_url = record.tracking_url or row.tracking_url
    row.sources = ",".join(
        sorted(set(filter(None, (row.sources or "").split(","))) | {record.source})
    )
    row.updated_at = utcnow()


def upsert_customers(
    session: Session, account_id: int, people: dict[str, tuple[str, str, str]]
) -> dict[str, int]:
    """Customers by e-mail (name, billing, shipping), created or completed; returns their ids."""
    people = {e.strip().lower(): v for e, v in people.items() if e and e.strip()}
    emails = sorted(people)
    rows: dict[str, Customer] = {}
    for i in range(0, len(emails), CHUNK):
        rows.update(
            (c.email, c)
            for c in session.scalars(
                select(Customer).where(
                    Customer.account_id == account_id, Customer.email.in_(emails[i : i + CHUNK])
                )
            )
        )
    for email, (name, billing, shipping) in people.items():
        row = rows.get(email)
        if row is None:
            rows[email] = row = Customer(
                account_id=account_id,
                email=email,
                name=name,
                billing_address=billing,
                shipping_address=shipping,
                created_at=utcnow(),
            )
            session.add(row)
        else:
            row.name = row.name or name
            row.billing_address = billing or row.billing_address
            row.shipping_address = shipping or row.shipping_address
    session.flush()
    return {email: row.id for email, row in rows.items()}


def upsert_orders(session: Session, account_id: int, records: Iterable[OrderRecord]) -> int:
    """Merge records (several may name one order) into order rows, with lines and customers."""
    records = [r for r in records if r.number]
    primary = _primary_numbers(session, account_id, records)
    by_number: dict[str, list[OrderRecord]] = {}
    for record in records:
        by_number.setdefault(primary.get(canonical(record.number), record.number), []).append(
            record
        )
    numbers = sorted(by_number)
    rows: dict[str, Order] = {}
    for i in range(0, len(numbers), CHUNK):
        rows.update(
            (o.number, o)
            for o in session.scalars(
                select(Order).where(
                    Order.account_id == account_id, Order.number.in_(numbers[i : i + CHUNK])
                )
            )
        )
    for number, found in by_number.items():
        row = rows.get(number)
        if row is None:
            rows[number] = row = Order(
                account_id=account_id, number=number, sources="", updated_at=utcnow()
            )
            session.add(row)
        for record in found:
            _merge(row, record)
    session.flush()
    people = {
        r.customer_email: (r.customer_name, r.billing_address, r.shipping_address)
        for r in rows.values()
        if r.customer_email
    }
    ids = upsert_customers(session, account_id, people)
    for row in rows.values():
        if row.customer_email:
            row.customer_id = ids.get(row.customer_email)
    _add_lines(session, account_id, rows, by_number)
    _add_aliases(session, account_id, rows.values())
    return len(rows)


_REFERENCE = re.compile(r"\b[A-Z]{9}\b")


def _primary_numbers(
    session: Session, account_id: int, records: list[OrderRecord]
) -> dict[str, str]:
    """For each name an order goes by, the number of the order row it belongs to: a PrestaShop
    shipping notice names only the reference that the new-order notice printed beside the id."""
    out: dict[str, str] = {}
    for record in records:  # this batch: "#90061 - MSETQMLQM"
        for ref in _REFERENCE.findall(record.number_display or ""):
            if canonical(ref) != canonical(record.number):
                out[canonical(ref)] = record.number
    names = sorted({canonical(r.number) for r in records} - set(out))
    for i in range(0, len(names), CHUNK):  # earlier ones
        for alias, number in session.execute(
            select(OrderAlias.alias, OrderAlias.order_number).where(
                OrderAlias.account_id == account_id, OrderAlias.alias.in_(names[i : i + CHUNK])
            )
        ):
            if canonical(number) != alias:
                out[alias] = number
    return out


def aliases_of(row: Order) -> set[str]:
    """The names a customer may use for this order."""
    names = {canonical(row.number)}
    names |= {canonical(r) for r in _REFERENCE.findall(row.number_display or "")}
    return names


def _add_aliases(session: Session, account_id: int, rows: Iterable[Order]) -> None:
    wanted = {alias: row.number for row in rows for alias in aliases_of(row)}
    names = sorted(wanted)
    known: set[str] = set()
    for i in range(0, len(names), CHUNK):
        known |= set(
            session.scalars(
                select(OrderAlias.alias).where(
                    OrderAlias.account_id == account_id, OrderAlias.alias.in_(names[i : i + CHUNK])
                )
            )
        )
    new = [
        {"account_id": account_id, "alias": a, "order_number": n}
        for a, n in wanted.items()
        if a not in known
    ]
    if new:
        session.execute(insert(OrderAlias), new)


def _add_lines(
    session: Session,
    account_id: int,
    rows: dict[str, Order],
    by_number: dict[str, list[OrderRecord]],
) -> None:
    order_ids = [row.id for row in rows.values()]
    with_lines: set[int] = set()
    for i in range(0, len(order_ids), CHUNK):
        with_lines |= set(
            session.scalars(
                select(OrderLine.order_id)
                .where(OrderLine.order_id.in_(order_ids[i : i + CHUNK]))
                .distinct()
            )
        )
    lines = []
    for number, found in by_number.items():
        row = rows[number]
        items = next((r.items for r in found if r.items), ())
        if row.id in with_lines or not items:
            continue
        lines += [
            {
                "account_id": account_id,
                "order_id": row.id,
                "title": it.title,
                "quantity": it.quantity,
                "sku": it.sku,
                "price": str(it.price) if it.price is not None else None,
                "item_number": it.item_number,
            }
            for it in items
        ]
    if lines:
        session.execute(insert(OrderLine).execution_options(render_nulls=True), lines)


def upsert_order(session: Session, account_id: int, record: OrderRecord) -> int:
    """One record (see upsert_orders); returns the order's id."""
    upsert_orders(session, account_id, [record])
    return int(
        session.scalar(
            select(Order.id).where(Order.account_id == account_id, Order.number == record.number)
        )
        or 0
    )


def upsert_customer(session: Session, account_id: int, email: str, name: str = "") -> int | None:
    return upsert_customers(session, account_id, {email: (name, "", "")}).get(email.lower())
