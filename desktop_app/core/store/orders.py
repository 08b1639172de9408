"""Orders and customers from notices and CSV exports, merged field by field, in bulk."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, bindparam, select
from sqlalchemy.orm import Session

from desktop_app.core.store import plain
from desktop_app.core.store.accounts import utcnow
from desktop_app.core.store.models import Customer, Order
from desktop_app.core.threads.cases import canonical
from desktop_app.core.threads.records import OrderFacts, OrderRecord, order_facts

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


def _merge(row: dict[str, Any], record: OrderFacts, now: datetime) -> None:
    """Fill in what the row lacks; a later status, shipment or tracking number wins."""
    row["platform"] = row["platform"] or record.platform
    row["number_display"] = row["number_display"] or record.number_display
    if STATUS_RANK.get(record.status, 0) >= STATUS_RANK.get(row["status"], 0):
        row["status"] = record.status or row["status"]
    row["placed_at"] = row["placed_at"] or record.placed_at
    row["shipped_at"] = record.shipped_at or row["shipped_at"]
    row["delivered_at"] = record.delivered_at or row["delivered_at"]
    row["customer_name"] = row["customer_name"] or record.customer_name
    row["customer_email"] = row["customer_email"] or record.customer_email.strip().lower()
    row["billing_address"] = row["billing_address"] or record.billing_address
    row["shipping_address"] = row["shipping_address"] or record.shipping_address
    if record.total is not None and row["total"] is None:
        row["total"], row["currency"] = record.total, record.currency
    row["carrier"] = record.carrier or row["carrier"]
    row["tracking_number"] = record.tracking_number or row["tracking_number"]
    row["tracking_url"] = record.tracking_url or row["tracking_url"]
    if row["sources"] != record.source:
        row["sources"] = ",".join(
            sorted(set(filter(None, (row["sources"] or "").split(","))) | {record.source})
        )
    row["updated_at"] = now


def _expire(session: Session, *types: type) -> None:
    """ORM objects of these types loaded earlier in the session: read again when next used
    (their rows were just changed with plain statements)."""
    for obj in list(session.identity_map.values()):
        if isinstance(obj, types):
            session.expire(obj)


class _Customer(NamedTuple):
    id: int
    email: str
    name: str
    billing_address: str
    shipping_address: str


# Plain (see `plain`): a new message's sender is looked up with it.
_CUSTOMERS_BY_EMAIL = (
    "SELECT id, email, name, billing_address, shipping_address FROM customers"
    " WHERE account_id = :a AND email IN (:emails)"
)
_ORDERS_BY_NUMBER = select(ORDERS).where(
    ORDERS.c.account_id == bindparam("a"), ORDERS.c.number.in_(bindparam("numbers", expanding=True))
)
_ORDER_IDS = "SELECT id, number FROM orders WHERE account_id = :a AND number IN (:numbers)"
_ALIASES_NAMED = (
    "SELECT alias, order_number FROM order_aliases WHERE account_id = :a AND alias IN (:names)"
)
_ORDERS_WITH_LINES = "SELECT DISTINCT order_id FROM order_lines WHERE order_id IN (:ids)"
# The bulk writes: plain statements with a tuple per row (SQLAlchemy's per-row parameter
# handling cost more than SQLite's own work for the thousands of rows of a first sync).
_INSERT_CUSTOMER = (
    "INSERT INTO customers (account_id, email, name, billing_address, shipping_address,"
    " created_at) VALUES (?, ?, ?, ?, ?, ?)"
)
_UPDATE_CUSTOMER = (
    "UPDATE customers SET name = ?, billing_address = ?, shipping_address = ? WHERE id = ?"
)
_INSERT_ORDER = (
    f"INSERT INTO orders (account_id, {', '.join(_ORDER_FIELDS)})"
    f" VALUES (?, {', '.join('?' for _ in _ORDER_FIELDS)})"
)
_UPDATE_ORDER = (
    f"UPDATE orders SET {', '.join(f'{f} = ?' for f in _ORDER_FIELDS if f != 'number')}"
    " WHERE id = ?"
)
_INSERT_ALIAS = "INSERT INTO order_aliases (account_id, alias, order_number) VALUES (?, ?, ?)"
_INSERT_LINE = (
    "INSERT INTO order_lines (account_id, order_id, title, quantity, sku, price, item_number)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)


def _in_chunks(
    session: Session, statement: Any, name: str, values: list[Any], **params: Any
) -> Iterator[Any]:
    """The rows of `statement` for `values` bound to its expanding parameter `name`, a chunk
    of them at a time."""
    for i in range(0, len(values), CHUNK):
        yield from session.execute(statement, {**params, name: values[i : i + CHUNK]})


def upsert_customers(
    session: Session, account_id: int, people: dict[str, tuple[str, str, str]]
) -> dict[str, int]:
    """Customers by e-mail (name, billing, shipping), created or completed; returns their ids."""
    session.flush()
    people = {e.strip().lower(): v for e, v in people.items() if e and e.strip()}
    emails = sorted(people)
    rows = {r.email: r for r in _customers(session, account_id, emails)}
    new: list[tuple[Any, ...]] = []
    changed: list[tuple[Any, ...]] = []
    now = plain.as_text(utcnow())
    for email, (name, billing, shipping) in people.items():
        row = rows.get(email)
        if row is None:
            new.append((account_id, email, name or "", billing or "", shipping or "", now))
            continue
        values = (
            row.name or name or "",
            billing or row.billing_address or "",
            shipping or row.shipping_address or "",
        )
        if values != (row.name, row.billing_address, row.shipping_address):
            changed.append((*values, row.id))
    plain.run_many(session, _INSERT_CUSTOMER, new)
    if changed:
        plain.run_many(session, _UPDATE_CUSTOMER, changed)
        _expire(session, Customer)
    ids = {email: int(row.id) for email, row in rows.items()}
    ids.update((r.email, r.id) for r in _customers(session, account_id, sorted(r[1] for r in new)))
    return ids


def _customers(session: Session, account_id: int, emails: list[str]) -> Iterator[_Customer]:
    found = plain.rows_for(session, _CUSTOMERS_BY_EMAIL, "emails", emails, {"a": account_id})
    return map(_Customer._make, found)


def upsert_orders(
    session: Session, account_id: int, found: Iterable[OrderRecord | OrderFacts]
) -> int:
    """Merge records (several may name one order) into order rows, with lines and customers."""
    session.flush()
    records = [r if isinstance(r, OrderFacts) else order_facts(r) for r in found if r.number]
    primary = _primary_numbers(session, account_id, records)
    by_number: dict[str, list[OrderFacts]] = {}
    for record in records:
        by_number.setdefault(primary.get(canonical(record.number), record.number), []).append(
            record
        )
    numbers = sorted(by_number)
    rows: dict[str, dict[str, Any]] = {
        r.number: dict(r._mapping)
        for r in _in_chunks(session, _ORDERS_BY_NUMBER, "numbers", numbers, a=account_id)
    }
    before = {number: dict(row) for number, row in rows.items()}
    now = utcnow()
    for number, found in by_number.items():
        row = rows.get(number)
        if row is None:
            rows[number] = row = _new_order(number)
        for record in found:
            _merge(row, record, now)
    people = {
        r["customer_email"]: (r["customer_name"], r["billing_address"], r["shipping_address"])
        for r in rows.values()
        if r["customer_email"]
    }
    ids = upsert_customers(session, account_id, people)
    for row in rows.values():
        if row["customer_email"]:
            row["customer_id"] = ids.get(row["customer_email"])

    def values(row: dict[str, Any], fields: Iterable[str]) -> list[Any]:
        return [plain.as_text(row[f]) if isinstance(row[f], datetime) else row[f] for f in fields]

    new = [row for number, row in rows.items() if number not in before]
    if new:
        plain.run_many(
            session, _INSERT_ORDER, [(account_id, *values(row, _ORDER_FIELDS)) for row in new]
        )
        fresh = sorted(r["number"] for r in new)
        for oid, number in plain.rows_for(session, _ORDER_IDS, "numbers", fresh, {"a": account_id}):
            rows[number]["id"] = oid
    changed = [
        (*values(row, (f for f in _ORDER_FIELDS if f != "number")), row["id"])
        for number, row in rows.items()
        if number in before and row != before[number]
    ]
    if changed:
        plain.run_many(session, _UPDATE_ORDER, changed)
        _expire(session, Order)
    _add_lines(session, account_id, rows, by_number)
    _add_aliases(session, account_id, rows.values())
    return len(rows)


_REFERENCE = re.compile(r"\b[A-Z]{9}\b")


def _primary_numbers(
    session: Session, account_id: int, records: list[OrderFacts]
) -> dict[str, str]:
    """For each name an order goes by, the number of the order row it belongs to: a PrestaShop
    shipping notice names only the reference that the new-order notice printed beside the id."""
    out: dict[str, str] = {}
    for record in records:  # this batch: "#90061 - MSETQMLQM"
        for ref in _REFERENCE.findall(record.number_display or ""):
            if canonical(ref) != canonical(record.number):
                out[canonical(ref)] = record.number
    names = sorted({canonical(r.number) for r in records} - set(out))
    a = {"a": account_id}
    for alias, number in plain.rows_for(session, _ALIASES_NAMED, "names", names, a):
        if canonical(number) != alias:  # earlier ones
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
    found = plain.rows_for(session, _ALIASES_NAMED, "names", names, {"a": account_id})
    known = {alias for alias, _ in found}
    new = [(account_id, alias, n) for alias, n in wanted.items() if alias not in known]
    if new:
        plain.run_many(session, _INSERT_ALIAS, new)


def _add_lines(
    session: Session,
    account_id: int,
    rows: dict[str, dict[str, Any]],
    by_number: dict[str, list[OrderFacts]],
) -> None:
    order_ids = [row["id"] for row in rows.values()]
    with_lines = {oid for (oid,) in plain.rows_for(session, _ORDERS_WITH_LINES, "ids", order_ids)}
    lines: list[tuple[Any, ...]] = []
    for number, found in by_number.items():
        row = rows[number]
        items = next((r.items for r in found if r.items), ())
        if row["id"] in with_lines or not items:
            continue
        lines += [(account_id, row["id"], *item) for item in items]
    if lines:
        plain.run_many(session, _INSERT_LINE, lines)


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
