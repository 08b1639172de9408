"""Find order, receipt and marketplace item numbers in a message's subject and body."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from desktop_app.core.threads.order_words import (
    _AMAZON,
    _BARE_BLOCKERS,
    _CONNECTOR,
    _D,
    _DIGITS_END,
    _EBAY_ORDER,
    _EBAY_SUBJECT,
    _ETSY_SUBJECT,
    _H,
    _ITEM_ANCHORS,
    _ITEMS,
    _KEYWORD_ANCHORS,
    _LIST_SEPARATORS,
    _LIST_TAG,
    _NOT_REFERENCES,
    _NUMBER_BEFORE,
    _NUMBER_IN_WORD,
    _ORDER_WORDS,
    _PRESTASHOP_SUBJECT,
    _RECEIPT,
    _RECEIPT_ANCHORS,
    _REF_END,
    _REFERENCE_WORDS,
    _REPLY_PREFIX,
    _SHAPE,
    _SHAPE_DASH,
    _SHAPE_END,
    _SUBJECT_TEMPLATES,
    _TO_ASCII,
    _UPDATE,
    _WEAK_CONNECTOR,
    _WORD_BEFORE,
    _WORD_END,
    _WORD_START,
    _YEAR,
    MAX_BODY_CHARS,
)
from desktop_app.core.threads.records import OrderRef

_SUBJECT, _BODY = 0, 1
_TIER_SHOP, _TIER_KEYWORD, _TIER_SHAPE, _TIER_BARE = 0, 1, 2, 3


@dataclass(frozen=True)
class OrderPatterns:
    """How the shop numbers its orders: Shopify name prefix/suffix, or a regex of its own."""

    store_prefix: str = ""  # "#SHOP-1001-EU" -> "SHOP-"
    store_suffix: str = ""  # "#SHOP-1001-EU" -> "-EU"
    custom_regex: str | None = None  # one group in parentheses = the number
    min_digits: int = 3
    max_digits: int = 10

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """Raise ValueError with a plain sentence when the settings cannot be used."""
        if not 1 <= self.min_digits <= self.max_digits <= 30:
            raise ValueError(
                "Order numbers need between 1 and 30 digits, and the minimum may not exceed "
                f"the maximum (got {self.min_digits} to {self.max_digits})."
            )
        if self.custom_regex:
            self.validate_regex(self.custom_regex)

    @classmethod
    def validate_regex(cls, pattern: str) -> re.Pattern[str]:
        """Compile the shop's own order-number pattern, or raise ValueError saying what is wrong."""
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise ValueError(
                f"The order number pattern is not a valid regular expression: {exc}."
            ) from None
        if compiled.groups != 1:
            raise ValueError(
                "The order number pattern must have exactly one group in parentheses, around "
                f"the number itself; it has {compiled.groups}."
            )
        if compiled.search("") is not None:
            raise ValueError(
                "The order number pattern matches empty text; it must require at least one "
                "character of the number."
            )
        return compiled


DEFAULT_PATTERNS = OrderPatterns()


@dataclass(frozen=True)
class _Compiled:
    keyword: re.Pattern[str]
    more: re.Pattern[str]
    bare: re.Pattern[str]
    shop_name: re.Pattern[str] | None
    shop_anchors: tuple[tuple[str, int], ...]
    anchors: _Anchors  # all anchors of the rules, found in one scan of a field
    custom: re.Pattern[str] | None


class _Text:
    """One field: the original text, a lower-cased copy of the same length for anchors, and
    where each anchor occurs in it (filled in by `_scan`)."""

    __slots__ = ("hits", "low", "text", "where")

    def __init__(self, where: int, text: str, low: str) -> None:
        self.where = where
        self.text = text
        self.low = low
        self.hits: dict[str, list[int]] = {}

    @classmethod
    def of(cls, where: int, text: str) -> _Text:
        low = text.lower() if text.isascii() else text.replace("\u0130", "I").lower()
        return cls(where, text, low)

    def raw(self, start: int, end: int) -> str:
        return " ".join(self.text[start:end].split())


