"""Recognise shop platforms' automatic order e-mails and read the order's facts out of them.

Recognition rules are in `notice_rules`, values, addresses and order lines in `notice_fields`,
amounts, dates and text in `notice_text`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from desktop_app.core.threads.notice_fields import (
    _EMAIL,
    _HEAD_BILLING,
    _HEAD_SHIPPING,
    _L_CARRIER,
    _L_CUSTOMER,
    _L_DATE,
    _L_EMAIL,
    _L_ORDER_ID,
    _L_TOTAL,
    _L_TRACKING,
    _address,
    _address_lines,
    _etsy_listings,
    _first,
    _items_from_rows,
    _items_labelled,
    _items_regex,
    _items_title_qty,
    _items_vertical,
    _values,
)
from desktop_app.core.threads.notice_rules import _BODY_NUMBER, _Hit, _recognise
from desktop_app.core.threads.notice_text import (
    _I,
    _IM,
    _html_to_text,
    _links,
    _normalise,
    parse_amount,
    parse_date,
)
from desktop_app.core.threads.records import Address, Notice, OrderItem, OrderRecord

__all__ = ["KINDS", "parse_amount", "parse_date", "parse_notice"]

KINDS = ("order_placed", "shipped", "delivered", "cancelled", "refunded", "message", "other")
_STATUS = {
    "order_placed": "placed",
    "shipped": "shipped",
    "delivered": "delivered",
    "cancelled": "cancelled",
    "refunded": "refunded",
}


# ----------------------------------------------------------------------------- reading


@dataclass(slots=True)
class _Draft:
    platform: str
    number: str = ""
    display: str = ""
    placed_at: datetime | None = None
    customer_name: str = ""
    customer_email: str = ""
    billing: Address | None = None
    shipping: Address | None = None
    items: list[OrderItem] = field(default_factory=list)
    total: Decimal | None = None
    currency: str = ""
    carrier: str = ""
    tracking_number: str = ""
    tracking_url: str = ""
    problems: list[str] = field(default_factory=list)


_DIGIT_RUN = re.compile(r"\d+")
_DIGIT = re.compile(r"\d")


def _digits(token: str) -> str:
    runs = _DIGIT_RUN.findall(token)
    return max(runs, key=len) if runs else ""


_WOO_BODY_NO = re.compile(
    r"(?:\[|^|received your |Order Refunded: |Order Cancell?ed: |New Order: )(?:order|bestellung|"
    r"tilaus|pasūtījums|commande)? ?#? ?(?P<n>[\w-]*\d+)\]?(?: \((?P<d>[^)]+)\))?",
    _IM,
)
# "[Order #1234] (March 3, 2026)", "XKBKNABJK placed on 03/02/2026": that is
# `(?:#\s?[\w-]*\d+\]? \(|\bplaced on )(?P<d>[^)\n]{6,40})` ignoring case, written to start
# with a class of plain characters, which the regex engine skips to quickly ('p' has no other
# case forms than 'P'; the lookbehinds check the character taken and the word boundary)
_DATE_AFTER_NUMBER = re.compile(
    r"[#pP](?:(?<=#)\s?[\w-]*\d+\]? \(|(?<=[pP])(?<!\w[pP])(?i:laced on ))(?P<d>[^)\n]{6,40})"
)
_MAGENTO_BODY_NO = re.compile(r"(?:order|bestellung)\s*#\s?(?P<n>\d{6,})", _I)
_PRESTA_REF = re.compile(
    r"\b(?:order|bestellung|reference|référence|referenz)\b[^\n]{0,20}?"
    r"\b(?P<ref>(?-i:[A-Z]{9}))\b",
    _I,
)
_PRESTA_ID = re.compile(r"#(?P<n>\d+)\s*-\s*(?P<ref>[A-Z]{9})\b")


def _number(hit: _Hit, subject: str, body: str, d: _Draft) -> None:
    """Fill number and number_display, normalised per platform."""
    token = hit.groups.get("n", "").replace(" ", "")
    p = hit.platform
    if p == "prestashop":
        _presta_number(hit, body, d)
        return
    if not token:
        token = _body_number(p, subject, body)
    if not token:
        return
    d.display = token
    if p in ("amazon", "ebay"):
        d.number = token
    elif p == "magento":
        d.number = "".join(_DIGIT.findall(token))
    else:
        d.number = _digits(token)
    if p in ("woocommerce", "magento", "etsy") and not d.display.startswith("#"):
        d.display = f"#{d.display}"


def _body_number(platform: str, subject: str, body: str) -> str:
    if platform in ("amazon", "ebay"):
        rx = _BODY_NUMBER[platform]
        m = rx.search(subject) or rx.search(body)
        return m.group(0) if m else ""
    if platform == "woocommerce":
        m = _WOO_BODY_NO.search(body)
        return m["n"] if m else ""
    if platform == "magento":
        m = _MAGENTO_BODY_NO.search(body)
        return m["n"] if m else ""
    if platform == "etsy":
        m = _BODY_NUMBER["etsy"].search(subject) or _BODY_NUMBER["etsy"].search(body)
        return m.group(1) if m else ""
    value = _first(_L_ORDER_ID, body)
    if value:
        return value.split()[0]
    m = _BODY_NUMBER["shopify"].search(body)
    return m.group(1) if m else ""


def _presta_number(hit: _Hit, body: str, d: _Draft) -> None:
    n, ref = hit.groups.get("n", ""), hit.groups.get("ref", "")
    if not n and (m := _PRESTA_ID.search(body)):
        n, ref = m["n"], m["ref"]
    if not ref and (m := _PRESTA_REF.search(body)):
        ref = m["ref"]
    d.number, d.display = (n or ref), (ref or (f"#{n}" if n else ""))


def _dates(platform: str, body: str, d: _Draft) -> None:
    dayfirst = platform in ("opencart", "woocommerce", "magento", "shopify", "store")
    for value in _values(_L_DATE, body):
        if found := parse_date(value, dayfirst):
            d.placed_at = found
            return
    if "#" not in body and "placed on " not in body.lower():
        return  # what _DATE_AFTER_NUMBER needs (its letters have no other case forms)
    for m in _DATE_AFTER_NUMBER.finditer(body):
        if found := parse_date(m["d"], dayfirst):
            d.placed_at = found
            return


_MARKETS = ("amazon", "etsy", "ebay")
_INTRO_NAME = (
    re.compile(r"You(?:'|\u2019)ve received the following order from (?P<n>[^\n:]+):"),
    re.compile(r"(?:Du hast|Sie haben) die folgende Bestellung von (?P<n>[^\n:]+?) erhalten"),
    re.compile(r"Olet vastaanottanut tilauksen asiakkaalta (?P<n>[^\n:]+?)[:.]"),
    re.compile(r"Saņemts pasūtījums no (?P<n>[^\n:]+?)[:.]"),
    re.compile(r"by the following customer: (?P<n>[^\n(]+?) \((?P<e>[^)\s]+@[^)\s]+)\)"),
    re.compile(r"^(?P<n>[^\n]+?) placed (?:a new order|order)", re.M),
    re.compile(r"^(?:Hello|Hi|Dear|Hallo|Hei|Sveiki) (?P<n>[^\n,!]+?)[,!]", re.M),
)


_VIA_MARKET = re.compile(r"\s*(?:-|via|über)\s*(?:Amazon|eBay|Etsy)\b.*$", _I)


def _customer(hit: _Hit, body: str, d: _Draft) -> None:
    billing, b_email = _address(_address_lines(body, _HEAD_BILLING))
    shipping, s_email = _address(_address_lines(body, _HEAD_SHIPPING))
    d.billing, d.shipping = billing, shipping
    d.customer_email = _first_email(_values(_L_EMAIL, body)) or b_email or s_email
    labelled = ""
    for value in _values(_L_CUSTOMER, body):
        who = value.partition("(")[0].partition("<")[0].strip()
        labelled = "" if _EMAIL.fullmatch(who) else who
        d.customer_email = d.customer_email or _first_email(iter([value]))
        break
    candidates = (
        hit.groups.get("name", ""),
        billing.name if billing else "",
        labelled if " " in labelled else "",
        shipping.name if shipping else "",
        labelled,
    )
    named = next((c for c in candidates if c), "")
    intro: tuple[re.Pattern[str], ...] = (
        _INTRO_NAME if hit.platform not in _MARKETS else _INTRO_NAME[:5]
    )
    if named:
        intro = tuple(rx for rx in intro if "e" in rx.groupindex)
    if not named or not d.customer_email:
        for rx in intro:
            if m := rx.search(body):
                named = named or m["n"].strip()
                if "e" in rx.groupindex:
                    d.customer_email = d.customer_email or m["e"]
                break
    if not named and hit.sender_name and hit.kind == "message":
        named = _VIA_MARKET.sub("", hit.sender_name)
        named = "" if named.lower() in ("amazon", "ebay", "etsy") else named
    d.customer_name = named


def _first_email(values: Iterator[str]) -> str:
    for value in values:
        if m := _EMAIL.search(value):
            return m.group(0)
    return ""


_SEVERAL = re.compile(r"\d+ Items?(?: Sold)?", _I)


def _items(hit: _Hit, body: str, d: _Draft) -> None:
    lines = body.split("\n")
    items: list[OrderItem] = []
    if hit.platform in ("amazon", "etsy", "ebay"):
        items = _items_labelled(body)
    items = items or _items_regex(body) or _items_title_qty(lines) or _items_from_rows(lines)
    items = items or _items_vertical(lines)
    if hit.platform == "etsy":
        items = _etsy_listings(body, items)
    title, number = hit.groups.get("title", ""), hit.groups.get("item", "")
    several = _SEVERAL.fullmatch(title)
    if not items and (title or number) and hit.platform in ("amazon", "ebay") and not several:
        items = [OrderItem(title=title.strip(), item_number=number)]
    if number and items and not items[0].item_number:
        first = items[0]
        items[0] = OrderItem(first.title, first.quantity, first.sku, first.price, number)
    d.items = items


def _total(hit: _Hit, body: str, d: _Draft) -> None:
    unread = ""
    for value in _values(_L_TOTAL, body):
        found = parse_amount(value)
        if found:
            d.total, d.currency = found
            break
        unread = unread or value
    else:
        if unread and _DIGIT.search(unread):
            d.problems.append(f"the total could not be read: {unread[:60]!r}")
    if not d.currency:
        for item in d.items:
            if item.price is not None:
                found = parse_amount(body[body.find(str(item.title)) :][:400])
                d.currency = found[1] if found else ""
                break


_CARRIERS = (
    ("dhl", "DHL"), ("ups.com", "UPS"), ("fedex", "FedEx"), ("usps", "USPS"),
    ("royalmail", "Royal Mail"), ("evri", "Evri"), ("dpd", "DPD"), ("gls-", "GLS"),
    ("hermes", "Hermes"), ("posti.fi", "Posti"), ("omniva", "Omniva"),
    ("pasts.lv", "Latvijas Pasts"),
    ("postnord", "PostNord"), ("colissimo", "Colissimo"), ("laposte", "La Poste"),
    ("canadapost", "Canada Post"), ("auspost", "Australia Post"), ("deutschepost", "Deutsche Post"),
    ("post.at", "Österreichische Post"), ("bring", "Bring"), ("dbschenker", "DB Schenker"),
)  # fmt: skip
_CARRIER_NAMES = re.compile(
    r"\b(DHL(?: Express| Paket)?|UPS|FedEx|USPS|Royal Mail|Evri|DPD|GLS|Hermes|Posti|Omniva|"
    r"Latvijas Pasts|PostNord|Colissimo|Canada Post|Australia Post|Deutsche Post|Bring|"
    r"United Parcel Service|Federal Express|United States Postal Service)\b"
)
_TRACK_WORDS = re.compile(r"track|verfolg|seuraa|izsek|suivre|suivi|sendung", _I)
_TRACK_TOKEN = re.compile(r"\b(?=[A-Z0-9]*\d)[A-Z0-9]{8,35}\b")
_SPACED_TOKEN = re.compile(r"[A-Z0-9 ]{8,45}")
_CARRIER_PREFIX = re.compile(r"^(.+?) (?:tracking|sendungsnummer|seuranta)", _I)
_SHIPPED_VIA = re.compile(
    r"(?:shipped|sent|versendet|lähetetty) (?:via|with|mit|by) ([\w .&-]+?)(?: to|\.|,|$)", _IM
)
_TRACKING_PATH = re.compile(r"/track|tracking|sendungsverfolgung", _I)


# Each wording of a tracking label holds one of these (lower case); str.lower() folds their
# letters as the regex does once dotless/dotted i and long s are folded first
_TRACKING_WORDS = (
    *("tracking", "sendungs", "seuranta", "lähetystunnus", "izsekošanas", "sūtījuma"),
    "numéro de suivi",
)
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def _may_name_tracking(body: str) -> bool:
    """False when no tracking label can be in `body` (one quick look instead of the label's
    regex on every line)."""
    if not body.isascii() and ("\u0130" in body or "\u0131" in body or "\u017f" in body):
        body = body.translate(_FOLD)  # rare: translate is slow
    low = body.lower()
    return any(word in low for word in _TRACKING_WORDS)


def _tracking(kind: str, body: str, links: list[tuple[str, str]], d: _Draft) -> None:
    labels = _L_TRACKING.finditer(body) if _may_name_tracking(body) else iter(())
    for start, end, m in labels:
        value = m["v"].strip() or body[end:].lstrip("\n").split("\n", 1)[0]
        compact = value.replace(" ", "") if _SPACED_TOKEN.fullmatch(value) else value
        token = _TRACK_TOKEN.search(compact)
        if token:
            d.tracking_number = token.group(0)
            prefix = _CARRIER_PREFIX.match(body[start:end])
            if prefix and not d.carrier:
                d.carrier = prefix.group(1).strip()
            break
        d.problems.append(f"the tracking number could not be read: {value[:60]!r}")
        break
    if not d.tracking_number:
        _tracking_table(body, d)
    d.carrier = d.carrier or next((v for v in _values(_L_CARRIER, body) if "\t" not in v), "")
    if d.tracking_number or kind in ("shipped", "delivered"):
        d.tracking_url = _tracking_url(links, d.tracking_number)
    if not d.carrier and kind != "order_placed":
        via = _SHIPPED_VIA.search(body)
        named = _CARRIER_NAMES.search(body)
        d.carrier = via.group(1).strip() if via else named.group(1) if named else ""
    if not d.carrier and d.tracking_url:
        d.carrier = _carrier_of(d.tracking_url)


_TRACKING_HEAD = re.compile(r"^[^\n]*\t[^\n]*(?:tracking|sendungsnummer)", _IM)


def _tracking_table(body: str, d: _Draft) -> None:
    """A header row naming the columns, then a value row (Magento; WooCommerce Shipment
    Tracking)."""
    if "\t" not in body or not _TRACKING_HEAD.search(body):
        return
    lines = body.split("\n")
    for i, line in enumerate(lines[:-1]):
        if "\t" not in line:
            continue
        heads = [h.lower().rstrip(":") for h in line.split("\t")]
        col = next((k for k, h in enumerate(heads) if "tracking" in h or "sendungsnummer" in h), -1)
        if col < 0 or len(heads) < 2:
            continue
        following = [x for x in lines[i + 1 : i + 4] if x]
        values = following[0].split("\t") if following else []
        if len(values) < len(heads):
            continue
        token = _TRACK_TOKEN.search(values[col].replace(" ", ""))
        if token:
            d.tracking_number = token.group(0)
            for k, h in enumerate(heads):
                if h in (
                    "provider",
                    "carrier",
                    "shipped by",
                    "versanddienstleister",
                    "kuljetusliike",
                ):
                    d.carrier = d.carrier or values[k]
            return


def _tracking_url(links: list[tuple[str, str]], number: str) -> str:
    web = [(u, t) for u, t in links if u.startswith("http")]
    if number:
        for url, _ in web:
            if number in url:
                return url
    for url, label in web:
        if label and _TRACK_WORDS.search(label):
            return url
    for url, _ in web:
        if _carrier_of(url) or _TRACKING_PATH.search(url):
            return url
    return ""


def _carrier_of(url: str) -> str:
    host = url.split("/", 3)[2].lower() if url.count("/") >= 2 else ""
    return next((name for key, name in _CARRIERS if key in host), "")


def _body_text(text: str, html: str | None) -> str:
    if html and sum(1 for line in text.splitlines() if line.strip()) < 3:
        return _normalise(_html_to_text(html))
    return _normalise(text)


def _read(hit: _Hit, subject: str, text: str, html: str | None) -> Notice:
    body = _body_text(text, html)
    d = _Draft(hit.platform)
    _number(hit, subject, body, d)
    _dates(hit.platform, body, d)
    _customer(hit, body, d)
    _items(hit, body, d)
    _total(hit, body, d)
    if hit.kind in ("shipped", "delivered", "order_placed") or hit.platform == "ebay":
        _tracking(hit.kind, body, _links(text, html), d)
    _check(hit, d)
    return _notice(hit, d)


def _check(hit: _Hit, d: _Draft) -> None:
    if not d.number and not (
        hit.kind in ("message", "other") and any(i.item_number for i in d.items)
    ):
        d.problems.append("no order number found")
    if hit.kind == "order_placed":
        if not d.items and not (hit.platform == "prestashop" and "n" not in hit.groups):
            d.problems.append("no order lines found")
        if d.total is None and hit.platform != "amazon":
            d.problems.append("no order total found")


def _notice(hit: _Hit, d: _Draft) -> Notice:
    record = OrderRecord(
        number=d.number,
        platform=hit.platform,
        number_display=d.display,
        status=_STATUS.get(hit.kind),
        placed_at=d.placed_at,
        customer_name=d.customer_name,
        customer_email=d.customer_email,
        billing_address=d.billing,
        shipping_address=d.shipping,
        items=tuple(d.items),
        total=d.total,
        currency=d.currency,
        carrier=d.carrier,
        tracking_number=d.tracking_number,
        tracking_url=d.tracking_url,
        source="notice",
    )
    return Notice(kind=hit.kind, platform=hit.platform, order=record, problems=tuple(d.problems))


def parse_notice(from_addr: str, subject: str, text: str, html: str | None = None) -> Notice | None:
    """The platform notice in this mail, or None for ordinary mail. Never raises: what could not
    be read is listed in Notice.problems. `text` is the text/plain part ('' when missing), `html`
    the text/html part; the HTML is read only when the text part is empty or a stub."""
    try:
        hit = _recognise(from_addr or "", subject or "", text or "", html)
    except Exception:  # a notice parser must never take the caller down
        return None
    if hit is None:
        return None
    try:
        return _read(hit, subject or "", text or "", html)
    except Exception as exc:
        d = _Draft(hit.platform)
        d.problems.append(f"the notice could not be read: {type(exc).__name__}: {exc}")
        return _notice(hit, d)
