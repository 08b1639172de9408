"""What one message says: its order numbers, its platform notice, if it is list mail, a preview.

Pure functions over a message's text (no database), so that worker processes can run them:
`analyse_chunk` is what `desktop_app.core.store.analysis` hands to its process pool.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import Any

from desktop_app.core.mail.quotes import split_reply
from desktop_app.core.threads.cases import canonical, encode_refs
from desktop_app.core.threads.notices import parse_notice
from desktop_app.core.threads.order_refs import OrderPatterns, find_order_refs
from desktop_app.core.threads.records import OrderFacts, OrderRecord, OrderRef, order_facts

# (column updates of the message, the order its notice tells of, a customer's address)
Analysed = tuple[dict[str, Any], OrderRecord | None, str]
# the same with the order as the store keeps it (what a worker process sends back)
Stored = tuple[dict[str, Any], OrderFacts | None, str]


def analyse_chunk(
    rows: list[tuple[Any, ...]], own: frozenset[str], found: OrderPatterns
) -> list[Stored]:
    """`analyse_row` for each row (id, subject, body, from_addr, from_name, date, head)."""
    out: list[Stored] = []
    for row in rows:
        update, record, sender = analyse_row(row, own, found)
        out.append((update, None if record is None else order_facts(record), sender))
    return out


def analyse_row(row: tuple[Any, ...], own: frozenset[str], found: OrderPatterns) -> Analysed:
    """One message: (its column updates, the order its notice tells of, a customer's address)."""
    mid, subject, body, from_addr, _from_name, date, head = row
    notice = parse_notice(from_addr, subject, body)
    if notice is None and is_bulk(head):  # lists and newsletters: no order, no customer
        return (
            {
                "mid": mid,
                "refs": "bulk::",
                "kind": "bulk",
                "snippet": " ".join(body.split())[:200],
                "notes": "",
            },
            None,
            "",
        )
    record = None
    if notice is not None and notice.order.number:
        record = notice.order
        changes: dict[str, Any] = {}
        if notice.kind == "order_placed" and record.placed_at is None:
            changes["placed_at"] = date  # the notice was sent as it was placed
        if not record.customer_email:
            changes["customer_email"] = customer_in(body, from_addr, own)
        if changes:
            record = replace(record, **changes)
    if record is not None and notice is not None and notice.kind in _PLAIN_NOTICES:
        split = None  # a platform's own form: nothing quoted, its start is the preview
    else:
        split = split_reply(body[:20_000])
    refs = (
        []
        if record or split is None
        else ordered_refs(subject, split.new_text, body, found, quoted=bool(split.quoted))
    )
    if notice is not None and record is None:  # a buyer message naming only its item
        refs += [
            OrderRef(number=i.item_number, platform=notice.platform, kind="item")
            for i in notice.order.items
            if i.item_number
        ]
    sender = from_addr if not notice and from_addr and from_addr not in own else ""
    return (
        {
            "mid": mid,
            "refs": encode_refs(refs, record.number if record else None),
            "kind": notice.kind if notice else None,
            "snippet": " ".join(((split and split.new_text) or body).split())[:200],
            # what a platform notice held that could not be read, kept beside parse problems
            "notes": "\n".join(notice.problems) if notice else "",
        },
        record,
        sender,
    )


# Notices written by a platform from a form (no customer's words, nothing quoted)
_PLAIN_NOTICES = frozenset(("order_placed", "shipped", "delivered", "cancelled", "refunded"))


# -- list mail ---------------------------------------------------------------------------------
_BULK = re.compile(
    rb"^(list-id|list-unsubscribe|list-post):|^precedence:[ \t]*(list|bulk|junk)",
    re.IGNORECASE | re.MULTILINE,
)


def is_bulk(head: bytes | None) -> bool:
    """Mail from a list or a bulk sender, judged by the headers at the top of the raw bytes."""
    if not head:
        return False
    end = head.find(b"\r\n\r\n")
    if end < 0:
        end = head.find(b"\n\n")
    if end >= 0:
        head = head[:end]
    low = head.lower()  # as the regex folds bytes: ASCII letters only
    if b"list-" not in low and b"precedence:" not in low:
        return False  # most mail: two quick scans instead of the regex's try at every byte
    return _BULK.search(head) is not None


# -- order numbers -----------------------------------------------------------------------------
# 9 capitals, not inside a word: `(?<![\w-])[A-Z]{9}(?![\w-])`, written to start with a
# character class, which the regex engine scans for quickly
_CANDIDATE_LETTERS = re.compile(r"[A-Z](?<![\w-][A-Z])[A-Z]{8}(?![\w-])")
# Digits count as a candidate only right after '#' or shortly after an order word: a bare
# number in a text is as likely a postcode, a phone number or a year.
_ORDER_STEMS = (
    *("order", "bestell", "auftrag", "tilau", "pasūtīj", "pasutij", "ऑर्डर", "आर्डर", "պատվեր"),
    *("commande", "pedido", "ordine", "zamówi", "заказ", "beställ", "bestill"),
)
_ORDER_WORD = "(?:" + "|".join(_ORDER_STEMS) + ")"
_CANDIDATE_DIGITS = re.compile(
    r"(?:#\s?|" + _ORDER_WORD + r"[^\n\d#]{0,40}?#?)(?<![\w.,:/+-])(\d{4,10})(?![\w/-]|[.,:]\d)",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(19|20)\d\d")
# Letters that match an ASCII letter of the stems when case is ignored, yet lower() leaves
# alone or makes longer (dotless i, long s, capital I with a dot): folded first, so that
# positions stay put.
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def _lower(text: str) -> str:
    """`text` in lower case, character for character (same length, same positions)."""
    if not text.isascii() and ("\u0130" in text or "\u0131" in text or "\u017f" in text):
        text = text.translate(_FOLD)
    return text.lower()


# Where a candidate may start: '#' or an order word (a regex of literals: the engine skips to
# their first letters); each start found, the next search begins one character on, so that
# overlapping words are all found, as a str.find per word would
_CANDIDATE_STARTS = re.compile("|".join(re.escape(w) for w in ("#", *_ORDER_STEMS)))


def _digit_candidates(text: str) -> list[str]:
    """`_CANDIDATE_DIGITS.findall(text)`, tried only where '#' or an order word starts: the
    regex's own scan tests every common letter, this skips to the few places that count."""
    low = _lower(text)
    out: list[str] = []
    end = 0
    find = _CANDIDATE_STARTS.search
    hit = find(low)
    while hit is not None:
        start = hit.start()
        if start >= end:  # else inside the last match: findall would not have looked here
            m = _CANDIDATE_DIGITS.match(text, start)
            if m is not None:
                out.append(m[1])
                end = m.end()
        hit = find(low, start + 1)
    return out


def candidates(text: str, digits: bool) -> list[OrderRef]:
    """Tokens shaped like order numbers that no wording the extractor knows introduced:
    PrestaShop references, and (where asked) digits after '#' or near an order word ("new
    order, 61030"). They count only when a known order has that number; bare years never."""
    found = _CANDIDATE_LETTERS.findall(text)
    if digits:
        found += [d for d in _digit_candidates(text) if not _YEAR.fullmatch(d)]
    return [OrderRef(number=token, kind="candidate") for token in dict.fromkeys(found)]


_REPLY_PREFIX = re.compile(
    r"^\s*(re|aw|sv|vs|atb|antw|r|ref|fw|fwd|wg)\s*(\[\d+\])?\s*:", re.IGNORECASE
)


@lru_cache(maxsize=4096)
def _subject_refs(subject: str, patterns: OrderPatterns) -> tuple[OrderRef, ...]:
    """What a subject names (replies in a thread repeat it, so it is remembered)."""
    return (*find_order_refs(subject, "", patterns), *candidates(subject, digits=True))


def ordered_refs(
    subject: str, new_text: str, body: str, patterns: OrderPatterns, quoted: bool = True
) -> list[OrderRef]:
    """Order references, the strongest first: in a reply the new text outranks the subject it
    inherited; quoted text (an order table) comes last but still counts. Candidates (tokens
    shaped like order numbers with no wording around them) follow each part's own finds."""
    in_subject = list(_subject_refs(subject, patterns))
    in_new = find_order_refs("", new_text, patterns)
    in_new += candidates(new_text[:5000], digits=True)
    if not quoted:  # nothing quoted: the new text holds all there is to find
        in_body = []
    else:
        in_body = find_order_refs("", body, patterns) + candidates(body[:5000], digits=False)
    groups = [in_new, in_subject] if _REPLY_PREFIX.match(subject) else [in_subject, in_new]
    out: list[OrderRef] = []
    seen: set[str] = set()
    for ref in [*groups[0], *groups[1], *in_body]:
        key = canonical(ref.number)
        if key not in seen:
            seen.add(key)
            out.append(ref)
    return out


# -- the customer in a notice ------------------------------------------------------------------
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PLATFORM_DOMAINS = (
    "shopify.com",
    "amazon.",
    "etsy.com",
    "ebay.",
    "paypal.",
    "woocommerce.",
    "magento.",
    "prestashop.",
    "opencart.",
)


def _address_start(text: str, at: int) -> int:
    """Where the run of address characters (`[\\w.+-]`) before the '@' at `at` begins: no
    address can start before it, since each needs an '@' and this is the first one."""
    start = at
    while start > 0 and (text[start - 1] in ".+-_" or text[start - 1].isalnum()):
        start -= 1
    return start


def customer_in(body: str, sender: str, own: frozenset[str]) -> str:
    """The customer's address printed in a notice that has no labelled one."""
    at = body.find("@", 0, 20_000)
    if at < 0:
        return ""  # no address at all
    sender_domain = sender.rpartition("@")[2]
    for m in _EMAIL.finditer(body, _address_start(body, at), 20_000):
        address = m[0].lower().rstrip(".")
        domain = address.rpartition("@")[2]
        if address in own or domain == sender_domain:
            continue
        if any(p in domain for p in PLATFORM_DOMAINS) or address.startswith(
            ("noreply", "no-reply")
        ):
            continue
        return address
    return ""
