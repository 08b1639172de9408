"""Parse raw message bytes cheaply for storage: headers, body text, attachments, problems."""

from __future__ import annotations

import binascii
import codecs
import functools
import html
import mimetypes
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import getaddresses, parsedate_tz
from urllib.parse import unquote_to_bytes

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


# ---------------------------------------------------------------------------------------------
# Headers


@dataclass(frozen=True, slots=True)
class Headers:
    """Header fields of one entity in order, unfolded, as text (8-bit bytes decoded)."""

    fields: tuple[tuple[str, str], ...]
    index: dict[str, list[str]]

    @classmethod
    def of(cls, fields: list[tuple[str, str]]) -> Headers:
        """Headers from (name, value) pairs in message order."""
        index: dict[str, list[str]] = {}
        for name, value in fields:
            index.setdefault(name.lower(), []).append(value)
        return cls(tuple(fields), index)

    def get(self, name: str) -> str | None:
        """The first value of a header (case-insensitive name), or None."""
        values = self.index.get(name.lower())
        return values[0] if values else None

    def get_all(self, name: str) -> list[str]:
        """All values of a header (case-insensitive name)."""
        return self.index.get(name.lower(), [])


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _where(path: str) -> str:
    return f"part {path}" if path else "the message"


def _header_end(raw: bytes, start: int, end: int) -> int:
    """Offset just past the last header line (before the blank line), or `end`."""
    if raw.startswith(b"\n", start) or raw.startswith(b"\r\n", start):
        return start
    first = raw.find(b"\n", start, end)
    crlf = first > start and raw[first - 1] == 0x0D
    one, two = (b"\n\r\n", b"\n\n") if crlf else (b"\n\n", b"\n\r\n")
    hit = raw.find(one, start, end)
    other = raw.find(two, start, hit if hit >= 0 else end)
    if other >= 0:
        hit = other
    return hit + 1 if hit >= 0 else end


def _skip_blank_line(raw: bytes, pos: int, end: int) -> int:
    if raw.startswith(b"\r\n", pos) and pos + 2 <= end:
        return pos + 2
    if raw.startswith(b"\n", pos) and pos + 1 <= end:
        return pos + 1
    return pos


def guess_decode(data: bytes) -> tuple[str, bool]:
    """Undeclared 8-bit text: UTF-8 when it mostly is (True), else cp1252 (False)."""
    try:
        return data.decode("utf-8"), True
    except UnicodeDecodeError:
        text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    good = len(text) - len(text.encode("ascii", "ignore")) - bad
    if good >= 4 * bad:
        return text, True
    return data.decode("cp1252", "replace"), False


def _fix_value(value: str, name: str, bad: list[str]) -> str:
    """Re-decode a header value that holds undecodable bytes (as surrogate escapes)."""
    data = value.encode("utf-8", "surrogateescape")
    text, ok = guess_decode(data)
    if not ok:
        bad.append(name)
    return text


def _header_fields(text: str) -> tuple[list[tuple[str, str]], int | None, list[str]]:
    """(name, raw value) pairs, the offset of a line ending the block early, and notes."""
    if text[:1] not in (" ", "\t") and _BAD_LINE.search(text, 0, max(0, len(text) - 1)) is None:
        return _HEADER.findall(text), None, []
    fields: list[tuple[str, str]] = []
    notes: list[str] = []
    pos, end = 0, len(text)
    while pos < end:
        m = _HEADER.match(text, pos)
        if m is not None:
            fields.append((m.group(1), m.group(2)))
            pos = m.end() + 1
            continue
        nl = text.find("\n", pos)
        line_end = end if nl < 0 else nl + 1
        if pos == 0 and text.startswith("From "):
            pass  # an mbox "From " envelope line
        elif text[pos] in " \t":
            notes.append("starts with an indented line; ignored")
        else:
            notes.append("ends at a line that is not a header field")
            return fields, pos, notes
        pos = line_end
    return fields, None, notes