@dataclass(slots=True)
class _Found:  # not frozen: made often, and a frozen one is slower to make
    field: int
    tier: int
    pos: int
    ref: OrderRef


def find_order_refs(
    subject: str, body: str, patterns: OrderPatterns = DEFAULT_PATTERNS
) -> list[OrderRef]:
    """Order and item numbers in a message, strongest first, each (number, kind) once.

    Subject before body; within each: the shop's own pattern and name, then keyword matches
    ("Bestellung Nr. 1042"), then unmistakable shapes (Amazon, eBay), then a bare "#1001"
    (subject only). Scan the body before quote stripping.
    """
    compiled = _compile(patterns)
    found = _scan(_Text.of(_SUBJECT, subject), compiled) if subject else []
    if body:
        found += _scan(_Text.of(_BODY, body[:MAX_BODY_CHARS]), compiled)
    return _merge(found, subject or "") if found else []


@lru_cache(maxsize=32)
def _compile(patterns: OrderPatterns) -> _Compiled:
    prefix = patterns.store_prefix.strip().lstrip("#")
    suffix = patterns.store_suffix.strip()
    digits = f"{_D}{{{patterns.min_digits},{patterns.max_digits}}}"
    opt_prefix = f"(?:{re.escape(prefix)})?" if prefix else ""
    opt_suffix = f"(?:{re.escape(suffix)})?" if suffix else ""
    number = (
        rf"(?P<shape>{_AMAZON}|{_EBAY_ORDER}){_SHAPE_END}"
        rf"|{opt_prefix}(?P<digits>{digits}){opt_suffix}{_DIGITS_END}"
        rf"|(?P<ref>(?-i:[A-Z]{{9}})){_REF_END}"
    )
    keyword = (
        rf"{_WORD_START}(?:(?P<refkw>{'|'.join(_REFERENCE_WORDS)})|(?P<kw>{'|'.join(_ORDER_WORDS)}))"
        rf"{_WORD_END}(?P<conn>{_CONNECTOR}{{0,4}})(?P<gap>\s{{0,4}})(?:{number})"
    )
    more = rf"{_H}*(?:{_LIST_SEPARATORS}){_H}*(?P<hash>#?)(?P<digits>{digits}){_DIGITS_END}"
    bare = rf"#{_H}?{opt_prefix}(?P<digits>{digits}){opt_suffix}{_DIGITS_END}"
    shop_anchors = ((prefix.lower(), 0),) if prefix else ()
    return _Compiled(
        keyword=re.compile(keyword, re.I),
        more=re.compile(more, re.I),
        bare=re.compile(bare, re.I),
        shop_name=_shop_name_regex(prefix, suffix, digits),
        shop_anchors=shop_anchors,
        anchors=_anchor_finder(
            (*_KEYWORD_ANCHORS, *_RECEIPT_ANCHORS, *_ITEM_ANCHORS, *shop_anchors)
        ),
        custom=OrderPatterns.validate_regex(patterns.custom_regex)
        if patterns.custom_regex
        else None,
    )


def _shop_name_regex(prefix: str, suffix: str, digits: str) -> re.Pattern[str] | None:
    """The shop's own order name ("SHOP-1001-EU", "#1001-EU"), specific enough to count anywhere.

    With a prefix it is tried where the prefix occurs; with only a suffix, at each '#'.
    """
    tail = f"(?:{re.escape(suffix)})?" if suffix else ""
    if prefix:
        head = r"(?<!\w)" if prefix[0].isalnum() else ""
        regex = rf"{head}{re.escape(prefix)}(?P<digits>{digits}){tail}{_DIGITS_END}"
        return re.compile(regex, re.I)
    if suffix:
        return re.compile(rf"(?<![\w&#])#(?P<digits>{digits}){re.escape(suffix)}(?!\w)", re.I)
    return None


