"""The due list timed on a big store: 100,000 cases and 20,000 orders (target under 200 ms).

```sh
.venv/bin/python bench/reminders.py            # builds once under /tmp, then reuses it
.venv/bin/python bench/reminders.py --rebuild  # builds the store again
```

The store is synthetic: rows inserted straight into the tables with SQL (no mail is parsed,
no case grouping runs), which is enough here since reminders read only cases, messages,
locations, orders, order lines and customers. Two years of a shop's life ending at NOW:
100,000 cases with 2-3 messages each (customer questions, the merchant's answers, a third
of them asking something back, some with a copy in Sent), 20,000 orders with 1-3 lines
(creams, serums, filters, other things), some complaints and returns, 20,000 customers, half
with a birthday and a third with a customer-since date, a few hundred cases snoozed.

The last line on stdout is one JSON object: `cases`, `orders`, `messages`, `due` (how many
reminders are due), `by_rule`, `due_ms` (median wall time of 7 calls of `Reminders.due()`
after one warm-up call), `due_max_ms`, `due_cpu_ms` (median CPU time of the process: the
same work without the machine's other load), `upcoming_week_ms`, `away_weekend_ms`,
`meets_target` (due_ms < 200). Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desktop_app.core.reminders.service import Reminders  # noqa: E402
from desktop_app.core.store.db import Store  # noqa: E402

DEFAULT = Path("/tmp/shopdesk-bench-reminders/store.sqlite3")
VERSION = "2"
NOW = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)  # a Monday morning
SHOP = "support@myshop.example"
CASES, ORDERS, CUSTOMERS = 100_000, 20_000, 20_000
SPAN = timedelta(days=730)
PRODUCTS = (
    ("Night face cream 50 ml", "NB-FC-50"),
    ("Vitamin C serum", "SER-C"),
    ("Herbal shampoo 250 ml", "SH-250"),
    ("Refill pack", "RF-1"),
    ("Industrial air filter F7", "IF-F7"),
    ("Ceramic mug", "MUG-1"),
    ("Linen tote bag", "BAG-2"),
    ("Scented candle", "CND-3"),
)
QUESTIONS = ("Could you send a photo of the label?", "Which size do you need?")
ANSWERS = ("Your parcel left today.", "Thanks, the refund is on its way.")
CUSTOMER_TEXT = "Hello, where is my order? I ordered last week and nothing came yet.\n" * 3


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def naive(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")


def build(path: Path, seed: int) -> None:
    """Write the synthetic shop with plain SQL (executemany), then ANALYZE."""
    rnd = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    store = Store.open(path)
    store.close()
    import sqlite3

    db = sqlite3.connect(path)
    start = NOW - SPAN
    t0 = naive(start)
    db.execute(
        "INSERT INTO settings (key, value) VALUES ('shop', ?)",
        (json.dumps({"name": "My Shop", "addresses": [SHOP]}),),
    )
    db.execute(
        "INSERT INTO accounts (id, name, email, kind, allow_insecure, extra_folders, created_at)"
        " VALUES (1, 'shop', ?, 'imap', 0, '', ?)",
        (SHOP, t0),
    )
    db.execute(
        "INSERT INTO folders (id, account_id, name, role, sync_enabled, last_uid,"
        " gone_from_server) VALUES (1, 1, 'INBOX', 'inbox', 1, 0, 0),"
        " (2, 1, 'Sent', 'sent', 1, 0, 0)"
    )
    db.execute(
        "INSERT INTO blobs (id, account_id, sha256, size, data) VALUES (1, 1, 'x', 1, x'00')"
    )
    emails = [f"customer{i}@example.com" for i in range(CUSTOMERS)]
    customers = []
    for i, email in enumerate(emails):
        bday = f"{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}" if i % 2 == 0 else None
        since = (start + timedelta(days=rnd.randint(-900, 700))).date().isoformat()
        customers.append((i + 1, email, f"Customer {i}", bday, since if i % 3 == 0 else None, t0))
    db.executemany(
        "INSERT INTO customers (id, account_id, email, name, billing_address, shipping_address,"
        " birthday, since, created_at) VALUES (?, 1, ?, ?, '', '', ?, ?, ?)",
        [(c[0], c[1], c[2], c[3], c[4], c[5]) for c in customers],
    )
    orders, lines = [], []
    for o in range(ORDERS):
        placed = start + timedelta(seconds=rnd.randint(0, int(SPAN.total_seconds())))
        shipped = placed + timedelta(days=rnd.randint(1, 3))
        delivered = shipped + timedelta(days=rnd.randint(2, 6)) if o % 3 else None
        status = "refunded" if o % 50 == 0 else "fulfilled"
        email = emails[rnd.randrange(CUSTOMERS)]
        orders.append(
            (
                o + 1,
                str(100000 + o),
                status,
                naive(placed),
                naive(shipped),
                naive(delivered) if delivered else None,
                email,
                email.split("@")[0],
                rnd.choice(("DHL", "Omniva", "DPD")),
                naive(placed),
            )
        )
        for _ in range(rnd.randint(1, 3)):
            title, sku = rnd.choice(PRODUCTS)
            lines.append((o + 1, title, sku))
    db.executemany(
        "INSERT INTO orders (id, account_id, number, number_display, status, placed_at,"
        " shipped_at, delivered_at, customer_email, customer_name, billing_address,"
        " shipping_address, currency, carrier, tracking_number, tracking_url, sources,"
        " updated_at) VALUES (?, 1, ?, '', ?, ?, ?, ?, ?, ?, '', 'Riga, Latvia', 'EUR', ?,"
        " '', '', 'csv', ?)",
        orders,
    )
    db.executemany(
        "INSERT INTO order_lines (account_id, order_id, title, quantity, sku, item_number)"
        " VALUES (1, ?, ?, 1, ?, '')",
        lines,
    )
    cases, messages, locations = [], [], []
    mid = 0
    for c in range(CASES):
        order = str(100000 + c) if c < ORDERS else None
        anchor = f"order:{order}" if order else f"thread:{c}"
        status = rnd.choice(("open", "waiting", "done", "done", "done"))
        first = start + timedelta(seconds=rnd.randint(0, int(SPAN.total_seconds())))
        snoozed = naive(NOW + timedelta(hours=rnd.randint(-96, 96))) if c % 300 == 0 else None
        cases.append((c + 1, anchor, order, status, t0, snoozed))
        email = emails[rnd.randrange(CUSTOMERS)]
        when = first
        for k in range(rnd.randint(2, 3)):
            mid += 1
            ours = k % 2 == 1
            body = (
                rnd.choice(QUESTIONS if rnd.random() < 0.33 else ANSWERS)
                if ours
                else (CUSTOMER_TEXT)
            )
            intent = (
                None if ours else rnd.choice(("shipping",) * 17 + ("complaint", "return", "cancel"))
            )
            messages.append(
                (
                    mid,
                    f"<m{mid}@bench>",
                    "Re: your order",
                    "" if ours else "Customer",
                    SHOP if ours else email,
                    email if ours else SHOP,
                    naive(when),
                    body,
                    body[:100],
                    naive(when),
                    c + 1,
                    intent,
                )
            )
            if ours and mid % 3 == 0:
                locations.append((mid, mid, naive(when)))
            when += timedelta(hours=rnd.randint(1, 120))
    db.executemany(
        "INSERT INTO cases (id, account_id, anchor, order_number, status, created_at,"
        " snoozed_until, starred) VALUES (?, 1, ?, ?, ?, ?, ?, 0)",
        cases,
    )
    db.executemany(
        "INSERT INTO messages (id, account_id, dedup_key, blob_id, size, subject, from_name,"
        " from_addr, to_addrs, cc_addrs, addresses, date, references, body_text, snippet,"
        " has_attachments, problems, created_at, analyzed, order_refs, case_id,"
        " case_suggested, seen, flagged, intent) VALUES (?, 1, ?, 1, 1000, ?, ?, ?, ?, '', '',"
        " ?, '', ?, ?, 0, '', ?, 1, '', ?, 0, 1, 0, ?)".replace("references", '"references"'),
        messages,
    )
    db.executemany(
        "INSERT INTO locations (account_id, folder_id, message_id, blob_id, uidvalidity, uid,"
        " flags, gone_from_server, first_seen_at) VALUES (1, 2, ?, 1, 1, ?, '', 0, ?)",
        locations,
    )
    db.commit()
    db.execute("ANALYZE")
    db.close()
    (path.parent / "version").write_text(VERSION)
    say(f"built {path}: {CASES} cases, {ORDERS} orders, {len(messages)} messages")


def _ms(fn: Callable[[], Any], repeat: int = 7) -> tuple[float, float, Any]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), max(times), result


def _cpu_ms(fn: Callable[[], Any], repeat: int = 7) -> float:
    """Median CPU time of this process: what the machine's other load does not inflate."""
    times = []
    for _ in range(repeat):
        t = time.process_time()
        fn()
        times.append((time.process_time() - t) * 1000)
    return statistics.median(times)


