"""Money, dates and tracking links for replies, in the reply's locale (Babel)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime
from babel.numbers import UnknownCurrencyError, format_currency, validate_currency

# The locale for each reply language; the shop's own `locale` setting wins for its language.
LOCALES = {
    "en": "en_GB",
    "de": "de_DE",
    "fi": "fi_FI",
    "lv": "lv_LV",
    "hi": "hi_IN",
    "hy": "hy_AM",
}
DATE_FORMATS = ("short", "medium", "long", "full")

# Tracking pages by carrier (lower-case names; the longest matching name wins).
# `{n}` is the tracking number, URL-quoted.
TRACKING = {
    "dhl": "https://www.dhl.com/global-en/home/tracking/tracking-parcel.html"
    "?submit=1&tracking-id={n}",
    "deutsche post": "https://www.dhl.com/global-en/home/tracking/tracking-parcel.html"
    "?submit=1&tracking-id={n}",
    "dpd": "https://tracking.dpd.de/status/en_US/parcel/{n}",
    "ups": "https://www.ups.com/track?tracknum={n}",
    "usps": "https://tools.usps.com/go/TrackConfirmAction?tLabels={n}",
    "fedex": "https://www.fedex.com/fedextrack/?trknbr={n}",
    "gls": "https://gls-group.com/EU/en/parcel-tracking?match={n}",
    "hermes": "https://www.myhermes.de/empfangen/sendungsverfolgung/sendungsinformation#{n}",
    "evri": "https://www.evri.com/track/parcel/{n}",
    "royal mail": "https://www.royalmail.com/track-your-item#/tracking-results/{n}",
    "posti": "https://www.posti.fi/en/tracking#/lahetys/{n}",
    "postnord": "https://tracking.postnord.com/en/?id={n}",
    "latvijas pasts": "https://www.pasts.lv/en/Category/Tracking_of_Postal_Items/?id={n}",
    "omniva": "https://www.omniva.lv/private/track-and-trace?barcode={n}",
    "india post": "https://www.indiapost.gov.in/_layouts/15/dop.portal.tracking/"
    "trackconsignment.aspx?consignment={n}",
    "haypost": "https://www.haypost.am/en/track-and-trace?code={n}",
}


class FormatProblem(ValueError):
    """A value that a filter cannot format (not a date, not an amount, unknown currency)."""


def locale_for(language: str, shop_locale: str = "", shop_language: str = "en") -> str:
    """The Babel locale of a reply in `language`: the shop's own for its language, else ours."""
    if shop_locale and language == shop_language:
        try:
            Locale.parse(shop_locale.replace("-", "_"))
            return shop_locale.replace("-", "_")
        except (ValueError, UnknownLocaleError):
            pass
    return LOCALES.get(language, "en_GB")


def tracking_url(carrier: str, number: str) -> str:
    """The carrier's tracking page for this parcel, or "" for a carrier we do not know."""
    name = carrier.strip().lower()
    if not name or not number.strip():
        return ""
    for known in sorted(TRACKING, key=len, reverse=True):
        if re.search(rf"(?<![a-z]){re.escape(known)}(?![a-z])", name):
            return TRACKING[known].format(n=quote(number.strip(), safe=""))
    return ""


def format_day(value: Any, locale: str, form: str = "long") -> str:
    """A date (or the date of a datetime) as the locale writes it."""
    if form not in DATE_FORMATS:
        raise FormatProblem(f"the date format must be one of {', '.join(DATE_FORMATS)}")
    if isinstance(value, datetime):
        value = _local(value).date()
    if not isinstance(value, date):
        raise FormatProblem(f"the date filter needs a date, and got {_show(value)}")
    return format_date(value, form, locale=locale)


def format_moment(value: Any, locale: str, form: str = "medium") -> str:
    """A date and time (stored in UTC) in this computer's time zone, as the locale writes it."""
    if form not in DATE_FORMATS:
        raise FormatProblem(f"the datetime format must be one of {', '.join(DATE_FORMATS)}")
    if not isinstance(value, datetime):
        raise FormatProblem(f"the datetime filter needs a date and time, and got {_show(value)}")
    local = _local(value)
    return format_datetime(local, form, tzinfo=local.tzinfo, locale=locale)


def format_money(value: Any, currency: Any, locale: str) -> str:
    """An amount in a currency ("€31.90", "31,90 €")."""
    try:
        amount = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise FormatProblem(f"the money filter needs an amount, and got {_show(value)}") from None
    if not isinstance(currency, str) or not currency.strip():
        raise FormatProblem(f"the money filter needs a currency code, and got {_show(currency)}")
    code = currency.strip().upper()
    try:
        validate_currency(code)
        return format_currency(amount, code, locale=locale)
    except (UnknownCurrencyError, ValueError):
        raise FormatProblem(f"{_show(currency)} is not a currency code") from None


def _local(value: datetime) -> datetime:
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone()


def _show(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."
