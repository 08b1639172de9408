"""The words and number shapes that introduce an order number, in our merchants' languages.

What `order_refs` looks for: order, receipt and item words (English, German, Finnish, Latvian,
Hindi, Armenian and more), the shapes of marketplace numbers, and what is never an order number.
"""

from __future__ import annotations

import re

MAX_BODY_CHARS = 50_000  # longer bodies are scanned up to here only

# Speed: Python's regex engine scans text fast only for a literal. So every rule is tried only
# where one of its lower-case "anchors" (found with str.find) occurs, at a known offset before it.

_D = "[0-9\u0966-\u096f]"  # ASCII and Devanagari digits
_TO_ASCII = str.maketrans({chr(0x0966 + i): str(i) for i in range(10)})
_H = r"[ \t\u00a0\u202f]"  # horizontal space
_LETTER = r"[^\W\d_]"
_AMAZON = r"[0-9D][0-9]{2}-[0-9]{7}-[0-9]{7}"  # 3-7-7; digital orders start with D01
_EBAY_ORDER = r"[0-9]{2}-[0-9]{5}-[0-9]{5}"  # 2-5-5

# Words for "order"; stems list their own endings (Finnish, Latvian, Armenian, Polish, Russian).
_ORDER_WORDS = (
    # English; Swedish, Danish, Norwegian, Dutch
    r"orders?",
    r"order(?:nummer|numret|nr\.?)",
    r"ordre(?:nummer|nr\.?)?",
    r"beställning(?:en|ar|snummer|snr\.?)?",
    r"bestilling(?:en|snummer|snr\.?)?",
    r"bestelling(?:en)?",
    r"bestel(?:nummer|-?nr\.?)",
    # German
    r"bestellung(?:en)?",
    r"bestell(?:-|ungs)?(?:nummer|nr\.?)",
    r"auftr(?:ag|äge)",
    r"auftrags-?(?:nummer|nr\.?)",
    # Finnish, Latvian, Armenian, Polish, Russian: a stem and any case ending
    rf"tilau(?:s|ks){_LETTER}*",
    rf"pas[uū]t[iī]jum{_LETTER}*",
    rf"պատվեր{_LETTER}*",
    rf"zamówieni{_LETTER}*",
    rf"заказ{_LETTER}*",
    # Hindi
    r"ऑर्डर",
    r"आर्डर",
    r"आदेश",
    # French, Spanish, Portuguese, Italian
    r"commandes?",
    r"pedidos?",
    r"encomendas?",
    r"ordin[ei]",
)
# Words for "reference": followed by a PrestaShop reference, or by digits only after a '#'.
_REFERENCE_WORDS = (
    r"references?",
    r"référence",
    r"referencia",
    r"referência",
    r"riferimento",
    r"referenz",
    r"bestellreferenz",
    r"ref\.?",
    r"viite",
    r"atsauce",
    r"संदर्भ",
)
# (lower-case literal, characters the word starts before it): every word above starts at one.
_KEYWORD_ANCHORS = (
    ("ord", 0),  # order, ordre, ordine
    ("best", 0),
    ("auftr", 0),
    ("tilau", 0),
    ("jum", 6),  # pasūtījum, pasutijum
    ("պատվեր", 0),
    ("zamówieni", 0),
    ("заказ", 0),
    ("र्डर", 1),  # ऑर्डर, आर्डर
    ("आदेश", 0),
    ("commande", 0),
    ("pedido", 0),
    ("encomenda", 0),
    ("ref", 0),
    ("réf", 0),
    ("rif", 0),
    ("viite", 0),
    ("atsauce", 0),
    ("संदर्भ", 0),
)
# Between the keyword and the number: "no.", "#", ":", "number", "ID", "№", "नंबर", "համար", ...
_NUMBER_WORDS = (
    r"numbers?",
    r"num\.?",
    r"no\.?",
    r"nr\.?",
    r"nro\.?",
    r"n[°º]",
    r"n\.\s?º",
    r"n\.?",
    r"id",
    r"ref(?:erence)?\.?",
    r"nummer",
    r"numero",
    r"numéro",
    r"número",
    r"numer",
    r"numur[sua]",
    r"номер",
    r"संख्या",
    r"नंबर",
    r"नम्बर",
    r"नं\.?",
    r"क्रमांक",
    r"आईडी",
    r"का",
    r"की",
    r"के",
    rf"համար{_LETTER}*",
)
# Allowed in between too, but they do not make a bare keyword specific ("order is 1234").
_WEAK_WORDS = (
    *(r"update", r"is", r"was", r"ist", r"lautet", r"war", r"on", r"oli", r"ir", r"bija", r"է"),
    *(r"är", r"var", r"er", r"est", r"était", r"es", r"era", r"é", r"è"),
)
_CONNECTOR = (
    rf"(?:{_H}*-?(?:[:#№]|(?:{'|'.join(_NUMBER_WORDS + _WEAK_WORDS)})"
    rf"(?!{_LETTER}|[\u0900-\u097f])))"
)
_WEAK_CONNECTOR = re.compile(rf"(?:[\s:-]|(?:{'|'.join(_WEAK_WORDS)})(?!{_LETTER}))*", re.I)
_UPDATE = re.compile(r"update", re.I)
_NUMBER_IN_WORD = re.compile(r"num|nr", re.I)
_NUMBER_BEFORE = re.compile(
    r"(?:n[uú]m[eé]ro|number|nummer|numer|n[°º])(?:\s+(?:de|del|do|da|of))?\s+$", re.I
)
_UNITS = (
    r"eur|euros?|usd|dollars?|gbp|sek|nok|dkk|chf|inr|amd|rs|kr|pcs|pieces|stk|stück|kpl|gab"
    r"|x|items?|units?"
)
# What may not follow a number: more digits or letters, decimals, dates, ranges, times, units.
_DIGITS_END = rf"(?!{_D}|{_LETTER}|[.,:/-]{_D}|{_H}?(?:[€$£₹֏%\u00d7]|(?:{_UNITS})(?!{_LETTER})))"
_REF_END = r"(?![^\W_])"
_WORD_START = r"(?<![\w\u0900-\u097f])"
_WORD_END = rf"(?!{_LETTER}|[\u0900-\u097f])"
_YEAR = re.compile(r"(?:19|20)[0-9]{2}")