@lru_cache(maxsize=64)
def _anchor_finder(anchors: tuple[tuple[str, int], ...]) -> _Anchors:
    """The anchors' literals as one regex (the engine skips to their first characters), and
    the literals by their first character."""
    literals = sorted({literal for literal, _ in anchors}, key=len, reverse=True)
    by_first: dict[str, list[str]] = {}
    for literal in literals:
        by_first.setdefault(literal[0], []).append(literal)
    regex = re.compile("|".join(re.escape(w) for w in literals))
    return _Anchors(regex, {c: tuple(v) for c, v in by_first.items()})


@dataclass(frozen=True)
class _Anchors:
    regex: re.Pattern[str]
    by_first: dict[str, tuple[str, ...]]


def _anchor_hits(low: str, anchors: _Anchors) -> dict[str, list[int]]:
    """Where each anchor literal occurs in `low`, overlaps included."""
    search = anchors.regex.search
    hits: dict[str, list[int]] = {}
    hit = search(low)
    while hit is not None:
        i = hit.start()
        for literal in anchors.by_first[low[i]]:
            if low.startswith(literal, i):
                hits.setdefault(literal, []).append(i)
        hit = search(low, i + 1)  # one on: anchors may overlap
    return hits


@lru_cache(maxsize=64)
def _backs(anchors: tuple[tuple[str, int], ...]) -> dict[str, int]:
    """Each anchor literal's offset (the literals of one rule's anchors differ)."""
    return dict(anchors)


def _anchored(
    field: _Text,
    regex: re.Pattern[str],
    anchors: tuple[tuple[str, int], ...],
    word_start: bool = False,
) -> Iterator[re.Match[str]]:
    """Matches of `regex` starting where one of the anchors says a match may start.

    `word_start`: the regex begins with `_WORD_START`, so a start right after a letter, digit,
    '_' or Devanagari sign is passed over without trying it ("rec|ord", "p|ref|er").
    """
    hits = field.hits
    if not hits:
        return
    backs = _backs(anchors)
    starts = {i - backs[lit] for lit, found in hits.items() if lit in backs for i in found}
    text = field.text
    for start in sorted(starts):
        if start < 0:
            continue
        if word_start and start:
            c = text[start - 1]
            if c.isalnum() or c == "_" or "\u0900" <= c <= "\u097f":
                continue
        if (m := regex.match(text, start)) is not None:
            yield m


def _scan(field: _Text, compiled: _Compiled) -> list[_Found]:
    field.hits = _anchor_hits(field.low, compiled.anchors)
    found: list[_Found] = []
    if compiled.custom is not None:
        found += _custom(field, compiled.custom)
    if compiled.shop_name is not None:
        found += _shop_names(field, compiled)
    found += _keywords(field, compiled)
    found += _receipts_and_items(field)
    found += _shapes(field)
    if field.where == _SUBJECT:
        found += _subject_only(field, compiled.bare)
    return found


def _ref(
    field: _Text,
    tier: int,
    span: tuple[int, int],
    number: str,
    platform: str | None = None,
    kind: str = "order",
) -> _Found:
    place = "subject" if field.where == _SUBJECT else "body"
    ref = OrderRef(_ascii_digits(number), platform, kind, field.raw(*span), place)
    return _Found(field.where, tier, span[0], ref)


def _custom(field: _Text, regex: re.Pattern[str]) -> list[_Found]:
    out = []
    for m in regex.finditer(field.text):
        number = "".join((m.group(1) or "").split())
        if number:
            out.append(_ref(field, _TIER_SHOP, m.span(), number, platform="store"))
    return out


def _shop_names(field: _Text, compiled: _Compiled) -> list[_Found]:
    assert compiled.shop_name is not None
    if compiled.shop_anchors:
        matches: Iterator[re.Match[str]] = _anchored(
            field, compiled.shop_name, compiled.shop_anchors
        )
    else:
        matches = compiled.shop_name.finditer(field.text)
    return [_ref(field, _TIER_SHOP, m.span(), m["digits"], platform="shopify") for m in matches]


