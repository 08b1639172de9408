"""Read Shopify and WooCommerce order export CSV files into one OrderRecord per order."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from desktop_app.core.threads.notices import parse_amount, parse_date
from desktop_app.core.threads.records import Address, OrderItem, OrderRecord

__all__ = ["read_orders_csv"]

# Header aliases, compared after _key(): lower case, letters and digits only, and
# "First Name (Billing)" read as "billing first name".
_ADDRESS = {
    "name": ("name", "fullname"),
    "first": ("firstname",),
    "last": ("lastname",),
    "company": ("company",),
    "street": ("street",),
    "addr1": ("address1", "address12", "address", "addressline1"),
    "addr2": ("address2", "addressline2"),
    "city": ("city",),
    "zip": ("zip", "postcode", "postalcode", "zipcode"),
    "region": ("provincename", "province", "state", "statename", "statecode", "county"),
    "country": ("country", "countryname", "countrycode"),
    "phone": ("phone", "telephone"),
}


def _address_aliases(prefix: str) -> dict[str, tuple[str, ...]]:
    return {f"{prefix[0]}_{k}": tuple(prefix + a for a in v) for k, v in _ADDRESS.items()}


_SHOPIFY: dict[str, tuple[str, ...]] = {
    "display": ("name",),
    "email": ("email",),
    "financial": ("financialstatus",),
    "fulfillment": ("fulfillmentstatus",),
    "shipped_at": ("fulfilledat",),
    "cancelled_at": ("cancelledat",),
    "placed_at": ("createdat",),
    "currency": ("currency",),
    "total": ("total",),
    "item_title": ("lineitemname",),
    "item_qty": ("lineitemquantity",),
    "item_price": ("lineitemprice",),
    "item_sku": ("lineitemsku",),
    **_address_aliases("billing"),
    **_address_aliases("shipping"),
}
_WOO: dict[str, tuple[str, ...]] = {
    "display": ("ordernumber", "orderno", "order", "orderid"),
    "placed_at": ("orderdate", "datecreated", "orderdatecreated", "date", "createdat"),
    "shipped_at": ("datecompleted", "completeddate", "ordercompleteddate", "completedat"),
    "status": ("orderstatus", "status"),
    "email": ("billingemail", "email", "customeremail", "emailbilling"),
    "currency": ("ordercurrency", "currency"),
    "total": ("ordertotal", "ordertotalamount", "total", "ordertotalincltax"),
    "item_title": ("itemname", "productname", "lineitemname", "item", "product"),
    "item_qty": ("quantity", "qty", "itemquantity", "itemqty", "quantityrefund"),
    "item_price": ("itemcost", "itemprice", "costperitem", "unitprice", "productprice", "price"),
    "item_total": ("itemtotal", "linetotal", "lineitemtotal", "itemsubtotal"),
    "item_sku": ("sku", "itemsku", "productsku"),
    "carrier": ("trackingprovider", "shippingprovider", "carrier"),
    "tracking": ("trackingnumber", "trackingno"),
    **_address_aliases("billing"),
    **_address_aliases("shipping"),
}
_WOO_STATUS = {
    "pending": "placed", "onhold": "placed", "processing": "paid", "completed": "shipped",
    "cancelled": "cancelled", "refunded": "refunded", "wartend": "placed",
    "inwartestellung": "placed", "zahlungausstehend": "placed", "inbearbeitung": "paid",
    "abgeschlossen": "shipped", "storniert": "cancelled", "rückerstattet": "refunded",
    "zurückerstattet": "refunded",
}  # fmt: skip


class _Reader(Protocol):
    """What is used of csv.reader."""

    line_num: int

    def __iter__(self) -> Iterator[list[str]]: ...

    def __next__(self) -> list[str]: ...


class _BadRow(ValueError):
    """A row that cannot be read; the message says why."""


@dataclass(frozen=True, slots=True)
class _Format:
    platform: str
    columns: dict[str, int]  # canonical field -> column index
    width: int


@dataclass(slots=True)
class _Order:
    """An order being put together from its rows."""

    number: str
    platform: str
    fields: dict[str, str] = field(default_factory=dict)
    values: dict[str, object] = field(default_factory=dict)
    items: list[OrderItem] = field(default_factory=list)


def read_orders_csv(path: Path, problems: list[str] | None = None) -> Iterator[OrderRecord]:
    """One OrderRecord (source="csv") per order in a Shopify or WooCommerce order export.

    The file's encoding (UTF-8 with or without BOM, UTF-16 with BOM, else cp1252) and
    delimiter (comma, semicolon or tab) are detected; line-item rows are grouped by order.
    Raises ValueError with a plain sentence at once when the file is empty or is not such an
    export. Rows that cannot be read (wrong number of fields, no order number, a quantity,
    amount or date that is not one) are skipped; when `problems` is given, a sentence naming
    the file and line is appended for each, by the time the iterator is exhausted.
    """
    text = decode_csv(path.read_bytes())
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text))
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        raise ValueError(f"{path.name} is empty: there is no header row with column names.")
    fmt = _detect(header, path.name)
    return _records(path.name, fmt, reader, problems if problems is not None else [])


def decode_csv(data: bytes) -> str:
    """A CSV file's text: UTF-8 with or without BOM, UTF-16 with BOM, else cp1252 (Excel)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def csv_delimiter(text: str) -> str:
    """The delimiter of a CSV text's header line: comma, semicolon or tab."""
    first = text.split("\n", 1)[0]
    first = re.sub(r'"[^"]*"', "", first)  # separators inside quoted names do not count
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _key(header: str) -> str:
    h = header.strip().lstrip("\ufeff").lower()
    m = re.fullmatch(r"(.+?)\s*\((billing|shipping)\)", h)
    if m:
        h = f"{m[2]} {m[1]}"
    return re.sub(r"[^a-z0-9]", "", h)