# Capital 9-letter words that are not PrestaShop references.
_NOT_REFERENCES = frozenset(
    (
        "CONFIRMED", "CANCELLED", "COMPLETED", "DELIVERED", "PROCESSED", "SUBMITTED",
        "FULFILLED", "AVAILABLE", "SHIPMENTS", "REFERENCE", "CUSTOMERS", "QUESTIONS",
        "RECEIVING", "RETURNING", "TRACKINGS", "CONFIRMER", "BESTELLEN", "ERHALTENE",
    )
)  # fmt: skip

# Amazon and eBay order numbers anywhere: found at their first "-", checked from their start.
# A case ending may follow after a hyphen (Armenian "304-1234567-1234567-ը"), nothing else.
_SHAPE_END = r"(?!\w|-[0-9A-Za-z])"
_SHAPE_DASH = re.compile(rf"-(?:[0-9]{{7}}-[0-9]{{7}}|[0-9]{{5}}-[0-9]{{5}}){_SHAPE_END}")
_SHAPE = re.compile(rf"(?<![\w+-])(?:(?P<amazon>{_AMAZON})|{_EBAY_ORDER}){_SHAPE_END}")

_ITEMS = re.compile(
    rf"(?:{_WORD_START}(?:(?:item|artikel)(?:{_H}*(?:number|no\.?|nr\.?|id|#|:|nummer))*"
    rf"|artikel-?nummer)|/itm/(?:[^\s/]+/)?)\s{{0,3}}#?{_H}?(?P<ebay>[0-9]{{12}})(?![0-9])"
    rf"|{_WORD_START}listing(?:{_H}*(?:number|no\.?|id|#|:)|/)*"
    rf"\s{{0,3}}#?{_H}?(?P<etsy>[0-9]{{6,11}})(?![0-9])",
    re.I,
)
_ITEM_ANCHORS = (("item", 0), ("artikel", 0), ("/itm/", 0), ("listing", 0))
_RECEIPT = re.compile(
    rf"{_WORD_START}receipt(?:{_H}*(?:number|no\.?|id|#|:))*{_H}*#?(?P<num>[0-9]{{9,11}})"
    r"(?![0-9]|[.,-][0-9])",
    re.I,
)
_RECEIPT_ANCHORS = (("receipt", 0),)

