"""Limits, results and problem notes shared by the mail parsers (`parse`, `headers`, `mime`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

MAX_BODY_CHARS = 200_000
MAX_DEPTH = 50
MAX_PARTS = 500
MAX_PROBLEMS = 20
MAX_HTML_CHARS = 1_000_000
MAX_ADDRESS_CHARS = 65_536
MAX_BOUNDARY_MISSES = 10_000
SNIPPET_CHARS = 200
EARLIEST_YEAR = 1970
LATEST_YEAR = 2100

_TEXT_TYPES = ("text/plain", "text/html")
MESSAGE_TYPES = ("message/rfc822", "message/global", "message/news")
_EXTENSIONS = {
    "text/plain": ".txt",
    "text/html": ".html",
    "text/calendar": ".ics",
    "text/rfc822-headers": ".txt",
    "message/delivery-status": ".txt",
    "message/disposition-notification": ".txt",
    "message/feedback-report": ".txt",
    "application/pgp-signature": ".asc",
    "application/pkcs7-signature": ".p7s",
    "application/octet-stream": ".bin",
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
}
SAFE_CTE = ("", "7bit", "8bit", "binary")
_B64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_B64_JUNK = bytes(b for b in range(256) if b not in _B64_ALPHABET)
_UNKNOWN_CHARSETS = frozenset(
    {"unknown-8bit", "x-unknown", "unknown", "8bit", "default", "x-user-defined", "charset"}
)
_CHARSET_ALIASES = {
    "us-ascii": "ascii",
    "ascii": "ascii",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "iso-8859-8-i": "iso-8859-8",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "ks_c_5601-1987": "cp949",
    "euc-kr": "cp949",
    "shift_jis": "cp932",
    "x-sjis": "cp932",
    "windows-874": "cp874",
    "utf8": "utf-8",
    "utf-8": "utf-8",
}

_HEADER = re.compile(r"^([!-9;-~]+)[ \t]*:[ \t]*(.*(?:\n[ \t].*)*)", re.M)
_BAD_LINE = re.compile(r"^(?![!-9;-~]+[ \t]*:|[ \t])", re.M)
_WS = re.compile(r"\s+")
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_PARAM = re.compile(r'([^=;\s]+)\s*=\s*("(?:[^"\\]|\\.)*"?|[^;]*)')
_MSG_ID = re.compile(r"<[^<>\s]+>")
_MAILBOX = re.compile(
    r'\s*(?:"((?:[^"\\]|\\.)*)"\s*|([^",<>():;@\\\[\]]*?)\s*)<([^<>\s,"]*)>\s*'
    r'|\s*([^\s",<>():;\\\[\]]+)\s*'
)


@dataclass(frozen=True, slots=True)
class AttachmentInfo:
    """Metadata of one attachment part (content_id without angle brackets)."""

    part: str
    filename: str
    content_type: str
    size: int
    content_id: str | None = None
    inline: bool = False


@dataclass(frozen=True, slots=True)
class ParsedMessage:
    """What the store keeps next to the raw bytes; `problems` lists what was wrong."""

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
    reply_to_addrs: tuple[str, ...] = ()


class Problems:
    """Collects short problem sentences, without duplicates and at most MAX_PROBLEMS."""

    __slots__ = ("items",)

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, text: str) -> None:
        """Record one problem sentence."""
        if text in self.items:
            return
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(text)
        elif len(self.items) == MAX_PROBLEMS:
            self.items.append("more problems not listed")
