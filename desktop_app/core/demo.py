"""The demo shop: Shopdesk's own sample mail in an account of its own, loaded and removed whole."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from desktop_app.core.errors import ConfigError
from desktop_app.core.mail.sources import iter_source
from desktop_app.core.paths import resources_dir
from desktop_app.core.store import shop_settings
from desktop_app.core.store.accounts import local_folder, remove_account, utcnow
from desktop_app.core.store.models import Account, Folder, Location, Message, Setting
from desktop_app.core.store.shop_settings import ShopSettings
from desktop_app.core.threads.records import OrderRecord

if TYPE_CHECKING:
    from desktop_app.core.mailbox import Mailbox

DEMO_NAME = "Demo shop"
DEMO_KIND = "demo"
STATE_KEY = "demo"  # settings row: {"removed": bool, "shop": the shop settings the demo set}
NEWEST_AGE = timedelta(hours=3)  # the newest demo message arrived this long before `now`
UNREAD_SPAN = timedelta(hours=36)  # inbox mail this close to the newest message stays unread
FOLDER_ROLES = {"INBOX": "inbox", "Sent": "sent"}

_FIELD = re.compile(rb"^([!-9;-~]+)[ \t]*:([^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)(\r?\n)", re.M)


def demo_dir() -> Path:
    """The demo shop's files: `resources/demo/` at the top of the source tree."""
    return resources_dir() / "demo"


def has_demo(mailbox: Mailbox) -> bool:
    with mailbox.store.session() as s:
        return s.scalar(select(Account.id).where(Account.kind == DEMO_KIND)) is not None


def should_offer_demo(mailbox: Mailbox) -> bool:
    """True while no mailbox syncs with a server and the merchant has not removed the demo.

    It stays true once the demo is loaded (loading again does nothing), so the app can simply
    call `load_demo` on every start while this holds.
    """
    with mailbox.store.session() as s:
        if s.scalar(select(Account.id).where(Account.kind == "imap")) is not None:
            return False
        return not _state(s).get("removed", False)


def load_demo(mailbox: Mailbox, now: datetime | None = None) -> int:
    """Load the demo shop into the "Demo shop" account; returns the number of new messages.

    Does nothing (returns 0) when a demo account exists already. The mail goes into folders
    INBOX and Sent of its own account, the orders CSV into that account's orders, then the
    new messages are grouped into cases.

    Dates: the demo files carry fixed dates. Before storing, each message's Date and Received
    headers are moved by one offset so that the newest message arrived a few hours before
    `now` (default: the current time), and the orders CSV's dates by the same offset; the
    waiting times of the overdue cases then look the same on any day. Only this demo content,
    which is Shopdesk's own, is rewritten: the merchant's real mail is never altered.

    Shop settings are global (one `settings` row), so the demo's (its name, its addresses) are
    applied only when no other account exists and no shop settings are saved yet: a real
    shop's settings are never overwritten. Without them the demo still groups correctly, as
    the demo account's own address counts as the shop's. `remove_demo` takes back settings
    the demo applied, unless the merchant changed them since.
    """
    from desktop_app.core.store.file_import import import_path
    from desktop_app.core.store.orders import upsert_orders
    from desktop_app.core.threads.orders_csv import read_orders_csv

    if has_demo(mailbox):
        return 0
    folder = demo_dir()
    if not (folder / "mail").is_dir() or not (folder / "shop.json").is_file():
        raise ConfigError(f"The demo shop's files are missing from {folder}.")
    shop = _demo_shop(folder)
    mail = folder / "mail"
    newest = max(d for d in (_message_date(m.raw) for m in iter_source(mail)) if d)
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    offset = now - NEWEST_AGE - newest
    offset -= timedelta(seconds=offset.total_seconds() % 60)  # whole minutes
    with mailbox.store.session() as s:
        others = s.scalar(select(Account.id).where(Account.kind != DEMO_KIND)) is not None
        apply_shop = not others and s.get(Setting, shop_settings.KEY) is None
        account = Account(name=DEMO_NAME, email=shop.addresses[0], kind=DEMO_KIND)
        account.created_at = utcnow()
        s.add(account)
        s.flush()
        account_id = account.id
        for name, role in FOLDER_ROLES.items():
            local_folder(s, account_id, name, role)
        csv = folder / "orders.csv"
        if csv.exists():
            upsert_orders(s, account_id, (_shift_order(r, offset) for r in read_orders_csv(csv)))
        state = _state(s)
        state.update(removed=False, shop=_shop_json(shop) if apply_shop else None)
        _save_state(s, state)
    try:
        if apply_shop:
            mailbox.set_shop(shop)
        report = import_path(
            mailbox.store, mail, account_id=account_id, rewrite=lambda raw: shift_dates(raw, offset)
        )
        _mark_read(mailbox, account_id, newest + offset - UNREAD_SPAN)
        mailbox.assign_new_messages()
    except BaseException:
        _undo_load(mailbox)  # half a demo would count as loaded, and never be completed
        raise
    return report.new_messages


