"""Order, receipt and item numbers found in subjects and bodies; distractors left alone."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest

from desktop_app.core.threads.order_refs import MAX_BODY_CHARS, OrderPatterns, find_order_refs
from desktop_app.core.threads.records import OrderRef

CORPUS = Path(__file__).resolve().parents[4] / "shared/corpora/ecommerce-subject-patterns"


def numbers(subject: str, body: str = "", patterns: OrderPatterns | None = None) -> list[str]:
    found = find_order_refs(subject, body, patterns or OrderPatterns())
    return [r.number for r in found]


def only(subject: str, body: str = "", patterns: OrderPatterns | None = None) -> OrderRef:
    found = find_order_refs(subject, body, patterns or OrderPatterns())
    assert len(found) == 1, found
    return found[0]


# -- every row of the corpus ------------------------------------------------------------------
# example subject -> (body when the subject carries no number, number, platform)
CORPUS_ROWS: dict[str, tuple[str, str, str | None]] = {
    "[My Shop]: New order #1234": ("", "1234", "woocommerce"),
    "[My Shop]: You've got a new order: #1234": ("", "1234", "woocommerce"),
    "[My Shop]: Order #1234 has been cancelled": ("", "1234", "woocommerce"),
    "[My Shop]: Order #1234 has failed": ("", "1234", "woocommerce"),
    "Your My Shop order has been received!": (
        "Hi Jane,\n\nJust to let you know — we've received your order #1234, and it is now "
        "being processed:\n\n[Order #1234] (March 3, 2026)\n\nProduct\tQuantity\tPrice\n"
        "Blue Widget\t1\t€49.90\nSubtotal:\t€49.90\nPayment method:\tDirect bank transfer\n",
        "1234",
        None,
    ),
    "Your My Shop order is now complete": (
        "Hi Jane,\nWe have finished processing your order.\n\n[Order #1234] (March 3, 2026)\n"
        "Blue Widget \u00d7 1 €49.90\nBilling address\nJane Doe\nHauptstr. 5\n10115 Berlin\n"
        "+49 30 1234567\n",
        "1234",
        None,
    ),
    "Your My Shop order #1234 has been refunded": ("", "1234", "woocommerce"),
    "Details for order #1234 on My Shop": ("", "1234", "woocommerce"),
    "Note added to your My Shop order from March 3, 2026": (
        "Hi Jane,\nThe following note has been added to your order:\n\n"
        "> Your parcel leaves tomorrow.\n\nAs a reminder, here are your order details:\n\n"
        "[Order #1234] (March 3, 2026)\n",
        "1234",
        None,
    ),
    "The payment for your order at My Shop has failed": (
        "Unfortunately, we couldn't complete your order due to an issue with your payment "
        "method.\n\n[Order #1234] (March 3, 2026)\nTotal: $1,001.00\n",
        "1234",
        None,
    ),
    "Order #1001 confirmed": ("", "1001", "shopify"),
    "Order confirmation for order #1001": ("", "1001", "shopify"),
    "[My Shop] Order #1001 placed by Jane Doe": ("", "1001", "shopify"),
    "Your Main Website Store order confirmation": (
        "Jane Doe,\nThank you for your order from Main Website Store.\n\n"
        "Your Order #000000123\nPlaced on Mar 3, 2026, 10:15:32 AM\n\nBilling Info\n"
        "Jane Doe\n5 Main Street\nAustin, Texas, 78701\nT: (555) 123-4567\n",
        "000000123",
        "magento",
    ),
    "Main Website Store: New Order # 000000123": ("", "000000123", "magento"),
    "Your Main Website Store order has shipped": (
        "Thank you for your order from Main Website Store.\n"
        "Your Shipment #000000045 for Order #000000123\n"
        "Tracking number: 1Z999AA10123456784\n",
        "000000123",
        "magento",
    ),
    "Your Store - Order 123": ("", "123", "opencart"),
    "Your Store - Order Update 123": ("", "123", "opencart"),
    "[My Shop] Order confirmation": (
        "Hi Jane Doe,\nThank you for shopping with My Shop!\n\n"
        "Order: XKBKNABJK placed on 03/03/2026\nPayment: Bank wire\n",
        "XKBKNABJK",
        "prestashop",
    ),
    "[My Shop] New order : #12 - XKBKNABJK": ("", "XKBKNABJK", "prestashop"),
    "Sold, ship now: Blue Widget": (
        "Dear seller,\n\nCongratulations, you sold an item. Please ship it now.\n\n"
        "Order ID: 123-1234567-1234567\nItem: Blue Widget\nQuantity: 1\nShip by: 2026-03-05\n",
        "123-1234567-1234567",
        "amazon",
    ),
}


@pytest.mark.parametrize("subject", list(CORPUS_ROWS))
def test_corpus_example_subject(subject: str) -> None:
    body, number, platform = CORPUS_ROWS[subject]
    ref = find_order_refs(subject, body)[0]
    assert (ref.number, ref.platform, ref.kind) == (number, platform, "order")
    assert ref.where == ("body" if body else "subject")


def test_every_corpus_row_is_covered() -> None:
    table = CORPUS / "patterns.tsv"
    if not table.exists():
        pytest.skip("the shared corpus is not next to this checkout")
    with table.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    assert rows
    for row in rows:
        subject = row["example_rendered"]
        assert subject in CORPUS_ROWS, subject
        in_subject = not row["order_no_in_subject"].startswith("NO")
        assert bool(CORPUS_ROWS[subject][0]) != in_subject, subject
        if not in_subject:
            assert find_order_refs(subject, "") == [], subject


# -- one platform in one language -------------------------------------------------------------
# (id, subject, body, number, platform, kind)
LANGUAGE_CASES = [
    # English
    ("shopify-en", "Order #1001 confirmed", "", "1001", "shopify", "order"),
    (
        "woocommerce-en",
        "Where is my parcel?",
        "Hi, my order #1234 has not come yet.",
        "1234",
        None,
        "order",
    ),
    (
        "magento-en",
        "Re: your order",
        "> Your Order #000000123\n> Placed on Mar 3, 2026",
        "000000123",
        "magento",
        "order",
    ),
    (
        "opencart-en",
        "Your Store - Order 123",
        "Order ID: 123\nDate Added: 03/03/2026",
        "123",
        "opencart",
        "order",
    ),
    (
        "prestashop-en",
        "Question",
        "My order reference is XKBKNABJK, can you check it?",
        "XKBKNABJK",
        "prestashop",
        "order",
    ),
    (
        "amazon-en",
        "Sold, ship now: Blue Widget",
        "Order ID: 112-1234567-1234567",
        "112-1234567-1234567",
        "amazon",
        "order",
    ),
    (
        "etsy-en",
        "You made a sale on Etsy - Ship by Mar 10 - [$25.00, Order #1234567890]",
        "",
        "1234567890",
        "etsy",
        "order",
    ),
    (
        "ebay-en",
        "Your item sold!",
        "Item number: 123456789012\nPaid: $25.00",
        "123456789012",
        "ebay",
        "item",
    ),
    # German
    ("shopify-de", "Bestellung #1001 bestätigt", "", "1001", None, "order"),
    (
        "woocommerce-de",
        "Deine My Shop-Bestellung wurde erhalten!",
        "Wir haben deine Bestellung #1234 erhalten.\n[Bestellung #1234] (3. März 2026)",
        "1234",
        None,
        "order",
    ),
    (
        "magento-de",
        "Ihre Bestellung bei Main Website Store",
        "Ihre Bestellung #000000123\nAufgegeben am 03.03.2026",
        "000000123",
        "magento",
        "order",
    ),
    (
        "opencart-de",
        "Mein Laden - Bestellung 123",
        "Bestellnummer: 123\nBestelldatum: 03.03.2026",
        "123",
        None,
        "order",
    ),
    (
        "prestashop-de",
        "[Mein Shop] Bestellbestätigung",
        "Bestellreferenz: XKBKNABJK\nZahlungsart: Überweisung",
        "XKBKNABJK",
        "prestashop",
        "order",
    ),
    (
        "amazon-de",
        "Verkauft, jetzt versenden: Blaues Widget",
        "Bestellnummer: 302-1234567-1234567",
        "302-1234567-1234567",
        "amazon",
        "order",
    ),
    (
        "etsy-de",
        "Du hast auf Etsy etwas verkauft \u2013 [25,00 €, Bestellung #1234567890]",
        "",
        "1234567890",
        "etsy",
        "order",
    ),
    (
        "ebay-de",
        "Ihr Artikel wurde verkauft",
        "Bestellnummer: 12-34567-89012\nVersand bis 05.03.2026",
        "12-34567-89012",
        "ebay",
        "order",
    ),
    # Finnish
    ("shopify-fi", "Tilaus #1001 vahvistettu", "", "1001", None, "order"),
    (
        "woocommerce-fi",
        "Tilauksesi on vastaanotettu",
        "Hei Jaana,\nolemme vastaanottaneet tilauksesi #1234.",
        "1234",
        None,
        "order",
    ),
    (
        "magento-fi",
        "Tilausvahvistus",
        "Tilauksesi #000000123\nTehty 3.3.2026",
        "000000123",
        "magento",
        "order",
    ),
    ("opencart-fi", "Kauppa - Tilaus 123", "Tilausnumero: 123", "123", None, "order"),
    (
        "prestashop-fi",
        "[Kauppa] Tilausvahvistus",
        "Tilaus: XKBKNABJK tehty 03.03.2026",
        "XKBKNABJK",
        "prestashop",
        "order",
    ),
    (
        "amazon-fi",
        "Kysymys tilauksesta",
        "Hei, tilaukseni 305-1234567-1234567 ei ole vielä saapunut.",
        "305-1234567-1234567",
        "amazon",
        "order",
    ),
    (
        "etsy-fi",
        "Kysymys",
        "Ostin Etsystä, tilausnumero 1234567890. Puh. 040 123 4567",
        "1234567890",
        None,
        "order",
    ),
    (
        "ebay-fi",
        "Kysymys tilauksestani",
        "eBay-tilausnumero: 12-34567-89012",
        "12-34567-89012",
        "ebay",
        "order",
    ),
    # Latvian
    ("shopify-lv", "Pasūtījums #1001 apstiprināts", "", "1001", None, "order"),
    (
        "woocommerce-lv",
        "[Mans Veikals]: Jums ir jauns pasūtījums: #1234",
        "",
        "1234",
        None,
        "order",
    ),
    (
        "magento-lv",
        "Pasūtījuma apstiprinājums",
        "Jūsu pasūtījums #000000123",
        "000000123",
        "magento",
        "order",
    ),
    (
        "opencart-lv",
        "Mans Veikals - Pasūtījums 123",
        "Pasūtījuma ID: 123",
        "123",
        None,
        "order",
    ),
    (
        "prestashop-lv",
        "[Mans Veikals] Apstiprinājums",
        "Pasūtījuma atsauce: XKBKNABJK",
        "XKBKNABJK",
        "prestashop",
        "order",
    ),
    (
        "amazon-lv",
        "Jautājums",
        "Mans pasūtījuma numurs ir 171-1234567-1234567.",
        "171-1234567-1234567",
        "amazon",
        "order",
    ),
    ("etsy-lv", "Etsy pasūtījums Nr. 1234567890", "", "1234567890", "etsy", "order"),
    (
        "ebay-lv",
        "Jautājums par pasūtījumu",
        "eBay pasūtījuma Nr. 12-34567-89012",
        "12-34567-89012",
        "ebay",
        "order",
    ),
    # Hindi
    (
        "shopify-hi",
        "ऑर्डर #1001 की पुष्टि हो गई",
        "",
        "1001",
        None,
        "order",
    ),
    (
        "woocommerce-hi",
        "आपका My Shop ऑर्डर प्राप्त हो गया है!",
        "हमें आपका ऑर्डर #1234 मिल गया है।",
        "1234",
        None,
        "order",
    ),
    (
        "magento-hi",
        "आपका ऑर्डर",
        "आपका ऑर्डर #000000123",
        "000000123",
        "magento",
        "order",
    ),
    (
        "opencart-hi",
        "मेरी दुकान - ऑर्डर १२३",
        "",
        "123",
        None,
        "order",
    ),
    (
        "prestashop-hi",
        "सवाल",
        "ऑर्डर संदर्भ: XKBKNABJK",
        "XKBKNABJK",
        "prestashop",
        "order",
    ),
    (
        "amazon-hi",
        "सवाल",
        "मेरा ऑर्डर आईडी 402-1234567-1234567 है",
        "402-1234567-1234567",
        "amazon",
        "order",
    ),
    (
        "etsy-hi",
        "Etsy ऑर्डर #1234567890 के बारे में",
        "",
        "1234567890",
        "etsy",
        "order",
    ),
    (
        "ebay-hi",
        "सवाल",
        "eBay ऑर्डर नंबर 12-34567-89012",
        "12-34567-89012",
        "ebay",
        "order",
    ),
    # Armenian
    (
        "shopify-hy",
        "Պատվեր #1001 հաստատված է",
        "",
        "1001",
        None,
        "order",
    ),
    (
        "woocommerce-hy",
        "Ձեր պատվերը ստացվել է",
        "Մենք ստացել ենք ձեր պատվերը #1234\u0589",
        "1234",
        None,
        "order",
    ),
    (
        "magento-hy",
        "Պատվեր",
        "Ձեր պատվերը #000000123",
        "000000123",
        "magento",
        "order",
    ),
    (
        "opencart-hy",
        "Իմ խանութ - Պատվեր 123",
        "",
        "123",
        None,
        "order",
    ),
    (
        "prestashop-hy",
        "Հարց",
        "Պատվեր: XKBKNABJK",
        "XKBKNABJK",
        "prestashop",
        "order",
    ),
    (
        "amazon-hy",
        "Հարց",
        "Պատվերի համարը 111-1234567-1234567",
        "111-1234567-1234567",
        "amazon",
        "order",
    ),
    (
        "etsy-hy",
        "Etsy պատվեր №1234567890",
        "",
        "1234567890",
        "etsy",
        "order",
    ),
    (
        "ebay-hy",
        "Հարց",
        "eBay պատվերի համար 12-34567-89012",
        "12-34567-89012",
        "ebay",
        "order",
    ),
    # Swedish, French, Spanish
    ("shopify-sv", "Din beställning #1001 har skickats", "", "1001", None, "order"),
    ("woocommerce-sv", "Fråga", "Ordernummer: 1234", "1234", None, "order"),
    (
        "shopify-fr",
        "Votre commande n° 1001 a été expédiée",
        "",
        "1001",
        None,
        "order",
    ),
    (
        "magento-fr",
        "Question",
        "Numéro de commande : 000000123",
        "000000123",
        "magento",
        "order",
    ),
    (
        "prestashop-fr",
        "[Ma boutique] Confirmation",
        "Référence de commande : XKBKNABJK",
        "XKBKNABJK",
        "prestashop",
        "order",
    ),
    ("shopify-es", "Pedido n.º 1001 confirmado", "", "1001", None, "order"),
    ("woocommerce-es", "Consulta", "Mi número de pedido es 1234.", "1234", None, "order"),
]


@pytest.mark.parametrize(
    ("subject", "body", "number", "platform", "kind"),
    [case[1:] for case in LANGUAGE_CASES],
    ids=[case[0] for case in LANGUAGE_CASES],
)
def test_platform_in_language(
    subject: str, body: str, number: str, platform: str | None, kind: str
) -> None:
    ref = find_order_refs(subject, body)[0]
    assert (ref.number, ref.platform, ref.kind) == (number, platform, kind)


def test_every_platform_in_every_main_language() -> None:
    ids = {case[0] for case in LANGUAGE_CASES}
    platforms = ("shopify", "woocommerce", "magento", "opencart", "prestashop", "amazon")
    for lang in ("en", "de", "fi", "lv", "hi", "hy"):
        for platform in (*platforms, "etsy", "ebay"):
            assert f"{platform}-{lang}" in ids


WORDINGS = [
    "Order",
    "order no.",
    "Order Number:",
    "Order ID:",
    "order #",
    "Order-Nr.",
    "Ordernummer",
    "ordernr",
    "Bestellung",
    "Bestellung Nr.",
    "Bestellungen",
    "Bestellnummer:",
    "Bestell-Nr.",
    "Auftrag",
    "Auftrag Nr.",
    "Auftragsnummer",
    "Auftrags-Nr.",
    "tilaus",
    "tilaus nro",
    "tilausnumero",
    "tilauksen",
    "tilaukseni",
    "tilauksesta",
    "Tilausnumeroni on",
    "pasūtījums",
    "pasūtījuma numurs",
    "pasūtījumu",
    "Pasūtījuma Nr.",
    "pasutijums",
    "ऑर्डर",
    "आर्डर",
    "आदेश",
    "ऑर्डर संख्या",
    "ऑर्डर नंबर",
    "ऑर्डर का नंबर",
    "आदेश क्रमांक",
    "պատվեր",
    "Պատվեր",
    "պատվերի համար",
    "Պատվեր №",
    "beställning",
    "beställningsnummer",
    "ordre nr.",
    "bestilling",
    "bestelling",
    "commande",
    "commande n°",
    "numéro de commande :",
    "pedido",
    "pedido nº",
    "número de pedido:",
    "encomenda",
    "ordine n.",
    "zamówienie nr",
    "заказ №",
]


@pytest.mark.parametrize("wording", WORDINGS)
def test_wording(wording: str) -> None:
    ref = only("", f"Hello, about {wording} 12345 please.")
    assert (ref.number, ref.where) == ("12345", "body")
    assert ref.raw.endswith("12345")


@pytest.mark.parametrize("wording", WORDINGS)
def test_wording_with_hash_in_subject(wording: str) -> None:
    assert numbers(f"Re: {wording} #98765") == ["98765"]


# -- distractors ------------------------------------------------------------------------------
DISTRACTORS = [
    # phone numbers
    "Call me at +49 30 1234567",
    "Phone: (555) 123-4567",
    "Tel. 040 123 4567",
    "puh. 040 123 4567",
    "tālr. +371 2000 0000",
    "Bestellhotline 040 123 4567",
    "Order hotline: +49 30 1234567",
    "Bestellung: 040 123 4567",
    "फ़ोन: ९८७६५ ४३२१०",
    "Հեռ.\u055d +374 10 123456",
    # tracking numbers
    "Tracking: 1Z999AA10123456784",
    "Sendungsnummer JJD0001234567890",
    "Your parcel LX123456789DE is on its way",
    "DHL 00340434161234567890",
    "tracking number 9400 1000 0000 0000 0000 00",
    "Order shipped, tracking number 9400100000000000000000",
    # postcodes
    "10115 Berlin",
    "00100 Helsinki",
    "LV-1050 Rīga",
    "SW1A 1AA London",
    "Yerevan 0010",
    "Order summary\n10115 Berlin",
    # prices
    "Total: €49.90",
    "Summe: 1.234,56 €",
    "Order total: $1,001.00",
    "Rs 1,001",
    "₹1,001",
    "Order 1001 EUR",
    "order 1001.00",
    # years and dates
    "2024",
    "Happy 2026!",
    "Bestellung 2024",
    "Order placed on 24.11.2026",
    "order date: 2026-03-03",
    "Order 2026-03-03",
    "Your order from 2024 arrived",
    "tilaus 24.11.2026",
    # SKUs, article numbers, quantities
    "SKU: AB-1001",
    "Art.-Nr. 12345",
    "Artikelnummer 12345",
    "2 x 1001",
    "Qty: 1001",
    "I'd like to order 100 pcs",
    "order 250 pieces",
    "Bestellung 500 Stück",
    # invoices, customer numbers, tickets
    "Invoice #1001",
    "Rechnung Nr. 2024-1001",
    "lasku 1001",
    "Rēķins Nr. 1001",
    "Invoice INV-1001",
    "Kundennummer 12345",
    "Customer no. 12345",
    "asiakasnumero 12345",
    "Ticket #1001",
    "[Ticket #1001] Re: help",
    "Case #1001: refund",
    "Invoice no. #1001",
    "Rechnung Nr. #1001",
    "Pull request #1234 merged",
    # bank and tax ids, times
    "IBAN DE89 3704 0044 0532 0130 00",
    "IBAN: FI21 1234 5600 0007 85",
    "USt-IdNr.: DE123456789",
    "VAT: ATU12345678",
    "PVN LV40003123456",
    "viitenumero 12345 67890",
    "Reference: 1234567",
    "at 10:30",
    # reply headers
    "On Mon, 24 Nov 2026 at 10:15, Jane Doe <jane@example.com> wrote:",
    "Am 24.11.2026 um 10:15 schrieb Jana Schmidt <jana@example.de>:",
    # mailing lists, code review
    "[PATCH 1/3] threads: fix order parsing",
    "Re: [owner/repo] Fix crash on start (#1234)",
    "Re: [owner/repo] Fix crash on start (PR #1234)",
    "Issue #1234 reopened",
    "bug #1234",
    # words about orders without a number, capitals that are not references
    "Order confirmation",
    "ORDER CONFIRMED",
    "ORDER: XKBKNABJK",
    "Order: DELIVERED",
    "Order CANCELLED",
    "Your order is ready",
    "In order to help you",
    "I reordered 1234",
    "#12 too short",
    "&#8364;49",
]


@pytest.mark.parametrize("text", DISTRACTORS)
def test_distractor_in_subject(text: str) -> None:
    assert find_order_refs(text, "") == []


@pytest.mark.parametrize("text", DISTRACTORS)
def test_distractor_in_body(text: str) -> None:
    assert find_order_refs("Question", f"Hello,\n{text}\nRegards, Jane") == []


MIXED_BODY = """Hi,