def read_headers(
    raw: bytes, start: int, end: int, problems: Problems, where: str = "the message"
) -> tuple[Headers, int]:
    """Read the header block at `start`; return the headers and the offset where the body starts."""
    hend = _header_end(raw, start, end)
    block = raw[start:hend]
    escaped = not block.isascii()
    text = block.decode("utf-8", "surrogateescape") if escaped else block.decode("ascii")
    pairs, cut, notes = _header_fields(text)
    for note in notes:
        problems.add(f"the header block of {where} {note}")
    fields: list[tuple[str, str]] = []
    bad: list[str] = []
    for name, value in pairs:
        if "\n" in value:
            value = value.replace("\r\n", "").replace("\n", "")
        value = value.rstrip(" \t\r")
        if escaped and not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                value = _fix_value(value, name, bad)
        fields.append((name, value))
    if bad:
        names = ", ".join(dict.fromkeys(bad))
        problems.add(f"8-bit bytes in header {names} of {where} are not UTF-8; read as cp1252")
    if cut is not None:
        return Headers.of(fields), start + len(text[:cut].encode("utf-8", "surrogateescape"))
    return Headers.of(fields), min(_skip_blank_line(raw, hend, end), end)


# ---------------------------------------------------------------------------------------------
# Charsets and encoded words


@functools.lru_cache(maxsize=512)
def _codec(charset: str) -> str | None:
    """A Python text codec name for a MIME charset, or None when unknown."""
    name = charset.strip().strip("\"'").lower()
    name = name.split("*", 1)[0]  # RFC 2231 language suffix
    if name in _CHARSET_ALIASES:
        return _CHARSET_ALIASES[name]
    if not name or name in _UNKNOWN_CHARSETS or len(name) > 40:
        return None
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError, TypeError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in {"idna", "punycode"}:
        return None
    return info.name


def _fallback_decode(data: bytes) -> tuple[str, str]:
    text, utf8 = guess_decode(data)
    return text, "UTF-8" if utf8 else "cp1252"


def decode_text(data: bytes, charset: str | None, problems: Problems, where: str) -> str:
    """Bytes of a text part to str: the declared charset, else UTF-8, else cp1252; never raises."""
    if data.isascii():
        return data.decode("ascii")
    codec = _codec(charset) if charset else "ascii"
    if codec == "ascii":
        return _fallback_decode(data)[0]
    if codec is not None:
        try:
            return data.decode(codec, "replace")
        except Exception:
            pass
    text, how = _fallback_decode(data)
    problems.add(f"unknown charset {_short(charset or '', 40)} in {where}; decoded as {how}")
    return text


def _word_bytes(encoding: str, payload: str) -> bytes | None:
    data = payload.encode("ascii", "replace")
    try:
        return _b64(data) if encoding in "bB" else binascii.a2b_qp(data, header=True)
    except (binascii.Error, ValueError):
        return None


def decode_words(value: str, problems: Problems, name: str) -> str:
    """Decode RFC 2047 encoded words; adjacent words in one charset are joined before decoding."""
    if "=?" not in value:
        return value
    out: list[str] = []
    pending: list[bytes] = []
    charset = ""
    prev_word = False
    pos = 0
    for m in _ENCODED_WORD.finditer(value):
        gap = value[pos : m.start()]
        data = _word_bytes(m.group(2), m.group(3))
        joinable = prev_word and not gap.strip()
        if data is None:
            problems.add(f"an encoded word in the {name} header could not be decoded; kept as is")
            out.append(_flush(pending, charset, problems, name) + gap + m.group(0))
            prev_word = False
        else:
            if not joinable or m.group(1).lower() != charset.lower():
                out.append(_flush(pending, charset, problems, name))
                out.append("" if joinable else gap)
                charset = m.group(1)
            pending.append(data)
            prev_word = True
        pos = m.end()
    out.append(_flush(pending, charset, problems, name))
    out.append(value[pos:])
    return "".join(out)


