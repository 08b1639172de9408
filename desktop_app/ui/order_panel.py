"""The order beside the conversation: number, dates, customer, address, items, total, tracking."""

from __future__ import annotations

import html
from datetime import datetime

from PySide6.QtCore import QDateTime, QLocale, Qt, QTimeZone, QUrl
from PySide6.QtWidgets import (
    QFormLayout,
    QHeaderView,
    QLabel,
    QStackedLayout,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.views import OrderFacts
from desktop_app.ui import external

PLATFORM_NAMES = {
    "shopify": "Shopify",
    "woocommerce": "WooCommerce",
    "magento": "Magento",
    "opencart": "OpenCart",
    "prestashop": "PrestaShop",
    "amazon": "Amazon",
    "ebay": "eBay",
    "etsy": "Etsy",
}


def format_date(value: datetime | None, locale: QLocale | None = None) -> str:
    """A UTC or aware time as a short local date (the merchant's locale), "" for None."""
    if value is None:
        return ""
    stamp = QDateTime.fromSecsSinceEpoch(int(_timestamp(value)), QTimeZone.systemTimeZone())
    return (locale or QLocale()).toString(stamp.date(), QLocale.FormatType.ShortFormat)


def _timestamp(value: datetime) -> float:
    if value.tzinfo is None:  # the core's naive times are UTC
        from datetime import UTC

        value = value.replace(tzinfo=UTC)
    return value.timestamp()


CURRENCY_SYMBOLS = {
    "EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CNY": "¥", "INR": "₹", "KRW": "₩",
    "CAD": "CA$", "AUD": "A$", "NZD": "NZ$", "CHF": "CHF ", "SEK": "kr ", "NOK": "kr ",
    "DKK": "kr ", "PLN": "zł ", "CZK": "Kč ", "BRL": "R$", "MXN": "MX$", "TRY": "₺",
}  # fmt: skip


def format_money(amount: str | None, currency: str, locale: QLocale | None = None) -> str:
    """ "129.90" + "EUR" -> "€129.90" (digits as the locale writes them); odd text unchanged."""
    if not amount:
        return ""
    locale = locale or QLocale()
    try:
        value = float(amount)
    except ValueError:
        return f"{amount} {currency}".strip()
    digits = locale.toString(value, "f", 2)
    if not currency:
        return digits
    code = currency.upper()
    symbol = CURRENCY_SYMBOLS.get(code, code + " ")
    return f"{symbol}{digits}"


class OrderPanel(QWidget):
    """Shows one order's facts (`show_facts`), or "No order linked"; emits nothing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Order"))
        self._stack = QStackedLayout(self)
        self.empty_label = QLabel(self.tr("No order linked"))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setEnabled(False)
        self._stack.addWidget(self.empty_label)

        page = QWidget()
        outer = QVBoxLayout(page)
        outer.setContentsMargins(8, 8, 8, 8)
        self.title = QLabel()
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        outer.addWidget(self.title)
        form = self._form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields: dict[str, QLabel] = {}
        for key, label in (
            ("platform", self.tr("Platform")),
            ("placed", self.tr("Placed")),
            ("shipped", self.tr("Shipped")),
            ("delivered", self.tr("Delivered")),
            ("customer", self.tr("Customer")),
            ("address", self.tr("Ship to")),
            ("total", self.tr("Total")),
            ("carrier", self.tr("Carrier")),
            ("tracking", self.tr("Tracking")),
        ):
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
            self.fields[key] = value
            form.addRow(label, value)
        self.fields["tracking"].setOpenExternalLinks(False)
        self.fields["tracking"].linkActivated.connect(self._open_tracking)
        outer.addLayout(form)
        self.items = QTreeWidget()
        self.items.setAccessibleName(self.tr("Items"))
        self.items.setRootIsDecorated(False)
        self.items.setHeaderLabels(
            [self.tr("Item"), self.tr("Qty"), self.tr("SKU"), self.tr("Price")]
        )
        self.items.setSelectionMode(QTreeWidget.SelectionMode.NoSelection)
        outer.addWidget(self.items)
        outer.addStretch(1)
        self._stack.addWidget(page)
        self.facts: OrderFacts | None = None
        self.show_facts(None)

    def show_facts(self, facts: OrderFacts | None) -> None:
        self.facts = facts
        if facts is None:
            self._stack.setCurrentIndex(0)
            return
        locale = QLocale()
        self.title.setText(self.tr("Order {number}").format(number=facts.number_display))
        platform = PLATFORM_NAMES.get((facts.platform or "").lower(), facts.platform or "")
        customer = facts.customer_name
        if facts.customer_email:
            customer = f"{customer} <{facts.customer_email}>" if customer else facts.customer_email
        values = {
            "platform": platform,
            "placed": format_date(facts.placed_at, locale),
            "shipped": format_date(facts.shipped_at, locale),
            "delivered": format_date(facts.delivered_at, locale),
            "customer": customer,
            "address": facts.shipping_address.strip(),
            "total": format_money(facts.total, facts.currency, locale),
            "carrier": facts.carrier,
        }
        for key, text in values.items():
            self._set(key, text)
        tracking = facts.tracking_number
        if tracking and facts.tracking_url.startswith(("https://", "http://")):
            self._set(
                "tracking",
                f'<a href="{html.escape(facts.tracking_url, quote=True)}">'
                f"{html.escape(tracking)}</a>",
                rich=True,
            )
            self.fields["tracking"].setToolTip(facts.tracking_url)
        else:
            self._set("tracking", tracking)
            self.fields["tracking"].setToolTip("")
        self.items.clear()
        for line in facts.lines:
            item = QTreeWidgetItem(
                [line.title, str(line.quantity), line.sku, format_money(line.price, facts.currency)]
            )
            item.setToolTip(0, line.title)
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.items.addTopLevelItem(item)
        header = self.items.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.items.setVisible(bool(facts.lines))
        rows = max(len(facts.lines), 1)
        row_height = self.items.sizeHintForRow(0) if facts.lines else 20
        header = self.items.header().sizeHint().height()
        self.items.setMaximumHeight(header + rows * row_height + 2 * self.items.frameWidth() + 4)
        self._stack.setCurrentIndex(1)

    def _set(self, key: str, text: str, rich: bool = False) -> None:
        label = self.fields[key]
        label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
        label.setText(text)
        self._form.setRowVisible(label, bool(text))  # no empty "Delivered:" rows

    def _open_tracking(self, link: str) -> None:
        url = QUrl(link)
        if url.scheme() in ("http", "https"):
            external.open_url(url)
