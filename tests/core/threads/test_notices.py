"""parse_notice on realistic platform e-mails (fixtures/*.eml), ordinary mail, odd input, speed."""

from __future__ import annotations

import email
import time
from datetime import datetime
from decimal import Decimal
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.threads import notices
from desktop_app.core.threads.notices import parse_amount, parse_date, parse_notice
from desktop_app.core.threads.records import Address, Notice, OrderItem

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str) -> tuple[str, str, str, str | None]:
    """(From, Subject, text part, HTML part) as the mail layer hands them over."""
    msg = email.message_from_bytes((FIXTURES / name).read_bytes(), policy=policy.default)
    assert isinstance(msg, EmailMessage)
    text, html = msg.get_body(("plain",)), msg.get_body(("html",))
    return (
        str(msg["From"]),
        str(msg["Subject"]),
        text.get_content() if text else "",
        html.get_content() if html else None,
    )


def parse(name: str) -> Notice:
    notice = parse_notice(*load(name))
    assert notice is not None, name
    return notice


# ----------------------------------------------------------------------------- every fixture

EXPECTED: dict[str, dict[str, Any]] = {
    "shopify_new_order_staff.eml": dict(
        kind="order_placed", platform="shopify", number="1001", number_display="#NL-1001",
        status="placed", customer_name="Jane Doe", customer_email="jane.doe@example.org",
        total=Decimal("83.60"), currency="EUR",
    ),
    "shopify_shipping_confirmation.eml": dict(
        kind="shipped", platform="shopify", number="1001", number_display="#NL-1001",
        status="shipped", carrier="DHL", tracking_number="00340434161234567890",
        tracking_url="https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html"
        "?piececode=00340434161234567890",
    ),
    "shopify_order_confirmed_de.eml": dict(
        kind="order_placed", platform="shopify", number="1001", number_display="#1001",
        customer_name="Lukas Schmidt", total=Decimal("109.60"), currency="EUR",
    ),
    "shopify_shipped_fi.eml": dict(
        kind="shipped", platform="shopify", number="1042", carrier="Posti",
        tracking_number="JJFI64012345678901234",
        tracking_url="https://www.posti.fi/fi/seuranta#/lahetys/JJFI64012345678901234",
    ),
    "woocommerce_new_order_admin.eml": dict(
        kind="order_placed", platform="woocommerce", number="4521", number_display="#4521",
        placed_at=datetime(2026, 3, 3), customer_name="Emily Clarke",
        customer_email="emily.clarke@example.co.uk", total=Decimal("37.45"), currency="GBP",
    ),
    "woocommerce_new_order_admin_de.eml": dict(
        kind="order_placed", platform="woocommerce", number="1234", number_display="#1234",
        placed_at=datetime(2026, 3, 4), customer_name="Anna Müller",
        customer_email="anna.mueller@example.de", total=Decimal("1181.75"), currency="EUR",
    ),
    "woocommerce_new_order_admin_lv.eml": dict(
        kind="order_placed", platform="woocommerce", number="877",
        placed_at=datetime(2026, 3, 6), customer_name="Ilze Bērziņa",
        customer_email="ilze.berzina@example.lv", total=Decimal("29.49"), currency="EUR",
    ),
    "woocommerce_completed_customer.eml": dict(
        kind="shipped", platform="woocommerce", number="4521", status="shipped",
        carrier="Royal Mail", tracking_number="QF123456789GB",
        tracking_url="https://www.royalmail.com/track-your-item#/tracking-results/QF123456789GB",
    ),
    "magento_new_order.eml": dict(
        kind="order_placed", platform="magento", number="000000123",
        number_display="#000000123", placed_at=datetime(2026, 3, 3, 20, 14, 52),
        customer_name="Michael Brown", total=Decimal("1323.00"), currency="USD",
    ),
    "magento_shipped.eml": dict(
        kind="shipped", platform="magento", number="000000123",
        carrier="United Parcel Service", tracking_number="1Z999AA10123456784",
    ),
    "opencart_order_alert.eml": dict(
        kind="order_placed", platform="opencart", number="2317",
        placed_at=datetime(2026, 3, 7), total=Decimal("129.70"), currency="EUR",
    ),
    "prestashop_new_order_admin.eml": dict(
        kind="order_placed", platform="prestashop", number="12", number_display="XKBKNABJK",
        placed_at=datetime(2026, 3, 2, 17, 47, 58), customer_name="Claire Martin",
        customer_email="claire.martin@example.fr", total=Decimal("185.90"), currency="EUR",
        carrier="Colissimo",
    ),
    "prestashop_order_conf.eml": dict(
        kind="order_placed", platform="prestashop", number="XKBKNABJK",
        number_display="XKBKNABJK", customer_name="Claire Martin", total=Decimal("185.90"),
    ),
    "amazon_sold_ship_now.eml": dict(
        kind="order_placed", platform="amazon", number="112-3456789-0123456",
        placed_at=datetime(2026, 3, 3), customer_name="", total=None,
    ),
    "amazon_buyer_message.eml": dict(
        kind="message", platform="amazon", number="112-3456789-0123456",
        customer_name="Jane Doe", status=None,
    ),
    "etsy_sale.eml": dict(
        kind="order_placed", platform="etsy", number="3312345678", customer_name="Jane Doe",
        customer_email="jane.doe@example.org", total=Decimal("60.00"), currency="USD",
        placed_at=datetime(2026, 3, 3),
    ),
    "ebay_sold.eml": dict(
        kind="order_placed", platform="ebay", number="04-11234-56789", customer_name="Jane Doe",
        total=Decimal("101.50"), currency="USD", placed_at=datetime(2026, 3, 3, 15, 10, 44),
    ),
    "ebay_buyer_message.eml": dict(
        kind="message", platform="ebay", number="", customer_name="jdoe_1988",
    ),
}  # fmt: skip