def _flush(pending: list[bytes], charset: str, problems: Problems, name: str) -> str:
    if not pending:
        return ""
    text = decode_text(b"".join(pending), charset, problems, f"the {name} header")
    pending.clear()
    return text


def _collapse(text: str) -> str:
    return " ".join(text.split())


def header_text(headers: Headers, name: str, problems: Problems) -> str:
    """A header's decoded value with whitespace collapsed ("" when absent)."""
    value = headers.get(name)
    if value is None:
        return ""
    return _collapse(decode_words(value, problems, name))


# ---------------------------------------------------------------------------------------------
# Addresses, ids, dates


def _simple_addresses(value: str) -> list[tuple[str, str]] | None:
    """Fast path for the usual `"Name" <a@b>, c@d` lists; None means "use the full parser"."""
    found: list[tuple[str, str]] = []
    pos, end = 0, len(value)
    while pos < end:
        m = _MAILBOX.match(value, pos)
        if m is None or m.end() == pos:
            return None
        quoted, bare, angle, plain = m.groups()
        if angle is not None:
            name = quoted.replace('\\"', '"') if quoted is not None else bare or ""
            found.append((name, angle))
        elif plain is not None:
            found.append(("", plain))
        pos = m.end()
        if pos < end:
            if value[pos] != ",":
                return None
            pos += 1
    return found


def parse_addresses(values: list[str], problems: Problems, name: str) -> list[tuple[str, str]]:
    """(display name, lowercased address) pairs from address header values; never raises."""
    pairs: list[tuple[str, str]] = []
    for value in values:
        if len(value) > MAX_ADDRESS_CHARS:
            problems.add(f"the {name} header is longer than {MAX_ADDRESS_CHARS} characters; cut")
            value = value[:MAX_ADDRESS_CHARS]
        found = _simple_addresses(value)
        if found is None:
            try:
                found = getaddresses([value])
            except Exception:
                problems.add(f"the {name} header could not be read as addresses")
                continue
        for display, addr in found:
            addr = addr.strip().lower()
            display = _collapse(decode_words(display, problems, name)).strip("'\" ")
            if addr or display:
                pairs.append((display, addr))
    return pairs


def first_msg_id(value: str | None) -> str | None:
    """The first `<id>` token of a header value, or None."""
    if not value:
        return None
    m = _MSG_ID.search(value)
    return m.group(0) if m else None


def msg_ids(value: str | None) -> tuple[str, ...]:
    """Every `<id>` token of a header value (References), in order."""
    return tuple(_MSG_ID.findall(value)) if value else ()


def message_id_of(value: str | None) -> str | None:
    """A Message-ID as in the header: stripped, with its angle brackets, junk after it dropped."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    if value.startswith("<") and ">" in value:
        return "".join(value[: value.index(">") + 1].split())[:998]
    return value.split()[0][:998]


def parse_date(value: str | None, problems: Problems) -> datetime | None:
    """A Date header as naive UTC, or None with a problem when unreadable or out of range."""
    if value is None or not value.strip():
        return None
    try:
        parts = parsedate_tz(value)
        if parts is None:
            raise ValueError(value)
        year, month, day, hour, minute, second = parts[:6]
        if not EARLIEST_YEAR <= year <= LATEST_YEAR:
            problems.add(f"Date header out of range: {_short(value)}")
            return None
        local = datetime(year, month, day, hour, minute, min(second, 59))
        offset = parts[9] or 0
        if abs(offset) > 24 * 3600:
            problems.add(f"Date header has an impossible time zone: {_short(value)}; read as UTC")
            offset = 0
        return local - timedelta(seconds=offset)
    except Exception:
        problems.add(f"unreadable Date header: {_short(value)}")
        return None


# ---------------------------------------------------------------------------------------------
# MIME structure


@dataclass(frozen=True, slots=True)
class Entity:
    """One MIME entity: its headers, type, parameters and where its body lies in the raw bytes."""

    path: str  # "" for the message itself, else an IMAP part number like "2.1"
    is_root: bool
    headers: Headers
    content_type: str
    charset: str | None
    filename: str
    disposition: str
    content_id: str | None
    encoding: str
    start: int
    end: int
    children: tuple[Entity, ...] = ()

    @property
    def part(self) -> str:
        """The IMAP part number of this entity's body."""
        if not self.is_root:
            return self.path
        return f"{self.path}.1" if self.path else "1"

    @property
    def is_multipart(self) -> bool:
        """True for a multipart container that was split into children."""
        return bool(self.children) or self.content_type.startswith("multipart/")

    @property
    def is_body_text(self) -> bool:
        """True for an inline text/plain or text/html leaf without a file name."""
        return (
            self.content_type in _TEXT_TYPES
            and not self.filename
            and self.disposition != "attachment"
        )

    @property
    def is_attachment(self) -> bool:
        """True for a leaf that the app lists as an attachment."""
        return not self.is_multipart and not self.is_body_text


