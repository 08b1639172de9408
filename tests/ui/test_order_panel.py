"""The order panel: every fact shown, tracking as a link, the empty state."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QLocale

from desktop_app.core.views import OrderFacts, OrderLineFacts
from desktop_app.ui import external
from desktop_app.ui.order_panel import OrderPanel, format_money

FACTS = OrderFacts(
    number="1042",
    number_display="#1042",
    platform="shopify",
    placed_at=datetime(2026, 11, 18, 12, tzinfo=UTC),
    shipped_at=datetime(2026, 11, 19, 12, tzinfo=UTC),
    delivered_at=None,
    customer_name="Anna Kunde",
    customer_email="anna@example.com",
    shipping_address="Anna Kunde\nHauptstr. 5\n10115 Berlin",
    total="129.90",
    currency="EUR",
    carrier="DHL",
    tracking_number="00340434161234567890",
    tracking_url="https://www.dhl.de/track?n=0034&x=<b>",
    lines=(
        OrderLineFacts("Night cream 50 ml", 2, "NC-50", "39.95"),
        OrderLineFacts("Day serum", 1, "DS-30", "50.00"),
    ),
)


def test_shows_the_orders_facts(qtbot: Any) -> None:
    panel = OrderPanel()
    qtbot.addWidget(panel)
    assert panel.empty_label.isVisibleTo(panel)
    panel.show_facts(FACTS)
    assert not panel.empty_label.isVisibleTo(panel)
    assert panel.title.text() == "Order #1042"
    f = panel.fields
    assert f["platform"].text() == "Shopify"
    placed = QLocale().toString(QDate(2026, 11, 18), QLocale.FormatType.ShortFormat)
    assert f["placed"].text() == placed
    assert not f["delivered"].isVisibleTo(panel)  # no empty rows
    assert f["customer"].text() == "Anna Kunde <anna@example.com>"
    assert "10115 Berlin" in f["address"].text()
    assert f["total"].text() == format_money("129.90", "EUR") and "€" in f["total"].text()
    assert f["carrier"].text() == "DHL"
    tracking = f["tracking"].text()
    assert 'href="https://www.dhl.de/track?n=0034&amp;x=&lt;b&gt;"' in tracking
    assert ">00340434161234567890</a>" in tracking
    assert panel.items.topLevelItemCount() == 2
    assert panel.items.topLevelItem(0).text(0) == "Night cream 50 ml"
    assert panel.items.topLevelItem(0).text(1) == "2"
    folder = os.environ.get("SHOPDESK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        panel.resize(340, 420)
        panel.grab().save(str(Path(folder) / "order-panel.png"))


def test_tracking_link_opens_with_the_system(qtbot: Any, monkeypatch: Any) -> None:
    opened: list[str] = []
    monkeypatch.setattr(external, "open_url", lambda url: opened.append(url.toString()))
    panel = OrderPanel()
    qtbot.addWidget(panel)
    panel.show_facts(FACTS)
    panel.fields["tracking"].linkActivated.emit(FACTS.tracking_url)
    panel.fields["tracking"].linkActivated.emit("file:///etc/passwd")
    assert opened == ["https://www.dhl.de/track?n=0034&x=%3Cb%3E"]


def test_tracking_without_a_web_address_is_plain_text(qtbot: Any) -> None:
    panel = OrderPanel()
    qtbot.addWidget(panel)
    from dataclasses import replace

    panel.show_facts(replace(FACTS, tracking_url="javascript:alert(1)", lines=()))
    assert panel.fields["tracking"].text() == "00340434161234567890"
    assert not panel.items.isVisibleTo(panel)


def test_no_order_linked(qtbot: Any) -> None:
    panel = OrderPanel()
    qtbot.addWidget(panel)
    panel.show_facts(FACTS)
    panel.show_facts(None)
    assert panel.empty_label.isVisibleTo(panel)
    assert panel.empty_label.text() == "No order linked"


def test_money_formats() -> None:
    c = QLocale.c()
    assert format_money("129.9", "EUR", c) == "€129.90"
    assert format_money("5", "XYZ", c) == "XYZ 5.00"
    assert format_money("about 5", "EUR", c) == "about 5 EUR"
    assert format_money(None, "EUR", c) == ""