def test_every_fixture_has_an_expectation() -> None:
    assert sorted(p.name for p in FIXTURES.glob("*.eml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_fields(name: str) -> None:
    notice = parse(name)
    want = dict(EXPECTED[name])
    assert notice.kind == want.pop("kind")
    assert notice.platform == want.pop("platform")
    assert notice.problems == ()
    assert notice.order.source == "notice"
    assert notice.order.platform == notice.platform
    for key, value in want.items():
        assert getattr(notice.order, key) == value, key


def test_shopify_staff_items_and_addresses() -> None:
    order = parse("shopify_new_order_staff.eml").order
    assert order.items == (
        OrderItem("Rose Face Oil 30 ml", 2, "RFO-30"),
        OrderItem("Lavender Night Cream 50 ml", 1, "LNC-50"),
    )
    assert order.shipping_address == Address(
        name="Jane Doe",
        lines=("Musterstraße 12", "Hinterhaus"),
        city="Berlin",
        postcode="10115",
        country="Germany",
        phone="+49 30 1234567",
    )
    assert order.billing_address is not None
    assert order.billing_address.lines == ("Musterstraße 12",)


def test_shopify_german_line_prices_are_per_unit() -> None:
    items = parse("shopify_order_confirmed_de.eml").order.items
    assert items == (
        OrderItem("Rose Face Oil 30 ml", 2, "RFO-30", Decimal("39.90")),
        OrderItem("Lavendel Nachtcreme 50 ml", 1, "LNC-50", Decimal("24.90")),
    )


def test_shopify_customer_copy_without_shopify_marks_is_a_generic_store() -> None:
    sender, subject, text, _ = load("shopify_order_confirmed_de.eml")
    notice = parse_notice(sender, subject, text, None)
    assert notice is not None
    assert (notice.platform, notice.order.number) == ("store", "1001")


def test_woocommerce_html_only_table_with_item_meta() -> None:
    order = parse("woocommerce_new_order_admin.eml").order
    assert order.items == (
        OrderItem("Darjeeling First Flush 100g", 2, "DJ-FF-100", Decimal("12.50")),
        OrderItem("Ceramic Tea Infuser", 1, "INF-01", Decimal("8.95")),
    )
    assert order.billing_address == Address(
        name="Emily Clarke",
        lines=("14 Rosebery Avenue", "Flat 3"),
        city="London",
        postcode="EC1R 4SX",
        phone="07700 900123",
    )


def test_woocommerce_german_plain_text() -> None:
    order = parse("woocommerce_new_order_admin_de.eml").order
    assert order.items == (
        OrderItem("Bio-Kaffee Espresso 500 g", 2, "KAF-ESP-500", Decimal("13.90")),
        OrderItem("Handfilter Porzellan", 1, "HF-P1", Decimal("1149.00")),
    )
    assert order.shipping_address is not None
    assert order.shipping_address.lines == ("c/o Weber", "Hauptstraße 21")
    assert (order.shipping_address.postcode, order.shipping_address.city) == ("04177", "Leipzig")


def test_woocommerce_latvian_improved_layout() -> None:
    order = parse("woocommerce_new_order_admin_lv.eml").order
    assert order.items == (
        OrderItem('Zāļu tēja "Rīta rasa" 50 g', 3, "ZT-RR-50", Decimal("4.50")),
        OrderItem("Māla krūze", 1, "MK-02", Decimal("12.00")),
    )
    assert order.billing_address is not None
    assert (order.billing_address.postcode, order.billing_address.city) == ("LV-1001", "Rīga")


def test_woocommerce_completed_mail_has_the_number_only_in_the_body() -> None:
    sender, subject, text, html = load("woocommerce_completed_customer.eml")
    assert "4521" not in subject
    notice = parse_notice(sender, subject, text, html)
    assert notice is not None
    assert notice.order.number == "4521"
    assert [i.title for i in notice.order.items] == [
        "Darjeeling First Flush 100g",
        "Ceramic Tea Infuser",
    ]


def test_magento_items_and_us_address() -> None:
    order = parse("magento_new_order.eml").order
    assert order.items == (
        OrderItem("Trailblazer Hiking Backpack 35L", 1, "TB-PACK-35", Decimal("1249.00")),
        OrderItem("Merino Hiking Socks", 3, "MHS-L-GRY", Decimal("18.00")),
    )
    assert order.billing_address == Address(
        name="Michael Brown",
        lines=("1200 Barton Springs Rd", "Suite 4"),
        city="Austin",
        postcode="78704",
        region="Texas",
        country="United States",
        phone="512-555-0147",
    )


def test_opencart_rows_model_name_quantity_total() -> None:
    assert parse("opencart_order_alert.eml").order.items == (
        OrderItem("Shimano 105 Rear Derailleur", 1, "SH-105-R7000", Decimal("64.90")),
        OrderItem("KMC X11 Chain 116 Links", 2, "CH-KMC-X11", Decimal("29.90")),
    )


def test_prestashop_admin_alert_items_from_nested_tables() -> None:
    order = parse("prestashop_new_order_admin.eml").order
    assert order.items == (OrderItem("Lampe en lin naturel", 2, "LAMP-LIN-01", Decimal("89.00")),)
    assert order.shipping_address is not None
    assert order.shipping_address.as_text() == "Claire Martin\n18 rue des Lilas\n69003 Lyon\nFrance"


def test_prestashop_customer_confirmation_keeps_the_reference() -> None:
    order = parse("prestashop_order_conf.eml").order
    assert order.billing_address is not None
    assert order.billing_address.lines == ("18 rue des Lilas",)  # empty template lines skipped
    assert order.carrier == "Colissimo"


def test_amazon_sold_ship_now_item() -> None:
    order = parse("amazon_sold_ship_now.eml").order
    assert order.items == (
        OrderItem("Bamboo Cutting Board, Large", 2, "BCB-L-01", Decimal("29.99")),
    )


def test_amazon_buyer_message_names_order_and_asin() -> None:
    order = parse("amazon_buyer_message.eml").order
    assert order.items == (OrderItem("Bamboo Cutting Board, Large", 2, item_number="B0C1234XYZ"),)


def test_etsy_sale_records_the_listing_number() -> None:
    order = parse("etsy_sale.eml").order
    assert order.items == (
        OrderItem(
            "Hand-knitted Merino Scarf - Forest Green", 1, "", Decimal("48.00"), "1234567890"
        ),
    )
    assert order.shipping_address is not None
    assert (order.shipping_address.city, order.shipping_address.region) == ("Springfield", "IL")


def test_ebay_sold_records_the_item_number() -> None:
    order = parse("ebay_sold.eml").order
    assert order.items == (
        OrderItem("Vintage Brass Table Lamp, 1960s", 1, "", Decimal("89.00"), "256123456789"),
    )


def test_ebay_buyer_message_links_through_the_item_number() -> None:
    notice = parse("ebay_buyer_message.eml")
    assert notice.order.number == ""
    assert notice.order.items == (
        OrderItem("Vintage Brass Table Lamp, 1960s", item_number="256123456789"),
    )


# ----------------------------------------------------------------------------- more kinds


@pytest.mark.parametrize(
    ("sender", "subject", "body", "kind", "platform", "number"),
    [
        ("Shop <a@shop.example>", "Order #1001 has been canceled", "Order #1001 cancelled. "
         "https://cdn.shopify.com/x", "cancelled", "shopify", "1001"),
        ("Shop <a@shop.example>", "A shipment from order #1002 has been delivered",
         "myshopify", "delivered", "shopify", "1002"),
        ("Shop <a@shop.example>", "Refund notification",
         "Your refund for order #1003 has been processed. shopify", "refunded", "shopify", "1003"),
        ("Shop <a@shop.example>", "Your My Shop order #1234 has been refunded",
         "Order Refunded: 1234", "refunded", "woocommerce", "1234"),
        ("Shop <a@shop.example>", "[My Shop]: Order #1235 has been cancelled",
         "Order Cancelled: #1235", "cancelled", "woocommerce", "1235"),
        ("Shop <a@shop.example>", "[Mein Shop]: Bestellung #1236 wurde storniert",
         "", "cancelled", "woocommerce", "1236"),
        ("Store <s@store.example>", "Main Website Store: New Order # 000000124",
         "", "order_placed", "magento", "000000124"),
        ("Store <s@store.example>", "Credit memo for your Main Website Store order",
         "Your Credit Memo #000000007 for Order #000000125", "refunded", "magento", "000000125"),
        ("Shop <s@shop.example>", "[Shop] Package in transit",
         "Your order with the reference KHWLILZLL is in transit.", "shipped", "prestashop",
         "KHWLILZLL"),
        ("Amazon <payments-messages@amazon.com>", "Refund initiated for order 114-1234567-7654321",
         "", "refunded", "amazon", "114-1234567-7654321"),
        ("Amazon <seller-notification@amazon.de>", "Verkauft, jetzt versenden: Holzbrett",
         "Bestellnummer: 302-1234567-7654321\nMenge: 1", "order_placed", "amazon",
         "302-1234567-7654321"),
        ("Etsy <transaction@etsy.com>", "Du hast auf Etsy etwas verkauft",
         "Bestellung #3312345679", "order_placed", "etsy", "3312345679"),
        ("eBay <ebay@ebay.com>", "Order cancelled: Vintage Lamp",
         "Order number: 04-11234-56790", "cancelled", "ebay", "04-11234-56790"),
        ("Shopify <mailer@shopify.com>", "[My Shop] Bestellung #1003 aufgegeben von Jan Kowalski",
         "", "order_placed", "shopify", "1003"),
    ],
)  # fmt: skip
def test_subject_templates(
    sender: str, subject: str, body: str, kind: str, platform: str, number: str
) -> None:
    notice = parse_notice(sender, subject, body)
    assert notice is not None
    assert (notice.kind, notice.platform, notice.order.number) == (kind, platform, number)


def test_marketplace_mail_naming_an_order_is_other() -> None:
    notice = parse_notice(
        "Amazon <atoz-guarantee-no-reply@amazon.com>",
        "A-to-z Guarantee claim",
        "A claim was filed for order 112-3456789-0123456.",
    )
    assert notice is not None
    assert (notice.kind, notice.order.number, notice.order.status) == (
        "other",
        "112-3456789-0123456",
        None,
    )


# ----------------------------------------------------------------------------- not notices


@pytest.mark.parametrize(
    ("sender", "subject", "body"),
    [
        ("Anna <anna@example.org>", "Where is my parcel?", "Order #1001, please help"),
        ("Jane Doe <jane.doe@example.org>", "Re: Order #NL-1001 confirmed", "> Order #NL-1001"),
        ("Jane <jane@example.org>", "AW: [Mein Shop]: Neue Bestellung #1234", ""),
        ("Jane <jane@example.org>", "Question - Order 123", "Hi, where is it?"),
        ("Jane <jane@example.org>", "[My Shop] Order confirmation", "thanks, but wrong colour"),
        ("Shopify <mailer@shopify.com>", "Your weekly store report", "Sessions are up 12%"),
        ("eBay <ebay@ebay.com>", "Deals for you", "Save 20% this weekend"),
        ("Amazon Seller Central <seller-notification@amazon.com>", "Fee changes", "Dear seller"),
        ("", "", ""),
        ("not an address", "\x00\ufffd", "\x00"),
    ],
)
def test_ordinary_mail_is_not_a_notice(sender: str, subject: str, body: str) -> None:
    assert parse_notice(sender, subject, body) is None


def test_never_raises_on_odd_input() -> None:
    weird = ["", "<", "<<>>" * 50, "#" * 1000, "Order #" + "9" * 500, "\r\n" * 100, "€$£" * 30]
    for text in weird:
        for subject in ("[S]: New order #1", "Sold, ship now: x", "You made a sale on Etsy"):
            for sender in ("s@shop.example", "x@amazon.com", "x@etsy.com"):
                result = parse_notice(sender, subject, text, text)
                assert result is None or isinstance(result, Notice)


def test_a_failing_reader_becomes_a_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object) -> None:
        raise RuntimeError("bad table")

    monkeypatch.setattr(notices, "_items", boom)
    notice = parse_notice("s@shop.example", "[My Shop]: New order #1234", "Total: 5,00 €")
    assert notice is not None
    assert notice.kind == "order_placed"
    assert notice.problems == ("the notice could not be read: RuntimeError: bad table",)


def test_missing_number_and_lines_are_problems() -> None:
    notice = parse_notice("s@shop.example", "Your My Shop order has been received!", "Hi there")
    assert notice is not None
    assert notice.problems == (
        "no order number found",
        "no order lines found",
        "no order total found",
    )


def test_unreadable_tracking_number_is_a_problem() -> None:
    notice = parse_notice(
        "Shop <a@shop.example>",
        "A shipment from order #1009 is on the way",
        "shopify\nTracking number: will follow",
    )
    assert notice is not None
    assert notice.problems == ("the tracking number could not be read: 'will follow'",)


# ----------------------------------------------------------------------------- amounts, dates


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("1.234,56 €", "1234.56", "EUR"),
        ("$1,234.56", "1234.56", "USD"),
        ("49,90 EUR", "49.90", "EUR"),
        ("€20.00", "20.00", "EUR"),
        ("£8.95", "8.95", "GBP"),
        ("CA$45.00", "45.00", "CAD"),
        ("$45.00 CAD", "45.00", "CAD"),
        ("1 234,50 zł", "1234.50", "PLN"),
        ("CHF 1'299.00", "1299.00", "CHF"),
        ("-$3.50", "-3.50", "USD"),
        ("Total: 24,90 € (inkl. 3,98 € MwSt.)", "24.90", "EUR"),
        ("1,234", "1234", ""),
        ("12", "12", ""),
    ],
)
def test_parse_amount(text: str, value: str, currency: str) -> None:
    assert parse_amount(text) == (Decimal(value), currency)


