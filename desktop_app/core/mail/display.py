"""Parse a message fully for display: decoded headers, text and HTML bodies, attachments."""

from __future__ import annotations

import email.policy
import html
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from desktop_app.core.mail.parse import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    MAX_DEPTH,
    MESSAGE_TYPES,
    SAFE_CTE,
    AttachmentInfo,
    Entity,
    Headers,
    Problems,
    attachment_infos,
    body_parts,
    decode_body,
    decode_words,
    first_msg_id,
    html_to_text,
    message_id_of,
    msg_ids,
    parse_addresses,
    parse_date,
    parse_enclosed,
    parse_structure,
    text_of,
)

MAX_TEXT_CHARS = 2_000_000
MAX_HTML_CHARS = 5_000_000
MAX_RICH_CHARS = 8_192  # policy.default is slow on long headers: longer ones use the simple parser
_POLICY = email.policy.default


@dataclass(frozen=True, slots=True)
class DisplayAddress:
    """One mailbox: display name (may be empty) and lowercased address (may be empty)."""

    name: str
    addr: str


@dataclass(frozen=True, slots=True)
class DisplayMessage:
    """Everything the reading pane shows; `html` is raw (unsanitised) HTML or None."""

    subject: str
    from_addrs: tuple[DisplayAddress, ...]
    to: tuple[DisplayAddress, ...]
    cc: tuple[DisplayAddress, ...]
    bcc: tuple[DisplayAddress, ...]
    reply_to: tuple[DisplayAddress, ...]
    date: datetime | None  # aware, in the sender's time zone
    message_id: str | None
    in_reply_to: str | None
    references: tuple[str, ...]
    headers: tuple[tuple[str, str], ...]  # every header field, decoded, in order
    text: str
    html: str | None
    attachments: tuple[AttachmentInfo, ...]
    problems: tuple[str, ...]


def _rich_header(name: str, value: str) -> Any:
    """The policy.default header object (may raise on odd values; refuses very long ones)."""
    if len(value) > MAX_RICH_CHARS:
        raise ValueError("header too long for the full parser")
    return _POLICY.header_factory(name, value)


def display_text(name: str, value: str, problems: Problems) -> str:
    """A header value as readable text: policy.default, or the simple decoder when that fails."""
    simple = " ".join(decode_words(value, problems, name).split())
    try:
        rich = " ".join(str(_rich_header(name, value)).split())
    except Exception:
        return simple
    return simple if "\ufffd" in rich and "\ufffd" not in simple else rich


def _addresses(headers: Headers, name: str, problems: Problems) -> tuple[DisplayAddress, ...]:
    values = headers.get_all(name)
    if not values:
        return ()
    try:
        found = [
            DisplayAddress(a.display_name, "" if a.addr_spec == "<>" else a.addr_spec.lower())
            for value in values
            for a in _rich_header(name, value).addresses
        ]
        if all(a.addr or a.name for a in found) and (found or "@" not in " ".join(values)):
            return tuple(found)
    except Exception:  # policy.default fails on some valid headers, e.g. `undisclosed:;`
        pass
    return tuple(DisplayAddress(n, a) for n, a in parse_addresses(values, problems, name))


def _date(headers: Headers, problems: Problems) -> datetime | None:
    value = headers.get("Date")
    if value is None:
        return None
    try:
        rich = _rich_header("Date", value).datetime
    except Exception:
        rich = None
    if isinstance(rich, datetime) and rich.tzinfo is not None:
        if EARLIEST_YEAR <= rich.year <= LATEST_YEAR:
            return rich
        problems.add(f"Date header out of range: {value.strip()[:60]!r}")
        return None
    naive = parse_date(value, problems)
    return naive.replace(tzinfo=UTC) if naive is not None else None


def _html_of(raw: bytes, parts: list[Entity], problems: Problems) -> str | None:
    if not any(p.content_type == "text/html" for p in parts):
        return None
    chunks: list[str] = []
    for part in parts:
        text = text_of(raw, part, problems, MAX_HTML_CHARS)
        chunks.append(
            text if part.content_type == "text/html" else f"<pre>{html.escape(text)}</pre>"
        )
    return "\n".join(chunks)[:MAX_HTML_CHARS]


def _text_of(raw: bytes, parts: list[Entity], problems: Problems) -> str:
    chunks: list[str] = []
    for part in parts:
        text = text_of(raw, part, problems, MAX_TEXT_CHARS)
        chunks.append(html_to_text(text) if part.content_type == "text/html" else text.strip("\n"))
    return "\n\n".join(c for c in chunks if c)[:MAX_TEXT_CHARS]


def _display(raw: bytes, problems: Problems) -> DisplayMessage:
    root = parse_structure(raw, problems)
    h = root.headers
    text_parts = body_parts(root, "text/plain")
    html_parts = body_parts(root, "text/html")
    return DisplayMessage(
        subject=display_text("Subject", h.get("Subject") or "", problems),
        from_addrs=_addresses(h, "From", problems),
        to=_addresses(h, "To", problems),
        cc=_addresses(h, "Cc", problems),
        bcc=_addresses(h, "Bcc", problems),
        reply_to=_addresses(h, "Reply-To", problems),
        date=_date(h, problems),
        message_id=message_id_of(h.get("Message-ID")),
        in_reply_to=first_msg_id(h.get("In-Reply-To")),
        references=msg_ids(h.get("References")),
        headers=tuple((name, _header_line(name, value, problems)) for name, value in h.fields),
        text=_text_of(raw, text_parts, problems),
        html=_html_of(raw, html_parts, problems),
        attachments=attachment_infos(raw, root),
        problems=tuple(problems.items),
    )


def _header_line(name: str, value: str, problems: Problems) -> str:
    if "=?" not in value:
        return " ".join(value.split())
    return display_text(name, value, problems)


def parse_for_display(raw: bytes) -> DisplayMessage:
    """Parse a message for the reading pane; never raises (problems are listed instead)."""
    problems = Problems()
    try:
        return _display(raw, problems)
    except Exception as exc:  # includes RecursionError and MemoryError
        problems.add(f"the message could not be read ({type(exc).__name__})")
    text = raw[:MAX_TEXT_CHARS].decode("utf-8", "replace")
    return DisplayMessage(
        "", (), (), (), (), (), None, None, None, (), (), text, None, (), tuple(problems.items)
    )


def _find(raw: bytes, entity: Entity, target: str, problems: Problems, depth: int) -> Entity | None:
    if entity.part == target and not entity.children:
        return entity
    if not entity.is_root and entity.path == target:
        return entity
    for child in entity.children:
        if target == child.path or target.startswith(child.path + "."):
            return _find(raw, child, target, problems, depth)
    enclosed = entity.content_type in MESSAGE_TYPES and entity.encoding in SAFE_CTE
    if enclosed and depth < MAX_DEPTH and target.startswith(entity.part + "."):
        inner = parse_enclosed(raw, entity, problems, depth + 1)
        return _find(raw, inner, target, problems, depth + 1)
    return None


def attachment_bytes(raw: bytes, part: str) -> bytes:
    """The decoded bytes of the part numbered `part` (as in AttachmentInfo.part).

    Raises KeyError when the message has no such part.
    """
    problems = Problems()
    entity = _find(raw, parse_structure(raw, problems), part, problems, 0)
    if entity is None:
        raise KeyError(f"no part {part!r} in this message")
    if entity.children:
        return raw[entity.start : entity.end]
    return decode_body(raw, entity, problems)
