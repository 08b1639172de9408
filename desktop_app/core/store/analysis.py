"""Analyse each message once: order numbers, platform notices, list mail, a preview."""

from __future__ import annotations

import multiprocessing as mp
import os
import re
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from typing import Any, cast

from sqlalchemy import String, Table, bindparam, case, func, or_, select, text, update
from sqlalchemy.orm import Session

from desktop_app.core.mail.quotes import split_reply
from desktop_app.core.store import shop_settings
from desktop_app.core.store.models import (
    Blob,
    Message,
)
from desktop_app.core.store.orders import upsert_customers, upsert_orders
from desktop_app.core.threads.cases import (
    canonical,
    encode_refs,
)
from desktop_app.core.threads.notices import parse_notice
from desktop_app.core.threads.order_refs import OrderPatterns, find_order_refs
from desktop_app.core.threads.records import OrderRecord, OrderRef

CHUNK = 400
MESSAGES = cast(Table, Message.__table__)


def patterns(settings: shop_settings.ShopSettings) -> OrderPatterns:
    return OrderPatterns(
        store_prefix=settings.order_prefix,
        store_suffix=settings.order_suffix,
        custom_regex=settings.order_pattern,
    )


ANALYSIS_BATCH = 2000  # messages read, analysed and written at a time: memory stays flat


def analyze_pending(
    session: Session,
    account_id: int,
    shop: tuple[shop_settings.ShopSettings, frozenset[str]] | None = None,
) -> int:
    """Find order references and notices in messages not analysed yet; record notices' orders.

    Works through the pending messages in date order, a batch at a time (bounded memory
    whatever the mailbox size), on every core when there are many.
    """
    settings, own = shop or load_shop(session)
    found = patterns(settings)
    pending = session.execute(
        select(Message.id, Message.date).where(PENDING, Message.account_id == account_id)
    ).all()
    ids = [row.id for row in sorted(pending, key=by_date)]  # ORDER BY would scan by date
    senders: dict[str, str] = {}
    records: list[OrderRecord] = []
    with _workers(len(ids)) as pool:
        for start in range(0, len(ids), ANALYSIS_BATCH):
            batch = ids[start : start + ANALYSIS_BATCH]
            rows = session.execute(
                select(
                    Message.id,
                    Message.subject,
                    Message.body_text,
                    Message.from_addr,
                    Message.from_name,
                    Message.date,
                    func.substr(Blob.data, 1, HEADER_PEEK).label("head"),
                )
                .join(Blob, Blob.id == Message.blob_id)
                .where(Message.id.in_(batch))
            ).all()
            order = {mid: i for i, mid in enumerate(batch)}
            plain = sorted((tuple(r) for r in rows), key=lambda r: order[r[0]])
            updates = []
            for row, (update_row, record, sender) in zip(
                plain, _analyse_all(plain, own, found, pool), strict=True
            ):
                updates.append(update_row)
                if record is not None:
                    records.append(record)
                if sender:
                    senders.setdefault(sender, row[4])
            _write_analysis(session, updates)
    upsert_orders(session, account_id, records)
    upsert_customers(session, account_id, {e: (n, "", "") for e, n in senders.items()})
    return len(ids)


def _write_analysis(session: Session, updates: list[dict[str, Any]]) -> None:
    if not updates:
        return
    notes = bindparam("notes", type_=String)
    problems = MESSAGES.c.problems
    session.execute(
        update(MESSAGES)
        .where(MESSAGES.c.id == bindparam("mid"))
        .values(
            analyzed=True,
            order_refs=bindparam("refs"),
            notice_kind=bindparam("kind"),
            snippet=bindparam("snippet"),
            # appended once, however often the message is analysed again
            problems=case(
                (or_(notes == "", func.instr(problems, notes) > 0), problems),
                else_=func.trim(problems + "\n" + notes, "\n"),
            ),
        ),
        updates,
    )


