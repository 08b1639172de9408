"""Orders and customers from notices and CSV exports, merged field by field."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.core.store.accounts import utcnow
from desktop_app.core.store.models import Customer, Order, OrderLine
from desktop_app.core.threads.records import OrderRecord

STATUS_RANK = {
    None: 0,
    "placed": 1,
    "paid": 2,
    "shipped": 3,
    "delivered": 4,
    "cancelled": 5,
    "refunded": 6,
}


def upsert_customer(
    session: Session,
    account_id: int,
    email: str,
    name: str = "",
    billing: str = "",
    shipping: str = "",
) -> int | None:
    """The customer with this address, created or completed; None without an address."""
    email = email.strip().lower()
    if not email:
        return None
    row = session.scalar(
        select(Customer).where(Customer.account_id == account_id, Customer.email == email)
    )
    if row is None:
        row = Customer(
            account_id=account_id,
            email=email,
            name=name,
            billing_address=billing,
            shipping_address=shipping,
            created_at=utcnow(),
        )
        session.add(row)
        session.flush()
        return row.id
    row.name = row.name or name
    row.billing_address = billing or row.billing_address
    row.shipping_address = shipping or row.shipping_address
    return row.id


def upsert_order(session: Session, account_id: int, record: OrderRecord) -> int:
    """Merge what this source knows into the order row; later, further statuses win."""
    row = session.scalar(
        select(Order).where(Order.account_id == account_id, Order.number == record.number)
    )
    if row is None:
        row = Order(account_id=account_id, number=record.number, updated_at=utcnow(), sources="")
        session.add(row)
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
    row.customer_email = row.customer_email or record.customer_email.lower()
    row.billing_address = row.billing_address or billing
    row.shipping_address = row.shipping_address or shipping
    if record.total is not None and row.total is None:
        row.total, row.currency = str(record.total), record.currency
    row.carrier = record.carrier or row.carrier
    row.tracking_number = record.tracking_number or row.tracking_number
    row.tracking_url = record.tracking_url or row.tracking_url
    sources = set(filter(None, row.sources.split(","))) | {record.source}
    row.sources = ",".join(sorted(sources))
    row.updated_at = utcnow()
    session.flush()
    if row.customer_email:
        row.customer_id = upsert_customer(
            session, account_id, row.customer_email, row.customer_name, billing, shipping
        )
    if record.items and not session.scalar(
        select(OrderLine.id).where(OrderLine.order_id == row.id).limit(1)
    ):
        for item in record.items:
            session.add(
                OrderLine(
                    account_id=account_id,
                    order_id=row.id,
                    title=item.title,
                    quantity=item.quantity,
                    sku=item.sku,
                    price=str(item.price) if item.price is not None else None,
                    item_number=item.item_number,
                )
            )
    return row.id
