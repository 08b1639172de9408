"""Parse raw message bytes cheaply for storage: headers, body text, attachments, problems.

The work is shared: `parsed` (limits, results), `headers` (fields, charsets, addresses, dates),
`mime` (structure, bodies, HTML); their names are importable from here as before.
"""

from __future__ import annotations

from desktop_app.core.mail.headers import (
    Headers,
    _collapse,
    _short,
    decode_text,
    decode_words,
    first_msg_id,
    guess_decode,
    header_text,
    message_id_of,
    msg_ids,
    parse_addresses,
    parse_date,
    read_headers,
)
from desktop_app.core.mail.mime import (
    Entity,
    attachment_infos,
    body_parts,
    body_text_of,
    decode_body,
    decoded_size,
    html_to_text,
    leaves,
    parse_enclosed,
    parse_entity,
    parse_structure,
    split_multipart,
    text_of,
)
from desktop_app.core.mail.parsed import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    MAX_ADDRESS_CHARS,
    MAX_BODY_CHARS,
    MAX_BOUNDARY_MISSES,
    MAX_DEPTH,
    MAX_HTML_CHARS,
    MAX_PARTS,
    MAX_PROBLEMS,
    MESSAGE_TYPES,
    SAFE_CTE,
    SNIPPET_CHARS,
    AttachmentInfo,
    ParsedMessage,
    Problems,
)

__all__ = [
    "EARLIEST_YEAR",
    "LATEST_YEAR",
    "MAX_ADDRESS_CHARS",
    "MAX_BODY_CHARS",
    "MAX_BOUNDARY_MISSES",
    "MAX_DEPTH",
    "MAX_HTML_CHARS",
    "MAX_PARTS",
    "MAX_PROBLEMS",
    "MESSAGE_TYPES",
    "SAFE_CTE",
    "SNIPPET_CHARS",
    "AttachmentInfo",
    "Entity",
    "Headers",
    "ParsedMessage",
    "Problems",
    "attachment_infos",
    "body_parts",
    "body_text_of",
    "decode_body",
    "decode_text",
    "decode_words",
    "decoded_size",
    "first_msg_id",
    "guess_decode",
    "header_text",
    "html_to_text",
    "leaves",
    "message_id_of",
    "msg_ids",
    "parse_addresses",
    "parse_date",
    "parse_enclosed",
    "parse_entity",
    "parse_for_store",
    "parse_structure",
    "read_headers",
    "split_multipart",
    "text_of",
]

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
