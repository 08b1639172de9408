"""Header fields of raw mail: reading them, charsets and encoded words, addresses, ids, dates."""

from __future__ import annotations

import binascii
import codecs
import functools
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import getaddresses, parsedate_tz

from desktop_app.core.mail.parsed import (
    _B64_JUNK,
    _BAD_LINE,
    _CHARSET_ALIASES,
    _ENCODED_WORD,
    _HEADER,
    _MAILBOX,
    _MSG_ID,
    _UNKNOWN_CHARSETS,
    EARLIEST_YEAR,
    LATEST_YEAR,
    MAX_ADDRESS_CHARS,
    Problems,
)

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


def _b64(data: bytes) -> bytes:
    data = data.translate(None, _B64_JUNK)
    if len(data) % 4 == 1:
        data = data[:-1]
    data += b"=" * (-len(data) % 4)
    try:
        return binascii.a2b_base64(data)
    except (binascii.Error, ValueError):
        return b""
