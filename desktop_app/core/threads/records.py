"""Plain values shared by order-reference finding, notice parsing, CSV import and case grouping."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

PLATFORMS = (
    "shopify",
    "woocommerce",
    "magento",
    "opencart",
    "prestashop",
    "amazon",
    "etsy",
    "ebay",
    "store",
)


@dataclass(frozen=True, slots=True)
class OrderRef:
    """An order (or marketplace item) number found in a message.

    `number` is normalised so that the same order found in different wordings compares equal:
    digits without '#' or store prefix/suffix for Shopify/WooCommerce/OpenCart/Magento (leading
    zeros kept for Magento's 9-digit numbers: "000000123"), the 9 upper-case letters of a
    PrestaShop reference, "123-1234567-1234567" for Amazon, digits for Etsy receipts and eBay
    order numbers ("12-34567-89012"). `kind` is "order", or "item" for a marketplace item or
    listing number (eBay, Etsy) that names a product rather than an order.
    """

    number: str
    platform: str | None = None  # one of PLATFORMS, or None when the wording does not tell
    kind: str = "order"  # order | item
    raw: str = ""  # the text as found, e.g. "Bestellung Nr. 1042"
    where: str = "subject"  # subject | body


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address as a platform prints it."""

    name: str = ""
    lines: tuple[str, ...] = ()
    city: str = ""
    postcode: str = ""
    region: str = ""
    country: str = ""
    phone: str = ""

    def as_text(self) -> str:
        parts = [
            self.name,
            *self.lines,
            " ".join(p for p in (self.postcode, self.city) if p),
            self.region,
            self.country,
        ]
        return "\n".join(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class OrderItem:
    """One line of an order."""

    title: str
    quantity: int = 1
    sku: str = ""
    price: Decimal | None = None  # per unit, in the order's currency
    item_number: str = ""  # marketplace item / listing number (eBay, Etsy), if any


@dataclass(frozen=True, slots=True)
class OrderRecord:
    """What is known about an order from one source (a notice, a CSV row); None = not known."""

    number: str  # normalised as in OrderRef
    platform: str | None = None
    number_display: str = ""  # as the shop shows it, e.g. "#SHOP-1001"
    status: str | None = None  # placed | paid | shipped | delivered | cancelled | refunded
    placed_at: datetime | None = None
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None
    customer_name: str = ""
    customer_email: str = ""
    billing_address: Address | None = None
    shipping_address: Address | None = None
    items: tuple[OrderItem, ...] = ()
    total: Decimal | None = None
    currency: str = ""
    carrier: str = ""
    tracking_number: str = ""
    tracking_url: str = ""
    source: str = "notice"  # notice | csv


@dataclass(frozen=True, slots=True)
class Notice:
    """A platform's automatic e-mail about an order (placed, shipped, delivered, ...)."""

    kind: str  # order_placed | shipped | delivered | cancelled | refunded | message | other
    platform: str
    order: OrderRecord
    problems: tuple[str, ...] = field(default_factory=tuple)


class OrderFacts(NamedTuple):
    """An `OrderRecord` as the store keeps it: addresses and amounts as text, items as plain
    tuples (title, quantity, sku, price, item number). A tuple: cheap to send from a worker
    process, where the notices are read, to the process that records the orders."""

    number: str
    platform: str | None
    number_display: str
    status: str | None
    placed_at: datetime | None
    shipped_at: datetime | None
    delivered_at: datetime | None
    customer_name: str
    customer_email: str
    billing_address: str
    shipping_address: str
    items: tuple[tuple[str, int, str, str | None, str], ...]
    total: str | None
    currency: str
    carrier: str
    tracking_number: str
    tracking_url: str
    source: str


def order_facts(record: OrderRecord) -> OrderFacts:
    """The record as the store keeps it."""
    return OrderFacts(
        record.number,
        record.platform,
        record.number_display,
        record.status,
        record.placed_at,
        record.shipped_at,
        record.delivered_at,
        record.customer_name,
        record.customer_email,
        record.billing_address.as_text() if record.billing_address else "",
        record.shipping_address.as_text() if record.shipping_address else "",
        tuple(
            (i.title, i.quantity, i.sku, None if i.price is None else str(i.price), i.item_number)
            for i in record.items
        ),
        None if record.total is None else str(record.total),
        record.currency,
        record.carrier,
        record.tracking_number,
        record.tracking_url,
        record.source,
    )
