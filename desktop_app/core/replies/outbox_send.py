"""One account's share of an outbox flush: send, settle crashed sends, file in Sent."""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime

from desktop_app.core.accounts.settings import AccountSettings
from desktop_app.core.accounts.tokens import login_secret
from desktop_app.core.errors import ConnectionFailed, ShopdeskError
from desktop_app.core.replies.outbox_store import claim, leave_outbox, set_state
from desktop_app.core.store.accounts import utcnow
from desktop_app.core.store.db import Store
from desktop_app.core.store.models import OutboxItem
from desktop_app.core.sync import connection, smtp
from desktop_app.core.sync.sent import SentFolder, provider_files_sent

CRASH_ENV = "SHOPDESK_TEST_CRASH_AT"  # tests: before_smtp | before_dot | after_smtp | after_sent


def crash_point(name: str) -> None:
    """Die here, as a kill -9 would, when the tests ask for it (never otherwise)."""
    if os.environ.get(CRASH_ENV) == name:
        os._exit(9)


@dataclass(frozen=True, slots=True)
class FlushReport:
    """What one flush did; `offline` when a server could not be reached (items stay queued)."""

    sent: int = 0
    filed: int = 0
    failed: int = 0
    requeued: int = 0  # refused for now (4xx) or offline: waiting for the next flush
    recovered: int = 0  # items a crash had left in "sending", now settled
    offline: bool = False
    busy: bool = False  # another flush was running: nothing done
    problems: tuple[str, ...] = ()


@dataclass(slots=True)
class Tally:
    """A flush's counts while it runs."""

    counts: dict[str, int] = field(default_factory=dict)
    offline: bool = False
    problems: list[str] = field(default_factory=list)

    def add(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1

    def report(self) -> FlushReport:
        c = self.counts
        return FlushReport(
            sent=c.get("sent", 0),
            filed=c.get("filed", 0),
            failed=c.get("failed", 0),
            requeued=c.get("requeued", 0),
            recovered=c.get("recovered", 0),
            offline=self.offline,
            problems=tuple(self.problems),
        )


@dataclass(frozen=True, slots=True)
class _Item:
    id: int
    state: str
    message_id: str
    raw: bytes
    envelope_from: str
    recipients: tuple[str, ...]
    sent_at: datetime | None
    created_at: datetime


class AccountSender:
    """Sends an account's items in order over one SMTP login each and one IMAP connection."""

    def __init__(
        self, store: Store, settings: AccountSettings, timeouts: connection.Timeouts, tally: Tally
    ) -> None:
        self.store = store
        self.settings = settings
        self.timeouts = timeouts
        self.tally = tally
        self.files_itself = provider_files_sent(settings)
        self._sent: SentFolder | None = None

    def close(self) -> None:
        if self._sent is not None:
            self._sent.close()

    def sent_folder(self) -> SentFolder:
        if self._sent is None:
            password = login_secret(self.settings)
            self._sent = SentFolder(self.settings, password, self.timeouts)
        return self._sent

    def _load(self, item_id: int) -> _Item | None:
        with self.store.session() as s:
            row = s.get(OutboxItem, item_id)
            if row is None:
                return None
            return _Item(
                row.id,
                row.state,
                row.message_id,
                row.raw,
                row.envelope_from,
                tuple(json.loads(row.recipients or "[]")),
                row.sent_at,
                row.created_at,
            )

    def run(self, item_id: int, now: datetime) -> bool:
        """Handle one item; False when the account's servers cannot be used now."""
        item = self._load(item_id)
        if item is None:
            return True
        try:
            if item.state == "sending":
                item = self._recover(item)
            if item.state == "sent":
                self._file(item, search=True)
                return True
            if item.state == "queued":
                return self._send(item, now)
        except ConnectionFailed as exc:
            self.tally.offline = True
            self.tally.problems.append(str(exc))
            return False
        except ShopdeskError as exc:
            self.tally.problems.append(str(exc))
            set_state(self.store, item.id, last_error=str(exc))
            return False
        return True

    def _recover(self, item: _Item) -> _Item:
        """A crash cut this send off: settle it from Sent and the hand-over marker."""
        self.tally.add("recovered")
        if self.sent_folder().contains(item.message_id):
            self._mark(item, "filed", sent_at=item.sent_at or utcnow(), filed_at=utcnow())
            if self.settings.id is not None:
                leave_outbox(self.store, self.settings.id, item.message_id)
            return dataclasses.replace(item, state="filed")
        if item.sent_at is not None:  # the final dot went out: delivered, as far as we can know
            self._mark(item, "sent")
            return dataclasses.replace(item, state="sent")
        self._mark(item, "queued")  # the message never ended: nothing was delivered
        return dataclasses.replace(item, state="queued")

    def _mark(self, item: _Item, state: str, **values: object) -> None:
        set_state(self.store, item.id, state=state, **values)

    def _send(self, item: _Item, now: datetime) -> bool:
        if not claim(self.store, item.id, now):
            return True  # cancelled meanwhile, or not due
        crash_point("before_smtp")

        def handed_over() -> None:
            set_state(self.store, item.id, sent_at=utcnow())
            crash_point("before_dot")

        try:
            server = smtp.smtp_server(self.settings)
            refusals = smtp.send_raw(
                server,
                self.settings.username,
                smtp.smtp_password(self.settings),
                item.envelope_from,
                item.recipients,
                item.raw,
                handed_over,
                self.timeouts,
            )
        except smtp.DeliveryUncertain as exc:
            self._mark(item, "sent", last_error=str(exc))
        except smtp.SmtpRefused as exc:
            if exc.permanent:
                self._mark(item, "failed", sent_at=None, last_error=str(exc))
                self.tally.add("failed")
            else:
                self._mark(item, "queued", sent_at=None, last_error=str(exc))
                self.tally.add("requeued")
            return True
        except ShopdeskError as exc:  # offline, login refused, no password: try again later
            self._mark(item, "queued", sent_at=None, last_error=str(exc))
            self.tally.add("requeued")
            raise
        else:
            crash_point("after_smtp")
            self._mark(item, "sent", last_error=" ".join(refusals))
            self.tally.problems.extend(refusals)
        self.tally.add("sent")
        crash_point("after_sent")
        try:
            self._file(item, search=False)
        except ShopdeskError as exc:  # sent all the same: filed on the next flush
            self.tally.problems.append(str(exc))
            if isinstance(exc, ConnectionFailed):
                self.tally.offline = True
        return True

    def _file(self, item: _Item, search: bool) -> None:
        """Put the copy into Sent (once), unless the provider does it itself."""
        if not self.files_itself:
            folder = self.sent_folder()
            if not (search and folder.contains(item.message_id)):
                folder.append(item.raw, item.created_at.replace(tzinfo=UTC))
        self._mark(item, "filed", filed_at=utcnow())
        if self.settings.id is not None:
            leave_outbox(self.store, self.settings.id, item.message_id)
        self.tally.add("filed")