@dataclass(slots=True)
class _Walk:
    raw: bytes
    problems: Problems
    parts: int = 0
    too_many: bool = False


def _split_params(value: str) -> tuple[str, dict[str, str]]:
    head, sep, rest = value.partition(";")
    params: dict[str, str] = {}
    if not sep:
        return head.strip().lower(), params
    sections: dict[str, list[tuple[int, bool, str]]] = {}
    for m in _PARAM.finditer(rest):
        key, val = m.group(1).lower(), m.group(2).strip()
        if val.startswith('"'):
            val = _unquote(val)
        if "*" in key:
            base, _, tail = key.partition("*")
            index_text = tail.rstrip("*")
            index = int(index_text) if index_text.isdigit() else 0
            sections.setdefault(base, []).append((index, key.endswith("*"), val))
        else:
            params.setdefault(key, val)
    for base, items in sections.items():
        params[base] = _rfc2231(sorted(items, key=lambda t: t[0]))
    return head.strip().lower(), params


def _unquote(val: str) -> str:
    inner = val[1:-1] if val.endswith('"') and len(val) > 1 else val[1:]
    return re.sub(r"\\(.)", r"\1", inner) if "\\" in inner else inner


def _rfc2231(items: list[tuple[int, bool, str]]) -> str:
    charset = "utf-8"
    chunks: list[bytes] = []
    for i, (_, encoded, val) in enumerate(items):
        if encoded and i == 0 and val.count("'") >= 2:
            charset, _, val = val.split("'", 2)
        chunks.append(unquote_to_bytes(val) if encoded else val.encode("utf-8", "replace"))
    data = b"".join(chunks)
    codec = _codec(charset or "utf-8") or "utf-8"
    try:
        return data.decode(codec, "replace")
    except Exception:
        return data.decode("utf-8", "replace")


def _filename(raw_name: str, problems: Problems) -> str:
    name = decode_words(raw_name, problems, "file name") if "=?" in raw_name else raw_name
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    return _collapse(name.replace("\x00", ""))[:255]


def _entity_meta(
    headers: Headers, default_type: str, problems: Problems, where: str
) -> tuple[str, dict[str, str], str, dict[str, str]]:
    ctype_value = headers.get("content-type")
    ctype, params = _split_params(ctype_value) if ctype_value else (default_type, {})
    if ctype_value is not None:
        main, slash, sub = ctype.partition("/")
        if not slash or not main or not sub or " " in ctype:
            if ctype:
                problems.add(
                    f"invalid Content-Type {_short(ctype, 40)} in {where}; read as text/plain"
                )
            ctype = "text/plain"
    disp_value = headers.get("content-disposition")
    disposition, disp_params = _split_params(disp_value) if disp_value else ("", {})
    return ctype, params, disposition, disp_params


