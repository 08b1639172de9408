"""Language and intent during a regroup: each case's newest customer message, on the workers.

A regroup knows, in memory, which messages are the customers' and which case each one ends up
in, so it picks the newest customer message of every case itself (what `annotate_pending`
would pick) and has the analysis worker processes read them while it writes the cases. Other
messages that are not a customer's get intent "" in the regroup's own update of their rows.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from sqlalchemy.orm import Session

from desktop_app.core.replies.annotation import Annotated, annotate_chunk, warm_up
from desktop_app.core.store import annotate, plain

CUSTOMER_KINDS = (None, "message")  # notice kinds of a customer's own words
WORKER_CHUNK = 250
NOT_CUSTOMER = ""  # messages.intent of a message that is not a customer's
_TEXTS = "SELECT id, subject, body_text FROM messages WHERE id IN (:ids)"


def plan(
    rows: Sequence[Any],
    ours: Mapping[int, bool],
    kind: Mapping[int, str | None],
    case_of: Mapping[int, Hashable],
) -> tuple[list[int], set[int]]:
    """(ids to annotate: each case's newest customer message when it has no intent yet,
    ids of messages not yet marked that are not a customer's).

    `rows` have `id`, `date` and `intent`, in date order (as `analysis.by_date` sorts them:
    the last one of a case is its newest); `ours` says which are the shop's own (its
    addresses, its Sent folder), `kind` each message's notice kind, `case_of` its case.
    """
    newest: dict[Hashable, Any] = {}
    not_customer: set[int] = set()
    for row in rows:
        mid = row.id
        if ours[mid] or kind[mid] not in CUSTOMER_KINDS:
            if row.intent is None:
                not_customer.add(mid)
            continue
        newest[case_of[mid]] = row
    chosen = [row.id for row in newest.values() if row.intent is None]
    return sorted(chosen), not_customer


class Annotator:
    """Annotation of chosen messages: started on the worker processes (or here), finished later."""

    def __init__(self, session: Session, pool: ProcessPoolExecutor | None) -> None:
        self.session, self.pool = session, pool
        self.futures: list[Future[list[Annotated]]] = []
        self.rows: list[tuple[Any, ...]] = []
        self.asked: set[int] = set()
        self.broken = False

    def warm_up(self) -> None:
        """Have each worker load its models now, while this process does other work."""
        if self.pool is None or self.broken:
            return
        try:
            for _ in range(getattr(self.pool, "_max_workers", 2)):  # one each, as they come free
                self.pool.submit(warm_up)
        except (BrokenProcessPool, RuntimeError):  # the pool is gone: annotate here later
            self.broken = True

    def start(self, ids: Iterable[int]) -> None:
        """Annotate these messages too (those asked for already are not asked again)."""
        wanted = sorted(set(ids) - self.asked)
        self.asked.update(wanted)
        rows: list[tuple[Any, ...]] = list(plain.rows_for(self.session, _TEXTS, "ids", wanted))
        self.rows += rows
        if self.pool is None or self.broken:
            return
        try:
            self.futures += [
                self.pool.submit(annotate_chunk, rows[i : i + WORKER_CHUNK])
                for i in range(0, len(rows), WORKER_CHUNK)
            ]
        except (BrokenProcessPool, RuntimeError):  # the pool is gone: do it here
            self.broken = True

    def results(self, wanted: set[int] | None = None) -> list[Annotated]:
        """The annotations (of at least the messages in `wanted`, when given)."""
        if self.futures and not self.broken:
            try:
                return [a for f in self.futures for a in f.result()]
            except BrokenProcessPool:  # a worker died: do it here
                self.broken = True
        rows = self.rows if wanted is None else [r for r in self.rows if r[0] in wanted]
        return annotate_chunk(rows)

    def finish(self, account_id: int, senders: Mapping[int, str], keep: Iterable[int]) -> int:
        """Store the results for the messages in `keep` (others were asked for in case they
        would be needed), give the senders' customer rows their language; how many."""
        wanted = set(keep)
        done = [a for a in self.results(wanted) if a[0] in wanted]
        if done:
            self.session.connection().exec_driver_sql(
                "UPDATE messages SET language = ?, intent = ? WHERE id = ?",
                [(language, intent, mid) for mid, language, intent, _ in sorted(done)],
            )
            addrs = {senders[mid] for mid, *_ in done if senders.get(mid)}
            annotate.update_customer_languages(self.session, account_id, addrs)
        return len(done)
