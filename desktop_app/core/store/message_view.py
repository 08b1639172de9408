"""One stored message made ready for the reading pane, its raw bytes, and its attachments."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.core.errors import ConfigError, ShopdeskError
from desktop_app.core.mail import attachments as files
from desktop_app.core.mail.display import DisplayAddress, attachment_bytes, parse_for_display
from desktop_app.core.mail.quotes import NEW, split_reply
from desktop_app.core.mail.sanitize import sanitize_html
from desktop_app.core.store import remote_images
from desktop_app.core.store.models import Blob, Message
from desktop_app.core.views import AttachmentRow, MessageView

MAX_INLINE_BYTES = 10_000_000  # inline images larger than this are listed, not shown


def _message(session: Session, message_id: int) -> Message:
    message = session.get(Message, message_id)
    if message is None:
        raise ConfigError(f"There is no message {message_id} in the store.")
    return message


def raw_bytes(session: Session, message_id: int) -> bytes:
    """The message exactly as it was received."""
    data = session.scalar(
        select(Blob.data).join(Message, Message.blob_id == Blob.id).where(Message.id == message_id)
    )
    if data is None:
        raise ConfigError(f"There is no message {message_id} in the store.")
    return bytes(data)


def address_line(addresses: tuple[DisplayAddress, ...]) -> str:
    """ "Jane Doe <jane@example.com>, bob@example.com"."""
    parts = []
    for a in addresses:
        if a.name and a.addr and a.name.lower() != a.addr:
            parts.append(f"{a.name} <{a.addr}>")
        else:
            parts.append(a.addr or a.name)
    return ", ".join(p for p in parts if p)


def message_view(session: Session, message_id: int, allow_remote: bool = False) -> MessageView:
    """Parse the stored bytes for display (see `desktop_app.core.views.MessageView`)."""
    message = _message(session, message_id)
    raw = raw_bytes(session, message_id)
    shown = parse_for_display(raw)
    sender = shown.from_addrs[0].addr if shown.from_addrs else message.from_addr
    allowed = allow_remote or remote_images.load(session).allowed(message.dedup_key, sender)
    problems = [p for p in message.problems.splitlines() if p.strip()]
    problems += [p for p in shown.problems if p not in problems]
    html = None
    blocked = 0
    referenced: tuple[str, ...] = ()
    if shown.html is not None:
        clean = sanitize_html(shown.html, allow_remote=allowed)
        html, blocked, referenced = clean.html, clean.remote_images_blocked, clean.content_ids
    split = split_reply(shown.text)
    text = "".join(t for kind, t in split.segments if kind == NEW).strip("\n")
    quoted = "".join(t for kind, t in split.segments if kind != NEW).strip("\n")
    if not split.segments:
        text, quoted = shown.text, ""
    wanted = {c.lower() for c in referenced}
    inline: dict[str, tuple[str, bytes]] = {}
    rows = []
    for info in shown.attachments:
        cid = (info.content_id or "").strip().strip("<>")
        shown_inline = bool(cid) and cid.lower() in wanted
        if shown_inline and info.size <= MAX_INLINE_BYTES:
            try:
                inline[cid] = (info.content_type, attachment_bytes(raw, info.part))
            except (KeyError, ValueError):
                problems.append(f"the inline image {cid} could not be read")
        rows.append(
            AttachmentRow(
                part=info.part,
                filename=files.clean_filename(info.filename),
                content_type=info.content_type,
                size=info.size,
                inline=shown_inline,
            )
        )
    return MessageView(
        id=message.id,
        subject=shown.subject or message.subject,
        from_line=address_line(shown.from_addrs) or message.from_addr,
        to_line=address_line(shown.to),
        cc_line=address_line(shown.cc),
        date=shown.date,
        text=text,
        quoted=quoted,
        html=html,
        remote_images_blocked=blocked,
        inline_images=inline,
        attachments=tuple(rows),
        problems=tuple(problems),
    )


def allow_remote_images(session: Session, message_id: int, for_sender: bool) -> None:
    message = _message(session, message_id)
    if for_sender and message.from_addr:
        remote_images.allow(session, sender=message.from_addr)
    else:
        remote_images.allow(session, message_key=message.dedup_key)


def save_attachment(session: Session, message_id: int, part: str, folder: Path) -> Path:
    """Write one attachment under its cleaned name in `folder`; never over an existing file."""
    raw = raw_bytes(session, message_id)
    shown = parse_for_display(raw)
    info = next((a for a in shown.attachments if a.part == part), None)
    try:
        data = attachment_bytes(raw, part)
    except KeyError:
        raise ConfigError(f"Message {message_id} has no attachment {part}.") from None
    name = info.filename if info is not None else ""
    try:
        return files.save_new_file(folder, name, data)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ShopdeskError(
            f"Could not save {files.clean_filename(name)} in {folder}: {reason}."
        ) from None
