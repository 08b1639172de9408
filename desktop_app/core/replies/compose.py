"""Compose replies and forwards: addresses, a single "Re:", threading headers, the final bytes.

A forward quotes the original inline (a "Forwarded message" block with its From, Date, Subject
and To, then its text) rather than attaching it: the customer's words stay readable on any
phone, and the forward threads into its case through References. The original's attachments
are not carried along; the merchant adds what is needed.
"""

from __future__ import annotations

import html
import mimetypes
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.header import decode_header, make_header
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.utils import format_datetime, formataddr, getaddresses
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.core.errors import ConfigError
from desktop_app.core.store.models import Account, Blob, Message
from desktop_app.core.store.shop_settings import load as load_shop
from desktop_app.core.store.shop_settings import own_addresses

KINDS = ("reply", "reply_all", "forward", "new")
MAX_REFERENCES = 20  # the first id and the last 19: enough for any threading algorithm

# Reply and forward prefixes of the common mail programs in many languages (with an optional
# counter, "Re[2]:", and a full-width colon).
_REPLY = r"re|aw|sv|vs|vast|antw|atb|odp|vá|ref|rif|ris|r|ynt|ՊԱՏ|պատ|回复|回覆|答复|返信"
_FORWARD = r"fwd?|wg|tr|vl|vb|i|pārs|rv|enc|doorst|přeposlat|ՓՈԽԱՆՑ|转发|轉寄"
_PREFIX = re.compile(
    rf"^\s*(?:(?:{_REPLY}|{_FORWARD})\s*(?:\[\d+\]|\(\d+\))?\s*[:\uff1a]\s*)+", re.IGNORECASE
)
_REPLY_ONLY = re.compile(
    rf"^\s*(?:(?:{_REPLY})\s*(?:\[\d+\]|\(\d+\))?\s*[:\uff1a]\s*)+", re.IGNORECASE
)
_URL = re.compile(r"(https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]])")

ATTRIBUTION = {
    "en": "On {date}, {name} wrote:",
    "de": "Am {date} schrieb {name}:",
    "fi": "{name} kirjoitti {date}:",
    "lv": "{date} {name} rakstīja:",
    "hi": "{date} को {name} ने लिखा:",
    "hy": "{date}, {name}-ը գրել է\u055d",
}


@dataclass(frozen=True, slots=True)
class ReplyDraft:
    """A reply being written: everything needed to build its bytes, nothing of the ORM."""

    kind: str  # reply | reply_all | forward | new
    account_id: int
    case_id: int | None
    reply_to_id: int | None  # the store id of the message answered
    from_addr: str
    from_name: str
    to: tuple[str, ...]
    cc: tuple[str, ...] = ()
    subject: str = ""
    body: str = ""  # the merchant's new text (without signature or quote)
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    quoted: str = ""  # the quoted original, ready to put under the new text
    attachments: tuple[Path, ...] = ()
    language: str | None = None
    template_key: str | None = None

    @property
    def recipients(self) -> tuple[str, ...]:
        """Every envelope recipient, each once (To, then Cc)."""
        return tuple(dict.fromkeys(a for a in (*self.to, *self.cc) if a))


def strip_prefixes(subject: str, forward: bool = True) -> str:
    """The subject without leading "Re:", "AW:", "Fwd:" ... (forward prefixes too unless told)."""
    pattern = _PREFIX if forward else _REPLY_ONLY
    return pattern.sub("", subject, count=1).strip()


def reply_subject(subject: str) -> str:
    """A single "Re:" in front, whatever prefixes the original had ("Re: Re: AW: x" -> "Re: x")."""
    return f"Re: {strip_prefixes(subject, forward=False)}".rstrip()


def forward_subject(subject: str) -> str:
    return f"Fwd: {strip_prefixes(subject)}".rstrip()


def trim_references(ids: list[str], limit: int = MAX_REFERENCES) -> tuple[str, ...]:
    """The ids once each, at most `limit`: the first (the thread's root) and the latest ones."""
    unique = list(dict.fromkeys(i for i in ids if i))
    if len(unique) <= limit:
        return tuple(unique)
    return (unique[0], *unique[-(limit - 1) :])


