"""read_orders_csv on Shopify and WooCommerce exports: grouping, encodings, delimiters, bad rows."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from desktop_app.core.threads.orders_csv import read_orders_csv
from desktop_app.core.threads.records import Address, OrderItem, OrderRecord

FIXTURES = Path(__file__).parent / "fixtures"


def read(path: Path) -> tuple[list[OrderRecord], list[str]]:
    problems: list[str] = []
    return list(read_orders_csv(path, problems)), problems


def test_shopify_export_groups_line_items_into_orders() -> None:
    orders, problems = read(FIXTURES / "shopify_orders.csv")
    assert problems == []
    assert [o.number_display for o in orders] == ["#NL-1001", "#NL-1002", "#NL-1003"]
    first = orders[0]
    assert first == OrderRecord(
        number="1001",
        platform="shopify",
        number_display="#NL-1001",
        status="shipped",
        placed_at=datetime(2026, 3, 3, 13, 15, 58),  # 14:15:58 +0100, as naive UTC
        shipped_at=datetime(2026, 3, 5, 9, 2, 11),
        customer_name="Jane Doe",
        customer_email="jane.doe@example.org",
        billing_address=Address(
            "Jane Doe", ("Musterstraße 12",), "Berlin", "10115", "", "DE", "+49 30 1234567"
        ),
        shipping_address=Address(
            "Jane Doe",
            ("Musterstraße 12", "Hinterhaus"),
            "Berlin",
            "10115",
            "",
            "DE",
            "+49 30 1234567",
        ),
        items=(
            OrderItem("Rose Face Oil 30 ml", 2, "RFO-30", Decimal("26.90")),
            OrderItem("Lavender Night Cream 50 ml", 1, "LNC-50", Decimal("24.90")),
        ),
        total=Decimal("83.60"),
        currency="EUR",
        source="csv",
    )


def test_shopify_status_zip_quote_region_and_thousands() -> None:
    orders, _ = read(FIXTURES / "shopify_orders.csv")
    cancelled, paid = orders[1], orders[2]
    assert cancelled.status == "cancelled"
    assert cancelled.placed_at == datetime(2026, 3, 4, 7, 0, 12)
    assert cancelled.billing_address is not None
    assert cancelled.billing_address.postcode == "00100"  # Shopify's leading quote removed
    assert paid.status == "paid"
    assert paid.total == Decimal("1237.50")
    assert paid.currency == "USD"
    assert paid.billing_address is not None
    assert paid.billing_address.lines == ("Porter Design LLC", "500 Market St", "Apt 12")
    assert paid.billing_address.region == "California"


def test_woocommerce_semicolons_bom_german_amounts_and_bad_rows() -> None:
    data = (FIXTURES / "woocommerce_orders_de.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    orders, problems = read(FIXTURES / "woocommerce_orders_de.csv")
    assert [o.number for o in orders] == ["1234", "1235"]
    first = orders[0]
    assert first.platform == "woocommerce"
    assert first.number_display == "#1234"
    assert first.status == "shipped"  # "Abgeschlossen"
    assert first.placed_at == datetime(2026, 3, 4, 16, 5)
    assert first.total == Decimal("1181.75")
    assert first.currency == "EUR"
    assert first.customer_name == "Anna Müller"
    assert first.customer_email == "anna.mueller@example.de"
    assert first.items == (
        OrderItem("Bio-Kaffee Espresso 500 g", 2, "KAF-ESP-500", Decimal("13.90")),
        OrderItem("Handfilter Porzellan", 1, "HF-P1", Decimal("1149.00")),
    )
    assert first.shipping_address == Address(
        "Anna Müller", ("c/o Weber", "Hauptstraße 21"), "Leipzig", "04177", "", "DE", ""
    )
    assert orders[1].status == "paid"
    assert orders[1].shipping_address is None
    assert problems == [
        "woocommerce_orders_de.csv line 4: 33 fields where the header has 32; row skipped.",
        "woocommerce_orders_de.csv line 6: the quantity 'zwei' is not a whole number; row skipped.",
    ]


def test_cp1252_file_and_plugin_style_headers(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    text = (
        "Order Number,Order Status,Order Date,First Name (Billing),Last Name (Billing),"
        "Email (Billing),Address 1&2 (Billing),City (Billing),Postcode (Billing),"
        "Country Code (Billing),Order Total Amount,Item Name,SKU,Quantity (- Refund),Item Cost\n"
        "88,wc-processing,2026-03-01 12:00:00,Jürgen,Groß,jg@example.de,Königstraße 5,"
        'Stuttgart,70173,DE,"1.050,00",Café-Set,CS-1,2,"525,00"\n'
    )
    path.write_bytes(text.encode("cp1252"))
    orders, problems = read(path)
    assert problems == []
    (order,) = orders
    assert (order.number, order.status, order.customer_name) == ("88", "paid", "Jürgen Groß")
    assert order.total == Decimal("1050.00")
    assert order.items == (OrderItem("Café-Set", 2, "CS-1", Decimal("525.00")),)
    assert order.billing_address is not None
    assert order.billing_address.lines == ("Königstraße 5",)


def test_tab_separated_utf16_and_rows_out_of_order(tmp_path: Path) -> None:
    path = tmp_path / "orders.txt"
    rows = [
        "Order ID\tOrder Date\tOrder Status\tOrder Total\tOrder Currency\tItem Name\tQuantity"
        "\tItem Total",
        "7\t03/07/2026\tcompleted\t$30.00\tUSD\tMug\t2\t$20.00",
        "8\tMarch 8, 2026\tcancelled\t$5.00\tUSD\tSpoon\t1\t$5.00",
        "7\t03/07/2026\tcompleted\t$30.00\tUSD\tPlate\t1\t$10.00",
    ]
    path.write_bytes("\r\n".join(rows).encode("utf-16"))
    orders, problems = read(path)
    assert problems == []
    assert [(o.number, o.status, len(o.items)) for o in orders] == [
        ("7", "shipped", 2),
        ("8", "cancelled", 1),
    ]
    assert orders[0].items[0] == OrderItem("Mug", 2, "", Decimal("10.00"))
    assert orders[0].placed_at == datetime(2026, 3, 7)


def test_bad_dates_and_amounts_and_missing_numbers_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(
        "Order ID,Order Date,Order Total,Item Name,Quantity\n"
        "1,yesterday,10.00,A,1\n"
        "2,2026-03-01,ten,B,1\n"
        ",2026-03-01,5.00,C,1\n"
        "3,2026-03-01,5.00,D,1\n",
        encoding="utf-8",
    )
    problems: list[str] = []
    iterator = read_orders_csv(path, problems)
    assert problems == []  # filled while iterating
    assert [o.number for o in iterator] == ["3"]
    assert problems == [
        "orders.csv line 2: the order date 'yesterday' is not a date; row skipped.",
        "orders.csv line 3: the total 'ten' is not an amount; row skipped.",
        "orders.csv line 4: no order number; row skipped.",
    ]
    assert [o.number for o in read_orders_csv(path)] == ["3"]  # problems are optional


def test_unknown_file_is_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text("First name,Last name,Email\nAnna,Müller,a@example.de\n", encoding="utf-8")
    with pytest.raises(ValueError) as caught:
        read_orders_csv(path)  # not iterated: the check happens on the call
    assert str(caught.value) == (
        "contacts.csv does not look like a Shopify or WooCommerce order export: "
        "no 'Name'/'Order ID' column."
    )


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n\n", b";;;\n"])
def test_empty_file_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=r"^orders\.csv is empty"):
        read_orders_csv(path)


def test_a_quote_never_closed_is_a_plain_error_and_nothing_is_imported(tmp_path: Path) -> None:
    """csv gives up on a field longer than its limit; the merchant gets a sentence."""
    from desktop_app.core.errors import ConfigError
    from desktop_app.core.mailbox import Mailbox

    path = tmp_path / "orders_export.csv"
    good = "#1001,jane@example.com,paid,Rose cream,1,29.90\n"
    path.write_text(
        "Name,Email,Financial Status,Lineitem name,Lineitem quantity,Lineitem price\n"
        + good
        + '#1002,tom@example.com,paid,"Soap never closed,1,4.50\n'
        + ("x" * 200 + "\n") * 1000
    )
    box = Mailbox.open(tmp_path / "s.sqlite3")
    with pytest.raises(ConfigError, match="cannot be read past line"):
        box.import_orders_csv(path)
    assert box.stats()["orders"] == 0
    box.close()
