"""Analyse each message once: order numbers, platform notices, list mail, a preview."""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, nullcontext
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, and_, select, text
from sqlalchemy.orm import Session

from desktop_app.core.replies import annotation
from desktop_app.core.store import plain, shop_settings
from desktop_app.core.store.models import Message
from desktop_app.core.store.orders import upsert_customers, upsert_orders
from desktop_app.core.store.plain import to_datetime
from desktop_app.core.threads import analyse
from desktop_app.core.threads.analyse import Stored, analyse_chunk
from desktop_app.core.threads.order_refs import OrderPatterns
from desktop_app.core.threads.records import OrderFacts

CHUNK = 400
MESSAGES = cast(Table, Message.__table__)
HEADER_PEEK = 8192
ANALYSIS_BATCH = 2000  # messages read, analysed and written at a time: memory stays flat
PARALLEL_MIN = 4000  # more messages than this are analysed by worker processes, one per core
WORKER_CHUNK = 250  # messages per task sent to a worker process


def patterns(settings: shop_settings.ShopSettings) -> OrderPatterns:
    return OrderPatterns(
        store_prefix=settings.order_prefix,
        store_suffix=settings.order_suffix,
        custom_regex=settings.order_pattern,
    )


def analyze_pending(
    session: Session,
    account_id: int,
    shop: tuple[shop_settings.ShopSettings, frozenset[str]] | None = None,
    deferred: dict[int, tuple[Any, ...]] | None = None,
    meanwhile: Iterator[None] | None = None,
    pool: ProcessPoolExecutor | None = None,
    before_orders: Callable[[], None] | None = None,
) -> int:
    """Find order references and notices in messages not analysed yet; record notices' orders.

    With `deferred`, the messages' new columns are not written but left there (message id ->
    the parameters of `WRITE_ANALYSIS` but the id), for the caller to write with its own
    update of the same rows: SQLite rewrites a whole row, body included, at each update.
    `meanwhile` is the caller's own work, a step at a time, done here while worker processes
    analyse (this process would only wait), and finished by the caller. `pool` is the
    caller's pool of worker processes (see `workers`); without one, a pool is made here when
    there are many messages. `before_orders` is called once every message is analysed, before
    the orders and customers are recorded (the caller may give the workers more to do).

    Works through the pending messages a batch at a time (bounded memory whatever the mailbox
    size), in the order they are stored (reads and writes stay close together on disk), on
    every core when there are many: while the worker processes analyse one batch, this
    process reads the next and writes the one before. Orders and customers are then recorded
    in date order (a later notice's status wins, a customer's first name sticks).
    """
    settings, own = shop or load_shop(session)
    found = patterns(settings)
    pending = and_(PENDING, Message.account_id == account_id)
    # A few new messages (mail as it arrives): read at once. Many: their ids first, then the
    # messages a batch at a time.
    first = _read_rows(session, account_id, limit=ANALYSIS_BATCH + 1)
    if len(first) <= ANALYSIS_BATCH:
        ids = [row[0] for row in first]
    else:
        ids = sorted(session.connection().scalars(select(Message.id).where(pending)))
        first = []
    senders: list[tuple[tuple[datetime, int], str, str]] = []
    records: list[tuple[tuple[datetime, int], OrderFacts]] = []

    def finish(batch: _Batch) -> None:
        updates = []
        for row, (update_row, record, sender) in zip(batch.rows, batch.results(), strict=True):
            updates.append(update_row)
            when = (row[5] or datetime.min, row[0])
            if record is not None:
                records.append((when, record))
            if sender:
                senders.append((when, sender, row[4]))
        if deferred is None:
            _write_analysis(session, updates)
        else:
            deferred.update((u["mid"], analysis_values(u)) for u in updates)

    with nullcontext(pool) if pool is not None else workers(len(ids)) as pool:
        running: _Batch | None = None
        for start in range(0, len(ids), ANALYSIS_BATCH):
            part = ids[start : start + ANALYSIS_BATCH]
            batch = _Batch(first or _read_rows(session, account_id, part), own, found)
            batch.start(pool)  # queued behind the batch the workers are busy with
            if running is not None:
                finish(running)
            running = batch
            if pool is not None and meanwhile is not None:
                next(meanwhile, None)
        if running is not None:
            finish(running)
    if before_orders is not None:
        before_orders()
    if records:
        records.sort(key=lambda r: r[0])
        upsert_orders(session, account_id, [r for _, r in records])
    names: dict[str, str] = {}
    for _, sender, name in sorted(senders, key=lambda s: s[0]):
        names.setdefault(sender, name)
    if names:
        upsert_customers(session, account_id, {e: (n, "", "") for e, n in names.items()})
    return len(ids)


_READ = (
    "SELECT m.id, m.subject, m.body_text, m.from_addr, m.from_name, m.date,"
    f" substr(b.data, 1, {HEADER_PEEK}) AS head"
    " FROM messages m JOIN blobs b ON b.id = m.blob_id WHERE "
)
# What the analysis reads, as plain statements (see `plain`: a new message is read by one).
_READ_PENDING = _READ + "m.analyzed = 0 AND m.account_id = :a LIMIT :n"
_READ_IDS = _READ + "m.id IN (:ids)"


