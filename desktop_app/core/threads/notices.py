"""Recognise shop platforms' automatic order e-mails and read the order's facts out of them."""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from email.utils import parseaddr

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
_I = re.IGNORECASE
_IM = re.IGNORECASE | re.MULTILINE

# ----------------------------------------------------------------------------- amounts

_CODES = frozenset(
    re.findall(
        r"[A-Z]{3}", "EUR USD GBP CAD AUD NZD CHF SEK NOK DKK PLN CZK HUF RON BGN ISK JPY CNY"
    )
    + re.findall(r"[A-Z]{3}", "INR BRL MXN ZAR TRY HKD SGD ILS AED")
)
_SYMBOLS = {
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "zł": "PLN",
    "$": "USD",
    "US$": "USD",
    "CA$": "CAD",
    "C$": "CAD",
    "A$": "AUD",
    "AU$": "AUD",
    "NZ$": "NZD",
}
_MONEY = re.compile(
    r"(?P<pre>US\$|CA\$|AU\$|NZ\$|C\$|A\$|[€£¥₹$]|\b[A-Z]{3}\b)?[ ]?(?P<sign>[-\u2212\u2013])?[ ]?"
    r"(?P<pre2>[€£$])?"
    r"(?P<num>\d{1,3}(?:[.,' \u2019]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)(?!\d)"
    r"[ ]?(?P<post>[€£¥₹]|zł|\b[A-Z]{3}\b)?"
)
_CODE_ANYWHERE = re.compile(r"\b([A-Z]{3})\b")


def _decimal(num: str) -> Decimal | None:
    """'1.234,56' / '1,234.56' / '1 234,56' / '49,90' / '1,234' -> Decimal."""
    s = num.replace(" ", "").replace("'", "").replace("\u2019", "")
    dot, comma = s.rfind("."), s.rfind(",")
    dec: str | None = None
    if dot >= 0 and comma >= 0:
        dec = "." if dot > comma else ","
    elif dot >= 0 or comma >= 0:
        sep = "." if dot >= 0 else ","
        if s.count(sep) == 1 and len(s) - max(dot, comma) - 1 != 3:
            dec = sep
    if dec is None:
        s = s.replace(",", "").replace(".", "")
    else:
        s = s.replace("," if dec == "." else ".", "").replace(dec, ".")
    try:
        return Decimal(s)
    except InvalidOperation:
        return None


def parse_amount(text: str) -> tuple[Decimal, str] | None:
    """The first amount in `text` and its ISO currency ('' when not shown): '1.234,56 €' ->
    (Decimal('1234.56'), 'EUR'); '$1,234.56' -> (Decimal('1234.56'), 'USD')."""
    for m in _MONEY.finditer(text):
        value = _decimal(m["num"])
        if value is None:
            continue
        currency = ""
        for part in (m["post"], m["pre"], m["pre2"]):
            if part and (part in _CODES or part in _SYMBOLS):
                currency = part if part in _CODES else _SYMBOLS[part]
                if part in _CODES:
                    break
        if currency in ("", "USD"):  # "$45.00 CAD": a code later on the line wins over "$"
            codes = [c for c in _CODE_ANYWHERE.findall(text[m.start() :]) if c in _CODES]
            if codes:
                currency = codes[0]
        if m["sign"]:
            value = -value
        return value, currency
    return None


# ----------------------------------------------------------------------------- dates

_MONTHS3 = {
    "jan": 1, "feb": 2, "mar": 3, "mär": 3, "apr": 4, "may": 5, "mai": 5, "jun": 6,
    "jūn": 6, "jul": 7, "jūl": 7, "aug": 8, "sep": 9, "oct": 10, "okt": 10, "nov": 11,
    "dec": 12, "dez": 12,
}  # fmt: skip
_MONTHS_FI = {
    "tamm": 1, "helm": 2, "maal": 3, "huht": 4, "touk": 5, "kesä": 6, "hein": 7,
    "elok": 8, "syys": 9, "loka": 10, "marr": 11, "joul": 12,
}  # fmt: skip
_TIME = re.compile(
    r"[,\s]*(?:at|um|klo|plkst\.?|à|-)?\s*(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2}))?"
    r"\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?\s*(?:Uhr\s*)?(?P<tz>Z|UTC|GMT|[+-]\d{2}:?\d{2})?"
    r"(?:\s*(?:UTC|GMT)?(?P<tz2>[+-]\d{2}:?\d{2}))?",
    _I,
)
_DATE_ISO = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:T(?=\d))?")
_DATE_NUM = re.compile(
    r"(?<![\d.])(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})\b"
)
_DATE_MDY = re.compile(
    r"(?P<mon>[^\W\d_]{3,})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})"
)
_DATE_DMY = re.compile(r"(?P<d>\d{1,2})\.?\s+(?P<mon>[^\W\d_]{3,})\.?,?\s+(?P<y>\d{4})")
_DATE_LV = re.compile(r"(?P<y>\d{4})\.\s*gada\s+(?P<d>\d{1,2})\.\s*(?P<mon>[^\W\d_]+)")


def _month(word: str) -> int | None:
    w = word.lower()
    return _MONTHS_FI.get(w[:4]) or _MONTHS3.get(w[:3])