def new_message_id(domain: str) -> str:
    """A fresh, globally unique Message-ID (with angle brackets) in the account's domain."""
    domain = (domain.rsplit("@", 1)[-1] or "localhost").strip().strip(".") or "localhost"
    return f"<{uuid.uuid4().hex}.shopdesk@{domain}>"


def quote_text(text: str, when: datetime | None, name: str, language: str | None) -> str:
    """ "On <date>, <name> wrote:" and the original's lines with "> " in front."""
    stamp = when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if when else "?"
    if when is not None and when.tzinfo is None:
        stamp = when.strftime("%Y-%m-%d %H:%M UTC")
    head = ATTRIBUTION.get(language or "en", ATTRIBUTION["en"]).format(date=stamp, name=name)
    lines = text.strip("\n").splitlines() or [""]
    return head + "\n" + "\n".join(">" if not ln else f"> {ln}" for ln in lines)


def _decoded(name: str) -> str:
    try:
        return str(make_header(decode_header(name)))
    except (ValueError, LookupError, UnicodeError):
        return name


def _addresses(values: list[str]) -> list[tuple[str, str]]:
    return [(_decoded(n), a) for n, a in getaddresses(values) if "@" in a]


def _headers_of(session: Session, msg: Message) -> dict[str, list[str]]:
    raw = session.scalar(select(Blob.data).where(Blob.id == msg.blob_id)) or b""
    parsed = BytesHeaderParser(policy=policy.compat32).parsebytes(raw)
    names = ("reply-to", "from", "to", "cc", "date")
    return {n: [str(v) for v in (parsed.get_all(n) or [])] for n in names}


def start_reply(session: Session, message_id: int, kind: str) -> ReplyDraft:
    """A draft answering (or forwarding) a stored message; `message_id` is the store's id."""
    if kind not in ("reply", "reply_all", "forward"):
        raise ConfigError(f"{kind!r} is not a kind of reply (reply, reply_all, forward).")
    msg = session.get(Message, message_id)
    if msg is None:
        raise ConfigError(f"There is no message {message_id} to answer.")
    account = session.get(Account, msg.account_id)
    assert account is not None
    shop = load_shop(session)
    own = own_addresses(session, shop)
    headers = _headers_of(session, msg)
    sender = _addresses(headers["from"]) or [(msg.from_name, msg.from_addr)]
    reply_to = _addresses(headers["reply-to"]) or sender
    to_list = [a for _n, a in _addresses(headers["to"])]
    cc_list = [a for _n, a in _addresses(headers["cc"])]
    if sender[0][1].lower() in own:  # answering our own message: write to its recipients again
        targets = to_list or [sender[0][1]]
    else:
        targets = [a for _n, a in reply_to]
    to: list[str] = []
    cc: list[str] = []
    if kind != "forward":
        to = list(dict.fromkeys(targets))
    if kind == "reply_all":
        seen = {a.lower() for a in to} | set(own)
        for addr in (*to_list, *cc_list):
            if addr.lower() not in seen:
                seen.add(addr.lower())
                cc.append(addr)
    name = sender[0][0] or sender[0][1]
    when = msg.date.replace(tzinfo=UTC) if msg.date else None
    refs = trim_references([*msg.references.split(), msg.message_id or ""])
    if kind == "forward":
        block = [
            "---------- Forwarded message ----------",
            f"From: {formataddr(sender[0])}",
            f"Date: {format_datetime(when) if when else ''}",
            f"Subject: {msg.subject}",
            f"To: {', '.join(to_list)}",
            "",
            msg.body_text.strip("\n"),
        ]
        quoted, subject = "\n".join(block), forward_subject(msg.subject)
    else:
        quoted = quote_text(msg.body_text, when, name, msg.language)
        subject = reply_subject(msg.subject)
    return ReplyDraft(
        kind=kind,
        account_id=msg.account_id,
        case_id=msg.case_id,
        reply_to_id=msg.id,
        from_addr=account.email,
        from_name=shop.name or account.name,
        to=tuple(to),
        cc=tuple(cc),
        subject=subject,
        in_reply_to=None if kind == "forward" else msg.message_id,
        references=refs,
        quoted=quoted,
        language=msg.language,
    )


