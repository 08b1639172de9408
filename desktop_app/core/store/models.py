"""SQLAlchemy models: accounts, folders and their sync cursor, messages, locations, blobs."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Account(Base):
    """A mailbox the merchant added: server settings only, the password lives in the keyring."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    email: Mapped[str] = mapped_column(String(320))
    kind: Mapped[str] = mapped_column(String(20), default="imap")  # imap | local | demo
    imap_host: Mapped[str | None] = mapped_column(String(255))
    imap_port: Mapped[int | None] = mapped_column(Integer)
    imap_security: Mapped[str | None] = mapped_column(String(20))  # ssl | starttls | none
    smtp_host: Mapped[str | None] = mapped_column(String(255))
    smtp_port: Mapped[int | None] = mapped_column(Integer)
    smtp_security: Mapped[str | None] = mapped_column(String(20))
    username: Mapped[str | None] = mapped_column(String(320))
    allow_insecure: Mapped[bool] = mapped_column(Boolean, default=False)
    trusted_cert_sha256: Mapped[str | None] = mapped_column(String(64))
    extra_folders: Mapped[str] = mapped_column(Text, default="")  # newline-separated names
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # How the servers are signed in to; tokens, like passwords, live only in the keyring.
    auth_method: Mapped[str] = mapped_column(
        String(20), default="password", server_default="password"
    )  # password | oauth2
    oauth_provider: Mapped[str | None] = mapped_column(String(40))  # google | microsoft

    folders: Mapped[list[Folder]] = relationship(back_populates="account")