# Subject-only rules.
_BARE_BLOCKERS = frozenset(
    (
        "ticket", "tickets", "case", "invoice", "inv", "rechnung", "lasku", "faktura", "facture",
        "factura", "fattura", "rēķins", "pr", "pull", "issue", "issues", "bug", "bugs", "task",
        "story", "sku", "art", "item", "artikel", "kunde", "customer", "tracking", "shipment",
        "lieferschein", "sendung", "credit", "gutschrift", "quote", "angebot", "version",
        "request", "mr", "incident", "tiketti", "pieteikums",
    )
)  # fmt: skip
_WORD_BEFORE = re.compile(rf"({_LETTER}+)\W*(?:(?:no|nr|number|nummer|numero)\.?\W*)?$", re.I)
_LIST_TAG = re.compile(r"\[[^\]\s]+/[^\]\s]+\]|\[PATCH\b|\[RFC\b", re.I)
_PRESTASHOP_SUBJECT = re.compile(r"#[0-9]+\s+-\s+(?P<ref>[A-Z]{9})(?![^\W_])")
_ETSY_SUBJECT = re.compile(r"\betsy\b.*\((?P<num>[0-9]{9,11})\)", re.I)
_EBAY_SUBJECT = re.compile(r"\bebay\b.*[#(](?P<num>[0-9]{12})(?![0-9])", re.I)
_REPLY_PREFIX = re.compile(
    r"^(?:\s*(?:re|fwd?|aw|wg|sv|vs|vl|tr|rif|r)\s*(?:\[\d+\])?\s*:\s*)*", re.I
)
_SUBJECT_TEMPLATES = (
    (re.compile(r"^\[[^\]]+\]:\s+(?:new order|you've got a new order:?)\s+#", re.I), "woocommerce"),
    (re.compile(r"^\[[^\]]+\]:\s+order #\S+ has (?:been cancelled|failed)", re.I), "woocommerce"),
    (re.compile(r"^your .+ order #\S+ has been (?:partially )?refunded", re.I), "woocommerce"),
    (re.compile(r"^(?:details|invoice) for order #\S+ on ", re.I), "woocommerce"),
    (re.compile(r"^order #\S+ confirmed\b", re.I), "shopify"),
    (re.compile(r"^order confirmation for order #", re.I), "shopify"),
    (re.compile(r"^\[[^\]]+\] order #\S+ placed by ", re.I), "shopify"),
    (re.compile(r": new order # ?[0-9]{9}\b", re.I), "magento"),
    (re.compile(r" - order (?:update )?[0-9]+\s*$", re.I), "opencart"),
    (re.compile(r"^\[[^\]]+\] new order : #", re.I), "prestashop"),
    (re.compile(r"\betsy\b", re.I), "etsy"),  # "You made a sale on Etsy - ... Order #1234567890"
    (re.compile(r"\bebay\b", re.I), "ebay"),
)

# Between numbers of a list: "1001, 1002 and 1003", "1001 und 1002", "1001 ja 1002".
_LIST_SEPARATORS = r",|&|/|\+|and|und|ja|un|och|et|y|e|или|и|और|և|ու|or|oder|tai"
