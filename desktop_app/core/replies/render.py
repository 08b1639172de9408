"""Render a reply template in the sandbox: every value filled, or a plain refusal naming it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jinja2 import TemplateError, Undefined
from jinja2.exceptions import SecurityError, TemplateSyntaxError

from desktop_app.core.errors import ShopdeskError
from desktop_app.core.replies import formats
from desktop_app.core.replies.limits import TooMuchWork
from desktop_app.core.replies.sandbox import (
    CollectingUndefined,
    MissingValue,
    ReplyEnvironment,
    StrictestUndefined,
    collect_missing,
    render_text,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# How a reply names a missing value to the merchant.
DESCRIPTIONS = {
    "customer.name": "the customer's name",
    "customer.first_name": "the customer's first name",
    "customer.email": "the customer's e-mail address",
    "customer.language": "the customer's language",
    "order": "an order",
    "order.number": "the order number",
    "order.platform": "the order's platform",
    "order.placed_at": "the order's date",
    "order.shipped_at": "the date the order was shipped",
    "order.delivered_at": "the date the order was delivered",
    "order.items": "the order's items",
    "order.items.title": "the name of an ordered item",
    "order.items.quantity": "the quantity of an ordered item",
    "order.items.price": "the price of an ordered item",
    "order.total": "the order's total",
    "order.currency": "the order's currency",
    "order.carrier": "the order's carrier",
    "order.tracking_number": "the order's tracking number",
    "order.tracking_url": "the order's tracking link",
    "shop.name": "the shop's name",
    "shop.signature": "your signature",
    "shop.return_address": "the shop's return address",
    "shop.review_link": "the shop's review link",
    "case.id": "the case number",
    "case.subject": "the case's subject",
    "discount_code": "a discount code",
}
SHOP_VALUES = ("shop.name", "shop.signature", "shop.return_address", "shop.review_link")
_LEFTOVER = re.compile(r"\{\{|\{%|\{#|\}\}|%\}")


class RenderError(ShopdeskError):
    """A template that cannot make a reply: `missing` names the values the case lacks."""

    def __init__(self, message: str, missing: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.missing = missing


@dataclass(frozen=True, slots=True)
class Rendered:
    """A finished reply text, ready for the composer."""

    subject: str
    body: str
    language: str
    note: str = ""  # e.g. "no German text yet; the English one is used"


def describe_missing(missing: tuple[str, ...]) -> str:
    """One plain sentence for the merchant about what the case lacks."""
    parts = [f"{DESCRIPTIONS.get(name, name.replace('_', ' '))} ({name})" for name in missing]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    if all(name in SHOP_VALUES for name in missing):
        return f"This reply needs {listed}; fill it in under Settings, Shop."
    if all("." not in name for name in missing):
        return f"This reply needs {listed}; type it in before sending."
    return f"This reply needs {listed}, and this case has none."


def render_template(subject: str, body: str, context: Mapping[str, Any], locale: str) -> Rendered:
    """Fill `subject` and `body` from `context`; RenderError names every missing value.

    `locale` is a Babel locale ("de_DE"; a bare language "de" takes its usual locale) for the
    `date`, `datetime` and `money` filters; the reply's language is its first part.
    Templates run in a sandbox that refuses attributes starting with "_", Python internals,
    string formatting with `%`, and runaway work.
    """
    locale = formats.LOCALES.get(locale, locale).replace("-", "_")
    language = locale.split("_")[0]
    missing: list[str] = []
    for text in (subject, body):
        for name in _run(collect_missing, text, context, locale):
            if name not in missing:
                missing.append(name)
    if missing:
        raise RenderError(describe_missing(tuple(missing)), tuple(missing))
    out_subject = " ".join(_run(render_text, subject, context, locale).split())
    out_body = _run(render_text, body, context, locale).strip("\n") + "\n"
    for name, text in (("subject", out_subject), ("text", out_body)):
        if _LEFTOVER.search(text):
            raise RenderError(
                f"The reply's {name} still holds template marks ({{{{, {{% or }}}}) after "
                "filling in; a value itself may contain them. Nothing was filled in."
            )
    return Rendered(subject=out_subject, body=out_body, language=language)


def check_syntax(text: str) -> str | None:
    """None when `text` is a well-formed template, else a plain sentence about its mistake."""
    try:
        ReplyEnvironment(CollectingUndefined, _filters("en_GB")).guarded(text)
    except TemplateSyntaxError as e:
        return f"line {e.lineno}: {_sentence(e.message)}"
    except TooMuchWork as e:
        return f"{e}."
    return None


def _run(step: Any, text: str, context: Mapping[str, Any], locale: str) -> Any:
    strict = step is render_text
    env = ReplyEnvironment(StrictestUndefined if strict else CollectingUndefined, _filters(locale))
    try:
        return step(env, text, context)
    except MissingValue as e:
        raise RenderError(describe_missing((e.path,)), (e.path,)) from None
    except TooMuchWork as e:
        raise RenderError(f"This template was stopped: {e}.") from None
    except SecurityError as e:
        raise RenderError(f"This template was refused: {e}.") from None
    except TemplateSyntaxError as e:
        raise RenderError(
            f"This template has a mistake on line {e.lineno}: {_sentence(e.message)}"
        ) from None
    except formats.FormatProblem as e:
        raise RenderError(f"This template cannot be filled in: {e}.") from None
    except (TemplateError, ArithmeticError, TypeError, ValueError, LookupError) as e:
        raise RenderError(f"This template cannot be filled in: {e}.") from None
    except RecursionError:
        raise RenderError("This template was stopped: it calls itself without end.") from None


def _sentence(text: str | None) -> str:
    return (text or "unknown mistake").rstrip(".") + "."


def _filters(locale: str) -> dict[str, Any]:
    def date(value: Any, form: str = "long") -> str:
        if isinstance(value, Undefined):
            return str(value)
        return formats.format_day(value, locale, form)

    def datetime_(value: Any, form: str = "medium") -> str:
        if isinstance(value, Undefined):
            return str(value)
        return formats.format_moment(value, locale, form)

    def money(value: Any, currency: Any = None) -> str:
        if isinstance(value, Undefined) or isinstance(currency, Undefined):
            return str(value) + str(currency)
        return formats.format_money(value, currency, locale)

    return {"date": date, "datetime": datetime_, "money": money}


def case_context(
    session: Session, case_id: int, language: str, extra: Mapping[str, str] = {}
) -> dict[str, Any]:
    """The values a template may use for this case, in `language`; see resources/templates."""
    from desktop_app.core.replies.context import build_case_context

    return build_case_context(session, case_id, language, extra)
