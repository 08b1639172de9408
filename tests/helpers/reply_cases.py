"""Demo-shop cases for reply tests: one with every value a template may print, one bare."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from desktop_app.core.demo import load_demo
from desktop_app.core.mailbox import Mailbox
from desktop_app.core.paths import store_path
from desktop_app.core.store import shop_settings
from desktop_app.core.store.models import Case, Customer, Order

NOW = datetime(2031, 6, 17, 9, 30)
FULL_ORDER = "4124"  # Ani Hakobyan, DPD 05212384761187, one item
BARE_ORDER = "4140"  # Daniel Roberts: no carrier, no tracking number
SIGNATURE = "Ann Lindqvist\nNorthwind Botanicals"
RETURN_ADDRESS = "Northwind Botanicals\nReturns\nMerikatu 4\n00140 Helsinki\nFinland"
REVIEW_LINK = "https://reviews.example/northwind"
EXTRA = {"discount_code": "BDAY-7Q2K"}


def load_reply_demo(mailbox: Mailbox) -> None:
    """The demo shop, with the shop's reply settings filled in and one order complete."""
    load_demo(mailbox, now=NOW.astimezone())
    with mailbox.store.session() as s:
        shop = shop_settings.load(s)
        shop_settings.save(
            s,
            replace(
                shop,
                name=shop.name or "Northwind Botanicals",
                signature=SIGNATURE,
                return_address=RETURN_ADDRESS,
                review_link=REVIEW_LINK,
            ),
        )
        order = s.scalar(select(Order).where(Order.number == FULL_ORDER))
        assert order is not None and order.tracking_number
        order.placed_at = datetime(2031, 5, 2, 10, 15)
        order.shipped_at = datetime(2031, 5, 3, 12, 0)
        order.delivered_at = datetime(2031, 5, 6, 15, 30)


def case_of(mailbox: Mailbox, number: str) -> int:
    with mailbox.store.session() as s:
        case_id = s.scalar(select(Case.id).where(Case.order_number == number))
        assert case_id is not None, number
        return case_id


def set_customer_language(mailbox: Mailbox, case_id: int, language: str | None) -> None:
    """Make the case's customer (by the order's address) write in `language`."""
    with mailbox.store.session() as s:
        case = s.get(Case, case_id)
        assert case is not None
        order = s.scalar(select(Order).where(Order.number == case.order_number))
        assert order is not None
        customer = s.scalar(select(Customer).where(Customer.email == order.customer_email))
        assert customer is not None
        customer.language = language


def case_of_path(data_dir: Path, number: str) -> int:
    """`case_of` for the store in a data folder (the CLI's)."""
    box = Mailbox.open(store_path(data_dir))
    try:
        return case_of(box, number)
    finally:
        box.close()