def remove_demo(mailbox: Mailbox) -> None:
    """Remove the demo account with all it holds, and remember not to offer the demo again.

    Other accounts are untouched. Shop settings that the demo applied go too, unless the
    merchant changed them meanwhile.
    """
    _remove(mailbox, removed=True)


def _undo_load(mailbox: Mailbox) -> None:
    _remove(mailbox, removed=False)


def _remove(mailbox: Mailbox, removed: bool) -> None:
    with mailbox.store.session() as s:
        for name in list(s.scalars(select(Account.name).where(Account.kind == DEMO_KIND))):
            remove_account(s, name)
        state = _state(s)
        applied = state.get("shop")
        state.update(removed=removed, shop=None)
        _save_state(s, state)
        current = shop_settings.load(s)
    if applied is not None and _shop_json(current) == applied:
        mailbox.set_shop(ShopSettings())


def shift_dates(raw: bytes, offset: timedelta) -> bytes:
    """The message with its Date and Received header dates moved by `offset` (demo mail only)."""
    end = _header_end(raw)
    head, body = raw[:end], raw[end:]

    def field(m: re.Match[bytes]) -> bytes:
        name, value, eol = m.group(1), m.group(2), m.group(3)
        lower = name.lower()
        if lower == b"date":
            return name + b": " + _shifted(value, offset) + eol
        if lower == b"received" and b";" in value:
            route, _, when = value.rpartition(b";")
            return name + b":" + route + b"; " + _shifted(when, offset) + eol
        return m.group(0)

    return _FIELD.sub(field, head) + body


def _header_end(raw: bytes) -> int:
    """Where the header ends: after the line break that precedes the blank line."""
    found = [i + 1 for i in (raw.find(b"\n\n"), raw.find(b"\n\r\n")) if i != -1]
    return min(found) if found else len(raw)


def _shifted(value: bytes, offset: timedelta) -> bytes:
    text = re.sub(r"\([^)]*\)", "", value.decode("ascii", "replace")).split()
    try:
        when = parsedate_to_datetime(" ".join(text))
    except (TypeError, ValueError):
        return value.strip()
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return format_datetime(when + offset).encode("ascii")


def _message_date(raw: bytes) -> datetime | None:
    for m in _FIELD.finditer(raw[: _header_end(raw)]):
        if m.group(1).lower() == b"date":
            try:
                when = parsedate_to_datetime(m.group(2).decode("ascii", "replace").strip())
            except (TypeError, ValueError):
                return None
            return when if when.tzinfo else when.replace(tzinfo=UTC)
    return None


def _shift_order(record: OrderRecord, offset: timedelta) -> OrderRecord:
    def moved(when: datetime | None) -> datetime | None:
        return when + offset if when is not None else None

    return replace(
        record,
        placed_at=moved(record.placed_at),
        shipped_at=moved(record.shipped_at),
        delivered_at=moved(record.delivered_at),
    )


def _mark_read(mailbox: Mailbox, account_id: int, unread_after: datetime) -> None:
    """Everything read, except inbox mail newer than `unread_after`."""
    cutoff = unread_after.astimezone(UTC).replace(tzinfo=None)
    with mailbox.store.session() as s:
        unread = (
            select(Location.id)
            .join(Folder, Folder.id == Location.folder_id)
            .join(Message, Message.id == Location.message_id)
            .where(Location.account_id == account_id, Folder.role == "inbox")
            .where(Message.date > cutoff)
        )
        s.execute(
            update(Location)
            .where(Location.account_id == account_id, Location.id.not_in(unread))
            .values(flags="\\Seen")
        )
        from desktop_app.core.store.ingest import refresh_read_state

        ids = list(s.scalars(select(Message.id).where(Message.account_id == account_id)))
        refresh_read_state(s, ids)  # read as the merchant sees it follows the flags


def _demo_shop(folder: Path) -> ShopSettings:
    data = json.loads((folder / "shop.json").read_text(encoding="utf-8"))
    return ShopSettings(
        name=data["name"],
        addresses=tuple(a.lower() for a in data["addresses"]),
        order_prefix=data.get("order_prefix", ""),
        order_suffix=data.get("order_suffix", ""),
    )


def _shop_json(shop: ShopSettings) -> dict[str, object]:
    return {
        "name": shop.name,
        "addresses": list(shop.addresses),
        "order_prefix": shop.order_prefix,
        "order_suffix": shop.order_suffix,
        "order_pattern": shop.order_pattern,
    }


def _state(session: Session) -> dict[str, object]:
    row = session.get(Setting, STATE_KEY)
    value = json.loads(row.value) if row is not None else None
    return value if isinstance(value, dict) else {}


def _save_state(session: Session, state: dict[str, object]) -> None:
    value = json.dumps(state, ensure_ascii=False)
    row = session.get(Setting, STATE_KEY)
    if row is None:
        session.add(Setting(key=STATE_KEY, value=value))
    else:
        row.value = value