def _find_delimiter(
    raw: bytes, delim: bytes, pos: int, start: int, end: int, misses: list[int]
) -> tuple[int, int, bool] | None:
    """Next boundary line: (line start, offset after the line, is_closing)."""
    while misses[0] < MAX_BOUNDARY_MISSES:
        j = raw.find(delim, pos, end)
        if j < 0:
            return None
        k = j + len(delim)
        if j == start or raw[j - 1] == 0x0A:
            closing = raw.startswith(b"--", k) and k + 2 <= end
            if closing:
                k += 2
            while k < end and raw[k] in (0x20, 0x09):
                k += 1
            if k >= end:
                return j, end, closing
            if raw[k] == 0x0A:
                return j, k + 1, closing
            if raw[k] == 0x0D and (k + 1 >= end or raw[k + 1] == 0x0A):
                return j, min(k + 2, end), closing
        misses[0] += 1
        pos = j + 1
    return None


def _line_break_before(raw: bytes, j: int, floor: int) -> int:
    if j > floor and raw[j - 1] == 0x0A:
        j -= 1
        if j > floor and raw[j - 1] == 0x0D:
            j -= 1
    return j


def split_multipart(
    raw: bytes, start: int, end: int, boundary: str
) -> tuple[list[tuple[int, int]], bool]:
    """Spans of the body parts between boundary lines, and whether the closing line was found."""
    delim = b"--" + boundary.encode("utf-8", "replace")
    misses = [0]
    spans: list[tuple[int, int]] = []
    found = _find_delimiter(raw, delim, start, start, end, misses)
    while found is not None:
        _, part_start, closing = found
        if closing:
            return spans, True
        nxt = _find_delimiter(raw, delim, part_start, start, end, misses)
        part_end = end if nxt is None else _line_break_before(raw, nxt[0], part_start)
        spans.append((part_start, max(part_start, part_end)))
        if len(spans) > MAX_PARTS:
            return spans, True
        found = nxt
    return spans, False


def parse_entity(
    walk: _Walk,
    start: int,
    end: int,
    path: str = "",
    depth: int = 0,
    is_root: bool = True,
    default_type: str = "text/plain",
) -> Entity:
    """Parse one entity (headers and, for multiparts, its children) within the given bounds."""
    where = _where(path)
    headers, body = read_headers(walk.raw, start, end, walk.problems, where)
    ctype, params, disposition, disp_params = _entity_meta(
        headers, default_type, walk.problems, where
    )
    filename = disp_params.get("filename") or params.get("name") or ""
    cid = headers.get("content-id")
    entity = Entity(
        path=path,
        is_root=is_root,
        headers=headers,
        content_type=ctype,
        charset=params.get("charset"),
        filename=_filename(filename, walk.problems) if filename else "",
        disposition=disposition,
        content_id=cid.strip().strip("<>").strip() or None if cid else None,
        encoding=(headers.get("content-transfer-encoding") or "").strip().lower(),
        start=body,
        end=end,
    )
    if not ctype.startswith("multipart/"):
        return entity
    return _split_children(walk, entity, params.get("boundary", "").strip(), depth)


def _as_text(entity: Entity) -> Entity:
    return Entity(
        entity.path, entity.is_root, entity.headers, "text/plain", entity.charset,
        entity.filename, entity.disposition, entity.content_id, entity.encoding,
        entity.start, entity.end,
    )  # fmt: skip


def _split_children(walk: _Walk, entity: Entity, boundary: str, depth: int) -> Entity:
    where = _where(entity.path)
    if depth >= MAX_DEPTH:
        walk.problems.add(f"MIME nesting deeper than {MAX_DEPTH} levels; inner parts not read")
        return entity
    if not boundary:
        walk.problems.add(f"no boundary given for the multipart in {where}; read as plain text")
        return _as_text(entity)
    spans, closed = split_multipart(walk.raw, entity.start, entity.end, boundary)
    if not spans:
        walk.problems.add(f"no MIME boundary line found in {where}; read as plain text")
        return _as_text(entity)
    if not closed:
        walk.problems.add(f"closing MIME boundary missing in {where}")
    child_type = "message/rfc822" if entity.content_type == "multipart/digest" else "text/plain"
    children: list[Entity] = []
    for i, (s, e) in enumerate(spans, 1):
        if walk.parts >= MAX_PARTS:
            walk.problems.add(f"more than {MAX_PARTS} MIME parts; the rest not read")
            break
        walk.parts += 1
        child_path = f"{entity.path}.{i}" if entity.path else str(i)
        children.append(parse_entity(walk, s, e, child_path, depth + 1, False, child_type))
    return Entity(
        entity.path, entity.is_root, entity.headers, entity.content_type, entity.charset,
        entity.filename, entity.disposition, entity.content_id, entity.encoding,
        entity.start, entity.end, tuple(children),
    )  # fmt: skip