def _keywords(field: _Text, compiled: _Compiled) -> list[_Found]:
    out: list[_Found] = []
    for m in _anchored(field, compiled.keyword, _KEYWORD_ANCHORS, word_start=True):
        number = _keyword_number(m, field.text)
        if number is None:
            continue
        platform = _shape_platform(_ascii_digits(number))
        out.append(_ref(field, _TIER_KEYWORD, m.span(), number, platform=platform))
        if m["digits"]:
            out += _listed_after(m, field, compiled.more)
    return out


def _keyword_number(m: re.Match[str], text: str) -> str | None:
    """The number a keyword match names, or None when the context says it is something else."""
    if m["ref"]:
        return _prestashop_ref(m)
    number: str = m["shape"] or m["digits"]
    if m["refkw"]:
        # "Referenz #4328" (a carrier's notice quoting the shop's number) yes; "Reference 1234"
        # (a bank transfer's) no.
        return number if "#" in m["conn"] else None
    conn = m["conn"]
    if _WEAK_CONNECTOR.fullmatch(conn) is None or _names_a_number(m, text):
        return number
    return number if _weak_ok(conn, m["gap"], number, text, m.end()) else None


def _names_a_number(m: re.Match[str], text: str) -> bool:
    """ "Bestellnummer", "tilausnumeroni", "número de pedido": the keyword itself says "number"."""
    if _NUMBER_IN_WORD.search(m["kw"]):
        return True
    return _NUMBER_BEFORE.search(text, max(0, m.start() - 20), m.start()) is not None


def _weak_ok(conn: str, gap: str, number: str, text: str, end: int) -> bool:
    """A number after a bare keyword ("Order 123"): not a year, a phone group or a new line."""
    if _UPDATE.sub("", conn).strip(" \t\u00a0\u202f:-\n"):
        return False  # "order is 1234" without a "number" word: too loose
    if "\n" in conn + gap or _YEAR.fullmatch(_ascii_digits(number)):
        return False  # "Order\n10115 Berlin", "Bestellung 2024"
    return not (text[end : end + 1] in " \t\u00a0" and text[end + 1 : end + 2].isdigit())


def _prestashop_ref(m: re.Match[str]) -> str | None:
    ref: str = m["ref"]
    if ref in _NOT_REFERENCES:
        return None
    if m["refkw"]:
        return ref
    if not m["conn"].strip() or m["kw"].isupper():
        return None  # "ORDER CONFIRMED", "Order SHIPPINGS": capitals after an order word
    return ref


def _listed_after(m: re.Match[str], field: _Text, more: re.Pattern[str]) -> list[_Found]:
    """Further numbers in a list: "Bestellungen 1001 und 1002", "orders #1001, #1002"."""
    hashed = "#" in m["conn"]
    width = len(m["digits"])
    out = []
    pos = m.end()
    while (n := more.match(field.text, pos)) is not None:
        if bool(n["hash"]) != hashed or (not hashed and len(n["digits"]) != width):
            break
        start = n.start() + len(n[0]) - len(n[0].lstrip(" ,&/+"))
        out.append(_ref(field, _TIER_KEYWORD, (start, n.end()), n["digits"]))
        pos = n.end()
    return out


def _receipts_and_items(field: _Text) -> list[_Found]:
    out = [
        _ref(field, _TIER_KEYWORD, m.span(), m["num"], platform="etsy")
        for m in _anchored(field, _RECEIPT, _RECEIPT_ANCHORS, word_start=True)
    ]
    for m in _anchored(field, _ITEMS, _ITEM_ANCHORS):
        platform = "ebay" if m["ebay"] else "etsy"
        number = m["ebay"] or m["etsy"]
        out.append(_ref(field, _TIER_KEYWORD, m.span(), number, platform=platform, kind="item"))
    return out


