"""What a reminder is and the settings of each rule: frozen dataclasses for the UI and CLI."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

RULES = ("waiting", "snooze", "review", "replenish", "birthday", "first_response")


@dataclass(frozen=True, slots=True)
class Reminder:
    """One follow-up that is (or will be) due; `key` is stable across runs."""

    key: str  # "review:order:4127", "waiting:case:12", "birthday:customer:anna@x:2026" ...
    rule: str  # one of RULES ("birthday" also covers customer anniversaries)
    case_id: int | None
    order_number: str | None
    customer_email: str
    customer_name: str
    due_at: datetime  # aware, UTC
    title: str  # short English line: "No answer from Emma Clarke for 3 days"
    template_key: str | None  # the reply template to draft from, e.g. "review_request"
    detail: str = ""


DEFAULT_TRANSIT_DAYS: dict[str, int] = {"default": 4}

# (match text: a word of the line's title, a SKU prefix or a category, days after purchase)
DEFAULT_REPLENISH: tuple[tuple[str, int], ...] = (
    ("face cream", 70),
    ("cream", 70),
    ("serum", 70),
    ("shampoo", 70),
    ("refill", 70),
    ("cosmetics", 70),
    ("industrial", 410),
    ("filter", 410),
)


@dataclass(frozen=True, slots=True)
class ReminderSettings:
    """Each rule's switch and parameters; the shop's time zone and working hours."""

    waiting_on: bool = True
    waiting_days: int = 3
    snooze_on: bool = True
    snooze_wake_on_reply: bool = True
    review_on: bool = True
    review_days: int = 10  # 7-15
    transit_days: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_TRANSIT_DAYS))
    replenish_on: bool = True
    replenish: tuple[tuple[str, int], ...] = DEFAULT_REPLENISH
    replenish_from: str = "delivered"  # "delivered" (else placed) or "placed"
    birthday_on: bool = True
    anniversary_on: bool = True
    greeting_hour: int = 9  # birthdays and anniversaries fall due at this local hour
    first_response_on: bool = True
    first_response_hours: float = 8.0  # working hours
    timezone: str = "Europe/Riga"
    work_start: int = 9  # local hour
    work_end: int = 17
    work_days: tuple[int, ...] = (0, 1, 2, 3, 4)  # Monday = 0
    lookback_days: int = 30  # due items older than this are not listed (away list aside)
