"""What the UI reads, timed on a big store: queues, a queue's case ids, a screen of rows, search.

```sh
.venv/bin/python bench/views.py                      # builds a 100,000-message store (minutes)
.venv/bin/python bench/views.py --store /tmp/v100k   # reuses (or builds once) a store there
.venv/bin/python bench/views.py --n 5000             # a quick run
```

The last line on stdout is one JSON object: `n`, `cases`, `open_cases`,
`first_paint_ms` (open the store, queues, the "open" queue's ids and its first 40 rows),
`queues_ms`, `case_ids_ms` (the "open" queue, newest first), `case_ids_all_ms`,
`screen_rows_ms` (40 rows by `case_rows`), `search_ms` and `search_max_ms` (the median and the
slowest of queries a merchant types, words and operators mixed), `broad_search_ms` (a word
in a third of all mail), `messages_ms` (one case's messages), `message_view_ms`,
`summary_rebuild_s` (every case summary rebuilt, as after a regroup), `rss_mb`,
`meets_targets`. Each timing is the median of a few calls. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# What a merchant types; `{customer}` and `{order}` are filled from the store.
SEARCHES = (
    "refund",
    "from:{customer}",
    "order:{order}",
    '"where is my order"',
    "is:unread status:open",
    "tag:refill after:2024-01-01",
    "broken from:gmail.com",
    "cream* has:attachment",
)
# Words in a third of all mail: the slow end, reported apart (`broad_search_ms`).
BROAD = ("order", "thank")


def say(text: str) -> None:
    print(f"[views] {text}", file=sys.stderr, flush=True)


def build(path: Path, n: int, seed: int) -> None:
    """Generate a shop's mailbox, import it, group it, and make some of it unread and triaged."""
    from bench.shopgen import generate
    from desktop_app.core.mailbox import Mailbox
    from desktop_app.core.store.shop_settings import ShopSettings

    gen = path / "gen"
    if (path / "grouped").exists():
        box = Mailbox.open(path / "shopdesk.sqlite3")
        try:
            _triage(box, seed)
        finally:
            box.close()
        (path / "built").write_text(json.dumps({"n": n, "seed": seed}) + "\n", encoding="utf-8")
        return
    say(f"generating {n} messages ...")
    st = generate(n, seed, gen)
    box = Mailbox.open(path / "shopdesk.sqlite3")
    try:
        addresses = st.shop["addresses"]
        assert isinstance(addresses, list)
        box.set_shop(
            ShopSettings(
                name=str(st.shop["name"]),
                addresses=tuple(str(a) for a in addresses),
                order_prefix=str(st.shop.get("order_prefix") or ""),
                order_suffix=str(st.shop.get("order_suffix") or ""),
            )
        )
        say("importing ...")
        t0 = time.perf_counter()
        box.import_path(st.maildir, assign=False)
        say(f"imported in {time.perf_counter() - t0:.1f} s; grouping ...")
        t0 = time.perf_counter()
        box.regroup_cases()
        say(f"grouped in {time.perf_counter() - t0:.1f} s; triage state ...")
        (path / "grouped").touch()
        _triage(box, seed)
    finally:
        box.close()
    (path / "built").write_text(json.dumps({"n": n, "seed": seed}) + "\n", encoding="utf-8")


def _triage(box: Any, seed: int) -> None:
    """Some unread mail, some waiting, done, snoozed, starred and tagged cases."""
    from sqlalchemy import text

    rnd = random.Random(seed)
    with box.store.session() as s:
        ids = [r[0] for r in s.execute(text("SELECT id FROM cases WHERE merged_into_id IS NULL"))]
        s.execute(text("UPDATE messages SET seen = (abs(random()) % 10 != 0)"))
        now = datetime.now(UTC).replace(tzinfo=None)
        for cid in ids:
            r = rnd.random()
            if r < 0.5:
                s.execute(text("UPDATE cases SET status='done' WHERE id=:i"), {"i": cid})
            elif r < 0.6:
                s.execute(text("UPDATE cases SET status='waiting' WHERE id=:i"), {"i": cid})
            elif r < 0.63:
                s.execute(
                    text("UPDATE cases SET snoozed_until=:t WHERE id=:i"),
                    {"i": cid, "t": now.replace(year=now.year + 1)},
                )
            if rnd.random() < 0.05:
                s.execute(text("UPDATE cases SET starred=1 WHERE id=:i"), {"i": cid})
            if rnd.random() < 0.05:
                s.execute(
                    text(
                        "INSERT OR IGNORE INTO case_tags (account_id, case_id, tag)"
                        " VALUES (1, :i, :t)"
                    ),
                    {"i": cid, "t": rnd.choice(("refill", "wholesale", "damaged"))},
                )
    from desktop_app.core.store import case_summaries

    with box.store.session() as s:
        case_summaries.refresh_all(s)


