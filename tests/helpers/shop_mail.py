"""Small shop mail built in tests: a customer or the shop writing, and a Shopify order notice."""

from __future__ import annotations

SHOP = "support@myshop.example"

SHOPIFY_ORDER = """Hello My Shop,

Jane Doe placed a new order with you today, Nov 20 10:00AM:

1x Rose face cream 50 ml    (sku: RFC-50)

Shipping address:
  Jane Doe
  Main Street 1
  10115 Berlin
  Germany

Customer email: jane@example.com

Total: \u20ac29,90 EUR

View order: https://admin.shopify.com/store/my-shop/orders/5512340001
"""


def mail(
    mid: str,
    sender: str,
    subject: str,
    body: str,
    *,
    date: str,
    reply_to: str | None = None,
    refs: str = "",
    name: str = "",
    to: str | None = None,
) -> bytes:
    """One plain-text message; mail from the shop goes to a customer, any other to the shop."""
    headers = [
        f"From: {name or sender.split('@')[0].title()} <{sender}>",
        f"To: {to or (SHOP if sender != SHOP else 'customer@example.com')}",
        f"Subject: {subject}",
        f"Message-ID: <{mid}>",
        f"Date: {date}",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
    ]
    if reply_to:
        headers.append(f"In-Reply-To: <{reply_to}>")
    if refs or reply_to:
        headers.append(f"References: {refs or f'<{reply_to}>'}")
    return ("\r\n".join(headers) + "\r\n\r\n" + body + "\r\n").encode()