_CANDIDATE_LETTERS = re.compile(r"(?<![\w-])[A-Z]{9}(?![\w-])")
# Digits count as a candidate only right after '#' or shortly after an order word: a bare
# number in a text is as likely a postcode, a phone number or a year.
_ORDER_WORD = (
    r"(?:order|bestell|auftrag|tilau|pasūtīj|pasutij|ऑर्डर|आर्डर|պատվեր|commande|"
    r"pedido|ordine|zamówi|заказ|beställ|bestill)"
)
_CANDIDATE_DIGITS = re.compile(
    r"(?:#\s?|" + _ORDER_WORD + r"[^\n\d#]{0,40}?#?)(?<![\w.,:/+-])(\d{4,10})(?![\w/-]|[.,:]\d)",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(19|20)\d\d")


def _candidates(text: str, digits: bool) -> list[OrderRef]:
    """Tokens shaped like order numbers that no wording the extractor knows introduced:
    PrestaShop references, and (where asked) digits after '#' or near an order word ("new
    order, 61030"). They count only when a known order has that number; bare years never."""
    found = _CANDIDATE_LETTERS.findall(text)
    if digits:
        found += [d for d in _CANDIDATE_DIGITS.findall(text) if not _YEAR.fullmatch(d)]
    return [OrderRef(number=token, kind="candidate") for token in dict.fromkeys(found)]


HEADER_PEEK = 8192
PARALLEL_MIN = 4000  # more messages than this are analysed by worker processes, one per core
Analysed = tuple[dict[str, Any], OrderRecord | None, str]


def _analyse_row(row: tuple[Any, ...], own: frozenset[str], found: OrderPatterns) -> Analysed:
    """One message: (its column updates, the order its notice tells of, a customer's address)."""
    mid, subject, body, from_addr, _from_name, date, head = row
    notice = parse_notice(from_addr, subject, body)
    if notice is None and is_bulk(head):  # lists and newsletters: no order, no customer
        return (
            {
                "mid": mid,
                "refs": "bulk::",
                "kind": "bulk",
                "snippet": " ".join(body.split())[:200],
                "notes": "",
            },
            None,
            "",
        )
    record = None
    if notice is not None and notice.order.number:
        record = notice.order
        if notice.kind == "order_placed" and record.placed_at is None:
            record = replace(record, placed_at=date)  # the notice was sent as it was placed
        if not record.customer_email:
            record = replace(record, customer_email=_customer_in(body, from_addr, own))
    split = split_reply(body[:20_000])
    refs = (
        []
        if record
        else _ordered_refs(subject, split.new_text, body, found, quoted=bool(split.quoted))
    )
    if notice is not None and record is None:  # a buyer message naming only its item
        refs += [
            OrderRef(number=i.item_number, platform=notice.platform, kind="item")
            for i in notice.order.items
            if i.item_number
        ]
    sender = from_addr if not notice and from_addr and from_addr not in own else ""
    return (
        {
            "mid": mid,
            "refs": encode_refs(refs, record.number if record else None),
            "kind": notice.kind if notice else None,
            "snippet": " ".join((split.new_text or body).split())[:200],
            # what a platform notice held that could not be read, kept beside parse problems
            "notes": "\n".join(notice.problems) if notice else "",
        },
        record,
        sender,
    )


def _analyse_chunk(
    rows: list[tuple[Any, ...]], own: frozenset[str], found: OrderPatterns
) -> list[Analysed]:
    return [_analyse_row(row, own, found) for row in rows]


@contextmanager
def _workers(count: int) -> Iterator[ProcessPoolExecutor | None]:
    """A pool of worker processes for a big batch (an initial sync, an import), else None."""
    workers = min(os.cpu_count() or 1, 8)
    if count < PARALLEL_MIN or workers < 2:
        yield None
        return
    # fork where there is one (Linux): the children need nothing but this module's pure
    # functions, and unlike spawn it does not run the caller's main script again.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    try:
        pool = ProcessPoolExecutor(workers, mp_context=mp.get_context(method))
    except OSError:
        yield None
        return
    try:
        yield pool
    finally:
        pool.shutdown(cancel_futures=True)


def _analyse_all(
    rows: list[tuple[Any, ...]],
    own: frozenset[str],
    found: OrderPatterns,
    pool: ProcessPoolExecutor | None,
) -> list[Analysed]:
    """Analyse here, or spread over the worker processes: the work is pure Python over text,
    so processes, not threads."""
    if pool is None:
        return _analyse_chunk(rows, own, found)
    size = max(100, len(rows) // 8)
    chunks = [rows[i : i + size] for i in range(0, len(rows), size)]
    try:
        parts = list(pool.map(_analyse_chunk, chunks, [own] * len(chunks), [found] * len(chunks)))
    except BrokenProcessPool:  # a worker died: do it here
        return _analyse_chunk(rows, own, found)
    return [result for part in parts for result in part]


def by_date(row: Any) -> tuple[datetime, int]:
    return (row.date or datetime.min, row.id)


# Written out so that SQLite sees the partial index's own condition and uses it.
PENDING = text("messages.analyzed = 0")
_BULK = re.compile(
    rb"^(list-id|list-unsubscribe|list-post):|^precedence:[ \t]*(list|bulk|junk)",
    re.IGNORECASE | re.MULTILINE,
)


def is_bulk(head: bytes | None) -> bool:
    """Mail from a list or a bulk sender, judged by the headers at the top of the raw bytes."""
    if not head:
        return False
    end = head.find(b"\r\n\r\n")
    if end < 0:
        end = head.find(b"\n\n")
    return bool(_BULK.search(head if end < 0 else head[:end]))


_REPLY_PREFIX = re.compile(
    r"^\s*(re|aw|sv|vs|atb|antw|r|ref|fw|fwd|wg)\s*(\[\d+\])?\s*:", re.IGNORECASE
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PLATFORM_DOMAINS = (
    "shopify.com",
    "amazon.",
    "etsy.com",
    "ebay.",
    "paypal.",
    "woocommerce.",
    "magento.",
    "prestashop.",
    "opencart.",
)


def _ordered_refs(
    subject: str, new_text: str, body: str, patterns: OrderPatterns, quoted: bool = True
) -> list[OrderRef]:
    """Order references, the strongest first: in a reply the new text outranks the subject it
    inherited; quoted text (an order table) comes last but still counts. Candidates (tokens
    shaped like order numbers with no wording around them) follow each part's own finds."""
    in_subject = find_order_refs(subject, "", patterns)
    in_subject += _candidates(subject, digits=True)
    in_new = find_order_refs("", new_text, patterns)
    in_new += _candidates(new_text[:5000], digits=True)
    if not quoted:  # nothing quoted: the new text holds all there is to find
        in_body = []
    else:
        in_body = find_order_refs("", body, patterns) + _candidates(body[:5000], digits=False)
    groups = [in_new, in_subject] if _REPLY_PREFIX.match(subject) else [in_subject, in_new]
    out: list[OrderRef] = []
    seen: set[str] = set()
    for ref in [*groups[0], *groups[1], *in_body]:
        if canonical(ref.number) not in seen:
            seen.add(canonical(ref.number))
            out.append(ref)
    return out


def _customer_in(body: str, sender: str, own: frozenset[str]) -> str:
    """The customer's address printed in a notice that has no labelled one."""
    sender_domain = sender.rpartition("@")[2]
    for found in _EMAIL.findall(body[:20_000]):
        address = str(found).lower().rstrip(".")
        domain = address.rpartition("@")[2]
        if address in own or domain == sender_domain:
            continue
        if any(p in domain for p in PLATFORM_DOMAINS) or address.startswith(
            ("noreply", "no-reply")
        ):
            continue
        return address
    return ""


def load_shop(session: Session) -> tuple[shop_settings.ShopSettings, frozenset[str]]:
    """The shop's settings and every address that is the merchant's own."""
    settings = shop_settings.load(session)
    return settings, shop_settings.own_addresses(session, settings)