def _ms(fn: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    """The median time of `repeat` calls in milliseconds, and the last result."""
    times = []
    result = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


def _picks(box: Any) -> dict[str, str]:
    """A customer address and an order number that exist in the store."""
    from sqlalchemy import text

    with box.store.session() as s:
        customer = s.execute(
            text("SELECT email FROM customers ORDER BY id LIMIT 1 OFFSET 100")
        ).scalar()
        order = s.execute(
            text("SELECT order_number FROM cases WHERE order_number IS NOT NULL LIMIT 1 OFFSET 50")
        ).scalar()
    return {"customer": str(customer or "jane"), "order": str(order or "1042")}


def measure(path: Path) -> dict[str, Any]:
    from desktop_app.core.mailbox import Mailbox
    from desktop_app.core.store import case_summaries

    now = datetime.now(UTC)
    t0 = time.perf_counter()
    box = Mailbox.open(path / "shopdesk.sqlite3")
    views = box.views
    views.queues(now)
    first_ids = views.case_ids("open", now)
    views.case_rows(first_ids[:40])
    first_paint_ms = (time.perf_counter() - t0) * 1000
    try:
        queues_ms, queues = _ms(lambda: views.queues(now))
        say("queues: " + ", ".join(f"{q.key} {q.count}/{q.unread}" for q in queues[:8]))
        case_ids_ms, ids = _ms(lambda: views.case_ids("open", now))
        all_ms, all_ids = _ms(lambda: views.case_ids("all", now))
        middle = all_ids[len(all_ids) // 2 : len(all_ids) // 2 + 40]
        screen_ms, rows = _ms(lambda: views.case_rows(middle), repeat=9)
        picks = _picks(box)
        search_times = []
        for template in SEARCHES:
            query = template.format(**picks)
            t, found = _ms(lambda q=query: views.case_ids("all", now, q), repeat=5)  # type: ignore[misc]
            say(f"search {query!r}: {len(found)} cases in {t:.1f} ms")
            search_times.append(t)
        broad_times = []
        for query in BROAD:
            t, found = _ms(lambda q=query: views.case_ids("all", now, q), repeat=3)  # type: ignore[misc]
            say(f"broad search {query!r}: {len(found)} cases in {t:.1f} ms")
            broad_times.append(t)
        case_id = rows[0].id if rows else 0
        messages_ms, messages = _ms(lambda: views.case_messages(case_id))
        view_ms, _ = _ms(lambda: views.message_view(messages[-1].id), repeat=3)
        with box.store.session() as s:
            t0 = time.perf_counter()
            case_summaries.refresh_all(s)
            rebuild_s = time.perf_counter() - t0
            from sqlalchemy import text

            n = int(s.execute(text("SELECT count(*) FROM messages")).scalar() or 0)
    finally:
        box.close()
    return {
        "n": n,
        "cases": len(all_ids),
        "open_cases": len(ids),
        "first_paint_ms": round(first_paint_ms, 1),
        "queues_ms": round(queues_ms, 2),
        "case_ids_ms": round(case_ids_ms, 2),
        "case_ids_all_ms": round(all_ms, 2),
        "screen_rows_ms": round(screen_ms, 2),
        "search_ms": round(statistics.median(search_times), 2),
        "search_max_ms": round(max(search_times), 2),
        "broad_search_ms": round(max(broad_times), 2),
        "messages_ms": round(messages_ms, 2),
        "message_view_ms": round(view_ms, 2),
        "summary_rebuild_s": round(rebuild_s, 3),
        "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "meets_targets": bool(first_paint_ms < 1500 and screen_ms < 16 and max(search_times) < 100),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--store", type=Path, help="a folder to build the store in once and reuse")
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="shopdesk-views-") as tmp:
        path = args.store or Path(tmp)
        path.mkdir(parents=True, exist_ok=True)
        if not (path / "built").exists():
            build(path, args.n, args.seed)
        if args.build_only:
            return 0
        result = measure(path)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