def _date_part(text: str, dayfirst: bool | None) -> tuple[int, int, int, int] | None:
    """(year, month, day, end offset) of the first date in text."""
    m = _DATE_ISO.search(text)
    if m:
        return int(m["y"]), int(m["m"]), int(m["d"]), m.end()
    m = _DATE_NUM.search(text)
    if m:
        a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
        first_is_day = a > 12 or (b <= 12 and (m["sep"] != "/" or bool(dayfirst)))
        day, month = (a, b) if first_is_day else (b, a)
        return (y + 2000 if y < 100 else y), month, day, m.end()
    for rx in (_DATE_LV, _DATE_MDY, _DATE_DMY):
        m = rx.search(text)
        if m and (named := _month(m["mon"])):
            return int(m["y"]), named, int(m["d"]), m.end()
    return None


def _offset(tz: str | None) -> timedelta | None:
    if not tz:
        return None
    if tz.upper() in ("Z", "UTC", "GMT"):
        return timedelta(0)
    digits = tz[1:].replace(":", "")
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return -delta if tz[0] == "-" else delta


def parse_date(text: str, dayfirst: bool | None = None) -> datetime | None:
    """The first date (and time, if it follows) in `text`, naive; converted to UTC when an
    offset is given. Numeric d/m order: '.' and '-' mean day first, '/' month first unless
    `dayfirst` (or a first number above 12) says otherwise."""
    found = _date_part(text, dayfirst)
    if found is None:
        return None
    year, month, day, end = found
    hour = minute = second = 0
    tm = _TIME.match(text, end)
    tz: timedelta | None = None
    if tm:
        hour, minute, second = int(tm["H"]), int(tm["M"]), int(tm["S"] or 0)
        ampm = (tm["ampm"] or "").lower().replace(".", "")
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        tz = _offset(tm["tz"] or tm["tz2"])
    try:
        value = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    return value - tz if tz is not None else value


# ----------------------------------------------------------------------------- body text

