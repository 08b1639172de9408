"""Amounts, dates and the plain text of platform notices (their HTML cut into lines and cells)."""

from __future__ import annotations

import html as htmllib
import re
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

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
