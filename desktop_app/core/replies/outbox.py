"""The outbox: replies wait out the undo window, then leave once through SMTP and land in Sent.

States: queued -> sending -> sent -> filed (or failed / cancelled). The bytes and their
Message-ID are made once, in `queue()`, and every retry sends exactly those bytes. The reply
is stored at once as a message of its case (in a local "Shopdesk Outbox" folder, keyed on its
Message-ID), so the copy that later syncs from Sent is the same message, never a second one.

Exactly once. The only moment a crash can leave us unsure is during the SMTP transaction, and
RFC 5321 makes its end explicit: the server delivers nothing until the final "." of DATA.
So `flush()`:

1. claims a due item: state "sending", attempts + 1, committed before connecting;
2. sends the whole message but the final dot, then commits `sent_at` (the hand-over marker),
   then sends the dot and reads the answer;
3. commits state "sent";
4. APPENDs the stored bytes to Sent with \\Seen (not for Gmail and Microsoft 365, which file
   sent mail themselves) and commits "filed".

An item found in "sending" at the start of a flush was cut off by a crash (flushes hold a lock,
so no live flush owns it). Sent is searched for its Message-ID first; then:

- found in Sent: it was sent (and filed): "filed";
- not found, no marker: the final dot never went out, so nothing was delivered: sent again;
- not found, marker set: the dot went out, so the server most likely accepted it (a refusal
  after the full message is rare, and a second copy to a customer is worse than none): "sent",
  then filed as in step 4 (search first, so a copy is appended at most once).

An item found in "sent" is filed the same way (search, then APPEND if missing). What this rule
cannot tell apart: a crash between the marker's commit and the dot leaving (one local socket
write), or a server refusing the message after its dot while we crash before reading that
answer; the item then shows as sent although the customer got nothing (never two copies).

Why not APPEND to Sent before SMTP: the Sent copy would then exist whether or not SMTP
happened, so after a crash it could not tell us anything; the marker can.

No network (or the server unreachable): the item goes back to "queued" and the report says
offline. An SMTP refusal with a 5xx code: "failed" with the server's reason; `retry()` queues
it again. A 4xx: "queued" again with its attempts counted. Sync does not call `flush()`: the
UI calls it on a timer and after reconnecting, and `shopdesk outbox flush` does.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta

from sqlalchemy import select

from desktop_app.core.replies import drafts, outbox_store
from desktop_app.core.replies.compose import ReplyDraft
from desktop_app.core.replies.outbox_send import AccountSender, FlushReport, Tally
from desktop_app.core.replies.outbox_store import OutboxInfo
from desktop_app.core.store.accounts import to_settings, utcnow
from desktop_app.core.store.db import Store
from desktop_app.core.store.models import Account, OutboxItem
from desktop_app.core.sync import connection

__all__ = ["FlushReport", "Outbox", "OutboxInfo"]


@contextlib.contextmanager
def _file_lock(path: str) -> Iterator[bool]:
    """A lock file beside the store: one flush at a time across processes, on every platform
    (filelock uses fcntl on Linux and macOS, msvcrt on Windows); yields whether we hold it."""
    from filelock import FileLock, Timeout

    lock = FileLock(path)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        yield False
        return
    try:
        yield True
    finally:
        lock.release()


class Outbox:
    """Queued replies of every account, and the local drafts. Thread-safe; one flush at a time."""

    def __init__(
        self, store: Store, timeouts: connection.Timeouts = connection.DEFAULT_TIMEOUTS
    ) -> None:
        self.store = store
        self.timeouts = timeouts
        self._lock = threading.Lock()

    # queueing
    def queue(self, draft: ReplyDraft, undo_seconds: float = 5.0) -> OutboxInfo:
        """Build the bytes once, queue them, and put the reply into its case at once."""
        with self.store.session() as s:
            info = outbox_store.add(s, draft, timedelta(seconds=undo_seconds))
        outbox_store.join_case(self.store, info, draft.case_id)
        return self.item(info.id)

    def cancel(self, outbox_id: int, now: datetime | None = None) -> bool:
        """Undo a reply still inside its window; False when it is already leaving or gone."""
        with self.store.session() as s:
            done = outbox_store.cancel(s, outbox_id, now or utcnow())
        if done:
            outbox_store.refresh_cases(self.store)
        return done

    def retry(self, outbox_id: int) -> bool:
        """Queue a failed reply again (due at once); False when it had not failed."""
        with self.store.session() as s:
            row = s.get(OutboxItem, outbox_id)
            if row is None or row.state != "failed":
                return False
            row.state, row.send_after, row.sent_at, row.last_error = "queued", utcnow(), None, ""
            return True

    def items(self, states: Sequence[str] | None = None) -> list[OutboxInfo]:
        with self.store.session() as s:
            return outbox_store.items(s, states)

    def item(self, outbox_id: int) -> OutboxInfo:
        with self.store.session() as s:
            return outbox_store.items(s, None, outbox_id)[0]

    # drafts
    def save_draft(self, draft: ReplyDraft, draft_id: int | None = None) -> int:
        with self.store.session() as s:
            return drafts.save_draft(s, draft, draft_id)

    def draft_for_case(self, case_id: int) -> tuple[int, ReplyDraft] | None:
        with self.store.session() as s:
            return drafts.draft_for_case(s, case_id)

    def discard_draft(self, draft_id: int) -> None:
        with self.store.session() as s:
            drafts.discard_draft(s, draft_id)

    # sending
    def flush(self, now: datetime | None = None) -> FlushReport:
        """Send what is due, settle what a crash left behind, file copies in Sent."""
        if not self._lock.acquire(blocking=False):
            return FlushReport(busy=True)
        try:
            with _file_lock(f"{self.store.path}.outbox-lock") as mine:
                if not mine:
                    return FlushReport(busy=True)
                tally = Tally()
                for account_id, ids in self._work(now or utcnow()).items():
                    self._flush_account(account_id, ids, now or utcnow(), tally)
                return tally.report()
        finally:
            self._lock.release()

    def _work(self, now: datetime) -> dict[int, list[int]]:
        with self.store.session() as s:
            rows = s.execute(
                select(
                    OutboxItem.account_id, OutboxItem.id, OutboxItem.state, OutboxItem.send_after
                )
                .where(OutboxItem.state.in_(("queued", "sending", "sent")))
                .order_by(OutboxItem.id)
            ).all()
        work: dict[int, list[int]] = {}
        for account_id, item_id, state, send_after in rows:
            if state != "queued" or send_after <= now:
                work.setdefault(account_id, []).append(item_id)
        return work

    def _flush_account(self, account_id: int, ids: list[int], now: datetime, tally: Tally) -> None:
        with self.store.session() as s:
            row = s.get(Account, account_id)
            settings = to_settings(row) if row is not None else None
        if settings is None:
            return
        sender = AccountSender(self.store, settings, self.timeouts, tally)
        try:
            for item_id in ids:
                if not sender.run(item_id, now):
                    break  # offline or refused login: the rest waits for the next flush
        finally:
            sender.close()
