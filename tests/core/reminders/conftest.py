"""A small shop written straight into a store file, and a clock the tests move by hand."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from desktop_app.core.reminders.service import Reminders
from desktop_app.core.store.db import Store
from desktop_app.core.store.models import (
    Account,
    Blob,
    Case,
    Customer,
    Folder,
    Location,
    Message,
    Order,
    OrderLine,
)
from desktop_app.core.store.shop_settings import ShopSettings, save

SHOP = "help@shop.example"
T0 = datetime(2026, 1, 1, tzinfo=UTC)


class Clock:
    """Now is whatever the test says it is."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


class Shop:
    """Writes accounts, cases, messages, orders and customers as rows; nothing is parsed."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._n = 0
        with store.session() as s:
            save(s, ShopSettings(name="Shop", addresses=(SHOP,)))
            account = Account(name="shop", email=SHOP, kind="imap", created_at=naive(T0))
            s.add(account)
            s.flush()
            self.account_id = account.id
            sent = Folder(account_id=account.id, name="Sent", role="sent")
            s.add(sent)
            s.flush()
            self.sent_folder = sent.id

    def case(self, order: str | None = None, **values: object) -> int:
        with self.store.session() as s:
            self._n += 1
            anchor = f"order:{order}" if order else f"thread:{self._n}"
            case = Case(
                account_id=self.account_id,
                anchor=anchor,
                order_number=order,
                created_at=naive(T0),
                **values,
            )
            s.add(case)
            s.flush()
            return case.id

    def message(
        self,
        case_id: int,
        sender: str,
        when: datetime,
        body: str = "Hello",
        *,
        to: str = SHOP,
        name: str = "",
        intent: str | None = None,
        in_sent: bool = False,
        notice: str | None = None,
    ) -> int:
        with self.store.session() as s:
            self._n += 1
            raw = f"{self._n}{body}".encode()
            blob = Blob(
                account_id=self.account_id,
                sha256=hashlib.sha256(raw).hexdigest(),
                size=len(raw),
                data=raw,
            )
            s.add(blob)
            s.flush()
            msg = Message(
                account_id=self.account_id,
                dedup_key=f"<m{self._n}@test>",
                message_id=f"<m{self._n}@test>",
                blob_id=blob.id,
                size=len(raw),
                subject="Order",
                from_name=name,
                from_addr=sender,
                to_addrs=to,
                date=naive(when),
                body_text=body,
                created_at=naive(when),
                analyzed=True,
                case_id=case_id,
                intent=intent,
                notice_kind=notice,
            )
            s.add(msg)
            s.flush()
            if in_sent:
                s.add(
                    Location(
                        account_id=self.account_id,
                        folder_id=self.sent_folder,
                        message_id=msg.id,
                        blob_id=blob.id,
                        uidvalidity=1,
                        uid=msg.id,
                        first_seen_at=naive(when),
                    )
                )
            return msg.id

    def order(
        self,
        number: str,
        email: str,
        *,
        name: str = "",
        placed: datetime | None = None,
        shipped: datetime | None = None,
        delivered: datetime | None = None,
        lines: tuple[tuple[str, str], ...] = (),
        status: str | None = None,
        carrier: str = "",
    ) -> None:
        with self.store.session() as s:
            order = Order(
                account_id=self.account_id,
                number=number,
                customer_email=email,
                customer_name=name,
                placed_at=naive(placed) if placed else None,
                shipped_at=naive(shipped) if shipped else None,
                delivered_at=naive(delivered) if delivered else None,
                status=status,
                carrier=carrier,
                updated_at=naive(T0),
            )
            s.add(order)
            s.flush()
            for title, sku in lines:
                line = OrderLine(account_id=self.account_id, order_id=order.id, title=title)
                line.sku = sku
                s.add(line)

    def customer(
        self, email: str, name: str = "", birthday: str | None = None, since: date | None = None
    ) -> None:
        with self.store.session() as s:
            s.add(
                Customer(
                    account_id=self.account_id,
                    email=email,
                    name=name,
                    birthday=birthday,
                    since=since,
                    created_at=naive(T0),
                )
            )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(tmp_path / "store.sqlite3")
    yield store
    store.close()


@pytest.fixture
def shop(store: Store) -> Shop:
    return Shop(store)


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
def reminders(store: Store, clock: Clock) -> Reminders:
    return Reminders(store, clock)