class Folder(Base):
    """A server folder and its sync cursor; committed with each batch of its messages."""

    __tablename__ = "folders"
    __table_args__ = (UniqueConstraint("account_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(1000))
    delimiter: Mapped[str | None] = mapped_column(String(4))
    role: Mapped[str | None] = mapped_column(String(20))  # inbox | sent | drafts | trash | ...
    sync_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    uidvalidity: Mapped[int | None] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    highestmodseq: Mapped[int | None] = mapped_column(BigInteger)
    uidnext: Mapped[int | None] = mapped_column(BigInteger)
    gone_from_server: Mapped[bool] = mapped_column(Boolean, default=False)
    last_synced_at: Mapped[datetime | None] = mapped_column(DateTime)

    account: Mapped[Account] = relationship(back_populates="folders")


class Blob(Base):
    """Raw message bytes exactly as received, stored once per distinct content."""

    __tablename__ = "blobs"
    __table_args__ = (UniqueConstraint("account_id", "sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Message(Base):
    """One e-mail, whatever folders it sits in: parsed headers, body text, parse problems."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("account_id", "dedup_key"),
        Index("ix_messages_account_date", "account_id", "date"),
        # Covering indexes for the case list (0005, 0006): the case-level columns sit after the
        # body in each row, so reading them from the table means walking its overflow pages.
        Index(
            "ix_messages_case_cover",
            *("case_id", "date", "seen", "has_attachments", "case_suggested", "notice_kind"),
        ),
        Index("ix_messages_id_case", "id", "case_id", "date", "has_attachments"),
        # Reminders (0008): who wrote what when, without reading the rows and their bodies.
        Index(
            "ix_messages_reminders", "account_id", "date", "case_id", "notice_kind", "from_addr"
        ),
        Index(
            "ix_messages_pending",
            "account_id",
            sqlite_where=text("analyzed = 0"),
            postgresql_where=text("NOT analyzed"),
        ),
        Index(  # messages whose language and intent are still to be worked out (0009)
            "ix_messages_unannotated",
            "case_id",
            sqlite_where=text("intent IS NULL"),
            postgresql_where=text("intent IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    # The Message-ID header when present (with angle brackets), else "sha256:<hash of raw>".
    dedup_key: Mapped[str] = mapped_column(String(1000))
    message_id: Mapped[str | None] = mapped_column(String(1000), index=True)
    blob_id: Mapped[int] = mapped_column(ForeignKey("blobs.id"))
    size: Mapped[int] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(Text, default="")
    from_name: Mapped[str] = mapped_column(Text, default="")
    from_addr: Mapped[str] = mapped_column(String(320), default="", index=True)
    to_addrs: Mapped[str] = mapped_column(Text, default="")
    cc_addrs: Mapped[str] = mapped_column(Text, default="")
    addresses: Mapped[str] = mapped_column(Text, default="")  # names and addresses, for search
    date: Mapped[datetime | None] = mapped_column(DateTime)  # UTC
    in_reply_to: Mapped[str | None] = mapped_column(String(1000))
    references: Mapped[str] = mapped_column(Text, default="")
    body_text: Mapped[str] = mapped_column(Text, default="")
    snippet: Mapped[str] = mapped_column(String(300), default="")
    has_attachments: Mapped[bool] = mapped_column(Boolean, default=False)
    problems: Mapped[str] = mapped_column(Text, default="")  # one problem per line
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # Filled in by case grouping (migration 0002).
    analyzed: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    order_refs: Mapped[str] = mapped_column(Text, default="", server_default="")
    notice_kind: Mapped[str | None] = mapped_column(String(20))
    thread_id: Mapped[int | None] = mapped_column(Integer, index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    case_rule: Mapped[str | None] = mapped_column(String(20))
    case_suggested: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # Triage (migration 0003): read and starred as the merchant sees them, applied locally at
    # once; the server learns of it through `server_ops`. Sync keeps them equal to the flags.
    seen: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    flagged: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # Replies (migration 0007): the language the message is written in and, for a customer's
    # message, what it asks for (shipping, howto, repair, refill, return, ...).
    language: Mapped[str | None] = mapped_column(String(20))
    intent: Mapped[str | None] = mapped_column(String(20))

    blob: Mapped[Blob] = relationship()
    locations: Mapped[list[Location]] = relationship(back_populates="message")
    attachments: Mapped[list[Attachment]] = relationship(back_populates="message")


class Location(Base):
    """Where a message sits on the server: folder, UIDVALIDITY epoch, UID, flags."""

    __tablename__ = "locations"
    __table_args__ = (
        UniqueConstraint("folder_id", "uidvalidity", "uid"),
        Index("ix_locations_message", "message_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    folder_id: Mapped[int] = mapped_column(ForeignKey("folders.id", ondelete="CASCADE"))
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    blob_id: Mapped[int] = mapped_column(ForeignKey("blobs.id"))  # the exact bytes found here
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    uid: Mapped[int] = mapped_column(BigInteger)
    flags: Mapped[str] = mapped_column(Text, default="")  # space-separated, sorted
    modseq: Mapped[int | None] = mapped_column(BigInteger)
    gone_from_server: Mapped[bool] = mapped_column(Boolean, default=False)
    gone_at: Mapped[datetime | None] = mapped_column(DateTime)
    first_seen_at: Mapped[datetime] = mapped_column(DateTime)

    message: Mapped[Message] = relationship(back_populates="locations")
    folder: Mapped[Folder] = relationship()


class Attachment(Base):
    """Metadata of one attachment part; the bytes stay inside the raw message."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    message_id: Mapped[int] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), index=True
    )
    part: Mapped[str] = mapped_column(String(100))  # MIME part path, e.g. "2" or "1.3"
    filename: Mapped[str] = mapped_column(Text, default="")
    content_type: Mapped[str] = mapped_column(String(255), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer, default=0)
    content_id: Mapped[str | None] = mapped_column(String(1000))
    inline: Mapped[bool] = mapped_column(Boolean, default=False)

    message: Mapped[Message] = relationship(back_populates="attachments")


class Setting(Base):
    """A shop-wide setting (the shop's name and addresses, its order-number pattern), as JSON."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="null")


class Customer(Base):
    """A person who buys from the shop, known by an e-mail address."""

    __tablename__ = "customers"
    __table_args__ = (UniqueConstraint("account_id", "email"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str | None] = mapped_column(String(20))
    # "detected" from their messages, or "merchant" when chosen by hand (then kept)
    language_source: Mapped[str | None] = mapped_column(String(20))
    billing_address: Mapped[str] = mapped_column(Text, default="")
    shipping_address: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # Reminders (migration 0008), from the merchant's customer CSV: "MM-DD" and a date.
    birthday: Mapped[str | None] = mapped_column(String(5))
    since: Mapped[date | None] = mapped_column(Date)


class Order(Base):
    """An order, merged from the platform's notices and order exports."""

    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("account_id", "number"),
        Index("ix_orders_delivered_shipped", "delivered_at", "shipped_at"),  # reminders (0008)
        Index("ix_orders_delivered_placed", "delivered_at", "placed_at"),
        Index("ix_orders_placed_at", "placed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    number: Mapped[str] = mapped_column(String(100))
    platform: Mapped[str | None] = mapped_column(String(20))
    number_display: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[str | None] = mapped_column(String(20))
    placed_at: Mapped[datetime | None] = mapped_column(DateTime)
    shipped_at: Mapped[datetime | None] = mapped_column(DateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    customer_name: Mapped[str] = mapped_column(Text, default="")
    customer_email: Mapped[str] = mapped_column(String(320), default="", index=True)
    billing_address: Mapped[str] = mapped_column(Text, default="")
    shipping_address: Mapped[str] = mapped_column(Text, default="")
    total: Mapped[str | None] = mapped_column(String(40))  # a Decimal as text
    currency: Mapped[str] = mapped_column(String(10), default="")
    carrier: Mapped[str] = mapped_column(String(100), default="")
    tracking_number: Mapped[str] = mapped_column(String(100), default="")
    tracking_url: Mapped[str] = mapped_column(Text, default="")
    sources: Mapped[str] = mapped_column(String(100), default="")  # notice, csv
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class OrderAlias(Base):
    """Another name of an order: its number without leading zeros, its PrestaShop reference."""

    __tablename__ = "order_aliases"
    __table_args__ = (UniqueConstraint("account_id", "alias"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(100))
    order_number: Mapped[str] = mapped_column(String(100))


class OrderLine(Base):
    """One item of an order; marketplace item numbers link buyer messages to the order."""

    __tablename__ = "order_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(Text, default="")
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    sku: Mapped[str] = mapped_column(String(100), default="")
    price: Mapped[str | None] = mapped_column(String(40))
    item_number: Mapped[str] = mapped_column(String(100), default="", index=True)


class Case(Base):
    """A unit of work: everything about one order, or one conversation without an order."""

    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("account_id", "anchor"),
        Index("ix_cases_snoozed_until", "snoozed_until"),  # reminders (0008)
        Index("ix_cases_order_number", "order_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    # What the case is about: "order:<number>", "thread:<thread id>" or "split:<message key>".
    anchor: Mapped[str] = mapped_column(String(1100))
    order_number: Mapped[str | None] = mapped_column(String(100))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | waiting | done | trash
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # Triage (migration 0003). A case the merchant has touched is kept when grouping runs again.
    snoozed_until: Mapped[datetime | None] = mapped_column(DateTime)  # UTC
    starred: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    touched_at: Mapped[datetime | None] = mapped_column(DateTime)  # last triage by the merchant
    status_changed_at: Mapped[datetime | None] = mapped_column(DateTime)


class ThreadNode(Base):
    """A Message-ID seen in a message or its references (ghosts too), with its RFC thread."""

    __tablename__ = "thread_nodes"
    __table_args__ = (UniqueConstraint("account_id", "mid"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    mid: Mapped[str] = mapped_column(String(1000))
    thread_id: Mapped[int] = mapped_column(Integer, index=True)


class CaseCorrection(Base):
    """A merchant's correction, replayed whenever cases are grouped again.

    kind "move": the message `message_key` goes to `target` ("order:<n>", "with:<message key>"
    or "split:<message key>"); kind "merge": the case of `message_key` joins the case of the
    message named by `target` ("with:<message key>"). Keys are dedup keys (Message-IDs), which
    survive resync and re-import.
    """

    __tablename__ = "case_corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    message_key: Mapped[str] = mapped_column(String(1000), index=True)
    target: Mapped[str] = mapped_column(String(1100))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class CaseTag(Base):
    """A tag the merchant put on a case ("refill", "wholesale", ...)."""

    __tablename__ = "case_tags"
    __table_args__ = (UniqueConstraint("case_id", "tag"), Index("ix_case_tags_tag", "tag"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    tag: Mapped[str] = mapped_column(String(100))


class CaseNote(Base):
    """An internal note on a case; never sent to the customer."""

    __tablename__ = "case_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class ServerOp(Base):
    """A change made offline, waiting to be replayed on the server (kept across restarts).

    kind: "flags" (payload {"add": [...], "remove": [...]}), "move" (payload {"to": role or
    folder name}) or "delete" (a move to Trash). state: pending -> done | failed | conflict |
    cancelled. `undo_group` ties the ops of one merchant action together, so undo can cancel
    the ones not yet sent and reverse the rest.
    """

    __tablename__ = "server_ops"
    __table_args__ = (Index("ix_server_ops_pending", "account_id", "state", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), index=True
    )
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id", ondelete="SET NULL"))
    payload: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    state: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    undo_group: Mapped[str] = mapped_column(String(40), default="", index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    done_at: Mapped[datetime | None] = mapped_column(DateTime)


class CaseSummary(Base):
    """What the case list sorts and counts by, kept from a case's messages (migrations 0004-5).

    Rebuilt by `store.case_summaries.refresh` for the cases listed in `case_summary_dirty`, which
    triggers on `messages`, `locations` and `server_ops` fill whenever a message joins or
    leaves a case, its read state, date or suggestion changes, or it enters or leaves a folder.
    Only cases with at least one message have a row.
    """

    __tablename__ = "case_summaries"
    __table_args__ = (Index("ix_case_summaries_last_at", "last_at", "case_id"),)

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    last_at: Mapped[datetime | None] = mapped_column(DateTime)  # UTC, the newest message
    message_count: Mapped[int] = mapped_column(Integer, default=0)
    unread: Mapped[int] = mapped_column(Integer, default=0)
    has_attachments: Mapped[bool] = mapped_column(Boolean, default=False)
    suggested: Mapped[bool] = mapped_column(Boolean, default=False)


class CaseFolder(Base):
    """A case has a message still in this folder (kept with `CaseSummary`)."""

    __tablename__ = "case_folders"
    __table_args__ = (Index("ix_case_folders_case_id", "case_id"),)

    folder_id: Mapped[int] = mapped_column(
        ForeignKey("folders.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )


class CaseSummaryDirty(Base):
    """Cases whose summary must be rebuilt before the case list is read again."""

    __tablename__ = "case_summary_dirty"

    case_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class Template(Base):
    """A canned reply in one language: Jinja2 text for the subject and the body.

    Built-in templates come from resources/templates/<language>/ and are re-read when the app
    ships new ones, unless the merchant changed them (`modified`); the merchant's own have
    `builtin` false. `key` names the same reply across languages ("shipping_status").
    """

    __tablename__ = "templates"
    __table_args__ = (UniqueConstraint("key", "language"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(100))
    language: Mapped[str] = mapped_column(String(20))  # "en", "de", "fi", "lv", "hi", "hy"
    title: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(100), default="")
    shortcut: Mapped[str] = mapped_column(String(50), default="", index=True)  # "ship" for ;ship
    intent: Mapped[str] = mapped_column(String(20), default="")  # shipping, howto, refill ...
    subject: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    modified: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class Draft(Base):
    """A reply being written, saved as the merchant types (never sent from here)."""

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="SET NULL"), index=True
    )
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20), default="reply")  # reply, reply_all, forward, new
    to_addrs: Mapped[str] = mapped_column(Text, default="")
    cc_addrs: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str | None] = mapped_column(String(20))
    template_key: Mapped[str | None] = mapped_column(String(100))
    attachments: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of file paths
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class OutboxItem(Base):
    """A reply on its way: its exact bytes and Message-ID fixed before anything is sent.

    state: queued -> sending -> sent -> filed (a copy in Sent), or failed (with the server's
    reason, retried on request) or cancelled (undone before `send_after`).
    """

    __tablename__ = "outbox"
    __table_args__ = (UniqueConstraint("message_id"), Index("ix_outbox_state", "state"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    message_id: Mapped[str] = mapped_column(String(1000))  # the Message-ID header, with <>
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    envelope_from: Mapped[str] = mapped_column(String(320))
    recipients: Mapped[str] = mapped_column(Text)  # JSON list
    state: Mapped[str] = mapped_column(String(20), default="queued")
    send_after: Mapped[datetime] = mapped_column(DateTime)  # the undo window ends here
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    filed_at: Mapped[datetime | None] = mapped_column(DateTime)


class ReminderState(Base):
    """The merchant's answer to one reminder, by its stable key: dismissed, done or snoozed."""

    __tablename__ = "reminder_states"
    __table_args__ = (UniqueConstraint("key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(20))  # dismissed | done | snoozed
    snoozed_until: Mapped[datetime | None] = mapped_column(DateTime)  # UTC
    updated_at: Mapped[datetime] = mapped_column(DateTime)