def plain_text(draft: ReplyDraft, signature: str) -> str:
    """The text part: the new text, the signature after "-- ", then the quote."""
    parts = [draft.body.rstrip()]
    if signature.strip():
        parts.append("-- \n" + signature.strip("\n"))
    if draft.quoted.strip():
        parts.append(draft.quoted)
    return "\n\n".join(p for p in parts if p) + "\n"


def _html_lines(text: str) -> str:
    """Escaped paragraphs (blank-line separated) with line breaks and clickable links."""
    out = []
    for para in re.split(r"\n\s*\n", text.strip("\n")):
        escaped = html.escape(para)
        linked = _URL.sub(lambda m: f'<a href="{m.group(1)}">{m.group(1)}</a>', escaped)
        out.append("<p>" + linked.replace("\n", "<br>\n") + "</p>")
    return "\n".join(out)


def html_text(draft: ReplyDraft, signature: str) -> str:
    """The HTML alternative of `plain_text`: the quote in a blockquote, the signature apart."""
    body = [_html_lines(draft.body)] if draft.body.strip() else []
    if signature.strip():
        body.append('<div class="signature">-- <br>\n' + _html_lines(signature) + "</div>")
    if draft.quoted.strip():
        lines = draft.quoted.splitlines()
        head, rest = (
            lines[0],
            [ln[2:] if ln.startswith("> ") else ln.lstrip(">") for ln in lines[1:]],
        )
        if draft.kind == "forward":
            head, rest = "", lines
        quote = _html_lines("\n".join(rest))
        body.append(f"<p>{html.escape(head)}</p>\n<blockquote>{quote}</blockquote>")
    lang = f' lang="{html.escape(draft.language)}"' if draft.language else ""
    return (
        f'<!DOCTYPE html>\n<html{lang}><head><meta charset="utf-8"></head>\n<body>\n'
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def _address(name: str, addr: str) -> str:
    local, _, domain = addr.partition("@")
    return str(Address(display_name=name, username=local, domain=domain)) if domain else addr


def build_message(
    draft: ReplyDraft, message_id: str, signature: str, date: datetime | None = None
) -> bytes:
    """The message's final bytes (CRLF line ends), built once and stored for every retry."""
    if not draft.recipients:
        raise ConfigError("A reply needs at least one recipient.")
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = _address(draft.from_name, draft.from_addr)
    msg["To"] = ", ".join(draft.to)
    if draft.cc:
        msg["Cc"] = ", ".join(draft.cc)
    msg["Subject"] = draft.subject
    msg["Date"] = format_datetime(date or datetime.now(UTC))
    msg["Message-ID"] = message_id
    if draft.in_reply_to:
        msg["In-Reply-To"] = draft.in_reply_to
    if draft.references:
        msg["References"] = " ".join(draft.references)
    msg["User-Agent"] = "Shopdesk"
    # quoted-printable: 7-bit clean for every SMTP server, readable in the raw source
    msg.set_content(plain_text(draft, signature), cte="quoted-printable")
    msg.add_alternative(html_text(draft, signature), subtype="html", cte="quoted-printable")
    for path in draft.attachments:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ConfigError(
                f"The attachment {path.name} cannot be read ({exc.strerror})."
            ) from None
        ctype, encoding = mimetypes.guess_type(path.name)
        if ctype is None or encoding is not None:
            ctype = "application/octet-stream"
        maintype, subtype = ctype.split("/", 1)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=path.name)
    if draft.language:  # last: set_content and add_attachment move Content-* headers
        msg["Content-Language"] = draft.language
    return msg.as_bytes()