_DROP = re.compile(r"<(script|style|head|title)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
_BLOCK = re.compile(  # factored so that each '<' is rejected quickly
    r"<(?:br|hr|/?(?:p|div|h[1-6]|li|[uo]l|t(?:r|able|head|body|foot)|address|blockquote|center|"
    r"d[td]))\b[^>]*>",
    re.I,
)
_DT_DD = re.compile(r"</dt>\s*<dd\b[^>]*>", re.I)
_CELL = re.compile(r"<t[dh]\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")
_QUOTES = re.compile(r"^(?:> ?)+", re.M)
_ANCHOR = re.compile(r"<a\b[^>]*?href\s*=\s*[\"']([^\"']+)[\"'][^>]*>(.*?)</a\s*>", re.S | re.I)
_URL = re.compile(r"https?://[^\s<>\"')\]]+")


def _html_to_text(html: str) -> str:
    """Cheap HTML -> text: block elements become lines, table cells become tab-separated."""
    s = " ".join(_DROP.sub(" ", html).split())
    s = _DT_DD.sub(": ", s)
    s = _BLOCK.sub("\n", s)
    s = _CELL.sub("\t", s)
    return htmllib.unescape(_TAG.sub("", s))


def _normalise(body: str) -> str:
    """One cleaned line per line; cells joined by one tab; at most one blank line in a row."""
    s = body.replace("\r\n", "\n").replace("\r", "\n")
    if "\n>" in s or s.startswith(">"):
        s = _QUOTES.sub("", s)  # a quoted copy is still the notice's text
    lines = [
        " ".join(line.split())
        if "\t" not in line
        else "\t".join(c for c in (" ".join(p.split()) for p in line.split("\t")) if c)
        for line in s.split("\n")
    ]
    s = "\n".join(lines)
    while "\n\n\n" in s:
        s = s.replace("\n\n\n", "\n\n")
    return s.strip("\n")


def _links(text: str, html: str | None) -> list[tuple[str, str]]:
    """(url, anchor text) pairs; anchor text is '' for URLs found in plain text."""
    pairs = [(m.group(0).rstrip(".,;"), "") for m in _URL.finditer(text)]
    if html:
        for m in _ANCHOR.finditer(html):
            label = " ".join(htmllib.unescape(_TAG.sub(" ", m.group(2))).split())
            pairs.append((htmllib.unescape(m.group(1)).strip(), label))
    return pairs


# ----------------------------------------------------------------------------- recognition


@dataclass(frozen=True, slots=True)
class _Rule:
    platform: str
    kind: str
    pattern: re.Pattern[str]
    confirm: re.Pattern[str] | None = None  # the body must show this too


def _rule(platform: str, kind: str, pattern: str, confirm: str | None = None) -> _Rule:
    count = iter(range(1, 99))  # alternatives may each hold the number: n, n_2, n_3 ...
    pattern = re.sub(r"\(\?P<n>", lambda _: f"(?P<n_{next(count)}>", pattern)
    return _Rule(
        platform, kind, re.compile(pattern, _I), re.compile(confirm, _I) if confirm else None
    )


_MAGENTO_NO = r"(?:order|bestellung)\s*(?:<[^>]*>\s*)*#\s?\d{6,}"
_PS_REF = r"(?-i:\b[A-Z]{9}\b)"
_N = r"(?P<n>#?\s?[\w-]*\d[\w-]*)"  # an order name: "#1001", "#SHOP-1001", "1001-EU"
_SHOP = r"\[[^\]]+\]"
_SHOP_RULES = (
    # Shopify: staff notification, then copies of customer notifications (en, de, fi, lv)
    _rule("shopify", "order_placed", rf"{_SHOP} (?:Order|Bestellung|Tilaus|Pasūtījums) {_N} "
          r"(?:placed by|aufgegeben von|tilaajana|no) (?P<name>.+?)(?: \(.*\))?$"),
    _rule("shopify", "order_placed", rf"(?:Order|Bestellung|Tilaus|Pasūtījums) {_N} "
          r"(?:confirmed|bestätigt|vahvistettu|apstiprināts)$"),
    _rule("shopify", "order_placed", rf"(?:Order confirmation for order|Bestellbestätigung für "
          rf"Bestellung|Tilausvahvistus tilaukselle) {_N}$"),
    _rule("shopify", "delivered", rf"(?:A shipment from order {_N} has been|Your order has been|"
          rf"Eine Sendung (?:aus|zu) (?:der )?Bestellung {_N} wurde|Lähetys tilauksesta {_N} on)"
          r" (?:delivered|zugestellt|toimitettu)$"),
    _rule("shopify", "shipped", rf"(?:A shipment from order {_N} is (?:on the way|out for "
          rf"delivery)|Shipping (?:confirmation|update) for order {_N}|Eine Sendung (?:aus|zu) "
          rf"(?:der )?Bestellung {_N} ist unterwegs|Versandbestätigung für Bestellung {_N}|"
          rf"Lähetys tilauksesta {_N} on matkalla|Sūtījums no pasūtījuma {_N} ir ceļā)$"),
    _rule("shopify", "cancelled", rf"(?:Order|Bestellung|Tilaus) {_N} (?:has been |wurde )?"
          r"(?:cancell?ed|storniert|peruttu)$"),
    _rule("shopify", "refunded", rf"(?:Refund (?:notification|for order {_N})|Rückerstattung für "
          rf"Bestellung {_N}|Hyvitys tilaukselle {_N})$", confirm="refund|erstatt|hyvit"),
    # WooCommerce: admin mails "[Shop]: ...", customer mails name the shop
    _rule("woocommerce", "order_placed", rf"{_SHOP}:? (?:New (?:customer )?order|You(?:'|\u2019)ve "
          rf"got a new order:|Neue (?:Kunden)?bestellung|Uusi tilaus|Jauns pasūtījums) \(?{_N}\)?"),
    _rule("woocommerce", "cancelled", rf"{_SHOP}:? (?:Order|Bestellung|Tilaus|Pasūtījums) {_N} "
          r"(?:has been cancell?ed|wurde storniert|on peruttu|ir atcelts)$"),
    _rule("woocommerce", "other", rf"{_SHOP}:? (?:Order|Bestellung) {_N} (?:has failed|ist "
          r"fehlgeschlagen)$"),
    _rule("woocommerce", "refunded", rf"(?:Your .+? order {_N} has been (?:partially )?refunded|"
          rf"(?:Deine|Ihre) .+?[- ]Bestellung {_N} wurde (?:teilweise )?(?:erstattet|"
          r"rückerstattet))$"),
    _rule("woocommerce", "cancelled", rf"Your .+? order {_N} has been cancell?ed$"),
    _rule("woocommerce", "order_placed", r"(?:Your .+? order has been received!?|Your order from "
          r".+? (?:has been received|is on hold)|(?:Deine|Ihre) .+?[- ]Bestellung (?:wurde "
          r"erhalten|ist eingegangen)!?|Tilauksesi .+? on vastaanotettu!?)$"),
    _rule("woocommerce", "shipped", r"(?:Your .+? order is now complete|Your order from .+? is "
          r"on its way!?|(?:Deine|Ihre) .+?[- ]Bestellung ist (?:jetzt )?abgeschlossen|"
          r"Tilauksesi .+? on nyt valmis)$"),
    _rule("woocommerce", "other", rf"(?:Details|Invoice) for order {_N} on .+$"),
    # Magento 2 (and 1 / 2.0 subjects with the number)
    _rule("magento", "order_placed", r"(?:Your .+? order confirmation|Ihre .+? "
          r"Bestellbestätigung)$", confirm=_MAGENTO_NO),
    _rule("magento", "order_placed", r".+?: (?:New Order|Neue Bestellung) # ?(?P<n>\d+)$"),
    _rule("magento", "shipped", r"Your .+? order has shipped$"),
    _rule("magento", "refunded", r"Credit memo for your .+? order$"),
    _rule("magento", "other", r"(?:Update to your .+? order|Invoice for your .+? order|.+?: "
          r"(?:Order|Invoice) # ?(?P<n>\d+) update)$", confirm=_MAGENTO_NO),
    # OpenCart "Store - Order 123"
    _rule("opencart", "order_placed", r".+? - (?:Order|Bestellung|Tilaus|Pasūtījums|Commande) "
          r"(?P<n>\d+)$", confirm=r"order id|bestellnummer|tilausnumero|pasūtījuma id|commande"),
    _rule("opencart", "other", r".+? - (?:Order Update|Bestellaktualisierung|Tilauksen päivitys) "
          r"(?P<n>\d+)$", confirm=r"order id|bestellnummer|tilausnumero"),
    # PrestaShop "[Shop] ..." (admin alert carries id + reference)
    _rule("prestashop", "order_placed", rf"{_SHOP} (?:New order|Neue Bestellung|Uusi tilaus) ?: "
          r"#(?P<n>\d+) - (?P<ref>[A-Z]{9})$"),
    _rule("prestashop", "order_placed", rf"{_SHOP} (?:Order confirmation|Bestellbestätigung|"
          r"Tilausvahvistus)$", confirm=_PS_REF),
    _rule("prestashop", "shipped", rf"{_SHOP} (?:Package in transit|Order shipped|Shipped|Paket "
          r"unterwegs|Versandt)$", confirm=_PS_REF),
    _rule("prestashop", "cancelled", rf"{_SHOP} (?:Order canceled|Order cancelled|Bestellung "
          r"storniert)$", confirm=_PS_REF),
    _rule("prestashop", "refunded", rf"{_SHOP} (?:Refund|Rückerstattung)$", confirm=_PS_REF),
)  # fmt: skip

_AMAZON_NO = r"(?P<n>\d{3}-\d{7}-\d{7})"
_MARKET_RULES: dict[str, tuple[_Rule, ...]] = {
    "amazon": (
        _rule("amazon", "order_placed", r"(?:Sold,? (?:ship|dispatch) now|Verkauft,? (?:jetzt )?"
              r"versenden|Vendu,? expédiez maintenant):? (?P<title>.+)$"),
        _rule("amazon", "refunded", rf"(?:Refund initiated for order|Erstattung für Bestellung) "
              rf"{_AMAZON_NO}"),
        _rule("amazon", "cancelled", rf"(?:Order cancell?ation request|Cancell?ation request|"
              rf"Stornierungsanfrage)\b.*?{_AMAZON_NO}"),
        _rule("amazon", "message", rf".*?\((?:Order|Bestellung|Commande)[:#]?\s*{_AMAZON_NO}\)"),
        _rule("amazon", "message", rf"(?:Return request|Rücksendeanfrage|Inquiry|Message|Anfrage)"
              rf"\b.*?{_AMAZON_NO}"),
    ),
    "etsy": (
        _rule("etsy", "order_placed", r"(?:You made a sale on Etsy|Du hast (?:etwas )?auf Etsy "
              r"(?:etwas )?verkauft|Myit (?:jotain )?Etsyssä)"),
        _rule("etsy", "cancelled", r".*(?:cancell?ed|storniert)"),
        _rule("etsy", "refunded", r".*(?:refund|erstattung)"),
        _rule("etsy", "shipped", r".*(?:has shipped|marked as shipped|wurde versandt)"),
        _rule("etsy", "message", r"(?:Re: )?(?:Etsy Conversation with|New message from|You have a "
              r"new message|Neue Nachricht von)\b"),
    ),
    "ebay": (
        _rule("ebay", "order_placed", r"(?:You sold|You(?:'|\u2019)ve sold|Your (?:eBay )?item "
              r"(?:has )?sold|Your item sold|You made the sale|Du hast .*verkauft|Ihr Artikel "
              r"wurde verkauft|Artikel verkauft)\b[:!]?\s*(?P<title>.*?)"
              r"(?:\s*[(#]\s*(?P<item>\d{12})\)?)?$"),
        _rule("ebay", "message", r"(?:Re: )?(?:[\w -]+: )?(?P<name>\S+) (?:sent (?:you )?a "
              r"message about|hat eine Nachricht zu) (?P<title>.+?)(?:\s*#(?P<item>\d{12}))?"
              r"(?: gesendet)?$"),
        _rule("ebay", "message", r"(?:Re: )?(?:Question about|New message from|Frage zu)\b.*?"
              r"(?:#(?P<item>\d{12}))?$"),
        _rule("ebay", "delivered", r".*\b(?:was delivered|has been delivered|zugestellt)\b"),
        _rule("ebay", "cancelled", r".*\b(?:cancell?ed|cancell?ation|storniert)\b"),
        _rule("ebay", "refunded", r".*\b(?:refund|rückerstattung|erstattet)"),
    ),
}  # fmt: skip
_KEYWORDS = re.compile(
    r"order|bestell|tilau|pasūt|commande|shipment|sendung|lähetys|sūtījum|refund|erstatt|hyvit|"
    r"credit memo|package|paket|delivered|zugestellt|toimitettu",
    _I,
)
_REPLY = re.compile(r"^(?:re|aw|fw|fwd|wg|vs|sv|tr|r|ats|pārs)\s?(?:\[\d+\])?:", _I)
_BODY_NUMBER = {
    "amazon": re.compile(r"\b\d{3}-\d{7}-\d{7}\b"),
    "ebay": re.compile(r"\b\d{2}-\d{5}-\d{5}\b"),
    "etsy": re.compile(r"(?:order|receipt|bestellung)\s*(?:#|nr\.?|number:?)\s*(\d{7,12})\b", _I),
    "shopify": re.compile(r"\b(?:order|bestellung|tilaus)\s+(#[\w-]*\d+)", _I),
}


@dataclass(frozen=True, slots=True)
class _Hit:
    platform: str
    kind: str
    groups: dict[str, str]
    sender_name: str


_FROM = re.compile(r"^\s*(?:\"?(?P<name>[^\"<]*?)\"?\s*<)?[^<>@\s]*@(?P<domain>[\w.-]+)>?\s*$")


def _sender(from_addr: str) -> tuple[str, str]:
    """(display name, lower-case domain) of a From value, cheaply; parseaddr as a fallback."""
    m = _FROM.match(from_addr)
    if m:
        return (m["name"] or "").strip(), m["domain"].lower()
    name, addr = parseaddr(from_addr)
    return name, addr.rpartition("@")[2].lower()


def _sender_platform(domain: str) -> str | None:
    labels = domain.split(".")
    if "shopify" in labels or "shopifyemail" in labels or "myshopify" in labels:
        return "shopify"
    for name in ("amazon", "etsy", "ebay"):
        if name in labels:
            return name
    return None


def _match(rules: tuple[_Rule, ...], subject: str, text: str, html: str | None) -> _Hit | None:
    for rule in rules:
        m = rule.pattern.match(subject)
        if m is None:
            continue
        if rule.confirm and not (rule.confirm.search(text) or (html and rule.confirm.search(html))):
            continue
        groups = {k.partition("_")[0]: v for k, v in m.groupdict().items() if v}
        return _Hit(rule.platform, rule.kind, groups, "")
    return None


def _recognise(from_addr: str, subject: str, text: str, html: str | None) -> _Hit | None:
    name, domain = _sender(from_addr)
    sender = _sender_platform(domain)
    subj = " ".join(subject.split())
    hit: _Hit | None = None
    if sender in _MARKET_RULES:
        hit = _match(_MARKET_RULES[sender], subj, text, html) or _fallback(sender, subj, text)
    elif not _REPLY.match(subj) and (sender or _KEYWORDS.search(subj)):
        hit = _match(_SHOP_RULES, subj, text, html)
        if hit and hit.platform == "shopify" and sender is None and not _shows_shopify(text, html):
            hit = _Hit("store", hit.kind, hit.groups, "")
        if hit is None and sender == "shopify":
            hit = _fallback("shopify", subj, text)
    if hit is None:
        return None
    return _Hit(hit.platform, hit.kind, hit.groups, name)


def _shows_shopify(text: str, html: str | None) -> bool:
    return "shopify" in text.lower() or bool(html and "shopify" in html.lower())


def _fallback(platform: str, subject: str, text: str) -> _Hit | None:
    """Any other mail from a marketplace that names one of its orders: kind 'other'."""
    rx = _BODY_NUMBER.get(platform)
    if rx is None:
        return None
    m = rx.search(subject) or rx.search(text)
    if m is None:
        return None
    return _Hit(platform, "other", {"n": m.group(m.lastindex or 0)}, "")


# ----------------------------------------------------------------------------- labelled values


def _labels(words: str) -> re.Pattern[str]:
    return re.compile(rf"^(?:{words})(?![^\W\d_])[ \t]*[:\uff1a]?[ \t]*(?P<v>[^\n]*)$", _IM)


def _values(rx: re.Pattern[str], body: str) -> Iterator[str]:
    """Each labelled value: on the label's line, or on the next non-empty line."""
    for m in rx.finditer(body):
        value = m["v"].strip()
        if not value:
            rest = body[m.end() : m.end() + 400].lstrip("\n")
            value = rest.split("\n", 1)[0].strip()
            if "\t" in value or value.endswith(":"):
                continue  # the next line is a row or label of its own
        if value:
            yield value


def _first(rx: re.Pattern[str], body: str) -> str:
    return next(_values(rx, body), "")


_L_TOTAL = _labels(
    r"grand total|order total|total paid|total amount|amount paid|total|gesamtsumme|gesamtbetrag|"
    r"gesamt|summe|bestellsumme|yhteensä|kokonaissumma|kopā|kopsumma|montant total"
)
_L_DATE = _labels(
    r"order date|date added|date ordered|date of order|date sold|sale date|ordered on|placed on|"
    r"order placed|bestelldatum|bestellt am|verkaufsdatum|tilauspäivä(?:määrä)?|tilattu|"
    r"pasūtījuma datums|date de commande"
)
_L_EMAIL = _labels(
    r"e-?mail(?: address)?|customer e-?mail|e-?mail-adresse|sähköposti(?:osoite)?|e-pasts|courriel"
)
_L_CUSTOMER = _labels(r"customer|buyer|kunde|käufer|asiakas|ostaja|klients|pircējs|client")
_L_TRACKING = _labels(
    r"(?:[\w .&-]{2,30} )?(?:tracking (?:number|no\.?|#|id|code)|sendungsnummer|sendungs-nr\.?|"
    r"trackingnummer|tracking-nummer|seurantanumero|seurantakoodi|lähetystunnus|izsekošanas "
    r"(?:numurs|kods)|sūtījuma numurs|numéro de suivi)|the tracking details for these items are as "
    r"follows"
)
_L_CARRIER = _labels(
    r"carrier|shipping carrier|shipped by|provider|shipping provider|versanddienstleister|"
    r"versandunternehmen|paketdienst|kuljetusliike|kuljetusyhtiö|pārvadātājs|transporteur"
)
_L_ORDER_ID = _labels(
    r"order id|order number|order no\.?|order #|bestellnummer|bestell-nr\.?|tilausnumero|"
    r"pasūtījuma (?:numurs|id)|numéro de commande"
)
_L_ITEM_NO = _labels(r"item id|item number|item #|item no\.?|artikelnummer|tuotenumero|listing id")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


# ----------------------------------------------------------------------------- addresses

_HEAD_BILLING = re.compile(
    r"^[=\-* ]*(?:billing (?:address|info(?:rmation)?|details)|payment address|invoice address|"
    r"bill to|rechnungsadresse|rechnungsanschrift|laskutusosoite|norēķinu adrese|maksātāja adrese|"
    r"adresse de facturation)[ :=\-*]*$",
    _IM,
)
_HEAD_SHIPPING = re.compile(
    r"^[=\-* ]*(?:shipping (?:address|info(?:rmation)?|details)|delivery address|ship(?:ping)? to|"
    r"deliver to|lieferadresse|versandadresse|lieferanschrift|toimitusosoite|piegādes adrese|"
    r"adresse de livraison)[ :=\-*]*$",
    _IM,
)
_BLOCK_END = re.compile(
    r"^(?:[-=_*]{3,}|(?:shipping|payment|delivery|billing) (?:method|address|info)|"
    r"(?:zahlungs|versand|liefer)(?:art|methode|adresse)|note|customer|order|buyer|view|ship by|"
    r"versand bis|toimitustapa|maksutapa|piegādes veids|rechnungsadresse|laskutusosoite)\b",
    _I,
)
_PHONE = re.compile(
    r"^(?:T:|Tel\.?:?|Phone:?|Telefon:?|Puh\.?:?|Tālr\.?:?)?\s*(\+?[\d ()./-]{6,})$", _I
)
_PC_CITY = re.compile(
    r"^(?P<pc>(?:[A-Z]{1,2}-)?\d{4,5}|\d{3} \d{2}|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})"
    r"\s+(?P<city>\D.*)$"
)
_CITY_PC = re.compile(
    r"^(?P<city>[^\d,][^,]*?),?\s+(?:(?P<region>[^\W\d_][\w .]*?),?\s+)?"
    r"(?P<pc>\d{5}(?:-\d{4})?|[A-Z]\d[A-Z] ?\d[A-Z]\d|[A-Z]{2}-\d{4})$"
)
_UK_PC = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$")


def _address_lines(body: str, head: re.Pattern[str]) -> list[str]:
    m = head.search(body)
    if m is None:
        return []
    lines: list[str] = []
    for line in body[m.end() :].lstrip("\n").split("\n")[:12]:
        if not line:
            if any(_PC_CITY.match(x) or _CITY_PC.match(x) or _UK_PC.match(x) for x in lines):
                break
            continue  # an empty template line (PrestaShop's address2) before the city line
        if _BLOCK_END.match(line) or _HEAD_BILLING.match(line) or _HEAD_SHIPPING.match(line):
            break
        lines.append(line.replace("\t", " "))
    return lines


def _address(lines: list[str]) -> tuple[Address | None, str]:
    """An Address from its printed lines, and the e-mail address printed with it."""
    email, phone, rest = "", "", []
    for line in lines:
        if _EMAIL.fullmatch(line):
            email = email or line
        elif (pm := _PHONE.match(line)) and sum(c.isdigit() for c in line) >= 6:
            phone = phone or pm.group(1).strip()
        else:
            rest.append(line)
    if not rest:
        return None, email
    name, street, city, postcode, region, country = rest[0], rest[1:], "", "", "", ""
    for i in range(len(rest) - 1, 0, -1):  # the city line is near the end; streets have numbers
        line = rest[i]
        if _UK_PC.match(line) and i >= 2:
            postcode, city, street, tail = line, rest[i - 1], rest[1 : i - 1], rest[i + 1 :]
        elif m := (_PC_CITY.match(line) or _CITY_PC.match(line)):
            postcode, city, street, tail = m["pc"], m["city"].strip(" ,"), rest[1:i], rest[i + 1 :]
            region = (m.groupdict().get("region") or "").strip()
        else:
            continue
        if tail:
            country = tail[-1]
            region = region or (tail[0] if len(tail) > 1 else "")
        break
    else:
        if len(rest) > 2:
            street, country = rest[1:-1], rest[-1]
    lines_t = tuple(street)
    return Address(name, lines_t, city, postcode, region, country, phone), email


# ----------------------------------------------------------------------------- items

_ITEM_LINES = (
    # WooCommerce plain: "Name (#SKU) X 2 = 20,00 €"
    re.compile(r"^(?P<title>.+?)(?: \(#(?P<sku>[^)]+)\))? X (?P<qty>\d+) = (?P<total>.+)$", re.M),
    # Shopify staff (legacy) "2x Name (sku: SKU)" / OpenCart text "2x Name (MODEL) $40.00"
    re.compile(
        r"^(?P<qty>\d+) ?x (?P<title>.+?)(?: *\((?:sku: ?)?(?P<sku>[^)]*)\))?"
        r"(?: (?:for )?(?P<total>[^\s\w(]?\d[\d.,]*\s?\S*?)(?: each)?)?$",
        _IM,
    ),
)
_TITLE_QTY = re.compile(
    r"^(?P<title>.+?) (?:\u00d7|x|X) (?P<qty>\d{1,4})(?: (?P<total>\S.*))?$", re.M
)
_SKU = re.compile(
    r"^(?:sku|art\.?-?nr\.?|artikelnummer|tuotekoodi|reference|référence):? ?(?P<v>\S.*)$", _I
)
_INT = re.compile(r"\d{1,4}")
_META = re.compile(r"^[^\t:]{1,40}:(?: .*)?$")


def _money(text: str) -> Decimal | None:
    found = parse_amount(text)
    return found[0] if found else None


def _is_money(cell: str) -> bool:
    return bool(re.search(r"\d", cell)) and bool(
        re.fullmatch(
            r"[-\u2212\u2013]?\s?(?:[A-Z]{3}|[A-Z]{0,2}[$€£¥₹])?\s?[-\u2212]?[\d.,' ]+\s?"
            r"(?:[€£¥₹]|zł|[A-Z]{3})?",
            cell,
        )
    )


def _unit(total: Decimal | None, qty: int) -> Decimal | None:
    if total is None or qty <= 1:
        return total
    unit = total / qty
    exponent = total.as_tuple().exponent
    return unit.quantize(Decimal(1).scaleb(exponent)) if isinstance(exponent, int) else unit


def _items_from_rows(lines: list[str]) -> list[OrderItem]:
    """Table rows: one quantity cell, one or two money cells, a title cell (and maybe a SKU)."""
    items: list[OrderItem] = []
    for i, line in enumerate(lines):
        cells = line.split("\t")
        if len(cells) < 2:
            continue
        ints = [c for c in cells if _INT.fullmatch(c)]
        money = [c for c in cells if not _INT.fullmatch(c) and _is_money(c)]
        other = [c for c in cells if c not in ints and c not in money]
        if len(ints) != 1 or not money or len(money) > 2 or len(other) > 2:
            continue
        qty = int(ints[0])
        sku = ""
        if other:
            titles = [c for c in other if " " in c or not re.fullmatch(r"[A-Za-z0-9._/-]+", c)]
            title = titles[0] if titles else other[-1]
            sku = next((c for c in other if c != title), "")
        else:
            title, sku = _title_before(lines, i)
        if not title or _L_TOTAL.match(title) or title.lower().startswith(("sub", "zwischen")):
            continue
        title, sku = _split_sku(title, sku)
        unit = _money(money[0]) if len(money) == 2 else _unit(_money(money[0]), qty)
        items.append(OrderItem(title=title, quantity=qty, sku=sku, price=unit))
    return items


def _title_before(lines: list[str], i: int) -> tuple[str, str]:
    """Walk back from a quantity/price row to the product name, collecting a 'SKU: x' line."""
    sku, j = "", i - 1
    while j >= 0 and i - j <= 10:
        line = lines[j]
        if "\t" in line:
            return "", sku  # the previous row, or the table's header
        if not line:
            pass
        elif m := _SKU.match(line):
            sku = m["v"]
        elif j > 0 and lines[j - 1].endswith(":") and ":" not in line:
            j -= 1  # "Size:" / "Large" item meta
        elif not _META.match(line):
            return line, sku
        j -= 1
    return "", sku


def _split_sku(title: str, sku: str) -> tuple[str, str]:
    m = re.fullmatch(r"(?P<t>.+?) \(#(?P<s>[^)]+)\)", title)
    if m:
        return m["t"], sku or m["s"]
    return title, sku


def _items_title_qty(lines: list[str]) -> list[OrderItem]:
    """Shopify-style 'Name x 2' (with the multiplication sign), then variant, 'SKU: x' and
    the line's price."""
    items: list[OrderItem] = []
    for i, line in enumerate(lines):
        if "\u00d7" not in line and " x " not in line and " X " not in line:
            continue
        m = _TITLE_QTY.match(line.replace("\t", " "))
        if m is None:
            continue
        qty, title, sku, variant = int(m["qty"]), m["title"], "", ""
        total = _money(m["total"]) if m["total"] else None
        for nxt in lines[i + 1 : i + 5]:
            if not nxt or _TITLE_QTY.match(nxt):
                break
            if sm := (_SKU.match(nxt) or re.fullmatch(r"\(#(?P<v>[^)]+)\)", nxt)):
                sku = sm["v"]
            elif _is_money(nxt.split("\t")[-1]) and total is None:
                total = _money(nxt)
                break
            elif not variant and ":" not in nxt:
                variant = nxt
        title, sku = _split_sku(title, sku)
        if sku.startswith("(#") and sku.endswith(")"):
            sku = sku[2:-1]
        full = f"{title} - {variant}" if variant else title
        items.append(OrderItem(title=full, quantity=qty, sku=sku, price=_unit(total, qty)))
    return items


def _items_vertical(lines: list[str]) -> list[OrderItem]:
    """PrestaShop's product table, each cell in a nested table: reference, name, unit price,
    quantity, total price come as five lines after the header row."""
    start = next((i for i, x in enumerate(lines) if re.match(r"reference\tproduct\t", x, _I)), -1)
    if start < 0:
        return []
    cells = [x for x in lines[start + 1 : start + 120] if x]
    items: list[OrderItem] = []
    for k in range(0, len(cells) - 4, 5):
        ref, title, unit, qty, total = cells[k : k + 5]
        if not (_is_money(unit) and _INT.fullmatch(qty) and _is_money(total)):
            break
        items.append(OrderItem(title, int(qty), ref, _money(unit)))
    return items


_ETSY_LISTING = re.compile(r"etsy\.com/(?:[a-z-]+/)?listing/(\d+)")


def _etsy_listings(body: str, items: list[OrderItem]) -> list[OrderItem]:
    """Etsy prints each item's listing link after it: record the listing number on the item."""
    numbers = _ETSY_LISTING.findall(body)
    if len(numbers) != len(items):
        return items
    return [
        OrderItem(i.title, i.quantity, i.sku, i.price, i.item_number or n)
        for i, n in zip(items, numbers, strict=True)
    ]


def _items_regex(body: str) -> list[OrderItem]:
    for rx, needle in zip(_ITEM_LINES, (" X ", "x "), strict=True):
        if needle not in body:
            continue  # the lazy title groups are slow on lines that cannot match
        items = []
        for m in rx.finditer(body):
            qty = int(m["qty"])
            total = _money(m["total"]) if m["total"] else None
            items.append(
                OrderItem(m["title"].strip(), qty, (m["sku"] or "").strip(), _unit(total, qty))
            )
        if items:
            return items
    return []


_L_ITEM_FIELD = re.compile(
    r"^(?P<k>item|item name|product|artikel|artikelname|tuote|listing|item id|item number|"
    r"artikelnummer|listing id|sku|asin|quantity|qty|quantity sold|menge|anzahl|määrä|daudzums|"
    r"price|item price|sold for|sale price|unit price|preis|verkaufspreis|hinta|cena)"
    r"[ \t]*:[ \t]*(?P<v>\S[^\n]*)$",
    _IM,
)


def _items_labelled(body: str) -> list[OrderItem]:
    """Marketplace blocks: 'Item: x' / 'SKU:' / 'Quantity:' / 'Price:'; eBay's title line
    comes before 'Item ID'."""
    items: list[OrderItem] = []
    cur: dict[str, str] = {}

    def flush() -> None:
        if cur.get("title"):
            qty = int(cur["qty"]) if cur.get("qty", "").isdigit() else 1
            price = _money(cur.get("price", ""))
            items.append(OrderItem(cur["title"], qty, cur.get("sku", ""), price, cur.get("no", "")))
        cur.clear()

    for m in _L_ITEM_FIELD.finditer(body):
        key, value = m["k"].lower(), m["v"].strip()
        if key in ("item", "item name", "product", "artikel", "artikelname", "tuote", "listing"):
            flush()
            cur["title"] = value
        elif key in ("item id", "item number", "artikelnummer", "listing id"):
            if cur.get("no"):
                flush()
            cur["no"] = re.sub(r"\D", "", value)
            if not cur.get("title"):
                before = body[: m.start()].rstrip("\n").rsplit("\n", 1)[-1].strip()
                if before and ":" not in before:
                    cur["title"] = before
        elif key == "asin":
            cur["no"] = cur.get("no") or value
        elif key == "sku" and not cur.get("sku"):
            cur["sku"] = value
        elif key in ("quantity", "qty", "quantity sold", "menge", "anzahl", "määrä", "daudzums"):
            cur["qty"] = value.split()[0]
        elif "price" not in cur:
            cur["price"] = value
    flush()
    return items


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


def _digits(token: str) -> str:
    runs = re.findall(r"\d+", token)
    return max(runs, key=len) if runs else ""


_WOO_BODY_NO = re.compile(
    r"(?:\[|^|received your |Order Refunded: |Order Cancell?ed: |New Order: )(?:order|bestellung|"
    r"tilaus|pasūtījums|commande)? ?#? ?(?P<n>[\w-]*\d+)\]?(?: \((?P<d>[^)]+)\))?",
    _IM,
)
_DATE_AFTER_NUMBER = (
    re.compile(  # "[Order #1234] (March 3, 2026)", "XKBKNABJK placed on 03/02/2026"
        r"(?:#\s?[\w-]*\d+\]? \(|\bplaced on )(?P<d>[^)\n]{6,40})", _I
    )
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
        d.number = "".join(re.findall(r"\d", token))
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
        named = re.sub(
            r"\s*(?:-|via|über)\s*(?:Amazon|eBay|Etsy)\b.*$", "", hit.sender_name, flags=_I
        )
        named = "" if named.lower() in ("amazon", "ebay", "etsy") else named
    d.customer_name = named


def _first_email(values: Iterator[str]) -> str:
    for value in values:
        if m := _EMAIL.search(value):
            return m.group(0)
    return ""


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
    several = re.fullmatch(r"\d+ Items?(?: Sold)?", title, _I)
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
        if unread and re.search(r"\d", unread):
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


def _tracking(kind: str, body: str, links: list[tuple[str, str]], d: _Draft) -> None:
    for m in _L_TRACKING.finditer(body):
        value = m["v"].strip() or body[m.end() :].lstrip("\n").split("\n", 1)[0]
        compact = value.replace(" ", "") if re.fullmatch(r"[A-Z0-9 ]{8,45}", value) else value
        token = _TRACK_TOKEN.search(compact)
        if token:
            d.tracking_number = token.group(0)
            prefix = re.match(r"^(.+?) (?:tracking|sendungsnummer|seuranta)", m.group(0), _I)
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
        via = re.search(
            r"(?:shipped|sent|versendet|lähetetty) (?:via|with|mit|by) ([\w .&-]+?)(?: to|\.|,|$)",
            body,
            _IM,
        )
        named = _CARRIER_NAMES.search(body)
        d.carrier = via.group(1).strip() if via else named.group(1) if named else ""
    if not d.carrier and d.tracking_url:
        d.carrier = _carrier_of(d.tracking_url)


_TRACKING_HEAD = re.compile(r"^[^\n]*\t[^\n]*(?:tracking|sendungsnummer)", _IM)


def _tracking_table(body: str, d: _Draft) -> None:
    """A header row naming the columns, then a value row (Magento; WooCommerce Shipment
    Tracking)."""
    if not _TRACKING_HEAD.search(body):
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
        if _carrier_of(url) or re.search(r"/track|tracking|sendungsverfolgung", url, _I):
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