def _columns(keys: list[str], aliases: dict[str, tuple[str, ...]]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for name, options in aliases.items():
        for option in options:  # the first alias present wins: "Order Number" over "Order ID"
            if option in keys:
                columns[name] = keys.index(option)
                break
    return columns


def _detect(header: list[str], filename: str) -> _Format:
    keys = [_key(h) for h in header]
    if "name" in keys and ("lineitemname" in keys or "financialstatus" in keys):
        return _Format("shopify", _columns(keys, _SHOPIFY), len(header))
    columns = _columns(keys, _WOO)
    if "display" in columns and len(columns) >= 3:
        return _Format("woocommerce", columns, len(header))
    raise ValueError(
        f"{filename} does not look like a Shopify or WooCommerce order export: "
        "no 'Name'/'Order ID' column."
    )


def _rows(filename: str, reader: _Reader) -> Iterator[list[str]]:
    """The reader's rows; a file it cannot read on (a quote never closed) is a plain error."""
    try:
        yield from reader
    except csv.Error as exc:
        raise ValueError(
            f"{filename} cannot be read past line {reader.line_num} ({exc}): a quote may "
            "not be closed. Export the orders again, or open and save the file in a "
            "spreadsheet program."
        ) from None


def _records(
    filename: str, fmt: _Format, reader: _Reader, problems: list[str]
) -> Iterator[OrderRecord]:
    orders: dict[str, _Order] = {}
    end = reader.line_num  # the physical line each row ends on (quoted fields may span lines)
    for cells in _rows(filename, reader):
        where, end = f"{filename} line {end + 1}", reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != fmt.width:
            problems.append(
                f"{where}: {len(cells)} fields where the header has {fmt.width}; row skipped."
            )
            continue
        row = {name: cells[i].strip() for name, i in fmt.columns.items()}
        try:
            _add_row(orders, fmt.platform, row)
        except _BadRow as exc:
            problems.append(f"{where}: {exc}; row skipped.")
    for order in orders.values():
        yield _record(order)


def _add_row(orders: dict[str, _Order], platform: str, row: dict[str, str]) -> None:
    display = row.get("display", "")
    digits = re.findall(r"\d+", display)
    if not digits:
        raise _BadRow(f"no order number ({display!r})" if display else "no order number")
    number = max(digits, key=len)
    values = _row_values(row)  # raises before anything of this row is kept
    order = orders.setdefault(number, _Order(number, platform))
    for name, value in row.items():
        if value and not name.startswith("item_"):
            order.fields.setdefault(name, value)
    for name, typed in values.items():
        if name != "item" and typed is not None:
            order.values.setdefault(name, typed)
    item = values.get("item")
    if isinstance(item, OrderItem):
        order.items.append(item)


def _row_values(row: dict[str, str]) -> dict[str, object]:
    """The typed values of one row; _BadRow when one of them cannot be read."""
    values: dict[str, object] = {}
    for name in ("placed_at", "shipped_at", "cancelled_at"):
        if row.get(name):
            values[name] = _date(row, name)
    if row.get("total"):
        values["total"], currency = _amount(row, "total")
        values["currency_seen"] = currency or None
    if row.get("item_title"):
        values["item"] = _item(row)
    return values


_LABELS = {
    "placed_at": "the order date",
    "shipped_at": "the fulfilment date",
    "cancelled_at": "the cancellation date",
    "total": "the total",
    "item_price": "the item price",
    "item_total": "the item total",
    "item_qty": "the quantity",
}


def _date(row: dict[str, str], name: str) -> datetime:
    value = parse_date(row[name])
    if value is None:
        raise _BadRow(f"{_LABELS[name]} {row[name]!r} is not a date")
    return value


def _amount(row: dict[str, str], name: str) -> tuple[Decimal, str]:
    text = row[name]
    found = parse_amount(text)
    if found is None or re.search(r"\d[^\d\s.,'\u2019]+\d", text):
        raise _BadRow(f"{_LABELS[name]} {text!r} is not an amount")
    return found


def _item(row: dict[str, str]) -> OrderItem:
    qty_text = row.get("item_qty") or "1"
    if not re.fullmatch(r"\d+(?:[.,]0+)?", qty_text):
        raise _BadRow(f"{_LABELS['item_qty']} {qty_text!r} is not a whole number")
    qty = int(re.split(r"[.,]", qty_text)[0])
    price: Decimal | None = None
    if row.get("item_price"):
        price = _amount(row, "item_price")[0]
    elif row.get("item_total"):
        total = _amount(row, "item_total")[0]
        price = total / qty if qty > 1 else total
    return OrderItem(row["item_title"], qty, row.get("item_sku", ""), price)


def _status(order: _Order) -> str | None:
    f = order.fields
    if order.platform == "woocommerce":
        key = re.sub(r"[^a-zäöüß]", "", f.get("status", "").lower().removeprefix("wc-"))
        return _WOO_STATUS.get(key)
    financial, fulfilment = f.get("financial", "").lower(), f.get("fulfillment", "").lower()
    if f.get("cancelled_at"):
        return "cancelled"
    if financial == "refunded":
        return "refunded"
    if fulfilment in ("fulfilled", "partial"):
        return "shipped"
    if financial in ("paid", "partially_paid", "partially_refunded"):
        return "paid"
    return "placed" if financial or fulfilment else None


def _address(fields: dict[str, str], p: str) -> Address | None:
    def get(name: str) -> str:
        return fields.get(f"{p}_{name}", "")

    name = get("name") or " ".join(x for x in (get("first"), get("last")) if x)
    street = get("addr1") or get("street")
    lines = tuple(x for x in (get("company"), street, get("addr2")) if x)
    postcode = get("zip").lstrip("'")  # Shopify keeps leading zeros with a quote
    parts = (name, lines, get("city"), postcode, get("region"), get("country"), get("phone"))
    if not any(parts):
        return None
    return Address(name, lines, get("city"), postcode, get("region"), get("country"), get("phone"))


def _record(order: _Order) -> OrderRecord:
    f, v = order.fields, order.values
    billing, shipping = _address(f, "b"), _address(f, "s")
    total = v.get("total")
    currency = f.get("currency", "") or str(v.get("currency_seen") or "")
    status = _status(order)
    placed, shipped = v.get("placed_at"), v.get("shipped_at")
    display = f.get("display", "")
    if order.platform == "woocommerce" and display.isdigit():
        display = f"#{display}"  # as WooCommerce shows it
    return OrderRecord(
        number=order.number,
        platform=order.platform,
        number_display=display,
        status=status,
        placed_at=placed if isinstance(placed, datetime) else None,
        shipped_at=shipped if isinstance(shipped, datetime) else None,
        customer_name=(billing.name if billing else "") or (shipping.name if shipping else ""),
        customer_email=f.get("email", ""),
        billing_address=billing,
        shipping_address=shipping,
        items=tuple(order.items),
        total=total if isinstance(total, Decimal) else None,
        currency=currency.upper(),
        carrier=f.get("carrier", ""),
        tracking_number=f.get("tracking", ""),
        source="csv",
    )
