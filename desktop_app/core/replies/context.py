"""The values a reply template reads for one case: customer, order, shop and the case."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.core.replies import formats
from desktop_app.core.replies.render import RenderError
from desktop_app.core.replies.sandbox import Values
from desktop_app.core.store import shop_settings
from desktop_app.core.store.models import Case, Customer, Message, Order, OrderLine

_RESERVED = frozenset({"customer", "order", "shop", "case", "range"})


@dataclass(frozen=True, slots=True)
class CaseParty:
    """Who a case is with and about: the customer (if known) and the order (if any)."""

    case_id: int
    account_id: int
    subject: str
    name: str
    email: str
    customer_id: int | None
    customer_language: str | None
    order_id: int | None


def case_party(session: Session, case_id: int) -> CaseParty:
    """The customer and order of a case; RenderError for an unknown case."""
    case = session.get(Case, case_id)
    seen = set()
    while case is not None and case.merged_into_id is not None and case.id not in seen:
        seen.add(case.id)
        case = session.get(Case, case.merged_into_id)
    if case is None:
        raise RenderError(f"There is no case {case_id}.")
    order = None
    if case.order_number:
        order = session.scalar(
            select(Order).where(
                Order.account_id == case.account_id, Order.number == case.order_number
            )
        )
    own = shop_settings.own_addresses(session)
    latest = None
    subject = ""
    for msg in session.execute(
        select(Message.from_name, Message.from_addr, Message.subject)
        .where(Message.case_id == case.id)
        .order_by(Message.date.desc(), Message.id.desc())
    ):
        subject = subject or msg.subject
        if msg.from_addr and msg.from_addr.lower() not in own and latest is None:
            latest = msg
            subject = msg.subject or subject
    customer = None
    if order is not None and order.customer_id is not None:
        customer = session.get(Customer, order.customer_id)
    email = (order.customer_email if order else "") or (latest.from_addr if latest else "")
    if customer is None and email:
        customer = session.scalar(
            select(Customer).where(
                Customer.account_id == case.account_id, Customer.email == email.lower()
            )
        )
    name = (
        (customer.name if customer else "")
        or (order.customer_name if order else "")
        or (latest.from_name if latest else "")
    )
    return CaseParty(
        case_id=case.id,
        account_id=case.account_id,
        subject=subject,
        name=_clean_name(name),
        email=(customer.email if customer else email).strip(),
        customer_id=customer.id if customer else None,
        customer_language=customer.language if customer else None,
        order_id=order.id if order else None,
    )


def first_name(name: str) -> str:
    """The first name, "Grace" from "Grace Walker" or "Weber, Grace"; "" when there is no name."""
    name = _clean_name(name)
    if "," in name:
        name = name.split(",", 1)[1]
    words = name.split()
    return words[0] if words else ""


def build_case_context(
    session: Session, case_id: int, language: str, extra: Mapping[str, str] = {}
) -> dict[str, Any]:
    """See `render.case_context`. Empty values are left out, so printing them is refused."""
    party = case_party(session, case_id)
    shop = shop_settings.load(session)
    customer = {
        "name": party.name,
        "first_name": first_name(party.name),
        "email": party.email,
        "language": language,
    }
    order: dict[str, Any] = {}
    row = session.get(Order, party.order_id) if party.order_id is not None else None
    if row is not None:
        lines = session.scalars(
            select(OrderLine).where(OrderLine.order_id == row.id).order_by(OrderLine.id)
        )
        items = tuple(
            Values("order.items", _present({"title": ln.title, "quantity": ln.quantity,
                                             "price": _amount(ln.price)}))
            for ln in lines
        )  # fmt: skip
        order = {
            "number": row.number_display or row.number,
            "platform": row.platform,
            "placed_at": row.placed_at,
            "shipped_at": row.shipped_at,
            "delivered_at": row.delivered_at,
            "items": items,
            "total": _amount(row.total),
            "currency": row.currency.strip().upper(),
            "carrier": row.carrier,
            "tracking_number": row.tracking_number,
            "tracking_url": row.tracking_url
            or formats.tracking_url(row.carrier, row.tracking_number),
        }
    context: dict[str, Any] = {
        key: str(value).strip()
        for key, value in extra.items()
        if key.isidentifier() and key not in _RESERVED and str(value).strip()
    }
    context.update(
        customer=Values("customer", _present(customer)),
        order=Values("order", _present(order)),
        shop=Values(
            "shop",
            _present(
                {
                    "name": shop.name,
                    "signature": shop.signature.strip("\n") or shop.name,
                    "return_address": shop.return_address.strip("\n"),
                    "review_link": shop.review_link,
                }
            ),
        ),
        case=Values("case", _present({"id": party.case_id, "subject": party.subject})),
    )
    return context


def _present(values: Mapping[str, Any]) -> dict[str, Any]:
    """Only the values that are there: no empty strings, no None, no empty item lists."""
    out = {}
    for key, value in values.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if isinstance(value, tuple) and not value:
            continue
        if isinstance(value, str | int | Decimal | datetime | tuple):
            out[key] = value
    return out


def _amount(text: str | None) -> Decimal | None:
    if text is None or not str(text).strip():
        return None
    try:
        return Decimal(str(text).strip())
    except InvalidOperation:
        return None


def _clean_name(name: str) -> str:
    """The name as a reply can print it: no quotes or e-mail addresses, "GRACE" as "Grace"."""
    name = " ".join((name or "").replace('"', " ").split())
    if "@" in name:
        return ""
    return name.title() if name.islower() or name.isupper() else name
