"""Which platform sent a notice and of what kind: sender domains, subject templates, rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import parseaddr

from desktop_app.core.threads.notice_text import _I

# ----------------------------------------------------------------------------- recognition


@dataclass(frozen=True, slots=True)
class _Rule:
    platform: str
    kind: str
    pattern: re.Pattern[str]
    confirm: re.Pattern[str] | None = None  # the body must show this too
    bracketed: bool = False  # the subject must start with "[" (the shop's name in brackets)


def _rule(platform: str, kind: str, pattern: str, confirm: str | None = None) -> _Rule:
    count = iter(range(1, 99))  # alternatives may each hold the number: n, n_2, n_3 ...
    pattern = re.sub(r"\(\?P<n>", lambda _: f"(?P<n_{next(count)}>", pattern)
    return _Rule(
        platform,
        kind,
        re.compile(pattern, _I),
        re.compile(confirm, _I) if confirm else None,
        bracketed=pattern.startswith(r"\["),
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
# Words one of which a shop's notice subject holds (any case)
_KEYWORD_WORDS = (
    *("order", "bestell", "tilau", "pasūt", "commande", "shipment", "sendung", "lähetys"),
    *("sūtījum", "refund", "erstatt", "hyvit", "credit memo", "package", "paket", "delivered"),
    *("zugestellt", "toimitettu"),
)
# Letters that the regex engine, ignoring case, takes for i and s, and str.lower() does not
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def _has_keyword(subject: str) -> bool:
    """A keyword in the subject, in any case: as a case-blind regex of the words would find,
    with `in` on a lower-case copy (the words' letters fold alike both ways, once the odd
    i and s forms are folded first)."""
    if not subject.isascii() and (
        "\u0130" in subject or "\u0131" in subject or "\u017f" in subject
    ):
        subject = subject.translate(_FOLD)
    low = subject.lower()
    return any(word in low for word in _KEYWORD_WORDS)


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
    bracketed = subject.startswith("[")
    for rule in rules:
        if rule.bracketed and not bracketed:
            continue  # cannot match: spares the regex
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
    elif not _REPLY.match(subj) and (sender or _has_keyword(subj)):
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
