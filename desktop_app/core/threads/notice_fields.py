"""Labelled values, postal addresses and order lines as platforms print them in notices."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from desktop_app.core.threads.notice_text import _I, _IM, parse_amount
from desktop_app.core.threads.records import Address, OrderItem

# ----------------------------------------------------------------------------- labelled values


class _Label:
    """A pattern that matches whole lines from their start (a label and its value, a heading).

    Found at the body's start with `first`, after each newline with `rest`: a pattern that
    starts with a newline is scanned for as fast as a literal, one that starts with `^` is
    tried at every character.
    """

    __slots__ = ("first", "rest")

    def __init__(self, line: str) -> None:
        self.first = re.compile(rf"^{line}", _IM)
        self.rest = re.compile(rf"\n{line}", _IM)

    def match(self, line: str) -> re.Match[str] | None:
        """The pattern at the start of `line`."""
        return self.first.match(line)

    def finditer(self, body: str) -> Iterator[tuple[int, int, re.Match[str]]]:
        """(start, end, match) of each line of `body` the pattern matches, in order."""
        m = self.first.match(body)
        if m is not None:
            yield 0, m.end(), m
        for m in self.rest.finditer(body):
            yield m.start() + 1, m.end(), m

    def search(self, body: str) -> tuple[int, int, re.Match[str]] | None:
        """(start, end, match) of the first line the pattern matches, or None."""
        return next(self.finditer(body), None)


def _first_letters(words: str) -> str:
    """The first letters of the alternatives in `words` ("total|summe" -> "st"), or "" when an
    alternative does not start with a plain letter."""
    alternatives, depth, start = [], 0, 0
    for i, c in enumerate(words):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            alternatives.append(words[start:i])
            start = i + 1
    alternatives.append(words[start:])
    if not all(a[:1].isalpha() and a[1:2] not in ("?", "*", "{") for a in alternatives):
        return ""
    return "".join(sorted({a[0] for a in alternatives}))


def _labels(words: str) -> _Label:
    # A lookahead for the words' first letters turns most lines away in one test
    first = _first_letters(words)
    gate = f"(?=[{first}])" if first else ""
    return _Label(rf"{gate}(?:{words})(?![^\W\d_])[ \t]*[:\uff1a]?[ \t]*(?P<v>[^\n]*)$")


def _heading(words: str) -> _Label:
    """A line naming an address block ("Billing address", "== Lieferadresse ==")."""
    first = _first_letters(words)
    gate = f"(?=[=\\-* {first}])" if first else ""
    return _Label(rf"{gate}[=\-* ]*(?:{words})[ :=\-*]*$")


def _values(rx: _Label, body: str) -> Iterator[str]:
    """Each labelled value: on the label's line, or on the next non-empty line."""
    for _, end, m in rx.finditer(body):
        value = m["v"].strip()
        if not value:
            rest = body[end : end + 400].lstrip("\n")
            value = rest.split("\n", 1)[0].strip()
            if "\t" in value or value.endswith(":"):
                continue  # the next line is a row or label of its own
        if value:
            yield value


def _first(rx: _Label, body: str) -> str:
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

_HEAD_BILLING = _heading(
    r"billing (?:address|info(?:rmation)?|details)|payment address|invoice address|"
    r"bill to|rechnungsadresse|rechnungsanschrift|laskutusosoite|norēķinu adrese|maksātāja adrese|"
    r"adresse de facturation"
)
_HEAD_SHIPPING = _heading(
    r"shipping (?:address|info(?:rmation)?|details)|delivery address|ship(?:ping)? to|"
    r"deliver to|lieferadresse|versandadresse|lieferanschrift|toimitusosoite|piegādes adrese|"
    r"adresse de livraison"
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


def _address_lines(body: str, head: _Label) -> list[str]:
    found = head.search(body)
    if found is None:
        return []
    lines: list[str] = []
    for line in body[found[1] :].lstrip("\n").split("\n")[:12]:
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


_DIGIT = re.compile(r"\d")
_MONEY_CELL = re.compile(
    r"[-\u2212\u2013]?\s?(?:[A-Z]{3}|[A-Z]{0,2}[$€£¥₹])?\s?[-\u2212]?[\d.,' ]+\s?"
    r"(?:[€£¥₹]|zł|[A-Z]{3})?"
)
_CODE_LIKE = re.compile(r"[A-Za-z0-9._/-]+")
_TITLE_SKU = re.compile(r"(?P<t>.+?) \(#(?P<s>[^)]+)\)")
_HASH_SKU = re.compile(r"\(#(?P<v>[^)]+)\)")
_PRESTA_TABLE = re.compile(r"reference\tproduct\t", _I)
_NON_DIGIT = re.compile(r"\D")


def _is_money(cell: str) -> bool:
    return bool(_DIGIT.search(cell)) and bool(_MONEY_CELL.fullmatch(cell))


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
            titles = [c for c in other if " " in c or not _CODE_LIKE.fullmatch(c)]
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
    m = _TITLE_SKU.fullmatch(title)
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
            if sm := (_SKU.match(nxt) or _HASH_SKU.fullmatch(nxt)):
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
    start = next((i for i, x in enumerate(lines) if _PRESTA_TABLE.match(x)), -1)
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


_ITEM_FIELD_KEYS = (
    r"item|item name|product|artikel|artikelname|tuote|listing|item id|item number|"
    r"artikelnummer|listing id|sku|asin|quantity|qty|quantity sold|menge|anzahl|määrä|daudzums|"
    r"price|item price|sold for|sale price|unit price|preis|verkaufspreis|hinta|cena"
)
_L_ITEM_FIELD = _Label(
    rf"(?=[{_first_letters(_ITEM_FIELD_KEYS)}])(?P<k>{_ITEM_FIELD_KEYS})"
    r"[ \t]*:[ \t]*(?P<v>\S[^\n]*)$"
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

    for start, _, m in _L_ITEM_FIELD.finditer(body):
        key, value = m["k"].lower(), m["v"].strip()
        if key in ("item", "item name", "product", "artikel", "artikelname", "tuote", "listing"):
            flush()
            cur["title"] = value
        elif key in ("item id", "item number", "artikelnummer", "listing id"):
            if cur.get("no"):
                flush()
            cur["no"] = _NON_DIGIT.sub("", value)
            if not cur.get("title"):
                before = body[:start].rstrip("\n").rsplit("\n", 1)[-1].strip()
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