def _read_rows(
    session: Session, account_id: int, ids: list[int] | None = None, limit: int = -1
) -> list[tuple[Any, ...]]:
    """What the analysis reads of these messages (else of the account's pending ones), as
    plain tuples, by id."""
    if ids is None:
        rows = plain.rows(session, _READ_PENDING, {"a": account_id, "n": limit})
    else:
        rows = plain.rows(session, _READ_IDS, {"ids": ids})
    return sorted((*r[:5], to_datetime(r[5]), r[6]) for r in rows)


class _Batch:
    """Rows being analysed: here at once, or in the worker processes (results collected later)."""

    def __init__(
        self, rows: list[tuple[Any, ...]], own: frozenset[str], found: OrderPatterns
    ) -> None:
        self.rows, self.own, self.found = rows, own, found
        self.futures: list[Future[list[Stored]]] | None = None
        self.done: list[Stored] | None = None

    def start(self, pool: ProcessPoolExecutor | None) -> None:
        if pool is None:
            self.done = analyse_chunk(self.rows, self.own, self.found)
            return
        try:
            self.futures = [
                pool.submit(analyse_chunk, self.rows[i : i + WORKER_CHUNK], self.own, self.found)
                for i in range(0, len(self.rows), WORKER_CHUNK)
            ]
        except (BrokenProcessPool, RuntimeError):  # the pool is gone: do it here
            self.done = analyse_chunk(self.rows, self.own, self.found)

    def results(self) -> list[Stored]:
        if self.done is None:
            try:
                self.done = [r for f in self.futures or () for r in f.result()]
            except BrokenProcessPool:  # a worker died: do it here
                self.done = analyse_chunk(self.rows, self.own, self.found)
        return self.done


# Plain SQL for the bulk write: building 100,000 parameter sets is the ORM's slowest part here.
# The notes are appended to the message's problems once, however often it is analysed again.
SET_ANALYSIS = (
    "analyzed = 1, order_refs = ?, notice_kind = ?, snippet = ?,"
    " problems = CASE WHEN ? = '' OR instr(problems, ?) > 0 THEN problems"
    " ELSE trim(problems || char(10) || ?, char(10)) END"
)
WRITE_ANALYSIS = f"UPDATE messages SET {SET_ANALYSIS} WHERE id = ?"


def analysis_values(u: dict[str, Any]) -> tuple[Any, ...]:
    """The parameters of `SET_ANALYSIS` for one analysed message."""
    return (u["refs"], u["kind"], u["snippet"], u["notes"], u["notes"], u["notes"])


def _write_analysis(session: Session, updates: list[dict[str, Any]]) -> None:
    if not updates:
        return
    plain.run_many(
        session,
        WRITE_ANALYSIS,
        [(*analysis_values(u), u["mid"]) for u in sorted(updates, key=lambda u: int(u["mid"]))],
    )


def start_method() -> str:
    """How worker processes are started.

    Forking copies only the calling thread: a lock another thread held at that moment stays
    held forever in the child (the desktop app groups mail from a background thread, beside
    Qt's own). So on Linux this process is forked only when the main thread calls and no
    other Python thread runs (the command line: 20 ms; libraries' idle native threads, such
    as a BLAS pool, guard their own locks across a fork); otherwise the children are forked
    from a small single-threaded server process ("forkserver", about a second more to start
    them). Elsewhere they are spawned. Either way they run only
    `desktop_app.core.threads.analyse` and `desktop_app.core.replies.annotation`.
    """
    if not sys.platform.startswith("linux"):
        return "spawn"
    # current_thread() also registers a thread Python did not start (a QThread) as such
    alone = threading.current_thread() is threading.main_thread()
    if alone and threading.active_count() == 1:
        return "fork"
    return "forkserver"


def _context() -> mp.context.BaseContext:
    method = start_method()
    ctx = mp.get_context(method)
    if method == "forkserver":
        # What the children run, imported once by the server rather than by each child.
        cast(Any, ctx).set_forkserver_preload(
            ["__main__", "concurrent.futures.process", analyse.__name__, annotation.__name__]
        )
    return ctx


WORKER_NICENESS = 5


def _background() -> dict[str, Any]:
    """Worker processes run at a lower priority than this one: what this process does (feed
    them, then group and write) is what everything waits for, and the desktop app's window
    stays responsive while they work. Where priorities are not `nice` values (Windows), as is."""
    if not hasattr(os, "nice"):
        return {}
    return {"initializer": os.nice, "initargs": (WORKER_NICENESS,)}


@contextmanager
def workers(count: int) -> Iterator[ProcessPoolExecutor | None]:
    """A pool of worker processes for a big batch (an initial sync, an import), else None.

    Safe from any thread (see `start_method`); the children need nothing but module-level
    functions of `desktop_app.core.threads.analyse` and `desktop_app.core.replies.annotation`.
    """
    workers = min(os.cpu_count() or 1, 8)
    if count < PARALLEL_MIN or workers < 2:
        yield None
        return
    try:
        pool = ProcessPoolExecutor(workers, mp_context=_context(), **_background())
    except (OSError, ValueError):
        yield None
        return
    try:
        yield pool
    finally:
        pool.shutdown(cancel_futures=True)


def by_date(row: Any) -> tuple[datetime, int]:
    return (row.date or datetime.min, row.id)


# Written out so that SQLite sees the partial index's own condition and uses it.
PENDING = text("messages.analyzed = 0")


def load_shop(session: Session) -> tuple[shop_settings.ShopSettings, frozenset[str]]:
    """The shop's settings and every address that is the merchant's own."""
    settings = shop_settings.load(session)
    return settings, shop_settings.own_addresses(session, settings)
