"""MIME structure of raw mail: entities and their boundaries, decoded bodies, body text, HTML."""

from __future__ import annotations

import binascii
import html
import mimetypes
import re
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from desktop_app.core.mail.headers import (
    Headers,
    _b64,
    _codec,
    _collapse,
    _short,
    _where,
    decode_text,
    decode_words,
    read_headers,
)
from desktop_app.core.mail.parsed import (
    _EXTENSIONS,
    _PARAM,
    _TEXT_TYPES,
    _WS,
    MAX_BOUNDARY_MISSES,
    MAX_DEPTH,
    MAX_HTML_CHARS,
    MAX_PARTS,
    MESSAGE_TYPES,
    SAFE_CTE,
    AttachmentInfo,
    Problems,
)

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
