"""Orders and customers from notices and CSV exports, merged field by field, in bulk."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, text, update
from sqlalchemy.orm import Session

from desktop_app.core.store.accounts import utcnow
from desktop_app.core.store.models import Customer, Order, OrderAlias, OrderLine
from desktop_app.core.threads.cases import canonical
from desktop_app.core.threads.records import OrderRecord

CHUNK = 400
ORDERS = cast(Table, Order.__table__)
CUSTOMERS = cast(Table, Customer.__table__)
STATUS_RANK = {
    None: 0,
    "placed": 1,
    "paid": 2,
    "shipped": 3,
    "delivered": 4,
    "cancelled": 5,
    "refunded": 6,
}
# An order row as plain values (Core statements, no ORM objects: thousands at a time).
_ORDER_FIELDS = tuple(c.name for c in ORDERS.columns if c.name not in ("id", "account_id"))
_ORDER_TEXT = frozenset(
    (
        "number_display", "customer_name", "customer_email", "billing_address",
        "shipping_address", "currency", "carrier", "tracking_number", "tracking_url", "sources",
    )
)  # fmt: skip


def _new_order(number: str) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(_ORDER_FIELDS)
    row.update(dict.fromkeys(_ORDER_TEXT, ""))
    row["number"] = number
    return row


def _merge(row: dict[str, Any], record: OrderRecord) -> None:
    """Fill in what the row lacks; a later status, shipment or tracking number wins."""
    billing = record.billing_address.as_text() if record.billing_address else ""
    shipping = record.shipping_address.as_text() if record.shipping_address else ""
    row["platform"] = row["platform"] or record.platform
    row["number_display"] = row["number_display"] or record.number_display
    if STATUS_RANK.get(record.status, 0) >= STATUS_RANK.get(row["status"], 0):
        row["status"] = record.status or row["status"]
    row["placed_at"] = row["placed_at"] or record.placed_at
    row["shipped_at"] = record.shipped_at or row["shipped_at"]
    row["delivered_at"] = record.delivered_at or row["delivered_at"]
    row["customer_name"] = row["customer_name"] or record.customer_name
    row["customer_email"] = row["customer_email"] or record.customer_email.strip().lower()
    row["billing_address"] = row["billing_address"] or billing
    row["shipping_address"] = row["shipping_address"] or shipping
    if record.total is not None and row["total"] is None:
        row["total"], row["currency"] = str(record.total), record.currency
    row["carrier"] = record.carrier or row["carrier"]
    row["tracking_number"] = record.tracking_number or row["tracking_number"]
    row["tracking_url"] = record.tracking_url or row["tracking_url"]
    row["sources"] = ",".join(
        sorted(set(filter(None, (row["sources"] or "").split(","))) | {record.source})
    )
    row["updated_at"] = utcnow()


def _expire(session: Session, *types: type) -> None:
    """ORM objects of these types loaded earlier in the session: read again when next used
    (their rows were just changed with plain statements)."""
    for obj in list(session.identity_map.values()):
        if isinstance(obj, types):
            session.expire(obj)


# Made once: a new message's sender is looked up with it.
_CUSTOMERS_BY_EMAIL = text(
    "SELECT id, email, name, billing_address, shipping_address FROM customers"
    " WHERE account_id = :a AND email IN :emails"
).bindparams(bindparam("emails", expanding=True))


def upsert_customers(
    session: Session, account_id: int, people: dict[str, tuple[str, str, str]]
) -> dict[str, int]:
    """Customers by e-mail (name, billing, shipping), created or completed; returns their ids."""
    session.flush()
    people = {e.strip().lower(): v for e, v in people.items() if e and e.strip()}
    emails = sorted(people)
    table = CUSTOMERS
    rows: dict[str, Any] = {}
    for i in range(0, len(emails), CHUNK):
        rows.update(
            (r.email, r)
            for r in session.execute(
                _CUSTOMERS_BY_EMAIL, {"a": account_id, "emails": emails[i : i + CHUNK]}
            )
        )
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    now = utcnow()
    for email, (name, billing, shipping) in people.items():
        row = rows.get(email)
        if row is None:
            new.append(
                {
                    "account_id": account_id,
                    "email": email,
                    "name": name or "",
                    "billing_address": billing or "",
                    "shipping_address": shipping or "",
                    "created_at": now,
                }
            )
            continue
        values = {
            "cid": row.id,
            "v_name": row.name or name or "",
            "v_billing": billing or row.billing_address or "",
            "v_shipping": shipping or row.shipping_address or "",
        }
        if (values["v_name"], values["v_billing"], values["v_shipping"]) != (
            row.name,
            row.billing_address,
            row.shipping_address,
        ):
            changed.append(values)
    if new:
        session.execute(insert(table), new)
    if changed:
        session.execute(
            update(table)
            .where(table.c.id == bindparam("cid"))
            .values(
                name=bindparam("v_name"),
                billing_address=bindparam("v_billing"),
                shipping_address=bindparam("v_shipping"),
            ),
            changed,
        )
        _expire(session, Customer)
    ids = {email: int(row.id) for email, row in rows.items()}
    fresh = sorted(r["email"] for r in new)
    for i in range(0, len(fresh), CHUNK):
        ids.update(
            (email, int(cid))
            for cid, email, *_ in session.execute(
                _CUSTOMERS_BY_EMAIL, {"a": account_id, "emails": fresh[i : i + CHUNK]}
            )
        )
    return ids


def upsert_orders(session: Session, account_id: int, records: Iterable[OrderRecord]) -> int:
    """Merge records (several may name one order) into order rows, with lines and customers."""
    session.flush()
    records = [r for r in records if r.number]
    primary = _primary_numbers(session, account_id, records)
    by_number: dict[str, list[OrderRecord]] = {}
    for record in records:
        by_number.setdefault(primary.get(canonical(record.number), record.number), []).append(
            record
        )
    numbers = sorted(by_number)
    table = ORDERS
    rows: dict[str, dict[str, Any]] = {}
    for i in range(0, len(numbers), CHUNK):
        rows.update(
            (r.number, dict(r._mapping))
            for r in session.execute(
                select(table).where(
                    table.c.account_id == account_id, table.c.number.in_(numbers[i : i + CHUNK])
                )
            )
        )
    before = {number: dict(row) for number, row in rows.items()}
    for number, found in by_number.items():
        row = rows.get(number)
        if row is None:
            rows[number] = row = _new_order(number)
        for record in found:
            _merge(row, record)
    people = {
        r["customer_email"]: (r["customer_name"], r["billing_address"], r["shipping_address"])
        for r in rows.values()
        if r["customer_email"]
    }
    ids = upsert_customers(session, account_id, people)
    for row in rows.values():
        if row["customer_email"]:
            row["customer_id"] = ids.get(row["customer_email"])
    new = [
        {**row, "account_id": account_id} for number, row in rows.items() if number not in before
    ]
    if new:
        session.execute(insert(table), new)
        fresh = sorted(r["number"] for r in new)
        for i in range(0, len(fresh), CHUNK):
            for oid, number in session.execute(
                select(table.c.id, table.c.number).where(
                    table.c.account_id == account_id, table.c.number.in_(fresh[i : i + CHUNK])
                )
            ):
                rows[number]["id"] = oid
    changed = [
        {**{f"v_{f}": row[f] for f in _ORDER_FIELDS}, "oid": row["id"]}
        for number, row in rows.items()
        if number in before and row != before[number]
    ]
    if changed:
        session.execute(
            update(table)
            .where(table.c.id == bindparam("oid"))
            .values({f: bindparam(f"v_{f}") for f in _ORDER_FIELDS if f != "number"}),
            changed,
        )
        _expire(session, Order)
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


def aliases_of(number: str, number_display: str | None) -> set[str]:
    """The names a customer may use for this order."""
    names = {canonical(number)}
    names |= {canonical(r) for r in _REFERENCE.findall(number_display or "")}
    return names


def _add_aliases(session: Session, account_id: int, rows: Iterable[dict[str, Any]]) -> None:
    wanted = {
        alias: row["number"]
        for row in rows
        for alias in aliases_of(row["number"], row["number_display"])
    }
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
    rows: dict[str, dict[str, Any]],
    by_number: dict[str, list[OrderRecord]],
) -> None:
    order_ids = [row["id"] for row in rows.values()]
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
        if row["id"] in with_lines or not items:
            continue
        lines += [
            {
                "account_id": account_id,
                "order_id": row["id"],
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
