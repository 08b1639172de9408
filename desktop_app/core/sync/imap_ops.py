"""Small IMAP helpers imapclient lacks: UID sequence sets, range FETCH, VANISHED responses."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from imapclient import IMAPClient
from imapclient.response_parser import parse_fetch_response

FetchResult = dict[int, dict[bytes, Any]]


def seqset(uids: Iterable[int]) -> bytes:
    """Compress UIDs into an IMAP sequence set: [1, 2, 3, 7] -> b"1:3,7"."""
    ordered = sorted(set(uids))
    if not ordered:
        raise ValueError("empty UID set")
    parts: list[str] = []
    start = prev = ordered[0]
    for uid in ordered[1:]:
        if uid == prev + 1:
            prev = uid
            continue
        parts.append(f"{start}:{prev}" if prev != start else str(start))
        start = prev = uid
    parts.append(f"{start}:{prev}" if prev != start else str(start))
    return ",".join(parts).encode("ascii")


def parse_seqset(text: bytes | str) -> set[int]:
    """Expand a sequence set such as b"1:3,7" (no "*") into UIDs."""
    if isinstance(text, bytes):
        text = text.decode("ascii", "replace")
    out: set[int] = set()
    for part in text.strip().split(","):
        if not part:
            continue
        if ":" in part:
            lo, hi = (int(x) for x in part.split(":", 1))
            out.update(range(min(lo, hi), max(lo, hi) + 1))
        else:
            out.add(int(part))
    return out


def uid_fetch(
    client: IMAPClient,
    uids: bytes,
    data: Sequence[str],
    modifiers: Sequence[str] | None = None,
) -> FetchResult:
    """UID FETCH over a sequence set (imapclient 4 cannot fetch textual ranges)."""
    args: list[Any] = ["FETCH", uids, "(" + " ".join(data) + ")"]
    if modifiers:
        args.append("(" + " ".join(modifiers) + ")")
    imap = client._imap
    tag = imap._command("UID", *args)
    typ, response = imap._command_complete("UID", tag)
    client._checkok("fetch", typ, response)
    typ, response = imap._untagged_response(typ, response, "FETCH")
    result: FetchResult = parse_fetch_response(response, client.normalise_times, True)
    return result


def search_uids(client: IMAPClient, criteria: Sequence[str | bytes]) -> set[int]:
    return {int(u) for u in client.search(list(criteria))}


def pop_vanished(client: IMAPClient) -> set[int]:
    """UIDs the server reported as VANISHED (RFC 7162) since the last call."""
    gone: set[int] = set()
    for line in client._imap.untagged_responses.pop("VANISHED", []):
        text = line.decode("ascii", "replace") if isinstance(line, bytes) else str(line)
        text = text.strip()
        if text.upper().startswith("(EARLIER)"):
            text = text[len("(EARLIER)") :]
        try:
            gone |= parse_seqset(text)
        except ValueError:
            continue
    return gone


def capabilities(client: IMAPClient) -> set[str]:
    return {
        c.decode("ascii", "replace").upper() if isinstance(c, bytes) else str(c).upper()
        for c in client.capabilities()
    }
