"""What the UI reads: queues, pages of cases, a case's messages, one message ready to show."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop_app.core.store.db import Store

# Queue keys: "open", "waiting", "snoozed", "done", "all", "trash", "tag:<tag>",
# "folder:<folder id>", "search" (the cases a search query matched).
FIXED_QUEUES = ("open", "waiting", "snoozed", "done", "all")


@dataclass(frozen=True, slots=True)
class Queue:
    """One entry of the queue list on the left, with its counts."""

    key: str
    label: str  # English; the UI translates the fixed ones by key
    count: int  # cases
    unread: int  # cases with an unread message
    role: str | None = None  # a folder queue's role: inbox, sent, archive, trash, ...


@dataclass(frozen=True, slots=True)
class CaseRow:
    """One row of the case list."""

    id: int
    account_id: int
    order_number: str | None  # as the platform shows it ("#1042"), None without an order
    customer_name: str
    customer_email: str
    subject: str
    last_line: str  # the newest message's new text, one line
    last_at: datetime | None  # UTC, the newest message
    waiting_since: datetime | None  # UTC, the oldest customer message not answered yet
    language: str | None  # "de", "fi", ... when known
    unread: int
    message_count: int
    status: str  # open | waiting | done | trash
    starred: bool
    snoozed_until: datetime | None
    tags: tuple[str, ...]
    has_attachments: bool
    suggested: bool  # some message sits here as a suggestion to confirm
    demo: bool  # belongs to the demo shop


@dataclass(frozen=True, slots=True)
class MessageRow:
    """One message of a case, for the second level of the case tree and the conversation."""

    id: int
    case_id: int
    dedup_key: str
    from_name: str
    from_addr: str
    to_addrs: str
    date: datetime | None  # UTC
    subject: str
    snippet: str
    seen: bool
    flagged: bool
    has_attachments: bool
    ours: bool  # written by the merchant
    suggested: bool
    problems: tuple[str, ...]
    folders: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OrderLineFacts:
    title: str
    quantity: int
    sku: str
    price: str | None


@dataclass(frozen=True, slots=True)
class OrderFacts:
    """The order beside the conversation."""

    number: str
    number_display: str
    platform: str | None
    placed_at: datetime | None
    shipped_at: datetime | None
    delivered_at: datetime | None
    customer_name: str
    customer_email: str
    shipping_address: str
    total: str | None
    currency: str
    carrier: str
    tracking_number: str
    tracking_url: str
    lines: tuple[OrderLineFacts, ...]


@dataclass(frozen=True, slots=True)
class AttachmentRow:
    part: str
    filename: str  # cleaned, safe to save under
    content_type: str
    size: int
    inline: bool


@dataclass(frozen=True, slots=True)
class MessageView:
    """One message ready for the reading pane; the HTML is already sanitised."""

    id: int
    subject: str
    from_line: str
    to_line: str
    cc_line: str
    date: datetime | None  # aware
    text: str  # the new text (quotes and signature split off)
    quoted: str  # what was split off, shown folded
    html: str | None  # sanitised; remote images replaced unless allowed
    remote_images_blocked: int  # how many remote images were held back
    inline_images: dict[str, tuple[str, bytes]]  # content-id -> (content type, bytes)
    attachments: tuple[AttachmentRow, ...]
    problems: tuple[str, ...]  # parsing problems, for a plain note above the message


class Views:
    """Read-only queries for the UI; every method opens its own short session.

    Safe to call from a worker thread; returns frozen dataclasses only.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    def _refresh(self) -> None:
        """Bring the case summaries up to date (cheap when nothing changed; a store busy for
        long is read as it is, and the summaries catch up next time)."""
        from desktop_app.core.store import case_summaries

        case_summaries.refresh_store(self.store)

    def queues(self, now: datetime) -> list[Queue]:
        """Open, Waiting on customer, Snoozed, Done, All; one per tag ("tag:<tag>", by name);
        one per server folder ("folder:<id>"); Trash last.

        `count` is the number of cases, `unread` how many of them hold an unread message. Open
        and Waiting leave out snoozed cases (snoozed_until > now); Snoozed, Done, All and the
        tag queues leave out the trash; a folder queue holds the cases with a message still in
        that folder (a queued move or delete takes it out at once). Merged cases and cases
        without messages are never listed.
        """
        from desktop_app.core.store import case_list

        self._refresh()
        with self.store.session() as s:
            return case_list.queues(s, now)

    def case_ids(self, queue: str, now: datetime, search: str = "") -> list[int]:
        """The ids of a queue's cases (narrowed by a search query), newest activity first.

        `queue` is a key of `queues()` or "search" (like "all"). `search` is the search box's
        text (see `desktop_app.core.store.search_query`); a bad date or status in it raises
        `ConfigError` with a plain sentence, an unknown queue too.
        """
        from desktop_app.core.store import case_list

        self._refresh()
        with self.store.session() as s:
            where = []
            if search.strip():
                from desktop_app.core.store import search_query

                where = search_query.conditions(s, search_query.parse(search))
            return case_list.case_ids(s, queue, now, where)

    def case_rows(self, ids: Sequence[int]) -> list[CaseRow]:
        """Rows for these case ids, in the same order (missing ids are left out).

        Times are aware UTC. `customer_*` is the order's customer, else the first customer who
        wrote (platform notices and the merchant's own mail do not count); `waiting_since` is
        the oldest customer message after the merchant's last one (None when the merchant
        wrote last); `unread` counts unread messages.
        """
        from desktop_app.core.store import case_rows

        self._refresh()
        with self.store.session() as s:
            return case_rows.case_rows(s, ids)

    def case_messages(self, case_id: int) -> list[MessageRow]:
        """A case's messages, oldest first (dates aware UTC; undated ones last). `folders`
        lists the folders the message is still in; `ours` is the merchant's own mail."""
        from desktop_app.core.store import case_rows

        with self.store.session() as s:
            return case_rows.case_messages(s, case_id)

    def order_facts(self, case_id: int) -> OrderFacts | None:
        """The case's order (times aware UTC); None when the case has no known order."""
        from desktop_app.core.store import case_rows

        with self.store.session() as s:
            return case_rows.order_facts(s, case_id)

    def message_view(self, message_id: int, allow_remote: bool = False) -> MessageView:
        """Parse the stored bytes for display; remote images stay blocked unless allowed
        here or for the message's sender (see `allow_remote_images`).

        `html` is sanitised (nh3); a held-back remote image has the src
        `sanitize.REMOTE_PLACEHOLDER` ("shopdesk:remote-image") and keeps its alt text;
        inline images keep "cid:<content-id>" as src and their bytes are in `inline_images`
        under that content-id (no angle brackets). Links keep only http, https and mailto
        hrefs. `text` is the new text of the plain body, `quoted` the quotes and signature.
        An unknown id raises `ConfigError`.
        """
        from desktop_app.core.store import message_view

        with self.store.session() as s:
            return message_view.message_view(s, message_id, allow_remote)

    def allow_remote_images(self, message_id: int, for_sender: bool) -> None:
        """Remember the merchant's choice: this message only, or everything from its sender."""
        from desktop_app.core.store import message_view

        with self.store.session() as s:
            message_view.allow_remote_images(s, message_id, for_sender)

    def raw_source(self, message_id: int) -> bytes:
        """The message's bytes exactly as received (for "show original")."""
        from desktop_app.core.store import message_view

        with self.store.session() as s:
            return message_view.raw_bytes(s, message_id)

    def save_attachment(self, message_id: int, part: str, folder: Path) -> Path:
        """Write one attachment under its cleaned name (never over an existing file: " (2)"
        is added); returns the path written. A missing part raises `ConfigError`, a folder
        that cannot be written `ShopdeskError`, each with one plain sentence."""
        from desktop_app.core.store import message_view

        with self.store.session() as s:
            return message_view.save_attachment(s, message_id, part, folder)
