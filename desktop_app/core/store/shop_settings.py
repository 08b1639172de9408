"""The shop's own settings: its name, its addresses, its order-number pattern."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from sqlalchemy.orm import Session

from desktop_app.core.store import plain
from desktop_app.core.store.models import Setting

KEY = "shop"


@dataclass(frozen=True, slots=True)
class ShopSettings:
    """Who the shop is: mail from `addresses` is the merchant's own."""

    name: str = ""
    addresses: tuple[str, ...] = ()
    order_prefix: str = ""
    order_suffix: str = ""
    order_pattern: str | None = None  # the shop's own order-number regex (one group)
    recent_order_days: int = 90  # "the customer's one recent open order" looks this far back
    # For replies (issue 5): filled into templates as shop.signature, shop.return_address ...
    signature: str = ""
    return_address: str = ""
    review_link: str = ""
    default_language: str = "en"  # replies to customers whose language is not known
    locale: str = ""  # money and dates when the customer's is not known ("" = from the language)
    extra: dict[str, str] = field(default_factory=dict)


# Plain statements: read at every new message.
_VALUE = "SELECT value FROM settings WHERE key = :k"
_MAILBOXES = "SELECT email FROM accounts"


def load(session: Session) -> ShopSettings:
    value = plain.scalar(session, _VALUE, {"k": KEY})
    if value is None:
        return ShopSettings()
    data = json.loads(value) or {}
    data["addresses"] = tuple(a.lower() for a in data.get("addresses", ()))
    known = {k: v for k, v in data.items() if k in ShopSettings.__dataclass_fields__}
    return ShopSettings(**known)


def save(session: Session, settings: ShopSettings) -> None:
    value = json.dumps(asdict(settings), ensure_ascii=False)
    row = session.get(Setting, KEY)
    if row is None:
        session.add(Setting(key=KEY, value=value))
    else:
        row.value = value


def own_addresses(session: Session, shop: ShopSettings | None = None) -> frozenset[str]:
    """The shop's addresses plus every mailbox's own address."""
    shop = shop or load(session)
    mailboxes = {str(e).lower() for (e,) in plain.rows(session, _MAILBOXES)}
    return frozenset(shop.addresses) | frozenset(mailboxes)