def parse_structure(raw: bytes, problems: Problems) -> Entity:
    """The MIME tree of a whole message (bounded in depth and number of parts)."""
    return parse_entity(_Walk(raw, problems), 0, len(raw))


def parse_enclosed(raw: bytes, entity: Entity, problems: Problems, depth: int = 1) -> Entity:
    """The MIME tree of a message/rfc822 part (its body must be 7bit/8bit to be read in place)."""
    walk = _Walk(raw, problems)
    return parse_entity(walk, entity.start, entity.end, entity.part, depth, True)


def leaves(entity: Entity) -> list[Entity]:
    """All leaf entities, depth first."""
    if not entity.children:
        return [] if entity.content_type.startswith("multipart/") else [entity]
    found: list[Entity] = []
    for child in entity.children:
        found.extend(leaves(child))
    return found


# ---------------------------------------------------------------------------------------------
# Decoding bodies


def _b64(data: bytes) -> bytes:
    data = data.translate(None, _B64_JUNK)
    if len(data) % 4 == 1:
        data = data[:-1]
    data += b"=" * (-len(data) % 4)
    try:
        return binascii.a2b_base64(data)
    except (binascii.Error, ValueError):
        return b""


def _uu(data: bytes) -> bytes:
    out: list[bytes] = []
    for line in data.splitlines()[1:]:
        if line.strip() in (b"end", b"`", b""):
            continue
        try:
            out.append(binascii.a2b_uu(line))
        except (binascii.Error, ValueError):
            continue
    return b"".join(out)


def decode_body(raw: bytes, entity: Entity, problems: Problems, limit: int | None = None) -> bytes:
    """A leaf's decoded bytes (at most about `limit` bytes read when given); never raises."""
    end = entity.end if limit is None else min(entity.end, entity.start + 2 * limit + 4096)
    data = raw[entity.start : end]
    cte = entity.encoding
    if cte in SAFE_CTE:
        return data
    if cte == "base64":
        return _b64(data)
    if cte == "quoted-printable":
        return binascii.a2b_qp(data)
    if cte in ("x-uuencode", "uuencode", "x-uue"):
        return _uu(data)
    problems.add(
        f"unknown Content-Transfer-Encoding {_short(cte, 30)} in {_where(entity.part)}; "
        "read undecoded"
    )
    return data