def _shapes(field: _Text) -> list[_Found]:
    out = []
    for dash in _SHAPE_DASH.finditer(field.text):
        width = 3 if dash.end() - dash.start() == 16 else 2
        m = _SHAPE.match(field.text, dash.start() - width)
        if m is not None and dash.start() >= width:
            platform = "amazon" if m["amazon"] else "ebay"
            out.append(_ref(field, _TIER_SHAPE, m.span(), m[0], platform=platform))
    return out


def _subject_only(field: _Text, bare: re.Pattern[str]) -> list[_Found]:
    out = []
    text = field.text
    m = _PRESTASHOP_SUBJECT.search(text)
    if m and m["ref"] not in _NOT_REFERENCES:
        out.append(_ref(field, _TIER_KEYWORD, m.span(), m["ref"], platform="prestashop"))
    for regex, platform, kind in (
        (_ETSY_SUBJECT, "etsy", "order"),
        (_EBAY_SUBJECT, "ebay", "item"),
    ):
        if m := regex.search(text):
            span = (m.start("num") - 1, m.end("num") + 1)
            out.append(_ref(field, _TIER_KEYWORD, span, m["num"], platform=platform, kind=kind))
    if not _LIST_TAG.search(text):
        out += _bare_hashes(field, bare)
    return out


def _bare_hashes(field: _Text, bare: re.Pattern[str]) -> list[_Found]:
    """A Shopify-like "#1001" token in the subject, unless it numbers a ticket, invoice, PR, ..."""
    out = []
    for m in bare.finditer(field.text):
        before = field.text[max(0, m.start() - 40) : m.start()]
        if before[-1:] and (before[-1].isalnum() or before[-1] in "(&#/_-"):
            continue
        word = _WORD_BEFORE.search(before)
        if word and word[1].lower() in _BARE_BLOCKERS:
            continue
        out.append(_ref(field, _TIER_BARE, m.span(), m["digits"]))
    return out


def _shape_platform(number: str) -> str | None:
    if len(number) == 19 and number[3] == "-":
        return "amazon"
    if len(number) == 14 and number[2] == "-":
        return "ebay"
    if len(number) == 9 and number.startswith("0") and number.isdigit():
        return "magento"
    if len(number) == 9 and number.isalpha():
        return "prestashop"
    return None


def _ascii_digits(number: str) -> str:
    """Devanagari digits as ASCII ones (translate is slow: most numbers are ASCII already)."""
    return number if number.isascii() else number.translate(_TO_ASCII)


def _subject_platform(subject: str) -> str | None:
    """The platform whose default subject template this is, if any."""
    low = subject.lower()
    if "order" not in low and "etsy" not in low and "ebay" not in low and "\u017f" not in low:
        return None  # every template holds one of these words (U+017F: a long s, in etsy)
    text = _REPLY_PREFIX.sub("", subject, count=1)
    for regex, platform in _SUBJECT_TEMPLATES:
        if regex.search(text):
            return platform
    return None


def _merge(found: list[_Found], subject: str) -> list[OrderRef]:
    found.sort(key=lambda f: (f.field, f.tier, f.pos))
    kept: dict[tuple[str, str], OrderRef] = {}
    subject_platform: str | None = None
    platform_known = False  # the subject's template is looked up when first needed
    for f in found:
        ref = f.ref
        if ref.platform is None and f.field == _SUBJECT and ref.kind == "order":
            if not platform_known:
                subject_platform, platform_known = _subject_platform(subject), True
            ref = OrderRef(ref.number, subject_platform, ref.kind, ref.raw, ref.where)
        key = (ref.number, ref.kind)
        old = kept.get(key)
        if old is None:
            kept[key] = ref
        elif old.platform is None and ref.platform is not None:
            kept[key] = OrderRef(old.number, ref.platform, old.kind, old.raw, old.where)
    return list(kept.values())
