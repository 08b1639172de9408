"""Parse raw message bytes for storage: headers, addresses, date, body text, attachments, problems."""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.message import Message as EmailMessage
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

MAX_BODY_CHARS = 200_000


@dataclass(frozen=True, slots=True)
class AttachmentInfo:
    """Metadata of one attachment part."""

    part: str
    filename: str
    content_type: str
    size: int
    content_id: str | None = None
    inline: bool = False


@dataclass(frozen=True, slots=True)
class ParsedMessage:
    """What the store keeps next to the raw bytes; `problems` lists what was wrong, one per entry."""

    message_id: str | None
    subject: str = ""
    from_name: str = ""
    from_addr: str = ""
    to_addrs: tuple[str, ...] = ()
    cc_addrs: tuple[str, ...] = ()
    addresses: str = ""
    date: datetime | None = None  # naive UTC
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    body_text: str = ""
    snippet: str = ""
    attachments: tuple[AttachmentInfo, ...] = ()
    problems: tuple[str, ...] = field(default_factory=tuple)


def _decode(value: object) -> str:
    if value is None:
        return ""
    try:
        return str(make_header(decode_header(str(value))))
    except Exception:
        return str(value)


def parse_for_store(raw: bytes) -> ParsedMessage:
    """Parse once, cheaply (compat32), never raising: problems are recorded instead."""
    problems: list[str] = []
    try:
        msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    except Exception as exc:  # noqa: BLE001 - anything the parser throws is a parse problem
        return ParsedMessage(message_id=None, problems=(f"unparsable message: {exc}",))
    mid = (msg.get("Message-ID") or "").strip() or None
    name, addr = parseaddr(_decode(msg.get("From")))
    tos = tuple(a for _, a in getaddresses([_decode(v) for v in msg.get_all("To", [])]) if a)
    ccs = tuple(a for _, a in getaddresses([_decode(v) for v in msg.get_all("Cc", [])]) if a)
    date = None
    if msg.get("Date"):
        try:
            d = parsedate_to_datetime(str(msg.get("Date")))
            date = (d.astimezone(UTC) if d.tzinfo else d).replace(tzinfo=None)
        except Exception:
            problems.append(f"unreadable Date header: {msg.get('Date')!r}")
    body = ""
    for part in msg.walk():
        if part.get_content_type() == "text/plain" and not part.get_filename():
            body = _text_of(part)
            break
    subject = _decode(msg.get("Subject"))
    return ParsedMessage(
        message_id=mid,
        subject=subject,
        from_name=name,
        from_addr=addr.lower(),
        to_addrs=tos,
        cc_addrs=ccs,
        addresses=" ".join([name, addr, *tos, *ccs]),
        date=date,
        in_reply_to=(msg.get("In-Reply-To") or "").strip() or None,
        references=tuple(str(msg.get("References") or "").split()),
        body_text=body[:MAX_BODY_CHARS],
        snippet=" ".join(body.split())[:200],
        problems=tuple(problems),
    )


def _text_of(part: EmailMessage) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:
        return payload.decode("utf-8", errors="replace")