my parcel still hasn't arrived. The tracking page says 1Z999AA10123456784 but nothing moves.
Please call me on +49 30 1234567 or (555) 123-4567, any time after 10:30.

Jana Schmidt
Hauptstraße 5, 10115 Berlin
IBAN DE89 3704 0044 0532 0130 00 (for the refund)

On Mon, 24 Nov 2026 at 10:15, My Shop <shop@example.com> wrote:
> Thank you for your order!
>
> [Order #1042] (November 24, 2026)
>
> Product          Quantity   Price
> Blue Widget      2 x        €49.90
> SKU: AB-1001
> Subtotal:                   €99.80
> Shipping:                   €4.90
> Total:                      €104.70 (includes €16.72 VAT)
>
> Tracking number: JJD0001234567890
> Invoice #2024-1001, customer no. 12345
"""


def test_mixed_message_finds_exactly_the_order() -> None:
    found = find_order_refs("Re: Where is my parcel?", MIXED_BODY)
    assert found == [OrderRef("1042", None, "order", "Order #1042", "body")]


# -- order, dedup, platforms ------------------------------------------------------------------
def test_subject_before_body_and_keyword_before_bare_hash() -> None:
    found = find_order_refs("Re: #1001 \u2013 Bestellung 1002", "Order #1003, see also #1004")
    assert [(r.number, r.where) for r in found] == [
        ("1002", "subject"),
        ("1001", "subject"),
        ("1003", "body"),
    ]


def test_same_number_once_with_the_platform_the_subject_tells() -> None:
    found = find_order_refs("Order #1001 confirmed", "Order #1001\nBestellung 1001")
    assert found == [OrderRef("1001", "shopify", "order", "Order #1001", "subject")]


def test_order_and_item_with_the_same_digits_both_kept() -> None:
    body = "Order number: 12-34567-89012\nItem number: 123456789012\nitem #123456789012"
    found = find_order_refs("Your item sold!", body)
    assert [(r.number, r.kind, r.platform) for r in found] == [
        ("12-34567-89012", "order", "ebay"),
        ("123456789012", "item", "ebay"),
    ]


def test_marketplace_item_and_listing_numbers() -> None:
    body = (
        "https://www.ebay.de/itm/blue-widget/123456789012?hash=item1\n"
        "https://www.etsy.com/de/listing/987654321/mug\n"
        "Artikelnummer: 223456789012\n"
        "Listing #887654321\n"
        "Receipt #1234567890\n"
    )
    found = find_order_refs("Question", body)
    assert [(r.number, r.kind, r.platform) for r in found] == [
        ("123456789012", "item", "ebay"),
        ("987654321", "item", "etsy"),
        ("223456789012", "item", "ebay"),
        ("887654321", "item", "etsy"),
        ("1234567890", "order", "etsy"),
    ]


def test_etsy_and_ebay_subjects_with_the_number_in_brackets() -> None:
    ref = only("Your Etsy Purchase from BlueMugs (1234567890)")
    assert (ref.number, ref.platform, ref.kind) == ("1234567890", "etsy", "order")
    ref = only("eBay: Blue Widget (123456789012) has sold")
    assert (ref.number, ref.platform, ref.kind) == ("123456789012", "ebay", "item")


def test_free_standing_amazon_and_ebay_order_numbers() -> None:
    body = "Re the parcel for 303-1234567-1234567 and D01-1234567-1234567; eBay 12-34567-89012"
    assert [(r.number, r.platform) for r in find_order_refs("Hi", body)] == [
        ("303-1234567-1234567", "amazon"),
        ("D01-1234567-1234567", "amazon"),
        ("12-34567-89012", "ebay"),
    ]


def test_lists_of_orders() -> None:
    assert numbers("", "Bestellungen 1001 und 1002") == ["1001", "1002"]
    assert numbers("", "orders #2001, #2002 and #2003") == ["2001", "2002", "2003"]
    assert numbers("", "tilaukset 3001 ja 3002") == ["3001", "3002"]
    assert numbers("", "Order 1001, 10115 Berlin") == ["1001"]


def test_bare_hash_counts_only_in_the_subject() -> None:
    assert numbers("Re: #1001") == ["1001"]
    assert numbers("Quick question about #1001, please") == ["1001"]
    assert numbers("Question", "see #1001") == []
    assert numbers("Question", "Order #1001") == ["1001"]


def test_prestashop_reference_needs_a_keyword() -> None:
    assert numbers("", "Hi, XKBKNABJK is what the shop showed") == []
    assert numbers("", "Reference: XKBKNABJK") == ["XKBKNABJK"]
    assert numbers("", "Order reference XKBKNABJK") == ["XKBKNABJK"]
    assert numbers("", "Order: XKBKNABJK placed on 03/03/2026") == ["XKBKNABJK"]


def test_reference_numbers_only_with_a_hash() -> None:
    body = "Ihre Sendung 00340434161234567890 (Referenz #4328) wurde heute zugestellt."
    assert numbers("Ihre DHL Sendung 00340434161234567890 wurde zugestellt", body) == ["4328"]
    assert numbers("", "Payment reference 4328, Referenz: 12345") == []


def test_case_endings_after_the_number() -> None:
    assert numbers("Պատվեր 304-3124305-6184596-ը ստացա վնասված") == ["304-3124305-6184596"]
    assert numbers("", "ինչ պատվեր #1042-ում\u0589") == ["1042"]
    assert numbers("", "tilauksen #1042:n tila?") == ["1042"]
    assert numbers("", "see 304-3124305-6184596-1") == []


def test_magento_keeps_leading_zeros() -> None:
    ref = only("Your Order #000000123")
    assert (ref.number, ref.platform) == ("000000123", "magento")


def test_raw_is_the_text_as_found() -> None:
    ref = only("Ihre Bestellung Nr.  1042 vom 24.11.2026")
    assert (ref.raw, ref.where) == ("Bestellung Nr. 1042", "subject")


# -- Devanagari digits ------------------------------------------------------------------------
def test_devanagari_digits_become_ascii() -> None:
    ref = only("ऑर्डर संख्या: १००१")
    assert ref.number == "1001"
    assert ref.raw.endswith("१००१")


def test_devanagari_magento_number_keeps_zeros() -> None:
    body = "आदेश क्रमांक ००००००१२३"
    ref = only("", body)
    assert (ref.number, ref.platform) == ("000000123", "magento")


def test_devanagari_year_is_not_an_order() -> None:
    assert numbers("ऑर्डर २०२६") == []


# -- the shop's own configuration -------------------------------------------------------------
SHOP = OrderPatterns(store_prefix="SHOP-", store_suffix="-EU")


def test_store_prefix_and_suffix() -> None:
    ref = only("Order #SHOP-1001-EU confirmed", "", SHOP)
    assert (ref.number, ref.platform, ref.raw) == ("1001", "shopify", "SHOP-1001-EU")
    assert numbers("Question", "Hi, where is SHOP-1002? And shop-1003-EU?", SHOP) == [
        "1002",
        "1003",
    ]
    assert numbers("Re: #SHOP-1004", "", SHOP) == ["1004"]
    assert numbers("Bestellung 1005", "", SHOP) == ["1005"]


def test_prefix_given_with_hash_is_the_same() -> None:
    assert numbers("Order #SHOP-1001", "", OrderPatterns(store_prefix="#SHOP-")) == ["1001"]


def test_store_suffix_only() -> None:
    patterns = OrderPatterns(store_suffix="-EU")
    assert numbers("Question", "my parcel #1001-EU", patterns) == ["1001"]
    assert numbers("Question", "my parcel #1001", patterns) == []


def test_unconfigured_prefix_is_not_guessed() -> None:
    assert numbers("Order #SHOP-1001 confirmed") == []


def test_custom_regex_can_make_an_invoice_number_an_order() -> None:
    patterns = OrderPatterns(custom_regex=r"Rechnung Nr\. (\d{4}-\d{4})")
    ref = only("Rechnung Nr. 2024-1001", "", patterns)
    assert (ref.number, ref.platform, ref.raw) == ("2024-1001", "store", "Rechnung Nr. 2024-1001")


def test_custom_regex_comes_first() -> None:
    patterns = OrderPatterns(custom_regex=r"\bWEB(\d{5})\b")
    assert numbers("Order #1001", "your order WEB12345", patterns) == ["1001", "12345"]
    assert numbers("Order #1001 WEB12345", "", patterns) == ["12345", "1001"]


def test_digit_limits() -> None:
    assert numbers("Order #12") == []
    assert numbers("Order #12", "", OrderPatterns(min_digits=2)) == ["12"]
    assert numbers("Order #12345678901") == []


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("Order (\\d+", "not a valid regular expression"),
        ("ORD-\\d+", "exactly one group in parentheses"),
        ("(ORD)-(\\d+)", "exactly one group in parentheses"),
        ("(\\d*)", "matches empty text"),
    ],
)
def test_bad_custom_regex_is_refused_plainly(pattern: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        OrderPatterns.validate_regex(pattern)
    with pytest.raises(ValueError, match=message):
        OrderPatterns(custom_regex=pattern)


def test_good_custom_regex_passes_the_check() -> None:
    OrderPatterns(custom_regex=r"ORD-(\d+)").check()
    assert OrderPatterns.validate_regex(r"ORD-(\d+)").groups == 1


def test_bad_digit_limits_are_refused() -> None:
    with pytest.raises(ValueError, match="minimum may not exceed"):
        OrderPatterns(min_digits=6, max_digits=4)


# -- limits -----------------------------------------------------------------------------------
def test_body_is_scanned_up_to_the_cap() -> None:
    filler = ("lorem ipsum dolor sit amet " * 2000)[: MAX_BODY_CHARS - 20]
    assert numbers("Hi", filler + " Order #1001") == ["1001"]
    assert numbers("Hi", filler + " " * 40 + " Order #1001") == []


def test_empty_input() -> None:
    assert find_order_refs("", "") == []


def typical_body() -> str:
    """A 5 KB customer mail quoting a WooCommerce order table."""
    para = (
        "Hello, I ordered a blue widget last week and it still has not arrived. Could you "
        "please check the tracking? My phone is +49 30 1234567 and I live at Hauptstr. 5, "
        "10115 Berlin. The price was €49.90 incl. shipping, paid on 24.11.2026 at 10:30.\n"
    )
    quote = "\n".join(f"> {line}" for line in MIXED_BODY.splitlines())
    return (para * 40)[: 5000 - len(quote)] + quote


def test_typical_body_finds_the_quoted_order() -> None:
    body = typical_body()
    assert 4900 < len(body) < 5100
    assert numbers("Re: Where is my parcel?", body) == ["1042"]


if __name__ == "__main__":
    body = typical_body()
    runs = 2000
    for label, text in (
        ("5 KB, with €", body),
        ("5 KB, ASCII", body.replace("€", "EUR")),
    ):
        start = time.perf_counter()
        for _ in range(runs):
            find_order_refs("Re: Where is my parcel?", text)
        each = (time.perf_counter() - start) / runs
        print(f"find_order_refs, {label}: {each * 1e6:.0f} µs per message")
    big = body * 10
    start = time.perf_counter()
    for _ in range(200):
        find_order_refs("Re: Where is my parcel?", big)
    print(f"find_order_refs, 50 KB: {(time.perf_counter() - start) / 200 * 1e6:.0f} µs")