def decoded_size(raw: bytes, entity: Entity) -> int:
    """Decoded size of a leaf, estimated from its encoded length."""
    length = entity.end - entity.start
    if entity.encoding == "base64":
        breaks = raw.count(b"\n", entity.start, entity.end) + raw.count(
            b"\r", entity.start, entity.end
        )
        return max(0, (length - breaks) * 3 // 4)
    return length


def text_of(raw: bytes, entity: Entity, problems: Problems, limit: int) -> str:
    """A text leaf decoded to str with LF line ends, reading at most about `limit` characters."""
    data = decode_body(raw, entity, problems, 4 * limit)
    text = decode_text(data, entity.charset, problems, _where(entity.part))
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    return text[:limit] if len(text) > limit else text


# ---------------------------------------------------------------------------------------------
# HTML to text


_HTML_OPENERS = re.compile(r"<(script|style|head|title|template)\b|<!--", re.I)
_HTML_CLOSERS = {
    name: re.compile(rf"</{name}\s*>", re.I)
    for name in ("script", "style", "head", "title", "template")
}
_COMMENT_END = re.compile(r"-->")
_HTML_BREAK = re.compile(
    r"<(?:br|p|div|tr|li|h[1-6]|table|blockquote|ul|ol|hr|pre|section|article|dt|dd)\b[^<>]*>"
    r"|</(?:p|div|tr|li|h[1-6]|table|blockquote|ul|ol|pre|section|article|dt|dd)\s*>",
    re.I,
)
_HTML_CELL = re.compile(r"</t[dh]\s*>", re.I)
_HTML_TAG = re.compile(r"<[a-zA-Z/!?][^<>]*>")
_SPACES = re.compile(r"[ \t\r\f\v\xa0]+")
_BLANK_LINES = re.compile(r"\n\s*\n\s*(?:\n\s*)+")


def _drop_blocks(markup: str) -> str:
    out: list[str] = []
    pos = 0
    while True:
        m = _HTML_OPENERS.search(markup, pos)
        if m is None:
            break
        closer = _HTML_CLOSERS[m.group(1).lower()] if m.group(1) else _COMMENT_END
        c = closer.search(markup, m.end())
        if c is None:
            break
        out.append(markup[pos : m.start()])
        out.append(" ")
        pos = c.end()
    out.append(markup[pos:])
    return "".join(out)


def html_to_text(markup: str) -> str:
    """Cheap readable text from HTML: scripts, styles and tags dropped, entities unescaped."""
    if len(markup) > MAX_HTML_CHARS:
        markup = markup[:MAX_HTML_CHARS]
    markup = _WS.sub(" ", _drop_blocks(markup))
    markup = _HTML_CELL.sub(" ", _HTML_BREAK.sub("\n", markup))
    text = html.unescape(_HTML_TAG.sub("", markup))
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


# ---------------------------------------------------------------------------------------------
# Body text selection


def body_parts(entity: Entity, prefer: str = "text/plain") -> list[Entity]:
    """The text leaves that make up the readable body (one choice per multipart/alternative)."""
    if not entity.children:
        return [entity] if entity.is_body_text else []
    if entity.content_type == "multipart/alternative":
        options = [body_parts(child, prefer) for child in entity.children]
        for option in options:
            if option and any(p.content_type == prefer for p in option):
                return option
        return next((option for option in options if option), [])
    if entity.content_type == "multipart/related":
        return body_parts(entity.children[0], prefer)
    found: list[Entity] = []
    for child in entity.children:
        found.extend(body_parts(child, prefer))
    return found


def _enclosed_messages(entity: Entity) -> list[Entity]:
    return [
        leaf
        for leaf in leaves(entity)
        if leaf.content_type in MESSAGE_TYPES and leaf.encoding in SAFE_CTE
    ]


def body_text_of(raw: bytes, root: Entity, problems: Problems, limit: int, depth: int = 0) -> str:
    """The readable text of a message; falls back to the first enclosed message when none."""
    parts = body_parts(root)
    if not parts and depth < MAX_DEPTH:
        enclosed = _enclosed_messages(root)
        if enclosed:
            inner = parse_enclosed(raw, enclosed[0], problems, depth + 1)
            return body_text_of(raw, inner, problems, limit, depth + 1)
    chunks: list[str] = []
    used = 0
    for part in parts:
        if used >= limit:
            break
        if part.content_type == "text/html":
            text = html_to_text(text_of(raw, part, problems, MAX_HTML_CHARS))
        else:
            text = text_of(raw, part, problems, limit - used).strip("\n")
        if text:
            chunks.append(text)
            used += len(text) + 2
    return "\n\n".join(chunks)[:limit]


def _fallback_name(entity: Entity) -> str:
    if entity.content_type in MESSAGE_TYPES:
        return f"message-{entity.part}.eml"
    ext = _EXTENSIONS.get(entity.content_type)
    if ext is None:
        ext = mimetypes.guess_extension(entity.content_type, strict=False) or ".bin"
    return f"part-{entity.part}{ext}"


def attachment_infos(raw: bytes, root: Entity) -> tuple[AttachmentInfo, ...]:
    """AttachmentInfo for every leaf that is not part of the readable body."""
    infos: list[AttachmentInfo] = []
    for leaf in leaves(root):
        if not leaf.is_attachment:
            continue
        inline = leaf.disposition == "inline" or (not leaf.disposition and bool(leaf.content_id))
        infos.append(
            AttachmentInfo(
                part=leaf.part,
                filename=leaf.filename or _fallback_name(leaf),
                content_type=leaf.content_type,
                size=decoded_size(raw, leaf),
                content_id=leaf.content_id,
                inline=inline,
            )
        )
    return tuple(infos)


# ---------------------------------------------------------------------------------------------
# Entry point


def _addr_field(headers: Headers, name: str, problems: Problems) -> list[tuple[str, str]]:
    values = headers.get_all(name)
    return parse_addresses(values, problems, name) if values else []


def _store_fields(raw: bytes, problems: Problems) -> ParsedMessage:
    root = parse_structure(raw, problems)
    h = root.headers
    senders = _addr_field(h, "From", problems)
    tos = _addr_field(h, "To", problems)
    ccs = _addr_field(h, "Cc", problems)
    reply_to = _addr_field(h, "Reply-To", problems)
    from_name, from_addr = senders[0] if senders else ("", "")
    body = body_text_of(raw, root, problems, MAX_BODY_CHARS)
    words = [w for pair in (*senders, *tos, *ccs, *reply_to) for w in pair if w]
    return ParsedMessage(
        message_id=message_id_of(h.get("Message-ID")),
        subject=header_text(h, "Subject", problems),
        from_name=from_name,
        from_addr=from_addr,
        to_addrs=tuple(a for _, a in tos if a),
        cc_addrs=tuple(a for _, a in ccs if a),
        addresses=" ".join(dict.fromkeys(words)),
        date=parse_date(h.get("Date"), problems),
        in_reply_to=first_msg_id(h.get("In-Reply-To")),
        references=msg_ids(h.get("References")),
        body_text=body,
        snippet=_collapse(body[: SNIPPET_CHARS * 8])[:SNIPPET_CHARS],
        attachments=attachment_infos(raw, root),
        problems=tuple(problems.items),
        reply_to_addrs=tuple(a for _, a in reply_to if a),
    )


def parse_for_store(raw: bytes) -> ParsedMessage:
    """Parse once, cheaply and within bounds, never raising: problems are recorded instead.

    The MIME walk stops at MAX_DEPTH nested multiparts and MAX_PARTS parts; body text is read
    from at most a few MAX_BODY_CHARS worth of bytes. Part numbers are IMAP's ("1", "2.3").
    Enclosed messages (message/rfc822) are listed as one attachment and not walked, except that
    their text becomes the body when the outer message has none. Undeclared or unknown charsets
    are read as UTF-8 when the bytes mostly are, else as cp1252 (as browsers read ISO-8859-1).
    """
    problems = Problems()
    if not raw or raw.isspace():
        return ParsedMessage(message_id=None, problems=("the message is empty",))
    try:
        return _store_fields(raw, problems)
    except (RecursionError, MemoryError) as exc:
        problems.add(f"the message could not be read ({type(exc).__name__})")
    except Exception as exc:
        problems.add(f"the message could not be read ({type(exc).__name__}: {_short(str(exc))})")
    return _headers_only(raw, problems)


def _headers_only(raw: bytes, problems: Problems) -> ParsedMessage:
    try:
        h, _ = read_headers(raw, 0, min(len(raw), 1 << 20), problems)
        return ParsedMessage(
            message_id=message_id_of(h.get("Message-ID")),
            subject=header_text(h, "Subject", problems),
            problems=tuple(problems.items),
        )
    except Exception:
        return ParsedMessage(message_id=None, problems=tuple(problems.items))