def test_parse_amount_without_digits() -> None:
    assert parse_amount("free") is None


@pytest.mark.parametrize(
    ("text", "dayfirst", "expected"),
    [
        ("March 3, 2026", None, datetime(2026, 3, 3)),
        ("Mar 3, 2026, 8:14:52 PM", None, datetime(2026, 3, 3, 20, 14, 52)),
        ("3. März 2026", None, datetime(2026, 3, 3)),
        ("3. maaliskuuta 2026 klo 14.05", None, datetime(2026, 3, 3, 14, 5)),
        ("2026. gada 6. marts", None, datetime(2026, 3, 6)),
        ("07/03/2026", True, datetime(2026, 3, 7)),
        ("03/07/2026", None, datetime(2026, 3, 7)),
        ("25/12/2026", None, datetime(2026, 12, 25)),
        ("04.03.2026 16:05", None, datetime(2026, 3, 4, 16, 5)),
        ("2026-03-03 14:15:00 +0100", None, datetime(2026, 3, 3, 13, 15)),
        ("2026-03-03T10:22:38Z", None, datetime(2026, 3, 3, 10, 22, 38)),
        ("no date here", None, None),
        ("31/02/2026", True, None),
    ],
)
def test_parse_date(text: str, dayfirst: bool | None, expected: datetime | None) -> None:
    assert parse_date(text, dayfirst) == expected


# ----------------------------------------------------------------------------- speed


def _best_of(fn: Any, rounds: int = 5, n: int = 50) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter() - start) / n)
    return best


def test_notices_parse_in_well_under_a_millisecond() -> None:
    mails = [load(name) for name in sorted(EXPECTED)]
    mean = _best_of(lambda: [parse_notice(*mail) for mail in mails]) / len(mails)
    assert mean < 0.001, f"{mean * 1e6:.0f} µs per notice"


def test_ordinary_mail_is_rejected_in_microseconds() -> None:
    text = "Hello,\nmy order has not arrived yet. Order #1001.\nBest, Anna\n" * 20
    mails = [
        ("Anna <anna@example.org>", "Where is my parcel?", text),
        ("Anna <anna@example.org>", "Re: Order #1001 confirmed", text),
        ("news@brand.example", "Spring sale: 20% off", text),
    ]
    per_mail = _best_of(lambda: [parse_notice(*m) for m in mails], n=500) / len(mails)
    assert per_mail < 20e-6, f"{per_mail * 1e6:.1f} µs per ordinary mail"