def measure(path: Path) -> dict[str, Any]:
    store = Store.open(path)
    try:
        with store.engine.connect() as conn:
            messages = conn.exec_driver_sql("SELECT count(*) FROM messages").scalar()
        reminders = Reminders(store, lambda: NOW)
        reminders.due()  # warm: the first call opens the connection and fills the caches
        due_ms, due_max, due = _ms(reminders.due)
        due_cpu = _cpu_ms(reminders.due)
        week_ms, _, _ = _ms(lambda: reminders.upcoming(NOW + timedelta(days=7)), 3)
        reminders.mark_seen(NOW - timedelta(days=3))  # Friday evening
        away_ms, _, away = _ms(reminders.away, 3)
    finally:
        store.close()
    say(f"due: {len(due)} reminders in {due_ms:.1f} ms (median); away: {len(away)}")
    return {
        "cases": CASES,
        "orders": ORDERS,
        "messages": messages,
        "due": len(due),
        "by_rule": dict(Counter(r.rule for r in due)),
        "due_ms": round(due_ms, 1),
        "due_max_ms": round(due_max, 1),
        "due_cpu_ms": round(due_cpu, 1),
        "upcoming_week_ms": round(week_ms, 1),
        "away_weekend_ms": round(away_ms, 1),
        "meets_target": due_ms < 200,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=DEFAULT, help="where to build and reuse it")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    version = args.store.parent / "version"
    if (
        args.rebuild
        or not args.store.exists()
        or not version.exists()
        or (version.read_text() != VERSION)
    ):
        build(args.store, args.seed)
    print(json.dumps(measure(args.store)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
